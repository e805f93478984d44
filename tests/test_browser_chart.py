"""In the browser: three installed layers chart as three points per region, the as-of marker
moves with the slider, and the view's data downloads follow it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import run_server
from layer_series import SERIES, expected_shares, geodata_with

from mapdash.control_chart import CHART_REGIONS
from mapdash.timeline import format_date

pytestmark = pytest.mark.browser

CHART = "#control-chart .js-plotly-plot"
# The x pixel (within the page) of the marker line, and of each region's drawn points.
MARKER_X = f"""() => {{
    const line = document.querySelector('{CHART} .shapelayer path');
    const box = line.getBoundingClientRect();
    return box.left + box.width / 2;
}}"""
POINTS = f"""() => [...document.querySelectorAll('{CHART} .scatterlayer .trace')].map(
    trace => [...trace.querySelectorAll('path.point')].map(p => {{
        const box = p.getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2];
    }}))"""


@pytest.fixture(scope="module")
def layered(tmp_path_factory):
    """A server whose geodata hold the three layers of ``layer_series``."""
    tmp = tmp_path_factory.mktemp("chart")
    with run_server(tmp, geodata=geodata_with(tmp)) as server:
        yield server


def wait_for_marker(page, date: str) -> None:
    """Wait until the chart draws its marker at ``date`` (its label is drawn with it)."""
    label = "as of " + format_date(dt.date.fromisoformat(date))
    page.wait_for_function(
        f"""([d, label]) => document.querySelector('{CHART}').layout.shapes[0].x0 === d
            && document.querySelector('{CHART} .annotation-text').textContent === label""",
        arg=[date, label],
    )
    # Plotly draws the shape and the label in the same frame; let that frame end.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")


def open_chart(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_selector(f"{CHART} .scatterlayer .trace path.point")
    page.wait_for_timeout(300)


def marker(page) -> tuple[str, str]:
    """The marker's date and its label as drawn."""
    date, label = page.evaluate(
        f"""() => {{
            const gd = document.querySelector('{CHART}');
            return [gd.layout.shapes[0].x0,
                    document.querySelector('{CHART} .annotation-text').textContent];
        }}"""
    )
    return date, label


def test_three_layers_chart_three_points_per_region_and_the_marker_follows_the_slider(
    page, layered, screenshot_dir
):
    open_chart(page, layered.url + "/?date=2025-08-15&sel=actor:russia")
    assert (
        page.locator("#control-chart-note")
        .inner_text()
        .startswith(
            "Russian-held share of each region at the 3 installed control layers, 1 Mar 2025 to "
            "20 Nov 2025"
        )
    )
    drawn = page.evaluate(POINTS)
    regions = drawn[: len(CHART_REGIONS)]
    assert [len(points) for points in regions] == [3] * len(CHART_REGIONS)
    data = page.evaluate(f"() => document.querySelector('{CHART}').data.map(t => t.y)")
    for index, rid in enumerate(CHART_REGIONS):
        shares = [expected_shares(layer)[rid] for layer in SERIES]
        assert data[index] == pytest.approx(shares, abs=0.002), rid
    # Donetsk's points rise on the page as its share grows.
    donetsk = regions[CHART_REGIONS.index("donetsk")]
    assert donetsk[0][1] > donetsk[1][1] > donetsk[2][1]
    # On a layer's date, the marker stands on that layer's points.
    assert marker(page) == ("2025-08-15", "as of 15 Aug 2025")
    assert page.evaluate(MARKER_X) == pytest.approx(donetsk[1][0], abs=1.5)
    page.locator("#control-chart").screenshot(path=str(screenshot_dir / "control-chart.png"))

    thumb = page.locator(".slider .dash-slider-thumb")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '17 Aug 2025'")
    wait_for_marker(page, "2025-08-17")
    assert marker(page) == ("2025-08-17", "as of 17 Aug 2025")
    # Step by step to the next layer's date: the marker reaches its points.
    for _ in range(10):
        if page.locator("#as-of").text_content() == "20 Nov 2025":
            break
        before = page.locator("#as-of").text_content()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(b) => document.querySelector('#as-of').textContent !== b", arg=before
        )
    wait_for_marker(page, "2025-11-20")
    assert page.evaluate(MARKER_X) == pytest.approx(donetsk[2][0], abs=1.5)
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '3 Dec 2025'")
    wait_for_marker(page, "2025-12-03")
    assert page.evaluate(MARKER_X) > donetsk[2][0]
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '31 Oct 2022'")
    wait_for_marker(page, "2022-10-31")
    assert marker(page) == ("2022-10-31", "as of 31 Oct 2022")
    assert page.evaluate(MARKER_X) < donetsk[0][0]
    # Back in history, the marker returns with the view.
    page.go_back()
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '3 Dec 2025'")
    wait_for_marker(page, "2025-12-03")
    # Leave the page before its server stops, so that its polling does not hit a closed port.
    page.goto("about:blank")


def test_hovering_a_point_gives_the_layers_km2_and_source(page, layered):
    open_chart(page, layered.url + "/?date=2025-08-15&sel=actor:russia")
    # The side panel scrolls on its own; bring the chart into view.
    page.locator("#control-chart").scroll_into_view_if_needed()
    donetsk = page.evaluate(POINTS)[CHART_REGIONS.index("donetsk")]
    x, y = donetsk[2]
    page.mouse.move(x, y)
    label = page.locator("#control-chart .hoverlayer .hovertext")
    label.wait_for()
    text = label.text_content()
    assert "Donetsk, control layer of 20 Nov 2025" in text
    assert "km2" in text and "Source: Test front lines (CC0 1.0)" in text
    page.goto("about:blank")


def test_the_views_data_downloads_follow_the_slider(page, layered, tmp_path: Path):
    open_chart(page, layered.url + "/?date=2025-08-15&sel=actor:russia")
    link = page.locator("#state-csv")
    assert link.get_attribute("href") == "/api/state.csv?date=2025-08-15&selection=actor:russia"
    page.locator(".slider .dash-slider-thumb").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('#state-csv').getAttribute('href').includes('2025-08-17')"
    )
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "state_actor-russia_2025-08-17.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    donetsk = next(r for r in rows if r["region"] == "donetsk")
    assert donetsk["date"] == "2025-08-17"
    assert donetsk["control_layer_date"] == "2025-08-15"
    assert float(donetsk["occupied_share"]) == pytest.approx(
        expected_shares(SERIES[1])["donetsk"], abs=0.002
    )
    geojson = page.locator("#state-geojson").get_attribute("href")
    assert geojson == "/api/state.geojson?date=2025-08-17&selection=actor:russia"
    page.goto("about:blank")


def test_with_no_layer_the_panel_says_why_there_is_no_chart(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    note = page.locator("#control-chart-note")
    note.wait_for()
    page.wait_for_function("() => document.querySelector('#control-chart-note').textContent")
    assert note.inner_text().startswith(
        "No control layer is installed, so there is no control over time to chart."
    )
    assert page.locator("#control-chart-frame").is_hidden()
