"""Run every benchmark and write bench/results/latest.json and latest.md.

``.venv/bin/python -m bench`` (or ``bench/run``). mapdash and the baseline (bench/baseline_app.py)
are served side by side by gunicorn with the same settings, and measured in the same run, so
that their ratio means something on a noisy machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from .machine import machine
from .report import markdown
from .servers import ROOT, serve

RESULTS = ROOT / "bench" / "results"
PARTS = ("browser", "load", "export", "geojson", "extraction")
#: Parts ``--only`` also takes: a piece of a part (its results replace that piece only).
PIECES = ("first-load",)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


@click.command()
@click.option("--sweeps", default=5, show_default=True, help="Slider sweeps (12 steps each).")
@click.option("--loads", default=5, show_default=True, help="Cold page loads per app.")
@click.option("--users", default=50, show_default=True, help="Simulated users in the load test.")
@click.option("--seconds", default=20.0, show_default=True, help="Load test duration per app.")
@click.option("--articles", default=1000, show_default=True, help="Generated corpus size.")
@click.option(
    "--skip",
    type=click.Choice(PARTS),
    multiple=True,
    help="Leave out a part (repeatable); the load test needs the browser part's payloads.",
)
@click.option(
    "--only",
    type=click.Choice(PARTS + PIECES),
    multiple=True,
    help="Run only this part (repeatable); the other parts keep the results of the last run "
    "in OUT_DIR/latest.json. 'first-load' runs the browser part's cold page loads alone.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=RESULTS,
    show_default=True,
)
def main(
    sweeps: int,
    loads: int,
    users: int,
    seconds: float,
    articles: int,
    skip: tuple[str, ...],
    only: tuple[str, ...],
    out_dir: Path,
) -> None:
    """Run the benchmarks; print and write the results."""
    if only:
        skip = tuple(p for p in PARTS if p not in only)
    from .bigjson import build, measure
    from .browser import run_browser, run_first_loads
    from .exporting import run_export
    from .extraction import run_extraction
    from .load import load_test

    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    with tempfile.TemporaryDirectory(prefix="mapdash-bench-") as tmp:
        work = Path(tmp)
        if "first-load" in only and "browser" in skip:
            with serve("mapdash", work) as app, serve("baseline", work) as baseline:
                click.echo(f"browser: {loads} cold first loads per app ...", err=True)
                results["browser"] = run_first_loads([app, baseline], repeats=loads)
        elif "browser" not in skip or "load" not in skip:
            with serve("mapdash", work) as app, serve("baseline", work) as baseline:
                servers = [app, baseline]
                payloads: dict[str, list[list[str]]] = {}
                if "browser" not in skip:
                    click.echo("browser: first loads and slider steps ...", err=True)
                    results["browser"], payloads = run_browser(
                        servers, sweeps=sweeps, load_repeats=loads, out_dir=work
                    )
                if "load" not in skip and payloads:
                    results["load"] = {}
                    for server in servers:
                        click.echo(f"load: {users} users on {server.name} ...", err=True)
                        results["load"][server.name] = load_test(
                            server.url, payloads[server.name], users=users, seconds=seconds
                        )
        if "export" not in skip:
            click.echo("export: cold, warm and batch ...", err=True)
            results["export"] = run_export()
        if "geojson" not in skip:
            click.echo("geojson: build ~50 MB and validate ...", err=True)
            path = work / "large_regions.geojson"
            results["geojson"] = {**build(path), **measure(path)}
        if "extraction" not in skip:
            click.echo(f"extraction: {articles} generated articles ...", err=True)
            results["extraction"] = run_extraction(work, count=articles)
    results["load_average_end"] = round(os.getloadavg()[0], 2)
    if only:
        results = carry_over(results, out_dir / "latest.json")
    results["ratios"] = ratios(results)
    results["seconds"] = round(time.perf_counter() - started, 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (out_dir / "latest.md").write_text(table, encoding="utf-8")
    click.echo(table)
    click.echo(f"wrote {out_dir / 'latest.json'} and {out_dir / 'latest.md'}", err=True)


def carry_over(results: dict[str, Any], previous: Path) -> dict[str, Any]:
    """Keep the parts this run left out from the previous results, saying from when."""
    if not previous.exists():
        return results
    old = json.loads(previous.read_text(encoding="utf-8"))
    kept: dict[str, str] = {}
    browser, old_browser = results.get("browser"), old.get("browser")
    if browser is not None and "slider" not in browser and old_browser and "slider" in old_browser:
        # Only the first loads ran: the slider steps are the last run's.
        results["browser"] = {**old_browser, **browser, "slider": old_browser["slider"]}
        kept["slider steps"] = old.get("carried_over", {}).get("slider steps", old["when"])
    for part in PARTS:
        if part not in results and part in old:
            results[part] = old[part]
            kept[part] = old.get("carried_over", {}).get(part, old["when"])
    if kept:
        results["carried_over"] = kept
    return results


def ratios(results: dict[str, Any]) -> dict[str, float | None]:
    """Baseline / mapdash for times and bytes (above 1: mapdash is faster or smaller)."""
    out: dict[str, float | None] = {}
    browser = results.get("browser")
    if browser:
        slider = browser.get("slider")
        first = browser["first_load"]
        if slider:
            for key in ("p50_ms", "p95_ms"):
                out[f"slider_{key}"] = _ratio(slider["baseline"][key], slider["mapdash"][key])
            out["bytes_per_step"] = _ratio(
                slider["baseline"]["bytes_down_per_step"],
                slider["mapdash"]["bytes_down_per_step"],
            )
        out["first_load_bytes"] = _ratio(
            first["baseline"]["first_load_bytes"], first["mapdash"]["first_load_bytes"]
        )
        out["map_drawn_ms"] = _ratio(
            first["baseline"]["map_drawn_ms_p50"], first["mapdash"]["map_drawn_ms_p50"]
        )
        out["map_on_screen_ms"] = _ratio(
            first["baseline"].get("map_on_screen_ms_p50"),
            first["mapdash"].get("map_on_screen_ms_p50"),
        )
    load = results.get("load")
    if load and "baseline" in load and "mapdash" in load:
        for key in ("request_p50_ms", "request_p95_ms"):
            out[f"load_{key}"] = _ratio(load["baseline"][key], load["mapdash"][key])
    return out


if __name__ == "__main__":
    main()
