"""The state of the negotiations at a date: positions on the table, dispositions, control.

Everything here is a pure function of the claims, proposals and control facts; nothing reads
files or knows about the web app.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from .errors import MapdashError, SelectionError
from .legend import actor_name
from .regions import REGION_IDS, REGIONS
from .types import (
    ALL_OCCUPIED,
    CEDED,
    KIND_PRECEDENCE,
    MAIN_ACTORS,
    Bound,
    Claim,
    ControlFact,
    DatePrecision,
    Disposition,
    Evidence,
    Proposal,
    RegionId,
)

SelectionKind = Literal["actor", "proposal"]
#: The regions "all occupied territory" stands for: Ukraine's, not Russia's Kursk.
OCCUPIED_REGIONS: tuple[RegionId, ...] = tuple(
    region_id for region_id in REGION_IDS if REGIONS[region_id].country == "UA"
)
_INVERTED_BOUND: dict[Bound, Bound] = {
    "exact": "exact",
    "about": "about",
    "at_least": "at_most",
    "at_most": "at_least",
}


class ClaimSource(Protocol):
    """Anything that carries the reviewed claims, e.g. ``mapdash.claims.ClaimSet``."""

    @property
    def claims(self) -> Sequence[Claim]:
        """Dated positions."""
        ...

    @property
    def proposals(self) -> Sequence[Proposal]:
        """Named plans."""
        ...

    @property
    def control(self) -> Sequence[ControlFact]:
        """Who holds how much of a region."""
        ...


@dataclass(frozen=True)
class Selection:
    """Whose map to draw: an actor's latest position, or one named proposal."""

    kind: SelectionKind
    key: str

    @property
    def token(self) -> str:
        """The form used in URLs and selectors, e.g. ``actor:russia``."""
        return f"{self.kind}:{self.key}"

    @classmethod
    def parse(cls, token: str) -> Selection:
        """Read ``actor:<id>`` or ``proposal:<id>``.

        Raises
        ------
        SelectionError
            If the token has another shape.
        """
        kind, sep, key = token.strip().partition(":")
        if not sep or not key or kind not in ("actor", "proposal"):
            raise SelectionError(
                f"selection {token!r} not understood; expected 'actor:<actor id>' "
                "(e.g. actor:russia) or 'proposal:<proposal id>'"
            )
        return cls(kind="actor" if kind == "actor" else "proposal", key=key)


@dataclass(frozen=True)
class Option:
    """One entry of the proposal selector."""

    selection: Selection
    label: str
    available_from: dt.date | None


@dataclass(frozen=True)
class Event:
    """A date on which the map can change: the slider's marks.

    ``date`` is the day the claims and control facts of the event went on the table (see
    :func:`on_the_table_from`), or the date of an installed control layer (``layer``).
    """

    date: dt.date
    claims: tuple[Claim, ...]
    control: tuple[ControlFact, ...]
    #: True when an installed control layer is dated on this day.
    layer: bool = False
    #: The slider mark's text; :class:`Timeline` adds the year where two marks could be confused.
    mark: str = ""

    @property
    def label(self) -> str:
        """The slider mark: "6 Aug", "Apr 2025" or "2022" (with the year where needed)."""
        return self.mark or self.short_label

    @property
    def short_label(self) -> str:
        """The day, or the month (year) when every claim is dated to a month (year)."""
        precisions = {c.date_precision for c in self.claims}
        precisions |= {f.date_precision for f in self.control}
        if precisions == {"month"}:
            return self.date.strftime("%b %Y")
        if precisions == {"year"}:
            return str(self.date.year)
        return f"{self.date.day} {self.date.strftime('%b')}"

    @property
    def precision(self) -> DatePrecision:
        """How precisely the event is dated: a month or year only when every claim is."""
        precisions = {c.date_precision for c in self.claims} | {
            f.date_precision for f in self.control
        }
        if len(precisions) == 1 and not self.layer:
            return next(iter(precisions))
        return "day"

    @property
    def title(self) -> str:
        """Who spoke on this date, for tooltips: "Russia, United States"."""
        names = list(dict.fromkeys(actor_name(c.actor) for c in self.claims))
        if not names and self.control:
            names.append("Control reported")
        if self.layer:
            names.append("control layer" if names else "Control layer")
        return f"{format_date(self.date, self.precision)}: {', '.join(names)}"


@dataclass(frozen=True)
class RegionState:
    """A region's disposition under a selection, and the claim that says so."""

    region: RegionId
    disposition: Disposition | None
    claim: Claim | None = None
    #: True when the claim names no region and speaks of all occupied territory.
    via_all_occupied: bool = False

    @property
    def mentioned(self) -> bool:
        """Whether the selection says anything about this region."""
        return self.disposition is not None


@dataclass(frozen=True)
class Transfer:
    """Area a region's disposition would hand over beyond the known line of control."""

    region: RegionId
    area_km2: float
    bound: Bound
    basis: ControlFact | None
    note: str


@dataclass(frozen=True)
class TimelineState:
    """What was known on one date."""

    date: dt.date
    #: Claims that make up some actor's or proposal's current position, newest first.
    positions: tuple[Claim, ...]
    #: Named proposals on the table (at least one claim dated on or before ``date``).
    proposals: tuple[Proposal, ...]
    #: The latest control fact per region and holder, by region order.
    control: tuple[ControlFact, ...]
    #: Every claim made on or before ``date``, newest first.
    claims: tuple[Claim, ...]


def possessive(name: str) -> str:
    """Return the possessive of a name: "Russia's", but "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def format_date(date: dt.date, precision: str = "day") -> str:
    """Format a date the way the dashboard shows it: ``6 Aug 2025``, ``Apr 2025`` or ``2022``."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return date.strftime("%b %Y")
    return f"{date.day} {date.strftime('%b %Y')}"


def date_window(date: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day a date of this precision may mean (2025-11 -> Nov 1-30)."""
    if precision == "year":
        return dt.date(date.year, 1, 1), dt.date(date.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    return date, date


def first_report(evidence: Sequence[Evidence], published: Mapping[str, dt.date]) -> dt.date | None:
    """Return the publication date of the earliest article quoted, or None if none is known."""
    dates = [published[e.article] for e in evidence if e.article in published]
    return min(dates) if dates else None


def on_the_table_from(
    date: dt.date,
    precision: str,
    evidence: Sequence[Evidence],
    published: Mapping[str, dt.date],
) -> dt.date:
    """Return the first day a claim (or control fact) may be shown: never before it was known.

    A day-precision date is its own day. A month or year is a window: the claim is on the table
    from the earliest article that reports it if that article appeared within the window, else
    from the window's last day (a plan "of November" reported in December counts from 30 Nov).
    """
    start, end = date_window(date, precision)
    reported = first_report(evidence, published)
    if reported is not None and start <= reported <= end:
        return reported
    return end


def _kind_rank(kind: str) -> int:
    # A kind this module does not know ranks lowest rather than failing.
    return KIND_PRECEDENCE.index(kind) if kind in KIND_PRECEDENCE else -1


def _claim_regions(claim: Claim) -> dict[RegionId, tuple[Disposition, bool]]:
    """Expand a claim's regions; named regions win over its all-occupied entry."""
    expanded: dict[RegionId, tuple[Disposition, bool]] = {}
    if ALL_OCCUPIED in claim.regions:
        for region_id in OCCUPIED_REGIONS:
            expanded[region_id] = (claim.regions[ALL_OCCUPIED], True)
    for key, disposition in claim.regions.items():
        if key in REGIONS:
            expanded[REGIONS[key].id] = (disposition, False)
    return expanded


def _marks(events: Sequence[Event]) -> tuple[Event, ...]:
    """Give each event its slider mark, with the year wherever two marks could be confused.

    A day mark carries its year when another event has the same day and month in another year,
    and when it is the first mark of its year on a slider spanning several years.
    """
    years = {e.date.year for e in events}
    seen_years: set[int] = set()
    marked = []
    for event in events:
        mark = event.short_label
        first_of_year = event.date.year not in seen_years
        seen_years.add(event.date.year)
        if event.precision == "day" or event.layer:
            mark = f"{event.date.day} {event.date.strftime('%b')}"
            same_day = [
                e
                for e in events
                if e.date.year != event.date.year
                and (e.precision == "day" or e.layer)
                and _day_month(e) == mark
            ]
            if same_day or (len(years) > 1 and first_of_year):
                mark = f"{mark} {event.date.year}"
        marked.append(replace(event, mark=mark))
    return tuple(marked)


def _day_month(event: Event) -> str:
    return f"{event.date.day} {event.date.strftime('%b')}"


class Timeline:
    """The claims in the order they went on the table, queried by date and selection.

    Parameters
    ----------
    claims
        Dated positions, in any order; on the same date and kind a later one in this order wins.
    proposals
        Named plans the claims' ``proposal`` field refers to.
    control
        Control facts reported by the articles.
    published
        Publication date per article id: a claim dated only to a month or a year goes on the
        table when the first article reporting it appeared (see :func:`on_the_table_from`).
    layers
        Dates of the installed control layers: slider marks of their own.
    """

    def __init__(
        self,
        claims: Iterable[Claim],
        proposals: Iterable[Proposal] = (),
        control: Iterable[ControlFact] = (),
        *,
        published: Mapping[str, dt.date] | None = None,
        layers: Iterable[dt.date] = (),
    ) -> None:
        published = published or {}
        given = list(claims)
        facts = list(control)
        #: The first day each claim (by id) may be shown.
        self.known: dict[str, dt.date] = {
            c.id: on_the_table_from(c.date, c.date_precision, c.evidence, published) for c in given
        }
        self.first_reported: dict[str, dt.date | None] = {
            c.id: first_report(c.evidence, published) for c in given
        }
        self._fact_known: dict[str, dt.date] = {
            f.id: on_the_table_from(f.date, f.date_precision, f.evidence, published) for f in facts
        }
        # A stable sort keeps the file order among claims of the same date.
        self.claims: tuple[Claim, ...] = tuple(sorted(given, key=lambda c: self.known[c.id]))
        self._order: dict[str, int] = {c.id: i for i, c in enumerate(given)}
        self.proposals: dict[str, Proposal] = {p.id: p for p in proposals}
        self.control: tuple[ControlFact, ...] = tuple(
            sorted(facts, key=lambda f: self._fact_known[f.id])
        )
        self.layer_dates: tuple[dt.date, ...] = tuple(sorted(set(layers)))
        self._events = self._build_events()
        # Read at every request (each selection in a URL is checked against them).
        self._options: tuple[Option, ...] | None = None
        self._selections: frozenset[Selection] = frozenset()

    @classmethod
    def from_source(
        cls,
        source: ClaimSource,
        *,
        published: Mapping[str, dt.date] | None = None,
        layers: Iterable[dt.date] = (),
    ) -> Timeline:
        """Build a timeline from a loaded claims file (``mapdash.claims.ClaimSet``)."""
        return cls(
            source.claims, source.proposals, source.control, published=published, layers=layers
        )

    def on_table(self, claim: Claim) -> dt.date:
        """Return the first day ``claim`` is on the table (its date, or its window's report)."""
        return self.known.get(claim.id, claim.date)

    def fact_on_table(self, fact: ControlFact) -> dt.date:
        """Return the first day a control fact is known."""
        return self._fact_known.get(fact.id, fact.date)

    def reported(self, claim: Claim) -> str:
        """Say when a claim was first reported: "21 Nov 2025", or its own date ("Nov 2025").

        The article's day is given when the article appeared within the claim's window;
        otherwise the claim's date with its precision.
        """
        start, end = date_window(claim.date, claim.date_precision)
        first = self.first_reported.get(claim.id)
        if first is not None and start <= first <= end:
            return format_date(first)
        return format_date(claim.date, claim.date_precision)

    # -- the slider ---------------------------------------------------------------------------

    def _build_events(self) -> tuple[Event, ...]:
        by_date: dict[dt.date, tuple[list[Claim], list[ControlFact]]] = {}
        for claim in self.claims:
            by_date.setdefault(self.on_table(claim), ([], []))[0].append(claim)
        for fact in self.control:
            by_date.setdefault(self.fact_on_table(fact), ([], []))[1].append(fact)
        for date in self.layer_dates:
            by_date.setdefault(date, ([], []))
        layers = set(self.layer_dates)
        events = [
            Event(date, tuple(claims), tuple(facts), layer=date in layers)
            for date, (claims, facts) in sorted(by_date.items())
        ]
        return _marks(events)

    @property
    def events(self) -> tuple[Event, ...]:
        """Every date with a claim, a control fact or a control layer, oldest first."""
        return self._events

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """First and last event dates (the last may be a control layer's).

        Raises
        ------
        MapdashError
            If there are no claims or control facts at all.
        """
        events = self.events
        if not events:
            raise MapdashError("the claims file holds no dated claims or control facts")
        return events[0].date, events[-1].date

    def event_index(self, date: dt.date) -> int:
        """Index of the last event on or before ``date`` (0 before the first event)."""
        index = 0
        for i, event in enumerate(self.events):
            if event.date <= date:
                index = i
        return index

    # -- the selector -------------------------------------------------------------------------

    def options(self) -> tuple[Option, ...]:
        """Selector entries: the main actors, other actors, then named proposals by date."""
        if self._options is None:
            self._options = self._build_options()
            self._selections = frozenset(option.selection for option in self._options)
        return self._options

    def _build_options(self) -> tuple[Option, ...]:
        first_by_actor: dict[str, dt.date] = {}
        for claim in self.claims:
            if claim.regions:
                first_by_actor.setdefault(claim.actor, self.on_table(claim))
        actors = list(MAIN_ACTORS) + sorted(set(first_by_actor) - set(MAIN_ACTORS))
        options = [
            Option(
                selection=Selection("actor", actor),
                label=f"{actor_name(actor)}: latest position",
                available_from=first_by_actor.get(actor),
            )
            for actor in actors
        ]
        for proposal in sorted(self.proposals.values(), key=lambda p: p.date):
            first = min(
                (self.on_table(c) for c in self.claims if c.proposal == proposal.id),
                default=proposal.date,
            )
            options.append(
                Option(
                    selection=Selection("proposal", proposal.id),
                    label=proposal.label,
                    available_from=first,
                )
            )
        return tuple(options)

    def describe(self, selection: Selection) -> str:
        """Name a selection for titles: "Russia's position" or the proposal's label."""
        if selection.kind == "actor":
            return f"{possessive(actor_name(selection.key))} position"
        proposal = self.proposals.get(selection.key)
        return proposal.label if proposal else selection.key

    def check(self, selection: Selection) -> Selection:
        """Return the selection if it names a known actor or proposal.

        Raises
        ------
        SelectionError
            If it does not; the message lists the choices.
        """
        self.options()
        if selection not in self._selections:
            choices = ", ".join(sorted(s.selection.token for s in self.options()))
            raise SelectionError(f"unknown selection {selection.token!r}; choose one of: {choices}")
        return selection

    def not_yet(self, selection: Selection, date: dt.date) -> str | None:
        """Say on the map that a selection has nothing on the table yet at ``date``, or None.

        "Not yet proposed: first reported 21 Nov 2025" for a named plan picked before it was
        known; "No position on the table yet: first reported Oct 2022" for an actor. None when
        something is on the table, or when the selection has no claim at all.
        """
        claims = [
            c
            for c in self.claims
            if c.regions and (c.actor if selection.kind == "actor" else c.proposal) == selection.key
        ]
        if not claims or any(self.on_table(c) <= date for c in claims):
            return None
        first = min(claims, key=self.on_table)
        lead = (
            "Not yet proposed" if selection.kind == "proposal" else "No position on the table yet"
        )
        text = f"{lead}: first reported {self.reported(first)}"
        shown = format_date(self.on_table(first))
        if shown != self.reported(first):
            text += f", on the map from {shown}"
        return text

    # -- the state at a date ------------------------------------------------------------------

    def _claims_for(self, selection: Selection, date: dt.date) -> list[Claim]:
        return [
            c
            for c in self.claims
            if self.on_table(c) <= date
            and (c.actor if selection.kind == "actor" else c.proposal) == selection.key
        ]

    def regions(self, selection: Selection, date: dt.date) -> tuple[RegionState, ...]:
        """Each region's disposition under the selection as of ``date``.

        The rule (the README's "What the map says at a date"): each region takes the
        selection's most recent claim about it on the table on or before ``date``; a claim about
        all occupied territory speaks for every occupied region it does not name more
        specifically. On the same date the more concrete kind decides (proposal, then demand,
        rejection, position, statement: ``KIND_PRECEDENCE``), then a claim naming the region
        over one about all occupied territory, then the later claim in the file. A named
        proposal's map uses its own claims only, so it keeps its terms whatever its author says
        later. A region no
        claim of the selection mentions has disposition None.
        """
        best: dict[RegionId, tuple[tuple[dt.date, int, bool, int], RegionState]] = {}
        for claim in self._claims_for(selection, date):
            for region_id, (disposition, via_all) in _claim_regions(claim).items():
                rank = (
                    self.on_table(claim),
                    _kind_rank(claim.kind),
                    not via_all,
                    self._order.get(claim.id, 0),
                )
                if region_id not in best or rank > best[region_id][0]:
                    best[region_id] = (rank, RegionState(region_id, disposition, claim, via_all))
        return tuple(
            best[region_id][1] if region_id in best else RegionState(region_id, None)
            for region_id in REGION_IDS
        )

    def state(self, date: dt.date) -> TimelineState:
        """Return the positions, proposals and control known on ``date``.

        The positions are the claims that decide some region for an actor or a proposal, plus
        each actor's newest claims, so that what was just said is always on the table.
        """
        keys = [Selection("actor", a) for a in dict.fromkeys(c.actor for c in self.claims)]
        keys += [Selection("proposal", p) for p in self.proposals]
        shown: dict[str, Claim] = {}
        for selection in keys:
            for region_state in self.regions(selection, date):
                if region_state.claim is not None:
                    shown[region_state.claim.id] = region_state.claim
        known = [c for c in self.claims if self.on_table(c) <= date]
        newest: dict[str, dt.date] = {}
        for claim in known:
            newest[claim.actor] = self.on_table(claim)
        for claim in known:
            if self.on_table(claim) == newest[claim.actor]:
                shown[claim.id] = claim
        positions = tuple(sorted(shown.values(), key=self.on_table, reverse=True))
        proposals = tuple(
            p
            for p in sorted(self.proposals.values(), key=lambda p: p.date, reverse=True)
            if any(c.proposal == p.id for c in known)
        )
        return TimelineState(
            date=date,
            positions=positions,
            proposals=proposals,
            control=self.control_at(date),
            claims=tuple(reversed(known)),
        )

    def control_at(self, date: dt.date) -> tuple[ControlFact, ...]:
        """Return the latest control fact per region and holder known on ``date``.

        A fact without a figure ("Russia controls Luhansk") does not hide an earlier one with a
        figure for the same region and holder: it says no more than that one did.
        """
        latest: dict[tuple[str, str], ControlFact] = {}
        for fact in self.control:
            if self.fact_on_table(fact) <= date:
                key = (fact.region, fact.holder)
                before = latest.get(key)
                if before is None or _has_figure(fact) or not _has_figure(before):
                    latest[key] = fact
        order: dict[str, int] = {region_id: i for i, region_id in enumerate(REGION_IDS)}
        return tuple(
            sorted(latest.values(), key=lambda f: (order.get(f.region, len(order)), f.holder))
        )

    def differences(
        self, left: Sequence[RegionState], right: Sequence[RegionState]
    ) -> tuple[RegionId, ...]:
        """Regions whose disposition differs between two selections (for compare mode)."""
        return tuple(
            a.region for a, b in zip(left, right, strict=True) if a.disposition != b.disposition
        )


def _has_figure(fact: ControlFact) -> bool:
    return fact.area_km2 is not None or fact.share is not None


def transfer_beyond_line(
    state: RegionState, control: Sequence[ControlFact], *, region_area_km2: float
) -> Transfer | None:
    """Area the region's disposition would hand to Russia beyond the known line of control.

    Parameters
    ----------
    state
        The region's disposition under a selection.
    control
        Control facts known at the date (any regions; the latest one for this region is used).
    region_area_km2
        The region's area, to turn a share or the other side's area into km2.

    Returns
    -------
    Transfer or None
        None when the disposition moves no line (to_ukraine, unresolved, not mentioned...) or
        no control fact for the region is known.
    """
    if state.disposition == "frozen":
        return Transfer(
            state.region, 0.0, "exact", None, "Frozen at the line of contact: nothing changes hands"
        )
    if state.disposition not in CEDED:
        return None
    facts = [f for f in control if f.region == state.region]
    if not facts:
        return None
    fact = max(facts, key=lambda f: f.date)
    if fact.holder == "ukraine":
        if fact.area_km2 is not None:
            area = fact.area_km2
        elif fact.share is not None:
            area = fact.share * region_area_km2
        else:
            return None
        bound = fact.bound
    else:
        if fact.share is not None:
            area = (1.0 - fact.share) * region_area_km2
        elif fact.area_km2 is not None:
            area = max(region_area_km2 - fact.area_km2, 0.0)
        else:
            return None
        bound = _INVERTED_BOUND[fact.bound]
    if area == 0:
        note = "Nothing beyond the line: Russia already holds all of it"
    else:
        note = f"Would hand over {_bound_words(bound)}{area:,.0f} km2 that Ukraine holds"
    return Transfer(state.region, area, bound, fact, note)


def _bound_words(bound: Bound) -> str:
    return {"exact": "", "about": "about ", "at_least": "at least ", "at_most": "at most "}[bound]
