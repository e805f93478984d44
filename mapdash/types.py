"""Small domain records shared by every module: regions, articles, claims, control facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

RegionId = Literal["crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk"]
#: What a claim would mean for a region; labels, colours and hatching are in ``mapdash.legend``.
Disposition = Literal[
    "to_russia",
    "recognized_russian",
    "frozen",
    "demilitarized",
    "exchange",
    "to_ukraine",
    "unresolved",
]
#: Dispositions in legend order.
DISPOSITIONS: tuple[Disposition, ...] = get_args(Disposition)
#: What the legend explains: the dispositions and a region the selection does not mention.
LegendKey = Literal[Disposition, Literal["not_mentioned"]]
LEGEND_KEYS: tuple[LegendKey, ...] = (*DISPOSITIONS, "not_mentioned")
#: Dispositions under which a region passes to Russia beyond the line of contact.
CEDED: frozenset[Disposition] = frozenset({"to_russia", "recognized_russian"})
ClaimKind = Literal["demand", "proposal", "position", "statement", "rejection"]
CLAIM_KINDS: tuple[ClaimKind, ...] = get_args(ClaimKind)
#: Kinds of claim from weakest to strongest: on the same date the most concrete word decides.
#: A rejection (kind of extracted refusals) weighs as a position does, just above it.
KIND_PRECEDENCE: tuple[ClaimKind, ...] = (
    "statement",
    "position",
    "rejection",
    "demand",
    "proposal",
)
DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)
ClaimStatus = Literal["reviewed", "extracted"]
#: Actors every claims file may name and the selector offers even before they have a position
#: (the speakers registry may add more); their display names are in ``mapdash.legend``.
MAIN_ACTORS: tuple[str, ...] = ("russia", "united_states", "ukraine", "europe")
#: Who holds the territory a control fact measures.
Holder = Literal["russia", "ukraine"]
HOLDERS: tuple[Holder, ...] = get_args(Holder)
#: Whether a control fact's figure is exact, a lower or upper bound, or approximate.
Bound = Literal["exact", "at_least", "about", "at_most"]
BOUNDS: tuple[Bound, ...] = get_args(Bound)
#: Key of a claim's ``regions`` mapping that stands for all occupied territory.
ALL_OCCUPIED = "*"


@dataclass(frozen=True)
class Region:
    """One of the six regions the dashboard colours."""

    id: RegionId
    name: str
    country: Literal["UA", "RU"]
    iso_codes: tuple[str, ...]
    hasc_codes: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A news article of the corpus, with the metadata the manifest or its header gives."""

    id: str
    title: str
    outlet: str
    published: dt.date
    text: str
    url: str | None = None
    defects: tuple[str, ...] = ()
    #: The text split into sentences with offsets (filled by ``mapdash.corpus``).
    sentences: tuple[Sentence, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its text and character offsets into the article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """An exact quote from an article; offsets index the article text when known."""

    article: str
    quote: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Claim:
    """One actor's position on the territory at a date, with the quotes behind it."""

    id: str
    date: dt.date
    date_precision: DatePrecision
    actor: str
    kind: ClaimKind
    regions: Mapping[str, Disposition]
    summary: str
    evidence: tuple[Evidence, ...]
    speaker: str | None = None
    proposal: str | None = None
    status: ClaimStatus = "reviewed"
    #: For machine-extracted claims: the extraction rules that produced it, for the reviewer.
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A named plan that several claims can belong to."""

    id: str
    label: str
    actor: str
    date: dt.date
    summary: str


@dataclass(frozen=True)
class ControlFact:
    """What an article says about who holds how much of a region at a date.

    ``holder`` holds ``area_km2`` square kilometres or ``share`` (0-1) of the region; ``bound``
    says whether the figure is exact, a lower bound ("at least") or approximate ("about").
    """

    id: str
    region: str
    date: dt.date
    holder: Holder
    summary: str
    evidence: tuple[Evidence, ...]
    area_km2: float | None = None
    share: float | None = None
    bound: Bound = "exact"
    extra: Mapping[str, str] = field(default_factory=dict)
    date_precision: DatePrecision = "day"
    status: ClaimStatus = "reviewed"
    #: For machine-extracted facts: the extraction rules that produced it.
    rules: tuple[str, ...] = ()
