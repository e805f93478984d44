"""What the dashboard's first page loads: the geo-only plotly.js, no full bundle, no topojson,
only the dcc chunks it draws with, and one map's geometry; and the first map the index draws
before Dash runs (web/first_page.py)."""

from __future__ import annotations

import time

import plotly.offline
import pytest
from conftest import hover_label, run_server

from mapdash.regions import REGION_IDS

pytestmark = pytest.mark.browser


def test_first_page_loads_the_geo_bundle_and_nothing_plotly_does_not_need(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_load_state("networkidle")
    paths = [url.split("?")[0].removeprefix(server.url) for url in page.record.requests]
    assert "/assets/vendor/plotly-geo.min.js" in paths
    # Neither Dash's full plotly.js (4.8 MB) nor a world topojson is fetched.
    assert not [p for p in paths if p.endswith("plotly.min.js")], paths
    assert not [p for p in paths if "topojson" in p], paths
    # Nor Dash's Babel polyfill: its regenerator runtime, all Dash's scripts use of it, is
    # served on its own.
    assert not [p for p in paths if "polyfill" in p], paths
    assert "/assets/vendor/regenerator-runtime.js" in paths
    assert page.evaluate("typeof regeneratorRuntime.mark") == "function"
    # The side panel is HTML, not dcc.Markdown: neither its chunk nor highlight.js is loaded;
    # nor is the DataTable the app does not have.
    assert not [p for p in paths if "markdown" in p or "highlight" in p], paths
    assert not [p for p in paths if "dash_table" in p], paths
    # The chunks the page draws with come with its scripts, not after its layout.
    for chunk in ("async-graph", "async-slider", "async-dropdown"):
        assert page.locator(f"script[src*='/dcc/{chunk}.']").count() == 1, chunk
    info = page.evaluate(
        "() => ({version: Plotly.version, traces: Object.keys(Plotly.PlotSchema.get().traces)})"
    )
    assert info["version"] == plotly.offline.get_plotlyjs_version()
    assert sorted(info["traces"]) == ["choropleth", "scatter", "scattergeo"]
    # The six regions and the context are drawn from the app's own GeoJSON, once: the second
    # map, hidden, gets its figure when compare mode opens.
    assert page.locator("#map-left .choroplethlocation").count() > 50
    assert page.locator("#map-right .choroplethlocation").count() == 0


def test_the_plotly_bundle_arrives_compressed_as_the_same_bytes_each_time(page, server):
    import gzip
    import urllib.request

    import brotli

    from mapdash.config import PROJECT_ROOT

    requests: list = []
    page.on("request", lambda request: requests.append(request))
    page.goto(server.url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    src = page.locator("script[src*='plotly-geo.min.js']").get_attribute("src")
    assert src is not None and "?m=" in src
    # Chromium takes brotli and gets it.
    asked = next(r for r in requests if "plotly-geo.min.js" in r.url)
    assert "br" in asked.all_headers()["accept-encoding"]
    assert asked.response().all_headers()["content-encoding"] == "br"
    shipped = (PROJECT_ROOT / "assets" / "vendor" / "plotly-geo.min.js").read_bytes()
    served = b"//# allFunctionsCalledOnLoad\n" + shipped
    sizes = {}
    for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        bodies = []
        for _ in range(2):
            request = urllib.request.Request(
                server.url + src, headers={"Accept-Encoding": f"{encoding}, deflate"}
            )
            with urllib.request.urlopen(request) as response:
                assert response.headers["Content-Encoding"] == encoding
                assert "Accept-Encoding" in response.headers["Vary"]
                bodies.append(response.read())
        # Compressed once and kept: the second answer is the first one's bytes, and they
        # unpack to the bundle shipped in assets/vendor/, after V8's compile hint on its
        # first line (Chromium compiles it whole while it arrives).
        assert bodies[0] == bodies[1]
        assert unpack(bodies[0]) == served
        sizes[encoding] = len(bodies[0])
    assert sizes["gzip"] < len(shipped) / 3
    assert sizes["br"] < sizes["gzip"] * 0.93
    # A client that refuses brotli (q=0) gets gzip; one that takes neither, the text as is.
    request = urllib.request.Request(server.url + src, headers={"Accept-Encoding": "br;q=0, gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
    with urllib.request.urlopen(server.url + src) as response:
        assert response.headers.get("Content-Encoding") is None
        assert response.read() == served
    # The page's other scripts go out as they are.
    other = page.locator("script[src*='/assets/mapdash.js']").get_attribute("src")
    with urllib.request.urlopen(server.url + other) as response:
        assert response.read() == (PROJECT_ROOT / "assets" / "mapdash.js").read_bytes()


# Records, from before any page script, when each callback request leaves and which props fired
# it, and when the first map's six regions are in the page.
FIRST_DRAW_RECORDER = r"""
(() => {
  const seen = {requests: [], drawnAt: null};
  window.__first = seen;
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (url.includes('_dash-update-component')) {
      const body = JSON.parse(init.body);
      seen.requests.push(
        {at: performance.now(), changed: body.changedPropIds, output: body.output});
    }
    return original.apply(this, arguments);
  };
  new MutationObserver(() => {
    if (seen.drawnAt === null
        && document.querySelectorAll('#map-left path.choroplethlocation').length >= 6) {
      seen.drawnAt = performance.now();
    }
  }).observe(document, {subtree: true, childList: true});
})();
"""


def test_no_callback_runs_before_the_first_map_is_drawn(page, server):
    # The page's callbacks (the geodata poll, then the credits, the chart and the first
    # answer with the slider book) start once the map is drawn, so as not to compete with it.
    page.context.add_init_script(FIRST_DRAW_RECORDER)
    page.goto(server.url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function("() => window.__first.requests.length >= 2")
    first = page.evaluate("window.__first")
    assert first["drawnAt"] is not None
    assert all(r["at"] >= first["drawnAt"] for r in first["requests"]), first
    # The first poll is fired by the drawn map, not by its two-second timer.
    assert first["requests"][0]["changed"] == ["first-drawn.data"], first
    # Then the page fills in as before: the footer names the boundaries' source.
    footer = page.locator("#data-credits")
    footer.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#data-credits').textContent.startsWith('Boundaries:')"
    )
    # Without control layers there is no chart to draw, and the page holds no plot for one.
    assert page.locator("#control-chart").count() == 0
    assert page.locator(".js-plotly-plot").count() == 2


def test_an_opened_link_still_shows_its_view_after_the_first_map(page, server):
    page.goto(server.url + "/?date=2025-08-17&selection=actor:russia")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function(
        "() => document.querySelector('#map-left-title').textContent.includes('17 Aug 2025')"
    )
    assert "date=2025-08-17" in page.url


# Records, from before any page script, the first map of the index: when its six regions are
# in the page, their fills, whether Dash's page had mounted by then, whether it is the
# server's image or a plot, and in the next frame its boxes and whether it was visible; whether
# the box was ever there; and when Dash's map has its six regions.
FIRST_MAP_RECORDER = r"""
(() => {
  const seen = {firstAt: null, fills: null, dashMounted: null, boxSeen: false, dashAt: null};
  window.__firstMap = seen;
  const regions = (root) => {
    const traces = document.querySelectorAll(root + ' g.trace.choropleth');
    if (traces.length < 2) return [];
    return Array.from(traces[1].querySelectorAll('path.choroplethlocation'));
  };
  window.__regionBoxes = (root) => regions(root).map(path => path.getBoundingClientRect().toJSON());
  new MutationObserver(() => {
    if (document.getElementById('first-map')) seen.boxSeen = true;
    const first = regions('#first-map');
    if (seen.firstAt === null && first.length >= 6) {
      seen.firstAt = performance.now();
      seen.fills = first.map(path => getComputedStyle(path).fill);
      seen.dashMounted = document.getElementById('map-left') !== null;
      seen.image = document.querySelector('#first-map .first-map-image') !== null;
      seen.plot = document.querySelector('#first-map.js-plotly-plot') !== null;
      // Measured in the first frame rendered with it, the stylesheet applied.
      requestAnimationFrame(() => {
        const box = document.getElementById('first-map');
        seen.box = box.getBoundingClientRect().toJSON();
        seen.visible = box.getClientRects().length > 0 && seen.box.width > 0;
        seen.rects = window.__regionBoxes('#first-map');
      });
    }
    if (seen.dashAt === null && regions('#map-left').length >= 6) seen.dashAt = performance.now();
  }).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""
# The fills of the six regions on Dash's first map, in REGION_IDS order.
DASH_FILLS = """() => Array.from(
  document.querySelectorAll('#map-left g.trace.choropleth')[1]
    .querySelectorAll('path.choroplethlocation')
).map(path => getComputedStyle(path).fill)"""
TO_RUSSIA = "rgb(213, 94, 0)"


def _first_map_of(page, url: str) -> dict:
    """Open the first page; once Dash's map has taken over, what was seen of the first map."""
    page.context.add_init_script(FIRST_MAP_RECORDER)
    page.goto(url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function("() => !document.querySelector('#first-map')")
    return page.evaluate("window.__firstMap")


def _hands_over_to_dash(page, seen) -> None:
    """The first map was drawn before Dash's page mounted, in the colours and at the place of
    Dash's map; then it is gone, and Dash's map works as it always did."""
    # Drawn while Dash's page was not yet mounted, and in the colours Dash then draws.
    assert seen["firstAt"] is not None and seen["dashMounted"] is False, seen
    assert seen["visible"] is True, seen
    assert seen["firstAt"] < seen["dashAt"], seen
    assert seen["fills"] == page.evaluate(DASH_FILLS)
    assert seen["fills"][REGION_IDS.index("donetsk")] == TO_RUSSIA
    # Where Dash's map then is: nothing moves when one takes over from the other, neither
    # the box nor any of the six regions in it (each within a pixel of Dash's own).
    dash_box = page.locator("#map-left").bounding_box()
    assert dash_box is not None
    for key in ("x", "y", "width", "height"):
        assert abs(seen["box"][key] - dash_box[key]) < 1, (key, seen["box"], dash_box)
    dash_regions = page.evaluate("window.__regionBoxes('#map-left')")
    assert len(seen["rects"]) == len(dash_regions) == 6
    for region, first, dash in zip(REGION_IDS, seen["rects"], dash_regions, strict=True):
        for key in ("x", "y", "width", "height"):
            assert abs(first[key] - dash[key]) < 1.5, (region, key, first, dash)
    # Then it is gone with its frame, and the page holds Dash's two plots only.
    assert page.locator("#first-page").count() == 0
    assert page.locator(".js-plotly-plot").count() == 2
    # Dash's layout came with the index: the page never asked the server for it.
    assert not [url for url in page.record.requests if "_dash-layout" in url]
    # The interactive map works as before: a hover over Donetsk names it.
    page.wait_for_load_state("networkidle")
    assert "Donetsk" in hover_label(page, "map-left", 37.2, 48.3)


def test_the_first_map_comes_drawn_in_the_index_and_hands_over_to_dash(page, server):
    seen = _first_map_of(page, server.url)
    # The server's drawing: in the page as it arrived, no plot drawn in the browser for it.
    assert seen["image"] is True and seen["plot"] is False, seen
    _hands_over_to_dash(page, seen)


def test_without_an_image_the_browser_draws_the_first_map_before_dash(page, tmp_path):
    # No Chromium on the server: the image cannot be drawn, and plotly.js draws the first
    # map in the browser while Dash's scripts load, as it does before an image is drawn.
    env = {"BROWSER_PATH": str(tmp_path / "no-chromium"), "MAPDASH_CACHE_DIR": str(tmp_path)}
    with run_server(tmp_path, env=env, pages=(page,)) as server:
        folder = tmp_path / "first-map"
        deadline = time.monotonic() + 90
        while not list(folder.glob("*.failed")):
            assert time.monotonic() < deadline, "the drawing process did not report"
            time.sleep(0.5)
        # Why, in the folder, for whoever runs the server; nothing of the drawing is left.
        assert "no-chromium" in next(folder.glob("*.failed")).read_text()
        assert not list(folder.glob("*.lock")) and not list(folder.glob("*.json"))
        seen = _first_map_of(page, server.url)
        assert seen["image"] is False and seen["plot"] is True, seen
        _hands_over_to_dash(page, seen)
        # A failed drawing is not retried on every page load.
        assert len(list(folder.glob("*.log"))) == 1


def test_the_first_map_stands_on_its_own_where_it_will_be_while_dash_loads(page, server):
    # Neither Dash's renderer nor plotly.js ever arrives: what shows is the index's frame and
    # its first map, drawn on the server.
    page.route("**/dash_renderer*", lambda route: route.abort())
    page.route("**/plotly-geo.min.js*", lambda route: route.abort())
    page.goto(server.url + "/")
    page.wait_for_selector("#first-map .choropleth .choroplethlocation")
    box = page.locator("#first-map").bounding_box()
    assert box is not None and box["height"] == 600 and box["width"] > 700
    fills = page.evaluate(DASH_FILLS.replace("#map-left", "#first-map"))
    assert fills[REGION_IDS.index("donetsk")] == TO_RUSSIA
    # Its labels are the regions' names, and the picture fills the box's height.
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('#first-map text'), t => t.textContent.trim())"
    )
    assert {"Donetsk", "Crimea", "Kursk"} <= set(labels)
    image = page.locator("#first-map .first-map-image").bounding_box()
    assert image is not None and image["height"] == 600
    assert page.locator("#first-page h1").inner_text() == "Territory on the table"
    # The frame is for sight only, and Dash's "Loading..." is not shown under it.
    assert page.locator("#first-page").get_attribute("aria-hidden") == "true"
    assert not page.locator("._dash-loading").is_visible()
    # Aborting the scripts is this test's doing, and so are the errors it logs.
    page.record.console_errors.clear()


def test_an_opened_view_gets_no_early_map_and_shows_its_own(page, server):
    page.context.add_init_script(FIRST_MAP_RECORDER)
    page.goto(server.url + "/?date=2022-12-01&selection=actor:russia")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function(
        "() => document.querySelector('#map-left-title').textContent.includes('2022')"
    )
    assert page.evaluate("window.__firstMap.boxSeen") is False
    assert not [url for url in page.record.requests if "_dash-layout" in url]


def test_a_phone_gets_no_early_map(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    try:
        phone = context.new_page()
        errors: list[str] = []
        phone.on("pageerror", lambda exc: errors.append(str(exc)))
        phone.add_init_script(FIRST_MAP_RECORDER)
        phone.goto(server.url + "/")
        phone.wait_for_selector("#map-left .choropleth .choroplethlocation", state="attached")
        seen = phone.evaluate("window.__firstMap")
        # The box and its image were in the index, but never shown (the phone's page is
        # stacked in another order than the frame), and nothing was drawn in it.
        assert seen["boxSeen"] is True and seen["visible"] is False, seen
        assert seen["plot"] is False and phone.locator("#first-page").count() == 0
        assert errors == []
    finally:
        context.close()
