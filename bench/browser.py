"""Slider step to finished redraw, first page load, bytes: mapdash and the baseline in one run.

Both apps are open at once in headless Chromium (the test suite's flags); steps are taken in
alternating blocks, one app then the other, so that the machine's noise hits both alike.

A step is one key press on the slider's handle. It is finished when the map shows it after the
last callback the step caused: the page records every change of the map (a ``plotly_afterplot``,
a change to the map's elements, or mapdash's ``mapdash:painted`` event once it has painted a
map in place) and every callback request, and a step counts as settled once no callback is
pending and the page has been quiet for a while; its time is from the keydown to the map's last
change. Every callback response of a step is read to count its bytes (as sent, gzip on) and to
check that no geometry (a GeoJSON ``coordinates`` member) travelled.
"""

from __future__ import annotations

import ast
import json
import math
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .servers import ROOT, Server

QUIET_MS = 350
STEP_TIMEOUT_MS = 20_000
MAP = "#map-left"

# Installed before any page script: records keydowns, callback requests and map drawing.
INIT_SCRIPT = r"""
(() => {
  const mb = {key: null, pending: 0, lastEnd: 0, changes: [], afterplots: [], drawnAt: null,
              onScreenAt: null, fcp: null, hooked: false};
  window.__mb = mb;
  // Nothing is on screen before the page's first paint, however early the map is in the page.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'first-contentful-paint') mb.fcp = entry.startTime;
    }
  }).observe({type: 'paint', buffered: true});
  mb.onScreen = () => Math.max(mb.onScreenAt, mb.fcp);
  document.addEventListener('keydown', () => { mb.key = performance.now(); }, true);
  const originalFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.includes('_dash-update-component')) return originalFetch.apply(this, arguments);
    let timer = false;
    try { timer = JSON.parse(init.body).changedPropIds.every(p => p.endsWith('.n_intervals')); }
    catch (e) { timer = false; }
    if (!timer) mb.pending++;
    return originalFetch.apply(this, arguments).finally(() => {
      if (!timer) { mb.pending--; mb.lastEnd = performance.now(); }
    });
  };
  const changed = () => mb.changes.push(performance.now());
  document.addEventListener('mapdash:painted', changed, true);
  const count = () => document.querySelectorAll('MAP path.choroplethlocation').length;
  // The first map on screen: Dash's, or the static one the index draws before Dash runs.
  const shown = () => Math.max(
    count(), document.querySelectorAll('#first-map path.choroplethlocation').length);
  const hook = () => {
    const gd = document.querySelector('MAP .js-plotly-plot');
    if (!mb.hooked && gd && gd.on) {
      gd.on('plotly_afterplot', () => { mb.afterplots.push(performance.now()); changed(); });
      new MutationObserver(changed).observe(gd, {subtree: true, childList: true, attributes: true});
      mb.hooked = true;
    }
    if (mb.drawnAt === null && count() >= 6) {
      requestAnimationFrame(() => { if (mb.drawnAt === null) mb.drawnAt = performance.now(); });
    }
    if (mb.onScreenAt === null && shown() >= 6) {
      requestAnimationFrame(() => {
        if (mb.onScreenAt === null) mb.onScreenAt = performance.now();
      });
    }
  };
  new MutationObserver(hook).observe(document, {subtree: true, childList: true});
  mb.reset = () => { mb.key = null; mb.changes = []; mb.afterplots = []; mb.lastEnd = 0; };
  mb.settled = (quiet) => {
    if (mb.key === null || mb.pending > 0) return false;
    const after = mb.changes.filter(t => t >= mb.key);
    if (!after.length) return false;
    return performance.now() - Math.max(after[after.length - 1], mb.lastEnd) > quiet;
  };
  mb.result = () => {
    const after = mb.changes.filter(t => t >= mb.key);
    return {ms: after[after.length - 1] - mb.key,
            afterplots: mb.afterplots.filter(t => t >= mb.key).length};
  };
})();
""".replace("MAP", MAP)


def chromium_args() -> list[str]:
    """The flags the browser tests use (CHROMIUM_ARGS in tests/conftest.py, read as a literal)."""
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CHROMIUM_ARGS" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise RuntimeError("tests/conftest.py defines no CHROMIUM_ARGS")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("Debian's chromium is not installed; run scripts/bootstrap --browser")
    return path


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class StepRecord:
    ms: float
    afterplots: int
    callbacks: int
    bytes_down: int
    bytes_up: int
    geometry: bool
    bodies: list[str] = field(default_factory=list)


@dataclass
class AppRun:
    server: Server
    page: Any
    context: Any
    steps: list[StepRecord] = field(default_factory=list)
    inflight: list[Any] = field(default_factory=list)


def _open(browser: Any, server: Server) -> AppRun:
    # The measuring script and string predicates run with eval, which the app's CSP forbids.
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, bypass_csp=True)
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    run = AppRun(server, page, context)
    page.on(
        "requestfinished",
        lambda request: (
            run.inflight.append(request) if "_dash-update-component" in request.url else None
        ),
    )
    page.goto(server.url + "/")
    page.wait_for_function("window.__mb.drawnAt !== null && window.__mb.hooked", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.locator(".dash-slider-thumb").first.focus()
    return run


def _step(run: AppRun, key: str) -> StepRecord:
    page = run.page
    page.evaluate("window.__mb.reset()")
    run.inflight.clear()
    page.keyboard.press(key)
    page.wait_for_function(f"window.__mb.settled({QUIET_MS})", polling=25, timeout=STEP_TIMEOUT_MS)
    result = page.evaluate("window.__mb.result()")
    down = up = 0
    geometry = False
    bodies = []
    for request in list(run.inflight):
        body = request.post_data or ""
        if json.loads(body or "{}").get("changedPropIds", [""])[0].endswith(".n_intervals"):
            continue
        sizes = request.sizes()
        down += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        up += sizes["requestBodySize"] + sizes["requestHeadersSize"]
        response = request.response()
        text = response.body() if response is not None else b""
        geometry = geometry or b'"coordinates"' in text
        bodies.append(body)
    return StepRecord(result["ms"], result["afterplots"], len(bodies), down, up, geometry, bodies)


def _slider_value(run: AppRun) -> int:
    return int(run.page.locator(".dash-slider-thumb").first.get_attribute("aria-valuenow") or 0)


def first_loads(browser: Any, servers: list[Server], *, repeats: int) -> dict[str, dict[str, Any]]:
    """Cold page loads (empty cache): navigation to map drawn, and bytes transferred.

    Two times per load: to the first map on screen (a map with the regions in their colours,
    Dash's or the static one of the index, whichever comes first, and never before the page's
    first contentful paint), and to Dash's map drawn (the interactive one, with hover and
    zoom).
    """
    samples: dict[str, list[tuple[float, int, int, float]]] = {s.name: [] for s in servers}
    for _ in range(repeats):
        for server in servers:
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, bypass_csp=True)
            context.add_init_script(INIT_SCRIPT)
            page = context.new_page()
            finished: list[Any] = []
            page.on("requestfinished", lambda request, into=finished: into.append(request))
            page.goto(server.url + "/")
            page.wait_for_function("window.__mb.drawnAt !== null", timeout=60_000)
            drawn = float(page.evaluate("window.__mb.drawnAt"))
            page.wait_for_function("window.__mb.fcp !== null", timeout=60_000)
            on_screen = float(page.evaluate("window.__mb.onScreen()"))
            page.wait_for_load_state("networkidle")
            total = sum(
                r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished
            )
            samples[server.name].append((drawn, total, len(finished), on_screen))
            context.close()
    return {
        name: {
            "map_drawn_ms_p50": round(statistics.median(s[0] for s in rows), 1),
            "map_drawn_ms_all": [round(s[0], 1) for s in rows],
            "map_on_screen_ms_p50": round(statistics.median(s[3] for s in rows), 1),
            "map_on_screen_ms_all": [round(s[3], 1) for s in rows],
            "first_load_bytes": int(statistics.median(s[1] for s in rows)),
            "first_load_requests": int(statistics.median(s[2] for s in rows)),
        }
        for name, rows in samples.items()
    }


def slider_steps(
    browser: Any, servers: list[Server], *, sweeps: int, warmup: int = 2
) -> tuple[dict[str, dict[str, Any]], dict[str, list[list[str]]]]:
    """Step both apps' sliders end to end in alternating sweeps; returns stats and payloads."""
    runs = [_open(browser, server) for server in servers]
    try:
        for run in runs:
            for _ in range(warmup):
                key = "ArrowLeft" if _slider_value(run) > 0 else "ArrowRight"
                _step(run, key)
        for sweep in range(sweeps):
            for run in runs:
                # Alternate direction: from the last event to the first and back.
                key = "ArrowLeft" if sweep % 2 == 0 else "ArrowRight"
                while True:
                    before = _slider_value(run)
                    if (key == "ArrowLeft" and before == 0) or (
                        key == "ArrowRight" and before >= _slider_max(run)
                    ):
                        break
                    run.steps.append(_step(run, key))
        stats = {run.server.name: _stats(run.steps) for run in runs}
        payloads = {run.server.name: [s.bodies for s in run.steps] for run in runs}
        return stats, payloads
    finally:
        for run in runs:
            run.context.close()


def _slider_max(run: AppRun) -> int:
    return int(run.page.locator(".dash-slider-thumb").first.get_attribute("aria-valuemax") or 0)


def _stats(steps: list[StepRecord]) -> dict[str, Any]:
    times = [s.ms for s in steps]
    return {
        "steps": len(steps),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "mean_ms": round(statistics.fmean(times), 1),
        "callbacks_per_step": round(statistics.fmean(s.callbacks for s in steps), 2),
        "bytes_down_per_step": int(statistics.median(s.bytes_down for s in steps)),
        "bytes_up_per_step": int(statistics.median(s.bytes_up for s in steps)),
        "steps_with_geometry": sum(s.geometry for s in steps),
        # Steps on which plotly redrew the map (the rest were painted in place).
        "steps_redrawn": sum(s.afterplots > 0 for s in steps),
    }


def run_first_loads(servers: list[Server], *, repeats: int) -> dict[str, Any]:
    """Run the cold page loads alone (``python -m bench --only first-load``)."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=chromium_args())
        try:
            loads = first_loads(browser, servers, repeats=repeats)
            version = browser.version
        finally:
            browser.close()
    return {
        "chromium": version,
        "first_load": loads,
        "seconds": round(time.perf_counter() - started, 1),
    }


def run_browser(
    servers: list[Server], *, sweeps: int, load_repeats: int, out_dir: Path
) -> tuple[dict[str, Any], dict[str, list[list[str]]]]:
    """Run the browser benchmarks; returns results and the recorded step payloads."""
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=chromium_args())
        try:
            loads = first_loads(browser, servers, repeats=load_repeats)
            steps, payloads = slider_steps(browser, servers, sweeps=sweeps)
            version = browser.version
        finally:
            browser.close()
    results = {
        "chromium": version,
        "slider": steps,
        "first_load": loads,
        "seconds": round(time.perf_counter() - started, 1),
    }
    return results, payloads
