"""The dashboard's download button: exactly the view on screen, through the exporter's code."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import shutil
from dataclasses import replace

import pypdf
import pytest

from mapdash.config import PROJECT_ROOT, Paths
from mapdash.errors import MapdashError
from mapdash.export import default_size, shared_exporter
from mapdash.web import ids
from mapdash.web.batch import batch_export
from mapdash.web.data import AppData
from mapdash.web.download import download_file, view_figure
from mapdash.web.live import LiveGeodata
from mapdash.web.view import read_query

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


def test_every_event_export_keeps_the_comparison_and_the_control_layer(data, geodata_copy):
    layers = geodata_copy / "control"
    layers.mkdir(exist_ok=True)
    fixture = PROJECT_ROOT / "tests" / "data" / "geojson" / "control" / "control_2025-08-15.geojson"
    shutil.copy(fixture, layers / "control_2025-08-15.geojson")
    snapshot = LiveGeodata(geodata_copy).snapshot()
    search = OFFER_VIEW + "&compare=proposal:us-2025-04&date2=2025-04-01"
    view, _ = read_query(search, data.timeline)
    size = default_size("png", width=1280, height=720, scale=1)
    # Each frame is the view at one event date, both maps, and the layer of that date.
    before = view_figure(data, replace(view, date=dt.date(2025, 8, 9)), size, snapshot=snapshot)
    after = view_figure(data, replace(view, date=dt.date(2025, 8, 17)), size, snapshot=snapshot)
    for figure in (before, after):
        assert {"geo", "geo2"} <= set(figure.layout.to_plotly_json())
        assert "as of 1 Apr 2025" in json.dumps(figure.to_plotly_json())

    def outline(figure):
        return [t for t in figure.data if t.name and t.name.startswith("control") and t.visible]

    assert outline(after) and len(outline(after)[0].lon) > 10
    assert not outline(before)
    # The legend explains the outline.
    assert "Held by Russia" in json.dumps(after.to_plotly_json()["layout"])
    done = batch_export(data, search, "zip", exporter=shared_exporter(), snapshot=snapshot)
    assert done.filename == (
        "proposal-ru-2025-08-06-donbas_all-events_vs_proposal-us-2025-04-2025-04-01.zip"
    )
    assert done.count == len(data.timeline.events)
