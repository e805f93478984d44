"""Serving the dashboard: health check, gzip, request limits, asset caching and gunicorn.

``configure_server`` adds what every server needs (``/healthz``, a request size limit with a
clear JSON answer past it, cache headers for static assets); ``run_production`` runs the app
under gunicorn with several worker processes that share the data loaded once before forking.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from ..config import Paths
from .data import AppData

HEALTH_PATH = "/healthz"
#: Room for the rest of a callback request besides an uploaded file.
_REQUEST_OVERHEAD = 2**20


def max_request_bytes() -> int:
    """Return the largest request body accepted.

    Uploads travel base64-encoded inside a callback request (4/3 of the file), so the largest
    upload allowed (``MAPDASH_UPLOAD_MAX_BYTES``, 16 MiB by default) must still fit; anything
    larger is refused before it is read.
    """
    from .live import upload_max_bytes

    return upload_max_bytes() * 4 // 3 + _REQUEST_OVERHEAD


#: Static assets: long caching when Dash put a modification stamp (``?m=``) in the URL, so a
#: changed file gets a new URL; an hour otherwise (plotly fetches the topojson by bare name).
STAMPED_ASSET_MAX_AGE = 365 * 24 * 3600
ASSET_MAX_AGE = 3600
# Swapped files move there; they are not live data.
_IGNORED_DIRS = frozenset({"history", "__pycache__"})


@dataclass(frozen=True)
class DataVersion:
    """A fingerprint of the data files one server reads."""

    digest: str
    files: int


class DataFingerprint:
    """Fingerprint the geodata and seeds folders; re-hashes only when a file's stat changed.

    Parameters
    ----------
    paths
        The folders the app's data comes from.
    """

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self._key: tuple[tuple[str, int, int], ...] | None = None
        self._version = DataVersion("", 0)

    def _files(self) -> Iterable[tuple[str, Path]]:
        for label, folder in (("geodata", self.paths.geodata), ("seeds", self.paths.seeds)):
            if not folder.is_dir():
                continue
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = sorted(d for d in dirnames if d not in _IGNORED_DIRS)
                for filename in sorted(filenames):
                    path = Path(dirpath) / filename
                    yield f"{label}/{path.relative_to(folder).as_posix()}", path

    def version(self) -> DataVersion:
        """Return the current fingerprint (sha256 over file names and contents, 16 hex digits)."""
        entries = []
        for name, path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue  # removed while walking: the next call sees the folder as it is
            entries.append((name, path, stat.st_mtime_ns, stat.st_size))
        key = tuple((name, mtime, size) for name, _, mtime, size in entries)
        if key != self._key:
            digest = hashlib.sha256()
            for name, path, _, _ in entries:
                digest.update(name.encode() + b"\0")
                try:
                    digest.update(path.read_bytes())
                except OSError:
                    continue
                digest.update(b"\0")
            self._version = DataVersion(digest.hexdigest()[:16], len(entries))
            self._key = key
        return self._version


def health_payload(data: AppData, version: DataVersion) -> dict[str, Any]:
    """Return what ``/healthz`` answers: status, data version and what the app has loaded."""
    from .. import __version__

    return {
        "status": "ok",
        "mapdash": __version__,
        "data_version": version.digest,
        "data_files": version.files,
        "regions": len(data.regions),
        "claims": len(data.timeline.claims),
        "events": len(data.timeline.events),
        "articles": len(data.articles),
    }


def _too_large(error: RequestEntityTooLarge) -> tuple[flask.Response, int]:
    from .live import upload_max_bytes

    length = flask.request.content_length
    arrived = f"{length:,} bytes" if length is not None else "too large"
    limit = flask.current_app.config["MAX_CONTENT_LENGTH"]
    message = (
        f"request body is {arrived}; the limit is {limit:,} bytes (room for an upload of "
        f"{upload_max_bytes() / 2**20:.0f} MiB, MAPDASH_UPLOAD_MAX_BYTES); simplify the file "
        "before uploading it or raise MAPDASH_UPLOAD_MAX_BYTES"
    )
    return flask.jsonify({"error": message, "status": 413}), 413


def _cache_headers(response: flask.Response) -> flask.Response:
    request = flask.request
    if request.path.startswith("/assets/") and response.status_code == 200:
        stamped = "m" in request.args
        response.cache_control.public = True
        response.cache_control.no_cache = None
        response.cache_control.max_age = STAMPED_ASSET_MAX_AGE if stamped else ASSET_MAX_AGE
    return response


def enable_gzip(server: flask.Flask) -> None:
    """Compress responses with gzip (pages, scripts, callback answers).

    Only gzip: every browser, proxy and HTTP client speaks it; flask-compress would otherwise
    prefer zstd, with which pages here intermittently failed to start (a Dash script arrived
    unusable under concurrent requests).
    """
    from flask_compress import Compress

    server.config["COMPRESS_ALGORITHM"] = ["gzip"]
    server.config["COMPRESS_ALGORITHM_STREAMING"] = ["deflate"]
    server.config["COMPRESS_MIN_SIZE"] = 500
    Compress(server)


def configure_server(server: flask.Flask, data: AppData, *, paths: Paths) -> None:
    """Add the health check, the request size limit and asset cache headers to a server.

    Parameters
    ----------
    server
        ``app.server`` of the Dash app.
    data
        The data the app shows (counted in the health check).
    paths
        The folders the data came from (fingerprinted in the health check).
    """
    fingerprint = DataFingerprint(paths)
    enable_gzip(server)
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes()

    def healthz() -> flask.Response:
        response = flask.jsonify(health_payload(data, fingerprint.version()))
        response.cache_control.no_store = True
        return response

    server.add_url_rule(HEALTH_PATH, "mapdash_healthz", healthz, methods=["GET"])
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.after_request(_cache_headers)


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, access_log: bool
) -> dict[str, Any]:
    """Return the gunicorn settings ``run_production`` uses.

    Threads let a worker answer the health check and static files while one callback runs;
    the data is loaded once in the master and shared by the forked workers (preload).
    """
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "mapdash",
        # Several instances on one machine would otherwise share one control socket path.
        "control_socket_disable": True,
    }


def warm_up(server: flask.Flask) -> None:
    """Render the page once, so that every script it names is registered before serving.

    Dash registers the script paths a page may ask for while it renders that page; a worker
    that has not rendered it yet answers those requests with 500, and a page whose scripts
    arrive in several workers at once fails to start. Done before gunicorn forks, every worker
    starts with the paths registered.

    Raises
    ------
    RuntimeError
        If the page cannot be rendered.
    """
    response = server.test_client().get("/")
    if response.status_code != 200:
        raise RuntimeError(f"the dashboard page failed to render (HTTP {response.status_code})")


def run_production(
    server: flask.Flask,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int = 4,
    access_log: bool = False,
) -> None:
    """Serve a built app with gunicorn until interrupted.

    Parameters
    ----------
    server
        ``app.server`` of an app built with ``create_app`` (debug off).
    host, port
        Where to listen; keep 127.0.0.1 behind a reverse proxy.
    workers
        Worker processes (about one per core).
    threads
        Threads per worker.
    access_log
        Log every request to stderr.
    """
    from gunicorn.app.base import BaseApplication

    warm_up(server)
    options = gunicorn_options(
        host=host, port=port, workers=workers, threads=threads, access_log=access_log
    )

    class _Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                # control_socket_disable only exists in recent gunicorn releases.
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> flask.Flask:
            return server

    _Application().run()


__all__ = [
    "ASSET_MAX_AGE",
    "HEALTH_PATH",
    "STAMPED_ASSET_MAX_AGE",
    "DataFingerprint",
    "DataVersion",
    "configure_server",
    "enable_gzip",
    "gunicorn_options",
    "health_payload",
    "max_request_bytes",
    "run_production",
    "warm_up",
]
