"""The vocabulary is defined once: types hold the values, the legend their labels and colours."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from mapdash.legend import (
    ACTOR_NAMES,
    BOUND_WORDS,
    KIND_LABELS,
    LEGEND,
    PRECISION_LABELS,
    PRECISION_SHAPES,
    SHORT_LABELS,
    SHORTEST_LABELS,
    actor_name,
    kind_label,
    legend_entry,
    voiced,
)
from mapdash.types import (
    BOUNDS,
    CLAIM_KINDS,
    DATE_PRECISIONS,
    DISPOSITIONS,
    KIND_PRECEDENCE,
    LEGEND_KEYS,
    MAIN_ACTORS,
    Disposition,
)

ROOT = Path(__file__).resolve().parents[1] / "mapdash"

#: Modules that compute what the map shows; none may need plotly.
PURE = (
    "mapdash.timeline",
    "mapdash.ground",
    "mapdash.briefing",
    "mapdash.claims",
    "mapdash.review",
    "mapdash.legend",
    "mapdash.control",
)
#: Web modules that serve data or forms: Dash loads plotly, but they draw no figure themselves.
DATA_ONLY = ("web/state_data.py", "web/api.py", "web/review.py", "web/layers_api.py")
_DRAWING = {"plotly", "mapdash.figures", "mapdash.control_chart", "mapdash.briefing_page"}


def test_pure_modules_do_not_load_plotly() -> None:
    code = f"import sys, {', '.join(PURE)}; print(sorted(m for m in sys.modules if m == 'plotly'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _imported(path: Path) -> set[str]:
    """Absolute names of the modules a file imports at its top level."""
    names: set[str] = set()
    package = "mapdash." + ".".join(path.relative_to(ROOT).parent.parts)
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rstrip(".").split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                names.add(".".join([*base, node.module or ""]).rstrip("."))
            else:
                names.add(node.module or "")
                names.add((node.module or "").split(".")[0])
    return names


@pytest.mark.parametrize("name", DATA_ONLY)
def test_data_modules_import_no_figure_module(name: str) -> None:
    imported = _imported(ROOT / name)
    assert "mapdash.errors" in imported or "mapdash.legend" in imported
    assert not imported & _DRAWING


def test_every_value_has_one_label_in_type_order() -> None:
    assert DISPOSITIONS == get_args(Disposition)
    assert tuple(entry.key for entry in LEGEND) == LEGEND_KEYS == (*DISPOSITIONS, "not_mentioned")
    assert tuple(SHORT_LABELS) == tuple(SHORTEST_LABELS) == DISPOSITIONS
    assert tuple(KIND_LABELS) == CLAIM_KINDS
    assert sorted(KIND_PRECEDENCE) == sorted(CLAIM_KINDS)
    assert tuple(PRECISION_LABELS) == tuple(PRECISION_SHAPES) == DATE_PRECISIONS
    assert sorted(BOUND_WORDS) == sorted(BOUNDS)
    assert tuple(ACTOR_NAMES) == MAIN_ACTORS


def test_colours_are_distinct_hex_and_only_recognised_is_hatched() -> None:
    fills = [entry.fill for entry in LEGEND]
    assert len(set(fills)) == len(fills)
    assert all(len(f) == 7 and f.startswith("#") for f in fills)
    assert [e.key for e in LEGEND if e.hatch] == ["recognized_russian"]
    assert legend_entry("to_russia").fill == "#D55E00"
    assert legend_entry(None).label == "Not mentioned by the selection"


@pytest.mark.parametrize(
    ("actor", "name"),
    [("united_states", "United States"), ("europe", "Europe"), ("north_korea", "North Korea")],
)
def test_actor_names(actor: str, name: str) -> None:
    assert actor_name(actor) == name


@pytest.mark.parametrize(
    ("actor", "speakers", "heading"),
    [
        # A US envoy describing a Kremlin demand reports it; he does not speak for Moscow.
        ("russia", ["Steve Witkoff"], "Russia, according to Steve Witkoff"),
        (
            "russia",
            ["Vladimir Putin", None, "Steve Witkoff"],
            "Russia (Vladimir Putin), according to Steve Witkoff",
        ),
        # A German chancellor speaks for Europe; the registry's spellings cover "Zelenskyy".
        ("europe", ["Friedrich Merz"], "Europe (Friedrich Merz)"),
        ("europe", ["Volodymyr Zelenskyy"], "Europe, according to Volodymyr Zelenskyy"),
        (
            "ukraine",
            ["Volodymyr Zelenskyy", "Volodymyr Zelenskyy"],
            "Ukraine (Volodymyr Zelenskyy)",
        ),
        ("ukraine", ["A. Spokesperson"], "Ukraine (A. Spokesperson)"),
        ("ukraine", [None], "Ukraine"),
    ],
)
def test_a_speaker_of_another_side_is_named_as_the_source(actor, speakers, heading) -> None:
    assert voiced(actor, speakers) == heading


def test_kind_labels() -> None:
    assert [kind_label(k) for k in CLAIM_KINDS] == [
        "Demand",
        "Proposal",
        "Position",
        "Statement",
        "Rejection",
    ]
    assert kind_label("ultimatum") == "Ultimatum"
