"""Checking geodata before it goes live: areas, and whether a file is plausible for this map.

A file can be perfectly valid GeoJSON and still wrong at a glance: boundaries with longitude and
latitude swapped (Donetsk in Iran), a region of 0 km2, boundaries that include 12 nautical
miles of territorial sea, a country-wide file uploaded as a control layer, a layer dated 1900.
The checks here find those. Every check measures against what the project ships (the Natural
Earth regions and context), never against what was swapped in since, so one wrong file cannot
become the reference that flags the right one.

Reasons are sentences for a person (file, region or feature, what was found, what was expected,
how to fix it); they are collected into one list with the reading problems. A file that fails a
plausibility check raises :class:`~mapdash.errors.ImplausibleError`, which an editor may
override (``mapdash swap --force``, the confirm button of the upload form); the override is
recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..errors import ImplausibleError
from ..regions import REGIONS
from .layers import ControlLayer, area_km2
from .read import (
    DEFAULT_MAX_BYTES,
    EQUAL_AREA_CRS,
    GeojsonReport,
    orient_for_drawing,
    polygonal_part,
    read_geojson,
    summarise,
)
from .reference import shipped_reference
from .versions import default_dir

#: A matched region's area may differ this much from the reference before validate warns.
AREA_TOLERANCE = 0.10
#: Beyond this factor (either way) a region's area is implausible.
AREA_FACTOR = 2.0
#: A region's centre may lie this far (km) outside the reference region.
CENTROID_BUFFER_KM = 100.0
#: Share of a region outside the shipped land outline past which it is clipped (sea).
SEA_SHARE = 0.05
#: Every one of the six regions lies in this longitude/latitude box.
FRAME = (18.0, 38.0, 52.0, 60.0)
#: Crimea's annexation began the war; a control layer cannot be older.
WAR_START = dt.date(2014, 2, 20)
#: No layer of this war has put more of Ukraine under Russian control (about 27%, March 2022).
MAX_UKRAINE_SHARE = 0.30
#: The western oblasts: Volyn, Zakarpattia, Ivano-Frankivsk, Lviv, Rivne, Ternopil,
#: Khmelnytskyi, Chernivtsi (ISO 3166-2), never held by Russian forces.
WESTERN_OBLASTS: tuple[str, ...] = (
    "UA-07",
    "UA-21",
    "UA-26",
    "UA-46",
    "UA-56",
    "UA-61",
    "UA-68",
    "UA-77",
)
KYIV = Point(30.5234, 50.4501)
#: A change from the previous layer beyond this share and this many km2 is worth a warning.
LARGE_CHANGE_SHARE = 0.20
LARGE_CHANGE_KM2 = 2_000.0


def region_areas(gdf: geopandas.GeoDataFrame) -> dict[str, float]:
    """Return each region's area in km2, computed in an equal-area projection.

    Parameters
    ----------
    gdf
        Regions indexed by id, in EPSG:4326 (use full-resolution geometry for real figures).

    Returns
    -------
    dict
        Region id to area in square kilometres.
    """
    projected = gdf.to_crs(EQUAL_AREA_CRS)
    return {str(rid): float(area) / 1e6 for rid, area in projected.area.items()}


def reference_areas(*, geodata_dir: Path | None = None) -> dict[str, float]:
    """Return the areas (km2) of the shipped full-resolution regions: the reference of checks."""
    return region_areas(shipped_reference(geodata_dir).regions)


def land_outline(*, geodata_dir: Path | None = None) -> BaseGeometry:
    """Return the shipped land: the six regions (full resolution) and the context around them."""
    return shipped_reference(geodata_dir).land


def _distance_km(a: BaseGeometry, b: BaseGeometry) -> float:
    projected = geopandas.GeoSeries([a, b], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    return float(projected.iloc[0].distance(projected.iloc[1])) / 1000


def _inside_frame(geometry: BaseGeometry) -> bool:
    xmin, ymin, xmax, ymax = shapely.bounds(geometry)
    fxmin, fymin, fxmax, fymax = FRAME
    return bool(xmin >= fxmin and xmax <= fxmax and ymin >= fymin and ymax <= fymax)


def _where(geometry: BaseGeometry) -> str:
    xmin, ymin, xmax, ymax = shapely.bounds(geometry)
    return f"longitude {xmin:.1f}..{xmax:.1f}, latitude {ymin:.1f}..{ymax:.1f}"


@dataclass(frozen=True, eq=False)
class RegionsCheck:
    """What the plausibility checks made of region boundaries."""

    #: The report with any territorial sea clipped and area warnings added to its problems.
    report: GeojsonReport
    #: Reasons the file is implausible (empty when it may go live without an override).
    reasons: tuple[str, ...]


def check_regions(report: GeojsonReport, *, geodata_dir: Path | None = None) -> RegionsCheck:
    """Check region boundaries against the shipped reference.

    Each region must lie where it is (inside the map's frame, its centre within
    CENTROID_BUFFER_KM of the shipped region) and cover a sane area (within AREA_FACTOR of the
    shipped one). A region reaching into the sea beyond the shipped land outline (boundaries
    with 12 nautical miles of territorial waters) is clipped to the land, with a problem saying
    so; an area off by more than AREA_TOLERANCE after that is a warning.

    Parameters
    ----------
    report
        What reading the file found (see :func:`read_geojson`).
    geodata_dir
        The geodata folder whose shipped files are the reference.

    Returns
    -------
    RegionsCheck
        The report as it would be installed, and the reasons it is implausible.
    """
    folder = default_dir(geodata_dir)
    name = report.path.name
    shipped = shipped_reference(folder)
    reference = shipped.regions
    expected = region_areas(reference)
    outline = shipped.land
    problems = list(report.problems)
    reasons: list[str] = []
    geometries = dict(report.regions.geometry.items())
    for region, geometry in geometries.items():
        where = f"{name}: region {region}"
        if not _inside_frame(geometry):
            swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
            hint = (
                "longitude and latitude look swapped - GeoJSON writes [longitude, latitude]"
                if _inside_frame(swapped)
                else "check the CRS and the coordinates"
            )
            fx0, fy0, fx1, fy1 = FRAME
            reasons.append(
                f"{where} lies at {_where(geometry)}, outside the area of the six regions "
                f"(longitude {fx0:g}..{fx1:g}, latitude {fy0:g}..{fy1:g}); {hint}"
            )
            continue
        sea = shapely.difference(geometry, outline)
        area = area_km2(geometry)
        sea_km2 = area_km2(sea) if not sea.is_empty else 0.0
        if area and sea_km2 > SEA_SHARE * area:
            geometry = orient_for_drawing(polygonal_part(shapely.intersection(geometry, outline)))
            geometries[region] = geometry
            problems.append(
                f"{where}: clipped {sea_km2:,.0f} km2 ({sea_km2 / area:.0%}) that lie beyond "
                "the shipped land outline (territorial sea?); the land part is installed"
            )
            area = area_km2(geometry)
        centre = geometry.centroid if not geometry.is_empty else Point(0, 0)
        off_km = _distance_km(centre, reference.geometry[region])
        if off_km > CENTROID_BUFFER_KM:
            reasons.append(
                f"{where}: its centre ({centre.x:.2f}, {centre.y:.2f}) lies {off_km:,.0f} km "
                f"from {REGIONS[region].name} as shipped (Natural Earth); expected within "
                f"{CENTROID_BUFFER_KM:,.0f} km - check the feature's name and the coordinates"
            )
            continue
        ratio = area / expected[region]
        if not 1 / AREA_FACTOR <= ratio <= AREA_FACTOR:
            reasons.append(
                f"{where} covers {area:,.0f} km2, {ratio:.0%} of the {expected[region]:,.0f} km2 "
                f"of {REGIONS[region].name} as shipped (Natural Earth); expected between "
                f"{1 / AREA_FACTOR:.0%} and {AREA_FACTOR:.0%} - the boundary is broken or "
                "names the wrong area"
            )
        elif abs(ratio - 1) > AREA_TOLERANCE:
            change = ratio - 1
            hint = (
                "does the boundary include territorial sea (12 nautical miles adds 15-60%)? "
                "Use a land-only boundary"
                if change > 0
                else "part of the region may be missing"
            )
            problems.append(
                f"{where} covers {area:,.0f} km2, {abs(change):.0%} "
                f"{'more' if change > 0 else 'less'} than the reference "
                f"{expected[region]:,.0f} km2; " + hint
            )
    regions = report.regions.copy()
    regions["geometry"] = geopandas.GeoSeries(
        [geometries[rid] for rid in regions.index], index=regions.index, crs=regions.crs
    )
    checked = replace(report, regions=regions, problems=tuple(summarise(problems)))
    return RegionsCheck(report=checked, reasons=tuple(reasons))


def check_control(
    layer: ControlLayer,
    *,
    previous: ControlLayer | None = None,
    geodata_dir: Path | None = None,
    today: dt.date | None = None,
) -> tuple[list[str], list[str]]:
    """Check that a control layer is plausible for this war.

    Parameters
    ----------
    layer
        The layer (see :func:`~mapdash.geodata.layers.control_layer`).
    previous
        The installed layer dated just before it, for the change warning.
    geodata_dir
        The geodata folder whose shipped files are the reference.
    today
        The date a layer may not be later than; default today (UTC).

    Returns
    -------
    tuple of lists
        The reasons the layer is implausible, and warnings (a large change from ``previous``).
    """
    folder = default_dir(geodata_dir)
    name = layer.path.name
    today = today or dt.datetime.now(dt.UTC).date()
    reasons: list[str] = []
    warnings: list[str] = []
    if layer.date < WAR_START:
        reasons.append(
            f"{name}: dated {layer.date.isoformat()}, before the war began "
            f"({WAR_START.isoformat()}, Crimea); check the date in the file, its name or the "
            "date given"
        )
    elif layer.date > today:
        reasons.append(
            f"{name}: dated {layer.date.isoformat()}, in the future (today is "
            f"{today.isoformat()}); check the date in the file, its name or the date given"
        )
    shipped = shipped_reference(folder)
    oblasts = shipped.context[shipped.context["kind"] == "ukraine_oblast"]
    ukraine = shipped.ukraine
    if layer.geometry.contains(KYIV):
        reasons.append(
            f"{name}: the layer covers Kyiv ({KYIV.x:.2f}, {KYIV.y:.2f}), which Russian forces "
            "have never held; is this a file of all of Ukraine rather than a control layer?"
        )
    western = oblasts[oblasts["id"].isin(WESTERN_OBLASTS)]
    in_west = area_km2(shapely.intersection(layer.geometry, shapely.union_all(western.geometry)))
    if in_west > 0.01 * area_km2(shapely.union_all(western.geometry)):
        reasons.append(
            f"{name}: the layer covers {in_west:,.0f} km2 of the western oblasts "
            f"({', '.join(sorted(western['name']))}), never held by Russian forces; is this a "
            "country-wide admin file rather than a control layer?"
        )
    held = area_km2(shapely.intersection(layer.geometry, ukraine))
    total = area_km2(ukraine)
    if held > MAX_UKRAINE_SHARE * total:
        reasons.append(
            f"{name}: the layer puts {held:,.0f} km2, {held / total:.0%} of Ukraine, under "
            f"Russian control; no layer of this war can show more than {MAX_UKRAINE_SHARE:.0%} "
            "(about 27% at most, in March 2022) - upload the occupied area only"
        )
    degenerate = _degenerate_parts(layer.geometry)
    if degenerate:
        reasons.append(
            f"{name}: {len(degenerate)} ring(s) enclose no area (degenerate), e.g. at "
            f"{degenerate[0]}; remove them or repair the file in a GIS"
        )
    if previous is not None:
        before = area_km2(previous.geometry)
        after = area_km2(layer.geometry)
        change = after - before
        if abs(change) > LARGE_CHANGE_KM2 and before and abs(change) > LARGE_CHANGE_SHARE * before:
            warnings.append(
                f"{name}: the layer holds {after:,.0f} km2, {abs(change):,.0f} km2 "
                f"({abs(change) / before:.0%}) {'more' if change > 0 else 'less'} than the layer "
                f"of {previous.date.isoformat()} before it ({before:,.0f} km2); a front line "
                "rarely moves that much - check that both layers draw the same thing"
            )
    return reasons, warnings


def _degenerate_parts(geometry: BaseGeometry) -> list[str]:
    parts = shapely.get_parts(geometry)
    return [
        f"({part.representative_point().x:.3f}, {part.representative_point().y:.3f})"
        for part in parts
        if not part.is_empty and area_km2(part) < 1e-6
    ]


def refuse_implausible(name: str, reasons: Sequence[str], problems: Sequence[str]) -> None:
    """Raise ImplausibleError listing ``reasons`` (then the other problems) when there are any.

    Raises
    ------
    ImplausibleError
        When ``reasons`` is not empty.
    """
    if reasons:
        raise ImplausibleError(
            f"{name} fails {len(reasons)} plausibility check(s) and was not installed; if it is "
            "right, an editor can install it anyway (mapdash swap --force, or the upload "
            "form's 'Install anyway' button) and the override is recorded",
            summarise([*reasons, *problems]),
        )


def validate_file(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    geodata_dir: Path | None = None,
) -> GeojsonReport:
    """Check a GeoJSON file of region boundaries the way ``mapdash validate`` does.

    Like read_geojson, plus the plausibility checks of :func:`check_regions`: territorial sea
    clipped (with a problem saying so), a warning for each region whose area differs from the
    shipped one by more than 10%.

    Parameters
    ----------
    path
        The GeoJSON file.
    max_bytes
        Refuse files larger than this.
    geodata_dir
        Folder of the reference data; default the configured one.

    Returns
    -------
    GeojsonReport
        The report as the file would be installed, with warnings added to its problems.

    Raises
    ------
    GeodataError
        When the file is unusable.
    ImplausibleError
        When the file fails a plausibility check.
    """
    report = read_geojson(path, max_bytes=max_bytes)
    checked = check_regions(report, geodata_dir=geodata_dir)
    refuse_implausible(report.path.name, checked.reasons, checked.report.problems)
    return checked.report
