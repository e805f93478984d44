"""Installing new geodata: validate first, then an atomic, serialised, lossless write.

Every install follows the same steps, under an exclusive lock on ``geodata/.lock`` so that two
uploads (threads, gunicorn workers or ``mapdash swap`` runs) cannot interleave:

1. read and validate the incoming file; an unusable file raises and changes nothing;
2. write the new content to a temporary file in the target's folder and fsync it;
3. hard-link the current version into ``geodata/history/<timestamp>_<name>``, so nothing that
   was live is ever lost (and the live path never disappears, not even for a moment);
4. ``os.replace`` the temporary file over the live one and fsync the folder.

A process killed at any point leaves the live file either entirely old or entirely new.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas
import shapely

from .config import Paths
from .control import (
    CONTROL_DIR,
    date_from_name,
    dumps_layer,
    read_control,
)
from .errors import GeodataError
from .geodata import (
    DEFAULT_MAX_BYTES,
    REGIONS_FILE,
    REGIONS_WEB_FILE,
    clean_coverage,
    dumps_geojson,
    load_regions,
    read_features,
    simplify_coverage,
    validate_file,
)
from .regions import REGION_IDS, REGIONS

Kind = Literal["regions", "control"]
KINDS: tuple[Kind, ...] = ("regions", "control")

HISTORY_DIR = "history"
LOCK_FILE = ".lock"
#: Same grid and tolerance as scripts/build_geodata.py, so swapped regions look alike.
FULL_DECIMALS = 6
WEB_DECIMALS = 3
WEB_TOLERANCE = 0.01
GAP_WIDTH = 0.001
#: Mode of a newly installed file (readable by the web server's user and group).
NEW_FILE_MODE = 0o644


@dataclass(frozen=True)
class Installed:
    """What an install put live, and where the previous versions went."""

    kind: Kind
    source: str
    live: tuple[Path, ...]
    previous: tuple[Path, ...]
    summary: str
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    #: True when the file was only checked (nothing written).
    dry_run: bool = False

    def describe(self) -> list[str]:
        """Return the outcome as lines of text."""
        lines = [self.summary]
        verb = "would install" if self.dry_run else "installed"
        lines.extend(f"{verb} {path.name}" for path in self.live)
        lines.extend(f"previous version kept as {HISTORY_DIR}/{p.name}" for p in self.previous)
        lines.extend(f"note: {note}" for note in self.notes)
        lines.extend(f"warning: {problem}" for problem in self.problems)
        return lines


@contextlib.contextmanager
def locked(geodata_dir: Path) -> Iterator[None]:
    """Hold the geodata folder's exclusive install lock (blocks until it is free)."""
    geodata_dir.mkdir(parents=True, exist_ok=True)
    with open(geodata_dir / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def atomic_replace(target: Path, content: bytes, *, history: Path) -> Path | None:
    """Replace ``target`` with ``content`` atomically, keeping its old version in ``history``.

    Call with the folder's lock held (see :func:`locked`).

    Parameters
    ----------
    target
        The live file.
    content
        Its new content.
    history
        Folder that receives the previous version as ``<timestamp>_<name>``.

    Returns
    -------
    Path or None
        Where the previous version was kept, or None when there was none or it was identical.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.read_bytes() == content:
        return None
    fd, tmp_name = tempfile.mkstemp(prefix=f".tmp-{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    kept: Path | None = None
    try:
        # mkstemp creates the file private (0600); a live file keeps the mode it had.
        os.fchmod(fd, target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            history.mkdir(parents=True, exist_ok=True)
            kept = history / f"{_stamp()}_{target.name}"
            try:
                # A hard link keeps the old bytes without a moment where the live path is gone.
                os.link(target, kept)
            except OSError:
                shutil.copy2(target, kept)
            _fsync_dir(history)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return kept


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files left by a killed install; only ever removed with the lock held."""
    if folder.is_dir():
        for stale in folder.glob(".tmp-*"):
            stale.unlink(missing_ok=True)


def guess_kind(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Kind:
    """Tell a control layer from region boundaries.

    A file named with a date or with "control" is a control layer; otherwise a file whose
    features name one of the six regions holds boundaries, and any other is a control layer.

    Raises
    ------
    GeodataError
        When the file has to be read and is unusable.
    """
    if "control" in path.name.lower() or date_from_name(path.name) is not None:
        return "control"
    found = read_features(path, max_bytes=max_bytes)
    return "regions" if any(report.match for report in found.reports) else "control"


def install_control(
    source: Path,
    *,
    geodata_dir: Path,
    date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> Installed:
    """Validate a control layer and install it as ``control/control_<date>.geojson``.

    Raises
    ------
    GeodataError
        When the file is unusable; nothing is written then.
    """
    layer = read_control(source, date=date, max_bytes=max_bytes, geodata_dir=geodata_dir)
    target = geodata_dir / CONTROL_DIR / layer.file_name
    content = dumps_layer(layer)
    kept = None
    if not dry_run:
        with locked(geodata_dir):
            _remove_stale_temporaries(target.parent)
            kept = atomic_replace(target, content, history=geodata_dir / HISTORY_DIR)
    return Installed(
        dry_run=dry_run,
        kind="control",
        source=source.name,
        live=(target,),
        previous=(kept,) if kept else (),
        summary=layer.describe()[0],
        problems=layer.problems,
        notes=layer.notes,
    )


def merge_regions(
    current: geopandas.GeoDataFrame, incoming: geopandas.GeoDataFrame
) -> tuple[geopandas.GeoDataFrame, geopandas.GeoDataFrame]:
    """Replace the incoming regions' geometry and rebuild the simplified web geometry.

    The six regions are cleaned into one coverage and simplified together (shapely's
    coverage_simplify), so neighbours keep an identical border, as the build does.

    Parameters
    ----------
    current
        The installed full-resolution regions (all six).
    incoming
        Regions read from the new file (some or all of the six).

    Returns
    -------
    tuple of GeoDataFrame
        Full-resolution and web regions, all six, in REGION_IDS order.
    """
    # The new boundaries win where they overlap a region that keeps its old geometry.
    arrived = shapely.union_all(list(incoming.geometry))
    geometries = [
        incoming.geometry[rid]
        if rid in incoming.index
        else shapely.difference(current.geometry[rid], arrived)
        for rid in REGION_IDS
    ]
    cleaned = clean_coverage(geometries, gap_width=GAP_WIDTH)
    web = simplify_coverage(cleaned, tolerance=WEB_TOLERANCE, grid_size=10.0**-WEB_DECIMALS)
    full = current.copy()
    full["geometry"] = geopandas.GeoSeries(cleaned, index=full.index, crs=full.crs)
    web_frame = current.copy()
    web_frame["geometry"] = geopandas.GeoSeries(web, index=full.index, crs=full.crs)
    return full, web_frame


def _region_features(
    frame: geopandas.GeoDataFrame, source: str, *, exterior_cw: bool
) -> list[tuple[dict[str, str], shapely.Geometry]]:
    return [
        (
            {
                "id": str(rid),
                "name": REGIONS[str(rid)].name,
                "country": REGIONS[str(rid)].country,
                "iso_3166_2": ";".join(REGIONS[str(rid)].iso_codes),
                "source": source,
            },
            shapely.orient_polygons(geom, exterior_cw=exterior_cw),
        )
        for rid, geom in frame.geometry.items()
    ]


def install_regions(
    source: Path,
    *,
    geodata_dir: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> Installed:
    """Validate region boundaries and swap the matched regions into the live files.

    Raises
    ------
    GeodataError
        When the file is unusable; nothing is written then.
    """
    report = validate_file(source, max_bytes=max_bytes, geodata_dir=geodata_dir)
    swapped = ", ".join(str(rid) for rid in report.regions.index)
    live = (geodata_dir / REGIONS_FILE, geodata_dir / REGIONS_WEB_FILE)
    if dry_run:
        return Installed(
            kind="regions",
            source=source.name,
            live=live,
            previous=(),
            summary=f"{source.name}: region boundaries for {swapped}",
            problems=report.problems,
            notes=report.notes,
            dry_run=True,
        )
    with locked(geodata_dir):
        current = load_regions(resolution="full", geodata_dir=geodata_dir)
        full, web = merge_regions(current, report.regions)
        label = f"{source.name}, installed {dt.date.today().isoformat()}"
        history = geodata_dir / HISTORY_DIR
        kept = []
        _remove_stale_temporaries(geodata_dir)
        # The full-resolution file is the source of truth; it is written first so that a
        # crash in between leaves a stale web file, which the next install rewrites.
        for name, frame, decimals, clockwise in (
            (REGIONS_FILE, full, FULL_DECIMALS, False),
            (REGIONS_WEB_FILE, web, WEB_DECIMALS, True),
        ):
            features = _region_features(frame, label, exterior_cw=clockwise)
            content = dumps_geojson(features, decimals=decimals)
            previous = atomic_replace(geodata_dir / name, content, history=history)
            if previous is not None:
                kept.append(previous)
    return Installed(
        kind="regions",
        source=source.name,
        live=live,
        previous=tuple(kept),
        summary=f"{source.name}: region boundaries swapped in for {swapped}",
        problems=report.problems,
        notes=report.notes,
    )


def install(
    source: Path | str,
    *,
    kind: Kind | None = None,
    geodata_dir: Path | None = None,
    date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> Installed:
    """Validate a GeoJSON file and, only if it is usable, put it live atomically.

    Parameters
    ----------
    source
        The incoming file (its name may carry the date of a control layer).
    kind
        "regions" (boundaries of some or all six regions) or "control" (a dated control
        layer); default "control" when a date is given, else guessed (see :func:`guess_kind`).
    geodata_dir
        The live geodata folder; default the configured one.
    date
        A control layer's date, when the file does not carry it.
    max_bytes
        Refuse files larger than this.
    dry_run
        Only check the file and say what would be installed; write nothing.

    Returns
    -------
    Installed
        The files put live, the history copies of what they replaced, and warnings.

    Raises
    ------
    GeodataError
        When the file is unusable or the kind is unknown; the live data is left unchanged.
    """
    source = Path(source)
    folder = Path(geodata_dir) if geodata_dir is not None else Paths.default().geodata
    # A date only makes sense for a control layer.
    chosen = kind or ("control" if date is not None else guess_kind(source, max_bytes=max_bytes))
    if chosen == "control":
        return install_control(
            source, geodata_dir=folder, date=date, max_bytes=max_bytes, dry_run=dry_run
        )
    if chosen == "regions":
        if date is not None:
            raise GeodataError(
                f"{source.name}: a date was given, but region boundaries are not dated; "
                "install it as a control layer (kind 'control') or leave the date out"
            )
        return install_regions(source, geodata_dir=folder, max_bytes=max_bytes, dry_run=dry_run)
    raise GeodataError(f"unknown kind {chosen!r}; expected one of {', '.join(KINDS)}")
