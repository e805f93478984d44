"""Regenerate the small GeoJSON fixtures of this folder from the committed region data.

    .venv/bin/python tests/data/geojson/make_fixtures.py

Each fixture imitates one real-world source or one defect. Geometry is the real boundary,
simplified to about 5 km and rounded to 3 decimals, so files stay a few KB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas
import shapely
from shapely.geometry import box, mapping

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
TOLERANCE = 0.05
# Sevastopol's municipal area, roughly: cut out of Crimea to imitate Natural Earth's two features.
SEVASTOPOL_BOX = box(33.35, 44.38, 33.95, 44.82)


def _regions() -> dict[str, Any]:
    frame = geopandas.read_file(ROOT / "geodata" / "regions.geojson").set_index("id")
    return {
        rid: shapely.simplify(geom, TOLERANCE, preserve_topology=True)
        for rid, geom in frame.geometry.items()
    }


def _rounded(value: Any) -> Any:
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], float | int):
            return [round(float(v), 3) for v in value]
        return [_rounded(v) for v in value]
    return value


def _geometry(geom: Any, *, clockwise: bool = True) -> dict[str, Any]:
    oriented = shapely.orient_polygons(geom, exterior_cw=clockwise)
    data = mapping(oriented)
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"])}


def _feature(properties: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _write(name: str, features: list[dict[str, Any]], **extra: Any) -> None:
    data = {"type": "FeatureCollection", **extra, "features": features}
    (HERE / name).write_text(json.dumps(data, ensure_ascii=False, indent=None) + "\n")


def main() -> None:
    regions = _regions()
    crimea_only = regions["crimea"].difference(SEVASTOPOL_BOX)
    sevastopol = regions["crimea"].intersection(SEVASTOPOL_BOX)

    # Natural Earth admin-1: broken iso_3166_2 "UA-", HASC codes, name_alt lists, Crimea and
    # Sevastopol apart, a Kyiv City carrying Khmelnytskyi's HASC code, clockwise rings.
    ne = [
        ("Crimea", "UA.KR", "Crimée|Krim|Respublika Krym", crimea_only),
        ("Sevastopol", "UA.SC", None, sevastopol),
        ("Donets'k", "UA.DT", "Donetsk|Donetskaya Oblast'|Donezk", regions["donetsk"]),
        ("Luhans'k", "UA.LH", "Luhansk|Lugansk", regions["luhansk"]),
        ("Kherson", "UA.KS", None, regions["kherson"]),
        ("Zaporizhzhya", "UA.ZP", "Zaporizhia|Zaporozh'ye", regions["zaporizhzhia"]),
        ("Kursk", "RU.KS", None, regions["kursk"]),
        ("Kiev City", "UA.KM", "Kyïvs'ka mis'ka rada", box(30.3, 50.3, 30.7, 50.6)),
    ]
    _write(
        "natural_earth.geojson",
        [
            _feature(
                {
                    "name": name,
                    "iso_3166_2": "UA-" if hasc.startswith("UA") else "RU-",
                    "code_hasc": hasc,
                    "name_alt": alt,
                    "admin": "Ukraine" if hasc.startswith("UA") else "Russia",
                },
                _geometry(geom),
            )
            for name, hasc, alt, geom in ne
        ],
    )

    # geoBoundaries ADM1: shapeName/shapeISO, RFC 7946 counter-clockwise rings.
    gb = [
        ("Donetsk Oblast", "UA-14", regions["donetsk"]),
        ("Luhansk Oblast", "UA-09", regions["luhansk"]),
        ("Zaporizhia Oblast", "UA-23", regions["zaporizhzhia"]),
        ("Kherson Oblast", "UA-65", regions["kherson"]),
        ("Autonomous Republic of Crimea", "UA-43", crimea_only),
        ("Sevastopol", "UA-40", sevastopol),
    ]
    _write(
        "geoboundaries.geojson",
        [
            _feature(
                {"shapeName": name, "shapeISO": iso, "shapeGroup": "UKR", "shapeType": "ADM1"},
                _geometry(geom, clockwise=False),
            )
            for name, iso, geom in gb
        ],
    )

    # GADM level 1: NAME_1/HASC_1/VARNAME_1 ("|"-separated), every geometry a MultiPolygon.
    gadm = [
        ("UKR.5_1", "Donets'k", "UA.DT", "Donetsk|Donetskaya Oblast'", "donetsk"),
        ("UKR.14_1", "Luhans'k", "UA.LH", "Lugansk|Luganskaya Oblast'", "luhansk"),
        ("UKR.9_1", "Kherson", "UA.KS", "Khersonskaya Oblast'", "kherson"),
    ]
    _write(
        "gadm.geojson",
        [
            _feature(
                {"GID_1": gid, "NAME_1": name, "HASC_1": hasc, "VARNAME_1": var, "GID_0": "UKR"},
                _geometry(shapely.MultiPolygon(shapely.get_parts(regions[rid]))),
            )
            for gid, name, hasc, var, rid in gadm
        ],
    )

    # OpenStreetMap boundary export: local name, name:en, ISO3166-2; one Polygon, one
    # MultiPolygon; counter-clockwise rings as osmtogeojson writes them.
    _write(
        "osm.geojson",
        [
            _feature(
                {
                    "name": "Запорізька область",
                    "name:en": "Zaporizhzhia Oblast",
                    "ISO3166-2": "UA-23",
                    "admin_level": "4",
                },
                _geometry(regions["zaporizhzhia"], clockwise=False),
            ),
            _feature(
                {
                    "name": "Курская область",
                    "name:en": "Kursk Oblast",
                    "ISO3166-2": "RU-KRS",
                    "admin_level": "4",
                },
                _geometry(shapely.MultiPolygon([regions["kursk"]]), clockwise=False),
            ),
        ],
    )

    # Web Mercator coordinates with the legacy (GeoJSON 2008) "crs" member.
    mercator = geopandas.GeoSeries([regions["donetsk"], regions["luhansk"]], crs=4326)
    mercator = mercator.to_crs(3857)
    crs_member = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    projected = [
        _feature({"name": "Donetsk"}, _geometry_metres(mercator.iloc[0])),
        _feature({"name": "Luhansk"}, _geometry_metres(mercator.iloc[1])),
    ]
    _write("projected_3857.geojson", projected, crs=crs_member)
    _write("no_crs_metres.geojson", projected)
    _write(
        "unknown_crs.geojson",
        projected,
        crs={"type": "name", "properties": {"name": "EPSG:999999"}},
    )

    # A self-intersecting bow-tie ring (Luhansk) next to a valid Donetsk.
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[38.5, 48.5], [40.0, 49.5], [40.0, 48.5], [38.5, 49.5], [38.5, 48.5]]],
    }
    _write(
        "bowtie.geojson",
        [
            _feature({"name": "Donetsk"}, _geometry(regions["donetsk"])),
            _feature({"name": "Luhansk"}, bowtie),
        ],
    )

    # A Point where a polygon belongs, a feature without geometry, an empty polygon.
    _write(
        "wrong_geometry.geojson",
        [
            _feature({"name": "Kherson"}, {"type": "Point", "coordinates": [32.6, 46.6]}),
            _feature({"name": "Kursk"}, None),
            _feature({"name": "Luhansk"}, {"type": "Polygon", "coordinates": []}),
            _feature({"name": "Donetsk"}, _geometry(regions["donetsk"])),
        ],
    )
    _write(
        "points_only.geojson",
        [_feature({"name": "Kherson"}, {"type": "Point", "coordinates": [32.6, 46.6]})],
    )

    # Donetsk split over two features (north and south halves), and two unrelated oblasts.
    donetsk = regions["donetsk"]
    north = donetsk.intersection(box(36, 48.2, 39, 50))
    south = donetsk.difference(box(36, 48.2, 39, 50))
    _write(
        "duplicates.geojson",
        [
            _feature({"name": "Donetsk", "part": "north"}, _geometry(north)),
            _feature({"name": "Donetsk", "part": "south"}, _geometry(south)),
            _feature({"name": "Poltava"}, _geometry(box(33, 49, 35, 50))),
        ],
    )

    # Nothing the registry knows: a made-up place and a control layer without properties.
    _write(
        "unrecognised.geojson",
        [
            _feature({"name": "Atlantis"}, _geometry(box(10, 10, 11, 11))),
            _feature({}, _geometry(box(37, 47, 38, 48))),
        ],
    )

    # Donetsk and Zaporizhzhia with 12 nautical miles (22.2 km) of territorial sea in the Sea
    # of Azov, as some national boundary files draw them: 15-30% more area than the land.
    context = geopandas.read_file(ROOT / "geodata" / "context_web.geojson")
    land = shapely.union_all([*regions.values(), *context.geometry])
    laea = "+proj=laea +lat_0=47 +lon_0=36 +datum=WGS84"
    with_sea = []
    for rid in ("donetsk", "zaporizhzhia"):
        grown = geopandas.GeoSeries([regions[rid]], crs=4326).to_crs(laea).buffer(22_224)
        sea = grown.to_crs(4326).iloc[0].difference(land)
        parts = [p for p in shapely.get_parts(regions[rid].union(sea)) if p.area > 0.01]
        merged = shapely.simplify(shapely.union_all(parts), TOLERANCE, preserve_topology=True)
        with_sea.append((rid, merged))
    _write(
        "territorial_sea.geojson",
        [
            _feature({"name": rid.title(), "note": "land plus 12 nm of sea"}, _geometry(geom))
            for rid, geom in with_sea
        ],
    )

    # A bare geometry instead of a FeatureCollection, and broken JSON.
    (HERE / "bare_geometry.geojson").write_text(json.dumps(_geometry(box(37, 47, 38, 48))) + "\n")
    (HERE / "malformed.geojson").write_text(
        '{"type": "FeatureCollection",\n "features": [\n'
        '  {"type": "Feature", "properties": {"name": "Donetsk"} "geometry": null}\n]}\n'
    )


def _geometry_metres(geom: Any) -> dict[str, Any]:
    data = mapping(shapely.orient_polygons(geom, exterior_cw=True))
    coords = json.loads(json.dumps(data["coordinates"]))

    def whole(value: Any) -> Any:
        if value and isinstance(value[0], float | int):
            return [round(float(v)) for v in value]
        return [whole(v) for v in value]

    return {"type": data["type"], "coordinates": whole(coords)}


if __name__ == "__main__":
    main()
