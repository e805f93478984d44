"""What the map says at a date, in headless Chromium: notices, the slider's reach, km2 on the
ground, history on first load, and unreviewed claims marked as such."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
import shapely
from conftest import ROOT, run_server

from mapdash.control import occupied, read_control
from mapdash.geodata import load_regions
from mapdash.store import install

pytestmark = pytest.mark.browser

PIL_Image = pytest.importorskip("PIL.Image")

LAYER_DATE = dt.date(2026, 8, 22)
PROJECT = """([mapId, points]) => {
  const gd = document.querySelector('#' + mapId + ' .js-plotly-plot');
  const geo = gd._fullLayout.geo._subplot;
  return points.map(p => geo.projection(p));
}"""


def open_view(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#map-left .choropleth .choroplethlocation")
    page.wait_for_function("() => document.querySelector('#as-of').textContent.length > 0")
    page.wait_for_function("() => document.querySelector('#region-table table') !== null")
    page.wait_for_timeout(400)


@pytest.fixture(scope="module")
def layered(tmp_path_factory):
    """A server whose geodata hold a control layer dated after the last claim, and a claim
    that is machine-extracted (not yet reviewed)."""
    tmp = tmp_path_factory.mktemp("layered")
    geodata = tmp / "geodata"
    shutil.copytree(ROOT / "geodata", geodata, ignore=shutil.ignore_patterns("history"))
    claims = geodata / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    head, sep, rest = text.partition("- id: ru-2025-12-02-donbas-100\n")
    assert sep, "the claims file has the December Donbas demand"
    rest = rest.replace("  status: reviewed\n", "  status: extracted\n", 1)
    claims.write_text(head + sep + rest, encoding="utf-8")
    source = Path(__file__).parent / "data" / "geojson" / "control" / "frontline.geojson"
    install(source, kind="control", date=LAYER_DATE, geodata_dir=geodata)
    with run_server(tmp, geodata=geodata) as server:
        yield server


def test_a_plan_picked_before_its_date_says_it_was_not_yet_proposed(page, server, screenshot_dir):
    open_view(page, server.url + "/?date=2025-11-15&sel=proposal:us-2025-11-28-points")
    notice = page.locator("#map-left .annotation-text")
    assert notice.text_content() == (
        "Not yet proposed: first reported Nov 2025, on the map from 30 Nov 2025"
    )
    page.screenshot(path=str(screenshot_dir / "timeline-not-yet-proposed.png"))
    # One slider step later the plan is on the table and the notice is gone (painted in the
    # browser from the slider book).
    page.locator(".slider .dash-slider-thumb").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '30 Nov 2025'")
    page.wait_for_function("() => !document.querySelector('#map-left .annotation-text')")


def test_back_from_the_freshly_opened_app_leaves_it(page, server):
    page.goto(server.url + "/healthz")
    before = page.evaluate("() => history.length")
    open_view(page, server.url + "/")
    # The first view's query replaced the opened address instead of adding an entry.
    assert page.url == server.url + "/?date=2025-12-03&sel=actor:russia"
    assert page.evaluate("() => history.length") == before + 1
    page.go_back()
    page.wait_for_url(server.url + "/healthz")
    assert "status" in page.locator("body").inner_text()


def test_the_slider_reaches_a_newer_installed_control_layer(page, layered, screenshot_dir):
    open_view(page, layered.url + "/")
    # The default view is the newest event: the layer's date, after the last claim.
    assert page.locator("#as-of").text_content() == "22 Aug 2026"
    mark = page.locator(".slider .dash-slider-mark").last
    assert mark.text_content().strip() == "▲ 22 Aug 2026"
    assert (
        page.evaluate("e => getComputedStyle(e).color", mark.element_handle()) == "rgb(122, 0, 25)"
    )
    thumb = page.locator(".slider .dash-slider-thumb")
    thumb.focus()
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '31 Oct 2022'")
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('#as-of').textContent === '22 Aug 2026'")
    assert "date=2026-08-22" in page.url
    assert thumb.get_attribute("aria-valuetext") == "▲ 22 Aug 2026"
    page.wait_for_function(
        "() => document.querySelector('#legend-control').textContent.includes('22 Aug 2026')"
    )
    page.screenshot(path=str(screenshot_dir / "timeline-layer-2026-08-22.png"), full_page=True)


def test_with_a_control_layer_the_region_table_gives_measured_km2_and_their_total(page, layered):
    open_view(page, layered.url + "/?date=2026-08-22&sel=actor:russia")
    layer = read_control(layered.geodata / "control" / f"control_{LAYER_DATE}.geojson")
    measured = {m.region: m for m in occupied(load_regions(resolution="full"), layer.geometry)}
    expected = {
        rid: round(measured[rid].area_km2 - measured[rid].occupied_km2)
        for rid in ("crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia")
    }
    table = page.locator("#region-table")
    for rid, km2 in expected.items():
        cell = table.locator(f"tr[data-region='{rid}'] td.ground")
        assert cell.get_attribute("data-basis") == "layer"
        assert cell.inner_text() == (
            f"{km2:,} km2 Ukraine holds would pass to Russia (measured, control layer of "
            f"22 Aug 2026 (control_2026-08-22.geojson))"
        )
    total = sum(measured[rid].area_km2 - measured[rid].occupied_km2 for rid in expected)
    assert table.locator("tfoot").inner_text() == (
        f"Total\t{total:,.0f} km2 to Russia, 0 km2 to Ukraine (measured on the control layer of "
        "22 Aug 2026 (control_2026-08-22.geojson))."
    )
    # The same figures in the API.
    api = page.request.get(layered.url + "/api/state?date=2026-08-22&selection=actor:russia")
    ground = api.json()["on_the_ground"]
    assert ground["basis"] == "layer" and ground["layer_date"] == "2026-08-22"
    assert ground["to_russia_km2"] == pytest.approx(total, abs=0.1)


def _dark_share(page, image, points) -> float:
    """Share of boundary points with a near-black pixel within 2 px (the dotted outline)."""
    pixels = page.evaluate(PROJECT, ["map-left", [list(p) for p in points]])
    hits = 0
    for x, y in pixels:
        near = [
            image.getpixel((int(round(x)) + dx, int(round(y)) + dy))
            for dx in range(-2, 3)
            for dy in range(-2, 3)
        ]
        hits += any(max(p) < 35 for p in near)
    return hits / len(pixels)


def test_an_unreviewed_claim_is_marked_on_the_map_and_in_its_card(page, layered, screenshot_dir):
    open_view(page, layered.url + "/?date=2025-12-03&sel=actor:russia")
    png = page.locator("#map-left .js-plotly-plot").screenshot()
    image = PIL_Image.open(io.BytesIO(png)).convert("RGB")
    regions = load_regions()

    def outline(rid: str) -> list[tuple[float, float]]:
        ring = shapely.get_exterior_ring(
            max(shapely.get_parts(regions.geometry[rid]), key=lambda g: g.area)
        )
        return [
            (p.x, p.y)
            for p in (ring.interpolate(f, normalized=True) for f in [i / 80 for i in range(80)])
        ]

    # Donetsk is decided by the unreviewed December demand: dotted black outline; Kherson,
    # decided by a reviewed claim, keeps the plain grey border.
    assert _dark_share(page, image, outline("donetsk")) > 0.6
    assert _dark_share(page, image, outline("kherson")) < 0.1
    page.screenshot(path=str(screenshot_dir / "timeline-unreviewed.png"), full_page=True)
    card = page.locator("#on-the-table article[data-claims='ru-2025-12-02-donbas-100']")
    assert "unreviewed" in card.get_attribute("class").split()
    assert card.get_attribute("data-status") == "extracted"
    assert "Unreviewed: machine-extracted claim, not yet checked by a person" in card.inner_text()
    assert re.search(
        r"dotted",
        page.eval_on_selector(
            "#on-the-table article.unreviewed", "e => getComputedStyle(e).borderTopStyle"
        ),
    )
    legend = page.locator("#legend").inner_text()
    assert "Dotted black outline: the claim deciding the region is machine-extracted" in legend
    row = page.locator("#region-table tr[data-region='donetsk'] .decided").inner_text()
    assert row.endswith("Unreviewed")
    state = page.request.get(layered.url + "/api/state?date=2025-12-03&selection=actor:russia")
    donetsk = next(r for r in state.json()["regions"] if r["id"] == "donetsk")
    assert (donetsk["claim_status"], donetsk["unreviewed"]) == ("extracted", True)
    # Hovering the region says so too.
    [(x, y)] = page.evaluate(PROJECT, ["map-left", [[37.6, 48.0]]])
    box = page.locator("#map-left .js-plotly-plot").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    label = page.locator("#map-left .hoverlayer .hovertext")
    label.wait_for()
    assert "Unreviewed: machine-extracted claim" in label.text_content()
