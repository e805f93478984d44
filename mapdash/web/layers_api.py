"""The layer API for automation: list, install and remove layers over HTTP.

- ``GET /api/layers``: the live boundaries and control layers, with their versions (public);
- ``POST /api/layers``: install a file (multipart field ``file``; form fields ``kind`` =
  ``control`` or ``regions``, optional ``date`` and ``source``), editors only: 201 with the
  installed version, 401/403 without the role, 413 too large, 422 with the problems when the
  file is unusable (nothing installed), 400 for a malformed request;
- ``DELETE /api/layers/<id>``: take a control layer off the map, editors only.

Editors authenticate with HTTP basic auth or a bearer token (``mapdash users token NAME``);
every install goes through the one pipeline (:func:`mapdash.geodata.install_bytes`) with the
editor's name in the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask

from ..errors import AccessDenied, ApiError, GeodataError
from .auth import REALM, Access
from .live import LiveGeodata, upload_max_bytes

LAYERS_PATH = "/api/layers"
KIND_VALUES = ("control", "regions")
MAX_SOURCE_CHARS = 300
_FIELDS = frozenset({"kind", "date", "source"})


def _answer(payload: dict[str, Any], status: int) -> flask.Response:
    response = flask.jsonify(payload)
    response.status_code = status
    response.cache_control.no_store = True
    return response


def _denied(err: AccessDenied) -> flask.Response:
    response = _answer({"error": str(err), "status": err.status}, err.status)
    if err.status == 401:
        response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", Bearer realm="{REALM}"'
    return response


def read_layer_form(form: Any) -> tuple[str, dt.date | None, str | None]:
    """Read ``kind``, ``date`` and ``source`` from the form of a POST.

    Raises
    ------
    ApiError
        For an unknown field, a missing or unknown kind, a malformed date or a long source.
    """
    unknown = sorted(set(form) - _FIELDS)
    if unknown:
        raise ApiError(
            f"unknown form field(s) {', '.join(unknown)}; this endpoint takes: file, "
            "kind, date, source",
            parameter=unknown[0],
        )
    kind = (form.get("kind") or "").strip()
    if kind not in KIND_VALUES:
        arrived = f"kind={kind!r}" if kind else "no kind"
        raise ApiError(
            f"{arrived}; expected kind=control (a dated control layer) or kind=regions "
            "(region boundaries), e.g. curl -F kind=control",
            parameter="kind",
        )
    date = None
    text = (form.get("date") or "").strip()
    if text:
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise ApiError(
                f"date={text!r} is not a date; expected YYYY-MM-DD, e.g. 2025-08-15",
                parameter="date",
            ) from None
    source = (form.get("source") or "").strip() or None
    if source is not None and len(source) > MAX_SOURCE_CHARS:
        raise ApiError(
            f"source is {len(source)} characters long; keep it to {MAX_SOURCE_CHARS} (a name "
            "and a URL)",
            parameter="source",
        )
    return kind, date, source


def register_layers_api(server: flask.Flask, live: LiveGeodata, access: Access) -> None:
    """Add ``/api/layers`` to the app's Flask server.

    Parameters
    ----------
    server
        ``app.server`` of the Dash app.
    live
        The app's live geodata (refreshed at once after a change).
    access
        Who is asking.
    """
    from ..geodata import install_bytes, list_installed, remove_layer

    def layers() -> flask.Response:
        if flask.request.method == "POST":
            return install()
        installed = list_installed(live.geodata_dir)
        return _answer({"layers": [layer.as_json() for layer in installed]}, 200)

    def install() -> flask.Response:
        try:
            editor = access.require_editor()
            kind, date, source = read_layer_form(flask.request.form)
        except AccessDenied as err:
            return _denied(err)
        except ApiError as err:
            return _answer(
                {"error": str(err), "parameter": err.parameter, "status": err.status}, err.status
            )
        upload = flask.request.files.get("file")
        if upload is None:
            return _answer(
                {
                    "error": "multipart field 'file' is missing; send the GeoJSON as "
                    "curl -F file=@control_2025-08-15.geojson -F kind=control",
                    "parameter": "file",
                    "status": 400,
                },
                400,
            )
        limit = upload_max_bytes()
        content = upload.stream.read(limit + 1)
        name = upload.filename or "upload.geojson"
        if len(content) > limit:
            return _answer(
                {
                    "error": f"{name} is larger than the upload limit of {limit:,} bytes "
                    f"({limit / 2**20:.1f} MiB); simplify the file or raise "
                    "MAPDASH_UPLOAD_MAX_BYTES on the server",
                    "status": 413,
                },
                413,
            )
        try:
            installed = install_bytes(
                name,
                content,
                geodata_dir=live.geodata_dir,
                kind="control" if kind == "control" else "regions",
                date=date,
                source=source,
                actor=editor.name,
                max_bytes=limit,
            )
        except GeodataError as err:
            return _answer(
                {
                    "error": f"{err}; nothing was installed",
                    "problems": list(err.problems),
                    "status": 422,
                },
                422,
            )
        live.snapshot(force=True)
        return _answer(installed.as_json(), 201 if not installed.unchanged else 200)

    def remove(layer_id: str) -> flask.Response:
        try:
            editor = access.require_editor()
        except AccessDenied as err:
            return _denied(err)
        known = {layer.layer for layer in list_installed(live.geodata_dir)}
        try:
            entry = remove_layer(layer_id, geodata_dir=live.geodata_dir, actor=editor.name)
        except GeodataError as err:
            status = 404 if layer_id not in known else 409
            return _answer({"error": str(err), "status": status}, status)
        live.snapshot(force=True)
        return _answer(entry.as_json(), 200)

    server.add_url_rule(LAYERS_PATH, "mapdash_api_layers", layers, methods=["GET", "POST"])
    server.add_url_rule(
        f"{LAYERS_PATH}/<layer_id>", "mapdash_api_layer", remove, methods=["DELETE"]
    )


__all__ = ["LAYERS_PATH", "read_layer_form", "register_layers_api"]
