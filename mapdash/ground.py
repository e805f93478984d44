"""What a selection would mean on the ground: km2 changing hands per region, and their total.

With a control layer in force at the date, the figures are measured from it (the layer's date
and file are named); without one, from the control facts the articles report, labelled as such.
Pure functions; the side panel, the briefing export and ``/api/state`` print the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .legend import BOUND_WORDS
from .regions import REGIONS
from .timeline import RegionState, format_date, transfer_beyond_line
from .types import CEDED, Bound, ControlFact, Disposition

Direction = Literal["to_russia", "to_ukraine", "none", "unknown"]
Basis = Literal["layer", "article", "none"]

#: How to add a control layer, said wherever one would be measured but none is installed.
ADD_LAYER_HINT = (
    "No control layer is installed, so the line of contact is not drawn and nothing is "
    "measured: upload one under Update the geodata, drop it into geodata/, or run "
    "'mapdash swap FILE --kind control'."
)


@dataclass(frozen=True)
class LayerFigures:
    """A control layer in force at a date and what it measures per region (Russian-held km2)."""

    date: dt.date
    source: str
    #: Region id -> (region area km2, Russian-held km2).
    held: Mapping[str, tuple[float, float]]

    @property
    def label(self) -> str:
        """Name the layer as the rows cite it: "control layer of 22 Aug 2026 (file)"."""
        return f"control layer of {format_date(self.date)} ({self.source})"


@dataclass(frozen=True)
class GroundRow:
    """One region: how many km2 would change hands under the selection, and on what basis."""

    region: str
    disposition: Disposition | None
    direction: Direction
    area_km2: float | None
    bound: Bound
    basis: Basis
    #: What changes hands, e.g. "12,420 km2 Ukraine holds would pass to Russia".
    what: str
    #: Where the figure comes from: "measured, control layer of ..." or "article figure: ...".
    source: str = ""

    @property
    def text(self) -> str:
        """The row as one sentence: what changes hands, and the figure's source in brackets."""
        return f"{self.what} ({self.source})" if self.source else self.what

    def to_data(self) -> dict[str, object]:
        """Return the row as JSON-ready data (``/api/state``)."""
        return {
            "region": self.region,
            "direction": self.direction,
            "km2": round(self.area_km2, 1) if self.area_km2 is not None else None,
            "bound": self.bound,
            "basis": self.basis,
            "text": self.text,
            "source": self.source or None,
        }


@dataclass(frozen=True)
class Ground:
    """Every region's row and the total line."""

    rows: tuple[GroundRow, ...]
    layer: LayerFigures | None
    to_russia_km2: float
    to_ukraine_km2: float
    total: str

    def to_data(self) -> dict[str, object]:
        """Return the figures as JSON-ready data (``/api/state``)."""
        return {
            "basis": "layer" if self.layer else "article",
            "layer_date": self.layer.date.isoformat() if self.layer else None,
            "layer_source": self.layer.source if self.layer else None,
            "regions": [row.to_data() for row in self.rows],
            "to_russia_km2": round(self.to_russia_km2, 1),
            "to_ukraine_km2": round(self.to_ukraine_km2, 1),
            "total": self.total,
        }


def _km2(value: float) -> str:
    return f"{value:,.0f} km2"


def _bound_words(bound: Bound) -> str:
    return BOUND_WORDS[bound]


def _from_layer(state: RegionState, layer: LayerFigures) -> GroundRow | None:
    """Measure the row from the layer, or None when the layer cannot tell (e.g. Kursk)."""
    if state.region not in layer.held or REGIONS[state.region].country != "UA":
        return None
    area, held = layer.held[state.region]
    source = f"measured, {layer.label}"
    disposition = state.disposition
    if disposition in CEDED:
        moved = max(area - held, 0.0)
        what = (
            f"{_km2(moved)} Ukraine holds would pass to Russia"
            if moved >= 0.5
            else "nothing changes hands: Russia holds all of it"
        )
        return GroundRow(
            state.region, disposition, "to_russia", moved, "exact", "layer", what, source
        )
    if disposition == "to_ukraine":
        what = (
            f"{_km2(held)} Russia holds would return to Ukraine"
            if held >= 0.5
            else "nothing changes hands: Ukraine holds all of it"
        )
        return GroundRow(
            state.region, disposition, "to_ukraine", held, "exact", "layer", what, source
        )
    if disposition == "frozen":
        what = "nothing changes hands; the line is drawn on the map"
        return GroundRow(state.region, disposition, "none", 0.0, "exact", "layer", what, source)
    return None


def _from_articles(state: RegionState, facts: Sequence[ControlFact], area: float) -> GroundRow:
    """Work a row out from the articles' control facts (labelled as article figures)."""
    disposition = state.disposition
    if disposition == "frozen":
        return GroundRow(
            state.region,
            disposition,
            "none",
            0.0,
            "exact",
            "none",
            "nothing changes hands at the line of contact (no control layer: the line is not "
            "drawn)",
        )
    if disposition in CEDED:
        transfer = transfer_beyond_line(state, facts, region_area_km2=area)
        if transfer is not None and transfer.basis is not None:
            words = _bound_words(transfer.bound)
            what = (
                f"{words}{_km2(transfer.area_km2)} Ukraine holds would pass to Russia"
                if transfer.area_km2 > 0
                else "nothing changes hands"
            )
            return GroundRow(
                state.region,
                disposition,
                "to_russia",
                transfer.area_km2,
                transfer.bound,
                "article",
                what,
                f"article figure: {transfer.basis.summary}",
            )
        return GroundRow(
            state.region,
            disposition,
            "to_russia",
            None,
            "exact",
            "none",
            "the part Ukraine holds would pass to Russia; no article gives a figure",
        )
    if disposition == "to_ukraine" and REGIONS[state.region].country == "UA":
        return GroundRow(
            state.region,
            disposition,
            "to_ukraine",
            None,
            "exact",
            "none",
            "the part Russia holds would return to Ukraine; no article gives a figure",
        )
    if disposition is None:
        return GroundRow(state.region, None, "unknown", None, "exact", "none", "")
    return GroundRow(
        state.region, disposition, "unknown", None, "exact", "none", "no figure can be given"
    )


def on_the_ground(
    states: Sequence[RegionState],
    *,
    facts: Sequence[ControlFact],
    areas: Mapping[str, float],
    layer: LayerFigures | None,
) -> Ground:
    """Work out the km2 that would change hands per region under a selection, and the total.

    Parameters
    ----------
    states
        The regions under the selection at the date (``Timeline.regions``).
    facts
        The control facts the articles report, known at the date (``Timeline.control_at``).
    areas
        Region areas in km2 (full resolution), to turn article shares into km2.
    layer
        The control layer in force at the date and what it measures, or None.

    Returns
    -------
    Ground
        One row per region (layer figures where the layer measures the region, article figures
        labelled as such otherwise) and a total line.
    """
    rows = []
    for state in states:
        row = _from_layer(state, layer) if layer is not None else None
        if row is None:
            row = _from_articles(state, facts, areas.get(state.region, 0.0))
        rows.append(row)
    to_russia = sum(r.area_km2 or 0.0 for r in rows if r.direction == "to_russia")
    to_ukraine = sum(r.area_km2 or 0.0 for r in rows if r.direction == "to_ukraine")
    return Ground(
        rows=tuple(rows),
        layer=layer,
        to_russia_km2=to_russia,
        to_ukraine_km2=to_ukraine,
        total=_total_line(rows, layer, to_russia, to_ukraine),
    )


def _total_line(
    rows: Sequence[GroundRow], layer: LayerFigures | None, to_russia: float, to_ukraine: float
) -> str:
    moving = [r for r in rows if r.direction in ("to_russia", "to_ukraine")]
    if not moving:
        return "Total: nothing would change hands that can be measured."

    def amount(direction: Direction, km2: float) -> str:
        going = [r for r in moving if r.direction == direction]
        if going and all(r.area_km2 is None for r in going):
            return "an area no figure gives"
        lower = any(r.bound == "at_least" or r.area_km2 is None for r in going)
        return f"{'at least ' if lower else ''}{_km2(km2)}"

    basis = f"measured on the {layer.label}" if layer else "article figures"
    if any(r.basis == "article" for r in moving) and layer is not None:
        basis += " and article figures"
    unknown = [REGIONS[r.region].name for r in moving if r.area_km2 is None]
    line = (
        f"Total: {amount('to_russia', to_russia)} to Russia, "
        f"{amount('to_ukraine', to_ukraine)} to Ukraine ({basis})"
    )
    if unknown:
        line += f"; no figure for {', '.join(unknown)}"
    return line + "."


__all__ = [
    "ADD_LAYER_HINT",
    "Ground",
    "GroundRow",
    "LayerFigures",
    "on_the_ground",
]
