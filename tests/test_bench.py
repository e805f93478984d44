"""The benchmark harness: its yardstick, its statistics and its table (the runs are in bench/)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, ROOT

sys.path.insert(0, str(ROOT))

from bench.__main__ import ratios  # noqa: E402
from bench.baseline_app import create_baseline_app  # noqa: E402
from bench.browser import chromium_args, percentile  # noqa: E402
from bench.extraction import generate  # noqa: E402
from bench.report import markdown  # noqa: E402


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0


def test_browser_flags_are_the_test_suites() -> None:
    assert chromium_args() == CHROMIUM_ARGS


def test_baseline_resends_the_full_geometry_every_step() -> None:
    app = create_baseline_app()
    client = app.server.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    body = {
        "output": "map-left.figure",
        "outputs": {"id": "map-left", "property": "figure"},
        "inputs": [{"id": "date-slider", "property": "value", "value": 7}],
        "changedPropIds": ["date-slider.value"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    figure = response.get_json()["response"]["map-left"]["figure"]
    geometries = [f["geometry"] for t in figure["data"] for f in t["geojson"]["features"]]
    # Every trace carries all six full-resolution regions: thousands of vertices each step.
    assert len(geometries) == 6 * len(figure["data"])
    vertices = sum(len(json.dumps(g["coordinates"])) for g in geometries[:6])
    assert vertices > 50_000


def test_generated_corpus_is_reproducible(tmp_path: Path) -> None:
    size = generate(tmp_path / "a", count=5)
    again = generate(tmp_path / "b", count=5)
    assert size == again
    first = (tmp_path / "a" / "gen_00000.txt").read_text(encoding="utf-8")
    assert first == (tmp_path / "b" / "gen_00000.txt").read_text(encoding="utf-8")
    assert first.startswith("Title: Generated report 0\nDate: 20")


SAMPLE = {
    "when": "2026-01-01T00:00:00+00:00",
    "machine": {
        "cpu": "Test CPU",
        "cores_usable": 2,
        "memory_gb": 8.0,
        "python": "3.11.7",
        "packages": {"dash": "4.4.1", "plotly": "7.1.0"},
        "load_average_1_5_15": [1.0, 1.0, 1.0],
    },
    "browser": {
        "chromium": "156",
        "slider": {
            name: {
                "steps": 60,
                "p50_ms": p50,
                "p95_ms": p50 * 2,
                "callbacks_per_step": 1,
                "bytes_down_per_step": down,
                "steps_with_geometry": geo,
            }
            for name, p50, down, geo in (("mapdash", 50.0, 3000, 0), ("baseline", 200.0, 69000, 60))
        },
        "first_load": {
            name: {
                "first_load_bytes": 2_000_000,
                "map_drawn_ms_p50": drawn,
                "map_on_screen_ms_p50": on_screen,
            }
            for name, drawn, on_screen in (("mapdash", 1500.0, 900.0), ("baseline", 3000.0, 3000.0))
        },
    },
}


def test_ratios_say_how_many_times_faster_mapdash_is() -> None:
    out = ratios(SAMPLE)
    assert out["slider_p50_ms"] == 4.0
    assert out["bytes_per_step"] == 23.0
    assert out["first_load_bytes"] == 1.0


def test_table_reports_machine_ratios_and_geometry() -> None:
    table = markdown({**SAMPLE, "ratios": ratios(SAMPLE)})
    assert table.startswith("Run 2026-01-01T00:00:00+00:00 on Test CPU, 2 cores")
    assert "| slider step to redraw, p50 (60 / 60 steps) | 50 ms | 200 ms | 4.00x |" in table
    assert "| callbacks per step; steps that resent geometry | 1; 0 | 1; 60 | |" in table
    # The first map on screen (the early one, before Dash) and Dash's own, both reported.
    assert "| navigation to first map on screen, p50 | 900 ms | 3000 ms | 3.33x |" in table
    assert (
        "| navigation to map drawn (Dash's, interactive), p50 | 1500 ms | 3000 ms | 2.00x |"
    ) in table


@pytest.mark.parametrize("name", ["latest.json", "latest.md"])
def test_committed_results_exist(name: str) -> None:
    assert (ROOT / "bench" / "results" / name).is_file()
