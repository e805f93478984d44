"""Turn a view into what the page shows: map paints, titles, legend, cards and region rows.

Pure functions of (AppData, View); the callbacks only route their results to components.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from dash import dcc, html

from ..figures import RegionPaint, paint_regions
from ..ground import ADD_LAYER_HINT, LayerFigures, on_the_ground
from ..legend import (
    LEGEND,
    UNREVIEWED_LEGEND,
    UNREVIEWED_TEXT,
    LegendEntry,
    actor_name,
    legend_entry,
    voiced,
)
from ..regions import REGIONS
from ..timeline import RegionState, Selection, format_date
from ..types import Claim, ControlFact, Disposition, Evidence
from .data import AppData
from .live import Snapshot
from .view import View


def html_block(block_id: str, store_id: str, content: str, **props: Any) -> list[Any]:
    """Show HTML written by this module: a container, and the store it is filled from.

    The side panel is drawn as a few blocks of HTML rather than one component per element
    (Dash's work in the browser at every slider step grows with the number of components).
    Callbacks write a block's HTML into its store (``store_id``: ``block_id`` + "-html");
    ``showHtml`` in assets/mapdash.js puts it in the container, keeping only the elements
    and attributes this module writes. Every text in ``content`` was escaped by ``_text``
    and ``_tag``.
    """
    return [html.Div(id=block_id, **props), dcc.Store(id=store_id, data=content)]


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
        paint=paint_regions(
            states,
            articles=data.articles,
            highlight=highlight,
            notice=data.timeline.not_yet(selection, date) or "",
        ),
    )


def no_layer_text(snapshot: Snapshot | None, date: dt.date) -> str:
    """Say that no control layer is in force at ``date`` and how to add one ("" if one is)."""
    if snapshot is None or not snapshot.layers:
        return ADD_LAYER_HINT
    if snapshot.layer_at(date) is not None:
        return ""
    first = min(layer.date for layer in snapshot.layers)
    return (
        f"No control layer on or before {format_date(date)} (the first is dated "
        f"{format_date(first)}), so the line of contact is not drawn and the km2 are article "
        "figures; add an older layer under Update the geodata or with 'mapdash swap FILE "
        "--kind control --date YYYY-MM-DD'."
    )


def layer_figures(snapshot: Snapshot | None, date: dt.date) -> LayerFigures | None:
    """Return the control layer in force at ``date`` and what it measures, or None."""
    layer = snapshot.layer_at(date) if snapshot is not None else None
    if snapshot is None or layer is None:
        return None
    return LayerFigures(
        date=layer.date,
        source=layer.file_name,
        held={
            m.region: (m.area_km2, m.occupied_km2) for m in snapshot.measured.get(layer.date, ())
        },
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


def panel_keys(
    data: AppData,
    view: View,
    screen_: Screen,
    layer: LayerFigures | None = None,
    no_layer: str = ADD_LAYER_HINT,
) -> PanelKeys:
    """Summarise what the side panel shows for a view, to skip re-sending unchanged parts."""
    left = screen_.left.states
    layer_key = (layer.date, layer.source, tuple(sorted(layer.held.items()))) if layer else None
    right = screen_.right.paint.legend_keys if screen_.right else ()
    positions = tuple(c.id for c in data.timeline.state(view.date).positions)
    deciding = tuple(s.claim.id for s in left if s.claim)
    control = tuple(f.id for f in data.timeline.control_at(view.date))
    regions = (
        view.selection,
        tuple((s.disposition, s.claim and s.claim.id) for s in left),
        control,
        layer_key,
        no_layer,
    )
    unreviewed = ("unreviewed",) if any(screen_.left.paint.unreviewed) else ()
    return PanelKeys(
        legend=screen_.left.paint.legend_keys + right + unreviewed + (no_layer,),
        cards=(positions, deciding),
        regions=regions,
    )


# -- legend -----------------------------------------------------------------------------------


def legend(screen_: Screen, no_layer: str = ADD_LAYER_HINT) -> str:
    """Every colour with its meaning (HTML); entries on the map(s) now are marked and counted.

    Says how to add a control layer where none is in force (the line of contact is drawn only
    from one), and explains the dotted outline of unreviewed claims when the map shows one.
    """
    shown = list(screen_.left.paint.legend_keys)
    if screen_.right is not None:
        shown += screen_.right.paint.legend_keys
    items = [
        _tag(
            "li",
            _swatch_html(entry)
            + _tag(
                "span",
                _tag("span", _text(entry.label), class_="legend-label")
                + "<br/>"
                + _tag("span", _text(entry.description), class_="legend-description"),
            ),
            class_="legend-item" + (" in-use" if shown.count(entry.key) else ""),
            title=entry.description,
            data_key=entry.key,
        )
        for entry in LEGEND
    ]
    notes = []
    paints = [screen_.left.paint] + ([screen_.right.paint] if screen_.right else [])
    if any(any(p.unreviewed) for p in paints):
        notes.append(
            _tag(
                "li",
                _tag("span", class_="swatch unreviewed-key", aria_hidden="true")
                + _text(UNREVIEWED_LEGEND),
                class_="legend-item in-use unreviewed",
            )
        )
    if no_layer:
        notes.append(_tag("li", _text(no_layer), class_="legend-item no-layer"))
    return _tag("ul", "".join(items + notes), class_="legend-list")


# -- the proposals on the table ----------------------------------------------------------------


def _tag(name: str, content: str = "", **attributes: str) -> str:
    """Write one HTML element; ``content`` is HTML already, attribute values are escaped."""
    attrs_html = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for key, value in attributes.items()
    )
    return f"<{name}{attrs_html}>{content}</{name}>"


def _text(value: str) -> str:
    """Escape text for the cards' HTML, on one line (a blank line would end the HTML block)."""
    return escape(" ".join(value.split()))


def _swatch_html(entry: LegendEntry) -> str:
    """Draw a colour chip as the map draws it (hatched where the map hatches), as HTML."""
    return _tag(
        "span",
        class_="swatch hatched" if entry.hatch else "swatch",
        style=f"background-color: {entry.fill}",
        data_fill=entry.fill,
        aria_hidden="true",
    )


def quote(data: AppData, evidence: Evidence) -> str:
    """Show a quote with its article title, outlet and date (HTML)."""
    article = data.articles.get(evidence.article)
    if article is None:
        source = evidence.article
    else:
        source = f"{article.title}, {article.outlet}, {format_date(article.published)}"
    return _tag(
        "figure",
        _tag("blockquote", _text(f"“{evidence.quote}”")) + _tag("figcaption", _text(source)),
        class_="quote",
    )


def _region_item(key: str, disposition: Disposition) -> str:
    entry = legend_entry(disposition)
    return _tag("li", _swatch_html(entry) + _text(f"{_region_name(key)}: {entry.label}"))


def _quotes(data: AppData, claims: Sequence[Claim], *, open_first: bool) -> str:
    """Show the first quote of each claim when ``open_first``; fold the others away."""
    evidence = [e for claim in claims for e in claim.evidence]
    firsts = [claim.evidence[0] for claim in claims if claim.evidence] if open_first else []
    folded = [e for e in evidence if e not in firsts]
    shown = "".join(quote(data, e) for e in firsts)
    if folded:
        noun = "quote" if len(folded) == 1 else "quotes"
        summary = f"{len(folded)} more {noun}" if firsts else f"{len(folded)} {noun}"
        shown += _tag(
            "details", _tag("summary", _text(summary)) + "".join(quote(data, e) for e in folded)
        )
    return shown


def position_card(data: AppData, claims: Sequence[Claim], date: dt.date, *, selected: bool) -> str:
    """Write the card of one position on the table (HTML): actor, date, summary, regions, quotes.

    ``claims`` are one claim, or the claims of one named proposal known at ``date``. Every text
    is escaped: a claims file is data, never markup.
    """
    newest = max(claims, key=data.timeline.on_table)
    proposal = data.timeline.proposals.get(newest.proposal) if newest.proposal else None
    if proposal is not None:
        states = data.timeline.regions(Selection("proposal", proposal.id), date)
        regions = [_region_item(s.region, s.disposition) for s in states if s.disposition]
        summary = proposal.summary
    else:
        regions = [_region_item(k, d) for k, d in newest.regions.items()]
        summary = newest.summary
    heading = voiced(newest.actor, (c.speaker for c in claims))
    unreviewed = [c for c in claims if c.status == "extracted"]
    parts = [
        _tag(
            "header",
            _tag("h3", _text(heading))
            + _tag("time", _text(claim_when(data, newest)), datetime=newest.date.isoformat()),
        ),
        _tag("p", _text(UNREVIEWED_TEXT), class_="unreviewed-badge") if unreviewed else "",
        _tag("p", _text(proposal.label), class_="proposal-label") if proposal else "",
        _tag("p", _text(summary), class_="summary"),
        _tag("ul", "".join(regions), class_="claim-regions") if regions else "",
        # Quotes of the cards behind the map stay open; the others fold to keep the panel short.
        _quotes(data, claims, open_first=selected),
    ]
    return _tag(
        "article",
        "".join(parts),
        class_=f"card actor-{newest.actor}"
        + (" selected" if selected else "")
        + (" unreviewed" if unreviewed else ""),
        data_claims=" ".join(c.id for c in claims),
        data_status="extracted" if unreviewed else "reviewed",
    )


def claim_when(data: AppData, claim: Claim) -> str:
    """Date a claim with its precision: "6 Aug 2025", or "Feb 2025, first reported 18 Feb 2025"."""
    own = format_date(claim.date, claim.date_precision)
    reported = data.timeline.reported(claim)
    return own if reported == own else f"{own}, first reported {reported}"


def _region_name(key: str) -> str:
    return REGIONS[key].name if key in REGIONS else "All occupied territory"


def on_the_table(data: AppData, view: View) -> str:
    """Cards of the positions on the table at the view's date, the selection's first (HTML).

    Claims of one named proposal share a card; other claims get one each.
    """
    state = data.timeline.state(view.date)
    if not state.positions:
        return _tag(
            "p", _text(f"Nothing on the table yet on {format_date(view.date)}."), class_="empty"
        )
    selected = {s.claim.id for s in data.timeline.regions(view.selection, view.date) if s.claim}
    groups: dict[str, list[Claim]] = {}
    for claim in state.positions:
        groups.setdefault(claim.proposal or claim.id, []).append(claim)
    cards = sorted(groups.values(), key=lambda claims: not any(c.id in selected for c in claims))
    return _tag(
        "div",
        "".join(
            position_card(data, group, view.date, selected=any(c.id in selected for c in group))
            for group in cards
        ),
        class_="cards",
    )


# -- per region: disposition, control, transfer -----------------------------------------------


def _fact_line(data: AppData, fact: ControlFact) -> str:
    source = ""
    if fact.evidence:
        article = data.articles.get(fact.evidence[0].article)
        source = f" ({article.outlet}, {format_date(article.published)})" if article else ""
    return _tag("li", _text(f"{fact.summary}{source}"))


def _decided_by(data: AppData, state: RegionState) -> str:
    """Say which claim decided a region and when (HTML), or that none did."""
    claim = state.claim
    if claim is None:
        return _tag("p", "No claim of the selection names it yet", class_="decided muted")
    who = voiced(claim.actor, [claim.speaker])
    scope = " (said of all occupied territory)" if state.via_all_occupied else ""
    text = f"Decided by: {who}, {claim.kind}, {claim_when(data, claim)}{scope}: {claim.summary}"
    flag = _tag("span", _text(" Unreviewed"), class_="unreviewed-badge")
    return _tag(
        "p",
        _text(text) + (flag if claim.status == "extracted" else ""),
        class_="decided",
        data_claim=claim.id,
    )


def region_rows(
    data: AppData,
    view: View,
    side: MapSide,
    layer: LayerFigures | None = None,
    no_layer: str = ADD_LAYER_HINT,
) -> str:
    """Per region: disposition and the claim deciding it, km2 changing hands, control reported.

    The km2 come from the control layer in force (``layer``) where it measures the region,
    else from the articles' figures, labelled as such; a total line closes the table.
    """
    control = data.timeline.control_at(view.date)
    ground = on_the_ground(side.states, facts=control, areas=data.areas, layer=layer)
    rows = []
    for state, row in zip(side.states, ground.rows, strict=True):
        entry = legend_entry(state.disposition)
        facts = [fact for fact in control if fact.region == state.region]
        known = (
            _tag("ul", "".join(_fact_line(data, f) for f in facts))
            if facts
            else _tag("span", "No control report yet", class_="muted")
        )
        km2 = f"{row.area_km2:,.0f}" if row.area_km2 is not None else ""
        rows.append(
            _tag(
                "tr",
                _tag("th", _text(REGIONS[state.region].name), scope="row")
                + _tag(
                    "td",
                    _swatch_html(entry) + _text(entry.label) + _decided_by(data, state),
                    class_="disposition",
                )
                + _tag(
                    "td",
                    _tag(
                        "p",
                        _tag("strong", _text(row.what))
                        + (
                            " " + _tag("span", _text(f"({row.source})"), class_="source")
                            if row.source
                            else ""
                        ),
                        class_="transfer",
                    )
                    if row.what
                    else "",
                    class_="ground",
                    data_km2=km2,
                    data_basis=row.basis,
                    data_direction=row.direction,
                )
                + _tag("td", known),
                data_region=state.region,
                data_disposition=entry.key,
            )
        )
    head = "".join(
        _tag("th", label, scope="col")
        for label in (
            "Region",
            "Under the selection, and the claim that decides it",
            "Would change hands",
            "Control reported by the articles",
        )
    )
    total = _tag(
        "tr",
        _tag("th", "Total", scope="row")
        + _tag(
            "td",
            _text(ground.total.removeprefix("Total: ")),
            colspan="3",
            data_to_russia=f"{ground.to_russia_km2:.0f}",
            data_to_ukraine=f"{ground.to_ukraine_km2:.0f}",
        ),
        class_="total",
    )
    table = _tag(
        "table",
        _tag("caption", _text(f"Regions under {data.timeline.describe(view.selection)}"))
        + _tag("thead", _tag("tr", head))
        + _tag("tbody", "".join(rows))
        + _tag("tfoot", total),
        class_="region-table",
    )
    whole = [fact for fact in control if fact.region not in REGIONS]
    if whole:
        table = _tag("ul", "".join(_fact_line(data, f) for f in whole), class_="whole") + table
    if layer is None and no_layer:
        table = _tag("p", _text(no_layer), class_="no-layer hint") + table
    return table


def event_note(data: AppData, view: View) -> str:
    """Describe the event the date sits on, for the line under the slider."""
    event = data.timeline.events[data.timeline.event_index(view.date)]
    if event.date > view.date:
        return "Before the first reported event."
    actors = [actor_name(c.actor) for c in event.claims]
    said = ", ".join(
        f"{a} ({actors.count(a)})" if actors.count(a) > 1 else a for a in dict.fromkeys(actors)
    )
    parts = [f"{format_date(event.date, event.precision)}:"]
    if said:
        parts.append(f"new from {said}.")
    if event.control:
        n = len(event.control)
        parts.append(f"{n} control report{'s' if n > 1 else ''}.")
    if event.layer:
        parts.append("Control layer installed for this date.")
    if event.date != view.date:
        parts.append(f"No later event up to {format_date(view.date)}.")
    return " ".join(parts)


def differences_text(screen_: Screen) -> str:
    """Name the regions where compare mode's two maps differ."""
    if screen_.right is None:
        return ""
    if not screen_.differences:
        return "The two maps agree on every region."
    names = ", ".join(REGIONS[r].name for r in screen_.differences)
    return f"Outlined in bold, where the two differ: {names}."
