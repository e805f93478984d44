"""What the dashboard's first page loads: the geo-only plotly.js, no full bundle, no topojson,
only the dcc chunks it draws with, and one map's geometry."""

from __future__ import annotations

import plotly.offline
import pytest

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


def test_the_plotly_bundle_arrives_gzipped_as_the_same_bytes_each_time(page, server):
    import gzip
    import urllib.request

    from mapdash.config import PROJECT_ROOT

    page.goto(server.url + "/")
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    src = page.locator("script[src*='plotly-geo.min.js']").get_attribute("src")
    assert src is not None and "?m=" in src
    shipped = (PROJECT_ROOT / "assets" / "vendor" / "plotly-geo.min.js").read_bytes()
    bodies = []
    for _ in range(2):
        request = urllib.request.Request(server.url + src, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in response.headers["Vary"]
            bodies.append(response.read())
    # Compressed once and kept: the second answer is the first one's bytes, and they unpack to
    # the bundle shipped in assets/vendor/, at under a third of its size.
    assert bodies[0] == bodies[1]
    assert gzip.decompress(bodies[0]) == shipped
    assert len(bodies[0]) < len(shipped) / 3
    # A client that takes no gzip gets the file as it is.
    with urllib.request.urlopen(server.url + src) as response:
        assert response.headers.get("Content-Encoding") is None
        assert response.read() == shipped


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
