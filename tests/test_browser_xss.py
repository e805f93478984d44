"""Claim and proposal text is shown as text: HTML and script in it never run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run_server

SCRIPT = "<script>window.__injected = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__injected = 'img'; alert('img')\">"
PAYLOAD = f"Cede Donbas {SCRIPT} {IMAGE} <b>bold?</b>"


def _inject(geodata: Path) -> None:
    path = geodata / "claims.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for claim in data["claims"]:
        if claim["id"] == "ru-2025-08-06-cede-donbas":
            claim["summary"] = PAYLOAD
            claim["speaker"] = f"Vladimir Putin {IMAGE}"
            claim["evidence"][0]["quote"] = f"{claim['evidence'][0]['quote']} {IMAGE}"
    for proposal in data["proposals"]:
        if proposal["id"] == "ru-2025-08-06-donbas":
            proposal["summary"] = PAYLOAD
            proposal["label"] = f"Russia, 6 Aug 2025 {SCRIPT}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.browser
def test_script_in_claims_is_shown_as_text_not_run(
    page, tmp_path: Path, geodata_copy: Path, screenshot_dir: Path
):
    _inject(geodata_copy)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with run_server(tmp_path, geodata=geodata_copy, pages=(page,)) as server:
        page.goto(f"{server.url}/?date=2025-08-06&sel=proposal:ru-2025-08-06-donbas")
        page.wait_for_selector("#map-left path.choroplethlocation", state="attached")
        card = page.locator(".summary", has_text="Cede Donbas").first
        card.wait_for()
        # The literal markup is visible to the reader...
        assert SCRIPT in card.inner_text()
        assert IMAGE in card.inner_text()
        assert page.get_by_text(SCRIPT, exact=False).first.is_visible()
        # ...and none of it became an element or ran.
        assert page.locator("main script, main img[src='x'], .summary b").count() == 0
        # Hovering Donetsk shows the quote with the markup in the map's hover label, inert.
        donetsk = page.locator("#map-left g.trace.choropleth").nth(1).locator("path").nth(1)
        donetsk.scroll_into_view_if_needed()
        box = donetsk.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        label = page.locator("#map-left .hoverlayer .hovertext")
        label.wait_for()
        assert "Donetsk" in label.text_content()
        assert "<img src=x onerror=" in label.text_content()
        page.screenshot(path=str(screenshot_dir / "claims-markup-as-text.png"), full_page=True)
        assert page.evaluate("window.__injected") is None
        assert dialogs == []
        requests_to_x = [url for url in page.record.requests if url.rstrip("/").endswith("/x")]
        assert requests_to_x == []


@pytest.mark.browser
def test_side_panel_keeps_only_the_markup_it_writes(page, server):
    """Even markup that escaping missed never becomes an element in the side panel."""
    page.goto(server.url + "/")
    page.wait_for_selector("#legend .legend-list")
    hostile = (
        f"<ul class='legend-list'><li class='legend-item' data-key='x'>{IMAGE}{SCRIPT}"
        "<a href='javascript:alert(1)' onclick='alert(2)'>link</a>"
        "<span class='swatch' style='background-color: #D55E00' onmouseover='alert(3)'></span>"
        "<span class='swatch' style='background-image: url(http://example.org/x)'></span>"
        "</li></ul>"
    )
    page.evaluate("h => window.dash_clientside.set_props('legend-html', {data: h})", hostile)
    page.wait_for_function("() => document.querySelector('#legend').textContent.includes('link')")
    legend = page.locator("#legend")
    assert legend.locator("img, script, a").count() == 0
    assert legend.locator("[onclick], [onmouseover], [onerror]").count() == 0
    swatches = legend.locator(".swatch")
    assert swatches.count() == 2
    assert swatches.nth(0).get_attribute("style") == "background-color: #D55E00"
    assert swatches.nth(1).get_attribute("style") is None
    assert legend.locator("[data-key='x']").count() == 1
    assert page.evaluate("window.__injected") is None
    requests_to_x = [url for url in page.record.requests if url.rstrip("/").endswith("/x")]
    assert requests_to_x == []
