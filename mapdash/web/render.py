"""Turn a view into what the page shows: map paints, titles, legend, cards and region rows.

Pure functions of (AppData, View); the callbacks only route their results to components.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import Patch, html

from ..figures import (
    HATCH_TRACES,
    LEGEND,
    REGION_TRACE,
    LegendEntry,
    RegionPaint,
    legend_entry,
    paint_regions,
)
from ..regions import REGIONS
from ..timeline import (
    Event,
    RegionState,
    Selection,
    actor_name,
    format_date,
    transfer_beyond_line,
)
from ..types import Claim, ControlFact, Disposition, Evidence
from .data import AppData
from .view import View, at_event


def attrs(attributes: dict[str, str]) -> dict[str, Any]:
    """Pass ``aria-*`` and ``data-*`` attributes, which are not Python names, to a component."""
    return dict(attributes)


@dataclass(frozen=True)
class MapSide:
    """One map of the page: what it shows and how its regions are painted."""

    selection: Selection
    date: dt.date
    title: str
    states: tuple[RegionState, ...]
    paint: RegionPaint


@dataclass(frozen=True)
class Screen:
    """Everything a view puts on the page."""

    left: MapSide
    right: MapSide | None
    differences: tuple[str, ...]


def map_side(
    data: AppData, selection: Selection, date: dt.date, highlight: Sequence[str]
) -> MapSide:
    """Dispositions and paint of one map."""
    states = data.timeline.regions(selection, date)
    return MapSide(
        selection=selection,
        date=date,
        title=f"{data.timeline.describe(selection)}, as of {format_date(date)}",
        states=states,
        paint=paint_regions(states, articles=data.articles, highlight=highlight),
    )


def screen(data: AppData, view: View) -> Screen:
    """Work out both maps of a view and the regions where they differ."""
    left_states = data.timeline.regions(view.selection, view.date)
    if not view.comparing:
        return Screen(map_side(data, view.selection, view.date, ()), None, ())
    right_selection, right_date = view.right
    right_states = data.timeline.regions(right_selection, right_date)
    differ = data.timeline.differences(left_states, right_states)
    return Screen(
        left=map_side(data, view.selection, view.date, differ),
        right=map_side(data, right_selection, right_date, differ),
        differences=differ,
    )


@dataclass(frozen=True)
class PanelKeys:
    """What the legend, the cards and the region table depend on; equal keys, equal HTML."""

    legend: tuple[str, ...]
    cards: tuple[tuple[str, ...], tuple[str, ...]]
    regions: tuple[object, ...]


def panel_keys(data: AppData, view: View, screen_: Screen) -> PanelKeys:
    """Summarise what the side panel shows for a view, to skip re-sending unchanged parts."""
    left = screen_.left.states
    right = screen_.right.paint.legend_keys if screen_.right else ()
    positions = tuple(c.id for c in data.timeline.state(view.date).positions)
    deciding = tuple(s.claim.id for s in left if s.claim)
    control = tuple(f.id for f in data.timeline.control_at(view.date))
    regions = (
        view.selection,
        tuple((s.disposition, s.claim and s.claim.id) for s in left),
        control,
    )
    return PanelKeys(
        legend=screen_.left.paint.legend_keys + right,
        cards=(positions, deciding),
        regions=regions,
    )


def map_patch(paint: RegionPaint) -> Patch:
    """Update colours, hover text, outlines and hatching of a map figure; no geometry."""
    patch = Patch()
    patch["data"][REGION_TRACE]["z"] = list(paint.z)
    patch["data"][REGION_TRACE]["hovertext"] = list(paint.hovertext)
    patch["data"][REGION_TRACE]["marker"]["line"]["width"] = list(paint.line_width)
    for trace, visible in zip(HATCH_TRACES, paint.hatch_visible, strict=True):
        patch["data"][trace]["visible"] = visible
    return patch


@dataclass(frozen=True)
class SliderBook:
    """The maps' paint at every event date, for the browser to apply when the slider moves.

    ``pages[i]`` holds the Patch of the left map (and of the right one in compare mode) for the
    view moved to event ``i``; ``key`` fingerprints the pages, so the server can tell whether
    the page already holds this book and then send no map at all for a slider step.
    """

    key: str
    pages: tuple[dict[str, Any], ...]

    def to_data(self) -> dict[str, Any]:
        """Return the book as the page stores it."""
        return {"key": self.key, "pages": list(self.pages)}


def slider_book(data: AppData, view: View) -> SliderBook:
    """Paint both maps of ``view`` at each event date (the slider's stops)."""
    pages = []
    for index in range(len(data.timeline.events)):
        drawn = screen(data, at_event(view, data.timeline, index))
        pages.append(
            {
                "left": map_patch(drawn.left.paint).to_plotly_json(),
                "right": map_patch(drawn.right.paint).to_plotly_json() if drawn.right else None,
            }
        )
    digest = hashlib.sha1(json.dumps(pages, sort_keys=True).encode("utf-8"), usedforsecurity=False)
    return SliderBook(key=digest.hexdigest()[:16], pages=tuple(pages))


# -- legend -----------------------------------------------------------------------------------


def swatch(entry: LegendEntry) -> html.Span:
    """Draw a colour chip as the map draws it (hatched where the map hatches)."""
    return html.Span(
        className="swatch hatched" if entry.hatch else "swatch",
        style={"backgroundColor": entry.fill},
        **attrs({"data-fill": entry.fill, "aria-hidden": "true"}),
    )


def legend(screen_: Screen) -> list[Any]:
    """Every colour with its meaning; entries on the map(s) now are marked and counted."""
    shown = list(screen_.left.paint.legend_keys)
    if screen_.right is not None:
        shown += screen_.right.paint.legend_keys
    items = []
    for entry in LEGEND:
        count = shown.count(entry.key)
        items.append(
            html.Li(
                [
                    swatch(entry),
                    html.Span(
                        [
                            html.Span(entry.label, className="legend-label"),
                            html.Br(),
                            html.Span(entry.description, className="legend-description"),
                        ],
                    ),
                ],
                className="legend-item" + (" in-use" if count else ""),
                title=entry.description,
                **attrs({"data-key": entry.key}),
            )
        )
    return [html.Ul(items, className="legend-list")]


# -- the proposals on the table ----------------------------------------------------------------


def quote(data: AppData, evidence: Evidence) -> html.Figure:
    """Show a quote with its article title, outlet and date."""
    article = data.articles.get(evidence.article)
    if article is None:
        source = evidence.article
    else:
        source = f"{article.title}, {article.outlet}, {format_date(article.published)}"
    return html.Figure(
        [html.Blockquote(f"“{' '.join(evidence.quote.split())}”"), html.Figcaption(source)],
        className="quote",
    )


def _region_item(key: str, disposition: Disposition) -> html.Li:
    entry = legend_entry(disposition)
    return html.Li([swatch(entry), f"{_region_name(key)}: {entry.label}"])


def _quotes(data: AppData, claims: Sequence[Claim], *, open_first: bool) -> list[Any]:
    """Show the first quote of each claim when ``open_first``; fold the others away."""
    evidence = [e for claim in claims for e in claim.evidence]
    firsts = [claim.evidence[0] for claim in claims if claim.evidence] if open_first else []
    folded = [e for e in evidence if e not in firsts]
    shown: list[Any] = [quote(data, e) for e in firsts]
    if folded:
        noun = "quote" if len(folded) == 1 else "quotes"
        summary = f"{len(folded)} more {noun}" if firsts else f"{len(folded)} {noun}"
        shown.append(html.Details([html.Summary(summary), *[quote(data, e) for e in folded]]))
    return shown


def position_card(
    data: AppData, claims: Sequence[Claim], date: dt.date, *, selected: bool
) -> html.Article:
    """Build the card of one position on the table: actor, date, summary, regions, quotes.

    ``claims`` are one claim, or the claims of one named proposal known at ``date``.
    """
    newest = max(claims, key=lambda c: c.date)
    proposal = data.timeline.proposals.get(newest.proposal) if newest.proposal else None
    if proposal is not None:
        states = data.timeline.regions(Selection("proposal", proposal.id), date)
        regions = [_region_item(s.region, s.disposition) for s in states if s.disposition]
        summary = proposal.summary
    else:
        regions = [_region_item(k, d) for k, d in newest.regions.items()]
        summary = newest.summary
    speakers = ", ".join(dict.fromkeys(c.speaker for c in claims if c.speaker))
    heading = actor_name(newest.actor) + (f" ({speakers})" if speakers else "")
    return html.Article(
        [
            html.Header(
                [
                    html.H3(heading),
                    html.Time(
                        format_date(newest.date, newest.date_precision),
                        dateTime=newest.date.isoformat(),
                    ),
                ]
            ),
            html.P(proposal.label, className="proposal-label") if proposal else None,
            html.P(summary, className="summary"),
            html.Ul(regions, className="claim-regions") if regions else None,
            # Quotes of the cards behind the map stay open; the others fold to keep the panel short.
            *_quotes(data, claims, open_first=selected),
        ],
        className=f"card actor-{newest.actor}" + (" selected" if selected else ""),
        **attrs({"data-claims": " ".join(c.id for c in claims)}),
    )


def _region_name(key: str) -> str:
    return REGIONS[key].name if key in REGIONS else "All occupied territory"


def on_the_table(data: AppData, view: View) -> list[Any]:
    """Cards of the positions on the table at the view's date, the selection's first.

    Claims of one named proposal share a card; other claims get one each.
    """
    state = data.timeline.state(view.date)
    if not state.positions:
        return [html.P(f"Nothing on the table yet on {format_date(view.date)}.", className="empty")]
    selected = {s.claim.id for s in data.timeline.regions(view.selection, view.date) if s.claim}
    groups: dict[str, list[Claim]] = {}
    for claim in state.positions:
        groups.setdefault(claim.proposal or claim.id, []).append(claim)
    cards = sorted(groups.values(), key=lambda claims: not any(c.id in selected for c in claims))
    return [
        position_card(data, claims, view.date, selected=any(c.id in selected for c in claims))
        for claims in cards
    ]


# -- per region: disposition, control, transfer -----------------------------------------------


def _fact_line(data: AppData, fact: ControlFact) -> html.Li:
    source = ""
    if fact.evidence:
        article = data.articles.get(fact.evidence[0].article)
        source = f" ({article.outlet}, {format_date(article.published)})" if article else ""
    return html.Li(f"{fact.summary}{source}")


def region_rows(data: AppData, view: View, side: MapSide) -> html.Table | html.Div:
    """Per region: disposition under the selection, control known, area beyond the line."""
    control = data.timeline.control_at(view.date)
    rows = []
    for state in side.states:
        entry = legend_entry(state.disposition)
        facts = [fact for fact in control if fact.region == state.region]
        transfer = transfer_beyond_line(
            state, control, region_area_km2=data.areas.get(state.region, 0.0)
        )
        rows.append(
            html.Tr(
                [
                    html.Th(REGIONS[state.region].name, scope="row"),
                    html.Td([swatch(entry), entry.label], className="disposition"),
                    html.Td(
                        [
                            html.Ul([_fact_line(data, f) for f in facts])
                            if facts
                            else html.Span("No control report yet", className="muted"),
                            html.P(transfer.note, className="transfer") if transfer else None,
                        ]
                    ),
                ],
                **attrs({"data-region": state.region, "data-disposition": entry.key}),
            )
        )
    whole = [fact for fact in control if fact.region not in REGIONS]
    table = html.Table(
        [
            html.Caption(f"Regions under {data.timeline.describe(view.selection)}"),
            html.Thead(
                html.Tr(
                    [
                        html.Th("Region", scope="col"),
                        html.Th("Under the selection", scope="col"),
                        html.Th("Control known on this date", scope="col"),
                    ]
                )
            ),
            html.Tbody(rows),
        ],
        className="region-table",
    )
    if not whole:
        return table
    return html.Div([html.Ul([_fact_line(data, f) for f in whole], className="whole"), table])


def event_note(data: AppData, view: View) -> str:
    """Describe the event the date sits on, for the line under the slider."""
    event = data.timeline.events[data.timeline.event_index(view.date)]
    if event.date > view.date:
        return "Before the first reported event."
    actors = [actor_name(c.actor) for c in event.claims]
    said = ", ".join(
        f"{a} ({actors.count(a)})" if actors.count(a) > 1 else a for a in dict.fromkeys(actors)
    )
    parts = [f"{format_date(event.date, _precision(event))}:"]
    if said:
        parts.append(f"new from {said}.")
    if event.control:
        n = len(event.control)
        parts.append(f"{n} control report{'s' if n > 1 else ''}.")
    if event.date != view.date:
        parts.append(f"No later event up to {format_date(view.date)}.")
    return " ".join(parts)


def _precision(event: Event) -> str:
    precisions = {c.date_precision for c in event.claims} | {
        f.date_precision for f in event.control
    }
    return "month" if precisions == {"month"} else "day"


def differences_text(screen_: Screen) -> str:
    """Name the regions where compare mode's two maps differ."""
    if screen_.right is None:
        return ""
    if not screen_.differences:
        return "The two maps agree on every region."
    names = ", ".join(REGIONS[r].name for r in screen_.differences)
    return f"Outlined in bold, where the two differ: {names}."
