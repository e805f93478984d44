"""How the vocabulary is shown: disposition labels, colours and hatching, actor and kind names.

Everything a map, a card, a briefing or an API answer says about a disposition, an actor, a kind
of claim or a date precision comes from here, so the words and colours stay one. No plotly here:
pure modules (timeline, briefing, claims, review, state data) read their labels from this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import cast

from .types import (
    Bound,
    ClaimKind,
    DatePrecision,
    LegendKey,
)


@dataclass(frozen=True)
class LegendEntry:
    """How one disposition is drawn and explained."""

    key: LegendKey
    label: str
    description: str
    fill: str
    #: Diagonal hatching on top of the fill, for states that differ from another only by hue.
    hatch: bool = False


#: Okabe-Ito colours (safe for the common colour-vision deficiencies); the two "Russian"
#: outcomes also differ by hatching, and "not mentioned" by being white. In ``LEGEND_KEYS`` order.
LEGEND: tuple[LegendEntry, ...] = (
    LegendEntry(
        "to_russia",
        "To Russia, whole region",
        "Russia gets the whole region up to its administrative border",
        "#D55E00",
    ),
    LegendEntry(
        "recognized_russian",
        "Recognised as Russian",
        "Russian rule recognised, de jure or de facto",
        "#CC79A7",
        hatch=True,
    ),
    LegendEntry(
        "frozen",
        "Frozen at the front line",
        "Divided at the line of contact; each side keeps what it holds",
        "#F0E442",
    ),
    LegendEntry(
        "demilitarized",
        "Demilitarised zone",
        "A buffer zone without troops",
        "#56B4E9",
    ),
    LegendEntry(
        "exchange",
        "Territory exchange",
        "Part of a swap of territory between the sides",
        "#009E73",
    ),
    LegendEntry(
        "to_ukraine",
        "Stays with / returns to Ukraine",
        "No concession: the region is Ukraine's",
        "#0072B2",
    ),
    LegendEntry(
        "unresolved",
        "Unresolved",
        "Named, but its fate is left open",
        "#A5A5A5",
    ),
    LegendEntry(
        "not_mentioned",
        "Not mentioned by the selection",
        "The selected position or proposal says nothing about this region",
        "#FFFFFF",
    ),
)
#: Position of each key in ``LEGEND`` (the map's z value of a region drawn with it).
LEGEND_INDEX: Mapping[str, int] = {entry.key: i for i, entry in enumerate(LEGEND)}

#: Short words under a region's name on a briefing map, by disposition.
SHORT_LABELS: Mapping[str, str] = {
    "to_russia": "to Russia",
    "recognized_russian": "recognised Russian",
    "frozen": "frozen at the line",
    "demilitarized": "demilitarised",
    "exchange": "exchange",
    "to_ukraine": "Ukraine's",
    "unresolved": "unresolved",
}
#: Animation frames print labels large; one short word keeps neighbours apart.
SHORTEST_LABELS: Mapping[str, str] = {
    **SHORT_LABELS,
    "recognized_russian": "recognised",
    "frozen": "frozen",
}

#: Colour of a control layer's outline and cross-hatching, and of its measured areas.
CONTROL_COLOR = "#7a0019"
#: How an unreviewed claim is explained in the hover text, the legend and the cards.
UNREVIEWED_TEXT = "Unreviewed: machine-extracted claim, not yet checked by a person"
UNREVIEWED_LEGEND = (
    "Dotted black outline: the claim deciding the region is machine-extracted and not yet reviewed"
)

#: How actors are named on screen; unknown actors are shown title-cased.
ACTOR_NAMES: Mapping[str, str] = {
    "russia": "Russia",
    "united_states": "United States",
    "ukraine": "Ukraine",
    "europe": "Europe",
}
#: How kinds of claim are named in selectors and cards.
KIND_LABELS: Mapping[ClaimKind, str] = {
    "demand": "Demand",
    "proposal": "Proposal",
    "position": "Position",
    "statement": "Statement",
    "rejection": "Rejection",
}
#: How date precisions are named in selectors.
PRECISION_LABELS: Mapping[DatePrecision, str] = {
    "day": "Day",
    "month": "Month",
    "year": "Year",
}
#: How a date of each precision is typed.
PRECISION_SHAPES: Mapping[DatePrecision, str] = {
    "day": "YYYY-MM-DD",
    "month": "YYYY-MM",
    "year": "YYYY",
}
#: Words before a control fact's figure ("at least 5,000 km²").
BOUND_WORDS: Mapping[Bound, str] = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "at_most": "at most ",
}


def legend_entry(disposition: LegendKey | None) -> LegendEntry:
    """Return the legend entry a region with this disposition is drawn with."""
    return LEGEND[LEGEND_INDEX[disposition or "not_mentioned"]]


def actor_name(actor: str) -> str:
    """Return how an actor is named on screen."""
    return ACTOR_NAMES.get(actor, actor.replace("_", " ").title())


def voiced(actor: str, speakers: Iterable[str | None]) -> str:
    """Name an actor with the people its claims were heard from.

    A speaker of the actor's own side (or camp: a German minister for Europe) is its voice,
    "Russia (Vladimir Putin)"; anyone else reported the position, "Russia, according to Steve
    Witkoff", so that a US envoy describing a Kremlin demand is not read as speaking for Moscow.
    Speakers the registry of officials does not know are taken as the actor's own.
    """
    from .extract.registry import load_registry  # the registry is read only where it is used

    registry = load_registry()
    camps = {side.id: side.bloc for side in registry.sides}
    own: list[str] = []
    others: list[str] = []
    for name in dict.fromkeys(s for s in speakers if s):
        # The registry's spellings decide, so "Zelenskyy" in a claims file is Zelensky.
        side = next(
            (p.side for p in registry.speakers if re.search(rf"\b(?:{p.match})\b", name)), actor
        )
        (own if actor in (side, camps.get(side)) else others).append(name)
    text = actor_name(actor) + (f" ({', '.join(own)})" if own else "")
    return text + (f", according to {', '.join(others)}" if others else "")


def kind_label(kind: str) -> str:
    """Return how a kind of claim is named on screen."""
    return KIND_LABELS[cast(ClaimKind, kind)] if kind in KIND_LABELS else kind.capitalize()


__all__ = [
    "ACTOR_NAMES",
    "BOUND_WORDS",
    "CONTROL_COLOR",
    "KIND_LABELS",
    "LEGEND",
    "LEGEND_INDEX",
    "PRECISION_LABELS",
    "PRECISION_SHAPES",
    "SHORTEST_LABELS",
    "SHORT_LABELS",
    "UNREVIEWED_LEGEND",
    "UNREVIEWED_TEXT",
    "LegendEntry",
    "actor_name",
    "kind_label",
    "voiced",
    "legend_entry",
]
