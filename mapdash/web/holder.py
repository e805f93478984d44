"""One holder of the dashboard's data: what every callback, the API and the exports read.

Claims, articles and the timeline are read again when their files change on disk (made in
the app, by the CLI or by hand); boundaries, context and areas come from the live geodata
(:mod:`.live`). Every worker process holds its own and looks at the files about once a
second, so a change is live in every worker within seconds, without a restart.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping

import geopandas as gpd

from ..claims import CLAIMS_FILE
from ..config import Paths
from ..errors import MapdashError
from ..geodata.versions import CONTROL_DIR
from ..timeline import Timeline
from ..types import Article
from .data import AppData
from .live import LiveAreas, LiveGeodata

log = logging.getLogger("mapdash.data")

#: Names, modification times and sizes of the files the claims side is read from.
StatKey = tuple[tuple[str, int, int], ...]


def _stat_key(paths: Paths) -> StatKey:
    """Names, modification times and sizes of the files the claims side is read from.

    The claims file, every file of the seeds folder (articles and their metadata) and the
    installed control layers' names (each layer's date is a slider mark).
    """
    files = [paths.geodata / CLAIMS_FILE]
    if paths.seeds.is_dir():
        files += sorted(p for p in paths.seeds.iterdir() if p.is_file())
    key = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        key.append((path.name, stat.st_mtime_ns, stat.st_size))
    control = paths.geodata / CONTROL_DIR
    if control.is_dir():
        key += [(p.name, 0, 0) for p in sorted(control.glob("control_*.geojson"))]
    return tuple(key)


class LiveData(AppData):
    """The app's data as it is on disk now: one holder every callback, API and export reads.

    Claims, articles and the timeline are read again when the claims file, a file of the
    seeds folder or the set of installed control layers changes (made in the app, by the CLI
    or by hand), at most once per ``min_interval`` seconds, in every worker; boundaries, context
    and areas come from the live geodata. A changed file that cannot be read leaves the last
    good data live, and :attr:`problem` says why.

    Parameters
    ----------
    paths
        The folders the data is read from.
    live
        The live geodata (boundaries and control layers).
    min_interval
        Seconds between two looks at the files.
    """

    _paths: Paths
    _live: LiveGeodata
    _min_interval: float
    _lock: threading.Lock
    _checked: float
    _key: StatKey
    _loaded: AppData
    _problem: str | None
    _areas: LiveAreas

    def __init__(self, paths: Paths, live: LiveGeodata, *, min_interval: float = 1.0) -> None:
        set_ = object.__setattr__
        set_(self, "_paths", paths)
        set_(self, "_live", live)
        set_(self, "_min_interval", min_interval)
        set_(self, "_lock", threading.Lock())
        set_(self, "_checked", time.monotonic())
        set_(self, "_key", _stat_key(paths))
        set_(self, "_areas", LiveAreas(live))
        snapshot = live.snapshot()
        geometry = (snapshot.regions_web, snapshot.context, self._areas)
        set_(self, "_loaded", AppData.load(paths, geometry=geometry))
        set_(self, "_problem", None)

    def current(self) -> AppData:
        """Return the claims-side data live now, reading the files again if they changed."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self._min_interval:
                object.__setattr__(self, "_checked", now)
                key = _stat_key(self._paths)
                if key != self._key:
                    self._reload(key)
            return self._loaded

    def _reload(self, key: StatKey) -> None:
        try:
            snapshot = self._live.snapshot()
            loaded = AppData.load(
                self._paths, geometry=(snapshot.regions_web, snapshot.context, self._areas)
            )
        except MapdashError as err:
            log.warning("the changed data could not be read, the previous data stays live: %s", err)
            problem: str | None = f"{err}; the previous claims and articles stay live"
        else:
            log.info("claims and articles changed on disk; now live")
            object.__setattr__(self, "_loaded", loaded)
            problem = None
        object.__setattr__(self, "_problem", problem)
        object.__setattr__(self, "_key", key)

    @property
    def version(self) -> str:
        """A fingerprint of the claims side live now (changes with every reload)."""
        self.current()
        return hashlib.sha256(repr(self._key).encode()).hexdigest()[:16]

    @property
    def problem(self) -> str | None:
        """Why the files changed last could not be put live, or None."""
        self.current()
        return self._problem

    @property
    def timeline(self) -> Timeline:
        """The claims' timeline live now."""
        return self.current().timeline

    @property
    def articles(self) -> Mapping[str, Article]:
        """The articles live now, by id."""
        return self.current().articles

    @property
    def left_out(self) -> tuple[str, ...]:
        """What failed its check and is not shown, and a change that could not go live."""
        problem = self.problem
        return (*((problem,) if problem else ()), *self.current().left_out)

    @property
    def regions(self) -> gpd.GeoDataFrame:
        """The live boundaries (web resolution)."""
        return self._live.snapshot().regions_web

    @property
    def context(self) -> gpd.GeoDataFrame:
        """The context drawn around the live boundaries."""
        return self._live.snapshot().context

    @property
    def areas(self) -> Mapping[str, float]:
        """Each live region's area in km2."""
        return self._areas


__all__ = ["LiveData"]
