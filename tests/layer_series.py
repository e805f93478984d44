"""Three made-up control layers whose Russian-held shares differ from date to date.

Each layer holds all of Crimea, Donetsk east of a meridian, Luhansk east of another, and
Zaporizhzhia and Kherson south of a parallel; the line moves west and north from one date to
the next. Expected shares are computed here from geodesic areas (pyproj), independently of the
equal-area projection mapdash measures in.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas
import shapely
from pyproj import Geod
from shapely.geometry import box, mapping

from mapdash.geodata import install_file

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "Test front lines"
LICENCE = "CC0 1.0"


@dataclass(frozen=True)
class Layer:
    date: dt.date
    #: Donetsk is held east of this longitude, Luhansk east of it plus 0.8.
    lon: float
    #: Zaporizhzhia is held south of this latitude, Kherson south of it less 0.4.
    lat: float


SERIES: tuple[Layer, ...] = (
    Layer(dt.date(2025, 3, 1), 38.0, 47.0),
    Layer(dt.date(2025, 8, 15), 37.8, 47.1),
    Layer(dt.date(2025, 11, 20), 37.6, 47.2),
)


def _regions() -> dict[str, shapely.Geometry]:
    frame = geopandas.read_file(ROOT / "geodata" / "regions.geojson").set_index("id")
    return dict(frame.geometry.items())


def held(layer: Layer) -> shapely.Geometry:
    """The territory the layer holds (EPSG:4326)."""
    regions = _regions()
    return shapely.union_all(
        [
            regions["crimea"],
            shapely.intersection(regions["donetsk"], box(layer.lon, 40, 45, 50)),
            shapely.intersection(regions["luhansk"], box(layer.lon + 0.8, 40, 45, 50)),
            shapely.intersection(regions["zaporizhzhia"], box(20, 40, 45, layer.lat)),
            shapely.intersection(regions["kherson"], box(20, 40, 45, layer.lat - 0.4)),
        ]
    )


def _geodesic_km2(geometry: shapely.Geometry) -> float:
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0]) / 1e6


def expected_shares(layer: Layer) -> dict[str, float]:
    """Each Ukrainian region's Russian-held share under the layer, from geodesic areas."""
    regions = _regions()
    territory = held(layer)
    return {
        rid: _geodesic_km2(shapely.intersection(geom, territory)) / _geodesic_km2(geom)
        for rid, geom in regions.items()
        if rid != "kursk"
    }


def write_layer(layer: Layer, folder: Path) -> Path:
    """Write the layer as a dated file with empty properties and RFC 7946 rings."""
    folder.mkdir(parents=True, exist_ok=True)
    geometry = mapping(shapely.orient_polygons(held(layer), exterior_cw=False))
    path = folder / f"front_{layer.date.isoformat()}.geojson"
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def install_series(geodata: Path, layers: tuple[Layer, ...] = SERIES) -> None:
    """Install the layers into a geodata folder, with their source and licence recorded."""
    for layer in layers:
        install_file(
            write_layer(layer, geodata.parent / "incoming"),
            geodata_dir=geodata,
            kind="control",
            source=SOURCE,
            licence=LICENCE,
        )


def geodata_with(parent: Path, layers: tuple[Layer, ...] = SERIES) -> Path:
    """Copy the project's geodata into ``parent`` and install ``layers`` there (none: a copy)."""
    folder = parent / "geodata"
    shutil.copytree(ROOT / "geodata", folder, ignore=shutil.ignore_patterns("history"))
    install_series(folder, layers)
    return folder
