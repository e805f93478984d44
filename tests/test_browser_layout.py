"""The page on every screen: a phone, a laptop and a desktop, measured in headless Chromium."""

from __future__ import annotations

import itertools

import pytest
from conftest import PageRecord

from mapdash.web import ids

SCREENS = {"phone": (390, 844), "laptop": (1280, 800), "desktop": (1600, 1000)}
COMPARE = "/?date=2025-08-10&sel=actor:russia&compare=actor:united_states"


def _open(browser, server, size, *, path="/", touch=False):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=touch, bypass_csp=True
    )
    page = context.new_page()
    record = PageRecord()
    page.on("request", lambda req: record.requests.append(req.url))
    page.on(
        "console",
        lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: record.console_errors.append(str(exc)))
    page.goto(server.url + path)
    page.wait_for_selector(f"#{ids.MAP_LEFT} .choroplethlocation", state="attached")
    # The maps have taken the view for their width (assets/responsive.js).
    page.wait_for_selector(f"#{ids.MAP_LEFT} .js-plotly-plot[data-mapdash-view]")
    page.wait_for_timeout(400)
    return context, page, record


def _boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => e.getClientRects().length && getComputedStyle(e).visibility
                 !== 'hidden').map(e => { const r = e.getBoundingClientRect();
                 return {x: r.x, y: r.y, w: r.width, h: r.height,
                         text: (e.textContent || '').trim()}; })""",
    )


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for a, b in itertools.combinations(boxes, 2):
        if (
            a["w"] > 0
            and b["w"] > 0
            and a["x"] + 1 < b["x"] + b["w"]
            and b["x"] + 1 < a["x"] + a["w"]
            and a["y"] + 1 < b["y"] + b["h"]
            and b["y"] + 1 < a["y"] + a["h"]
        ):
            found.append((a["text"], b["text"]))
    return found


def _finish(context, record) -> None:
    context.close()
    assert record.external_requests() == [], "requests left 127.0.0.1"
    assert record.console_errors == [], "browser console errors"


@pytest.mark.browser
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_page_fits_the_screen_without_overlapping_text(browser, server, screen, screenshot_dir):
    size = SCREENS[screen]
    context, page, record = _open(browser, server, size)
    width = page.evaluate("window.innerWidth")
    assert width == size[0]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    graph = page.locator(f"#{ids.MAP_LEFT}").bounding_box()
    regions = _boxes(page, f"#{ids.MAP_LEFT} .choroplethlayer .trace:nth-child(2) path")
    left = min(b["x"] for b in regions)
    right = max(b["x"] + b["w"] for b in regions)
    if screen == "phone":
        assert graph["width"] >= 0.9 * width, graph
        # ... and the six regions fill the map's width, not a third of it.
        assert right - left >= 0.7 * graph["width"], (left, right, graph)
    else:
        assert graph["width"] >= 0.45 * width, graph
    # The regions are in view: inside the graph, all of them.
    assert graph["x"] - 1 <= left and right <= graph["x"] + graph["width"] + 1
    for name, selector in {
        "legend entries": ".legend-item",
        "map labels": f"#{ids.MAP_LEFT} .scattergeo text",
        "slider marks": ".timeline .dash-slider-mark",
        "selection buttons": "button.option",
    }.items():
        boxes = _boxes(page, selector)
        assert boxes, name
        assert _overlaps(boxes) == [], f"{name} overlap on the {screen}"
    page.screenshot(path=str(screenshot_dir / f"layout-{screen}.png"), full_page=True)
    _finish(context, record)


@pytest.mark.browser
def test_compare_maps_stack_on_a_phone_and_sit_side_by_side_on_a_desktop(
    browser, server, screenshot_dir
):
    for screen in ("phone", "desktop"):
        context, page, record = _open(browser, server, SCREENS[screen], path=COMPARE)
        page.wait_for_selector(f"#{ids.MAP_RIGHT} .js-plotly-plot[data-mapdash-view]")
        left = page.locator(f"#{ids.MAP_LEFT}").bounding_box()
        right = page.locator(f"#{ids.MAP_RIGHT}").bounding_box()
        if screen == "phone":
            assert right["y"] >= left["y"] + left["height"] - 1, "stacked"
            assert right["width"] >= 0.9 * SCREENS["phone"][0]
        else:
            assert right["x"] >= left["x"] + left["width"] - 1, "side by side"
            assert abs(right["y"] - left["y"]) < 2
        assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen][0]
        page.screenshot(path=str(screenshot_dir / f"layout-compare-{screen}.png"))
        _finish(context, record)


@pytest.mark.browser
def test_the_slider_steps_by_touch_on_a_phone(browser, server):
    context, page, record = _open(browser, server, SCREENS["phone"], touch=True)
    thumb = page.locator(".dash-slider-thumb").first
    box = thumb.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, "a thumb a finger can hold"
    before = page.locator(f"#{ids.AS_OF}").inner_text()
    track = page.locator(".timeline .slider").bounding_box()
    # A tap near the start of the track (inside the slider's side padding) moves to an early
    # event.
    page.touchscreen.tap(track["x"] + 44, box["y"] + box["height"] / 2)
    page.wait_for_function(
        f"document.getElementById('{ids.AS_OF}').innerText !== {before!r}", timeout=15_000
    )
    assert page.locator(f"#{ids.AS_OF}").inner_text() != before
    _finish(context, record)


@pytest.mark.browser
def test_compare_dropdown_shows_most_options_and_cancel_looks_disabled(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector(f"#{ids.MAP_LEFT} .choroplethlocation", state="attached")
    page.locator(f"#{ids.COMPARE_DATE}").click()
    options = page.locator(".dash-dropdown-option")
    options.first.wait_for()
    heights = [options.nth(i).bounding_box()["height"] for i in range(3)]
    assert max(heights) < 40, heights
    visible = page.evaluate(
        """() => { const list = document.querySelector('.dash-dropdown-options');
                   const box = list.getBoundingClientRect();
                   return [...document.querySelectorAll('.dash-dropdown-option')].filter(o => {
                     const r = o.getBoundingClientRect();
                     return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; }).length; }"""
    )
    assert visible >= 8, visible
    page.keyboard.press("Escape")
    cancel = page.locator(f"#{ids.BATCH_CANCEL}")
    assert cancel.is_disabled()
    style = cancel.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).cursor]")
    assert style == ["rgb(138, 138, 138)", "not-allowed"]
