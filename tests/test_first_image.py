"""The first map drawn on the server (web/first_image.py): drawn once per first map by its own
process, kept in a folder, cleaned every time it is read, and carried in the index."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from mapdash.config import Paths
from mapdash.web import create_app
from mapdash.web.data import AppData
from mapdash.web.first_image import (
    FirstImageError,
    cache_dir,
    clean_svg,
    image_key,
    shown_figure,
)

IMAGE = re.compile(r'<div id="first-map" class="first-map">(<svg class="first-map-image".*?</svg>)')
#: A plotly geo SVG as kaleido writes one, cut down: the paper, the clipped geo frame, a region.
PLOTLY_SVG = """<svg class="main-svg" xmlns="http://www.w3.org/2000/svg" width="1000" height="600"
viewBox="0 0 1000 600"><rect x="0" y="0" width="1000" height="600"
style="fill: rgb(211, 225, 234); fill-opacity: 1;"/><defs id="defs-1"><g class="clips">
<clipPath id="clip1geo"><rect x="84.92335" y="-2.27e-13" width="830.15328" height="600.00001"/>
</clipPath></g></defs><g class="geolayer"><g class="geo geo" clip-path="url(#clip1geo)">
<g class="layer backplot"><g class="trace choropleth"><path class="choroplethlocation"
fill="rgb(213, 94, 0)" d="M84.92335,574.76206L93.80246,579.22449Z" style="stroke-width: 1px;"/>
</g></g>EXTRA</g></g><g class="infolayer"/></svg>"""


@pytest.fixture(scope="module")
def app_data() -> AppData:
    return AppData.load(Paths.default())


def _wait(predicate, *, timeout: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def _image(client) -> str | None:
    found = IMAGE.search(client.get("/").get_data(as_text=True))
    return found.group(1) if found else None


def test_a_plotly_svg_is_cropped_to_its_geo_frame_and_rounded() -> None:
    svg = clean_svg(PLOTLY_SVG.replace("EXTRA", ""))
    # Scales into any box the way plotly fits its geo frame: centred, aspect kept.
    assert 'viewBox="84.9 0 830.2 600"' in svg and 'preserveAspectRatio="xMidYMid meet"' in svg
    assert 'style="background: rgb(211, 225, 234)"' in svg
    assert 'd="M84.9,574.8L93.8,579.2Z"' in svg
    # The clip's id is the page's own, and so is the reference to it; empty groups are gone.
    assert '<clipPath id="first-map-clip-0">' in svg and 'clip-path="url(#first-map-clip-0)"' in svg
    assert "clip1geo" not in svg and "infolayer" not in svg and "defs-1" not in svg


@pytest.mark.parametrize(
    ("extra", "gone"),
    [
        ('<script>alert("x")</script>', "<script"),
        ('<path d="M0,0" onload="alert(1)" onclick="alert(2)"/>', "onload"),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "div"),
        ('<image href="http://198.51.100.1/x.png" width="9" height="9"/>', "198.51.100.1"),
        ('<a href="javascript:alert(1)"><path d="M0,0"/></a>', "javascript"),
        ('<path d="M0,0" style="fill: url(http://198.51.100.1/x)"/>', "198.51.100.1"),
        ('<path d="M0,0" clip-path="url(http://198.51.100.1/#x)"/>', "198.51.100.1"),
        ("<style>path { fill: red }</style>", "fill: red"),
        ('<use href="#clip1geo"/>', "<use"),
    ],
)
def test_what_is_not_a_map_is_left_out(extra: str, gone: str) -> None:
    svg = clean_svg(PLOTLY_SVG.replace("EXTRA", extra))
    assert gone not in svg
    assert 'fill="rgb(213, 94, 0)"' in svg


def test_text_stays_text() -> None:
    hostile = '<text x="1" y="2">&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</text>'
    svg = clean_svg(PLOTLY_SVG.replace("EXTRA", hostile))
    assert "&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</text>" in svg
    assert "<script" not in svg


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("not xml at all", "could not be read"),
        ("<html><body/></html>", "is a <html>, not an <svg>"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><g class="geo"/></svg>', "no geo frame"),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg>&b;</svg>',
            "could not be read",
        ),
        ("<svg>" + " " * (5 * 1024 * 1024) + "</svg>", "more than"),
    ],
)
def test_what_is_not_a_plotly_map_is_refused(text: str, says: str) -> None:
    with pytest.raises(FirstImageError, match=re.escape(says)):
        clean_svg(text)


def test_the_key_follows_what_the_first_view_shows() -> None:
    figure = {
        "data": [{"type": "choropleth", "z": [1]}, {"type": "scattergeo", "opacity": 0}],
        "layout": {"geo": {"projection": {"scale": 3.6}}},
    }
    shown = shown_figure(figure)
    assert shown["data"] == [{"type": "choropleth", "z": [1]}]

    def key(value: dict) -> str:
        return image_key(json.dumps(shown_figure(value), sort_keys=True))

    hidden_changed = json.loads(json.dumps(figure))
    hidden_changed["data"][1]["lon"] = [30]
    shown_changed = json.loads(json.dumps(figure))
    shown_changed["data"][0]["z"] = [2]
    assert key(hidden_changed) == key(figure) != key(shown_changed)


def test_the_folder_is_the_users_cache_unless_named() -> None:
    assert cache_dir({"MAPDASH_CACHE_DIR": "/srv/cache"}) == Path("/srv/cache/first-map")
    assert cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/mapdash/first-map")
    assert cache_dir({}) == Path.home() / ".cache" / "mapdash" / "first-map"


def test_the_first_map_is_drawn_once_kept_and_carried_in_the_index(app_data, tmp_path) -> None:
    folder = tmp_path / "first-map"
    client = create_app(data=app_data, first_map_images=folder).server.test_client()
    # The drawing started with the app; until it is done the index has an empty box.
    _wait(lambda: _image(client) is not None, what="the first map's image")
    svg = _image(client)
    assert svg is not None
    # The six regions in their first-view colours, with their names.
    regions = re.findall(r'<g class="trace choropleth">.*?</g>', svg, flags=re.S)[1]
    fills = re.findall(r'<path class="choroplethlocation" fill="([^"]+)"', regions)
    assert len(fills) == 6 and fills.count("rgb(213, 94, 0)") == 5
    for name in ("Crimea", "Donetsk", "Luhansk", "Kherson", "Zaporizhzhia", "Kursk"):
        assert f">{name}</text>" in svg
    # Small enough to carry in every first page.
    assert len(svg) < 120_000
    # In the folder, with nothing of the drawing left over.
    assert [p.suffix for p in folder.iterdir()] == [".svg"]
    # Another app (another worker, a restart) finds it at once: no second drawing.
    again = create_app(data=app_data, first_map_images=folder).server.test_client()
    assert _image(again) == svg
    assert [p.suffix for p in folder.iterdir()] == [".svg"]
    # A view named in the address carries no image.
    assert "first-map-image" not in client.get("/?date=2022-12-01").get_data(as_text=True)


def test_a_file_put_in_the_folder_is_cleaned_before_it_reaches_a_page(app_data, tmp_path) -> None:
    folder = tmp_path / "first-map"
    client = create_app(data=app_data, first_map_images=folder).server.test_client()
    _wait(lambda: _image(client) is not None, what="the first map's image")
    image = next(folder.glob("*.svg"))
    hostile = image.read_text().replace(
        "</svg>", '<script>alert(1)</script><path d="M0,0" onload="alert(2)"/></svg>'
    )
    image.write_text(hostile)
    fresh = create_app(data=app_data, first_map_images=folder).server.test_client()
    svg = _image(fresh)
    assert svg is not None and "<script" not in svg and "onload" not in svg
    assert 'fill="rgb(213, 94, 0)"' in svg


def test_a_drawing_under_way_elsewhere_is_not_started_again(
    app_data, tmp_path, monkeypatch
) -> None:
    # Drawings fail at once here (no browser): what counts is whether one is started.
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    probe = tmp_path / "probe"
    create_app(data=app_data, first_map_images=probe)
    _wait(lambda: list(probe.glob("*.failed")), what="the probe's drawing")
    key = next(probe.glob("*.failed")).stem
    folder = tmp_path / "first-map"
    folder.mkdir()
    # Another worker holds the lock of this key: this one waits for its image.
    (folder / f"{key}.lock").write_text("")
    client = create_app(data=app_data, first_map_images=folder).server.test_client()
    assert _image(client) is None
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.lock"]
    # A lock left by a process that died long ago is taken over: a drawing starts.
    old = time.time() - 3600
    os.utime(folder / f"{key}.lock", (old, old))
    assert _image(client) is None
    _wait(lambda: (folder / f"{key}.failed").exists(), what="the drawing after a stale lock")
    assert not (folder / f"{key}.lock").exists()


def test_without_chromium_the_page_draws_its_own_map_and_is_not_retried(
    app_data, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    folder = tmp_path / "first-map"
    client = create_app(data=app_data, first_map_images=folder).server.test_client()
    _wait(lambda: list(folder.glob("*.failed")), what="the failed drawing's report")
    report = next(folder.glob("*.failed")).read_text()
    assert "no-chromium" in report and "BROWSER_PATH" in report
    index = client.get("/").get_data(as_text=True)
    # The page has its empty box: first-map.js draws the map there with plotly.js.
    assert '<div id="first-map" class="first-map"></div>' in index
    # Not retried on every page load: no new drawing process, no new lock.
    for _ in range(3):
        client.get("/")
    assert not list(folder.glob("*.lock")) and not list(folder.glob("*.json"))


def test_a_folder_that_cannot_be_made_falls_back_to_the_temporary_one(
    app_data, tmp_path, monkeypatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    create_app(data=app_data, first_map_images=blocked / "first-map")
    fallback = tmp_path / "tmp" / f"mapdash-{os.getuid()}" / "first-map"
    _wait(lambda: list(fallback.glob("*.failed")), what="the drawing in the fallback folder")


def _region_fills(svg: str) -> list[str]:
    """The six regions' fills in an image, in REGION_IDS order (the second choropleth)."""
    regions = re.findall(r'<g class="trace choropleth">.*?</g>', svg, flags=re.S)[1]
    return re.findall(r'<path class="choroplethlocation" fill="([^"]+)"', regions)


def test_after_a_change_of_the_claims_no_page_carries_the_old_image(geodata_copy, tmp_path) -> None:
    import copy
    import shutil

    import yaml

    from mapdash.config import PROJECT_ROOT
    from mapdash.regions import REGION_IDS

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    folder = tmp_path / "first-map"
    app = create_app(paths=Paths(geodata=geodata_copy, seeds=seeds), first_map_images=folder)
    client = app.server.test_client()
    _wait(lambda: _image(client) is not None, what="the first map's image")
    before = _image(client)
    assert before is not None
    kursk = REGION_IDS.index("kursk")
    assert _region_fills(before)[kursk] == "rgb(255, 255, 255)"
    # An editor's edit on disk: Russia offers Kursk in an exchange, on the last event's date.
    path = geodata_copy / "claims.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    claim = copy.deepcopy(next(c for c in data["claims"] if c["id"] == "ru-2025-12-02-donbas-100"))
    claim.update(
        id="ru-2025-12-03-kursk",
        date="2025-12-03",
        regions={"kursk": "exchange"},
        summary="Kursk offered in an exchange, written in by hand.",
    )
    data["claims"].append(claim)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    # Every first page from then on has the new claims, and the old image never: first an
    # empty box (the browser draws the map), then the new image, Kursk in its new colour.
    deadline = time.monotonic() + 120
    while True:
        index = client.get("/").get_data(as_text=True)
        found = IMAGE.search(index)
        if "Kursk offered in an exchange, written in by hand." in index:
            assert found is None or found.group(1) != before
            if found is not None:
                break
        assert time.monotonic() < deadline, "no image for the new claims"
        time.sleep(0.25)
    after = _region_fills(found.group(1))
    assert after[kursk] != "rgb(255, 255, 255)"
    assert after[:kursk] == _region_fills(before)[:kursk]
