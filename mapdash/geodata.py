"""Region geodata: read, match, repair, reproject and write GeoJSON.

This is the only module that parses or writes GeoJSON, touches coordinate reference systems or
repairs geometry. Everything it returns is in EPSG:4326 (longitude, latitude) with polygon
exterior rings clockwise: plotly's geo traces are drawn by d3-geo, which treats a spherical
polygon whose exterior ring is counter-clockwise (the RFC 7946 order) as its complement, so an
RFC 7946 ring would paint the whole globe except the region. Natural Earth and GADM happen to be
clockwise already; files from elsewhere are re-oriented on reading.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import geopandas
import numpy as np
import pyproj
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .config import Paths
from .errors import GeodataError
from .regions import REGION_IDS, REGIONS, match_code, match_name
from .types import RegionId

Resolution = Literal["full", "web"]
ContextKind = Literal["ukraine_oblast", "russia_oblast", "country"]
Winding = Literal["clockwise", "counter-clockwise", "mixed"]
CONTEXT_KINDS: tuple[ContextKind, ...] = ("ukraine_oblast", "russia_oblast", "country")

REGIONS_FILE = "regions.geojson"
REGIONS_WEB_FILE = "regions_web.geojson"
CONTEXT_WEB_FILE = "context_web.geojson"

#: Largest file read_geojson accepts unless told otherwise (64 MiB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# Lambert azimuthal equal-area centred on the six regions (48N, 35E). Any equal-area projection
# preserves area exactly; centring it here keeps the straight segments between vertices closest
# to the true edges, so the planar area matches the geodesic one to well under 0.1%.
EQUAL_AREA_CRS = "+proj=laea +lat_0=48 +lon_0=35 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
WGS84 = pyproj.CRS.from_epsg(4326)

#: Property names that carry a place name, in the order they are trusted (Natural Earth,
#: OpenStreetMap, geoBoundaries, GADM). Values may hold several names separated by "|".
NAME_PROPERTIES: tuple[str, ...] = (
    "name",
    "name:en",
    "name_en",
    "shapeName",
    "NAME_1",
    "NAME",
    "name_alt",
    "VARNAME_1",
    "NL_NAME_1",
    "name_local",
)
#: Property names that carry an ISO 3166-2 or HASC code. Natural Earth's ``hasc_maybe`` is left
#: out on purpose: it names neighbouring oblasts (Zaporizhzhya's is "UA.DP").
CODE_PROPERTIES: tuple[str, ...] = (
    "iso_3166_2",
    "ISO3166-2",
    "shapeISO",
    "ISO_1",
    "HASC_1",
    "code_hasc",
)
_LABEL_PROPERTIES = ("name", "name:en", "shapeName", "NAME_1", "NAME", "id")
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Match:
    """Which region a feature's properties name, and the property that said so."""

    region: RegionId
    prop: str
    value: str


@dataclass(frozen=True)
class FeatureReport:
    """What reading one feature found."""

    index: int
    label: str
    geometry_type: str | None
    match: Match | None
    winding: Winding | None
    repaired: bool
    used: bool
    problems: tuple[str, ...]


@dataclass(frozen=True)
class GeoFeature:
    """A feature read from a file: its properties and its polygonal geometry (EPSG:4326)."""

    index: int
    label: str
    properties: Mapping[str, Any]
    geometry: BaseGeometry


@dataclass(frozen=True)
class FeatureSet:
    """The polygonal features of a GeoJSON file after CRS handling and repair."""

    path: Path
    crs: str
    features: tuple[GeoFeature, ...]
    reports: tuple[FeatureReport, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class GeojsonReport:
    """What read_geojson found in a file, and the regions it made of it.

    ``regions`` is a GeoDataFrame indexed by region id (in REGION_IDS order, only the regions
    found) with columns name, country, iso_3166_2 and geometry. ``problems`` are things a person
    should fix or check (the file is still usable); ``notes`` are neutral facts.
    """

    path: Path
    crs: str
    features: tuple[FeatureReport, ...]
    regions: geopandas.GeoDataFrame
    missing: tuple[RegionId, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def features_read(self) -> int:
        """Number of features in the file."""
        return len(self.features)

    def describe(self) -> list[str]:
        """Return the report as lines of text, one per feature, then notes and problems."""
        name = self.path.name
        lines = [f"{name}: {self.features_read} feature(s), CRS {self.crs}"]
        for feature in self.features:
            match = feature.match
            if match is not None:
                found = f"{match.region} (by {match.prop}={match.value!r})"
            else:
                found = "no region matched"
            details = [feature.geometry_type or "no geometry"]
            if feature.winding:
                details.append(f"{feature.winding} rings")
            if feature.repaired:
                details.append("repaired")
            if not feature.used:
                details.append("ignored")
            lines.append(
                f"  feature {feature.index} ({feature.label}): {found}; {', '.join(details)}"
            )
        found_ids = ", ".join(str(rid) for rid in self.regions.index) or "none"
        lines.append(f"regions found: {found_ids}")
        if self.missing:
            lines.append(f"regions not in this file: {', '.join(self.missing)}")
        lines.extend(f"note: {note}" for note in self.notes)
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s):")
            lines.extend(f"  - {problem}" for problem in self.problems)
        else:
            lines.append("no problems")
        return lines

    def as_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (what ``mapdash validate --format json`` prints)."""
        return {
            "file": str(self.path),
            "usable": True,
            "crs": self.crs,
            "features_read": self.features_read,
            "features": [
                {
                    "index": f.index,
                    "label": f.label,
                    "geometry_type": f.geometry_type,
                    "region": f.match.region if f.match else None,
                    "matched_by": f.match.prop if f.match else None,
                    "matched_value": f.match.value if f.match else None,
                    "winding": f.winding,
                    "repaired": f.repaired,
                    "used": f.used,
                    "problems": list(f.problems),
                }
                for f in self.features
            ],
            "regions": [str(rid) for rid in self.regions.index],
            "missing": list(self.missing),
            "notes": list(self.notes),
            "problems": list(self.problems),
        }


# --- matching ---------------------------------------------------------------------------------


def _values(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split("|") if part.strip()]


def match_properties(properties: Mapping[str, Any]) -> tuple[Match | None, list[str]]:
    """Find which of the six regions a feature's properties name.

    Names are tried before codes, because some sources carry wrong codes (Natural Earth gives
    Kyiv City Khmelnytskyi's HASC code). A code naming another region than the name does is
    reported.

    Parameters
    ----------
    properties
        The feature's properties (any of NAME_PROPERTIES and CODE_PROPERTIES).

    Returns
    -------
    tuple
        The match (or None) and a list of conflicts found, as readable sentences.
    """
    by_name: Match | None = None
    for prop in NAME_PROPERTIES:
        for value in _values(properties.get(prop)):
            region = match_name(value)
            if region is not None:
                by_name = Match(region, prop, value)
                break
        if by_name:
            break
    by_code: Match | None = None
    for prop in CODE_PROPERTIES:
        for value in _values(properties.get(prop)):
            region = match_code(value)
            if region is not None:
                by_code = Match(region, prop, value)
                break
        if by_code:
            break
    conflicts: list[str] = []
    if by_name and by_code and by_name.region != by_code.region:
        conflicts.append(
            f"{by_name.prop}={by_name.value!r} names {by_name.region} but "
            f"{by_code.prop}={by_code.value!r} is the code of {by_code.region}; used the name"
        )
    return by_name or by_code, conflicts


def feature_label(properties: Mapping[str, Any]) -> str:
    """Return a short label for messages, e.g. ``name='Donets'k'``."""
    for prop in _LABEL_PROPERTIES:
        value = properties.get(prop)
        if isinstance(value, str | int) and str(value).strip():
            return f"{prop}={value!r}"
    return "no name"


# --- reading ----------------------------------------------------------------------------------


def _load_json(path: Path, max_bytes: int) -> Any:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as err:
        raise GeodataError(f"{path}: cannot read the file ({err.strerror or err})") from None
    if size > max_bytes:
        raise GeodataError(
            f"{name} is {size:,} bytes ({size / 2**20:.1f} MiB), larger than the limit of "
            f"{max_bytes:,} bytes ({max_bytes / 2**20:.1f} MiB); simplify the file or raise "
            f"the limit (max_bytes=..., or mapdash validate --max-bytes N)"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GeodataError(
            f"{name} is not UTF-8 text (byte {err.start}); GeoJSON must be UTF-8 (RFC 7946)"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise GeodataError(
            f"{name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None


def _feature_dicts(name: str, data: Any) -> list[Any]:
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise GeodataError(
                f"{name}: FeatureCollection has no 'features' list; expected "
                '{"type": "FeatureCollection", "features": [...]}'
            )
        return features
    if kind == "Feature":
        return [data]
    raise GeodataError(
        f"{name}: top-level type is {kind!r}; expected a FeatureCollection or a Feature "
        '(wrap a bare geometry as {"type": "Feature", "properties": {...}, "geometry": ...})'
    )


def _declared_crs(name: str, data: Mapping[str, Any]) -> pyproj.CRS | None:
    member = data.get("crs")
    if member is None:
        return None
    props = member.get("properties", {}) if isinstance(member, dict) else {}
    spec: object = None
    if isinstance(member, dict) and member.get("type") == "name":
        spec = props.get("name")
    elif isinstance(member, dict) and str(member.get("type", "")).upper() == "EPSG":
        spec = f"EPSG:{props.get('code')}"
    if not isinstance(spec, str):
        raise GeodataError(
            f"{name}: 'crs' member {json.dumps(member)} not understood; expected "
            '{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}} '
            "or remove it and store longitude/latitude (EPSG:4326)"
        )
    try:
        return pyproj.CRS.from_user_input(spec)
    except pyproj.exceptions.CRSError:
        raise GeodataError(
            f"{name}: 'crs' names {spec!r}, which is not a known coordinate reference system; "
            "use e.g. urn:ogc:def:crs:EPSG::3857, or reproject to EPSG:4326 and drop 'crs'"
        ) from None


def _crs_label(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    if epsg is not None:
        return f"EPSG:{epsg}"
    return crs.name


def _winding(geometry: BaseGeometry) -> Winding | None:
    exteriors = [
        poly.exterior
        for poly in shapely.get_parts(geometry)
        if poly.geom_type == "Polygon" and not poly.is_empty
    ]
    if not exteriors:
        return None
    ccw = {bool(shapely.is_ccw(ring)) for ring in exteriors}
    if ccw == {True}:
        return "counter-clockwise"
    if ccw == {False}:
        return "clockwise"
    return "mixed"


def _polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def orient_for_drawing(geometry: BaseGeometry) -> BaseGeometry:
    """Orient polygon exterior rings clockwise, holes counter-clockwise (what d3-geo draws)."""
    return shapely.orient_polygons(geometry, exterior_cw=True)


@dataclass(frozen=True)
class _Parsed:
    """A feature as parsed, before CRS handling and repair."""

    index: int
    label: str
    properties: Mapping[str, Any]
    geom_type: str | None
    geometry: BaseGeometry | None
    problems: tuple[str, ...] = ()


def _parse_feature(name: str, index: int, feature: object) -> _Parsed:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return _Parsed(
            index, "no name", {}, None, None, (f"{name} feature {index}: not a Feature object",)
        )
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    label = feature_label(properties)
    where = f"{name} feature {index} ({label})"
    geojson = feature.get("geometry")
    if not isinstance(geojson, dict):
        problem = f"{where}: has no geometry (null or missing); ignored"
        return _Parsed(index, label, properties, None, None, (problem,))
    geom_type = str(geojson.get("type"))
    if geom_type not in (*_POLYGONAL, "GeometryCollection"):
        problem = f"{where}: geometry is a {geom_type}; expected Polygon or MultiPolygon"
        return _Parsed(index, label, properties, geom_type, None, (problem,))
    try:
        geometry = shape(geojson)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        shapely.errors.GEOSException,
    ) as err:
        problem = f"{where}: {geom_type} coordinates are malformed ({err})"
        return _Parsed(index, label, properties, geom_type, None, (problem,))
    # GEOS cannot orient or repair rings through NaN or infinity (JSON readers accept both).
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        problem = (
            f"{where}: {geom_type} coordinates include NaN or infinity; every coordinate must "
            "be a finite number - fix or remove those points"
        )
        return _Parsed(index, label, properties, geom_type, None, (problem,))
    return _Parsed(index, label, properties, geom_type, geometry)


def _outside_lonlat(geometries: Sequence[BaseGeometry]) -> tuple[float, ...] | None:
    """Return the bounds when they leave longitude/latitude range, else None."""
    if not geometries:
        return None
    xmin, ymin, xmax, ymax = (float(v) for v in shapely.total_bounds(list(geometries)))
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        return xmin, ymin, xmax, ymax
    return None


def _transformer(name: str, crs: pyproj.CRS | None, parsed: list[_Parsed]) -> Any:
    """Return the transformer to EPSG:4326 (or None), refusing projected data without a crs."""
    if crs is None:
        bounds = _outside_lonlat([p.geometry for p in parsed if p.geometry is not None])
        if bounds is not None:
            xmin, ymin, xmax, ymax = bounds
            raise GeodataError(
                f"{name}: coordinates reach x {xmin:.6g}..{xmax:.6g}, y {ymin:.6g}..{ymax:.6g}, "
                "outside longitude -180..180 / latitude -90..90, and the file declares no "
                "'crs'; it looks projected (metres?). Reproject it to EPSG:4326, or add the "
                'legacy member "crs": {"type": "name", "properties": {"name": '
                '"urn:ogc:def:crs:EPSG::3857"}}'
            )
        return None
    if crs.equals(WGS84, ignore_axis_order=True):
        return None
    return pyproj.Transformer.from_crs(crs, WGS84, always_xy=True)


def _repair(
    where: str, geom_type: str | None, geometry: BaseGeometry
) -> tuple[BaseGeometry | None, bool, list[str]]:
    """Keep a geometry's polygons, repaired if invalid: (geometry or None, repaired, problems)."""
    problems: list[str] = []
    if geom_type == "GeometryCollection":
        polygonal = _polygonal_part(geometry)
        if polygonal.is_empty:
            return (
                None,
                False,
                [
                    f"{where}: geometry is a GeometryCollection without polygons; expected Polygon "
                    "or MultiPolygon"
                ],
            )
        problems.append(f"{where}: geometry is a GeometryCollection; kept its polygons only")
        geometry = polygonal
    if geometry.is_empty:
        return None, False, [*problems, f"{where}: geometry is empty; ignored"]
    reason = shapely.is_valid_reason(geometry)
    if reason == "Valid Geometry":
        return geometry, False, problems
    try:
        fixed = _polygonal_part(shapely.make_valid(geometry))
    except shapely.errors.GEOSException as err:
        problems.append(f"{where}: invalid geometry ({reason}) that cannot be repaired ({err})")
        return None, False, problems
    if fixed.is_empty:
        problems.append(
            f"{where}: invalid geometry ({reason}) and nothing polygonal is left after repair; "
            "ignored"
        )
        return None, False, problems
    problems.append(
        f"{where}: invalid geometry ({reason}); repaired with shapely.make_valid, kept the "
        "polygonal parts - check the result"
    )
    return fixed, True, problems


def read_features(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FeatureSet:
    """Read the polygonal features of a GeoJSON file, reprojected and repaired.

    Parameters
    ----------
    path
        A GeoJSON FeatureCollection or Feature.
    max_bytes
        Refuse files larger than this.

    Returns
    -------
    FeatureSet
        Every usable feature (EPSG:4326, exterior rings clockwise) with a report for each.

    Raises
    ------
    GeodataError
        When the file is unusable: too large, not JSON, not a FeatureCollection or Feature,
        an unknown 'crs', coordinates outside longitude/latitude range, or no polygon at all.
    """
    path = Path(path)
    name = path.name
    data = _load_json(path, max_bytes)
    raw_features = _feature_dicts(name, data)
    crs = _declared_crs(name, data)
    parsed = [_parse_feature(name, index, feature) for index, feature in enumerate(raw_features)]
    transformer = _transformer(name, crs, parsed)
    notes: list[str] = []
    if crs is None:
        crs_label = "EPSG:4326 (no 'crs' member; RFC 7946 longitude/latitude)"
    else:
        crs_label = f"{_crs_label(crs)} (legacy 'crs' member)"
        if transformer is not None:
            notes.append(f"{name}: coordinates reprojected from {_crs_label(crs)} to EPSG:4326")

    problems: list[str] = []
    features: list[GeoFeature] = []
    reports: list[FeatureReport] = []
    for item in parsed:
        where = f"{name} feature {item.index} ({item.label})"
        match, conflicts = match_properties(item.properties)
        item_problems = [*item.problems, *(f"{where}: {c}" for c in conflicts)]
        geometry, repaired, winding = item.geometry, False, None
        if geometry is not None:
            if transformer is not None:
                geometry = shapely.transform(geometry, transformer.transform, interleaved=False)
            winding = _winding(geometry)
            geometry, repaired, repair_problems = _repair(where, item.geom_type, geometry)
            item_problems.extend(repair_problems)
        if geometry is not None:
            geometry = orient_for_drawing(geometry)
            features.append(GeoFeature(item.index, item.label, item.properties, geometry))
        problems.extend(item_problems)
        reports.append(
            FeatureReport(
                index=item.index,
                label=item.label,
                geometry_type=item.geom_type,
                match=match,
                winding=winding,
                repaired=repaired,
                used=geometry is not None,
                problems=tuple(item_problems),
            )
        )
    if crs is not None and (bounds := _outside_lonlat([f.geometry for f in features])):
        xmin, ymin, xmax, ymax = bounds
        raise GeodataError(
            f"{name}: read as {_crs_label(crs)} (the 'crs' member), the coordinates reach "
            f"longitude {xmin:.6g}..{xmax:.6g}, latitude {ymin:.6g}..{ymax:.6g}, outside "
            "-180..180 / -90..90; the 'crs' member does not describe these coordinates - "
            "correct it or remove it"
        )
    if not features:
        raise GeodataError(
            f"{name}: no usable Polygon or MultiPolygon feature among {len(raw_features)} "
            "feature(s)",
            problems,
        )
    notes.extend(_file_notes(name, reports))
    return FeatureSet(
        path, crs_label, tuple(features), tuple(reports), tuple(problems), tuple(notes)
    )


def _file_notes(name: str, reports: Sequence[FeatureReport]) -> list[str]:
    notes = []
    # The types as written in the file: a repaired Polygon may have become a MultiPolygon.
    written = [r.geometry_type for r in reports if r.used and r.geometry_type]
    types_seen = sorted(set(written))
    if len(types_seen) > 1:
        counts = ", ".join(f"{kind} x{written.count(kind)}" for kind in types_seen)
        notes.append(f"{name}: geometry types are mixed ({counts}); both are read")
    if {r.winding for r in reports} & {"counter-clockwise", "mixed"}:
        notes.append(
            f"{name}: some exterior rings are counter-clockwise (RFC 7946 order); "
            "re-oriented clockwise for drawing"
        )
    return notes


def _region_frame(geometries: Mapping[RegionId, BaseGeometry]) -> geopandas.GeoDataFrame:
    ids = [rid for rid in REGION_IDS if rid in geometries]
    frame = geopandas.GeoDataFrame(
        {
            "name": [REGIONS[rid].name for rid in ids],
            "country": [REGIONS[rid].country for rid in ids],
            "iso_3166_2": [";".join(REGIONS[rid].iso_codes) for rid in ids],
        },
        geometry=[geometries[rid] for rid in ids],
        index=geopandas.pd.Index(ids, name="id"),
        crs="EPSG:4326",
    )
    return frame


def read_geojson(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> GeojsonReport:
    """Read a GeoJSON file of region boundaries and match its features to the six regions.

    Features are matched by name (Natural Earth name/name_alt, geoBoundaries shapeName, GADM
    NAME_1/VARNAME_1, OSM name/name:en) or code (iso_3166_2, shapeISO, ISO3166-2, HASC_1,
    code_hasc). Several features of one region (Crimea and Sevastopol; a region split in parts)
    are merged. Unmatched features are reported and ignored.

    Parameters
    ----------
    path
        The GeoJSON file.
    max_bytes
        Refuse files larger than this.

    Returns
    -------
    GeojsonReport
        Per-feature findings, problems, notes and the regions as a GeoDataFrame.

    Raises
    ------
    GeodataError
        When the file is unusable (see read_features) or none of the six regions is in it.
    """
    found = read_features(path, max_bytes=max_bytes)
    name = found.path.name
    problems = list(found.problems)
    notes = list(found.notes)
    reports = {report.index: report for report in found.reports}
    parts: dict[RegionId, list[GeoFeature]] = {}
    unmatched: list[str] = []
    for feature in found.features:
        match = reports[feature.index].match
        if match is None:
            unmatched.append(f"{feature.index} ({feature.label})")
        else:
            parts.setdefault(match.region, []).append(feature)
    if not parts:
        raise GeodataError(
            f"{name}: none of the six regions ({', '.join(REGION_IDS)}) was recognised in "
            f"{len(found.reports)} feature(s); give each feature a name such as 'Donetsk' or "
            f"an ISO 3166-2 code such as 'UA-14' in one of the properties "
            f"{', '.join(NAME_PROPERTIES + CODE_PROPERTIES)}",
            problems,
        )
    if unmatched:
        notes.append(
            f"{name}: {len(unmatched)} feature(s) match none of the six regions and are "
            f"ignored: {', '.join(unmatched)}"
        )
    geometries: dict[RegionId, BaseGeometry] = {}
    for region, features in parts.items():
        if len(features) > 1:
            listed = ", ".join(f"{f.index} ({f.label})" for f in features)
            if region == "crimea":
                notes.append(f"{name}: Crimea and Sevastopol merged into crimea from {listed}")
            else:
                problems.append(
                    f"{name}: region {region} appears in {len(features)} features ({listed}); "
                    "merged them into one"
                )
            merged = shapely.union_all([f.geometry for f in features])
            geometries[region] = orient_for_drawing(_polygonal_part(merged))
        else:
            geometries[region] = features[0].geometry
    missing = tuple(rid for rid in REGION_IDS if rid not in geometries)
    return GeojsonReport(
        path=found.path,
        crs=found.crs,
        features=found.reports,
        regions=_region_frame(geometries),
        missing=missing,
        problems=tuple(problems),
        notes=tuple(notes),
    )


# --- the committed data -----------------------------------------------------------------------


def _geodata_dir(geodata_dir: Path | None) -> Path:
    return Path(geodata_dir) if geodata_dir is not None else Paths.default().geodata


def load_regions(
    *, resolution: Resolution = "web", geodata_dir: Path | None = None
) -> geopandas.GeoDataFrame:
    """Load the six regions.

    Parameters
    ----------
    resolution
        "web" (simplified, for the map) or "full" (for areas and checks).
    geodata_dir
        Folder holding regions.geojson and regions_web.geojson; default the configured one.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by region id in REGION_IDS order; columns name, country, iso_3166_2, geometry
        (EPSG:4326, exterior rings clockwise).

    Raises
    ------
    GeodataError
        When the file is unusable or lacks one of the six regions.
    """
    if resolution not in ("full", "web"):
        raise GeodataError(f"unknown resolution {resolution!r}; expected 'full' or 'web'")
    filename = REGIONS_FILE if resolution == "full" else REGIONS_WEB_FILE
    report = read_geojson(_geodata_dir(geodata_dir) / filename)
    if report.missing:
        raise GeodataError(
            f"{filename} lacks the region(s) {', '.join(report.missing)}; the map needs all six "
            f"({', '.join(REGION_IDS)}) - rebuild it with scripts/build_geodata.py or add them",
            list(report.problems),
        )
    return report.regions


def load_context(*, geodata_dir: Path | None = None) -> geopandas.GeoDataFrame:
    """Load the context drawn around the regions: other oblasts and neighbouring countries.

    Parameters
    ----------
    geodata_dir
        Folder holding context_web.geojson; default the configured one.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns id, name, kind ("ukraine_oblast", "russia_oblast" or "country"), geometry.

    Raises
    ------
    GeodataError
        When the file is unusable or a feature lacks id, name or a known kind.
    """
    found = read_features(_geodata_dir(geodata_dir) / CONTEXT_WEB_FILE)
    name = found.path.name
    problems: list[str] = list(found.problems)
    rows: list[tuple[str, str, str, BaseGeometry]] = []
    for feature in found.features:
        props = feature.properties
        kind = props.get("kind")
        if kind not in CONTEXT_KINDS:
            problems.append(
                f"{name} feature {feature.index} ({feature.label}): kind is {kind!r}; expected "
                f"one of {', '.join(CONTEXT_KINDS)}"
            )
            continue
        ident, label = props.get("id"), props.get("name")
        if not isinstance(ident, str) or not isinstance(label, str):
            problems.append(
                f"{name} feature {feature.index} ({feature.label}): needs string properties "
                "'id' and 'name'"
            )
            continue
        rows.append((ident, label, kind, feature.geometry))
    if problems:
        raise GeodataError(f"{name} has {len(problems)} problem(s)", problems)
    return geopandas.GeoDataFrame(
        {
            "id": [row[0] for row in rows],
            "name": [row[1] for row in rows],
            "kind": [row[2] for row in rows],
        },
        geometry=[row[3] for row in rows],
        crs="EPSG:4326",
    )


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
    """Return the areas (km2) of the committed full-resolution regions."""
    return region_areas(load_regions(resolution="full", geodata_dir=geodata_dir))


#: A matched region's area may differ this much from the reference before validate warns.
AREA_TOLERANCE = 0.10


def validate_file(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    geodata_dir: Path | None = None,
) -> GeojsonReport:
    """Check a GeoJSON file of region boundaries the way ``mapdash validate`` does.

    Like read_geojson, plus a warning for each matched region whose area differs from the
    committed data's by more than 10% (e.g. boundaries that include 12 nautical miles of
    territorial sea, 15-60% too large).

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
        The report, with area warnings added to its problems.

    Raises
    ------
    GeodataError
        When the file is unusable.
    """
    report = read_geojson(path, max_bytes=max_bytes)
    name = report.path.name
    reference = reference_areas(geodata_dir=geodata_dir)
    problems = list(report.problems)
    for region, area in region_areas(report.regions).items():
        expected = reference[region]
        change = area / expected - 1
        if abs(change) > AREA_TOLERANCE:
            hint = (
                "does the boundary include territorial sea (12 nautical miles adds 15-60%)? "
                "Use a land-only boundary"
                if change > 0
                else "part of the region may be missing"
            )
            problems.append(
                f"{name}: region {region} covers {area:,.0f} km2, {abs(change):.0%} "
                f"{'more' if change > 0 else 'less'} than the reference {expected:,.0f} km2; "
                + hint
            )
    return replace(report, problems=tuple(problems))


# --- writing ----------------------------------------------------------------------------------


def _rounded(coords: Any, decimals: int) -> Any:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], float | int):
            return [round(float(value), decimals) + 0.0 for value in coords]
        return [_rounded(item, decimals) for item in coords]
    return coords


def dumps_geojson(
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry]], *, decimals: int
) -> bytes:
    """Serialise features as a deterministic GeoJSON FeatureCollection.

    Same input gives byte-identical output: sorted keys, coordinates rounded to ``decimals``,
    one feature per line (readable diffs), UTF-8, trailing newline.

    Parameters
    ----------
    features
        (properties, geometry) pairs in output order; geometry in EPSG:4326.
    decimals
        Decimal places kept in coordinates.

    Returns
    -------
    bytes
        The file content.
    """
    lines = []
    for properties, geometry in features:
        if not np.isfinite(shapely.get_coordinates(geometry)).all():
            raise GeodataError(
                f"refusing to write a geometry with non-finite coordinates (NaN or infinity), "
                f"properties {dict(properties)!r}"
            )
        mapping = shapely.geometry.mapping(geometry)
        feature = {
            "type": "Feature",
            "properties": dict(properties),
            "geometry": {
                "type": mapping["type"],
                "coordinates": _rounded(mapping["coordinates"], decimals),
            },
        }
        text = json.dumps(
            feature, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        lines.append(text)
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n'.encode()


def write_geojson(
    path: Path | str,
    features: Sequence[tuple[Mapping[str, Any], BaseGeometry]],
    *,
    decimals: int,
) -> None:
    """Write features atomically (temporary file, then rename) with dumps_geojson.

    Parameters
    ----------
    path
        Target file; replaced only once the new content is fully written.
    features
        (properties, geometry) pairs in output order.
    decimals
        Decimal places kept in coordinates.
    """
    path = Path(path)
    content = dumps_geojson(features, decimals=decimals)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- coverage simplification ------------------------------------------------------------------


def clean_coverage(geometries: Sequence[BaseGeometry], *, gap_width: float) -> list[BaseGeometry]:
    """Make polygons a clean coverage: no overlaps, small gaps closed, shared edges identical.

    Natural Earth's admin-1 polygons do not match vertex for vertex along every shared border
    (Kherson/Crimea, Odesa/Moldova...), which coverage_simplify needs.

    Parameters
    ----------
    geometries
        Polygons that roughly tile an area.
    gap_width
        Gaps narrower than this (degrees) go to the neighbour with the longest shared border.

    Returns
    -------
    list
        The cleaned geometries, in input order.
    """
    cleaned = shapely.coverage_clean(list(geometries), gap_width=gap_width)
    return [_polygonal_part(geom) for geom in cleaned]


def simplify_coverage(
    geometries: Sequence[BaseGeometry], *, tolerance: float, grid_size: float
) -> list[BaseGeometry]:
    """Simplify a clean coverage so neighbours keep identical borders, then snap to a grid.

    Plain ``simplify()`` works polygon by polygon and tears shared borders apart; shapely's
    coverage_simplify simplifies each shared edge once.

    Parameters
    ----------
    geometries
        A clean coverage (see clean_coverage).
    tolerance
        Simplification tolerance in degrees.
    grid_size
        Precision grid in degrees applied after simplifying.

    Returns
    -------
    list
        The simplified geometries (exterior rings clockwise), in input order.
    """
    return _snap_for_drawing(shapely.coverage_simplify(list(geometries), tolerance), grid_size)


def _snap_for_drawing(simplified: Sequence[BaseGeometry], grid_size: float) -> list[BaseGeometry]:
    # Snapping identical vertices to the same grid keeps shared edges identical.
    snapped = shapely.set_precision(list(simplified), grid_size, mode="pointwise")
    repaired = [
        _polygonal_part(geom if geom.is_valid else shapely.make_valid(geom)) for geom in snapped
    ]
    return [orient_for_drawing(geom) for geom in repaired]


def simplify_coverage_around(
    geometries: Sequence[BaseGeometry],
    detailed: Sequence[bool],
    *,
    tolerance: float,
    context_tolerance: float,
    grid_size: float,
) -> list[BaseGeometry]:
    """Simplify a clean coverage: the detailed polygons at ``tolerance``, the rest coarser.

    The backdrop around the map's subjects can be drawn with far fewer vertices (each one is
    projected again at every redraw) without moving the subjects' own borders. Both
    simplifications keep the coverage's nodes, so every edge of the coarse one runs between the
    same nodes as in the fine one: the detailed polygons' edges are taken from the fine
    simplification, every other edge from the coarse one, and the faces they enclose are
    given back to their polygons. The result is still a coverage: neighbours share identical
    borders, detailed ones exactly as :func:`simplify_coverage` would draw them.

    Parameters
    ----------
    geometries
        A clean coverage (see clean_coverage).
    detailed
        For each geometry, whether it keeps the fine tolerance.
    tolerance, context_tolerance
        Simplification tolerances in degrees for the detailed polygons and for the others.
    grid_size
        Precision grid in degrees applied after simplifying.

    Returns
    -------
    list
        The simplified geometries (exterior rings clockwise), in input order.
    """
    polygons = list(geometries)
    fine = shapely.coverage_simplify(polygons, tolerance)
    coarse = shapely.coverage_simplify(polygons, context_tolerance)
    kept = [i for i, flag in enumerate(detailed) if flag]
    others = [i for i, flag in enumerate(detailed) if not flag]
    # Coarse edges of the others, less the coarse edges that border a detailed polygon, plus
    # the detailed polygons' fine edges: the linework of the result, noded by the union.
    linework = shapely.union_all(
        [
            shapely.difference(
                shapely.union_all(shapely.boundary(coarse[others])),
                shapely.union_all(shapely.boundary(coarse[kept])),
            ),
            shapely.union_all(shapely.boundary(fine[kept])),
        ]
    )
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    owners: list[list[BaseGeometry]] = [[] for _ in polygons]
    for face, inside in zip(faces, shapely.point_on_surface(faces), strict=True):
        # A face lies wholly inside or wholly outside the detailed polygons (their borders are
        # in the linework); outside, the coarse polygon it came from owns it. Faces inside no
        # polygon at all are holes (inland water, enclosed sea) and stay empty.
        owner = next((i for i in kept if fine[i].contains(inside)), None)
        for candidates in (coarse, fine):
            if owner is None:
                owner = next((i for i in others if candidates[i].contains(inside)), None)
        if owner is not None:
            owners[owner].append(face)
    merged = [shapely.coverage_union_all(mine) if mine else shapely.Polygon() for mine in owners]
    return _snap_for_drawing(merged, grid_size)
