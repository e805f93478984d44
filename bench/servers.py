"""Start the two apps under test as real gunicorn servers on loopback ports."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(name: str, port: int, workers: int) -> list[str]:
    if name == "mapdash":
        return [
            sys.executable,
            "-m",
            "mapdash",
            "serve",
            "--production",
            "--workers",
            str(workers),
            "--port",
            str(port),
        ]
    return [
        sys.executable,
        "-m",
        "bench.baseline_app",
        "--workers",
        str(workers),
        "--port",
        str(port),
    ]


def _wait_for_first_map_image(url: str, *, deadline: float) -> None:
    """Wait until the index carries the first map drawn on the server, as it does once a
    server has been up for a few seconds (the image is drawn when the server starts)."""
    while True:
        with urllib.request.urlopen(url + "/", timeout=10) as response:
            if b'class="first-map-image"' in response.read():
                return
        if time.monotonic() > deadline:
            raise RuntimeError("mapdash's first map image was not drawn within 90 s")
        time.sleep(0.5)


@contextlib.contextmanager
def serve(name: str, log_dir: Path, *, workers: int = 2) -> Iterator[Server]:
    """Run ``mapdash serve --production`` or the baseline, and wait for /healthz."""
    port = free_port()
    log = log_dir / f"{name}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            _command(name, port, workers),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            # A cache of first-map images of this run's own (mapdash.web.first_image).
            env={**os.environ, "MAPDASH_CACHE_DIR": str(log_dir / "cache")},
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} server exited early:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{name} server did not answer:\n{log.read_text()}"
                    ) from None
                time.sleep(0.2)
        if name == "mapdash":
            _wait_for_first_map_image(url, deadline=time.monotonic() + 90)
        yield Server(name=name, url=url, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
