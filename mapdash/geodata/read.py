"""Reading GeoJSON: bounded parsing, the legacy 'crs' member, reprojection and repair.

Everything returned is in EPSG:4326 (longitude, latitude) with polygon exterior rings clockwise:
plotly's geo traces are drawn by d3-geo, which treats a spherical polygon whose exterior ring is
counter-clockwise (the RFC 7946 order) as its complement, so an RFC 7946 ring would paint the
whole globe except the region. Natural Earth and GADM happen to be clockwise already; files from
elsewhere are re-oriented on reading.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas
import numpy as np
import pyproj
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..errors import GeodataError
from ..regions import REGION_IDS, REGIONS
from ..types import RegionId
from .match import CODE_PROPERTIES, NAME_PROPERTIES, Match, feature_label, match_properties

Winding = Literal["clockwise", "counter-clockwise", "mixed"]

#: Largest file read_geojson accepts unless told otherwise (64 MiB).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

# Lambert azimuthal equal-area centred on the six regions (48N, 35E). Any equal-area projection
# preserves area exactly; centring it here keeps the straight segments between vertices closest
# to the true edges, so the planar area matches the geodesic one to well under 0.1%.
EQUAL_AREA_CRS = "+proj=laea +lat_0=48 +lon_0=35 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
WGS84 = pyproj.CRS.from_epsg(4326)

_POLYGONAL = ("Polygon", "MultiPolygon")


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


#: Bounds on what one file may cost to read; past them the file is refused with a message.
MAX_FEATURES = 50_000
MAX_VERTICES = 5_000_000
#: Digits in one JSON integer (coordinates need a handful; Python refuses past 4,300).
MAX_NUMBER_DIGITS = 40
#: Problems listed one by one; the rest are summarised in one line.
MAX_PROBLEMS = 50
_FEATURE_TYPE = re.compile(rb'"type"\s*:\s*"Feature"')


class _NumberTooLong(ValueError):
    """A JSON integer longer than MAX_NUMBER_DIGITS."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(text[:20])
    return int(text)


def summarise(problems: Sequence[str], *, limit: int = MAX_PROBLEMS) -> list[str]:
    """Return the first ``limit`` problems and one line counting the rest.

    A file of a million broken features must not produce a million-line report.
    """
    if len(problems) <= limit:
        return list(problems)
    rest = len(problems) - limit
    return [
        *problems[:limit],
        f"... and {rest:,} more problem(s) like these, not listed; fix the ones above and "
        "check the file again",
    ]


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file whole, refusing it before reading when it is larger than ``max_bytes``.

    Raises
    ------
    GeodataError
        When the file cannot be read or is too large.
    """
    try:
        size = path.stat().st_size
        if size <= max_bytes:
            raw = path.read_bytes()
    except OSError as err:
        raise GeodataError(f"{path}: cannot read the file ({err.strerror or err})") from None
    if size > max_bytes:
        raise too_large(path.name, size, max_bytes)
    return raw


def too_large(name: str, size: int, max_bytes: int) -> GeodataError:
    """Return the error for a file of ``size`` bytes past the limit."""
    return GeodataError(
        f"{name} is {size:,} bytes ({size / 2**20:.1f} MiB), larger than the limit of "
        f"{max_bytes:,} bytes ({max_bytes / 2**20:.1f} MiB); simplify the file or raise "
        f"the limit (max_bytes=..., or mapdash validate --max-bytes N)"
    )


def parse_json(name: str, raw: bytes) -> Any:
    """Parse GeoJSON bytes with bounded cost: UTF-8, nesting depth and number size limited.

    Raises
    ------
    GeodataError
        When the bytes are not UTF-8 JSON, nest deeper than Python's recursion limit allows, or
        hold an integer of more than MAX_NUMBER_DIGITS digits.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GeodataError(
            f"{name} is not UTF-8 text (byte {err.start}); GeoJSON must be UTF-8 (RFC 7946)"
        ) from None
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise GeodataError(
            f"{name} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None
    except _NumberTooLong as err:
        raise GeodataError(
            f"{name}: a number starting {err.args[0]}... has more than {MAX_NUMBER_DIGITS} "
            "digits; GeoJSON coordinates and properties need ordinary numbers - fix the "
            "program that wrote the file"
        ) from None
    except RecursionError:
        raise GeodataError(
            f"{name}: arrays or objects are nested too deeply to read (over "
            f"{sys.getrecursionlimit():,} levels); a GeoJSON MultiPolygon needs 4 levels of "
            "coordinate arrays - this is not a GeoJSON file a GIS would write"
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


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Return the polygons of a geometry (dropping points and lines), possibly empty."""
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


def _parse_features(name: str, raw_features: Sequence[object]) -> list[_Parsed]:
    """Parse every feature, refusing the file once it holds more than MAX_VERTICES vertices."""
    parsed = []
    vertices = 0
    for index, feature in enumerate(raw_features):
        item = _parse_feature(name, index, feature)
        if item.geometry is not None:
            vertices += int(shapely.get_num_coordinates(item.geometry))
            if vertices > MAX_VERTICES:
                raise GeodataError(
                    f"{name}: more than {MAX_VERTICES:,} vertices by feature {index}; "
                    "simplify the file (e.g. mapshaper -simplify 10%) before installing it"
                )
        parsed.append(item)
    return parsed


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
        polygonal = polygonal_part(geometry)
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
        fixed = polygonal_part(shapely.make_valid(geometry))
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


def _check_feature_count(name: str, count: int) -> None:
    """Refuse a file of more than MAX_FEATURES features.

    Before parsing, ``count`` is the number of ``"type": "Feature"`` members in the bytes:
    quotes inside a JSON string are escaped, so each is one feature (or an object nested in
    properties that says so), a count a parse would confirm.
    """
    if count > MAX_FEATURES:
        raise GeodataError(
            f"{name} has {count:,} features, more than the {MAX_FEATURES:,} one file may "
            "hold; region boundaries need six and a control layer a few hundred - split or "
            "dissolve the file"
        )


def read_features(
    path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, content: bytes | None = None
) -> FeatureSet:
    """Read the polygonal features of a GeoJSON file, reprojected and repaired.

    Parameters
    ----------
    path
        A GeoJSON FeatureCollection or Feature.
    max_bytes
        Refuse files larger than this.
    content
        The file's bytes when they are already read (an upload); ``path`` then only names it.

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
    if content is None:
        content = read_bytes(path, max_bytes)
    elif len(content) > max_bytes:
        raise too_large(name, len(content), max_bytes)
    # Counted in the bytes first, so that a file of a million features is refused before
    # parsing it costs seconds and hundreds of MB; the parsed count below stays the rule.
    if content.count(b'"Feature"') > MAX_FEATURES:
        _check_feature_count(name, sum(1 for _ in _FEATURE_TYPE.finditer(content)))
    data = parse_json(name, content)
    raw_features = _feature_dicts(name, data)
    _check_feature_count(name, len(raw_features))
    crs = _declared_crs(name, data)
    parsed = _parse_features(name, raw_features)
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
            summarise(problems),
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
    return regions_report(read_features(path, max_bytes=max_bytes))


def regions_report(found: FeatureSet) -> GeojsonReport:
    """Match features already read (see :func:`read_features`) to the six regions.

    Raises
    ------
    GeodataError
        When none of the six regions is among the features.
    """
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
            f"ignored: {', '.join(unmatched[:20])}{', ...' if len(unmatched) > 20 else ''}"
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
            geometries[region] = orient_for_drawing(polygonal_part(merged))
        else:
            geometries[region] = features[0].geometry
    missing = tuple(rid for rid in REGION_IDS if rid not in geometries)
    return GeojsonReport(
        path=found.path,
        crs=found.crs,
        features=found.reports,
        regions=_region_frame(geometries),
        missing=missing,
        problems=tuple(summarise(problems)),
        notes=tuple(notes),
    )
