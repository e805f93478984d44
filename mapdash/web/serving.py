"""Serving the dashboard: health check, gzip, request limits, asset caching, security, gunicorn.

``configure_server`` adds what every server needs (``/healthz``, a request size limit with a
clear JSON answer past it, cache headers for static assets); ``secure_server`` adds security
headers (flask-talisman: a Content-Security-Policy the page, plotly and the app's scripts
satisfy), an Origin check on every state-changing request, 404 for unknown routes and a JSON
answer instead of a bare 500; ``run_production`` runs the app under gunicorn's asyncio worker,
where a slow client costs a coroutine rather than a thread (see :func:`gunicorn_options`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import flask
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound, RequestEntityTooLarge

from ..config import Paths
from ..errors import GeodataError
from ..geodata.versions import current_boundaries
from .data import AppData

if TYPE_CHECKING:
    from .live import LiveGeodata

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


def health_payload(
    data: AppData, version: DataVersion, live: LiveGeodata | None = None
) -> dict[str, Any]:
    """Return what ``/healthz`` answers: status, data version and what the app has loaded.

    With ``live``, the geodata part is what is live now (after a swap or a drop-in, without a
    restart): the boundaries' version id, the control layers' dates and the live version
    that pages and callbacks compare.
    """
    from .. import __version__

    payload: dict[str, Any] = {
        "status": "ok",
        "mapdash": __version__,
        "data_version": version.digest,
        "data_files": version.files,
        "regions": len(data.regions),
        "claims": len(data.timeline.claims),
        "events": len(data.timeline.events),
        "articles": len(data.articles),
        # Which process answered: each worker holds its own live data.
        "worker": os.getpid(),
    }
    if live is not None:
        snapshot = live.snapshot()
        try:
            boundaries = current_boundaries(live.geodata_dir)
        except GeodataError as err:
            boundaries = f"unreadable: {err}"
        payload.update(
            regions=len(snapshot.regions_web),
            geodata_version=snapshot.version,
            boundaries=boundaries,
            control_layers=[layer.date.isoformat() for layer in snapshot.layers],
        )
    return payload


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


def configure_server(
    server: flask.Flask, data: AppData, *, paths: Paths, live: LiveGeodata | None = None
) -> None:
    """Add the health check, the request size limit and asset cache headers to a server.

    Parameters
    ----------
    server
        ``app.server`` of the Dash app.
    data
        The data the app shows (counted in the health check).
    paths
        The folders the data came from (fingerprinted in the health check).
    live
        The live geodata, whose boundaries and layers the health check reports.
    """
    fingerprint = DataFingerprint(paths)
    enable_gzip(server)
    server.config["MAX_CONTENT_LENGTH"] = max_request_bytes()

    def healthz() -> flask.Response:
        response = flask.jsonify(health_payload(data, fingerprint.version(), live))
        response.cache_control.no_store = True
        return response

    server.add_url_rule(HEALTH_PATH, "mapdash_healthz", healthz, methods=["GET"])
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.after_request(_cache_headers)


#: Who may show the dashboard in a frame (CSP frame-ancestors); MAPDASH_FRAME_ANCESTORS
#: widens it for embedding, e.g. "'self' https://intranet.example.org".
FRAME_ANCESTORS_ENV = "MAPDASH_FRAME_ANCESTORS"
DEFAULT_FRAME_ANCESTORS = "'self'"
#: Further origins allowed to send state-changing requests (comma-separated), e.g. the
#: public address of a reverse proxy that rewrites the Host header.
ALLOWED_ORIGINS_ENV = "MAPDASH_ALLOWED_ORIGINS"
_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def frame_ancestors() -> str:
    """Return the CSP frame-ancestors sources: MAPDASH_FRAME_ANCESTORS, or 'self'."""
    return os.environ.get(FRAME_ANCESTORS_ENV, "").strip() or DEFAULT_FRAME_ANCESTORS


def content_security_policy(script_hashes: Iterable[str], *, ancestors: str) -> dict[str, Any]:
    """Return the Content-Security-Policy the page, plotly and the app's own scripts satisfy.

    Scripts only from the server itself plus Dash's inline scripts by hash; styles may be
    inline (plotly and Dash's components set style attributes); images and downloads also
    from data: and blob: URLs (exports); nothing may be fetched from another origin.
    """
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": "'self'",
        "worker-src": ["'self'", "blob:"],
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": ancestors,
    }


def origin_problem(request: flask.Request, allowed: Iterable[str] = ()) -> str | None:
    """Say why a state-changing request comes from a foreign page; None when it may pass.

    A browser names the page's origin in ``Origin`` (or at least ``Referer``) on every
    cross-site POST, so a request naming another origin than this server's is refused; a
    client that names none (curl, a job) is no browser page and passes.
    """
    if request.method not in _STATE_CHANGING:
        return None
    own = request.host_url.rstrip("/")
    origin = request.headers.get("Origin")
    if origin is None:
        referer = request.headers.get("Referer")
        if not referer:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin == own or origin in set(allowed):
        return None
    return (
        f"cross-site request refused: it comes from a page at {origin}, not from this server "
        f"({own}); if a reverse proxy serves mapdash under another address, add it to "
        f"{ALLOWED_ORIGINS_ENV}"
    )


def _json_error(status: int, message: str) -> flask.Response:
    response = flask.jsonify({"error": message, "status": status})
    response.status_code = status
    return response


def secure_server(app: Any, *, ancestors: str | None = None) -> None:
    """Add security headers, the Origin check, 404 for unknown routes and clean 500s.

    Call it after every callback is registered: the CSP lists Dash's inline scripts by hash.

    Parameters
    ----------
    app
        The Dash app.
    ancestors
        CSP frame-ancestors; default :func:`frame_ancestors`.
    """
    from flask_talisman import Talisman

    server: flask.Flask = app.server
    Talisman(
        server,
        # TLS ends at the reverse proxy in front; it sets HSTS and redirects to https.
        force_https=False,
        strict_transport_security=False,
        session_cookie_secure=os.environ.get("MAPDASH_SECURE_COOKIES", "") == "1",
        # frame-ancestors in the CSP says who may frame the page; X-Frame-Options could not
        # express an allowed embedding site.
        frame_options=None,
        content_security_policy=content_security_policy(
            app.csp_hashes(), ancestors=ancestors or frame_ancestors()
        ),
        referrer_policy="same-origin",
        permissions_policy={},
        x_content_type_options=True,
    )
    allowed = [o.strip() for o in os.environ.get(ALLOWED_ORIGINS_ENV, "").split(",") if o]

    def check_request() -> flask.Response | None:
        rule = flask.request.url_rule
        # Dash answers any path with the page (for multi-page apps); this app has one page.
        if rule is not None and rule.rule == "/<path:path>":
            return _json_error(404, f"no page at {flask.request.path}; the dashboard is at /")
        problem = origin_problem(flask.request, allowed)
        if problem is not None:
            return _json_error(403, problem)
        return None

    def not_found(error: NotFound) -> flask.Response:
        return _json_error(404, f"no page at {flask.request.path}; the dashboard is at /")

    def failed(error: InternalServerError) -> flask.Response:
        return _json_error(500, "the server could not answer this request; the error is logged")

    def other(error: HTTPException) -> flask.Response | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return _json_error(error.code, error.description or error.name)

    def favicon() -> Any:
        # Browsers ask for /favicon.ico on any page (the health check's too); Dash serves it
        # as /_favicon.ico, and unknown paths are 404 now.
        return flask.redirect("/_favicon.ico")

    server.add_url_rule("/favicon.ico", "mapdash_favicon", favicon, methods=["GET"])
    # Before dash-auth's check (registered earlier in create_app would run first otherwise).
    server.before_request_funcs.setdefault(None, []).insert(0, check_request)
    server.register_error_handler(NotFound, not_found)
    server.register_error_handler(InternalServerError, failed)
    server.register_error_handler(HTTPException, other)


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, access_log: bool
) -> dict[str, Any]:
    """Return the gunicorn settings ``run_production`` uses.

    gunicorn's ``asgi`` worker reads requests on an asyncio event loop: a client that sends its
    headers or body slowly holds a coroutine, not one of the threads that run the app, so a
    few slow (or malicious) clients cannot stop the service, as they did with ``gthread``
    (each held a thread until its last header line). The app runs in ``threads`` threads per
    worker once its request has fully arrived (:class:`BufferedWSGI`). The data is loaded
    once in the master and shared by the forked workers (preload).
    """
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "asgi",
        "worker_connections": WORKER_CONNECTIONS,
        "preload_app": True,
        "timeout": 120,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "mapdash",
        # Several instances on one machine would otherwise share one control socket path.
        "control_socket_disable": True,
    }


#: Open connections one worker holds at most; past it, new ones wait in the listen queue.
WORKER_CONNECTIONS = 1000
#: A request body must arrive within this many seconds (a slow upload is answered 408).
BODY_TIMEOUT = 60.0


class BufferedWSGI:
    """An ASGI app that runs a WSGI app in threads, each request's body read in full first.

    a2wsgi runs the Flask app in a thread pool; it would start a request while its body is
    still arriving, so a slow upload would hold a thread. Reading the body on the event loop
    first (at most ``max_bytes``, within ``BODY_TIMEOUT``) means a thread is only taken by a
    request that is complete.

    Parameters
    ----------
    app
        The WSGI app (``app.server``).
    threads
        Threads that run it.
    max_bytes
        Largest body accepted; a larger one is answered 413 without reading it.
    """

    def __init__(self, app: flask.Flask, *, threads: int, max_bytes: int) -> None:
        from a2wsgi import WSGIMiddleware

        self.max_bytes = max_bytes
        self._wsgi: Any = WSGIMiddleware(app, workers=threads)  # type: ignore[arg-type]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Serve one ASGI connection scope."""
        import asyncio

        if scope["type"] != "http":
            return await self._wsgi(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await _plain(send, 413, "request body is larger than the server accepts")
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        return await _plain(
                            send, 413, "request body is larger than the server accepts"
                        )
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            return await _plain(send, 408, "the request body did not arrive in time")
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self._wsgi(scope, replay, send)


async def _plain(send: Any, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode() + b"\n"})


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
    application = BufferedWSGI(
        server, threads=threads, max_bytes=int(server.config["MAX_CONTENT_LENGTH"])
    )

    class _Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                # control_socket_disable only exists in recent gunicorn releases.
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self) -> BufferedWSGI:
            return application

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
