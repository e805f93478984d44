"""Installing new geodata: the names older callers use for :mod:`mapdash.geodata.install`.

New code calls :func:`mapdash.geodata.install_file` directly; :func:`install` keeps the
signature ``mapdash swap`` and the drop-in watcher used before the geodata package.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .geodata.install import (
    LOCK_FILE,
    Installed,
    guess_kind,
    install_file,
    locked,
    region_files,
)
from .geodata.read import DEFAULT_MAX_BYTES
from .geodata.versions import KINDS, Kind


def install(
    source: Path | str,
    *,
    kind: Kind | None = None,
    geodata_dir: Path | None = None,
    date: dt.date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    dry_run: bool = False,
    force: bool = False,
    actor: str = "local",
) -> Installed:
    """Check a GeoJSON file and put it live; see :func:`mapdash.geodata.install_file`.

    Raises
    ------
    GeodataError
        When the file is unusable or implausible; the live data is left unchanged.
    """
    return install_file(
        source,
        kind=kind,
        geodata_dir=geodata_dir,
        date=date,
        max_bytes=max_bytes,
        dry_run=dry_run,
        force=force,
        actor=actor,
    )


__all__ = [
    "KINDS",
    "LOCK_FILE",
    "Installed",
    "Kind",
    "guess_kind",
    "install",
    "locked",
    "region_files",
]
