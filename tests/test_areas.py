"""`mapdash areas` and region_areas: land areas in km2 from an equal-area projection."""

from __future__ import annotations

import json

import pytest
from pyproj import Geod

from mapdash import geodata
from mapdash.cli import main

# Natural Earth land areas (official figures count some water, e.g. Kherson 28,461 km2).
EXPECTED_KM2 = {
    "crimea": 27_100,
    "donetsk": 26_600,
    "luhansk": 26_300,
    "kherson": 26_200,
    "zaporizhzhia": 27_100,
    "kursk": 30_100,
}


def test_region_areas_of_the_committed_data_are_within_two_percent():
    areas = geodata.region_areas(geodata.load_regions(resolution="full"))
    assert list(areas) == list(EXPECTED_KM2)
    for region, expected in EXPECTED_KM2.items():
        assert areas[region] == pytest.approx(expected, rel=0.02), region


def test_equal_area_projection_agrees_with_geodesic_areas():
    gdf = geodata.load_regions(resolution="full")
    geod = Geod(ellps="WGS84")
    areas = geodata.region_areas(gdf)
    for region, geom in gdf.geometry.items():
        geodesic = abs(geod.geometry_area_perimeter(geom)[0]) / 1e6
        assert areas[region] == pytest.approx(geodesic, rel=1e-3), region


def test_web_simplification_keeps_areas_within_half_a_percent():
    full = geodata.region_areas(geodata.load_regions(resolution="full"))
    web = geodata.region_areas(geodata.load_regions(resolution="web"))
    for region in EXPECTED_KM2:
        assert web[region] == pytest.approx(full[region], rel=0.005), region


def test_areas_json(runner):
    result = runner.invoke(main, ["areas", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["region"] for row in rows] == list(EXPECTED_KM2)
    assert rows[0]["name"] == "Crimea"
    for row in rows:
        assert row["area_km2"] == pytest.approx(EXPECTED_KM2[row["region"]], rel=0.02)


def test_areas_table(runner):
    result = runner.invoke(main, ["areas"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["region", "name", "area", "km2"]
    by_region = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(by_region) == list(EXPECTED_KM2)
    assert by_region["zaporizhzhia"][1] == "Zaporizhzhia"
    for region, expected in EXPECTED_KM2.items():
        shown = int(by_region[region][-1].replace(",", ""))
        assert shown == pytest.approx(expected, rel=0.02), region


def test_areas_of_another_file(runner, data_dir):
    result = runner.invoke(
        main,
        ["areas", "--format", "json", "--regions", str(data_dir / "geojson" / "osm.geojson")],
    )
    assert result.exit_code == 0, result.output
    rows = {row["region"]: row["area_km2"] for row in json.loads(result.output)}
    assert list(rows) == ["zaporizhzhia", "kursk"]
    # Simplified to ~5 km, so a little off the full-resolution figure.
    assert rows["kursk"] == pytest.approx(30_100, rel=0.03)


def test_areas_of_an_unusable_file_is_a_clean_error(runner, data_dir):
    result = runner.invoke(
        main, ["areas", "--regions", str(data_dir / "geojson" / "malformed.geojson")]
    )
    assert result.exit_code == 1
    assert "Error: malformed.geojson is not valid JSON: Expecting ',' delimiter at line 3" in (
        result.output
    )
    assert "Traceback" not in result.output
