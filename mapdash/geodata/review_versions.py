"""Stored versions of the claims side, so that every review save (and its undoing) can be undone.

A review save changes the claims file and, for a new article, adds the article's text file to
seeds/ and its entry to ``seeds/articles.toml``. Before it switches anything in, the save stores
what it is about to replace, as the layers do, in a version folder of its own::

    versions/claims/<version>/
        meta.json       who, when, and for each file the SHA-256 of its bytes before and after
                        the change (null: the file did not exist)
        claims.json ... the previous bytes of each file that existed before

:func:`undo` puts those bytes back (each checked against its SHA-256), removes the files the
change added, and stores what it replaced in a version of its own: undoing the undo redoes the
save. It refuses when a file has changed since (a later save), naming the change to undo first.
Like every version of a layer, a stored version is never deleted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..claims import CLAIMS_FILE
from ..errors import GeodataError
from .audit import AuditEntry, append_audit, next_seq, now, read_audit
from .install import CLAIMS, _replace_file, new_version_id, write_new
from .versions import META_FILE, VERSIONS_DIR, fsync_dir, layer_dir, sha256_hex

#: Which data folder a stored file belongs to.
Folder = Literal["geodata", "seeds"]
_TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class FileChange:
    """One file a change writes: its bytes before and after (None: absent)."""

    folder: Folder
    name: str
    before: bytes | None
    after: bytes | None


@dataclass(frozen=True)
class StoredFile:
    """One file of a stored version, as its ``meta.json`` records it."""

    folder: Folder
    name: str
    before_sha256: str | None
    after_sha256: str | None

    def as_json(self) -> dict[str, Any]:
        """Return the record as JSON-ready data."""
        return {
            "folder": self.folder,
            "name": self.name,
            "before_sha256": self.before_sha256,
            "after_sha256": self.after_sha256,
        }


@dataclass(frozen=True)
class StoredChange:
    """A stored version of the claims side: what one change replaced."""

    version: str
    made_at: dt.datetime
    actor: str
    #: The seeds folder the change wrote to, relative to the geodata folder holding the version
    #: where it can be ("../seeds"), so that moving the two folders together keeps it right.
    seeds: Path
    files: tuple[StoredFile, ...]

    def as_json(self) -> dict[str, Any]:
        """Return the record as JSON-ready data (its ``meta.json``)."""
        return {
            "layer": CLAIMS,
            "version": self.version,
            "made_at": self.made_at.isoformat(),
            "actor": self.actor,
            "seeds": str(self.seeds),
            "files": [f.as_json() for f in self.files],
        }


def claims_versions_dir(geodata_dir: Path) -> Path:
    """Return the folder of the claims side's stored versions."""
    return layer_dir(geodata_dir, CLAIMS)


def read_stored(geodata_dir: Path, version: str) -> StoredChange:
    """Read a stored version's record.

    Raises
    ------
    GeodataError
        When the record is missing or damaged.
    """
    folder = claims_versions_dir(geodata_dir) / version
    try:
        data = json.loads((folder / META_FILE).read_text("utf-8"))
        return StoredChange(
            version=str(data["version"]),
            made_at=dt.datetime.fromisoformat(data["made_at"]),
            actor=str(data["actor"]),
            seeds=Path(data["seeds"]),
            files=tuple(
                StoredFile(
                    folder="seeds" if f["folder"] == "seeds" else "geodata",
                    name=str(f["name"]),
                    before_sha256=f.get("before_sha256"),
                    after_sha256=f.get("after_sha256"),
                )
                for f in data["files"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise GeodataError(
            f"{version}: the record {VERSIONS_DIR}/{CLAIMS}/{version}/{META_FILE} cannot be read "
            f"({err}); restore it from a backup"
        ) from None


def stored_versions(geodata_dir: Path) -> list[str]:
    """Return the ids of the claims side's stored versions, oldest first."""
    folder = claims_versions_dir(geodata_dir)
    if not folder.is_dir():
        return []
    return sorted(c.name for c in folder.iterdir() if c.is_dir() and not c.name.startswith("."))


def store(
    geodata_dir: Path,
    seeds_dir: Path,
    changes: Sequence[FileChange],
    *,
    actor: str,
) -> str:
    """Store what ``changes`` replace, in full and flushed, before they are switched in.

    Call with the geodata lock held. The version is named as the layers' versions are (UTC
    time and a hash). Returns the version id.
    """
    files = tuple(
        StoredFile(
            c.folder,
            c.name,
            sha256_hex(c.before) if c.before is not None else None,
            sha256_hex(c.after) if c.after is not None else None,
        )
        for c in changes
    )
    version = new_version_id(
        geodata_dir, sha256_hex(json.dumps([f.as_json() for f in files]).encode())
    )
    seeds = Path(seeds_dir).resolve()
    try:
        seeds = Path(os.path.relpath(seeds, Path(geodata_dir).resolve()))
    except ValueError:  # another drive (Windows): keep the absolute path
        pass
    record = StoredChange(version, now(), actor, seeds, files)
    parent = claims_versions_dir(geodata_dir)
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f"{_TMP_PREFIX}{version}"
    staging.mkdir()
    try:
        for change in changes:
            if change.before is not None:
                write_new(staging / change.name, change.before)
        meta = json.dumps(record.as_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        write_new(staging / META_FILE, meta.encode())
        fsync_dir(staging)
        os.replace(staging, parent / version)
        fsync_dir(parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return version


def discard(geodata_dir: Path, version: str) -> None:
    """Remove a stored version whose change never went live."""
    shutil.rmtree(claims_versions_dir(geodata_dir) / version, ignore_errors=True)


def _path(geodata_dir: Path, stored: StoredChange, file: StoredFile) -> Path:
    # A relative seeds folder is relative to the geodata folder; an absolute one stays.
    seeds = Path(geodata_dir) / stored.seeds
    return (geodata_dir if file.folder == "geodata" else seeds) / file.name


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise GeodataError(f"{path.name}: cannot be read ({err.strerror or err})") from None


def _sha(content: bytes | None) -> str | None:
    return sha256_hex(content) if content is not None else None


def _origin(entries: Sequence[AuditEntry], version: str) -> AuditEntry | None:
    return next((e for e in entries if e.stored == version), None)


def _refuse_stale(entries: Sequence[AuditEntry], origin: AuditEntry | None, name: str) -> None:
    later = [e for e in entries if e.kind == CLAIMS and origin is not None and e.seq > origin.seq]
    what = f"entry {origin.seq}" if origin else "that version"
    if later:
        raise GeodataError(
            f"cannot undo {what}: {name} has changed since (entry {later[-1].seq}, "
            f"{later[-1].action} by {later[-1].actor}); undo the later change first with "
            "mapdash rollback claims"
        )
    raise GeodataError(
        f"cannot undo {what}: {name} has changed since, outside mapdash (edited by hand?); "
        "nothing changed"
    )


def undo(version: str, *, geodata_dir: Path, actor: str) -> AuditEntry:
    """Undo the change whose replaced files ``version`` stores; log and return the rollback.

    Call with the geodata lock held. What the undo replaces is stored first, as a version of
    its own, so that undoing the undo redoes the change.

    Raises
    ------
    GeodataError
        When a file changed since the change (a later save), the change is already undone, the
        stored copy does not match its SHA-256, or a write fails (the files are put back).
    """
    stored = read_stored(geodata_dir, version)
    entries = read_audit(geodata_dir)
    origin = _origin(entries, version)
    current = {f.name: _current(_path(geodata_dir, stored, f)) for f in stored.files}
    if all(_sha(current[f.name]) == f.before_sha256 for f in stored.files):
        raise GeodataError(
            f"nothing to undo: {'entry ' + str(origin.seq) if origin else version} is already "
            "undone (the files are as it found them); mapdash history lists every change"
        )
    for file in stored.files:
        if _sha(current[file.name]) != file.after_sha256:
            _refuse_stale(entries, origin, file.name)
    restored: list[FileChange] = []
    folder = claims_versions_dir(geodata_dir) / version
    for file in stored.files:
        before = None
        if file.before_sha256 is not None:
            before = _current(folder / file.name)
            if before is None or sha256_hex(before) != file.before_sha256:
                raise GeodataError(
                    f"cannot undo: the stored copy {VERSIONS_DIR}/{CLAIMS}/{version}/{file.name} "
                    "is missing or does not match its SHA-256; nothing changed"
                )
        restored.append(FileChange(file.folder, file.name, current[file.name], before))
    try:
        redo = store(geodata_dir, Path(geodata_dir) / stored.seeds, restored, actor=actor)
    except OSError as err:
        raise GeodataError(
            f"cannot undo: what it replaces could not be stored ({err.strerror or err}); "
            "nothing changed"
        ) from None
    claims_before = current.get(CLAIMS_FILE)
    claims_after = next((c.after for c in restored if c.name == CLAIMS_FILE), None)
    entry = AuditEntry(
        seq=next_seq(geodata_dir),
        at=now(),
        actor=actor,
        action="rollback",
        kind="claims",
        layer=CLAIMS,
        version=sha256_hex(claims_after)[:16] if claims_after is not None else None,
        replaced=sha256_hex(claims_before)[:16] if claims_before is not None else None,
        source_file=origin.source_file if origin else None,
        sha256=_sha(claims_after),
        detail=_undone(origin, version, restored),
        stored=redo,
    )
    done: list[FileChange] = []
    try:
        for change in restored:
            _put(_path(geodata_dir, stored, _file(stored, change.name)), change.after)
            done.append(change)
        append_audit(geodata_dir, entry)
    except OSError as err:
        for change in reversed(done):
            with contextlib.suppress(OSError):
                _put(_path(geodata_dir, stored, _file(stored, change.name)), change.before)
        discard(geodata_dir, redo)
        raise GeodataError(
            f"cannot undo: a write failed ({err.strerror or err}); the files are as they were"
        ) from None
    return entry


def _file(stored: StoredChange, name: str) -> StoredFile:
    return next(f for f in stored.files if f.name == name)


def _undone(origin: AuditEntry | None, version: str, restored: Sequence[FileChange]) -> str:
    """Say in words what an undo did."""
    if origin is None:
        lead = f"undid version {version}"
    elif origin.action == "rollback":
        lead = f"redid what entry {origin.seq} undid (version {version})"
    else:
        lead = f"undid entry {origin.seq} ({origin.action} by {origin.actor}, version {version})"
    did = []
    for change in restored:
        if change.after is None:
            did.append(f"removed {change.name}")
        elif change.before is None:
            did.append(f"put back {change.name}")
        else:
            did.append(f"restored {change.name} (sha256 {sha256_hex(change.after)[:12]})")
    return f"{lead}: {'; '.join(did)}"


def _put(target: Path, content: bytes | None) -> None:
    """Make ``target`` hold ``content`` (None: remove it) in one atomic step."""
    if content is None:
        target.unlink(missing_ok=True)
        fsync_dir(target.parent)
    else:
        _replace_file(target, content)
