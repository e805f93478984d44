"""Slow clients cannot stop the production server: 50 trickling connections, service goes on."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from conftest import run_server

pytestmark = pytest.mark.browser

SLOW_CONNECTIONS = 50
#: Each slow client sends one more header line this often, never finishing its request.
TRICKLE_SECONDS = 3.0
ANSWER_WITHIN = 1.0


class SlowClients:
    """Connections that send a request line, then one header line every few seconds."""

    def __init__(self, url: str, count: int) -> None:
        parts = urlsplit(url)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.count = count
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []
        self.lines_sent = 0
        self.broken = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowClients:
        for _ in range(self.count):
            sock = socket.create_connection(self.address, timeout=5)
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {self.address[0]}\r\n".encode())
            self.sockets.append(sock)
        self._thread.start()
        return self

    def _trickle(self) -> None:
        line = 0
        while not self.stop.wait(TRICKLE_SECONDS):
            line += 1
            for sock in self.sockets:
                try:
                    sock.sendall(f"X-Slow-{line}: still here\r\n".encode())
                    with self._lock:
                        self.lines_sent += 1
                except OSError:
                    with self._lock:
                        self.broken += 1

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self._thread.join(timeout=TRICKLE_SECONDS + 2)
        for sock in self.sockets:
            sock.close()


def _healthz_seconds(url: str) -> float:
    start = time.monotonic()
    with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - start


def test_fifty_slow_clients_do_not_stop_healthz_or_the_slider(tmp_path, page) -> None:
    args = ("--production", "--workers", "2", "--threads", "4")
    with run_server(tmp_path, args=args, pages=(page,)) as server:
        page.goto(server.url + "/")
        page.wait_for_selector("#map-left .js-plotly-plot .choroplethlayer path", timeout=60_000)
        page.wait_for_load_state("networkidle")
        thumb = page.locator(".dash-slider-thumb").first
        thumb.focus()
        with SlowClients(server.url, SLOW_CONNECTIONS) as slow:
            # Past the first trickled line: every slow client is mid-request, as in the attack.
            time.sleep(TRICKLE_SECONDS + 1)
            health, steps = [], []
            for key in ("ArrowLeft", "ArrowLeft", "ArrowRight", "ArrowLeft", "ArrowRight"):
                health.append(_healthz_seconds(server.url))
                before = thumb.get_attribute("aria-valuenow")
                start = time.monotonic()
                with page.expect_response(
                    lambda r: "_dash-update-component" in r.url and r.status == 200,
                    timeout=10_000,
                ):
                    page.keyboard.press(key)
                steps.append(time.monotonic() - start)
                assert thumb.get_attribute("aria-valuenow") != before
            assert slow.lines_sent >= SLOW_CONNECTIONS
            # The slow clients were held open all along, not dropped to make room.
            assert slow.broken == 0
        print(f"healthz {max(health):.3f} s, slider step {max(steps):.3f} s at worst")
        assert max(health) < ANSWER_WITHIN, health
        assert max(steps) < ANSWER_WITHIN, steps
