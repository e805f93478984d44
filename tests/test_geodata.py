"""The committed region geodata: codes, Crimea, orientation, shared borders, loaders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from mapdash import geodata
from mapdash.errors import GeodataError
from mapdash.regions import REGION_IDS

ROOT = Path(__file__).resolve().parent.parent
GEODATA = ROOT / "geodata"
SEVASTOPOL_CITY = Point(33.65, 44.55)  # inland, between Inkerman and Balaklava
SIMFEROPOL = Point(34.1024, 44.9521)
EXPECTED_ISO = {
    "crimea": "UA-43;UA-40",
    "donetsk": "UA-14",
    "luhansk": "UA-09",
    "kherson": "UA-65",
    "zaporizhzhia": "UA-23",
    "kursk": "RU-KRS",
}
# Neighbours whose common border must survive simplification; ids from both files.
NEIGHBOURS = [
    ("donetsk", "luhansk"),
    ("donetsk", "zaporizhzhia"),
    ("kherson", "zaporizhzhia"),
    ("crimea", "kherson"),
    ("kursk", "RU-BEL"),
    ("luhansk", "RU-ROS"),
    ("donetsk", "UA-12"),
]


def _raw(name: str) -> dict:
    return json.loads((GEODATA / name).read_text(encoding="utf-8"))


def _signed_area(ring: list[list[float]]) -> float:
    xy = np.asarray(ring)
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


@pytest.fixture(scope="module")
def web_coverage() -> dict:
    """Every web polygon (six regions + context) by id."""
    features = _raw("regions_web.geojson")["features"] + _raw("context_web.geojson")["features"]
    return {f["properties"]["id"]: shape(f["geometry"]) for f in features}


def test_regions_have_the_registry_iso_codes_and_countries():
    for name in ("regions.geojson", "regions_web.geojson"):
        props = {f["properties"]["id"]: f["properties"] for f in _raw(name)["features"]}
        assert list(props) == list(REGION_IDS), name
        assert {rid: p["iso_3166_2"] for rid, p in props.items()} == EXPECTED_ISO
        assert {rid: p["country"] for rid, p in props.items()} == {
            **dict.fromkeys(REGION_IDS, "UA"),
            "kursk": "RU",
        }
        assert all("Natural Earth" in p["source"] for p in props.values())


def test_crimea_includes_sevastopol_as_one_region():
    for resolution in ("full", "web"):
        crimea = geodata.load_regions(resolution=resolution).loc["crimea", "geometry"]
        assert crimea.contains(SEVASTOPOL_CITY), resolution
        assert crimea.contains(SIMFEROPOL), resolution
        # Dissolved along the exact shared edge: no seam left between the two source features.
        main = max(shapely.get_parts(crimea), key=lambda part: part.area)
        assert len(main.interiors) == 0
        assert main.contains(SEVASTOPOL_CITY)


def test_web_files_are_clockwise_and_full_file_follows_rfc7946():
    for name in ("regions_web.geojson", "context_web.geojson"):
        for feature in _raw(name)["features"]:
            for polygon in _polygons(feature["geometry"]):
                assert _signed_area(polygon[0]) < 0, (name, feature["properties"]["id"])
                assert all(_signed_area(hole) > 0 for hole in polygon[1:])
    for feature in _raw("regions.geojson")["features"]:
        for polygon in _polygons(feature["geometry"]):
            assert _signed_area(polygon[0]) > 0, feature["properties"]["id"]


def test_loaded_geometry_is_clockwise_whatever_the_file_order():
    for resolution in ("full", "web"):
        gdf = geodata.load_regions(resolution=resolution)
        exteriors = [p.exterior for p in shapely.get_parts(gdf.geometry.values)]
        assert not any(shapely.is_ccw(exteriors)), resolution


def test_web_coverage_has_no_gaps_or_overlaps(web_coverage):
    geoms = np.array(list(web_coverage.values()))
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    union = shapely.union_all(geoms).area
    assert union == pytest.approx(shapely.area(geoms).sum(), rel=1e-9)


@pytest.mark.parametrize(("a", "b"), NEIGHBOURS)
def test_neighbours_share_their_border_exactly_after_simplification(web_coverage, a, b):
    first, second = web_coverage[a], web_coverage[b]
    assert first.intersection(second).area == pytest.approx(0, abs=1e-12)
    shared = shapely.line_merge(first.boundary.intersection(second.boundary))
    assert shared.length > 0.3  # degrees: a real border, not a touching point
    # The border each side draws is the same line, vertex for vertex.
    near_first = first.boundary.intersection(second.buffer(1e-9)).length
    near_second = second.boundary.intersection(first.buffer(1e-9)).length
    assert near_first == pytest.approx(shared.length, rel=1e-6)
    assert near_second == pytest.approx(shared.length, rel=1e-6)


def test_plain_simplify_would_tear_the_shared_border():
    """Why the build uses coverage_simplify: per-polygon simplification opens gaps."""
    full = geodata.load_regions(resolution="full")
    pair = [full.loc["donetsk", "geometry"], full.loc["luhansk", "geometry"]]
    assert shapely.coverage_is_valid(pair)
    torn = [shapely.simplify(geom, 0.01) for geom in pair]
    assert not shapely.coverage_is_valid(torn)
    kept = geodata.simplify_coverage(pair, tolerance=0.01, grid_size=0.001)
    assert shapely.coverage_is_valid(kept)


def test_coarser_context_keeps_the_regions_borders_exactly():
    """The build draws the backdrop coarser than the six regions, and still as one coverage."""
    full = geodata.load_regions(resolution="full")
    # Donbas in detail; its neighbours Zaporizhzhia and Kherson stand in for the context.
    coverage = list(full.loc[["donetsk", "luhansk", "zaporizhzhia", "kherson"], "geometry"])
    assert shapely.coverage_is_valid(coverage)
    detailed = [True, True, False, False]
    out = geodata.simplify_coverage_around(
        coverage, detailed, tolerance=0.01, context_tolerance=0.05, grid_size=0.001
    )
    fine = geodata.simplify_coverage(coverage, tolerance=0.01, grid_size=0.001)
    assert shapely.coverage_is_valid(out)
    # No overlaps: the union is as large as the parts (to the 0.001-degree grid's rounding).
    assert shapely.union_all(out).area == pytest.approx(sum(g.area for g in out), abs=1e-4)
    # The regions are drawn exactly as the fine simplification draws them ...
    for got, want in zip(out[:2], fine[:2], strict=True):
        assert got.symmetric_difference(want).area == pytest.approx(0, abs=1e-9)
    # ... while the context needs fewer vertices, and still fills the same land.
    assert shapely.get_num_coordinates(out[2:]).sum() < shapely.get_num_coordinates(fine[2:]).sum()
    for got, want in zip(out[2:], fine[2:], strict=True):
        assert got.symmetric_difference(want).area < 0.05 * want.area


def test_web_border_stays_close_to_the_full_resolution_border(web_coverage):
    full = geodata.load_regions(resolution="full")
    exact = full.loc["donetsk", "geometry"].boundary.intersection(
        full.loc["luhansk", "geometry"].boundary
    )
    web = web_coverage["donetsk"].boundary.intersection(web_coverage["luhansk"].boundary)
    assert shapely.hausdorff_distance(exact, web) < 0.03
    assert web.length == pytest.approx(exact.length, rel=0.15)


def test_web_files_stay_small():
    total = sum(
        (GEODATA / n).stat().st_size for n in ("regions_web.geojson", "context_web.geojson")
    )
    assert total < 400_000


def test_load_regions_frame_shape():
    gdf = geodata.load_regions()
    assert list(gdf.index) == list(REGION_IDS)
    assert gdf.index.name == "id"
    assert list(gdf.columns) == ["name", "country", "iso_3166_2", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc["zaporizhzhia", "name"] == "Zaporizhzhia"
    assert gdf.loc["kursk", "country"] == "RU"
    assert gdf.loc["crimea", "iso_3166_2"] == "UA-43;UA-40"


def test_load_context_has_oblasts_and_countries_around_the_regions():
    ctx = geodata.load_context()
    assert list(ctx.columns) == ["id", "name", "kind", "geometry"]
    assert ctx["id"].is_unique
    kinds = ctx.groupby("kind")["id"].apply(set).to_dict()
    assert {"UA-30", "UA-32", "UA-12", "UA-51", "UA-63", "UA-59"} <= kinds["ukraine_oblast"]
    assert len(kinds["ukraine_oblast"]) == 21  # 24 oblasts + Kyiv city, less our four
    assert {"RU-BEL", "RU-BRY", "RU-VOR", "RU-ROS", "RU-KDA", "RU-ORL"} <= kinds["russia_oblast"]
    assert kinds["country"] == {"BY", "PL", "SK", "HU", "RO", "MD", "BG", "RS", "GE"}
    # North and east of Kursk and Voronezh, reached by the tall maps of compare mode.
    assert {"RU-RYA", "RU-PNZ", "RU-SAR", "RU-MOS"} <= kinds["russia_oblast"]
    assert ctx.set_index("id").loc["UA-30", "name"] == "Kyiv"
    assert not set(REGION_IDS) & set(ctx["id"])


def test_load_regions_uses_the_configured_folder(tmp_path, monkeypatch, data_dir):
    shutil.copy(data_dir / "geojson" / "gadm.geojson", tmp_path / "regions_web.geojson")
    monkeypatch.setenv("MAPDASH_GEODATA", str(tmp_path))
    with pytest.raises(GeodataError, match=r"regions_web.geojson lacks the region\(s\) crimea"):
        geodata.load_regions()
    with pytest.raises(GeodataError, match="regions.geojson: cannot read the file"):
        geodata.load_regions(resolution="full")


def test_load_regions_rejects_an_unknown_resolution():
    with pytest.raises(GeodataError, match="unknown resolution 'low'; expected 'full' or 'web'"):
        geodata.load_regions(resolution="low")  # type: ignore[arg-type]


def test_load_context_names_a_bad_kind(tmp_path):
    features = _raw("context_web.geojson")["features"][:2]
    features[1]["properties"]["kind"] = "province"
    (tmp_path / "context_web.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    with pytest.raises(GeodataError, match="context_web.geojson has 1 problem") as err:
        geodata.load_context(geodata_dir=tmp_path)
    assert err.value.problems == [
        f"context_web.geojson feature 1 (name={features[1]['properties']['name']!r}): kind is "
        "'province'; expected one of ukraine_oblast, russia_oblast, country"
    ]


@pytest.mark.parametrize("name", ["regions.geojson", "regions_web.geojson", "context_web.geojson"])
def test_committed_files_are_what_the_writer_produces(name):
    """Re-serialising a committed file gives the same bytes: the writer is deterministic."""
    raw = _raw(name)
    decimals = 6 if name == "regions.geojson" else 3
    features = [(f["properties"], shape(f["geometry"])) for f in raw["features"]]
    assert geodata.dumps_geojson(features, decimals=decimals) == (GEODATA / name).read_bytes()


def test_writer_is_atomic_and_sorted(tmp_path):
    target = tmp_path / "out.geojson"
    target.write_text("old")
    square = shapely.box(30.123456789, 45, 31, 46)
    geodata.write_geojson(target, [({"z": 1, "a": "é"}, square)], decimals=3)
    text = target.read_text(encoding="utf-8")
    assert text.startswith('{"type":"FeatureCollection","features":[\n{"geometry":')
    assert '"properties":{"a":"é","z":1}' in text
    assert "30.123," in text and "30.1234" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_match_properties_prefers_names_and_reports_conflicting_codes():
    match, conflicts = geodata.match_properties(
        {"name": "Kiev City", "code_hasc": "UA.KM", "iso_3166_2": "UA-"}
    )
    assert match is None and conflicts == []
    match, conflicts = geodata.match_properties({"NAME_1": "Kherson", "HASC_1": "UA.ZP"})
    assert match == geodata.Match("kherson", "NAME_1", "Kherson")
    assert conflicts == [
        "NAME_1='Kherson' names kherson but HASC_1='UA.ZP' is the code of zaporizhzhia; "
        "used the name"
    ]
    match, _ = geodata.match_properties({"shapeISO": "UA-40", "shapeName": "Sevastopol City"})
    assert match is not None and match.region == "crimea"
    match, _ = geodata.match_properties({"VARNAME_1": "Lugansk|Luganskaya Oblast'"})
    assert match == geodata.Match("luhansk", "VARNAME_1", "Lugansk")
    match, _ = geodata.match_properties({"name": "Poltava", "ISO3166-2": "RU-KRS"})
    assert match == geodata.Match("kursk", "ISO3166-2", "RU-KRS")


@settings(max_examples=40, deadline=None)
@given(
    boxes=st.lists(
        st.tuples(
            st.floats(-179, 170),
            st.floats(-89, 80),
            st.floats(0.01, 9),
            st.floats(0.01, 9),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_written_polygons_read_back_clockwise_and_unchanged(tmp_path_factory, boxes):
    path = tmp_path_factory.mktemp("roundtrip") / "boxes.geojson"
    written = [
        shapely.orient_polygons(shapely.box(x, y, x + w, y + h), exterior_cw=cw)
        for x, y, w, h, cw in boxes
    ]
    geodata.write_geojson(path, [({"id": str(i)}, g) for i, g in enumerate(written)], decimals=6)
    found = geodata.read_features(path)
    assert found.problems == ()
    for original, feature in zip(written, found.features, strict=True):
        assert not shapely.is_ccw(feature.geometry.exterior)
        assert shapely.equals_exact(
            shapely.normalize(original), shapely.normalize(feature.geometry), 1e-6
        )
    # Writing what was read gives the same bytes again.
    again = geodata.dumps_geojson(
        [
            (f.properties, shapely.orient_polygons(f.geometry, exterior_cw=cw))
            for f, (*_, cw) in zip(found.features, boxes, strict=True)
        ],
        decimals=6,
    )
    assert again == path.read_bytes()
