"""Regenerate the control-layer fixtures in control/ from the committed region data.

    .venv/bin/python tests/data/geojson/make_control_fixtures.py

The "held" territory is made up from simple shapes so that tests can compute the expected
numbers independently: everything of Luhansk, Donetsk east of 37.6E, and Crimea. Each file
imitates one way real control layers arrive, or one defect.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas
import pyproj
import shapely
from shapely.geometry import box, mapping

HERE = Path(__file__).resolve().parent
OUT = HERE / "control"
ROOT = HERE.parent.parent.parent
#: Donetsk east of this longitude is "held" in the fixtures.
DONETSK_LINE_LON = 37.6


def _regions() -> dict[str, Any]:
    frame = geopandas.read_file(ROOT / "geodata" / "regions.geojson").set_index("id")
    return {
        rid: shapely.simplify(geom, 0.02, preserve_topology=True)
        for rid, geom in frame.geometry.items()
    }


def held(regions: dict[str, Any]) -> Any:
    """The made-up held territory (see the module docstring)."""
    east = shapely.intersection(regions["donetsk"], box(DONETSK_LINE_LON, 40, 45, 50))
    return shapely.union_all([east, regions["luhansk"], regions["crimea"]])


def _rounded(value: Any, decimals: int = 4) -> Any:
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], float | int):
            return [round(float(v), decimals) for v in value]
        return [_rounded(v, decimals) for v in value]
    return value


def _geometry(geom: Any, *, clockwise: bool, decimals: int = 4) -> dict[str, Any]:
    data = mapping(shapely.orient_polygons(geom, exterior_cw=clockwise))
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"], decimals)}


def _feature(properties: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _write(name: str, features: list[dict[str, Any]], **extra: Any) -> None:
    data = {"type": "FeatureCollection", **extra, "features": features}
    (OUT / name).write_text(json.dumps(data) + "\n")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    regions = _regions()
    territory = held(regions)
    parts = list(shapely.get_parts(territory))

    # The common case: one MultiPolygon, empty properties, RFC 7946 winding, date in the name.
    _write("control_2025-08-15.geojson", [_feature({}, _geometry(territory, clockwise=False))])
    # Several features, Polygon and MultiPolygon mixed, clockwise, the date in a property.
    _write(
        "frontline_export.geojson",
        [
            _feature({"date": "2025-06-01", "name": "first"}, _geometry(parts[0], clockwise=True)),
            _feature(
                {"date": "2025-06-01", "name": "rest"},
                _geometry(shapely.MultiPolygon(parts[1:]), clockwise=True),
            ),
        ],
    )
    # Projected (Web Mercator) with the legacy crs member; the date as "as_of".
    to_3857 = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)
    projected = shapely.transform(territory, to_3857.transform, interleaved=False)
    _write(
        "occupation_3857.geojson",
        [_feature({"as_of": "1 July 2025"}, _geometry(projected, clockwise=True, decimals=1))],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
    )
    # A self-intersecting (bow-tie) ring next to the real layer: repaired, and said so.
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[38.0, 47.5], [38.5, 48.0], [38.5, 47.5], [38.0, 48.0], [38.0, 47.5]]],
    }
    _write(
        "control_2025-09-01_bowtie.geojson",
        [_feature({}, _geometry(territory, clockwise=True)), _feature({}, bowtie)],
    )
    # No date anywhere.
    _write("frontline.geojson", [_feature({}, _geometry(territory, clockwise=True))])
    # Two dates in one file.
    _write(
        "two_dates.geojson",
        [
            _feature({"date": "2025-06-01"}, _geometry(parts[0], clockwise=True)),
            _feature({"date": "2025-07-01"}, _geometry(parts[1], clockwise=True)),
        ],
    )
    # A date property that is not a date (the file name has none either).
    _write("bad_date.geojson", [_feature({"date": "soon"}, _geometry(territory, clockwise=True))])
    # Longitude and latitude swapped: the layer lands far from Ukraine.
    swapped = shapely.transform(territory, lambda xy: xy[:, ::-1])
    _write("control_2025-08-15_swapped.geojson", [_feature({}, _geometry(swapped, clockwise=True))])
    # Points only: nothing to draw.
    _write(
        "control_2025-08-15_points.geojson",
        [_feature({}, {"type": "Point", "coordinates": [37.8, 48.0]})],
    )


if __name__ == "__main__":
    main()
