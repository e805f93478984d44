"""The audit log: one JSON line per change to the live data, appended and never rewritten.

``geodata/audit.log`` records who changed what and when, from which file (and its SHA-256),
which version went live and which it replaced, and whether an editor overrode the
plausibility checks (with the reasons overridden). Installs, removals and rollbacks change a
geodata layer; a ``review`` changes the claims file (``kind`` ``claims``: an editor reviewed an
article's candidate claims, ``detail`` says what was decided, ``stored`` names the version that
keeps what the save replaced); a rollback of kind ``claims`` undid one of those. Entries are
appended with the install lock held, in one ``write`` each, and flushed to disk before the
change is reported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import GeodataError

Action = Literal["install", "remove", "rollback", "review"]
ACTIONS: tuple[Action, ...] = ("install", "remove", "rollback", "review")
#: What an entry changed: a geodata layer (``regions``, ``control``) or the claims file.
EntryKind = Literal["regions", "control", "claims"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("regions", "control", "claims")
AUDIT_FILE = "audit.log"


@dataclass(frozen=True)
class AuditEntry:
    """One change to the live geodata."""

    seq: int
    at: dt.datetime
    actor: str
    action: Action
    kind: EntryKind
    layer: str
    #: The version live after the change (None once a control layer is removed).
    version: str | None
    #: The version live before (None when the layer did not exist).
    replaced: str | None
    source_file: str | None = None
    sha256: str | None = None
    override: bool = False
    #: The plausibility reasons an override went past.
    overridden: tuple[str, ...] = field(default=())
    #: What a review decided, in words (None for layer changes).
    detail: str | None = None
    #: The stored version holding what a change of the claims side replaced (``mapdash
    #: rollback <it>`` undoes the change); None for layer changes, whose versions are above.
    stored: str | None = None

    def describe(self) -> str:
        """Return the entry as one line of ``mapdash history``."""
        what = {
            "install": f"installed {self.version}",
            "remove": "removed",
            "rollback": f"rolled back to {self.version or 'nothing (removed)'}",
            "review": f"reviewed {self.source_file or 'an article'}, version {self.version}",
        }[self.action]
        if self.kind == "claims" and self.action == "rollback":
            what = f"rolled back to version {self.version or 'none (no claims file)'}"
        parts = [
            f"{self.seq:>4}  {self.at.strftime('%Y-%m-%d %H:%M:%S')}Z  {self.actor:<10} "
            f"{self.layer}: {what}",
            f"(replaced {self.replaced or 'nothing'})",
        ]
        if self.stored:
            parts.append(f"[undo: mapdash rollback {self.stored}]")
        if self.detail:
            parts.append(f"- {self.detail}")
        elif self.source_file:
            parts.append(f"from {self.source_file} sha256 {(self.sha256 or '')[:12]}")
        if self.override:
            parts.append(f"OVERRIDE of {len(self.overridden)} plausibility check(s)")
        return " ".join(parts)

    def as_json(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data (one line of the log)."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "kind": self.kind,
            "layer": self.layer,
            "version": self.version,
            "replaced": self.replaced,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "override": self.override,
            "overridden": list(self.overridden),
            # Only reviews carry a detail; layer entries keep the lines they always had.
            **({"detail": self.detail} if self.detail is not None else {}),
            **({"stored": self.stored} if self.stored is not None else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AuditEntry:
        """Read one line written by :meth:`as_json`."""
        action = data["action"]
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        kind = data["kind"]
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        return cls(
            seq=int(data["seq"]),
            at=dt.datetime.fromisoformat(data["at"]),
            actor=str(data["actor"]),
            action=action,
            kind=kind,
            layer=str(data["layer"]),
            version=data.get("version"),
            replaced=data.get("replaced"),
            source_file=data.get("source_file"),
            sha256=data.get("sha256"),
            override=bool(data.get("override")),
            overridden=tuple(data.get("overridden") or ()),
            detail=data.get("detail"),
            stored=data.get("stored"),
        )


def read_audit(geodata_dir: Path) -> list[AuditEntry]:
    """Read the audit log, oldest entry first.

    An unterminated last line (a write cut short by a crash) is left out.

    Parameters
    ----------
    geodata_dir
        The geodata folder.

    Returns
    -------
    list of AuditEntry
        Every entry, in the order the changes happened.

    Raises
    ------
    GeodataError
        When a complete line of the log is not an entry (the log was edited by hand).
    """
    path = Path(geodata_dir) / AUDIT_FILE
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as err:
        raise GeodataError(f"{AUDIT_FILE}: cannot read the audit log ({err})") from None
    lines = text.split("\n")
    entries = []
    # The last element is "" when the log ends with a newline, else an unfinished write.
    for number, line in enumerate(lines[:-1], start=1):
        if not line.strip():
            continue
        try:
            entries.append(AuditEntry.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as err:
            raise GeodataError(
                f"{AUDIT_FILE} line {number} is not an audit entry ({err}); the log is "
                "append-only - restore it from a backup"
            ) from None
    return entries


def append_audit(geodata_dir: Path, entry: AuditEntry) -> None:
    """Append one entry and flush it to disk. Call with the install lock held.

    Raises
    ------
    OSError
        When the log cannot be written (the caller undoes the change it records).
    """
    line = json.dumps(entry.as_json(), ensure_ascii=False, sort_keys=True) + "\n"
    fd = os.open(Path(geodata_dir) / AUDIT_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        data = line.encode()
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {AUDIT_FILE} ({written} of {len(data)} bytes)")
        os.fsync(fd)
    finally:
        os.close(fd)


def next_seq(geodata_dir: Path) -> int:
    """Return the number the next entry gets."""
    entries = read_audit(geodata_dir)
    return entries[-1].seq + 1 if entries else 1


def now() -> dt.datetime:
    """Return the current UTC time, to the second (what entries and versions record)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
