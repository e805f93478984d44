"""Control layers: reading dated polygons of territory held by Russia, and where they came from.

A control layer is a GeoJSON file whose polygons (any number of features, any schema) are the
territory Russian forces hold on one date. The date comes from a property (``date``, ``as_of``
...), from the file name (``control_2025-08-15.geojson``) or from the person installing it; the
source and licence from what the installer recorded, else from the layer's own properties
(``source``, ``attribution``, ``licence``), else from a provider named in the file name
(``deepstate_2025-08-15.geojson``). Reading goes through :func:`read_features`, so CRS
handling, ring orientation and repair are the same as for region boundaries.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import geopandas
import shapely
from shapely.geometry.base import BaseGeometry

from ..corpus import parse_date
from ..errors import GeodataError
from .read import (
    DEFAULT_MAX_BYTES,
    EQUAL_AREA_CRS,
    FeatureSet,
    orient_for_drawing,
    read_features,
    summarise,
)
from .reference import shipped_reference
from .versions import CONTROL_DIR
from .write import dumps_geojson

DateSource = Literal["given", "property", "file name"]

#: Properties that may carry a layer's date, in the order they are trusted.
DATE_PROPERTIES: tuple[str, ...] = (
    "date",
    "as_of",
    "asof",
    "as_of_date",
    "valid_on",
    "valid_at",
    "datetime",
    "timestamp",
)
#: A layer with more than this share of its area outside Ukraine and Kursk is refused.
MAX_OUTSIDE_SHARE = 0.5
#: Decimal places of installed layers (~0.1 m, like the full-resolution regions).
LAYER_DECIMALS = 6

#: Properties that may name a layer's source and its licence, in the order they are trusted.
SOURCE_PROPERTIES: tuple[str, ...] = ("source", "attribution", "provider", "Source", "author")
LICENCE_PROPERTIES: tuple[str, ...] = ("licence", "license", "License", "Licence", "rights")
#: Providers recognised in file names such as ``deepstate_2025-08-15.geojson``.
PROVIDERS: Mapping[str, str] = {
    "deepstate": "DeepState",
    "isw": "Institute for the Study of War",
    "criticalthreats": "Institute for the Study of War / Critical Threats",
    "liveuamap": "Liveuamap",
    "osm": "OpenStreetMap",
    "openstreetmap": "OpenStreetMap",
}
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")


@dataclass(frozen=True, eq=False)
class ControlLayer:
    """Territory held by Russia on one date, as read from a file (EPSG:4326, clockwise)."""

    path: Path
    date: dt.date
    date_source: DateSource
    geometry: BaseGeometry
    features_read: int
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: Who drew the layer (recorded at install, else from its properties or file name).
    source: str | None = None
    licence: str | None = None
    url: str | None = None

    @property
    def file_name(self) -> str:
        """The name the layer is installed under: ``control_<date>.geojson``."""
        return layer_file_name(self.date)

    def describe(self) -> list[str]:
        """Return what reading found, as lines of text (what ``mapdash swap`` prints)."""
        lines = [
            f"{self.path.name}: control layer of {self.date.isoformat()} "
            f"(date from {self.date_source}), {self.features_read} feature(s), "
            f"{area_km2(self.geometry):,.0f} km2"
        ]
        lines.extend(f"note: {note}" for note in self.notes)
        lines.extend(f"problem: {problem}" for problem in self.problems)
        return lines


def layer_file_name(date: dt.date) -> str:
    """Return the installed file name of the layer of ``date``."""
    return f"control_{date.isoformat()}.geojson"


def date_from_name(name: str) -> dt.date | None:
    """Read a date such as 2025-08-15 or 20250815 from a file name, or None."""
    match = _DATE_IN_NAME.search(Path(name).stem)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _read_date(value: object) -> dt.date | None:
    """Read a property's date: ISO date or date-time, written date, or epoch (s or ms)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        # Tools such as ArcGIS write dates as milliseconds since 1970.
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return parse_date(text)


def _property_dates(
    name: str, properties: Sequence[tuple[int, Mapping[str, Any]]]
) -> tuple[dict[dt.date, list[str]], list[str]]:
    """Dates named by the features' properties, with where each was found, and problems."""
    found: dict[dt.date, list[str]] = {}
    problems: list[str] = []
    for index, props in properties:
        for key in DATE_PROPERTIES:
            value = props.get(key)
            if value is None or value == "":
                continue
            date = _read_date(value)
            if date is None:
                problems.append(
                    f"{name} feature {index}: property {key}={value!r} is not a date; expected "
                    "e.g. '2025-08-15'"
                )
            else:
                found.setdefault(date, []).append(f"feature {index} {key}={value!r}")
            break
    return found, problems


def _resolve_date(
    path: Path, properties: Sequence[tuple[int, Mapping[str, Any]]], given: dt.date | None
) -> tuple[dt.date, DateSource, list[str]]:
    name = path.name
    by_property, problems = _property_dates(name, properties)
    if len(by_property) > 1:
        listed = "; ".join(
            f"{date.isoformat()} ({', '.join(where)})"
            for date, where in sorted(by_property.items())
        )
        raise GeodataError(
            f"{name}: the features name {len(by_property)} different dates ({listed}); a control "
            "layer shows one date - split it into one file per date",
            problems,
        )
    from_name = date_from_name(name)
    from_property = next(iter(by_property), None)
    if given is not None:
        for other, where in ((from_property, "a property"), (from_name, "the file name")):
            if other is not None and other != given:
                problems.append(
                    f"{name}: {where} says {other.isoformat()} but the date given is "
                    f"{given.isoformat()}; used {given.isoformat()}"
                )
        return given, "given", problems
    if from_property is not None:
        if from_name is not None and from_name != from_property:
            problems.append(
                f"{name}: the file name says {from_name.isoformat()} but a property says "
                f"{from_property.isoformat()}; used the property"
            )
        return from_property, "property", problems
    if from_name is not None:
        return from_name, "file name", problems
    raise GeodataError(
        f"{name}: no date for this control layer; name the file like control_2025-08-15.geojson, "
        f'add a property such as "date": "2025-08-15" (one of {", ".join(DATE_PROPERTIES)}), '
        "or give the date (mapdash swap --date 2025-08-15, or the date box of the upload form)",
        problems,
    )


def area_km2(geometry: BaseGeometry) -> float:
    """Return the area of a geometry in EPSG:4326, in km2, in the equal-area projection."""
    series = geopandas.GeoSeries([geometry], crs="EPSG:4326").to_crs(EQUAL_AREA_CRS)
    return float(series.area.iloc[0]) / 1e6


def territory(geodata_dir: Path | None) -> BaseGeometry:
    """Ukraine and Kursk as shipped: the six regions (full resolution) and the other oblasts."""
    return shipped_reference(geodata_dir).territory


def _first_text(features: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> str | None:
    for props in features:
        for key in keys:
            value = props.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:200]
    return None


def provider_from_name(name: str) -> str | None:
    """Return the provider a file name names (``deepstate_2025-08-15.geojson``), or None."""
    words = re.split(r"[^a-z]+", Path(name).stem.lower())
    return next((PROVIDERS[word] for word in words if word in PROVIDERS), None)


def control_layer(
    found: FeatureSet,
    *,
    date: dt.date | None = None,
    source: str | None = None,
    licence: str | None = None,
    url: str | None = None,
    geodata_dir: Path | None = None,
) -> ControlLayer:
    """Make a control layer of features already read (see :func:`read_features`).

    Parameters
    ----------
    found
        The file's features.
    date
        The layer's date when the file does not say (or to override what it says).
    source, licence, url
        Attribution recorded by the installer; default what the file says.
    geodata_dir
        Folder of the shipped regions, used to check where the layer lies.

    Returns
    -------
    ControlLayer
        The layer, with problems worth a look (e.g. repaired rings) and notes.

    Raises
    ------
    GeodataError
        When the layer has no date or several, or lies mostly outside Ukraine and Kursk.
    """
    name = found.path.name
    properties = [(f.index, f.properties) for f in found.features]
    layer_date, date_source, date_problems = _resolve_date(found.path, properties, date)
    geometry = shapely.union_all([f.geometry for f in found.features])
    geometry = orient_for_drawing(geometry)
    problems = [*found.problems, *date_problems]
    bounds = shapely.bounds(geometry)
    # A ring around the whole world projects to nothing in the equal-area projection.
    if bounds[2] - bounds[0] > 60 or bounds[3] - bounds[1] > 40:
        raise GeodataError(
            f"{name}: the layer spans longitude {bounds[0]:.1f}..{bounds[2]:.1f}, latitude "
            f"{bounds[1]:.1f}..{bounds[3]:.1f} - a world-sized ring, not the territory held in "
            "one war; draw the occupied area only",
            problems,
        )
    total = area_km2(geometry)
    outside = area_km2(shapely.difference(geometry, territory(geodata_dir)))
    share = outside / total if total else 0.0
    if share > MAX_OUTSIDE_SHARE:
        raise GeodataError(
            f"{name}: {share:.0%} of the layer ({outside:,.0f} of {total:,.0f} km2) lies outside "
            "Ukraine and Kursk; a control layer should cover occupied territory - check that "
            "longitude and latitude are not swapped and that the CRS is right",
            problems,
        )
    if outside > 0.05 * total:
        problems.append(
            f"{name}: {share:.0%} of the layer ({outside:,.0f} km2) lies outside Ukraine and "
            "Kursk (sea or Russian territory?); only the parts inside the regions are measured"
        )
    props = [f.properties for f in found.features]
    return ControlLayer(
        path=found.path,
        date=layer_date,
        date_source=date_source,
        geometry=geometry,
        features_read=len(found.reports),
        problems=tuple(summarise(problems)),
        notes=found.notes,
        source=source or _first_text(props, SOURCE_PROPERTIES) or provider_from_name(name),
        licence=licence or _first_text(props, LICENCE_PROPERTIES),
        url=url or _first_text(props, ("url", "source_url", "link")),
    )


def read_control(
    path: Path | str,
    *,
    date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    geodata_dir: Path | None = None,
) -> ControlLayer:
    """Read a control layer: the union of its polygons, its date, attribution and checks.

    Parameters
    ----------
    path
        A GeoJSON FeatureCollection or Feature of polygons (any properties, any CRS).
    date
        The layer's date when the file does not say (or to override what it says).
    max_bytes
        Refuse files larger than this.
    geodata_dir
        Folder of the shipped regions, used to check where the layer lies.

    Returns
    -------
    ControlLayer
        The layer, with problems worth a look (e.g. repaired rings) and notes.

    Raises
    ------
    GeodataError
        When the file is unusable (see read_features), has no date or several, or lies mostly
        outside Ukraine and Kursk.
    """
    found = read_features(path, max_bytes=max_bytes)
    return control_layer(found, date=date, geodata_dir=geodata_dir)


def dumps_layer(layer: ControlLayer) -> bytes:
    """Serialise a layer the way it is installed: one feature, its date, file and attribution."""
    properties: dict[str, str] = {"date": layer.date.isoformat(), "source_file": layer.path.name}
    for key, value in (("source", layer.source), ("licence", layer.licence), ("url", layer.url)):
        if value:
            properties[key] = value
    return dumps_geojson([(properties, layer.geometry)], decimals=LAYER_DECIMALS)


@dataclass(frozen=True)
class LayerFile:
    """An installed control layer file and the date its name carries."""

    date: dt.date
    path: Path


def installed_layers(geodata_dir: Path) -> tuple[LayerFile, ...]:
    """List geodata/control/control_<date>.geojson files, oldest first."""
    folder = geodata_dir / CONTROL_DIR
    if not folder.is_dir():
        return ()
    files = []
    for path in folder.glob("control_*.geojson"):
        date = date_from_name(path.name)
        if date is not None:
            files.append(LayerFile(date, path))
    return tuple(sorted(files, key=lambda f: f.date))
