"""The state of the negotiations at a date: positions on the table, dispositions, control.

Everything here is a pure function of the claims, proposals and control facts; nothing reads
files or knows about the web app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from .errors import MapdashError
from .regions import REGION_IDS, REGIONS
from .types import ALL_OCCUPIED, Claim, ClaimKind, ControlFact, Disposition, Proposal, RegionId

SelectionKind = Literal["actor", "proposal"]
Bound = Literal["exact", "at_least", "about", "at_most"]

#: How actors are named on screen; unknown actors are shown title-cased.
ACTOR_NAMES: dict[str, str] = {
    "russia": "Russia",
    "united_states": "United States",
    "ukraine": "Ukraine",
    "europe": "Europe",
}
#: Actors offered in the selector even before they have a dated position.
MAIN_ACTORS: tuple[str, ...] = ("russia", "united_states", "ukraine", "europe")
#: The regions "all occupied territory" stands for: Ukraine's, not Russia's Kursk.
OCCUPIED_REGIONS: tuple[RegionId, ...] = tuple(
    region_id for region_id in REGION_IDS if REGIONS[region_id].country == "UA"
)
#: Kinds of claim from weakest to strongest: an actor's map shows its most concrete word.
#: A rejection (kind of extracted refusals) weighs as a position does, just above it.
KIND_PRECEDENCE: tuple[ClaimKind, ...] = (
    "statement",
    "position",
    "rejection",
    "demand",
    "proposal",
)
#: Dispositions under which a region passes to Russia beyond the line of contact.
_CEDED: frozenset[Disposition] = frozenset({"to_russia", "recognized_russian"})
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
        MapdashError
            If the token has another shape.
        """
        kind, sep, key = token.strip().partition(":")
        if not sep or not key or kind not in ("actor", "proposal"):
            raise MapdashError(
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
    """A date on which something was said: the slider's marks."""

    date: dt.date
    claims: tuple[Claim, ...]
    control: tuple[ControlFact, ...]

    @property
    def label(self) -> str:
        """A short mark label: the day, or the month when every claim is dated to a month."""
        precisions = {c.date_precision for c in self.claims}
        precisions |= {f.date_precision for f in self.control}
        if precisions == {"month"}:
            return self.date.strftime("%b %Y")
        if precisions == {"year"}:
            return str(self.date.year)
        return f"{self.date.day} {self.date.strftime('%b')}"

    @property
    def title(self) -> str:
        """Who spoke on this date, for tooltips: "Russia, United States"."""
        actors = dict.fromkeys(actor_name(c.actor) for c in self.claims)
        names = ", ".join(actors) or "Control reported"
        return f"{format_date(self.date)}: {names}"


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


def actor_name(actor: str) -> str:
    """Return how an actor is named on screen."""
    return ACTOR_NAMES.get(actor, actor.replace("_", " ").title())


def possessive(name: str) -> str:
    """Return the possessive of a name: "Russia's", but "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def format_date(date: dt.date, precision: str = "day") -> str:
    """Format a date the way the dashboard shows it: ``6 Aug 2025`` or ``Apr 2025``."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return date.strftime("%b %Y")
    return f"{date.day} {date.strftime('%b %Y')}"


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


class Timeline:
    """The claims in date order, queried by date and selection.

    Parameters
    ----------
    claims
        Dated positions, in any order; on the same date a later one in this order wins.
    proposals
        Named plans the claims' ``proposal`` field refers to.
    control
        Control facts reported by the articles.
    """

    def __init__(
        self,
        claims: Iterable[Claim],
        proposals: Iterable[Proposal] = (),
        control: Iterable[ControlFact] = (),
    ) -> None:
        # A stable sort keeps the file order among claims of the same date.
        self.claims: tuple[Claim, ...] = tuple(sorted(claims, key=lambda c: c.date))
        self.proposals: dict[str, Proposal] = {p.id: p for p in proposals}
        self.control: tuple[ControlFact, ...] = tuple(sorted(control, key=lambda f: f.date))

    @classmethod
    def from_source(cls, source: ClaimSource) -> Timeline:
        """Build a timeline from a loaded claims file (``mapdash.claims.ClaimSet``)."""
        return cls(source.claims, source.proposals, source.control)

    # -- the slider ---------------------------------------------------------------------------

    @property
    def events(self) -> tuple[Event, ...]:
        """Every date with a claim or a control fact, oldest first."""
        dates = sorted({c.date for c in self.claims} | {f.date for f in self.control})
        return tuple(
            Event(
                date=date,
                claims=tuple(c for c in self.claims if c.date == date),
                control=tuple(f for f in self.control if f.date == date),
            )
            for date in dates
        )

    @property
    def span(self) -> tuple[dt.date, dt.date]:
        """First and last event dates.

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
        first_by_actor: dict[str, dt.date] = {}
        for claim in self.claims:
            if claim.regions:
                first_by_actor.setdefault(claim.actor, claim.date)
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
                (c.date for c in self.claims if c.proposal == proposal.id), default=proposal.date
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
        MapdashError
            If it does not; the message lists the choices.
        """
        known = {option.selection for option in self.options()}
        if selection not in known:
            choices = ", ".join(sorted(s.selection.token for s in self.options()))
            raise MapdashError(f"unknown selection {selection.token!r}; choose one of: {choices}")
        return selection

    # -- the state at a date ------------------------------------------------------------------

    def _claims_for(self, selection: Selection, date: dt.date) -> list[Claim]:
        return [
            c
            for c in self.claims
            if c.date <= date
            and (c.actor if selection.kind == "actor" else c.proposal) == selection.key
        ]

    def regions(self, selection: Selection, date: dt.date) -> tuple[RegionState, ...]:
        """Each region's disposition under the selection as of ``date``.

        For every region the selection's most concrete word on it decides: the latest
        proposal that names it, else the latest demand, else position, else statement
        (``KIND_PRECEDENCE``). A standing demand repeated in a later report therefore does not
        hide the offer on the table; select the demand's own proposal to map it. A region no
        claim of the selection mentions has disposition None.
        """
        best: dict[RegionId, tuple[tuple[int, dt.date], RegionState]] = {}
        for claim in self._claims_for(selection, date):
            rank = (KIND_PRECEDENCE.index(claim.kind), claim.date)
            for region_id, (disposition, via_all) in _claim_regions(claim).items():
                # ">=" so that on equal rank the later claim in file order wins.
                if region_id not in best or rank >= best[region_id][0]:
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
        newest: dict[str, dt.date] = {}
        for claim in self.claims:
            if claim.date <= date:
                newest[claim.actor] = claim.date
        for claim in self.claims:
            if claim.date <= date and claim.date == newest[claim.actor]:
                shown[claim.id] = claim
        positions = tuple(sorted(shown.values(), key=lambda c: c.date, reverse=True))
        proposals = tuple(
            p
            for p in sorted(self.proposals.values(), key=lambda p: p.date, reverse=True)
            if any(c.proposal == p.id and c.date <= date for c in self.claims)
        )
        return TimelineState(
            date=date,
            positions=positions,
            proposals=proposals,
            control=self.control_at(date),
            claims=tuple(c for c in reversed(self.claims) if c.date <= date),
        )

    def control_at(self, date: dt.date) -> tuple[ControlFact, ...]:
        """Return the latest control fact per region and holder known on ``date``."""
        latest: dict[tuple[str, str], ControlFact] = {}
        for fact in self.control:
            if fact.date <= date:
                latest[(fact.region, fact.holder)] = fact
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
    if state.disposition not in _CEDED:
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
