"""Small domain records shared by every module: regions, articles, claims, control facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

RegionId = Literal["crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk"]
Disposition = Literal[
    "to_russia",
    "recognized_russian",
    "frozen",
    "demilitarized",
    "exchange",
    "to_ukraine",
    "unresolved",
]
DISPOSITIONS: tuple[Disposition, ...] = (
    "to_russia",
    "recognized_russian",
    "frozen",
    "demilitarized",
    "exchange",
    "to_ukraine",
    "unresolved",
)
ClaimKind = Literal["demand", "proposal", "position", "statement", "rejection"]
DatePrecision = Literal["day", "month", "year"]
ClaimStatus = Literal["reviewed", "extracted"]
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
    holder: Literal["russia", "ukraine"]
    summary: str
    evidence: tuple[Evidence, ...]
    area_km2: float | None = None
    share: float | None = None
    bound: Literal["exact", "at_least", "about", "at_most"] = "exact"
    extra: Mapping[str, str] = field(default_factory=dict)
    date_precision: DatePrecision = "day"
    status: ClaimStatus = "reviewed"
    #: For machine-extracted facts: the extraction rules that produced it.
    rules: tuple[str, ...] = ()
