"""Reading swapped-in GeoJSON: schemas, CRSs, repairs, and every error a user can trigger."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely

from mapdash import geodata
from mapdash.cli import main
from mapdash.errors import GeodataError

FIXTURES = Path(__file__).resolve().parent / "data" / "geojson"
ALL_SIX = ["crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk"]


def _fixture(name: str) -> Path:
    return FIXTURES / name


def _matches(report: geodata.GeojsonReport) -> list[tuple[str | None, str | None]]:
    return [(f.match.region, f.match.prop) if f.match else (None, None) for f in report.features]


# --- sources that work ------------------------------------------------------------------------


def test_natural_earth_schema_with_broken_codes_and_sevastopol_apart():
    report = geodata.read_geojson(_fixture("natural_earth.geojson"))
    assert report.features_read == 8
    assert list(report.regions.index) == ALL_SIX
    assert report.missing == ()
    assert _matches(report) == [
        ("crimea", "name"),
        ("crimea", "name"),
        ("donetsk", "name"),
        ("luhansk", "name"),
        ("kherson", "name"),
        ("zaporizhzhia", "name"),
        ("kursk", "name"),
        (None, None),  # Kiev City, whose HASC code UA.KM is Khmelnytskyi's
    ]
    assert report.problems == ()
    assert (
        "natural_earth.geojson: Crimea and Sevastopol merged into crimea from "
        "0 (name='Crimea'), 1 (name='Sevastopol')" in report.notes
    )
    assert (
        "natural_earth.geojson: 1 feature(s) match none of the six regions and are ignored: "
        "7 (name='Kiev City')" in report.notes
    )
    crimea = report.regions.loc["crimea", "geometry"]
    assert crimea.contains(shapely.Point(33.65, 44.55))  # Sevastopol
    assert crimea.contains(shapely.Point(34.10, 44.95))  # Simferopol
    assert report.regions.loc["crimea", "iso_3166_2"] == "UA-43;UA-40"


def test_geoboundaries_schema_with_counter_clockwise_rings():
    report = geodata.read_geojson(_fixture("geoboundaries.geojson"))
    assert _matches(report) == [
        ("donetsk", "shapeName"),
        ("luhansk", "shapeName"),
        ("zaporizhzhia", "shapeName"),
        ("kherson", "shapeName"),
        ("crimea", "shapeName"),
        ("crimea", "shapeName"),
    ]
    assert {f.winding for f in report.features} == {"counter-clockwise"}
    assert report.missing == ("kursk",)
    assert (
        "geoboundaries.geojson: some exterior rings are counter-clockwise (RFC 7946 order); "
        "re-oriented clockwise for drawing" in report.notes
    )
    exteriors = [p.exterior for p in shapely.get_parts(report.regions.geometry.values)]
    assert not any(shapely.is_ccw(exteriors))


def test_gadm_schema_all_multipolygons():
    report = geodata.read_geojson(_fixture("gadm.geojson"))
    assert _matches(report) == [
        ("donetsk", "NAME_1"),
        ("luhansk", "NAME_1"),
        ("kherson", "NAME_1"),
    ]
    assert {f.geometry_type for f in report.features} == {"MultiPolygon"}
    assert report.problems == ()


def test_osm_schema_matches_the_local_name():
    report = geodata.read_geojson(_fixture("osm.geojson"))
    assert [f.match for f in report.features] == [
        geodata.Match("zaporizhzhia", "name", "Запорізька область"),
        geodata.Match("kursk", "name", "Курская область"),
    ]
    assert (
        "osm.geojson: geometry types are mixed (MultiPolygon x1, Polygon x1); both are read"
        in report.notes
    )


def test_legacy_crs_in_web_mercator_is_reprojected():
    report = geodata.read_geojson(_fixture("projected_3857.geojson"))
    assert report.crs == "EPSG:3857 (legacy 'crs' member)"
    assert "projected_3857.geojson: coordinates reprojected from EPSG:3857 to EPSG:4326" in (
        report.notes
    )
    xmin, ymin, xmax, ymax = report.regions.total_bounds
    assert 36.5 < xmin < 37 and 40 < xmax < 40.3 and 46.8 < ymin < 47.2 and 50 < ymax < 50.2
    reference = geodata.load_regions(resolution="full")
    donetsk = report.regions.loc["donetsk", "geometry"]
    overlap = donetsk.intersection(reference.loc["donetsk", "geometry"]).area
    assert overlap / donetsk.area > 0.97


def test_self_intersecting_ring_is_repaired_and_reported():
    report = geodata.read_geojson(_fixture("bowtie.geojson"))
    luhansk = report.features[1]
    assert luhansk.repaired and luhansk.used
    assert luhansk.problems == (
        "bowtie.geojson feature 1 (name='Luhansk'): invalid geometry "
        "(Self-intersection[39.25 49]); repaired with shapely.make_valid, kept the polygonal "
        "parts - check the result",
    )
    repaired = report.regions.loc["luhansk", "geometry"]
    assert repaired.is_valid
    assert len(shapely.get_parts(repaired)) == 2  # the two triangles of the bow-tie
    # Both features are Polygons in the file; the repair's MultiPolygon does not make them mixed.
    assert not any("geometry types are mixed" in note for note in report.notes), report.notes


def test_wrong_and_missing_geometries_are_reported_and_ignored():
    report = geodata.read_geojson(_fixture("wrong_geometry.geojson"))
    assert list(report.regions.index) == ["donetsk"]
    assert report.problems == (
        "wrong_geometry.geojson feature 0 (name='Kherson'): geometry is a Point; expected "
        "Polygon or MultiPolygon",
        "wrong_geometry.geojson feature 1 (name='Kursk'): has no geometry (null or missing); "
        "ignored",
        "wrong_geometry.geojson feature 2 (name='Luhansk'): geometry is empty; ignored",
    )
    assert [f.used for f in report.features] == [False, False, False, True]


def test_a_region_in_several_features_is_merged_and_reported():
    report = geodata.read_geojson(_fixture("duplicates.geojson"))
    assert report.problems == (
        "duplicates.geojson: region donetsk appears in 2 features (0 (name='Donetsk'), "
        "1 (name='Donetsk')); merged them into one",
    )
    merged = report.regions.loc["donetsk", "geometry"]
    assert merged.geom_type == "Polygon"  # the halves joined along their cut


def test_territorial_sea_is_clipped_to_the_shipped_land_outline():
    report = geodata.validate_file(_fixture("territorial_sea.geojson"))
    assert report.problems == (
        "territorial_sea.geojson: region donetsk: clipped 2,894 km2 (10%) that lie beyond the "
        "shipped land outline (territorial sea?); the land part is installed",
        "territorial_sea.geojson: region zaporizhzhia: clipped 5,225 km2 (16%) that lie beyond "
        "the shipped land outline (territorial sea?); the land part is installed",
    )
    # What is left is the land: within 1% of the shipped Natural Earth areas.
    reference = geodata.reference_areas()
    for region, area in geodata.region_areas(report.regions).items():
        assert area == pytest.approx(reference[region], rel=0.01)
    assert geodata.validate_file(_fixture("natural_earth.geojson")).problems == ()


# --- unusable files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "malformed.geojson",
            r"^malformed.geojson is not valid JSON: Expecting ',' delimiter at line 3, "
            r"column 57$",
        ),
        (
            "bare_geometry.geojson",
            r"^bare_geometry.geojson: top-level type is 'Polygon'; expected a FeatureCollection "
            r"or a Feature \(wrap a bare geometry as",
        ),
        (
            "no_crs_metres.geojson",
            r"^no_crs_metres.geojson: coordinates reach x 4.06665e\+06..4.47054e\+06, "
            r"y 5.92197e\+06..6.4567e\+06, outside longitude -180..180 / latitude -90..90, and "
            r"the file declares no 'crs'; it looks projected \(metres\?\)\. Reproject it to "
            r"EPSG:4326, or add the legacy member",
        ),
        (
            "unknown_crs.geojson",
            r"^unknown_crs.geojson: 'crs' names 'EPSG:999999', which is not a known coordinate "
            r"reference system; use e.g. urn:ogc:def:crs:EPSG::3857",
        ),
        (
            "points_only.geojson",
            r"^points_only.geojson: no usable Polygon or MultiPolygon feature among 1 feature",
        ),
        (
            "unrecognised.geojson",
            r"^unrecognised.geojson: none of the six regions \(crimea, donetsk, luhansk, "
            r"kherson, zaporizhzhia, kursk\) was recognised in 2 feature\(s\); give each feature "
            r"a name such as 'Donetsk' or an ISO 3166-2 code such as 'UA-14'",
        ),
    ],
)
def test_unusable_files_raise_a_clear_error(name, message):
    with pytest.raises(GeodataError, match=message):
        geodata.read_geojson(_fixture(name))


def test_points_only_lists_the_feature_problem():
    with pytest.raises(GeodataError) as err:
        geodata.read_geojson(_fixture("points_only.geojson"))
    assert err.value.problems == [
        "points_only.geojson feature 0 (name='Kherson'): geometry is a Point; expected Polygon "
        "or MultiPolygon"
    ]


def test_file_over_the_size_limit():
    with pytest.raises(
        GeodataError,
        match=r"^natural_earth.geojson is 7,\d{3} bytes \(0.0 MiB\), larger than the limit of "
        r"1,000 bytes \(0.0 MiB\); simplify the file or raise the limit \(max_bytes=\.\.\., or "
        r"mapdash validate --max-bytes N\)$",
    ):
        geodata.read_geojson(_fixture("natural_earth.geojson"), max_bytes=1000)


def test_other_unusable_inputs(tmp_path):
    cases = {
        "latin1.geojson": (
            b'{"type": "FeatureCollection", "features": [], "n": "\xe9"}',
            "not UTF-8",
        ),
        "nolist.geojson": (b'{"type": "FeatureCollection"}', "has no 'features' list"),
        "list.geojson": (b"[1, 2]", "top-level type is 'list'"),
        "badcrs.geojson": (
            b'{"type": "FeatureCollection", "crs": {"type": "link"}, "features": []}',
            r"'crs' member \{\"type\": \"link\"\} not understood",
        ),
        "empty.geojson": (
            b'{"type": "FeatureCollection", "features": []}',
            "no usable Polygon or MultiPolygon feature among 0 feature",
        ),
    }
    for filename, (content, message) in cases.items():
        path = tmp_path / filename
        path.write_bytes(content)
        with pytest.raises(GeodataError, match=f"^{filename}.*{message}"):
            geodata.read_geojson(path)
    with pytest.raises(GeodataError, match="missing.geojson: cannot read the file"):
        geodata.read_geojson(tmp_path / "missing.geojson")


def test_single_feature_and_bom_are_accepted(tmp_path):
    source = json.loads(_fixture("gadm.geojson").read_text(encoding="utf-8"))
    path = tmp_path / "one.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(source["features"][0]).encode())
    report = geodata.read_geojson(path)
    assert list(report.regions.index) == ["donetsk"]


def test_malformed_coordinates_are_a_feature_problem(tmp_path):
    source = json.loads(_fixture("gadm.geojson").read_text(encoding="utf-8"))
    source["features"].append(
        {
            "type": "Feature",
            "properties": {"name": "Kursk"},
            "geometry": {"type": "Polygon", "coordinates": [[["a", "b"]]]},
        }
    )
    path = tmp_path / "coords.geojson"
    path.write_text(json.dumps(source))
    report = geodata.read_geojson(path)
    assert report.problems[0].startswith(
        "coords.geojson feature 3 (name='Kursk'): Polygon coordinates are malformed ("
    )
    assert "kursk" not in report.regions.index


# --- mapdash validate -------------------------------------------------------------------------


def test_cli_validate_good_file(runner):
    result = runner.invoke(main, ["validate", str(_fixture("natural_earth.geojson"))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "natural_earth.geojson: 8 feature(s), CRS EPSG:4326 (no 'crs' member; RFC 7946 "
        "longitude/latitude)"
    )
    assert (
        '  feature 2 (name="Donets\'k"): donetsk (by name="Donets\'k"); Polygon, clockwise rings'
    ) in lines
    assert "  feature 7 (name='Kiev City'): no region matched; Polygon, clockwise rings" in lines
    assert "regions found: crimea, donetsk, luhansk, kherson, zaporizhzhia, kursk" in lines
    assert lines[-1] == "no problems"


def test_cli_validate_usable_file_with_problems(runner):
    result = runner.invoke(main, ["validate", str(_fixture("duplicates.geojson"))])
    assert result.exit_code == 0, result.output
    assert "1 problem(s):" in result.output
    assert (
        "  - duplicates.geojson: region donetsk appears in 2 features (0 (name='Donetsk'), "
        "1 (name='Donetsk')); merged them into one"
    ) in result.output


def test_cli_validate_implausible_file_exits_1_with_reasons_first(runner):
    result = runner.invoke(main, ["validate", str(_fixture("bowtie.geojson"))])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: bowtie.geojson fails 1 plausibility check(s) and was not")
    assert lines[1] == (
        "  - bowtie.geojson: region luhansk covers 6,103 km2, 23% of the 26,310 km2 of Luhansk "
        "as shipped (Natural Earth); expected between 50% and 200% - the boundary is broken or "
        "names the wrong area"
    )
    assert lines[2].startswith(
        "  - bowtie.geojson feature 1 (name='Luhansk'): invalid geometry (Self-intersection"
    )


def test_cli_validate_unusable_file_exits_1_with_problems(runner):
    result = runner.invoke(main, ["validate", str(_fixture("points_only.geojson"))])
    assert result.exit_code == 1
    assert result.output == (
        "Error: points_only.geojson: no usable Polygon or MultiPolygon feature among 1 "
        "feature(s)\n"
        "  - points_only.geojson feature 0 (name='Kherson'): geometry is a Point; expected "
        "Polygon or MultiPolygon\n"
    )


def test_cli_validate_json(runner):
    result = runner.invoke(
        main, ["validate", str(_fixture("projected_3857.geojson")), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["usable"] is True
    assert data["crs"] == "EPSG:3857 (legacy 'crs' member)"
    assert data["regions"] == ["donetsk", "luhansk"]
    assert data["missing"] == ["crimea", "kherson", "zaporizhzhia", "kursk"]
    assert data["features"][0]["region"] == "donetsk"
    assert data["features"][0]["matched_by"] == "name"


def test_cli_validate_json_unusable(runner):
    result = runner.invoke(
        main, ["validate", str(_fixture("unrecognised.geojson")), "--format", "json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["usable"] is False
    assert data["error"].startswith("unrecognised.geojson: none of the six regions")


def test_cli_validate_max_bytes(runner):
    result = runner.invoke(
        main, ["validate", str(_fixture("natural_earth.geojson")), "--max-bytes", "1000"]
    )
    assert result.exit_code == 1
    assert "larger than the limit of 1,000 bytes" in result.output
    assert "mapdash validate --max-bytes N" in result.output


def test_cli_validate_missing_file_is_usage_error(runner):
    result = runner.invoke(main, ["validate", "no-such-file.geojson"])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_epsg_crs_member_and_a_crs_that_does_not_fit(tmp_path):
    projected = json.loads(_fixture("projected_3857.geojson").read_text(encoding="utf-8"))
    projected["crs"] = {"type": "EPSG", "properties": {"code": 3857}}
    path = tmp_path / "epsg.geojson"
    path.write_text(json.dumps(projected))
    assert geodata.read_geojson(path).crs == "EPSG:3857 (legacy 'crs' member)"
    projected["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}
    path.write_text(json.dumps(projected))
    with pytest.raises(
        GeodataError,
        match=r"^epsg.geojson: read as EPSG:4326 \(the 'crs' member\), the coordinates reach "
        r"longitude 4.06665e\+06\.\.4.47054e\+06, .* the 'crs' member does not describe these "
        r"coordinates - correct it or remove it$",
    ):
        geodata.read_geojson(path)


def test_geometry_collections_and_unrepairable_geometry(tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [[[37, 47], [37, 48], [38, 48], [38, 47], [37, 47]]],
    }
    line = {"type": "LineString", "coordinates": [[37, 47], [38, 48]]}
    flat = {"type": "Polygon", "coordinates": [[[37, 47], [38, 48], [37, 47], [37, 47]]]}
    cases = [
        (
            {"type": "GeometryCollection", "geometries": [square, line]},
            "geometry is a GeometryCollection; kept its polygons only",
            True,
        ),
        (
            {"type": "GeometryCollection", "geometries": [line]},
            "geometry is a GeometryCollection without polygons; expected Polygon or MultiPolygon",
            False,
        ),
        (
            flat,
            "invalid geometry (Too few points in geometry component[37 47]) and nothing "
            "polygonal is left after repair; ignored",
            False,
        ),
    ]
    for geometry, message, used in cases:
        path = tmp_path / "gc.geojson"
        path.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "properties": {"name": "Donetsk"}, "geometry": square},
                        {
                            "type": "Feature",
                            "properties": {"name": "Luhansk"},
                            "geometry": geometry,
                        },
                        "not a feature",
                    ],
                }
            )
        )
        report = geodata.read_geojson(path)
        assert report.features[1].problems == (f"gc.geojson feature 1 (name='Luhansk'): {message}",)
        assert report.features[1].used is used
        assert report.features[2].problems == ("gc.geojson feature 2: not a Feature object",)


def test_validate_warns_when_a_region_is_somewhat_small(tmp_path):
    frame = geodata.shipped_regions()
    shrunk = frame.geometry["donetsk"].buffer(-0.05)
    path = tmp_path / "shrunk.geojson"
    path.write_bytes(geodata.dumps_geojson([({"name": "Donetsk"}, shrunk)], decimals=5))
    report = geodata.validate_file(path)
    (problem,) = report.problems
    assert re.fullmatch(
        r"shrunk\.geojson: region donetsk covers 2\d,\d{3} km2, 1\d% less than the reference "
        r"26,599 km2; part of the region may be missing",
        problem,
    )


def test_load_context_needs_id_and_name(tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [[[37, 47], [37, 48], [38, 48], [38, 47], [37, 47]]],
    }
    (tmp_path / "context_web.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"kind": "country", "id": 7},
                        "geometry": square,
                    }
                ],
            }
        )
    )
    with pytest.raises(GeodataError) as err:
        geodata.load_context(geodata_dir=tmp_path)
    assert err.value.problems == [
        "context_web.geojson feature 0 (id=7): needs string properties 'id' and 'name'"
    ]


def test_writer_refuses_non_finite_coordinates():
    broken = shapely.Point(30.5, float("nan"))
    with pytest.raises(GeodataError, match="refusing to write a geometry with non-finite"):
        geodata.dumps_geojson([({"id": "x"}, broken)], decimals=3)
