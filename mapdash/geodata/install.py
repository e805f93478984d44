"""The one install pipeline, and the versions, history and rollback of the live geodata.

Every file that comes in (dropped into ``geodata/``, uploaded in the page, ``mapdash swap``,
``POST /api/layers``, a pull from a public source) goes through :func:`install_file` (or
:func:`install_bytes` for bytes already in memory), in stages:

1. decode and size: the file is read once, refused past ``max_bytes``;
2. bounded parse (:func:`~mapdash.geodata.read.read_features`): nesting depth, number size,
   feature and vertex counts limited; CRS handled, rings repaired;
3. validate: the regions matched, or the control layer dated (:mod:`.layers`);
4. plausibility (:mod:`.validate`): refused with reasons unless ``force``;
5. one atomic version switch, under the folder's exclusive lock: the new version is written in
   full to its own folder ``versions/<layer>/<version>/`` and flushed, then goes live with one
   ``os.replace`` (the boundaries' one-line pointer, or a control layer's file);
6. an audit entry (:mod:`.audit`); if it cannot be written the switch is undone.

A failure at any stage, a full disk included, leaves the live version whole and raises
GeodataError saying so. Nothing that was live is ever deleted: every version stays in its
folder, and :func:`rollback` puts any of them back (itself logged, and undoable). A review
save keeps what it replaced the same way (:mod:`.review_versions`), so :func:`rollback`
undoes reviews too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas
import shapely

from ..errors import GeodataError
from ..regions import REGION_IDS, REGIONS
from .audit import AuditEntry, append_audit, next_seq, now, read_audit
from .coverage import clean_coverage, simplify_coverage_around
from .layers import (
    ControlLayer,
    control_layer,
    date_from_name,
    dumps_layer,
    installed_layers,
    layer_file_name,
    read_control,
)
from .read import (
    DEFAULT_MAX_BYTES,
    FeatureSet,
    orient_for_drawing,
    polygonal_part,
    read_bytes,
    read_features,
    regions_report,
)
from .validate import check_control, check_regions, refuse_implausible
from .versions import (
    BOUNDARIES,
    CONTEXT_WEB_FILE,
    CONTROL_DIR,
    CURRENT_FILE,
    KINDS,
    META_FILE,
    REGIONS_FILE,
    REGIONS_WEB_FILE,
    SHIPPED,
    SHIPPED_LICENCE,
    SHIPPED_SOURCE,
    VERSIONS_DIR,
    Kind,
    VersionMeta,
    boundaries_dir,
    current_boundaries,
    default_dir,
    fsync_dir,
    layer_dir,
    layer_versions,
    load_context,
    load_regions,
    read_meta,
    sha256_hex,
)
from .write import dumps_geojson

LOCK_FILE = ".lock"
#: Layer id of the claims side in the audit log and in the versions folder (its stored
#: versions are :mod:`.review_versions`'s, not a map layer's).
CLAIMS = "claims"
#: Same grid and tolerances as scripts/build_geodata.py, so swapped regions look alike.
FULL_DECIMALS = 6
WEB_DECIMALS = 3
WEB_TOLERANCE = 0.01
CONTEXT_TOLERANCE = 0.04
GAP_WIDTH = 0.001
#: Mode of a newly installed file (readable by the web server's user and group).
NEW_FILE_MODE = 0o644
_TMP_PREFIX = ".tmp-"


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


# -- the writes of an install (each one a place a fault test can make fail) --------------------


def write_new(path: Path, content: bytes, *, mode: int = NEW_FILE_MODE) -> None:
    """Write a new file in full and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)  # whatever the umask says
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def switch(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target`` in one atomic step and flush the folder."""
    os.replace(tmp, target)
    fsync_dir(target.parent)


def _replace_file(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{_TMP_PREFIX}{target.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        # A live file keeps the mode it had (an administrator may have restricted it).
        mode = target.stat().st_mode & 0o777 if target.exists() else NEW_FILE_MODE
        write_new(tmp, content, mode=mode)
        switch(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(geodata_dir: Path) -> None:
    """Leftovers of a killed install; only ever removed with the lock held."""
    claims = layer_dir(geodata_dir, CLAIMS)
    for folder in (geodata_dir, geodata_dir / CONTROL_DIR, claims, *_layer_folders(geodata_dir)):
        if folder.is_dir():
            for stale in folder.glob(f"{_TMP_PREFIX}*"):
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)


def _recover(geodata_dir: Path) -> None:
    """Clear a killed change's leftovers and log a switch it made but could not record.

    An install killed between its switch and its audit entry left a new version live, a
    removal killed there left a layer off the map; the audit log then gets the entry it
    missed, so that every live version (and every gap) is accounted for. Call with the lock
    held.
    """
    _remove_stale_temporaries(geodata_dir)
    entries = read_audit(geodata_dir)
    logged: dict[str, str | None] = {}
    for entry in entries:
        logged[entry.layer] = entry.version
    live: dict[str, str | None] = {BOUNDARIES: current_boundaries(geodata_dir)}
    for layer in _layer_folders(geodata_dir):
        if layer.name != BOUNDARIES:
            date = date_from_name(layer.name)
            path = geodata_dir / CONTROL_DIR / layer_file_name(date) if date else None
            if path is not None and path.is_file():
                found = _version_of(geodata_dir, layer.name, path.read_bytes())
                live[layer.name] = found.version if found else None
            else:
                live[layer.name] = None
    seq = entries[-1].seq + 1 if entries else 1
    for layer_id, version in sorted(live.items()):
        before = logged.get(layer_id, SHIPPED if layer_id == BOUNDARIES else None)
        if version == before:
            continue
        if version is None:
            append_audit(geodata_dir, _recovered_removal(seq, layer_id, before))
            seq += 1
            continue
        meta = read_meta(layer_dir(geodata_dir, layer_id) / version) if version != SHIPPED else None
        append_audit(
            geodata_dir,
            AuditEntry(
                seq=seq,
                at=now(),
                actor=f"{meta.actor if meta else 'unknown'} (interrupted, recovered)",
                action="install",
                kind="regions" if layer_id == BOUNDARIES else "control",
                layer=layer_id,
                version=version,
                replaced=before,
                source_file=meta.source_file if meta else None,
                sha256=meta.sha256 if meta else None,
                override=bool(meta and meta.override),
                overridden=meta.problems if meta else (),
            ),
        )
        seq += 1


def _recovered_removal(seq: int, layer_id: str, replaced: str | None) -> AuditEntry:
    """Return the entry a removal killed before its audit entry would have written."""
    date = date_from_name(layer_id)
    return AuditEntry(
        seq=seq,
        at=now(),
        actor="unknown (interrupted, recovered)",
        action="remove",
        kind="control",
        layer=layer_id,
        version=None,
        replaced=replaced,
        source_file=layer_file_name(date) if date else None,
    )


def _version_folders(geodata_dir: Path) -> list[Path]:
    """Every folder of versions: the map layers' and the claims side's."""
    root = geodata_dir / VERSIONS_DIR
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _layer_folders(geodata_dir: Path) -> list[Path]:
    return [p for p in _version_folders(geodata_dir) if p.name != CLAIMS]


# -- what an install reports ------------------------------------------------------------------


@dataclass(frozen=True)
class Installed:
    """What an install put live (or, with ``dry_run``, would put live)."""

    kind: Kind
    #: "boundaries", or "control_<date>" for a control layer.
    layer: str
    #: The version id now live (None for a dry run).
    version: str | None
    source_file: str
    #: SHA-256 of the file as it arrived.
    sha256: str
    #: The live files.
    live: tuple[Path, ...]
    summary: str
    date: dt.date | None = None
    source: str | None = None
    licence: str | None = None
    url: str | None = None
    #: When the file was fetched from its source (a pull from a public source).
    retrieved_at: dt.datetime | None = None
    #: The version that was live before ("shipped" for the shipped boundaries; None: none).
    replaced: str | None = None
    actor: str = "local"
    #: True when plausibility reasons were overridden (they are in ``overridden``).
    override: bool = False
    overridden: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    dry_run: bool = False
    #: True when the content was already live (nothing changed, nothing logged).
    unchanged: bool = False

    def describe(self) -> list[str]:
        """Return the outcome as lines of text (what ``mapdash swap`` prints)."""
        lines = [self.summary]
        if self.dry_run:
            lines.append(f"would install {self.layer} (nothing written: dry run)")
        elif self.unchanged:
            lines.append(f"{self.layer}: identical to the live version {self.version}; unchanged")
        else:
            lines.append(
                f"installed {self.layer} version {self.version} "
                f"(replaced {self.replaced or 'nothing'}; mapdash rollback undoes it)"
            )
        if self.source or self.licence:
            lines.append(
                f"source: {self.source or 'unknown'}; licence: {self.licence or 'unknown'}"
            )
        if self.url or self.retrieved_at:
            when = self.retrieved_at.isoformat(timespec="seconds") if self.retrieved_at else None
            lines.append(f"from {self.url or 'unknown'}" + (f", retrieved {when}" if when else ""))
        lines.extend(f"OVERRIDE: {reason}" for reason in self.overridden)
        lines.extend(f"note: {note}" for note in self.notes)
        lines.extend(f"warning: {problem}" for problem in self.problems)
        return lines

    def as_json(self) -> dict[str, Any]:
        """Return the outcome as JSON-ready data (what the layer API answers)."""
        return {
            "kind": self.kind,
            "layer": self.layer,
            "version": self.version,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "licence": self.licence,
            "url": self.url,
            "retrieved_at": self.retrieved_at.isoformat() if self.retrieved_at else None,
            "replaced": self.replaced,
            "actor": self.actor,
            "override": self.override,
            "overridden": list(self.overridden),
            "problems": list(self.problems),
            "notes": list(self.notes),
            "dry_run": self.dry_run,
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class InstalledLayer:
    """One live layer (the boundaries or a control layer) and the versions it has had."""

    layer: str
    kind: Kind
    version: str
    path: Path
    sha256: str
    date: dt.date | None = None
    source: str | None = None
    licence: str | None = None
    url: str | None = None
    source_file: str | None = None
    installed_at: dt.datetime | None = None
    actor: str | None = None
    retrieved_at: dt.datetime | None = None
    #: Every version kept for this layer, oldest first.
    versions: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Return the layer as JSON-ready data (what ``GET /api/layers`` lists)."""
        return {
            "layer": self.layer,
            "kind": self.kind,
            "version": self.version,
            "path": self.path.name,
            "sha256": self.sha256,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "licence": self.licence,
            "url": self.url,
            "source_file": self.source_file,
            "installed_at": self.installed_at.isoformat() if self.installed_at else None,
            "actor": self.actor,
            "retrieved_at": self.retrieved_at.isoformat() if self.retrieved_at else None,
            "versions": list(self.versions),
        }


# -- the pipeline -----------------------------------------------------------------------------


def guess_kind(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, found: FeatureSet | None = None
) -> Kind:
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
    found = found or read_features(path, max_bytes=max_bytes)
    return "regions" if any(report.match for report in found.reports) else "control"


def install_file(
    path: Path | str,
    *,
    geodata_dir: Path | None = None,
    kind: Kind | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    licence: str | None = None,
    url: str | None = None,
    retrieved_at: dt.datetime | None = None,
    actor: str = "local",
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> Installed:
    """Check a GeoJSON file and, only if it is usable and plausible, put it live atomically.

    Parameters
    ----------
    path
        The incoming file (its name may carry a control layer's date or provider).
    geodata_dir
        The live geodata folder; default the configured one.
    kind
        "regions" (boundaries of some or all six regions) or "control" (a dated control
        layer); default "control" when a date is given, else guessed (see :func:`guess_kind`).
    date
        A control layer's date, when the file does not carry it (or to override it).
    source, licence, url
        Attribution to record (default: what a control layer's properties or name say).
    retrieved_at
        When the file was fetched from its source, recorded with the version (a pull).
    actor
        Who installs it, for the audit log (a user name, "local", "drop-in", "pull").
    force
        Install even when plausibility checks fail (an editor's override; it is logged).
    max_bytes
        Refuse files larger than this.
    dry_run
        Run every check and say what would be installed; write nothing.

    Returns
    -------
    Installed
        What went live, the version it replaced, attribution and warnings.

    Raises
    ------
    ImplausibleError
        When only plausibility checks fail and ``force`` is False (``.problems`` lists the
        reasons first); nothing changes.
    GeodataError
        When the file is unusable, or the install could not be completed (a full disk); the
        live data is left unchanged.
    """
    path = Path(path)
    content = read_bytes(path, max_bytes)
    return install_bytes(
        path.name,
        content,
        geodata_dir=geodata_dir,
        kind=kind,
        date=date,
        source=source,
        licence=licence,
        url=url,
        retrieved_at=retrieved_at,
        actor=actor,
        force=force,
        max_bytes=max_bytes,
        dry_run=dry_run,
    )


def install_bytes(
    name: str,
    content: bytes,
    *,
    geodata_dir: Path | None = None,
    kind: Kind | None = None,
    date: dt.date | None = None,
    source: str | None = None,
    licence: str | None = None,
    url: str | None = None,
    retrieved_at: dt.datetime | None = None,
    actor: str = "local",
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
) -> Installed:
    """Install a file's bytes already in memory (an upload); see :func:`install_file`.

    Raises
    ------
    ImplausibleError, GeodataError
        As :func:`install_file`.
    """
    folder = default_dir(geodata_dir)
    name = Path(name).name or "upload.geojson"
    if kind is not None and kind not in KINDS:
        raise GeodataError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    found = read_features(Path(name), max_bytes=max_bytes, content=content)
    chosen = kind or ("control" if date is not None else guess_kind(Path(name), found=found))
    job = _Job(
        name=name,
        sha256=sha256_hex(content),
        folder=folder,
        actor=actor,
        force=force,
        dry_run=dry_run,
        source=source,
        licence=licence,
        url=url,
        retrieved_at=retrieved_at,
    )
    if chosen == "regions":
        if date is not None:
            raise GeodataError(
                f"{name}: a date was given, but region boundaries are not dated; "
                "install it as a control layer (kind 'control') or leave the date out"
            )
        return _install_regions(job, found)
    return _install_control(job, found, date)


@dataclass(frozen=True)
class _Job:
    """One install's settings, passed from stage to stage."""

    name: str
    sha256: str
    folder: Path
    actor: str
    force: bool
    dry_run: bool
    source: str | None
    licence: str | None
    url: str | None
    retrieved_at: dt.datetime | None = None


def _overridden(job: _Job, reasons: tuple[str, ...] | list[str], problems: list[str]) -> bool:
    if reasons and not job.force:
        refuse_implausible(job.name, reasons, problems)
    return bool(reasons)


def _failed(job: _Job, err: OSError) -> GeodataError:
    reason = "the disk is full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
    return GeodataError(
        f"{job.name}: could not be installed ({reason}); nothing changed, the previous "
        "version stays live - free some space or fix the folder's permissions and try again"
    )


def _install_control(job: _Job, found: FeatureSet, date: dt.date | None) -> Installed:
    layer = control_layer(
        found,
        date=date,
        source=job.source,
        licence=job.licence,
        url=job.url,
        geodata_dir=job.folder,
    )
    layer_id = control_layer_id(layer.date)
    reasons, warnings = check_control(
        layer, previous=_layer_before(job.folder, layer.date), geodata_dir=job.folder
    )
    problems = [*layer.problems, *warnings]
    override = _overridden(job, reasons, problems)
    live = job.folder / CONTROL_DIR / layer.file_name
    result = Installed(
        kind="control",
        layer=layer_id,
        version=None,
        source_file=job.name,
        sha256=job.sha256,
        live=(live,),
        summary=layer.describe()[0],
        date=layer.date,
        source=layer.source,
        licence=layer.licence,
        url=layer.url,
        retrieved_at=job.retrieved_at,
        actor=job.actor,
        override=override,
        overridden=tuple(reasons),
        problems=tuple(problems),
        notes=layer.notes,
        dry_run=job.dry_run,
    )
    if job.dry_run:
        return result
    content = dumps_layer(layer)
    with locked(job.folder):
        _recover(job.folder)
        try:
            replaced = _live_control_version(job.folder, layer_id, live)
            if replaced is not None and live.read_bytes() == content:
                return _replace(result, version=replaced, replaced=replaced, unchanged=True)
            meta = _meta(job, layer_id, "control", layer.date, layer, override, reasons)
            version = _stage(job.folder, meta, {layer.file_name: content})
        except OSError as err:
            raise _failed(job, err) from None
        try:
            _replace_file(live, content)
        except OSError as err:
            _discard(job.folder, layer_id, version)
            raise _failed(job, err) from None
        _log_or_undo(
            job.folder,
            _entry(job, "control", layer_id, version, replaced, reasons),
            undo=lambda: _restore_control(job.folder, layer_id, live, replaced),
        )
    return _replace(result, version=version, replaced=replaced)


def _install_regions(job: _Job, found: FeatureSet) -> Installed:
    checked = check_regions(regions_report(found), geodata_dir=job.folder)
    report = checked.report
    override = _overridden(job, checked.reasons, list(report.problems))
    swapped = ", ".join(str(rid) for rid in report.regions.index)
    folder = job.folder
    result = Installed(
        kind="regions",
        layer=BOUNDARIES,
        version=None,
        source_file=job.name,
        sha256=job.sha256,
        live=(folder / REGIONS_FILE, folder / REGIONS_WEB_FILE),
        summary=f"{job.name}: region boundaries for {swapped}",
        source=job.source,
        licence=job.licence,
        url=job.url,
        retrieved_at=job.retrieved_at,
        actor=job.actor,
        override=override,
        overridden=checked.reasons,
        problems=report.problems,
        notes=report.notes,
        dry_run=job.dry_run,
    )
    if job.dry_run:
        return result
    with locked(folder):
        _recover(folder)
        replaced = current_boundaries(folder)
        current = load_regions(resolution="full", geodata_dir=folder)
        context = load_context(geodata_dir=folder)
        files = region_files(current, report.regions, context, source=job.name)
        meta = _meta(job, BOUNDARIES, "regions", None, None, override, checked.reasons)
        try:
            version = _stage(folder, meta, files)
        except OSError as err:
            raise _failed(job, err) from None
        try:
            _point_boundaries(folder, version)
        except OSError as err:
            _discard(folder, BOUNDARIES, version)
            raise _failed(job, err) from None
        _log_or_undo(
            folder,
            _entry(job, "regions", BOUNDARIES, version, replaced, checked.reasons),
            undo=lambda: _point_boundaries(folder, replaced),
        )
    live = boundaries_dir(folder)
    return _replace(
        result,
        version=version,
        replaced=replaced,
        live=(live / REGIONS_FILE, live / REGIONS_WEB_FILE),
        summary=f"{job.name}: region boundaries swapped in for {swapped}",
    )


def _replace(result: Installed, **changes: Any) -> Installed:
    from dataclasses import replace

    return replace(result, **changes)


def _meta(
    job: _Job,
    layer_id: str,
    kind: Kind,
    date: dt.date | None,
    layer: ControlLayer | None,
    override: bool,
    reasons: tuple[str, ...] | list[str],
) -> VersionMeta:
    return VersionMeta(
        layer=layer_id,
        version="",
        kind=kind,
        source_file=job.name,
        sha256=job.sha256,
        installed_at=now(),
        actor=job.actor,
        date=date,
        source=layer.source if layer else job.source,
        licence=layer.licence if layer else job.licence,
        url=layer.url if layer else job.url,
        override=override,
        retrieved_at=job.retrieved_at,
        problems=tuple(reasons),
    )


def _entry(
    job: _Job,
    kind: Kind,
    layer_id: str,
    version: str,
    replaced: str | None,
    reasons: tuple[str, ...] | list[str],
) -> AuditEntry:
    return AuditEntry(
        seq=next_seq(job.folder),
        at=now(),
        actor=job.actor,
        action="install",
        kind=kind,
        layer=layer_id,
        version=version,
        replaced=replaced,
        source_file=job.name,
        sha256=job.sha256,
        override=bool(reasons),
        overridden=tuple(reasons),
    )


def _log_or_undo(folder: Path, entry: AuditEntry, *, undo: Any) -> None:
    """Append ``entry``; when the log cannot be written, undo the switch and say so."""
    try:
        append_audit(folder, entry)
    except OSError as err:
        undo()
        reason = "the disk is full" if err.errno == errno.ENOSPC else (err.strerror or str(err))
        raise GeodataError(
            f"{entry.layer}: the change could not be recorded in the audit log ({reason}), so "
            "it was undone; the previous version stays live"
        ) from None


def new_version_id(geodata_dir: Path, sha256: str) -> str:
    """Return a version id unique in the folder: UTC time of the install and content hash.

    The time has milliseconds, so that ids sort in install order even when two installs fall
    in one second (the content hash after it would otherwise decide their order).
    """
    stamp = dt.datetime.now(dt.UTC)
    base = f"{stamp.strftime('%Y%m%dT%H%M%S')}{stamp.microsecond // 1000:03d}Z-{sha256[:8]}"
    taken = {child.name for folder in _version_folders(geodata_dir) for child in folder.iterdir()}
    version, n = base, 1
    while version in taken:
        n += 1
        version = f"{base}-{n}"
    return version


def _stage(geodata_dir: Path, meta: VersionMeta, files: Mapping[str, bytes]) -> str:
    """Write a new version folder in full (files, then its record), then name it.

    Returns the version id. The folder appears under its name only once complete, so a crash
    leaves at most a ``.tmp-`` folder, removed by the next install.
    """
    version = new_version_id(geodata_dir, meta.sha256)
    parent = layer_dir(geodata_dir, meta.layer)
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{_TMP_PREFIX}{version}"
    staging.mkdir()
    try:
        for filename, content in files.items():
            write_new(staging / filename, content)
        record = {**meta.as_json(), "version": version, "files": list(files)}
        write_new(
            staging / META_FILE,
            (json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
        )
        fsync_dir(staging)
        switch(staging, parent / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return version


def _discard(geodata_dir: Path, layer_id: str, version: str) -> None:
    """Remove a version that never went live."""
    shutil.rmtree(layer_dir(geodata_dir, layer_id) / version, ignore_errors=True)


def _point_boundaries(geodata_dir: Path, version: str | None) -> None:
    pointer = layer_dir(geodata_dir, BOUNDARIES) / CURRENT_FILE
    _replace_file(pointer, f"{version or SHIPPED}\n".encode())


def region_files(
    current: geopandas.GeoDataFrame,
    incoming: geopandas.GeoDataFrame,
    context: geopandas.GeoDataFrame,
    *,
    source: str,
) -> dict[str, bytes]:
    """Return the files of a boundaries version: full, web, and the context redrawn around them.

    The incoming regions replace their old geometry (and win where they overlap a region that
    keeps its old one); the six regions and the context are cleaned into one coverage and
    simplified together (the regions finer, the context as coarse as shipped), so neighbours
    keep identical borders on the map, as the build does.

    Parameters
    ----------
    current
        The live full-resolution regions (all six).
    incoming
        Regions read from the new file (some or all of the six).
    context
        The live context (web resolution).
    source
        The file the boundaries came from, recorded in each feature's ``source``.
    """
    arrived = shapely.union_all(list(incoming.geometry))
    regions = [
        incoming.geometry[rid]
        if rid in incoming.index
        else polygonal_part(shapely.difference(current.geometry[rid], arrived))
        for rid in REGION_IDS
    ]
    context_geoms = [polygonal_part(shapely.difference(g, arrived)) for g in context.geometry]
    cleaned = clean_coverage([*regions, *context_geoms], gap_width=GAP_WIDTH)
    simplified = simplify_coverage_around(
        cleaned,
        [i < len(REGION_IDS) for i in range(len(cleaned))],
        tolerance=WEB_TOLERANCE,
        context_tolerance=CONTEXT_TOLERANCE,
        grid_size=10.0**-WEB_DECIMALS,
    )
    # The context arrives already simplified, so a shared edge can come out a vertex apart
    # from its neighbour's; one more clean on the web grid makes every border identical.
    grid = 10.0**-WEB_DECIMALS
    simplified = [
        orient_for_drawing(polygonal_part(geom))
        for geom in shapely.set_precision(
            shapely.coverage_clean(simplified, gap_width=2 * grid), grid, mode="pointwise"
        )
    ]
    label = f"{source}, installed {now().date().isoformat()}"

    def region_features(geoms: list[Any], clockwise: bool) -> list[tuple[dict[str, str], Any]]:
        return [
            (
                {
                    "id": rid,
                    "name": REGIONS[rid].name,
                    "country": REGIONS[rid].country,
                    "iso_3166_2": ";".join(REGIONS[rid].iso_codes),
                    "source": label,
                },
                shapely.orient_polygons(geom, exterior_cw=clockwise),
            )
            for rid, geom in zip(REGION_IDS, geoms, strict=True)
        ]

    context_features = [
        ({"id": str(row.id), "name": str(row.name), "kind": str(row.kind)}, geom)
        for row, geom in zip(context.itertuples(), simplified[len(REGION_IDS) :], strict=True)
    ]
    return {
        REGIONS_FILE: dumps_geojson(
            region_features(cleaned[: len(REGION_IDS)], False), decimals=FULL_DECIMALS
        ),
        REGIONS_WEB_FILE: dumps_geojson(
            region_features(simplified[: len(REGION_IDS)], True), decimals=WEB_DECIMALS
        ),
        CONTEXT_WEB_FILE: dumps_geojson(context_features, decimals=WEB_DECIMALS),
    }


# -- control layers: which version is live ------------------------------------------------------


def control_layer_id(date: dt.date) -> str:
    """Return the layer id of the control layer of ``date``: ``control_<date>``."""
    return Path(layer_file_name(date)).stem


def _layer_before(geodata_dir: Path, date: dt.date) -> ControlLayer | None:
    earlier = [entry for entry in installed_layers(geodata_dir) if entry.date < date]
    if not earlier:
        return None
    try:
        return read_control(earlier[-1].path, date=earlier[-1].date, geodata_dir=geodata_dir)
    except GeodataError:
        return None


def _version_of(geodata_dir: Path, layer_id: str, content: bytes) -> VersionMeta | None:
    """Return the newest kept version of a layer whose file has exactly ``content``."""
    for meta in reversed(layer_versions(geodata_dir, layer_id)):
        folder = layer_dir(geodata_dir, layer_id) / meta.version
        files = [folder / name for name in meta.files if name != META_FILE]
        if files and files[0].is_file() and files[0].read_bytes() == content:
            return meta
    return None


def _live_control_version(geodata_dir: Path, layer_id: str, live: Path) -> str | None:
    """Return the version id of a live control file (kept first if placed by hand)."""
    try:
        content = live.read_bytes()
    except FileNotFoundError:
        return None
    meta = _version_of(geodata_dir, layer_id, content)
    if meta is not None:
        return meta.version
    # A file placed by hand: keep it as a version, so that nothing live is ever lost.
    stat = live.stat()
    adopted = VersionMeta(
        layer=layer_id,
        version="",
        kind="control",
        source_file=live.name,
        sha256=sha256_hex(content),
        installed_at=dt.datetime.fromtimestamp(int(stat.st_mtime), dt.UTC),
        actor="unknown (placed by hand)",
        date=date_from_name(live.name),
    )
    return _stage(geodata_dir, adopted, {live.name: content})


def _restore_control(geodata_dir: Path, layer_id: str, live: Path, version: str | None) -> None:
    if version is None:
        live.unlink(missing_ok=True)
        fsync_dir(live.parent)
        return
    _replace_file(live, (layer_dir(geodata_dir, layer_id) / version / live.name).read_bytes())


# -- what is installed --------------------------------------------------------------------------


def boundaries_attribution(geodata_dir: Path | None = None) -> tuple[str | None, str | None]:
    """Return (source, licence) of the boundaries the map draws.

    ("Natural Earth", "public domain") only while the shipped boundaries are live; for
    installed ones, what the installer recorded (the source file's name when nothing was).

    Raises
    ------
    GeodataError
        When the live version's record cannot be read.
    """
    folder = default_dir(geodata_dir)
    version = current_boundaries(folder)
    if version == SHIPPED:
        return SHIPPED_SOURCE, SHIPPED_LICENCE
    meta = read_meta(layer_dir(folder, BOUNDARIES) / version)
    return meta.source or meta.source_file, meta.licence


def list_installed(geodata_dir: Path | None = None) -> list[InstalledLayer]:
    """List the live boundaries and every live control layer, with their versions.

    Parameters
    ----------
    geodata_dir
        The geodata folder; default the configured one.

    Returns
    -------
    list of InstalledLayer
        The boundaries first, then the control layers by date.

    Raises
    ------
    GeodataError
        When a version record cannot be read.
    """
    folder = default_dir(geodata_dir)
    version = current_boundaries(folder)
    boundary_versions = (SHIPPED, *(m.version for m in layer_versions(folder, BOUNDARIES)))
    live = boundaries_dir(folder) / REGIONS_FILE
    if version == SHIPPED:
        layers = [
            InstalledLayer(
                layer=BOUNDARIES,
                kind="regions",
                version=SHIPPED,
                path=live,
                sha256=sha256_hex(live.read_bytes()),
                source=SHIPPED_SOURCE,
                licence=SHIPPED_LICENCE,
                source_file=REGIONS_FILE,
                versions=boundary_versions,
            )
        ]
    else:
        meta = read_meta(layer_dir(folder, BOUNDARIES) / version)
        layers = [_listed(meta, live, boundary_versions)]
    for entry in installed_layers(folder):
        layer_id = entry.path.stem
        content = entry.path.read_bytes()
        versions = tuple(m.version for m in layer_versions(folder, layer_id))
        found = _version_of(folder, layer_id, content)
        if found is None:
            layers.append(
                InstalledLayer(
                    layer=layer_id,
                    kind="control",
                    version="unversioned",
                    path=entry.path,
                    sha256=sha256_hex(content),
                    date=entry.date,
                    source_file=entry.path.name,
                    versions=versions,
                )
            )
        else:
            layers.append(_listed(found, entry.path, versions))
    return layers


def _listed(meta: VersionMeta, path: Path, versions: tuple[str, ...]) -> InstalledLayer:
    return InstalledLayer(
        layer=meta.layer,
        kind=meta.kind,
        version=meta.version,
        path=path,
        sha256=meta.sha256,
        date=meta.date,
        source=meta.source,
        licence=meta.licence,
        url=meta.url,
        source_file=meta.source_file,
        installed_at=meta.installed_at,
        actor=meta.actor,
        retrieved_at=meta.retrieved_at,
        versions=versions,
    )


# -- removal and rollback ---------------------------------------------------------------------


def remove_layer(layer_id: str, *, geodata_dir: Path | None = None, actor: str) -> AuditEntry:
    """Take a control layer off the map (its versions are kept; rollback restores it).

    Parameters
    ----------
    layer_id
        ``control_<date>`` (as :func:`list_installed` names it).
    geodata_dir
        The geodata folder; default the configured one.
    actor
        Who removes it, for the audit log.

    Returns
    -------
    AuditEntry
        The entry logged.

    Raises
    ------
    GeodataError
        When no such control layer is live, or ``layer_id`` names the boundaries.
    """
    folder = default_dir(geodata_dir)
    if layer_id == BOUNDARIES:
        raise GeodataError(
            f"the boundaries cannot be removed, only replaced; go back to the shipped ones with "
            f"mapdash rollback {SHIPPED}"
        )
    date = date_from_name(layer_id) if layer_id.startswith("control_") else None
    live = folder / CONTROL_DIR / layer_file_name(date) if date else None
    if live is None or not live.is_file():
        known = ", ".join(e.path.stem for e in installed_layers(folder)) or "none"
        raise GeodataError(
            f"no live control layer {layer_id!r}; the live ones are: {known} "
            "(mapdash history lists every change)"
        )
    with locked(folder):
        _recover(folder)
        try:
            replaced = _live_control_version(folder, layer_id, live)
            live.unlink()
            fsync_dir(live.parent)
        except OSError as err:
            raise GeodataError(
                f"{layer_id}: could not be removed ({err.strerror or err}); it stays live"
            ) from None
        entry = AuditEntry(
            seq=next_seq(folder),
            at=now(),
            actor=actor,
            action="remove",
            kind="control",
            layer=layer_id,
            version=None,
            replaced=replaced,
            source_file=live.name,
        )
        _log_or_undo(folder, entry, undo=lambda: _restore_control(folder, layer_id, live, replaced))
    return entry


def rollback(
    target: str | None = None, *, geodata_dir: Path | None = None, actor: str
) -> AuditEntry:
    """Restore an earlier version of the boundaries, of one control layer or of the claims.

    Parameters
    ----------
    target
        None: undo the last change in the audit log (an install, a removal, a review or a
        rollback, so rolling back twice restores what the first rollback replaced). A layer id
        ("boundaries", "control_2025-08-15"): the version that layer's last change replaced;
        "claims": undo the last review (or redo it, when its undoing was the last). A version
        id (or a unique beginning of one), or "shipped": that version; a review's version
        undoes that review (see :mod:`.review_versions`).
    geodata_dir
        The geodata folder; default the configured one.
    actor
        Who rolls back, for the audit log.

    Returns
    -------
    AuditEntry
        The entry logged (``version`` is what is live now, ``replaced`` what was).

    Raises
    ------
    GeodataError
        When there is nothing to roll back, the target is unknown or already live, or (for a
        review) the claims file has changed since.
    """
    folder = default_dir(geodata_dir)
    with locked(folder):
        _recover(folder)
        layer_id, version = _resolve_target(folder, target)
        if layer_id == CLAIMS and version is not None:
            from . import review_versions  # which imports this module

            return review_versions.undo(version, geodata_dir=folder, actor=actor)
        if layer_id == BOUNDARIES:
            replaced: str | None = current_boundaries(folder)
            if replaced == version:
                raise GeodataError(f"{BOUNDARIES}: version {version} is already live")
            try:
                _point_boundaries(folder, version)
            except OSError as err:
                raise GeodataError(
                    f"{BOUNDARIES}: could not roll back ({err.strerror or err}); nothing changed"
                ) from None
            kind: Kind = "regions"

            def undo() -> None:
                _point_boundaries(folder, replaced)

            sha = (
                None
                if version == SHIPPED
                else read_meta(layer_dir(folder, layer_id) / str(version)).sha256
            )
        else:
            date = date_from_name(layer_id)
            assert date is not None
            live = folder / CONTROL_DIR / layer_file_name(date)
            try:
                replaced = _live_control_version(folder, layer_id, live)
                if replaced == version:
                    raise GeodataError(
                        f"{layer_id}: {'version ' + version if version else 'no version'} is "
                        "already live"
                    )
                _restore_control(folder, layer_id, live, version)
            except OSError as err:
                raise GeodataError(
                    f"{layer_id}: could not roll back ({err.strerror or err}); nothing changed"
                ) from None
            kind = "control"

            def undo() -> None:
                _restore_control(folder, layer_id, live, replaced)

            sha = read_meta(layer_dir(folder, layer_id) / version).sha256 if version else None
        entry = AuditEntry(
            seq=next_seq(folder),
            at=now(),
            actor=actor,
            action="rollback",
            kind=kind,
            layer=layer_id,
            version=version,
            replaced=replaced,
            sha256=sha,
        )
        _log_or_undo(folder, entry, undo=undo)
    return entry


def _resolve_target(folder: Path, target: str | None) -> tuple[str, str | None]:
    """Return (layer id, version to restore; None removes a control layer)."""
    if target is None:
        logged = read_audit(folder)
        if not logged:
            raise GeodataError(
                "nothing to roll back: the audit log is empty (no install, removal or rollback yet)"
            )
        last = logged[-1]
        if last.kind == CLAIMS:
            return CLAIMS, _stored_of(last)
        return last.layer, _restorable(last.layer, last.replaced)
    if target == SHIPPED:
        return BOUNDARIES, SHIPPED
    if target == CLAIMS:
        reviews = [e for e in read_audit(folder) if e.kind == CLAIMS]
        if not reviews:
            raise GeodataError("nothing to roll back for claims: no review is logged")
        return CLAIMS, _stored_of(reviews[-1])
    layer_ids = {p.name for p in _layer_folders(folder)}
    if target in layer_ids:
        mine = [e for e in read_audit(folder) if e.layer == target]
        if not mine:
            raise GeodataError(f"nothing to roll back for {target}: no change of it is logged")
        return target, _restorable(target, mine[-1].replaced)
    matches = [
        (layer.name, child.name)
        for layer in _version_folders(folder)
        for child in sorted(layer.iterdir())
        if child.is_dir() and child.name.startswith(target) and not child.name.startswith(".")
    ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(version for _, version in matches)
        raise GeodataError(f"{target!r} names several versions ({listed}); give more of the id")
    raise GeodataError(
        f"no version or layer named {target!r}; mapdash history lists the versions "
        f"(and {SHIPPED!r} names the shipped boundaries)"
    )


def _stored_of(entry: AuditEntry) -> str:
    """Return the stored version that undoes a change of the claims side."""
    if entry.stored is None:
        raise GeodataError(
            f"nothing to roll back: entry {entry.seq} ({entry.action} of "
            f"{entry.source_file or 'the claims'} by {entry.actor}) was logged before reviews "
            "kept what they replaced; change the claims file by hand"
        )
    return entry.stored


def _restorable(layer_id: str, version: str | None) -> str | None:
    if layer_id == BOUNDARIES:
        return version or SHIPPED
    return version
