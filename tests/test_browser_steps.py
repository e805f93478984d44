"""Slider steps in headless Chromium: painted in place, one request each, and nothing drifts.

A step repaints the drawn map without plotly redrawing it (mapdash/web/maps.py). These tests
check what that must not break, after many steps: the colour each region shows (read from the
page and checked against the JSON API), the zoom, the hover label, a redraw of the map (a
resize, a control added by a later answer), and the exported briefing.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from conftest import hover_label

from mapdash.legend import legend_entry
from mapdash.regions import REGION_IDS

pytestmark = pytest.mark.browser

MAP = "#map-left .js-plotly-plot"
# Counts plotly's redraws of the first map (``plotly_afterplot``) from now on.
COUNT_REDRAWS = """() => {
  const gd = document.querySelector('#map-left .js-plotly-plot');
  window.__redraws = 0;
  gd.on('plotly_afterplot', () => { window.__redraws += 1; });
}"""
# The fill of each region's path on the first map, REGION_IDS order, as the browser paints it.
FILLS = """() => Array.from(
  document.querySelectorAll('#map-left g.trace.choropleth')[1]
    .querySelectorAll('path.choroplethlocation')
).map(path => getComputedStyle(path).fill)"""
# Well inside Donetsk oblast, off its label.
DONETSK = (37.2, 48.3)


def css(hex_colour: str) -> str:
    """A colour as getComputedStyle writes it."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def api_state(server, search: str) -> dict:
    """What the JSON API says the view of a query shows (the same timeline as the map)."""
    params = dict(p.split("=", 1) for p in search.lstrip("?").split("&"))
    url = f"{server.url}/api/state?date={params['date']}&selection={params['sel']}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def expected_fills(server, search: str) -> list[str]:
    regions = {r["id"]: r for r in api_state(server, search)["regions"]}
    return [css(regions[rid]["fill"]) for rid in REGION_IDS]


def current_query(page) -> str:
    return "?" + page.url.split("?", 1)[1]


def open_page(page, server, query: str) -> None:
    page.goto(server.url + "/" + query)
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function("() => document.querySelector('#as-of').textContent.length > 0")
    page.wait_for_load_state("networkidle")
    page.evaluate(COUNT_REDRAWS)


class StepRequests:
    """The callback requests the page sends (the geodata poll's timer aside), with answers."""

    def __init__(self, page) -> None:
        self.finished: list = []
        page.on("requestfinished", self._record)

    def _record(self, request) -> None:
        if "_dash-update-component" in request.url:
            self.finished.append(request)

    def take(self) -> list[tuple[list[str], bytes]]:
        """The requests finished since the last call: what changed, and the answer."""
        taken = []
        for request in self.finished:
            changed = json.loads(request.post_data or "{}").get("changedPropIds", [])
            if not all(prop.endswith(".n_intervals") for prop in changed):
                taken.append((changed, request.response().body()))
        self.finished.clear()
        return taken


def step(page, key: str) -> None:
    """Press ``key`` on the slider and wait until the server's answer is on the page."""
    before = page.url
    page.keyboard.press(key)
    page.wait_for_function("u => window.location.href !== u", arg=before)
    # Any further request the step caused would have started by now.
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")


def test_slider_steps_are_painted_in_place_one_request_each_without_geometry(page, server):
    open_page(page, server, "?date=2025-12-03&sel=actor:russia")
    requests = StepRequests(page)
    page.locator(".slider .dash-slider-thumb").focus()
    redrawn_before = page.evaluate("window.__redraws")
    requests.take()
    for _ in range(8):
        step(page, "ArrowLeft")
        query = current_query(page)
        # One request, which carries neither geometry nor a map.
        sent = requests.take()
        assert len(sent) == 1, [changed for changed, _ in sent]
        changed, body = sent[0]
        assert changed == ["date-slider.value"]
        assert b'"coordinates"' not in body and b'"map-left"' not in body
        # Every region shows the colour the API gives for the step's date.
        assert page.evaluate(FILLS) == expected_fills(server, query), query
    # Painted in place: plotly never redrew the map.
    assert page.evaluate("window.__redraws") == redrawn_before


def test_zoom_and_pan_survive_many_steps(page, server):
    open_page(page, server, "?date=2025-12-03&sel=actor:russia")
    page.evaluate(
        "() => Plotly.relayout(document.querySelector('#map-left .js-plotly-plot'),"
        " {'geo.projection.scale': 5.5, 'geo.center.lon': 37.5, 'geo.center.lat': 48.0})"
    )
    page.locator(".slider .dash-slider-thumb").focus()
    for key in ["ArrowLeft"] * 5 + ["ArrowRight"] * 2:
        step(page, key)
    geo = page.evaluate(
        "() => { const g = document.querySelector('#map-left .js-plotly-plot')._fullLayout.geo;"
        " return [g.projection.scale, g.center.lon, g.center.lat]; }"
    )
    assert geo == pytest.approx([5.5, 37.5, 48.0])


def test_hover_redraws_and_exports_show_the_step_colours(page, server, tmp_path: Path):
    # From Russia's latest position back to 6 Aug 2025: Donetsk to Russia, Kherson frozen.
    open_page(page, server, "?date=2025-12-03&sel=actor:russia")
    page.locator(".slider .dash-slider-thumb").focus()
    while "date=2025-08-06" not in page.url:
        step(page, "ArrowLeft")
    query = current_query(page)
    donetsk = REGION_IDS.index("donetsk")
    fills = expected_fills(server, query)
    assert fills[donetsk] == css(legend_entry("to_russia").fill)
    assert page.evaluate(FILLS) == fills
    # The hover label reads plotly's own data: the step's disposition and claim.
    text = hover_label(page, "map-left", *DONETSK)
    assert "Donetsk" in text and "To Russia, whole region" in text
    assert "Russia (Vladimir Putin), 6 Aug 2025" in text
    box = page.locator(MAP).bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    # A redraw from plotly's data (the page resized) keeps the step's colours.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_function("() => window.__redraws > 0")
    page.wait_for_timeout(300)
    assert page.evaluate(FILLS) == fills
    # A later answer that patches the figure (a second map opened) keeps them too.
    page.locator("#compare").click()
    page.get_by_role("option", name="Ukraine: latest position").click()
    page.wait_for_selector("#map-right .choroplethlocation")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(FILLS) == fills
    # The exported briefing paints Donetsk as the map does.
    page.get_by_label("SVG").check()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert "2025-08-06" in saved.name
    svg = saved.read_text(encoding="utf-8")
    traces = re.findall(r'<g class="trace choropleth">(.*?)</g>', svg, flags=re.DOTALL)
    exported = re.findall(r'<path class="choroplethlocation" fill="([^"]+)"', traces[1])
    assert exported[donetsk].replace(" ", "") == fills[donetsk].replace(" ", "")
