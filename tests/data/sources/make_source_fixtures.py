"""Regenerate the public-source fixtures in this folder from the committed region data.

    .venv/bin/python tests/data/sources/make_source_fixtures.py

They imitate what ``mapdash control pull`` reads, in the shapes the real sources publish:

- ``deepstate/history_public.json``: DeepStateMap's list of published map versions
  (``/api/history/public``): ``id`` (the Unix time of the version), ``datetime``, changelog
  text in Ukrainian and English, ``createdAt``/``updatedAt``;
- ``deepstate/<id>.geojson``: one version's whole map (``/api/history/<id>/geojson``): polygons
  of every status (occupied since 2022, the pre-2022 areas, Crimea, liberated, grey zone, the
  site's "territories" outside Ukraine), unit markers, headquarters, airfields and arrows as
  Points, trilingual names ``Ukrainian /// English /// i18n key``, KML-style styling
  properties and 3-D positions (height 0);
- ``archive/deepstatemap_data_<YYYYMMDD>.geojson``: the community daily archive: one
  MultiPolygon of all occupied territory, empty properties, the legacy ``crs`` member and a
  ``name``, the date only in the file name;
- ``bad/``: snapshots that must be refused: cut off mid-download, a broken polygon, a layer
  in the Black Sea, a layer of all of Ukraine.

The occupied area is drawn by hand, vertex by vertex, along the front of August 2025 (coarse,
to within 10-20 km), and clipped to the shipped outline of Ukraine; every week the line near
Pokrovsk moves a little west, so that the three dated versions differ.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Polygon, mapping

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from mapdash.geodata.reference import shipped_reference  # noqa: E402

#: The Ukrainian-held side of the front from the Russian border north of Kupiansk to the Black
#: Sea, then out through the sea and Russia back to the start (clipped to Ukraine below).
FRONT = [
    (38.10, 50.20),
    (37.80, 49.85),
    (37.95, 49.40),
    (38.05, 49.10),
    (37.95, 48.70),
    (37.75, 48.45),
    (37.30, 48.30),  # near Pokrovsk: moves west week by week
    (37.05, 47.95),
    (36.60, 47.75),
    (36.15, 47.55),
    (35.30, 47.45),
    (34.90, 47.50),
    (34.20, 47.30),
    (33.40, 46.80),
    (32.60, 46.62),
    (32.05, 46.50),
    (31.60, 46.10),
    (34.00, 45.00),
    (38.40, 46.90),
    (40.60, 48.30),
    (40.40, 49.80),
    (38.80, 50.40),
]
POKROVSK = 6
#: The line of contact of 2014-2022 (the ORDLO areas east of it), with a loop through Russia.
ORDLO = [
    (39.80, 49.20),
    (39.20, 48.75),
    (38.60, 48.65),
    (38.30, 48.55),
    (38.05, 48.35),
    (37.70, 48.10),
    (37.65, 47.85),
    (37.85, 47.30),
    (37.80, 46.90),
    (41.00, 46.90),
    (41.00, 49.60),
]
LIBERATED = [(37.00, 49.05), (37.55, 49.05), (37.55, 49.50), (37.00, 49.50)]
TRANSNISTRIA = [(29.10, 47.95), (29.60, 47.35), (29.95, 46.55), (29.65, 46.50), (29.20, 47.40)]
#: Published versions: (UTC time, change log); the ones with a map file are marked.
VERSIONS = [
    ("2025-07-28T16:20:00Z", False),
    ("2025-08-01T18:05:00Z", True),
    ("2025-08-05T17:40:00Z", False),
    ("2025-08-08T19:10:00Z", True),
    ("2025-08-12T16:55:00Z", False),
    ("2025-08-15T15:30:00Z", False),
    ("2025-08-15T20:10:00Z", True),
    # 01:30 on 16 August in Kyiv: the map of the 16th.
    ("2025-08-15T22:30:00Z", False),
]
OCCUPIED_STYLE = {"fill": "#a52714", "stroke": "#a52714", "styleUrl": "#poly-A52714-2000-77-nodesc"}
PRE_2022_STYLE = {"fill": "#880e4f", "stroke": "#880e4f", "styleUrl": "#poly-880E4F-2000-77-nodesc"}


def _epoch(stamp: str) -> int:
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())


def _rounded(coords: Any, *, height: bool) -> Any:
    if isinstance(coords, list | tuple) and coords and isinstance(coords[0], float | int):
        point = [round(float(v), 4) for v in coords[:2]]
        return [*point, 0] if height else point
    return [_rounded(c, height=height) for c in coords]


def _geometry(geom: Any, *, height: bool = True) -> dict[str, Any]:
    data = mapping(shapely.orient_polygons(geom, exterior_cw=False))
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"], height=height)}


def _polygon_feature(name: str, style: dict[str, str], geom: Any) -> dict[str, Any]:
    properties = {
        "name": name,
        "description": "",
        **style,
        "fill-opacity": 0.3,
        "stroke-opacity": 1,
        "stroke-width": 2,
    }
    return {"type": "Feature", "properties": properties, "geometry": _geometry(geom)}


def _point(name: str, description: str, lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "description": description, "styleUrl": "#icon-1899-0288D1"},
        "geometry": {"type": "Point", "coordinates": [lon, lat, 0]},
    }


def _simplified(geom: Any) -> Any:
    """Simplify to ~2 km, snap to the 4-decimal grid the files are written on, drop slivers."""
    simple = shapely.simplify(geom, 0.02, preserve_topology=True)
    snapped = shapely.set_precision(shapely.make_valid(simple), 1e-4)
    parts = [p for p in shapely.get_parts(snapped) if p.geom_type == "Polygon" and p.area > 1e-3]
    result = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
    assert result.is_valid, shapely.is_valid_reason(result)
    return result


def occupied_parts(week: int) -> dict[str, Any]:
    """The occupied area of a week (0, 1, 2) in DeepState's three kinds of polygon."""
    reference = shipped_reference(ROOT / "geodata")
    ukraine = reference.ukraine
    crimea = reference.regions.geometry["crimea"]
    front = list(FRONT)
    lon, lat = front[POKROVSK]
    front[POKROVSK] = (lon - 0.04 * week, lat)
    held = shapely.intersection(Polygon(front), ukraine)
    donbas = shapely.union(
        reference.regions.geometry["donetsk"], reference.regions.geometry["luhansk"]
    )
    ordlo = shapely.intersection(shapely.intersection(Polygon(ORDLO), donbas), held)
    since_2022 = shapely.difference(shapely.difference(held, ordlo), crimea)
    return {
        "occupied": _simplified(since_2022),
        "ordlo": _simplified(ordlo),
        "crimea": _simplified(crimea),
    }


def deepstate_map(week: int) -> dict[str, Any]:
    """One version's whole map, as /api/history/<id>/geojson answers it."""
    parts = occupied_parts(week)
    grey = shapely.difference(
        shapely.buffer(
            Polygon([(37.10, 48.10), (37.45, 48.10), (37.45, 48.45), (37.10, 48.45)]), 0
        ),
        parts["occupied"],
    )
    features = [
        _polygon_feature(
            "Окуповано /// Occupied /// geoJSON.status.occupied\n",
            OCCUPIED_STYLE,
            parts["occupied"],
        ),
        _polygon_feature(
            "ОРДЛО /// CADR and CALR\u00a0/// geoJSON.territories.ordlo",
            PRE_2022_STYLE,
            parts["ordlo"],
        ),
        _polygon_feature(
            "Окупований Крим /// Occupied Crimea\u00a0/// geoJSON.territories.crimea",
            PRE_2022_STYLE,
            parts["crimea"],
        ),
        _polygon_feature(
            "Звільнено /// Liberated /// geoJSON.status.dismissed",
            {"fill": "#0f9d58", "stroke": "#0f9d58", "styleUrl": "#poly-0F9D58-2000-77-nodesc"},
            Polygon(LIBERATED),
        ),
        _polygon_feature(
            "Статус невідомий /// Unknown status\u00a0/// geoJSON.status.unknown",
            {"fill": "#bcaaa4", "stroke": "#bcaaa4", "styleUrl": "#poly-BCAAA4-2000-77-nodesc"},
            grey,
        ),
        _polygon_feature(
            "Придністров'я /// Transnistria /// geoJSON.territories.transnistria",
            {"fill": "#ff5252", "stroke": "#ff5252", "styleUrl": "#poly-FF5252-2000-77-nodesc"},
            Polygon(TRANSNISTRIA),
        ),
        _point(
            "Напрямок удару /// Direction of attack /// geoJSON.directions",
            "{icon=arrow_12}",
            37.25,
            48.33,
        ),
        _point("150 мсд /// 150th Motorized Rifle Division", "{icon=enemy}", 37.62, 48.05),
        _point("Штаб 8 ЗА /// HQ of the 8th Army", "{icon=headquarter}", 39.70, 47.24),
        _point("Аеродром Бельбек /// Belbek airfield", "{icon=airport}", 33.57, 44.69),
        {
            "type": "Feature",
            "properties": {"name": "Кримський міст /// Crimean bridge", "description": ""},
            "geometry": {
                "type": "LineString",
                "coordinates": [[36.51, 45.31, 0], [36.63, 45.26, 0]],
            },
        },
    ]
    return {"type": "FeatureCollection", "features": features}


def archive_file(week: int, name: str) -> str:
    """One day of the archive, written the way GDAL writes it (one feature per line)."""
    parts = occupied_parts(week)
    union = shapely.union_all(list(parts.values()))
    geometry = _geometry(shapely.MultiPolygon(list(shapely.get_parts(union))), height=False)
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return (
        "{\n"
        '"type": "FeatureCollection",\n'
        f'"name": "{name}",\n'
        '"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },\n'
        '"features": [\n'
        f"{json.dumps(feature)}\n"
        "]\n"
        "}\n"
    )


def history_list() -> list[dict[str, Any]]:
    """The list of versions, newest first, as /api/history/public answers it."""
    entries = []
    for stamp, _ in VERSIONS:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        kyiv = when + dt.timedelta(hours=3)  # summer time in Kyiv, where the log is written
        entries.append(
            {
                "id": _epoch(stamp),
                "description": f"Карту оновлено {kyiv:%d.%m}: просування ворога біля Покровська.",
                "description_en": f"Map updated {kyiv:%d.%m}: the enemy advanced near Pokrovsk.",
                "datetime": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "createdAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "updatedAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            }
        )
    return sorted(entries, key=lambda e: e["id"], reverse=True)


def main() -> None:
    deepstate, archive, bad = HERE / "deepstate", HERE / "archive", HERE / "bad"
    for folder in (deepstate, archive, bad):
        folder.mkdir(exist_ok=True)
    (deepstate / "history_public.json").write_text(
        json.dumps(history_list(), ensure_ascii=False, indent=1) + "\n"
    )
    mapped = [stamp for stamp, has_map in VERSIONS if has_map]
    for week, stamp in enumerate(mapped):
        content = json.dumps(deepstate_map(week), ensure_ascii=False) + "\n"
        (deepstate / f"{_epoch(stamp)}.geojson").write_text(content)
        day = stamp[:10].replace("-", "")
        name = f"deepstatemap_data_{day}"
        (archive / f"{name}.geojson").write_text(archive_file(week, name))

    good = json.dumps(deepstate_map(2), ensure_ascii=False)
    # A download cut off part way (the connection dropped).
    (bad / "truncated.geojson").write_text(good[: len(good) // 2])
    # An occupied polygon whose ring has two positions.
    broken = deepstate_map(2)
    broken["features"][0]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[37.5, 48.0, 0], [37.6, 48.1, 0]]],
    }
    broken["features"][1]["geometry"] = {"type": "Polygon", "coordinates": "[[37.5, 48.0]]"}
    broken["features"][2]["geometry"] = None
    (bad / "broken_polygons.geojson").write_text(json.dumps(broken, ensure_ascii=False) + "\n")
    # Occupied polygons in the Black Sea (a map whose coordinates were shifted south).
    sea = deepstate_map(2)
    sea["features"][0]["geometry"] = _geometry(
        Polygon([(31.0, 43.0), (34.0, 43.0), (34.0, 44.0), (31.0, 44.0)])
    )
    sea["features"] = sea["features"][:1] + sea["features"][3:]
    (bad / "in_the_sea.geojson").write_text(json.dumps(sea, ensure_ascii=False) + "\n")
    # All of Ukraine marked occupied.
    whole = deepstate_map(2)
    whole["features"][0]["geometry"] = _geometry(
        _simplified(shipped_reference(ROOT / "geodata").ukraine)
    )
    (bad / "all_of_ukraine.geojson").write_text(json.dumps(whole, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
