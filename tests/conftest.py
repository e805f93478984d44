"""Shared fixtures: paths, a CLI runner, and a real mapdash server driven by headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def no_users_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point MAPDASH_USERS at a missing file: tests never read the developer's own users."""
    missing = tmp_path_factory.mktemp("users") / "users.toml"
    before = os.environ.get("MAPDASH_USERS")
    os.environ["MAPDASH_USERS"] = str(missing)
    yield missing
    if before is None:
        os.environ.pop("MAPDASH_USERS", None)
    else:
        os.environ["MAPDASH_USERS"] = before


@pytest.fixture(scope="session", autouse=True)
def first_map_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the servers' first-map images in one folder of the session's, not the user's."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("MAPDASH_CACHE_DIR")
    os.environ["MAPDASH_CACHE_DIR"] = str(folder)
    yield folder / "first-map"
    if before is None:
        os.environ.pop("MAPDASH_CACHE_DIR", None)
    else:
        os.environ["MAPDASH_CACHE_DIR"] = before


def wait_for_first_map_image(url: str, *, timeout: float = 120) -> str:
    """Wait until a server's index carries its first map drawn on the server; return it."""
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            index = response.read().decode()
        if 'class="first-map-image"' in index:
            return index
        if time.monotonic() > deadline:
            raise RuntimeError(f"no first-map image in {url}/ after {timeout:.0f} s")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A ``mapdash serve`` process on a free loopback port."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    geodata: Path


@contextlib.contextmanager
def run_server(
    tmp_path: Path,
    *,
    geodata: Path | None = None,
    args: tuple[str, ...] = (),
    env: dict | None = None,
    pages: tuple[Page, ...] = (),
) -> Iterator[Server]:
    """Start ``mapdash serve`` in a subprocess and wait until it answers.

    ``pages`` are browser pages opened on this server: they leave it (for about:blank)
    before it stops, or their polling would log failed callbacks against a closed port.
    """
    port = _free_port()
    log = tmp_path / f"server-{port}.log"
    full_env = {**os.environ, **(env or {})}
    if geodata is not None:
        full_env["MAPDASH_GEODATA"] = str(geodata)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mapdash", "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mapdash serve exited early:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"mapdash serve did not answer:\n{log.read_text()}"
                    ) from None
                time.sleep(0.2)
        yield Server(url=url, process=process, log=log, geodata=geodata or ROOT / "geodata")
    finally:
        for page in pages:
            if not page.is_closed():
                page.goto("about:blank")
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on the embedded default data, shared by the read-only browser tests.

    Its first page carries the first map drawn on the server, as a server's does a few
    seconds after it starts (tests of the page without one start their own server).
    """
    with run_server(tmp_path_factory.mktemp("server")) as srv:
        wait_for_first_map_image(srv.url)
        yield srv


@pytest.fixture
def geodata_copy(tmp_path: Path) -> Path:
    """A private copy of geodata/ for tests that change it."""
    target = tmp_path / "geodata"
    shutil.copytree(
        ROOT / "geodata",
        target,
        ignore=shutil.ignore_patterns(
            "history", "versions", "audit.log", "rejected", ".lock", ".watch.lock"
        ),
    )
    return target


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed; run scripts/bootstrap --browser")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageRecord:
    """Everything a page asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def external_requests(self) -> list[str]:
        """Requests that left the loopback interface."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
        ]


@pytest.fixture
def page(browser, request):
    """A fresh browser page that records requests and console errors.

    At the end of the test, fails if any request left 127.0.0.1 or the console logged an error.
    Tests that expect console errors can clear ``page.record.console_errors``.
    """
    # Playwright evaluates string predicates (wait_for_function) with eval, which the app's
    # Content-Security-Policy rightly forbids; tests of the policy itself open their own
    # context without this (tests/test_browser_editor.py).
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, bypass_csp=True)
    pg = context.new_page()
    record = PageRecord()
    pg.on("request", lambda req: record.requests.append(req.url))
    pg.on(
        "console",
        lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    pg.on("pageerror", lambda exc: record.console_errors.append(str(exc)))
    pg.record = record
    yield pg
    context.close()
    assert record.external_requests() == [], "requests left 127.0.0.1"
    assert record.console_errors == [], "browser console errors"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


def hover_label(page, map_id: str, lon: float, lat: float) -> str:
    """Hover a map at a lon/lat point (placed by plotly's own projection); the label's text."""
    x, y = page.evaluate(
        """([mapId, point]) => {
          const gd = document.querySelector('#' + mapId + ' .js-plotly-plot');
          return gd._fullLayout.geo._subplot.projection(point);
        }""",
        [map_id, [lon, lat]],
    )
    box = page.locator(f"#{map_id} .js-plotly-plot").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    label = page.locator(f"#{map_id} .hoverlayer .hovertext")
    label.wait_for()
    return label.text_content()
