"""Watching the geodata folder on the server: a dropped file goes live with no page open.

One thread per folder, not per worker: the thread that holds an exclusive ``flock`` on
``geodata/.watch.lock`` watches (the others keep trying, so a new holder takes over when the
first one's process ends). Under gunicorn the app is built before the workers fork, so the
master process holds the lock and watches, and its workers only read. The thread wakes on a
watchdog event in the folder, or every ``interval`` seconds in case the filesystem sends none
(network shares), and lets :class:`~mapdash.web.live.LiveGeodata` take the dropped files.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from pathlib import Path
from typing import IO

from .live import LiveGeodata

log = logging.getLogger("mapdash.watch")

WATCH_LOCK = ".watch.lock"
#: Seconds between two looks when no event arrives (a dropped file settles within two looks).
WATCH_INTERVAL = 1.0


class Watcher:
    """Take files dropped into a geodata folder, in one thread of one process per folder.

    Parameters
    ----------
    geodata_dir
        The live folder.
    interval
        Seconds between looks when the filesystem reports no event.
    """

    def __init__(self, geodata_dir: Path, *, interval: float = WATCH_INTERVAL) -> None:
        self.geodata_dir = Path(geodata_dir)
        self.interval = interval
        # Its own view of the folder: the serving one's lock is never held across a fork.
        self.live = LiveGeodata(self.geodata_dir, min_interval=0)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock_file: IO[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._observer: object | None = None

    @property
    def watching(self) -> bool:
        """Whether this process holds the folder's watch lock."""
        return self._lock_file is not None

    def start(self) -> None:
        """Start the thread (a daemon: it ends with the process)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mapdash-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop watching and release the lock."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._release()

    def _try_lock(self) -> bool:
        if self._lock_file is not None:
            return True
        handle = open(self.geodata_dir / WATCH_LOCK, "a+b")  # noqa: SIM115 - held while watching
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        os.set_inheritable(handle.fileno(), False)
        self._lock_file = handle
        self._observe()
        log.info("watching %s for dropped files (process %d)", self.geodata_dir, os.getpid())
        return True

    def _observe(self) -> None:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        wake = self._wake

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                wake.set()

        observer = Observer()
        observer.daemon = True
        observer.schedule(_Handler(), str(self.geodata_dir), recursive=False)
        observer.start()
        self._observer = observer

    def _release(self) -> None:
        observer = self._observer
        if observer is not None:
            observer.stop()  # type: ignore[attr-defined]
            self._observer = None
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._try_lock():
                    self.live.snapshot(force=True)
            except Exception:  # noqa: BLE001 - the watcher must outlive any one bad look
                log.exception("looking at %s failed; trying again", self.geodata_dir)
            self._wake.wait(self.interval)
            self._wake.clear()


__all__ = ["WATCH_INTERVAL", "WATCH_LOCK", "Watcher"]
