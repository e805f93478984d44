"""The layer API and the upload callback on a real server: who may change the map, and undo."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, run_server
from web_requests import basic, folder_digest, smaller_layer, upload_body

from mapdash.geodata import read_audit
from mapdash.users import add_user, issue_token

LAYER = "control_2025-08-15.geojson"
LAYER_ID = "control_2025-08-15"
UPLOAD_LIMIT = 2**20


@pytest.fixture(scope="module")
def users(tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("users") / "users.toml"
    add_user("alice", role="editor", password="alice-password", path=path)
    add_user("bob", role="viewer", password="bob-password", path=path)
    add_user("bot", role="editor", password="bot-password", path=path)
    return path, issue_token("bot", path=path)


@pytest.fixture
def server(tmp_path, geodata_copy, users):
    env = {"MAPDASH_USERS": str(users[0]), "MAPDASH_UPLOAD_MAX_BYTES": str(UPLOAD_LIMIT)}
    with run_server(tmp_path, geodata=geodata_copy, env=env) as srv:
        yield srv


def _request(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read() or b"{}")


def _multipart(fields: dict[str, str], file: tuple[str, bytes] | None) -> tuple[bytes, str]:
    boundary = "mapdash-test-boundary"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    if file is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file[0]}"\r\nContent-Type: application/geo+json\r\n\r\n'.encode()
            + file[1]
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _post_layer(
    server, content: bytes | None, *, auth: dict[str, str], name: str = LAYER, **fields: str
) -> tuple[int, dict, dict]:
    body, content_type = _multipart(
        {"kind": "control", **fields}, (name, content) if content is not None else None
    )
    return _request(
        server.url + "/api/layers",
        method="POST",
        body=body,
        headers={"Content-Type": content_type, **auth},
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _login_cookie(server, name: str, password: str) -> str:
    request = urllib.request.Request(server.url + "/login", headers=basic(name, password))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as err:
        assert err.code == 302, err.read()
        return err.headers["Set-Cookie"].split(";", 1)[0]
    raise AssertionError("no redirect after logging in")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _upload_callback(server, content: bytes, cookie: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    status, _, answer = _request(
        server.url + "/_dash-update-component",
        method="POST",
        body=json.dumps(upload_body(LAYER, content)).encode(),
        headers=headers,
    )
    return status, answer


def _state(server) -> dict:
    return _request(server.url + "/api/state?date=2025-08-20&selection=actor:russia")[2]


def _occupied(state: dict) -> dict[str, float]:
    layer = state["control_layer"]
    return {r["id"]: r["occupied_km2"] for r in layer["regions"]} if layer else {}


def test_refused_uploads_change_nothing_on_disk(server, data_dir) -> None:
    content = (data_dir / "geojson" / "control" / LAYER).read_bytes()
    before = folder_digest(server.geodata)
    status, headers, answer = _post_layer(server, content, auth={})
    assert status == 401
    assert headers["WWW-Authenticate"].startswith('Basic realm="mapdash"')
    assert answer["error"].startswith("not logged in: only editors may change the layers")
    status, _, answer = _post_layer(server, content, auth=basic("alice", "not-her-password"))
    assert status == 401
    assert answer["error"].startswith("wrong user name or password, or an unknown token")
    status, _, answer = _post_layer(server, content, auth=_bearer("mdt_made-up"))
    assert status == 401
    status, _, answer = _post_layer(server, content, auth=basic("bob", "bob-password"))
    assert status == 403
    assert answer["error"].startswith("user 'bob' is a viewer: only editors may change")
    assert _request(server.url + f"/api/layers/{LAYER_ID}", method="DELETE")[0] == 401
    # The page's upload callback, anonymous and as a logged-in viewer.
    assert _upload_callback(server, content)[0] == 401
    status, answer = _upload_callback(server, content, _login_cookie(server, "bob", "bob-password"))
    assert status == 403 and answer["error"].startswith("user 'bob' is a viewer")
    assert folder_digest(server.geodata) == before
    assert _state(server)["control_layer"] is None


def test_bad_requests_say_what_to_send(server, data_dir) -> None:
    content = (data_dir / "geojson" / "control" / LAYER).read_bytes()
    before = folder_digest(server.geodata)
    editor = basic("alice", "alice-password")
    status, _, answer = _post_layer(server, None, auth=editor)
    assert status == 400 and answer["parameter"] == "file"
    assert answer["error"].startswith("multipart field 'file' is missing; send the GeoJSON as")
    status, _, answer = _post_layer(server, content, auth=editor, kind="tiles")
    assert status == 400
    assert answer["error"].startswith("kind='tiles'; expected kind=control (a dated control")
    status, _, answer = _post_layer(server, content, auth=editor, date="15/08/2025")
    assert status == 400
    assert (
        answer["error"] == "date='15/08/2025' is not a date; expected YYYY-MM-DD, e.g. 2025-08-15"
    )
    too_big = b" " * (UPLOAD_LIMIT + 10) + content
    status, _, answer = _post_layer(server, too_big, auth=editor)
    assert status == 413
    assert answer["error"] == (
        f"{LAYER} is larger than the upload limit of 1,048,576 bytes (1.0 MiB); simplify the "
        "file or raise MAPDASH_UPLOAD_MAX_BYTES on the server"
    )
    name = "control_2025-08-15_points.geojson"
    points = (data_dir / "geojson" / "control" / name).read_bytes()
    status, _, answer = _post_layer(server, points, auth=editor, name=name)
    assert status == 422
    assert answer["error"] == (
        f"{name}: no usable Polygon or MultiPolygon feature among 1 feature(s); nothing was "
        "installed"
    )
    assert answer["problems"] == [
        f"{name} feature 0 (no name): geometry is a Point; expected Polygon or MultiPolygon"
    ]
    assert folder_digest(server.geodata) == before


def test_editor_installs_the_log_names_them_and_rollback_restores_the_bytes(
    server, users, data_dir
) -> None:
    token = users[1]
    first = (data_dir / "geojson" / "control" / LAYER).read_bytes()
    status, _, installed = _post_layer(
        server, first, auth=_bearer(token), source="Test front line, 15 August"
    )
    assert status == 201, installed
    assert installed["layer"] == LAYER_ID and installed["actor"] == "bot"
    assert installed["sha256"] == hashlib.sha256(first).hexdigest()
    live = server.geodata / "control" / LAYER
    first_live = hashlib.sha256(live.read_bytes()).hexdigest()
    held_first = _occupied(_state(server))
    assert held_first["donetsk"] > 0

    second = smaller_layer(first)
    status, _, replaced = _post_layer(server, second, auth=basic("alice", "alice-password"))
    assert status == 201, replaced
    assert replaced["actor"] == "alice" and replaced["replaced"] == installed["version"]
    assert hashlib.sha256(live.read_bytes()).hexdigest() != first_live
    held_second = _occupied(_state(server))
    assert held_second["donetsk"] < held_first["donetsk"]

    listed = _request(server.url + "/api/layers")[2]["layers"]
    entry = next(layer for layer in listed if layer["layer"] == LAYER_ID)
    assert entry["version"] == replaced["version"]
    assert entry["versions"][-2:] == [installed["version"], replaced["version"]]

    log = [e for e in read_audit(server.geodata) if e.layer == LAYER_ID]
    assert [(e.action, e.actor) for e in log] == [("install", "bot"), ("install", "alice")]
    assert log[0].sha256 == hashlib.sha256(first).hexdigest()
    assert log[1].replaced == installed["version"]

    # Roll back from the command line; the running server shows it without a restart.
    result = subprocess.run(
        [sys.executable, "-m", "mapdash", "rollback", LAYER_ID],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"MAPDASH_GEODATA": str(server.geodata), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(live.read_bytes()).hexdigest() == first_live
    deadline = time.monotonic() + 15
    while _occupied(_state(server)) != held_first and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _occupied(_state(server)) == held_first
    assert read_audit(server.geodata)[-1].action == "rollback"

    status, _, removed = _request(
        server.url + f"/api/layers/{LAYER_ID}",
        method="DELETE",
        headers=basic("alice", "alice-password"),
    )
    assert status == 200 and removed["action"] == "remove" and removed["actor"] == "alice"
    assert not live.exists()
    assert _state(server)["control_layer"] is None
    status, _, answer = _request(
        server.url + f"/api/layers/{LAYER_ID}",
        method="DELETE",
        headers=basic("alice", "alice-password"),
    )
    assert status == 404


def test_a_logged_in_editor_uploads_through_the_page_callback(server, data_dir) -> None:
    content = (data_dir / "geojson" / "control" / LAYER).read_bytes()
    cookie = _login_cookie(server, "alice", "alice-password")
    status, answer = _upload_callback(server, content, cookie)
    assert status == 200
    assert "upload-ok" in json.dumps(answer)
    log = read_audit(server.geodata)
    assert [(e.action, e.actor, e.layer) for e in log] == [("install", "alice", LAYER_ID)]
