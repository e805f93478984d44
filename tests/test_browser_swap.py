"""In the browser: upload a control layer, see it at its date; broken files change nothing."""

from __future__ import annotations

import io
import re
import shutil
import time

import pytest
from conftest import run_server

from mapdash.figures import CONTROL_TRACE, OTHER_LAND, REGION_TRACE, SEA, UKRAINE_LAND
from mapdash.legend import CONTROL_COLOR, legend_entry

pytestmark = pytest.mark.browser

MEASURED = "#control-measured"
UPLOAD_INPUT = "#geodata-upload input[type=file]"


@pytest.fixture
def live_server(tmp_path, geodata_copy):
    with run_server(tmp_path, geodata=geodata_copy) as srv:
        yield srv


def _trace(page, index: int) -> dict:
    return page.evaluate(
        """(i) => {
            const t = document.querySelector('#map-left .js-plotly-plot').data[i];
            return {visible: t.visible, points: (t.lon || []).length, z: t.z || null};
        }""",
        index,
    )


_REGION_POINTS_JS = f"""((rid) => {{
    const trace = document.querySelector('#map-left .js-plotly-plot').data[{REGION_TRACE}];
    const feature = trace.geojson.features.find(f => f.properties.id === rid);
    return JSON.stringify(feature.geometry.coordinates).split('],[').length;
}})"""


def _region_points(page, rid: str) -> int:
    """Count the vertices the map draws for one region."""
    return page.evaluate(f"{_REGION_POINTS_JS}('{rid}')")


def _overlay_paths(page) -> int:
    """Count the overlay's drawn line paths in the map's SVG, found by their stroke colour."""
    red, green, blue = (int(CONTROL_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    return page.evaluate(
        """(rgb) => [...document.querySelectorAll('#map-left .scattergeo path.js-line')]
            .filter(p => p.style.stroke.replace(/ /g, '') === rgb && p.getAttribute('d'))
            .length""",
        f"rgb({red},{green},{blue})",
    )


def _colours_at(page, points: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int, int]]:
    """The colour the left map paints at lon/lat points, from plotly's own projection."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.locator("#map-left .js-plotly-plot").screenshot()))
    pixels = page.evaluate(
        """(points) => {
            const gd = document.querySelector('#map-left .js-plotly-plot');
            return points.map(p => gd._fullLayout.geo._subplot.projection(p));
        }""",
        [list(p) for p in points.values()],
    )
    rgb = image.convert("RGB")
    return {
        name: rgb.getpixel((round(x), round(y)))
        for name, (x, y) in zip(points, pixels, strict=True)
    }


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _close(a, b, tol: int = 6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    page.wait_for_function(
        "document.querySelector('#control-measured').innerText.includes('control layer')"
    )


def test_uploaded_control_layer_shows_from_its_date_with_measured_numbers(
    live_server, page, data_dir, screenshot_dir
):
    _open(page, f"{live_server.url}/?date=2025-08-20")
    assert "No control layer on or before 20 Aug 2025" in page.inner_text(MEASURED)
    assert _trace(page, CONTROL_TRACE)["visible"] is False

    page.set_input_files(UPLOAD_INPUT, str(data_dir / "geojson/control/control_2025-08-15.geojson"))
    page.wait_for_selector(".upload-ok")
    assert page.inner_text(".upload-ok").startswith(
        "control_2025-08-15.geojson: control layer of 2025-08-15 (date from file name)"
    )
    page.wait_for_function(
        "document.querySelector('#control-measured').innerText.includes('layer of 15 Aug 2025')"
    )
    measured = page.inner_text(MEASURED)
    # About 14,180 km2 (see test_control for the independent geodesic check).
    assert re.search(
        r"Russia holds 14,1[78]\d km2 \(53%\) of Donetsk per control layer of 2025-08-15", measured
    )
    assert re.search(
        r"Russia holds 26,17\d km2 \(99%\) of Luhansk per control layer of 2025-08-15", measured
    )
    # Next to what the articles said on that date.
    assert "Article: Russian forces fully control Luhansk." in measured
    # The legend explains the outline on the map.
    assert page.inner_text("#legend-control") == (
        "Outlined and cross-hatched in dark red: held by Russia per the control layer of "
        "15 Aug 2025; source: control_2025-08-15.geojson"
    )
    overlay = _trace(page, CONTROL_TRACE)
    assert overlay["visible"] is True and overlay["points"] > 100
    assert _overlay_paths(page) >= 1
    page.screenshot(path=str(screenshot_dir / "swap_overlay.png"), full_page=True)

    # Step back: 17 Aug still shows the layer of 15 Aug, which is a step of its own since it
    # was installed (no restart); 9 Aug is before it.
    page.click("#previous-event")
    page.wait_for_function("location.search.includes('2025-08-17')")
    time.sleep(0.5)
    assert _trace(page, CONTROL_TRACE)["visible"] is True
    page.click("#previous-event")
    page.wait_for_function("location.search.includes('2025-08-15')")
    time.sleep(0.5)
    assert _trace(page, CONTROL_TRACE)["visible"] is True
    page.click("#previous-event")
    page.wait_for_function("location.search.includes('2025-08-09')")
    page.wait_for_function(
        "document.querySelector('#control-measured').innerText.includes('on or before 9 Aug')"
    )
    assert page.inner_text(MEASURED).startswith(
        "No control layer on or before 9 Aug 2025. The first is dated 15 Aug 2025."
    )
    assert not page.locator("#legend-control").is_visible()
    page.wait_for_function(
        f"!document.querySelector('#map-left .js-plotly-plot').data[{CONTROL_TRACE}].visible"
    )
    assert _overlay_paths(page) == 0


def test_broken_upload_lists_the_problems_and_leaves_the_map(live_server, page, data_dir):
    _open(page, f"{live_server.url}/?date=2025-08-20")
    before_regions = _trace(page, REGION_TRACE)
    before_files = sorted(p.name for p in live_server.geodata.rglob("*") if p.is_file())

    page.set_input_files(UPLOAD_INPUT, str(data_dir / "geojson/control/bad_date.geojson"))
    page.wait_for_selector(".upload-error")
    error = page.inner_text(".upload-error")
    assert error.startswith(
        "Not installed; the current data stays live. bad_date.geojson: no date for this control "
        "layer; name the file like control_2025-08-15.geojson"
    )
    assert "bad_date.geojson feature 0: property date='soon' is not a date" in error
    time.sleep(2.5)  # a poll later, nothing changed
    assert _trace(page, REGION_TRACE) == before_regions
    assert _trace(page, CONTROL_TRACE)["visible"] is False
    assert "No control layer on or before 20 Aug 2025" in page.inner_text(MEASURED)
    after_files = sorted(p.name for p in live_server.geodata.rglob("*") if p.is_file())
    assert after_files == before_files

    # Region boundaries: the map redraws Kursk and Zaporizhzhia from the uploaded file.
    kursk_before = _region_points(page, "kursk")
    page.get_by_label("Region boundaries").check()
    page.set_input_files(UPLOAD_INPUT, str(data_dir / "geojson/osm.geojson"))
    page.wait_for_selector(".upload-ok")
    assert page.inner_text(".upload-ok").startswith(
        "osm.geojson: region boundaries swapped in for zaporizhzhia, kursk"
    )
    page.wait_for_function(
        f"(n) => {_REGION_POINTS_JS}('kursk') !== n", arg=kursk_before, timeout=10_000
    )
    assert _region_points(page, "donetsk") > 0
    assert (
        len(list((live_server.geodata / "versions" / "boundaries").glob("*/regions_web.geojson")))
        == 1
    )
    # The file's rings are counter-clockwise (as osmtogeojson writes them); drawn as written,
    # d3-geo would fill the globe but Kursk and Zaporizhzhia. Inside, they keep their colours;
    # outside, the sea, Ukraine and Russia keep theirs. (Points away from the region labels.)
    page.wait_for_timeout(500)
    seen = _colours_at(
        page,
        {
            "kursk": (35.3, 51.8),
            "zaporizhzhia": (34.9, 47.0),
            "black sea": (32.5, 43.9),
            "kyiv oblast": (30.6, 50.6),
            "voronezh": (39.6, 50.9),
        },
    )
    expected = {
        "kursk": legend_entry(None).fill,
        # Russia's newest word by 20 Aug 2025: the five regions at their administrative lines.
        "zaporizhzhia": legend_entry("to_russia").fill,
        "black sea": SEA,
        "kyiv oblast": UKRAINE_LAND,
        "voronezh": OTHER_LAND,
    }
    assert all(_close(seen[k], _rgb(v)) for k, v in expected.items()), seen


def test_files_dropped_into_the_geodata_folder_go_live_without_a_restart(
    live_server, page, data_dir
):
    _open(page, f"{live_server.url}/?date=2025-08-20")
    started = time.monotonic()
    shutil.copy(
        data_dir / "geojson/control/frontline_export.geojson",
        live_server.geodata / "frontline_export.geojson",
    )
    page.wait_for_function(
        "document.querySelector('#control-measured').innerText.includes('layer of 1 Jun 2025')",
        timeout=15_000,
    )
    noticed = time.monotonic() - started
    assert noticed < 8, f"took {noticed:.1f} s"
    assert re.search(
        r"Russia holds 14,1[78]\d km2 \(53%\) of Donetsk per control layer of 2025-06-01",
        page.inner_text(MEASURED),
    )
    assert _trace(page, CONTROL_TRACE)["visible"] is True
    assert (live_server.geodata / "control/control_2025-06-01.geojson").is_file()
    assert live_server.process.poll() is None

    # A broken drop: an alert with its problems; the layer of 1 June stays.
    shutil.copy(data_dir / "geojson/control/two_dates.geojson", live_server.geodata)
    page.wait_for_function(
        "document.querySelector('#geodata-alert').innerText.includes('two_dates.geojson')",
        timeout=15_000,
    )
    alert = page.inner_text("#geodata-alert")
    assert alert.startswith(
        "two_dates.geojson was not put live: two_dates.geojson: the features name 2 different dates"
    )
    assert "the current data stays live and the file was moved to rejected/" in alert
    assert "layer of 1 Jun 2025" in page.inner_text(MEASURED)
    assert "two_dates.geojson not live" in live_server.log.read_text()
