"""Where the live geodata is: the shipped files, installed versions and the current pointer.

Layout of a geodata folder::

    regions.geojson, regions_web.geojson    the shipped Natural Earth boundaries; an install
                                            never rewrites them: they are version "shipped"
                                            and the reference of every plausibility check
    context_web.geojson                     the shipped context (other oblasts, countries)
    versions/boundaries/<version>/          an installed version of the boundaries:
        regions.geojson, regions_web.geojson, meta.json
    versions/boundaries/CURRENT             one line, the live version (absent: "shipped")
    control/control_<date>.geojson          the live control layers
    versions/control_<date>/<version>/      every version a control layer has had:
        control_<date>.geojson, meta.json
    audit.log                               one JSON line per install, removal and rollback

The boundaries are two files that must change together, so they go live by replacing the
one-line pointer (``os.replace``); a control layer is one file, replaced the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import geopandas
from shapely.geometry.base import BaseGeometry

from ..config import Paths
from ..errors import GeodataError
from ..regions import REGION_IDS
from .read import DEFAULT_MAX_BYTES, read_features, read_geojson

Resolution = Literal["full", "web"]
ContextKind = Literal["ukraine_oblast", "russia_oblast", "country"]
#: What a file installs: region boundaries or a dated control layer.
Kind = Literal["regions", "control"]
KINDS: tuple[Kind, ...] = ("regions", "control")
CONTEXT_KINDS: tuple[ContextKind, ...] = ("ukraine_oblast", "russia_oblast", "country")

REGIONS_FILE = "regions.geojson"
REGIONS_WEB_FILE = "regions_web.geojson"
CONTEXT_WEB_FILE = "context_web.geojson"
#: Folder of the installed control layers.
CONTROL_DIR = "control"
VERSIONS_DIR = "versions"
#: Layer id of the region boundaries (control layers are named ``control_<date>``).
BOUNDARIES = "boundaries"
#: Version id of the boundaries shipped with the project.
SHIPPED = "shipped"
CURRENT_FILE = "CURRENT"
META_FILE = "meta.json"
#: Where the shipped boundaries come from (see geodata/SOURCES.md).
SHIPPED_SOURCE = "Natural Earth"
SHIPPED_LICENCE = "public domain"


def default_dir(geodata_dir: Path | None) -> Path:
    """Return ``geodata_dir``, or the configured geodata folder when it is None."""
    return Path(geodata_dir) if geodata_dir is not None else Paths.default().geodata


def sha256_hex(content: bytes) -> str:
    """Return the hex SHA-256 of ``content``."""
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class VersionMeta:
    """What is recorded with every installed version (its ``meta.json``)."""

    layer: str
    version: str
    kind: Kind
    source_file: str
    #: SHA-256 of the file as it arrived.
    sha256: str
    installed_at: dt.datetime
    actor: str
    date: dt.date | None = None
    source: str | None = None
    licence: str | None = None
    url: str | None = None
    override: bool = False
    #: When the file was fetched from its source (a pull from a public source), if it was.
    retrieved_at: dt.datetime | None = None
    #: The files of the version folder, in the order they are written.
    files: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        """Return the record as JSON-ready data."""
        return {
            "layer": self.layer,
            "version": self.version,
            "kind": self.kind,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "installed_at": self.installed_at.isoformat(),
            "actor": self.actor,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "licence": self.licence,
            "url": self.url,
            "override": self.override,
            "retrieved_at": self.retrieved_at.isoformat() if self.retrieved_at else None,
            "files": list(self.files),
            "problems": list(self.problems),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> VersionMeta:
        """Read a record written by :meth:`as_json`."""
        date = data.get("date")
        retrieved = data.get("retrieved_at")
        kind: Kind = "regions" if data["kind"] == "regions" else "control"
        return cls(
            layer=str(data["layer"]),
            version=str(data["version"]),
            kind=kind,
            source_file=str(data["source_file"]),
            sha256=str(data["sha256"]),
            installed_at=dt.datetime.fromisoformat(data["installed_at"]),
            actor=str(data["actor"]),
            date=dt.date.fromisoformat(date) if date else None,
            source=data.get("source"),
            licence=data.get("licence"),
            url=data.get("url"),
            override=bool(data.get("override")),
            retrieved_at=dt.datetime.fromisoformat(retrieved) if retrieved else None,
            files=tuple(data.get("files") or ()),
            problems=tuple(data.get("problems") or ()),
        )


def layer_dir(geodata_dir: Path, layer: str) -> Path:
    """Return the folder holding every version of ``layer``."""
    return geodata_dir / VERSIONS_DIR / layer


def read_meta(folder: Path) -> VersionMeta:
    """Read a version folder's ``meta.json``.

    Raises
    ------
    GeodataError
        When the record is missing or damaged.
    """
    try:
        return VersionMeta.from_json(json.loads((folder / META_FILE).read_text("utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise GeodataError(
            f"{folder.name}: the record {VERSIONS_DIR}/{folder.parent.name}/{folder.name}/"
            f"{META_FILE} cannot be read ({err}); restore it from a backup or remove the folder"
        ) from None


def layer_versions(geodata_dir: Path, layer: str) -> list[VersionMeta]:
    """Return the installed versions of ``layer``, oldest first (their ids sort by time)."""
    folder = layer_dir(geodata_dir, layer)
    if not folder.is_dir():
        return []
    return [
        read_meta(child)
        for child in sorted(folder.iterdir())
        if child.is_dir() and not child.name.startswith(".")
    ]


def current_boundaries(geodata_dir: Path | None = None) -> str:
    """Return the version id of the live boundaries (``"shipped"`` when none was installed).

    Raises
    ------
    GeodataError
        When the pointer names a version whose folder is missing.
    """
    folder = default_dir(geodata_dir)
    pointer = layer_dir(folder, BOUNDARIES) / CURRENT_FILE
    try:
        version = pointer.read_text("utf-8").strip()
    except FileNotFoundError:
        return SHIPPED
    except OSError as err:
        raise GeodataError(f"{pointer}: cannot read the file ({err.strerror or err})") from None
    if version in ("", SHIPPED):
        return SHIPPED
    if not (layer_dir(folder, BOUNDARIES) / version / REGIONS_FILE).is_file():
        raise GeodataError(
            f"{VERSIONS_DIR}/{BOUNDARIES}/{CURRENT_FILE} names version {version!r}, whose "
            f"files are missing; put them back, or go back to the shipped boundaries with "
            f"mapdash rollback {SHIPPED}"
        )
    return version


def boundaries_dir(geodata_dir: Path | None = None) -> Path:
    """Return the folder holding the live regions.geojson and regions_web.geojson."""
    folder = default_dir(geodata_dir)
    version = current_boundaries(folder)
    return folder if version == SHIPPED else layer_dir(folder, BOUNDARIES) / version


def boundaries_key(geodata_dir: Path) -> tuple[object, ...]:
    """Return a cheap fingerprint (stats) of the live boundaries, to notice a change."""
    pointer = layer_dir(geodata_dir, BOUNDARIES) / CURRENT_FILE
    files = [pointer]
    try:
        live = boundaries_dir(geodata_dir)
    except GeodataError:
        live = geodata_dir
    files += [live / REGIONS_FILE, live / REGIONS_WEB_FILE, live / CONTEXT_WEB_FILE]
    key: list[object] = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            key.append(None)
            continue
        key.append((str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(key)


def _read_regions(folder: Path, resolution: Resolution) -> geopandas.GeoDataFrame:
    if resolution not in ("full", "web"):
        raise GeodataError(f"unknown resolution {resolution!r}; expected 'full' or 'web'")
    filename = REGIONS_FILE if resolution == "full" else REGIONS_WEB_FILE
    report = read_geojson(folder / filename, max_bytes=DEFAULT_MAX_BYTES)
    if report.missing:
        raise GeodataError(
            f"{filename} lacks the region(s) {', '.join(report.missing)}; the map needs all six "
            f"({', '.join(REGION_IDS)}) - rebuild it with scripts/build_geodata.py or add them",
            list(report.problems),
        )
    return report.regions


def load_regions(
    *, resolution: Resolution = "web", geodata_dir: Path | None = None
) -> geopandas.GeoDataFrame:
    """Load the six live regions (the installed version of the boundaries, or the shipped one).

    Parameters
    ----------
    resolution
        "web" (simplified, for the map) or "full" (for areas and checks).
    geodata_dir
        The geodata folder; default the configured one.

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
    return _read_regions(boundaries_dir(geodata_dir), resolution)


def shipped_regions(
    *, resolution: Resolution = "full", geodata_dir: Path | None = None
) -> geopandas.GeoDataFrame:
    """Load the shipped Natural Earth regions: the reference, whatever has been installed.

    Raises
    ------
    GeodataError
        When the shipped file is unusable.
    """
    return _read_regions(default_dir(geodata_dir), resolution)


def load_context(
    *, geodata_dir: Path | None = None, shipped: bool = False
) -> geopandas.GeoDataFrame:
    """Load the context drawn around the regions: other oblasts and neighbouring countries.

    A boundaries version carries the context redrawn around its regions (so that borders stay
    shared on the map); the shipped one is the reference of the plausibility checks.

    Parameters
    ----------
    geodata_dir
        The geodata folder; default the configured one.
    shipped
        Read the shipped context, whatever boundaries are live.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns id, name, kind ("ukraine_oblast", "russia_oblast" or "country"), geometry.

    Raises
    ------
    GeodataError
        When the file is unusable or a feature lacks id, name or a known kind.
    """
    folder = default_dir(geodata_dir)
    live = folder if shipped else boundaries_dir(folder)
    path = live / CONTEXT_WEB_FILE
    found = read_features(path if path.is_file() else folder / CONTEXT_WEB_FILE)
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


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new file) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
