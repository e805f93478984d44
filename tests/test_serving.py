"""Serving: health check, gzip, asset caching, request limits, and gunicorn in production."""

from __future__ import annotations

import gzip
import json
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path

import psutil
import pytest
from conftest import run_server

from mapdash import store
from mapdash.cli import main
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.web import create_app
from mapdash.web.serving import DataFingerprint, max_request_bytes


@pytest.fixture(scope="module")
def client():
    return create_app().server.test_client()


def test_healthz_reports_status_and_data_version(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert re.fullmatch(r"[0-9a-f]{16}", body["data_version"])
    assert body["regions"] == 6
    assert body["articles"] == 5
    assert body["claims"] > 0 and body["events"] > 0
    assert "no-store" in response.headers["Cache-Control"]
    assert body["boundaries"] == "shipped"
    shipped_layers = sorted(
        p.stem.removeprefix("control_")
        for p in (PROJECT_ROOT / "geodata" / "control").glob("control_*.geojson")
    )
    assert body["control_layers"] == shipped_layers
    assert re.fullmatch(r"[0-9a-f]{16}", body["geodata_version"])


def test_healthz_reports_the_live_boundaries_after_a_swap(geodata_copy: Path, data_dir) -> None:
    client = create_app(
        paths=Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds")
    ).server.test_client()
    before = client.get("/healthz").get_json()
    installed = store.install(data_dir / "geojson" / "gadm.geojson", geodata_dir=geodata_copy)
    store.install(
        data_dir / "geojson" / "control" / "control_2025-08-15.geojson", geodata_dir=geodata_copy
    )
    deadline = time.monotonic() + 10  # the live folder is looked at again once a second
    while (after := client.get("/healthz").get_json())["control_layers"] == [] and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert after["control_layers"] == ["2025-08-15"]
    assert before["boundaries"] == "shipped"
    assert after["boundaries"] == installed.version != "shipped"
    assert after["geodata_version"] != before["geodata_version"]
    assert after["regions"] == 6


def test_data_version_changes_when_a_data_file_changes(geodata_copy: Path) -> None:
    paths = Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds")
    fingerprint = DataFingerprint(paths)
    before = fingerprint.version()
    assert fingerprint.version() == before
    claims = geodata_copy / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8") + "\n# reviewed again\n", "utf-8")
    after = fingerprint.version()
    assert after.digest != before.digest
    assert after.files == before.files
    # Old versions moved aside by a swap are not live data.
    (geodata_copy / "history").mkdir(exist_ok=True)
    (geodata_copy / "history" / "old_claims.yaml").write_text("claims: []\n", "utf-8")
    assert fingerprint.version() == after


def test_pages_and_callbacks_are_gzipped(client) -> None:
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.data).decode()
    assert "Territory on the table" in html
    # Production settings: Dash's dev tools are off.
    assert '"ui":false' in html.replace(" ", "")


def test_assets_carry_cache_headers(client) -> None:
    stamped = client.get("/assets/mapdash.css?m=1700000000")
    assert stamped.status_code == 200
    assert "max-age=31536000" in stamped.headers["Cache-Control"]
    assert "no-cache" not in stamped.headers["Cache-Control"]
    topojson = client.get("/assets/topojson/world_110m.json")
    assert topojson.status_code == 200
    assert "max-age=3600" in topojson.headers["Cache-Control"]


def test_request_limit_follows_the_upload_limit(monkeypatch) -> None:
    monkeypatch.setenv("MAPDASH_UPLOAD_MAX_BYTES", str(3 * 2**20))
    assert max_request_bytes() == 4 * 2**20 + 2**20


def test_oversized_requests_are_refused_with_a_message(client) -> None:
    limit = max_request_bytes()
    body = b" " * (limit + 1)
    response = client.post(
        "/_dash-update-component", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    message = response.get_json()["error"]
    assert message == (
        f"request body is {limit + 1:,} bytes; the limit is {limit:,} bytes (room for an upload "
        "of 16 MiB, MAPDASH_UPLOAD_MAX_BYTES); simplify the file before uploading it or raise "
        "MAPDASH_UPLOAD_MAX_BYTES"
    )


def test_production_and_debug_do_not_mix(runner) -> None:
    result = runner.invoke(main, ["serve", "--production", "--debug"])
    assert result.exit_code == 2
    assert "--debug cannot be combined with --production" in result.output


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        # Header names are case-insensitive (gunicorn's asgi worker sends them in lower case).
        return response.status, response.headers, response.read()


def test_production_server_runs_gunicorn_workers(tmp_path: Path) -> None:
    with run_server(tmp_path, args=("--production", "--workers", "2")) as server:
        # A fresh worker must serve every script the page names, even all at once.
        page = _get(server.url + "/")[2].decode()
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert len(scripts) >= 5
        with ThreadPoolExecutor(max_workers=len(scripts)) as pool:
            statuses = list(pool.map(lambda src: _get(server.url + src)[0], scripts))
        assert statuses == [200] * len(scripts)

        status, headers, body = _get(server.url + "/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        assert headers["Server"] == "gunicorn/asgi"
        master = psutil.Process(server.process.pid)
        # gunicorn forks its workers one after another; the first may answer before the second
        # exists on a loaded machine.
        deadline = time.monotonic() + 15
        while len(master.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = master.children()
        assert len(workers) == 2
        listening = [c.laddr for c in master.net_connections("inet") if c.status == "LISTEN"]
        assert [address.ip for address in listening] == ["127.0.0.1"]

        _, headers, body = _get(server.url + "/", {"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert b"Territory on the table" in gzip.decompress(body)

        # Concurrent API requests are spread over the workers and all answered.
        def state(date: str) -> dict:
            return json.loads(_get(f"{server.url}/api/state?date={date}")[2])

        dates = [f"2025-{month:02d}-15" for month in range(1, 13)] * 3
        with ThreadPoolExecutor(max_workers=12) as pool:
            answers = list(pool.map(state, dates))
        assert [a["date"] for a in answers] == dates
        assert all(len(a["regions"]) == 6 for a in answers)


def _asgi_call(app, scope, messages, *, delay: float = 0.0):
    import asyncio

    sent: list[dict] = []

    async def receive():
        if messages:
            await asyncio.sleep(delay)
            return messages.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    # In a thread of its own: the browser tests' Playwright keeps an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


def _http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8050),
    }


def test_the_asgi_front_reads_bodies_before_taking_a_thread(monkeypatch) -> None:
    import flask

    from mapdash.web import serving

    seen: list[bytes] = []
    inner = flask.Flask("echo")

    @inner.post("/echo")
    def echo() -> str:
        seen.append(flask.request.get_data())
        return "ok"

    front = serving.BufferedWSGI(inner, threads=2, max_bytes=10)
    # A body in two pieces reaches the app whole.
    sent = _asgi_call(
        front,
        _http_scope("POST", "/echo", [(b"content-length", b"6")]),
        [
            {"type": "http.request", "body": b"abc", "more_body": True},
            {"type": "http.request", "body": b"def", "more_body": False},
        ],
    )
    assert sent[0]["status"] == 200 and seen == [b"abcdef"]
    # Declared too large: refused before a byte is read.
    sent = _asgi_call(front, _http_scope("POST", "/echo", [(b"content-length", b"11")]), [])
    assert sent[0]["status"] == 413
    assert sent[1]["body"] == b"request body is larger than the server accepts\n"
    # A body that trickles in past the deadline is answered 408 and never reaches the app.
    monkeypatch.setattr(serving, "BODY_TIMEOUT", 0.2)
    sent = _asgi_call(
        front,
        _http_scope("POST", "/echo", []),
        [{"type": "http.request", "body": b"a", "more_body": True}] * 5,
        delay=0.1,
    )
    assert sent[0]["status"] == 408
    assert sent[1]["body"] == b"the request body did not arrive in time\n"
    assert seen == [b"abcdef"]
