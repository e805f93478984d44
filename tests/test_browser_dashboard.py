"""The dashboard in headless Chromium against a real ``mapdash serve``: what a person sees."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import numpy as np
import pytest
import shapely
from conftest import hover_label

from mapdash.figures import OTHER_LAND, SEA, UKRAINE_LAND
from mapdash.geodata import load_regions
from mapdash.legend import LEGEND, legend_entry
from mapdash.regions import REGION_IDS

pytestmark = pytest.mark.browser

PIL_Image = pytest.importorskip("PIL.Image")

# Pixel position of lon/lat points inside a map's plot, from plotly's own projection.
PROJECT = """([mapId, points]) => {
  const gd = document.querySelector('#' + mapId + ' .js-plotly-plot');
  const geo = gd._fullLayout.geo._subplot;
  return points.map(p => geo.projection(p));
}"""
# Points outside the six regions: Kyiv oblast (Ukraine), Belarus, the Black Sea.
OUTSIDE = {"ukraine": (30.6, 50.6), "belarus": (27.5, 53.2), "sea": (32.5, 43.9)}


def hex_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def css_rgb(value: str) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in re.findall(r"\d+", value)[:3])
    return (r, g, b)


def close(a, b, tol: int = 6) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def samples() -> dict[str, list[tuple[float, float]]]:
    """About thirty lon/lat points well inside each region (labels cover only a few)."""
    regions = load_regions()
    out = {}
    for rid in REGION_IDS:
        inner = shapely.buffer(regions.geometry[rid], -0.08)
        minx, miny, maxx, maxy = inner.bounds
        xs, ys = np.meshgrid(np.linspace(minx, maxx, 12), np.linspace(miny, maxy, 12))
        points = shapely.points(xs.ravel(), ys.ravel())
        inside = points[shapely.contains(inner, points)]
        out[rid] = [(p.x, p.y) for p in inside]
    return out


def open_view(page, server, query: str = "") -> None:
    page.goto(server.url + "/" + query)
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    # The URL's view is patched in by the first callbacks; wait until it shows.
    page.wait_for_function("() => document.querySelector('#as-of').textContent.length > 0")
    page.wait_for_timeout(400)


def map_image(page, map_id: str):
    png = page.locator(f"#{map_id} .js-plotly-plot").screenshot()
    return PIL_Image.open(io.BytesIO(png)).convert("RGB")


def colours_at(page, map_id: str, points) -> list[tuple[int, int, int]]:
    image = map_image(page, map_id)
    pixels = page.evaluate(PROJECT, [map_id, [list(p) for p in points]])
    return [image.getpixel((int(round(x)), int(round(y)))) for x, y in pixels]


def region_colour(page, map_id: str, points) -> tuple[int, int, int]:
    """The colour most of a region's interior is painted in."""
    return Counter(colours_at(page, map_id, points)).most_common(1)[0][0]


def legend_colour(page, key: str) -> tuple[int, int, int]:
    """The swatch colour the HTML legend shows for a disposition."""
    value = page.eval_on_selector(
        f"#legend [data-key='{key}'] .swatch", "e => getComputedStyle(e).backgroundColor"
    )
    return css_rgb(value)


def wait_for_colour(page, map_id, points, expected, timeout_ms=8000):
    deadline = timeout_ms
    colour = None
    while deadline > 0:
        colour = region_colour(page, map_id, points)
        if close(colour, expected):
            return colour
        page.wait_for_timeout(250)
        deadline -= 250
    raise AssertionError(f"region colour {colour}, expected {expected}")


# -- first page ----------------------------------------------------------------------------------


def test_page_offline_and_every_region_drawn_as_itself(page, server, samples, screenshot_dir):
    open_view(page, server, "?date=2025-08-10&sel=proposal:ru-2025-08-06-donbas")
    expected = {
        "crimea": "recognized_russian",
        "donetsk": "to_russia",
        "luhansk": "to_russia",
        "kherson": "frozen",
        "zaporizhzhia": "frozen",
        "kursk": "not_mentioned",
    }
    for rid, key in expected.items():
        colour = region_colour(page, "map-left", samples[rid])
        assert close(colour, hex_rgb(legend_entry(None if key == "not_mentioned" else key).fill)), (
            rid,
            colour,
        )
    # A region drawn as its complement would paint these in a region colour.
    outside = dict(zip(OUTSIDE, colours_at(page, "map-left", OUTSIDE.values()), strict=True))
    assert close(outside["ukraine"], hex_rgb(UKRAINE_LAND)), outside
    assert close(outside["belarus"], hex_rgb(OTHER_LAND)), outside
    assert close(outside["sea"], hex_rgb(SEA)), outside
    # Plotly's world topojson comes from assets/geo-blank.js, never from a CDN (nor the server).
    assert [u for u in page.record.requests if "topojson" in u] == []
    page.screenshot(path=str(screenshot_dir / "dashboard-russia-2025-08-10.png"))
    page.screenshot(path=str(screenshot_dir / "dashboard-full-page.png"), full_page=True)


def test_slider_by_keyboard_to_alaska_week_turns_donetsk_to_russia(page, server, samples):
    # "Nov 2024", reported in February 2025: on the map from the end of November.
    open_view(page, server, "?date=2024-11-30&sel=actor:russia")
    donetsk = samples["donetsk"]
    # The URL's date is painted after the first callbacks; on a busy machine that takes a while.
    wait_for_colour(page, "map-left", donetsk, hex_rgb(legend_entry("frozen").fill))
    thumb = page.locator(".slider .dash-slider-thumb")
    thumb.focus()
    for _ in range(20):
        if page.locator("#as-of").text_content() == "17 Aug 2025":
            break
        before = page.locator("#as-of").text_content()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "b => document.querySelector('#as-of').textContent !== b", arg=before
        )
    assert page.locator("#as-of").text_content() == "17 Aug 2025"
    assert "date=2025-08-17" in page.url
    assert thumb.get_attribute("aria-valuetext") == "17 Aug"
    to_russia = legend_colour(page, "to_russia")
    assert to_russia == hex_rgb(legend_entry("to_russia").fill)
    wait_for_colour(page, "map-left", donetsk, to_russia)
    # The claim deciding the map comes first, its quote open.
    cards = page.locator("#on-the-table").inner_text()
    assert cards.startswith("Russia, according to Steve Witkoff\n17 Aug 2025")
    assert "the Russians have previously said they wanted it at the administrative lines" in cards


def test_slider_moves_send_no_geometry_and_keep_the_zoom(page, server):
    open_view(page, server, "?date=2025-02-17&sel=actor:russia")
    page.evaluate(
        "() => Plotly.relayout(document.querySelector('#map-left .js-plotly-plot'),"
        " {'geo.projection.scale': 5.5})"
    )
    bodies: list[bytes] = []
    page.on(
        "response",
        lambda r: bodies.append(r.body()) if "_dash-update-component" in r.url else None,
    )
    page.locator(".slider .dash-slider-thumb").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '18 Feb 2025'")
    page.wait_for_timeout(500)
    assert bodies, "the slider move reached the server"
    assert all(b"coordinates" not in body for body in bodies)
    assert max(len(body) for body in bodies) < 60_000
    scale = page.evaluate(
        "() => document.querySelector('#map-left .js-plotly-plot')._fullLayout.geo.projection.scale"
    )
    assert scale == pytest.approx(5.5)


# -- shareable state -----------------------------------------------------------------------------


def test_url_with_date_and_selection_opens_that_state(page, server, samples):
    open_view(page, server, "?date=2025-05-15&sel=proposal:us-2025-04")
    assert page.locator("#as-of").text_content() == "15 May 2025"
    assert page.locator("#map-left-title").text_content().startswith("United States, Apr 2025")
    pressed = page.locator("#selection button[aria-pressed='true']")
    assert pressed.count() == 1
    assert pressed.text_content().startswith("United States, Apr 2025")
    frozen = legend_colour(page, "frozen")
    assert close(region_colour(page, "map-left", samples["donetsk"]), frozen)
    assert close(
        region_colour(page, "map-left", samples["crimea"]),
        legend_colour(page, "recognized_russian"),
    )


def test_back_and_forward_buttons_restore_the_view(page, server):
    open_view(page, server, "?date=2025-08-09&sel=actor:russia")
    page.locator("#next-event").click()
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '17 Aug 2025'")
    assert "date=2025-08-17" in page.url
    page.go_back()
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '9 Aug 2025'")
    assert "date=2025-08-09" in page.url
    page.go_forward()
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '17 Aug 2025'")


def test_compare_mode_shows_both_maps(page, server, samples, screenshot_dir):
    open_view(page, server, "?date=2025-08-10&sel=actor:russia&compare=proposal:us-2025-04")
    page.wait_for_selector("#maps.compare")
    assert page.locator("#map-right").is_visible() and page.locator("#map-left").is_visible()
    page.wait_for_selector("#map-right .choropleth .choroplethlocation")
    page.wait_for_timeout(500)
    assert close(
        region_colour(page, "map-left", samples["donetsk"]),
        legend_colour(page, "recognized_russian"),
    )
    wait_for_colour(page, "map-right", samples["donetsk"], legend_colour(page, "frozen"))
    assert page.locator("#differences").text_content() == (
        "Outlined in bold, where the two differ: Donetsk, Luhansk, Kherson, Zaporizhzhia."
    )
    page.screenshot(path=str(screenshot_dir / "dashboard-compare.png"))


def test_compare_picked_from_the_dropdown(page, server):
    open_view(page, server, "?date=2025-08-10&sel=actor:russia")
    assert not page.locator("#map-right").is_visible()
    # The dropdowns say which field they are, then their value, to a screen reader.
    assert (
        page.get_by_role("button", name="Second map shows No comparison", exact=True).count() == 1
    )
    assert page.get_by_role("button", name="at the date Same date", exact=True).count() == 1
    page.locator("#compare").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("option", name="United States, Apr 2025: freeze at the front line").click()
    page.wait_for_selector("#maps.compare")
    assert "compare=proposal:us-2025-04" in page.url


def test_shared_compare_link_with_a_second_date_between_events(page, server):
    # 15 Apr 2025 is no event date: the link must still open both maps, at that date.
    query = "?date=2025-08-17&sel=actor:united_states&date2=2025-04-15"
    open_view(page, server, query)
    page.wait_for_selector("#maps.compare")
    assert page.locator("#map-right").is_visible()
    assert page.locator("#map-right-title").text_content().endswith("as of 15 Apr 2025")
    assert "date2=2025-04-15" in page.url
    assert "15 Apr 2025 (from the link)" in page.locator("#compare-date").inner_text()
    # The slider still moves the first map while the second stays at its date.
    page.locator(".slider .dash-slider-thumb").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('date=2025-11-30')")
    assert "date2=2025-04-15" in page.url
    assert page.locator("#map-right-title").text_content().endswith("as of 15 Apr 2025")


# -- keyboard and accessibility ------------------------------------------------------------------


def test_selector_and_play_work_from_the_keyboard(page, server):
    open_view(page, server, "?date=2025-08-10&sel=actor:russia")
    page.get_by_role("button", name="Russia", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "United States"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#map-left-title').textContent.startsWith('United States')"
    )
    assert "sel=actor:united_states" in page.url
    play = page.locator("#play")
    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#play').getAttribute('aria-pressed') === 'true'"
    )
    page.wait_for_function(
        "() => document.querySelector('#as-of').textContent === '17 Aug 2025'", timeout=6000
    )
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('#play').getAttribute('aria-pressed') === 'false'"
    )
    stopped = page.locator("#as-of").text_content()
    page.wait_for_timeout(2200)
    assert page.locator("#as-of").text_content() == stopped
    page.locator("#previous-event").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("s => document.querySelector('#as-of').textContent !== s", arg=stopped)


def test_axe_finds_no_serious_or_critical_violations(page, server):
    from axe_playwright_python.sync_playwright import Axe

    open_view(page, server, "?date=2025-08-10&sel=actor:russia&compare=proposal:us-2025-04")
    results = Axe().run(page)
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_hover_shows_the_claim_behind_a_region(page, server, samples, screenshot_dir):
    open_view(page, server, "?date=2025-08-06&sel=actor:russia")
    text = hover_label(page, "map-left", *samples["donetsk"][3])
    assert "Donetsk" in text and "To Russia, whole region" in text
    assert "Russia (Vladimir Putin), 6 Aug 2025" in text
    page.screenshot(path=str(screenshot_dir / "dashboard-hover.png"))
    assert LEGEND  # the legend the tooltip's wording comes from


def test_slider_step_is_painted_in_the_browser_in_one_round_trip(page, server, samples):
    open_view(page, server, "?date=2025-04-30&sel=actor:russia")
    requests: list[tuple[list[str], dict]] = []

    def record(response):
        if "_dash-update-component" in response.url:
            changed = json.loads(response.request.post_data or "{}").get("changedPropIds", [])
            requests.append((changed, response.json()))

    page.on("response", record)
    kherson = samples["kherson"]
    assert close(region_colour(page, "map-left", kherson), hex_rgb(legend_entry("to_russia").fill))
    page.locator(".slider .dash-slider-thumb").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '6 Aug 2025'")
    wait_for_colour(page, "map-left", kherson, hex_rgb(legend_entry("frozen").fill))
    page.wait_for_timeout(800)
    steps = [body for changed, body in requests if "date-slider.value" in changed]
    assert len(steps) == 1, requests
    # The colours came from the slider book the page holds; the server sent no map.
    assert "map-left" not in steps[0]["response"]
    assert "on-the-table-html" in steps[0]["response"]
    # The URL's echo of the new query is not sent back to the server.
    assert not [changed for changed, _ in requests if "url.search" in changed]
    assert "date=2025-08-06" in page.url
