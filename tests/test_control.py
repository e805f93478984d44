"""Control layers: dates, schemas, defects and their messages; measured occupation per region."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import box

from mapdash import control, geodata
from mapdash.cli import main
from mapdash.errors import GeodataError


@pytest.fixture(scope="session")
def layers(data_dir):
    return data_dir / "geojson" / "control"


@pytest.fixture(scope="session")
def full_regions():
    return geodata.load_regions(resolution="full")


def _geodesic_km2(geom) -> float:
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6


def test_date_from_the_file_name_with_empty_properties_and_rfc7946_rings(layers):
    layer = control.read_control(layers / "control_2025-08-15.geojson")
    assert layer.date == dt.date(2025, 8, 15)
    assert layer.date_source == "file name"
    assert layer.file_name == "control_2025-08-15.geojson"
    # Re-oriented clockwise, so plotly draws the territory and not its complement.
    assert all(not shapely.is_ccw(p.exterior) for p in shapely.get_parts(layer.geometry))
    assert any("counter-clockwise (RFC 7946 order)" in note for note in layer.notes)
    assert layer.problems == ()


def test_date_from_a_property_with_mixed_geometry_types(layers):
    layer = control.read_control(layers / "frontline_export.geojson")
    assert (layer.date, layer.date_source, layer.features_read) == (
        dt.date(2025, 6, 1),
        "property",
        2,
    )
    assert any("geometry types are mixed (MultiPolygon x1, Polygon x1)" in n for n in layer.notes)


def test_projected_layer_with_a_written_date_is_reprojected(layers):
    mercator = control.read_control(layers / "occupation_3857.geojson")
    plain = control.read_control(layers / "control_2025-08-15.geojson")
    assert mercator.date == dt.date(2025, 7, 1)
    assert any("reprojected from EPSG:3857 to EPSG:4326" in n for n in mercator.notes)
    assert control.area_km2(mercator.geometry) == pytest.approx(
        control.area_km2(plain.geometry), rel=1e-4
    )


def test_a_given_date_wins_and_the_disagreement_is_reported(layers):
    layer = control.read_control(layers / "control_2025-08-15.geojson", date=dt.date(2025, 9, 3))
    assert layer.date == dt.date(2025, 9, 3)
    assert layer.date_source == "given"
    assert layer.problems == (
        "control_2025-08-15.geojson: the file name says 2025-08-15 but the date given is "
        "2025-09-03; used 2025-09-03",
    )


def test_a_layer_without_a_date_says_the_three_ways_to_give_one(layers):
    with pytest.raises(
        GeodataError,
        match=r"frontline\.geojson: no date for this control layer; name the file like "
        r"control_2025-08-15\.geojson, add a property such as \"date\": \"2025-08-15\".*"
        r"mapdash swap --date 2025-08-15",
    ):
        control.read_control(layers / "frontline.geojson")
    # A date given on upload is enough.
    assert control.read_control(layers / "frontline.geojson", date=dt.date(2025, 1, 2)).date == (
        dt.date(2025, 1, 2)
    )


def test_a_date_property_that_is_not_a_date_is_listed_as_a_problem(layers):
    with pytest.raises(GeodataError, match="bad_date.geojson: no date") as caught:
        control.read_control(layers / "bad_date.geojson")
    assert caught.value.problems == [
        "bad_date.geojson feature 0: property date='soon' is not a date; expected e.g. '2025-08-15'"
    ]


def test_two_dates_in_one_file_are_refused(layers):
    with pytest.raises(
        GeodataError,
        match=r"two_dates\.geojson: the features name 2 different dates \(2025-06-01 \(feature 0 "
        r"date='2025-06-01'\); 2025-07-01 \(feature 1 date='2025-07-01'\)\); a control layer "
        r"shows one date - split it into one file per date",
    ):
        control.read_control(layers / "two_dates.geojson")


def test_a_layer_mostly_outside_ukraine_is_refused(layers):
    with pytest.raises(
        GeodataError,
        match=r"control_2025-08-15_swapped\.geojson: 100% of the layer \([\d,]+ of [\d,]+ km2\) "
        r"lies outside Ukraine and Kursk; .* check that longitude and latitude are not swapped",
    ):
        control.read_control(layers / "control_2025-08-15_swapped.geojson")


def test_a_layer_partly_at_sea_is_measured_with_a_warning(layers, tmp_path):
    plain = control.read_control(layers / "control_2025-08-15.geojson")
    sea = box(36.0, 45.5, 37.5, 46.3)  # the Sea of Azov off Berdiansk
    data = {
        "type": "Feature",
        "properties": {"date": "2025-08-15"},
        "geometry": shapely.geometry.mapping(shapely.union(plain.geometry, sea)),
    }
    path = tmp_path / "with_sea.geojson"
    path.write_text(json.dumps(data))
    layer = control.read_control(path)
    (warning,) = layer.problems
    assert re.match(
        r"with_sea\.geojson: \d+% of the layer \([\d,]+ km2\) lies outside Ukraine and Kursk "
        r"\(sea or Russian territory\?\); only the parts inside the regions are measured",
        warning,
    )


def test_points_only_is_unusable(layers):
    with pytest.raises(GeodataError, match="no usable Polygon or MultiPolygon feature") as caught:
        control.read_control(layers / "control_2025-08-15_points.geojson")
    assert caught.value.problems == [
        "control_2025-08-15_points.geojson feature 0 (no name): geometry is a Point; expected "
        "Polygon or MultiPolygon"
    ]


def test_invalid_rings_are_repaired_and_said_so(layers):
    layer = control.read_control(layers / "control_2025-09-01_bowtie.geojson")
    assert layer.date == dt.date(2025, 9, 1)
    assert layer.geometry.is_valid
    assert any(
        "invalid geometry (Self-intersection[38.25 47.75]); repaired with shapely.make_valid" in p
        for p in layer.problems
    )


def test_occupied_matches_geodesic_areas_of_the_overlap(layers, full_regions):
    layer = control.read_control(layers / "control_2025-08-15.geojson")
    measured = {m.region: m for m in control.occupied(full_regions, layer.geometry)}
    assert list(measured) == list(full_regions.index)
    for rid, geom in full_regions.geometry.items():
        expected = _geodesic_km2(shapely.intersection(geom, layer.geometry))
        assert measured[rid].occupied_km2 == pytest.approx(expected, rel=2e-3, abs=1.0), rid
    # The fixture holds Donetsk east of 37.6E, all of Luhansk and Crimea (simplified to ~2 km).
    donetsk = full_regions.geometry["donetsk"]
    east = _geodesic_km2(shapely.intersection(donetsk, box(37.6, 40, 45, 50)))
    assert measured["donetsk"].occupied_km2 == pytest.approx(east, rel=0.01)
    assert measured["donetsk"].occupied_share == pytest.approx(0.533, abs=0.005)
    assert measured["luhansk"].occupied_share == pytest.approx(1.0, abs=0.01)
    assert measured["zaporizhzhia"].occupied_km2 == 0.0
    assert measured["kursk"].occupied_share == 0.0


def test_measured_sentence():
    fact = control.RegionControl("donetsk", 26_500.0, 20_400.0)
    assert control.measured_sentence(fact, "Donetsk", dt.date(2025, 8, 15)) == (
        "Russia holds 20,400 km2 (77%) of Donetsk per control layer of 2025-08-15"
    )


def test_layer_at_picks_the_nearest_earlier_layer(layers):
    june = control.read_control(layers / "frontline_export.geojson")
    august = control.read_control(layers / "control_2025-08-15.geojson")
    both = [august, june]
    assert control.layer_at(both, dt.date(2025, 5, 31)) is None
    assert control.layer_at(both, dt.date(2025, 6, 1)) is june
    assert control.layer_at(both, dt.date(2025, 8, 14)) is june
    assert control.layer_at(both, dt.date(2025, 12, 1)) is august


def test_installed_layers_lists_dated_files_oldest_first(tmp_path, layers):
    folder = tmp_path / "control"
    folder.mkdir()
    for name in ("control_2025-08-15.geojson", "control_2024-01-02.geojson", "notes.txt"):
        shutil.copy(layers / "control_2025-08-15.geojson", folder / name)
    listed = control.installed_layers(tmp_path)
    assert [f.date for f in listed] == [dt.date(2024, 1, 2), dt.date(2025, 8, 15)]


def test_areas_control_json(runner, layers):
    result = runner.invoke(
        main,
        ["areas", "--format", "json", "--control", str(layers / "control_2025-08-15.geojson")],
    )
    assert result.exit_code == 0, result.output
    rows = {row["region"]: row for row in json.loads(result.output)}
    assert list(rows) == ["crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk"]
    donetsk = rows["donetsk"]
    assert donetsk["control_date"] == "2025-08-15"
    assert donetsk["occupied_km2"] == pytest.approx(14_180, rel=0.01)
    assert donetsk["occupied_share"] == pytest.approx(donetsk["occupied_km2"] / 26_599, abs=1e-3)
    assert 0 <= min(r["occupied_share"] for r in rows.values())
    assert max(r["occupied_share"] for r in rows.values()) <= 1


def test_areas_control_table_and_given_date(runner, layers):
    result = runner.invoke(
        main,
        [
            "areas",
            "--control",
            str(layers / "frontline.geojson"),
            "--date",
            "2025-08-01",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["region", "name", "area", "km2", "occupied", "km2", "share"]
    donetsk = next(line for line in lines if line.startswith("donetsk"))
    assert donetsk.split()[-2:] == ["14,180", "53%"]


def test_areas_control_against_swapped_boundaries(runner, data_dir, layers):
    result = runner.invoke(
        main,
        [
            "areas",
            "--format",
            "json",
            "--regions",
            str(data_dir / "geojson" / "geoboundaries.geojson"),
            "--control",
            str(layers / "control_2025-08-15.geojson"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = {row["region"]: row for row in json.loads(result.output)}
    swapped = geodata.read_geojson(data_dir / "geojson" / "geoboundaries.geojson").regions
    assert list(rows) == list(swapped.index)
    layer = control.read_control(layers / "control_2025-08-15.geojson")
    for rid, geom in swapped.geometry.items():
        expected = _geodesic_km2(shapely.intersection(geom, layer.geometry))
        assert rows[rid]["occupied_km2"] == pytest.approx(expected, rel=2e-3, abs=1.0), rid


def test_areas_control_errors_are_clean(runner, layers):
    result = runner.invoke(
        main, ["areas", "--control", str(layers / "two_dates.geojson")], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Error: two_dates.geojson: the features name 2 different dates" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "value",
    ["2025-08-15", "2025-08-15T06:00:00Z", "15 August 2025", "Aug 15, 2025", 1755216000000],
)
def test_date_properties_as_tools_write_them(tmp_path, layers, value):
    data = json.loads((layers / "frontline.geojson").read_text())
    data["features"][0]["properties"] = {"as_of": value}
    path = tmp_path / "layer.geojson"
    path.write_text(json.dumps(data))
    assert control.read_control(path).date == dt.date(2025, 8, 15)
