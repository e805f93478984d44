"""The server watches geodata/: a dropped file goes live with no page open; an implausible
control layer uploaded in the page is refused with its reasons, and the map stays as it was."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import run_server
from test_browser_swap import MEASURED, UPLOAD_INPUT, _open, _trace

from mapdash import geodata
from mapdash.figures import CONTROL_TRACE, REGION_TRACE

pytestmark = pytest.mark.browser


def test_a_dropped_file_goes_live_with_no_page_open(tmp_path, geodata_copy, data_dir, page):
    with run_server(tmp_path, geodata=geodata_copy, pages=(page,)) as srv:
        dropped = geodata_copy / "control_2025-08-15.geojson"
        shutil.copy(data_dir / "geojson/control/control_2025-08-15.geojson", dropped)
        live = geodata_copy / "control" / "control_2025-08-15.geojson"
        started = time.monotonic()
        # No page is open: only the server's watcher can install it (and then takes the
        # dropped file away).
        while not live.exists() or dropped.exists():
            assert time.monotonic() - started < 15, srv.log.read_text()
            time.sleep(0.1)
        assert time.monotonic() - started < 10
        (entry,) = geodata.read_audit(geodata_copy)
        assert (entry.actor, entry.action, entry.layer) == ("drop-in", "install", live.stem)
        # A page opened afterwards shows it.
        _open(page, f"{srv.url}/?date=2025-08-20")
        page.wait_for_function(
            "document.querySelector('#control-measured').innerText.includes('layer of 15 Aug')"
        )
        assert "Russia holds" in page.inner_text(MEASURED)
        assert _trace(page, CONTROL_TRACE)["visible"] is True


def test_an_implausible_control_layer_shows_its_reasons_and_the_map_is_unchanged(
    tmp_path, geodata_copy, data_dir, page, screenshot_dir
):
    with run_server(tmp_path, geodata=geodata_copy, pages=(page,)) as srv:
        _open(page, f"{srv.url}/?date=2025-08-20")
        before_regions = _trace(page, REGION_TRACE)
        before_files = {p.name for p in geodata_copy.rglob("*") if p.is_file()}
        assert not page.locator("#geodata-upload-force").is_visible()
        hostile = data_dir / "geojson/hostile/ukraine_admin_2025-08-15.geojson"
        page.set_input_files(UPLOAD_INPUT, str(hostile))
        page.wait_for_selector(".upload-error")
        error = page.inner_text(".upload-error")
        assert error.startswith(
            "Not installed; the current data stays live. ukraine_admin_2025-08-15.geojson fails "
            "3 plausibility check(s) and was not installed"
        )
        assert "the layer covers Kyiv (30.52, 50.45), which Russian forces have never held" in (
            error
        )
        assert "of the western oblasts" in error
        assert page.locator("#geodata-upload-force").is_visible()
        page.screenshot(path=str(screenshot_dir / "implausible_upload.png"), full_page=True)
        time.sleep(2.5)  # a poll later, nothing changed
        assert _trace(page, REGION_TRACE) == before_regions
        assert _trace(page, CONTROL_TRACE)["visible"] is False
        assert "No control layer on or before 20 Aug 2025" in page.inner_text(MEASURED)
        assert {p.name for p in geodata_copy.rglob("*") if p.is_file()} == before_files
        # The editor knows better: the second button installs it, and the override is logged.
        page.click("#geodata-upload-force")
        page.wait_for_selector(".upload-ok")
        assert "OVERRIDE: ukraine_admin_2025-08-15.geojson: the layer covers Kyiv" in (
            page.inner_text(".upload-ok")
        )
        assert not page.locator("#geodata-upload-force").is_visible()
        (entry,) = geodata.read_audit(geodata_copy)
        assert entry.override and len(entry.overridden) == 3
