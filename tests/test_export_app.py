"""The dashboard's download button: exactly the view on screen, through the exporter's code."""

from __future__ import annotations

import base64
import io
import re

import pypdf
import pytest

from mapdash.config import Paths
from mapdash.errors import MapdashError
from mapdash.export import shared_exporter
from mapdash.web import ids
from mapdash.web.data import AppData
from mapdash.web.download import download_file

OFFER_VIEW = "?date=2025-08-10&sel=proposal:ru-2025-08-06-donbas"


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData.load(Paths.default())


def test_download_is_the_view_of_the_url_as_a_pdf(data):
    sent = download_file(data, OFFER_VIEW, "pdf", exporter=shared_exporter())
    assert sent["filename"] == "proposal-ru-2025-08-06-donbas_2025-08-10.pdf"
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(sent["content"])))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Russia, 6 Aug 2025: cede all of Donbas" in text
    assert "10 August 2025" in text


def test_download_in_compare_mode_has_both_maps(data):
    search = OFFER_VIEW + "&compare=proposal:us-2025-04&date2=2025-04-01"
    sent = download_file(data, search, "svg", exporter=shared_exporter())
    assert sent["filename"] == (
        "proposal-ru-2025-08-06-donbas_2025-08-10_vs_proposal-us-2025-04_2025-04-01.svg"
    )
    svg = base64.b64decode(sent["content"]).decode()
    assert re.findall(r'<g class="geo (geo2?)"', svg) == ["geo", "geo2"]
    assert "United States, Apr 2025: freeze at the front line" in svg
    assert "as of 1 Apr 2025" in svg and "as of 10 Aug 2025" in svg


def test_unknown_format_says_which_ones_exist(data):
    with pytest.raises(MapdashError, match=r"unknown export format 'gif'; expected one of png"):
        download_file(data, OFFER_VIEW, "gif", exporter=shared_exporter())


@pytest.mark.browser
def test_download_button_saves_the_view_on_screen_without_leaving_the_page(
    server, page, tmp_path, screenshot_dir
):
    page.goto(server.url + "/" + OFFER_VIEW + "&compare=actor:ukraine")
    page.wait_for_selector(f"#{ids.MAP_RIGHT} .choroplethlocation")
    page.get_by_label("PDF, A4").check()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == (
        "proposal-ru-2025-08-06-donbas_2025-08-10_vs_actor-ukraine_2025-08-10.pdf"
    )
    text = pypdf.PdfReader(saved).pages[0].extract_text()
    assert "Russia, 6 Aug 2025 compared with Ukraine's latest position" in text
    # Still on the same page and view; the button is ready again and says what happened.
    assert page.url.endswith(OFFER_VIEW + "&compare=actor:ukraine")
    status = page.locator(f"#{ids.DOWNLOAD_STATUS}")
    assert status.inner_text() == f"Downloaded {saved.name}"
    assert page.get_by_role("button", name="Download").is_enabled()
    page.locator(".controls").screenshot(path=str(screenshot_dir / "download-control.png"))
