"""Long command-line runs show a progress bar in a terminal, and keep logs clean elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

import mapdash.cli
from mapdash.cli import main

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def test_extraction_shows_progress_in_a_terminal(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapdash.cli, "_stderr_is_terminal", lambda: True)
    result = runner.invoke(main, ["extract", *map(str, SEEDS), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Extracting" in result.stderr
    # The candidates themselves still go to stdout alone.
    assert result.stdout.lstrip().startswith("[")


def test_no_progress_bar_when_not_a_terminal(runner) -> None:
    result = runner.invoke(main, ["extract", *map(str, SEEDS), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Extracting" not in result.output
