"""The live geodata of a running app: notices new, changed and dropped files without a restart.

Each server process keeps a :class:`LiveGeodata`. The page polls it every couple of seconds; a
poll re-reads the folder at most once per ``min_interval`` and compares file stats (a cheap
``stat`` per file), so most polls cost microseconds. Only files that pass validation go live:

- a GeoJSON file dropped at the top of the geodata folder is checked and installed through
  :func:`mapdash.geodata.install_file` (atomic, versioned, logged); the dropped file is
  removed, or moved to ``rejected/`` with its problems next to it when it fails in any way;
- a changed ``control/control_<date>.geojson`` or a new version of the boundaries is re-read;
  when it no longer reads, the last good version stays on the map and the problems are shown.

Everything is files, so several worker processes behind one folder stay consistent.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas

from ..control import (
    ControlLayer,
    RegionControl,
    installed_layers,
    layer_at,
    occupied,
    read_control,
)
from ..errors import GeodataError, MapdashError
from ..geodata import (
    CONTEXT_WEB_FILE,
    REGIONS_FILE,
    REGIONS_WEB_FILE,
    Installed,
    Kind,
    install_bytes,
    install_file,
    load_context,
    load_regions,
    region_areas,
)
from ..geodata.versions import boundaries_key

log = logging.getLogger("mapdash.live")

#: Largest upload accepted unless MAPDASH_UPLOAD_MAX_BYTES says otherwise (16 MiB).
DEFAULT_UPLOAD_MAX_BYTES = 16 * 2**20
UPLOAD_SUFFIXES = (".geojson", ".json")
REJECTED_DIR = "rejected"
#: How long a rejected drop stays in the page's alert.
REJECTION_SHOWN_FOR = dt.timedelta(minutes=15)
MAX_REJECTIONS_SHOWN = 5
_LIVE_NAMES = frozenset({REGIONS_FILE, REGIONS_WEB_FILE, CONTEXT_WEB_FILE})
# A dropped file that changed since the last look and is younger than this may still be being
# copied in; it is picked up on a later look.
_SETTLE_SECONDS = 2.0


def upload_max_bytes() -> int:
    """Return the upload size limit: MAPDASH_UPLOAD_MAX_BYTES, or 16 MiB."""
    value = os.environ.get("MAPDASH_UPLOAD_MAX_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class Rejection:
    """A file that did not go live, and why."""

    name: str
    at: dt.datetime
    message: str
    problems: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """Return the message and its problems, as the app and the log show them."""
        return [self.message, *self.problems]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What is live now: regions, control layers and the measured numbers per layer."""

    version: str
    #: Changes only when the region boundaries change (the map then needs new geometry).
    regions_version: str
    regions_web: geopandas.GeoDataFrame
    regions_full: geopandas.GeoDataFrame
    #: The context drawn around the regions (a boundaries version carries its own).
    context: geopandas.GeoDataFrame
    layers: tuple[ControlLayer, ...]
    measured: Mapping[dt.date, tuple[RegionControl, ...]]
    rejections: tuple[Rejection, ...] = field(default=())
    #: Each region's area in km2, from the live full-resolution boundaries.
    areas: Mapping[str, float] = field(default_factory=dict)

    def layer_at(self, date: dt.date) -> ControlLayer | None:
        """Return the control layer shown at ``date``: the newest one dated on or before it."""
        return layer_at(self.layers, date)


def _stat_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (path.name, stat.st_mtime_ns, stat.st_size)


class LiveGeodata:
    """The geodata folder of a running app, re-read when its files change.

    Parameters
    ----------
    geodata_dir
        The live folder.
    min_interval
        Seconds between two looks at the folder; polls in between return the last snapshot.
    """

    def __init__(self, geodata_dir: Path, *, min_interval: float = 1.0) -> None:
        self.geodata_dir = Path(geodata_dir)
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._checked = 0.0
        self._regions_key: tuple[object, ...] | None = None
        self._regions: (
            tuple[
                geopandas.GeoDataFrame,
                geopandas.GeoDataFrame,
                geopandas.GeoDataFrame,
                Mapping[str, float],
            ]
            | None
        ) = None
        self._layers: dict[Path, tuple[tuple[str, int, int], ControlLayer]] = {}
        self._broken: dict[Path, tuple[tuple[str, int, int], Rejection]] = {}
        self._rejections: list[Rejection] = []
        self._snapshot: Snapshot | None = None
        self._state: object = None
        self._dropped: dict[Path, tuple[int, float]] = {}

    # -- reading --------------------------------------------------------------------------

    def snapshot(self, *, force: bool = False) -> Snapshot:
        """Return what is live, looking at the folder again if ``min_interval`` has passed."""
        with self._lock:
            now = time.monotonic()
            if force or self._snapshot is None or now - self._checked >= self.min_interval:
                self._checked = now
                self._snapshot = self._rescan()
            return self._snapshot

    def _rescan(self) -> Snapshot:
        self._take_dropped_files()
        self._reload_regions()
        self._reload_layers()
        assert self._regions is not None
        web, full, context, areas = self._regions
        state = (self._regions_key, self._layer_keys())
        if self._snapshot is None or state != self._state:
            # Measuring is the costly part; it is redone only when the data changed.
            self._state = state
            layers = tuple(layer for _, layer in sorted(self._layers.values(), key=_by_date))
            measured: Mapping[dt.date, tuple[RegionControl, ...]] = {
                layer.date: occupied(full, layer.geometry) for layer in layers
            }
        else:
            layers, measured = self._snapshot.layers, self._snapshot.measured
        cutoff = dt.datetime.now(dt.UTC) - REJECTION_SHOWN_FOR
        recent = [r for r in self._rejections if r.at >= cutoff][::-1]
        broken = [rejection for _, rejection in self._broken.values()]
        return Snapshot(
            version=hashlib.sha256(repr(state).encode()).hexdigest()[:16],
            regions_version=hashlib.sha256(repr(self._regions_key).encode()).hexdigest()[:16],
            regions_web=web,
            regions_full=full,
            context=context,
            areas=areas,
            layers=layers,
            measured=measured,
            rejections=tuple(broken + recent + self._set_aside_files(cutoff)),
        )

    def _set_aside_files(self, cutoff: dt.datetime) -> list[Rejection]:
        """Recently rejected drops, read from rejected/ so that every worker shows them."""
        folder = self.geodata_dir / REJECTED_DIR
        if not folder.is_dir():
            return []
        found = []
        for notes in folder.glob("*.problems.txt"):
            try:
                at = dt.datetime.fromtimestamp(notes.stat().st_mtime, dt.UTC)
                if at < cutoff:
                    continue
                message, *problems = notes.read_text(encoding="utf-8").splitlines()
            except (OSError, ValueError):
                continue
            name = notes.name.removesuffix(".problems.txt").split("_", 1)[-1]
            found.append(Rejection(name, at, message, tuple(problems)))
        return sorted(found, key=lambda r: r.at, reverse=True)[:MAX_REJECTIONS_SHOWN]

    def _layer_keys(self) -> list[tuple[str, int, int]]:
        return sorted(key for key, _ in self._layers.values())

    def _reload_regions(self) -> None:
        key = boundaries_key(self.geodata_dir)
        if key == self._regions_key and self._regions is not None:
            return
        try:
            web = load_regions(resolution="web", geodata_dir=self.geodata_dir)
            full = load_regions(resolution="full", geodata_dir=self.geodata_dir)
            context = load_context(geodata_dir=self.geodata_dir)
        except GeodataError as err:
            if self._regions is None:
                raise
            rejection = self._rejection(
                REGIONS_FILE, f"{err}; the previous boundaries stay live", err.problems
            )
            self._log(rejection)
            self._rejections = [*self._rejections[-(MAX_REJECTIONS_SHOWN - 1) :], rejection]
            self._regions_key = key
            return
        self._regions = (web, full, context, region_areas(full))
        self._regions_key = key

    def _reload_layers(self) -> None:
        files = {entry.path: entry for entry in installed_layers(self.geodata_dir)}
        for path in list(self._layers):
            if path not in files:
                del self._layers[path]
        for path in list(self._broken):
            if path not in files:
                del self._broken[path]
        for path, entry in files.items():
            key = _stat_key(path)
            if key is None:
                continue
            cached = self._layers.get(path)
            if cached is not None and cached[0] == key:
                continue
            broken = self._broken.get(path)
            if broken is not None and broken[0] == key:
                continue
            try:
                layer = read_control(path, date=entry.date, geodata_dir=self.geodata_dir)
            except GeodataError as err:
                kept = "; the previous version stays live" if cached else ""
                rejection = self._rejection(path.name, f"{err}{kept}", err.problems)
                self._log(rejection)
                self._broken[path] = (key, rejection)
                continue
            self._broken.pop(path, None)
            self._layers[path] = (key, layer)

    def _take_dropped_files(self) -> None:
        """Install GeoJSON files dropped at the top of the folder, or set them aside."""
        now = time.time()
        for path in sorted(self.geodata_dir.iterdir()):
            if (
                not path.is_file()
                or path.name.startswith(".")
                or path.name in _LIVE_NAMES
                or path.suffix.lower() not in UPLOAD_SUFFIXES
            ):
                continue
            try:
                stat = path.stat()
                seen, self._dropped[path] = self._dropped.get(path), (stat.st_size, stat.st_mtime)
                # A file still being copied in changes between two looks; wait until it does not.
                if seen != (stat.st_size, stat.st_mtime) and now - stat.st_mtime < _SETTLE_SECONDS:
                    continue
                installed = install_file(path, geodata_dir=self.geodata_dir, actor="drop-in")
            except FileNotFoundError:
                continue  # another worker took it
            except MapdashError as err:
                self._set_aside(path, err)
                self._dropped.pop(path, None)
                continue
            except Exception as err:  # noqa: BLE001 - a dropped file must never block rescans
                log.exception("dropped file %s failed unexpectedly", path.name)
                self._set_aside(path, GeodataError(f"could not be read ({type(err).__name__})"))
                self._dropped.pop(path, None)
                continue
            log.info("installed dropped file: %s", "; ".join(installed.describe()))
            path.unlink(missing_ok=True)
            self._dropped.pop(path, None)

    def _set_aside(self, path: Path, err: MapdashError) -> None:
        folder = self.geodata_dir / REJECTED_DIR
        folder.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"{stamp}_{path.name}"
        rejection = self._rejection(
            path.name,
            f"{err}; the current data stays live and the file was moved to "
            f"{REJECTED_DIR}/{target.name}",
            list(getattr(err, "problems", [])),
        )
        self._log(rejection)
        try:
            shutil.move(path, target)
        except FileNotFoundError:
            return
        target.with_name(target.name + ".problems.txt").write_text(
            "\n".join(rejection.lines()) + "\n", encoding="utf-8"
        )

    def _rejection(self, name: str, message: str, problems: list[str]) -> Rejection:
        return Rejection(name, dt.datetime.now(dt.UTC), message, tuple(problems))

    @staticmethod
    def _log(rejection: Rejection) -> None:
        log.warning("%s not live: %s", rejection.name, " | ".join(rejection.lines()))

    # -- uploads --------------------------------------------------------------------------

    def upload(
        self,
        filename: str,
        contents: str,
        *,
        kind: Kind | None = None,
        date: dt.date | None = None,
        max_bytes: int | None = None,
        force: bool = False,
        actor: str = "local",
    ) -> Installed:
        """Install a file uploaded in the page (a ``data:...;base64,`` URL from dcc.Upload).

        Raises
        ------
        ImplausibleError
            When the file fails plausibility checks and ``force`` is False.
        GeodataError
            When the file is too large, not .geojson/.json, or unusable; nothing changes then.
        """
        try:
            return self._upload(
                filename,
                contents,
                kind=kind,
                date=date,
                max_bytes=max_bytes,
                force=force,
                actor=actor,
            )
        except GeodataError as err:
            name = Path(filename or "upload").name
            self._log(self._rejection(name, f"upload refused: {err}", err.problems))
            raise

    def _upload(
        self,
        filename: str,
        contents: str,
        *,
        kind: Kind | None = None,
        date: dt.date | None = None,
        max_bytes: int | None = None,
        force: bool = False,
        actor: str = "local",
    ) -> Installed:
        limit = max_bytes or upload_max_bytes()
        name = Path(filename or "upload.geojson").name
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise GeodataError(
                f"{name}: only .geojson and .json files are accepted; export the layer as GeoJSON"
            )
        _, _, encoded = contents.partition(",")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise GeodataError(f"{name}: the upload arrived damaged; try again") from None
        if len(raw) > limit:
            raise GeodataError(
                f"{name} is {len(raw):,} bytes ({len(raw) / 2**20:.1f} MiB), larger than the "
                f"upload limit of {limit:,} bytes ({limit / 2**20:.1f} MiB); simplify the file, "
                "drop it into the geodata folder, or raise MAPDASH_UPLOAD_MAX_BYTES"
            )
        installed = install_bytes(
            name,
            raw,
            kind=kind,
            date=date,
            geodata_dir=self.geodata_dir,
            max_bytes=limit,
            force=force,
            actor=actor,
        )
        log.info("installed upload: %s", "; ".join(installed.describe()))
        self.snapshot(force=True)
        return installed


class LiveAreas(Mapping[str, float]):
    """Region areas (km2) of the live boundaries, as a mapping read at every lookup.

    Put in place of ``AppData.areas`` by the app, so that the figures computed from areas
    ("would hand over ... km2") follow a swap of the boundaries without a restart.
    """

    def __init__(self, live: LiveGeodata) -> None:
        self._live = live

    def __getitem__(self, region: str) -> float:
        return self._live.snapshot().areas[region]

    def __iter__(self) -> Iterator[str]:
        return iter(self._live.snapshot().areas)

    def __len__(self) -> int:
        return len(self._live.snapshot().areas)


def _by_date(item: tuple[tuple[str, int, int], ControlLayer]) -> dt.date:
    return item[1].date


__all__ = [
    "DEFAULT_UPLOAD_MAX_BYTES",
    "LiveAreas",
    "LiveGeodata",
    "Rejection",
    "Snapshot",
    "upload_max_bytes",
]
