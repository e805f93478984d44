"""Installing geodata: validated first, atomic, lossless, serialised; live in a running app."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import dash
import pytest
import shapely

from mapdash import control, geodata, store
from mapdash.cli import main
from mapdash.errors import GeodataError
from mapdash.regions import REGION_IDS
from mapdash.web import swap
from mapdash.web.live import LiveGeodata


@pytest.fixture(scope="session")
def layers(data_dir):
    return data_dir / "geojson" / "control"


@pytest.fixture(scope="session")
def schemas(data_dir):
    return data_dir / "geojson"


def _snapshot_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != store.LOCK_FILE
    }


def _data_url(content: bytes) -> str:
    return "data:application/geo+json;base64," + base64.b64encode(content).decode()


# -- control layers ---------------------------------------------------------------------------


def test_install_control_writes_the_dated_file_and_keeps_the_previous_one(geodata_copy, layers):
    first = store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    live = geodata_copy / "control" / "control_2025-08-15.geojson"
    assert first.kind == "control"
    assert first.layer == "control_2025-08-15"
    assert first.live == (live,)
    assert first.replaced is None
    installed = control.read_control(live)
    assert installed.date == dt.date(2025, 8, 15)
    assert json.loads(live.read_text())["features"][0]["properties"] == {
        "date": "2025-08-15",
        "source_file": "control_2025-08-15.geojson",
    }
    old = live.read_bytes()

    # The same date again, from a file that carries it in a property: replaces, old kept.
    second = store.install(
        layers / "frontline_export.geojson", geodata_dir=geodata_copy, date=dt.date(2025, 8, 15)
    )
    assert second.replaced == first.version
    kept = geodata_copy / "versions" / "control_2025-08-15" / first.version / live.name
    assert kept.read_bytes() == old
    assert live.read_bytes() != old
    assert not list((geodata_copy / "control").glob(".tmp-*"))


def test_installing_identical_content_keeps_no_duplicate(geodata_copy, layers):
    first = store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    again = store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    assert again.unchanged
    assert again.version == first.version
    assert "identical to the live version" in again.describe()[1]
    assert len(list((geodata_copy / "versions" / "control_2025-08-15").iterdir())) == 1
    assert len(geodata.read_audit(geodata_copy)) == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("frontline.geojson", "frontline.geojson: no date for this control layer"),
        ("two_dates.geojson", "the features name 2 different dates"),
        ("control_2025-08-15_swapped.geojson", "lies outside Ukraine and Kursk"),
        ("control_2025-08-15_points.geojson", "no usable Polygon or MultiPolygon feature"),
    ],
)
def test_an_unusable_control_layer_changes_nothing(geodata_copy, layers, name, message):
    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    before = _snapshot_bytes(geodata_copy)
    with pytest.raises(GeodataError, match=message):
        store.install(layers / name, kind="control", geodata_dir=geodata_copy)
    assert _snapshot_bytes(geodata_copy) == before


def test_guess_kind_from_the_file_name_then_the_content(layers, schemas):
    assert store.guess_kind(Path("control_2025-08-15.geojson")) == "control"
    assert store.guess_kind(Path("frontline_20250815.json")) == "control"
    assert store.guess_kind(Path("Control-line.geojson")) == "control"
    assert store.guess_kind(schemas / "geoboundaries.geojson") == "regions"
    assert store.guess_kind(layers / "two_dates.geojson") == "control"


def test_a_date_for_region_boundaries_is_refused(geodata_copy, schemas):
    with pytest.raises(GeodataError, match="a date was given, but region boundaries are not"):
        store.install(
            schemas / "gadm.geojson",
            kind="regions",
            date=dt.date(2025, 1, 1),
            geodata_dir=geodata_copy,
        )


# -- region boundaries ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["natural_earth.geojson", "geoboundaries.geojson", "gadm.geojson", "osm.geojson"]
)
def test_region_swap_replaces_only_the_matched_regions(geodata_copy, schemas, name):
    before_full = geodata.load_regions(resolution="full", geodata_dir=geodata_copy)
    incoming = geodata.read_geojson(schemas / name).regions
    old_full = (geodata_copy / "regions.geojson").read_bytes()
    old_web = (geodata_copy / "regions_web.geojson").read_bytes()

    result = store.install(schemas / name, geodata_dir=geodata_copy)

    assert result.kind == "regions"
    assert result.replaced == "shipped"
    # The shipped files are never rewritten: they stay the reference, and version "shipped".
    assert (geodata_copy / "regions.geojson").read_bytes() == old_full
    assert (geodata_copy / "regions_web.geojson").read_bytes() == old_web
    version_dir = geodata_copy / "versions" / "boundaries" / str(result.version)
    assert result.live == (version_dir / "regions.geojson", version_dir / "regions_web.geojson")
    assert (version_dir.parent / "CURRENT").read_text() == f"{result.version}\n"
    full = geodata.load_regions(resolution="full", geodata_dir=geodata_copy)
    web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
    assert list(full.index) == list(REGION_IDS) == list(web.index)
    areas = geodata.region_areas(full)
    expected = geodata.region_areas(incoming)
    old_areas = geodata.region_areas(before_full)
    for rid in REGION_IDS:
        if rid in incoming.index:
            assert areas[rid] == pytest.approx(expected[rid], rel=0.01), rid
        else:
            # Loses only what the (coarse, ~5 km) incoming neighbours now cover.
            assert areas[rid] == pytest.approx(old_areas[rid], rel=0.02), rid
    for a, b in itertools.combinations(REGION_IDS, 2):
        assert shapely.intersection(full.geometry[a], full.geometry[b]).area < 1e-6, (a, b)


def test_region_swap_keeps_shared_borders_and_clockwise_web_rings(geodata_copy, schemas):
    store.install(schemas / "geoboundaries.geojson", geodata_dir=geodata_copy)
    web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
    raw = json.loads((geodata.boundaries_dir(geodata_copy) / "regions_web.geojson").read_text())
    for feature in raw["features"]:
        geom = shapely.geometry.shape(feature["geometry"])
        assert all(not shapely.is_ccw(p.exterior) for p in shapely.get_parts(geom))
    donetsk, luhansk = web.geometry["donetsk"], web.geometry["luhansk"]
    # No overlap and no gap: the border is a shared line of real length.
    assert shapely.intersection(donetsk, luhansk).area < 1e-9
    assert shapely.intersection(donetsk.boundary, luhansk.boundary).length > 1.0


def test_region_swap_clips_the_territorial_sea(geodata_copy, schemas):
    result = store.install(schemas / "territorial_sea.geojson", geodata_dir=geodata_copy)
    assert result.problems[1] == (
        "territorial_sea.geojson: region zaporizhzhia: clipped 5,225 km2 (16%) that lie beyond "
        "the shipped land outline (territorial sea?); the land part is installed"
    )
    areas = geodata.region_areas(geodata.load_regions(resolution="full", geodata_dir=geodata_copy))
    assert areas["zaporizhzhia"] == pytest.approx(27_081, rel=0.02)
    # The shipped areas stay the reference: the shipped boundaries still pass as they are.
    assert geodata.validate_file(schemas / "natural_earth.geojson", geodata_dir=geodata_copy)


def test_unusable_boundaries_change_nothing(geodata_copy, schemas):
    before = _snapshot_bytes(geodata_copy)
    with pytest.raises(GeodataError, match=r"malformed\.geojson is not valid JSON"):
        store.install(schemas / "malformed.geojson", geodata_dir=geodata_copy)
    with pytest.raises(GeodataError, match="none of the six regions"):
        store.install(schemas / "unrecognised.geojson", kind="regions", geodata_dir=geodata_copy)
    assert _snapshot_bytes(geodata_copy) == before


def test_concurrent_installs_are_serialised(geodata_copy, layers, tmp_path):
    """Eight threads install four different versions of one date at once."""
    sources = []
    for i in range(4):
        data = json.loads((layers / "control_2025-08-15.geojson").read_text())
        geom = shapely.geometry.shape(data["features"][0]["geometry"])
        data["features"][0]["geometry"] = shapely.geometry.mapping(
            shapely.affinity.translate(geom, xoff=0.01 * i)
        )
        path = tmp_path / f"v{i}" / "control_2025-08-15.geojson"
        path.parent.mkdir()
        path.write_text(json.dumps(data))
        sources.append(path)
    expected = {control.dumps_layer(control.read_control(p)) for p in sources}
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            store.install(path, geodata_dir=geodata_copy)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(p,)) for p in sources * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    live = (geodata_copy / "control" / "control_2025-08-15.geojson").read_bytes()
    assert live in expected
    kept = list((geodata_copy / "versions" / "control_2025-08-15").glob("*/control_*.geojson"))
    # Each install that changed the live bytes kept its version and logged one entry.
    entries = geodata.read_audit(geodata_copy)
    assert {p.read_bytes() for p in kept} == expected
    assert len(kept) == len(entries) >= 4
    assert [e.replaced for e in entries[1:]] == [e.version for e in entries[:-1]]
    assert not list((geodata_copy / "control").glob(".tmp-*"))


def test_swap_command(runner, geodata_copy, layers, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    result = runner.invoke(
        main, ["swap", str(layers / "frontline.geojson"), "--date", "2025-10-01"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "frontline.geojson: control layer of 2025-10-01 (date from given), 1 feature(s), 67,728 km2"
    )
    assert re.fullmatch(
        r"installed control_2025-10-01 version \d{8}T\d{9}Z-[0-9a-f]{8} \(replaced nothing; "
        r"mapdash rollback undoes it\)",
        lines[1],
    )
    assert (geodata_copy / "control" / "control_2025-10-01.geojson").is_file()


def test_swap_command_refuses_with_the_problems(runner, geodata_copy, layers, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    result = runner.invoke(main, ["swap", str(layers / "bad_date.geojson"), "--kind", "control"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: bad_date.geojson: no date for this control layer; name the file like "
        'control_2025-08-15.geojson, add a property such as "date": "2025-08-15" (one of date, '
        "as_of, asof, as_of_date, valid_on, valid_at, datetime, timestamp), or give the date "
        "(mapdash swap --date 2025-08-15, or the date box of the upload form)",
        "  - bad_date.geojson feature 0: property date='soon' is not a date; expected e.g. "
        "'2025-08-15'",
    ]
    assert not (geodata_copy / "control").exists()


# -- the running app's view of the folder -----------------------------------------------------


def test_a_dropped_control_layer_goes_live_and_leaves_the_inbox(geodata_copy, layers):
    live = LiveGeodata(geodata_copy, min_interval=0)
    before = live.snapshot()
    assert before.layers == ()
    dropped = geodata_copy / "control_2025-08-15.geojson"
    shutil.copy(layers / "control_2025-08-15.geojson", dropped)
    os.utime(dropped, (0, 0))  # long settled
    after = live.snapshot()
    assert after.version != before.version
    assert [layer.date for layer in after.layers] == [dt.date(2025, 8, 15)]
    assert not dropped.exists()
    assert (geodata_copy / "control" / "control_2025-08-15.geojson").is_file()
    donetsk = {m.region: m for m in after.measured[dt.date(2025, 8, 15)]}["donetsk"]
    assert donetsk.occupied_share == pytest.approx(0.533, abs=0.005)


def test_a_dropped_broken_file_is_set_aside_with_its_problems(geodata_copy, layers, caplog):
    live = LiveGeodata(geodata_copy, min_interval=0)
    before = live.snapshot()
    dropped = geodata_copy / "two_dates.geojson"
    shutil.copy(layers / "two_dates.geojson", dropped)
    os.utime(dropped, (0, 0))
    with caplog.at_level("WARNING", logger="mapdash.live"):
        after = live.snapshot()
    assert after.layers == before.layers
    (rejection,) = after.rejections
    assert rejection.name == "two_dates.geojson"
    assert rejection.message.startswith("two_dates.geojson: the features name 2 different dates")
    assert "the current data stays live and the file was moved to rejected/" in rejection.message
    (moved,) = (geodata_copy / "rejected").glob("*_two_dates.geojson")
    notes = moved.with_name(moved.name + ".problems.txt").read_text()
    assert "the features name 2 different dates" in notes
    assert "two_dates.geojson not live: two_dates.geojson: the features name" in caplog.text
    # Another worker process on the same folder shows the same alert.
    (seen_elsewhere,) = LiveGeodata(geodata_copy, min_interval=0).snapshot().rejections
    assert (seen_elsewhere.name, seen_elsewhere.message) == (rejection.name, rejection.message)
    assert seen_elsewhere.problems == rejection.problems


def test_a_live_layer_broken_in_place_stays_at_its_last_good_version(geodata_copy, layers):
    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    live = LiveGeodata(geodata_copy, min_interval=0)
    good = live.snapshot()
    path = geodata_copy / "control" / "control_2025-08-15.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    after = live.snapshot()
    assert [layer.geometry for layer in after.layers] == [good.layers[0].geometry]
    (rejection,) = after.rejections
    assert rejection.message.startswith("control_2025-08-15.geojson is not valid JSON")
    assert rejection.message.endswith("; the previous version stays live")


def test_upload_body_installs_and_reports(geodata_copy, layers):
    live = LiveGeodata(geodata_copy, min_interval=0)
    content = (layers / "frontline.geojson").read_bytes()
    message, changed, _ = swap.upload_result(
        live, "frontline.geojson", _data_url(content), "control", "2025-08-20"
    )
    assert changed
    assert message.className == "upload-ok"
    assert message.children[0].children == (
        "frontline.geojson: control layer of 2025-08-20 (date from given), 1 feature(s), 67,728 km2"
    )
    assert [layer.date for layer in live.snapshot().layers] == [dt.date(2025, 8, 20)]


@pytest.mark.parametrize(
    ("filename", "content", "kind", "date", "message"),
    [
        (
            "layer.kml",
            b"<kml/>",
            "control",
            "",
            "layer.kml: only .geojson and .json files are accepted; export the layer as GeoJSON",
        ),
        (
            "frontline.geojson",
            b"{}",
            "control",
            "15/08/2025",
            "date '15/08/2025' is not a date; write it as YYYY-MM-DD, e.g. 2025-08-15",
        ),
        (
            "broken.geojson",
            b'{"type": "FeatureCollection", "features": [',
            "control",
            "",
            "broken.geojson is not valid JSON: Expecting value at line 1, column 44",
        ),
    ],
)
def test_upload_body_refuses_with_a_message(geodata_copy, filename, content, kind, date, message):
    live = LiveGeodata(geodata_copy, min_interval=0)
    before = _snapshot_bytes(geodata_copy)
    shown, changed, offered = swap.upload_result(live, filename, _data_url(content), kind, date)
    assert not changed
    assert shown.className == "upload-error"
    assert shown.children[1] == message
    assert _snapshot_bytes(geodata_copy) == before


def test_upload_past_the_size_limit(geodata_copy, layers, monkeypatch):
    monkeypatch.setenv("MAPDASH_UPLOAD_MAX_BYTES", "1000")
    live = LiveGeodata(geodata_copy, min_interval=0)
    content = (layers / "control_2025-08-15.geojson").read_bytes()
    with pytest.raises(
        GeodataError,
        match=rf"control_2025-08-15\.geojson is {len(content):,} bytes \(0\.0 MiB\), larger than "
        r"the upload limit of 1,000 bytes \(0\.0 MiB\); simplify the file, drop it into the "
        r"geodata folder, or raise MAPDASH_UPLOAD_MAX_BYTES",
    ):
        live.upload("control_2025-08-15.geojson", _data_url(content))


def test_upload_problems_are_listed_and_logged(geodata_copy, layers, caplog):
    live = LiveGeodata(geodata_copy, min_interval=0)
    content = (layers / "bad_date.geojson").read_bytes()
    with caplog.at_level("WARNING", logger="mapdash.live"):
        shown, changed, _ = swap.upload_result(live, "bad_date.geojson", _data_url(content), "", "")
    assert "bad_date.geojson not live: upload refused: bad_date.geojson: no date" in caplog.text
    assert not changed
    problems = shown.children[2].children
    assert [li.children for li in problems] == [
        "bad_date.geojson feature 0: property date='soon' is not a date; expected e.g. '2025-08-15'"
    ]


def _overlay_ops(patch) -> dict[str, object]:
    """A map Patch's operations on the control layer's trace, by property."""
    from mapdash.figures import CONTROL_TRACE

    return {
        op["location"][2]: op["params"]["value"]
        for op in patch.to_plotly_json()["operations"]
        if op["location"][:2] == ["data", CONTROL_TRACE]
    }


def _paint(data, search):
    from mapdash.web.render import screen
    from mapdash.web.view import parse_query

    drawn = screen(data, parse_query(search, data.timeline))
    return drawn.left.paint, drawn.right.paint if drawn.right else None


def test_the_control_layer_follows_the_slider_date(geodata_copy, layers):
    from mapdash.web.maps import MapState, map_output, marks_used

    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    data = _app_data(geodata_copy)
    snapshot = LiveGeodata(geodata_copy, min_interval=0).snapshot()
    page = MapState(snapshot.regions_version)
    paint, _ = _paint(data, "?date=2025-08-15")
    # No layer before its date; drawn from it, with the paint (the figure's data stay in step).
    before, drawn = map_output(
        snapshot, page, paint, dt.date(2025, 8, 14), repaint=False, marks=marks_used(data)
    )
    assert before is dash.no_update and drawn == page
    after, drawn = map_output(
        snapshot, page, paint, dt.date(2025, 8, 15), repaint=False, marks=marks_used(data)
    )
    ops = _overlay_ops(after)
    assert ops["visible"] is True and len(ops["lon"]) > 100
    assert ops["name"] == "control 2025-08-15"
    assert drawn == MapState(snapshot.regions_version, "2025-08-15")
    assert any(op["location"][-1] == "z" for op in after.to_plotly_json()["operations"])
    gone, _ = map_output(
        snapshot, drawn, paint, dt.date(2025, 8, 14), repaint=False, marks=marks_used(data)
    )
    assert _overlay_ops(gone) == {"lon": [], "lat": [], "visible": False, "name": ""}


def _app_data(geodata_dir):
    from mapdash.config import PROJECT_ROOT, Paths
    from mapdash.web.data import AppData

    return AppData.load(Paths(geodata=geodata_dir, seeds=PROJECT_ROOT / "seeds"))


def test_swapped_boundaries_redraw_the_maps(geodata_copy, schemas):
    from mapdash.figures import REGION_TRACE
    from mapdash.web.maps import MapState, map_output, marks_used

    data = _app_data(geodata_copy)
    live = LiveGeodata(geodata_copy, min_interval=0)
    before = live.snapshot()
    page = MapState(before.regions_version)
    paint, _ = _paint(data, "?date=2025-08-20")
    date = dt.date(2025, 8, 20)
    # Nothing to send while the layout's boundaries are live and no layer applies.
    left, _ = map_output(before, page, paint, date, repaint=False, marks=marks_used(data))
    assert left is dash.no_update

    store.install(schemas / "osm.geojson", geodata_dir=geodata_copy)
    after = live.snapshot()
    assert after.regions_version != before.regions_version
    web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
    # An open page, and the second map never drawn: both get whole figures.
    for drawn in (page, None):
        figure, now = map_output(after, drawn, paint, date, repaint=False, marks=marks_used(data))
        shapes = {
            f["properties"]["id"]: shapely.geometry.shape(f["geometry"])
            for f in figure.data[REGION_TRACE].geojson["features"]
        }
        for rid in ("zaporizhzhia", "kursk"):  # the two regions osm.geojson carries
            assert shapes[rid].symmetric_difference(web.geometry[rid]).area < 1e-3
            assert shapes[rid].symmetric_difference(before.regions_web.geometry[rid]).area > 1e-3
        assert figure.layout.meta["narrowView"]
    # Once redrawn, a date change sends no geometry.
    again, _ = map_output(
        after, now, paint, dt.date(2025, 8, 17), repaint=True, marks=marks_used(data)
    )
    assert "geojson" not in json.dumps(again.to_plotly_json())


def test_the_overlay_is_resent_only_when_the_layer_changes(geodata_copy, layers):
    from mapdash.web import ids
    from mapdash.web.callbacks import Dashboard

    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    data = _app_data(geodata_copy)
    dashboard = Dashboard(data, LiveGeodata(geodata_copy, min_interval=0))

    def go_to(search, shown):
        """The page, showing ``shown``, is taken to ``search`` (back/forward, a link)."""
        return dashboard.respond(
            ids.URL if shown else None,
            search,
            search=search,
            playing=False,
            page_book=None,
            shown=shown,
        )

    first = go_to("?date=2025-08-20", None)
    assert _overlay_ops(first["map_left"])["visible"] is True
    assert first["map_right"] is dash.no_update
    # The legend explains the outline while a layer is drawn, and says nothing when none is.
    assert "held by Russia per the control layer of 15 Aug 2025" in str(first["legend_control"])
    same = go_to("?date=2025-08-17", first["shown"])
    assert _overlay_ops(same["map_left"]) == {}
    assert "layer of 15 Aug 2025" in str(same["measured"])
    earlier = go_to("?date=2025-08-09", same["shown"])
    assert _overlay_ops(earlier["map_left"])["visible"] is False
    assert earlier["legend_control"] == []
    regions = first["shown"]["maps"]["left"][0]
    assert earlier["shown"]["maps"] == {"left": [regions, ""], "right": None}
    # Compare mode: the second map at 9 Aug gets no layer, the first 15 Aug's.
    both = go_to("?date=2025-08-20&date2=2025-08-09", earlier["shown"])
    assert both["shown"]["maps"] == {"left": [regions, "2025-08-15"], "right": [regions, ""]}
    assert _overlay_ops(both["map_left"])["visible"] is True


def test_a_file_still_being_copied_in_waits_for_the_next_look(geodata_copy, layers):
    live = LiveGeodata(geodata_copy, min_interval=0)
    live.snapshot()
    dropped = geodata_copy / "control_2025-08-15.geojson"
    content = (layers / "control_2025-08-15.geojson").read_bytes()
    dropped.write_bytes(content[: len(content) // 2])  # half copied, just now
    assert live.snapshot().layers == ()
    assert dropped.exists()
    dropped.write_bytes(content)  # the copy finished: changed since the last look
    assert live.snapshot().layers == ()
    after = live.snapshot()  # unchanged since the last look: taken
    assert [layer.date for layer in after.layers] == [dt.date(2025, 8, 15)]
    assert after.rejections == ()
    assert not dropped.exists()


def test_installed_files_are_readable_and_keep_their_mode(geodata_copy, layers):
    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    live = geodata_copy / "control" / "control_2025-08-15.geojson"
    assert live.stat().st_mode & 0o777 == 0o644
    live.chmod(0o640)
    store.install(layers / "frontline.geojson", date=dt.date(2025, 8, 15), geodata_dir=geodata_copy)
    assert live.stat().st_mode & 0o777 == 0o640


def _text(component) -> str:
    """The visible text of a Dash component tree, as a browser would join it."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    text = _text(children)
    kind = type(component).__name__
    if kind == "Ul":
        return "\n" + text
    return text + "\n" if kind in ("Li", "P") else text


def test_measured_control_next_to_the_article_figures(geodata_copy, layers):
    from mapdash.config import PROJECT_ROOT, Paths
    from mapdash.web.data import AppData

    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    data = AppData.load(Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds"))
    snapshot = LiveGeodata(geodata_copy, min_interval=0).snapshot()
    text = _text(swap.measured_children(data, snapshot, dt.date(2025, 8, 20)))
    lines = [line for line in text.splitlines() if line]
    assert lines[0] == (
        "Held by Russia per the control layer of 15 Aug 2025, from control_2025-08-15.geojson: "
        "outlined and cross-hatched in dark red on the map."
    )
    donetsk = next(line for line in lines if "of Donetsk" in line)
    assert re.fullmatch(
        r"Russia holds 14,1\d\d km2 \(53%\) of Donetsk per control layer of 2025-08-15; "
        r"Ukraine holds the other 12,4\d\d km2",
        donetsk,
    )
    assert "Article: Russian forces fully control Luhansk." in lines
    assert "Kursk: not covered by the control layer of 2025-08-15" in lines
    assert _text(swap.measured_children(data, snapshot, dt.date(2025, 8, 9))) == (
        "No control layer on or before 9 Aug 2025. The first is dated 15 Aug 2025. "
        "Upload one below.\n"
    )


@pytest.mark.parametrize(
    ("args", "first_lines"),
    [
        (
            ["control/frontline_export.geojson"],
            [
                "frontline_export.geojson: control layer of 2025-06-01 (date from property), "
                "2 feature(s), 67,728 km2",
                "would install control_2025-06-01 (nothing written: dry run)",
            ],
        ),
        (
            ["gadm.geojson", "--kind", "regions"],
            [
                "gadm.geojson: region boundaries for donetsk, luhansk, kherson",
                "would install boundaries (nothing written: dry run)",
            ],
        ),
    ],
)
def test_swap_dry_run_writes_nothing(runner, geodata_copy, schemas, monkeypatch, args, first_lines):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    before = _snapshot_bytes(geodata_copy)
    result = runner.invoke(main, ["swap", str(schemas / args[0]), *args[1:], "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[: len(first_lines)] == first_lines
    assert _snapshot_bytes(geodata_copy) == before


def test_areas_follow_swapped_boundaries_without_a_restart(geodata_copy, schemas):
    from mapdash.web.live import LiveAreas

    live = LiveGeodata(geodata_copy, min_interval=0)
    areas = LiveAreas(live)
    before = dict(areas)
    assert before == pytest.approx(geodata.reference_areas(geodata_dir=geodata_copy))
    store.install(schemas / "osm.geojson", geodata_dir=geodata_copy)
    full = geodata.load_regions(resolution="full", geodata_dir=geodata_copy)
    assert dict(areas) == pytest.approx(geodata.region_areas(full))
    assert abs(areas["kursk"] - before["kursk"]) > 10  # osm.geojson's Kursk is coarser
    # The map's web file and its context still share every border (one clean coverage).
    snapshot = live.snapshot()
    shapes = [*snapshot.regions_web.geometry, *snapshot.context.geometry]
    assert shapely.coverage_is_valid(shapes)


def _component(tree: object, component_id: str) -> dict | None:
    """Find a component by id in a layout as /_dash-layout sends it."""
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree
        children = tree.get("props", {}).get("children")
        return _component(children, component_id)
    if isinstance(tree, list):
        for child in tree:
            found = _component(child, component_id)
            if found is not None:
                return found
    return None


def test_a_page_opened_after_a_swap_draws_the_new_boundaries_first(geodata_copy, schemas):
    """No flash of the old boundaries: the layout itself carries the live geometry."""
    from mapdash.config import PROJECT_ROOT, Paths
    from mapdash.figures import REGION_TRACE
    from mapdash.web import create_app, ids

    app = create_app(paths=Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds"))
    client = app.server.test_client()

    def opened() -> tuple[dict[str, shapely.Geometry], str]:
        layout = client.get("/_dash-layout").get_json()
        figure = _component(layout, ids.MAP_LEFT)["props"]["figure"]
        drawn = {
            f["properties"]["id"]: shapely.geometry.shape(f["geometry"])
            for f in figure["data"][REGION_TRACE]["geojson"]["features"]
        }
        return drawn, _component(layout, ids.PAGE_REGIONS)["props"]["data"]

    before, before_version = opened()
    store.install(schemas / "osm.geojson", geodata_dir=geodata_copy)
    web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
    deadline = time.monotonic() + 10  # the live folder is looked at once a second
    while (after := opened())[1] == before_version and time.monotonic() < deadline:
        time.sleep(0.2)
    drawn, version = after
    assert version != before_version
    for rid in ("zaporizhzhia", "kursk"):  # the two regions osm.geojson carries
        assert drawn[rid].symmetric_difference(web.geometry[rid]).area < 1e-3
        assert drawn[rid].symmetric_difference(before[rid]).area > 1e-3
    # The page's callback then has no boundaries to redraw.
    snapshot = LiveGeodata(geodata_copy).snapshot()
    assert version == snapshot.regions_version


def test_the_legend_names_the_control_layers_source(geodata_copy, layers):
    geodata.install_file(
        layers / "control_2025-08-15.geojson",
        geodata_dir=geodata_copy,
        source="DeepStateMap",
        licence="attribution required",
    )
    from mapdash.web.callbacks import Dashboard

    data = _app_data(geodata_copy)
    dashboard = Dashboard(data, LiveGeodata(geodata_copy, min_interval=0))
    out = dashboard.respond(
        None, None, search="?date=2025-08-20", playing=False, page_book=None, shown=None
    )
    measured, key = out["measured"], out["legend_control"]
    assert key[-1] == (
        "Outlined and cross-hatched in dark red: held by Russia per the control layer of "
        "15 Aug 2025; source: DeepStateMap (attribution required)"
    )
    assert "control layer of 15 Aug 2025, from DeepStateMap (attribution required): " in str(
        measured
    )
