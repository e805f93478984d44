"""Control layers: what a dated layer of territory held by Russia measures in each region.

Reading, dating and attributing a layer is geodata's job (:mod:`mapdash.geodata.layers`); the
names are re-exported here for the callers that measure layers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas
import shapely
from shapely.geometry.base import BaseGeometry

from .geodata.layers import (
    CONTROL_DIR,
    DATE_PROPERTIES,
    LAYER_DECIMALS,
    MAX_OUTSIDE_SHARE,
    ControlLayer,
    LayerFile,
    area_km2,
    control_layer,
    date_from_name,
    dumps_layer,
    installed_layers,
    layer_file_name,
    read_control,
)
from .geodata.read import EQUAL_AREA_CRS


@dataclass(frozen=True)
class RegionControl:
    """How much of one region a control layer puts under Russian control."""

    region: str
    area_km2: float
    occupied_km2: float

    @property
    def occupied_share(self) -> float:
        """Occupied share of the region, 0-1."""
        return self.occupied_km2 / self.area_km2 if self.area_km2 else 0.0


def occupied(regions: geopandas.GeoDataFrame, layer: BaseGeometry) -> tuple[RegionControl, ...]:
    """Measure how much of each region a control layer covers, in an equal-area projection.

    Parameters
    ----------
    regions
        Regions indexed by id in EPSG:4326; use full-resolution geometry for real figures.
    layer
        The control layer's geometry (EPSG:4326).

    Returns
    -------
    tuple of RegionControl
        One per region, in the frame's order.
    """
    projected = regions.to_crs(EQUAL_AREA_CRS)
    held = geopandas.GeoSeries([layer], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).iloc[0]
    overlap = shapely.intersection(projected.geometry.values, held)
    return tuple(
        RegionControl(str(rid), float(total) / 1e6, float(part) / 1e6)
        for rid, total, part in zip(
            projected.index, projected.area, shapely.area(overlap), strict=True
        )
    )


def layer_at(layers: Sequence[ControlLayer], date: dt.date) -> ControlLayer | None:
    """Return the newest layer dated on or before ``date``, or None."""
    earlier = [layer for layer in layers if layer.date <= date]
    return max(earlier, key=lambda layer: layer.date) if earlier else None


def attribution(source: str | None, licence: str | None, file: str) -> str:
    """Name a source and its licence, or the file when the source is unknown."""
    named = source or file
    return f"{named} ({licence})" if licence else named


def layer_attribution(layer: ControlLayer) -> str:
    """Name a layer's source and licence as the chart and the data files do."""
    return attribution(layer.source, layer.licence, layer.path.name)


def measured_sentence(fact: RegionControl, region_name: str, date: dt.date) -> str:
    """Say what a layer measures, e.g. "Russia holds 20,400 km2 (77%) of Donetsk per ..."."""
    return (
        f"Russia holds {fact.occupied_km2:,.0f} km2 ({fact.occupied_share:.0%}) of "
        f"{region_name} per control layer of {date.isoformat()}"
    )


__all__ = [
    "DATE_PROPERTIES",
    "LAYER_DECIMALS",
    "MAX_OUTSIDE_SHARE",
    "control_layer",
    "CONTROL_DIR",
    "ControlLayer",
    "LayerFile",
    "RegionControl",
    "area_km2",
    "attribution",
    "layer_attribution",
    "date_from_name",
    "dumps_layer",
    "installed_layers",
    "layer_at",
    "layer_file_name",
    "measured_sentence",
    "occupied",
    "read_control",
]
