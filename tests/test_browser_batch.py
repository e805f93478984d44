"""Every-event exports run in the background with a progress bar: DiskCache, and Celery + Redis."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, _free_port, run_server
from PIL import Image

from mapdash.claims import load_claims
from mapdash.corpus import load_corpus
from mapdash.timeline import Timeline

EVENTS = len(
    Timeline.from_source(
        load_claims(ROOT / "geodata" / "claims.yaml"),
        published={a.id: a.published for a in load_corpus(ROOT / "seeds").values()},
    ).events
)

# Records every value the progress bar shows while the job runs.
WATCH_PROGRESS = """
() => {
  window.__progress = [];
  const bar = document.getElementById('batch-progress');
  new MutationObserver(() => window.__progress.push(
      [bar.getAttribute('value'), bar.getAttribute('max')])
  ).observe(bar, {attributes: true, attributeFilter: ['value', 'max']});
}
"""


def _export_all(page, url: str, kind: str) -> tuple[bytes, str, list[list[str]]]:
    page.goto(f"{url}/?date=2025-08-06&sel=proposal:ru-2025-08-06-donbas")
    page.wait_for_selector("#map-left path.choroplethlocation", state="attached")
    page.evaluate(WATCH_PROGRESS)
    page.locator(f"#batch-kind input[value='{kind}']").check()
    # Thirteen 3840x2160 PNGs drawn in the background: minutes on a busy two-core machine.
    with page.expect_download(timeout=360_000) as info:
        page.locator("#batch-button").click()
        # While it runs, the page stays usable and the button says so.
        page.wait_for_selector("#batch-button[disabled]", timeout=20_000)
        assert page.locator("#batch-button").inner_text() == "Drawing…"
    download = info.value
    content = Path(download.path()).read_bytes()
    page.wait_for_selector("#batch-status:has-text('Downloaded')", timeout=20_000)
    assert page.locator("#batch-status").inner_text().endswith(f"({EVENTS} images)")
    seen = page.evaluate("window.__progress")
    return content, download.suggested_filename, seen


def _assert_progress(seen: list[list[str]]) -> None:
    done = [int(value) for value, total in seen if total == str(EVENTS)]
    # The bar moved through the batch file by file (polled, so not every step is seen).
    assert len(set(done)) >= 2, seen
    assert done == sorted(done) and 0 < done[0] and done[-1] <= EVENTS, seen


@pytest.mark.browser
def test_all_events_as_zip_with_progress(page, tmp_path: Path) -> None:
    env = {"MAPDASH_CACHE_DIR": str(tmp_path / "jobs")}
    with run_server(
        tmp_path, env=env, args=("--production", "--workers", "2"), pages=(page,)
    ) as server:
        content, name, seen = _export_all(page, server.url, "zip")
    assert name == "proposal-ru-2025-08-06-donbas_all-events.zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        assert len(names) == EVENTS
        assert "proposal-ru-2025-08-06-donbas_2025-08-06.png" in names
        with Image.open(io.BytesIO(archive.read(names[-1]))) as image:
            assert image.size == (3840, 2160)
    _assert_progress(seen)


@contextlib.contextmanager
def _redis(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip(
            "redis-server is not installed; run scripts/bootstrap --redis "
            "(apt-get install redis-server)"
        )
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 20
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.browser
def test_all_events_as_gif_through_celery_and_redis(page, tmp_path: Path) -> None:
    with _redis(tmp_path) as url:
        env = {**os.environ, "MAPDASH_REDIS_URL": url}
        log = (tmp_path / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "mapdash", "worker"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
        try:
            with run_server(tmp_path, env={"MAPDASH_REDIS_URL": url}, pages=(page,)) as server:
                content, name, seen = _export_all(page, server.url, "gif")
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            log.close()
        worker_log = (tmp_path / "worker.log").read_text()
    assert name == "proposal-ru-2025-08-06-donbas_all-events.gif"
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "GIF"
        assert image.n_frames == EVENTS
        assert image.size == (1280, 720)
    _assert_progress(seen)
    # The frames were drawn by the Celery worker, not by the web server.
    assert "succeeded" in worker_log, worker_log[-2000:]
