"""Callbacks: thin adapters from component properties to the view and render functions.

One callback: any control (URL, slider, buttons, play ticks, selectors) becomes the one
canonical view, written back to the URL and every control (``sync_controls``), and the view is
drawn (``show_view``). Both are plain functions, tested without a browser.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from ..errors import MapdashError
from ..timeline import Selection, format_date
from . import ids
from .data import AppData
from .layout import compare_date_options
from .live import LiveGeodata, Snapshot
from .render import (
    Screen,
    SliderBook,
    differences_text,
    event_note,
    layer_figures,
    legend,
    map_patch,
    no_layer_text,
    on_the_table,
    panel_keys,
    region_rows,
    screen,
    slider_book,
)
from .view import View, at_event, is_last, parse_date, read_query, step


@dataclass(frozen=True)
class Controls:
    """What ``sync`` writes: the URL, every control's value, the play state and a notice."""

    search: str
    slider: int
    selection: str
    compare: str
    compare_date: str
    playing: bool
    notice: str


def _apply(view: View, data: AppData, trigger: str | None, value: Any) -> View:
    """Apply one control's new value to the view."""
    timeline = data.timeline
    if trigger == ids.SLIDER:
        return at_event(view, timeline, int(value))
    if trigger == ids.SELECTION:
        return replace(view, selection=timeline.check(Selection.parse(value)))
    if trigger == ids.COMPARE:
        compare = timeline.check(Selection.parse(value)) if value else None
        return replace(view, compare=compare)
    if trigger == ids.COMPARE_DATE:
        if value is None:
            # Not a choice ("Same date" is ""): the dropdown dropped a value it did not offer.
            return view
        return replace(view, compare_date=parse_date(value, name="date2") if value else None)
    if trigger == ids.PREVIOUS:
        return step(view, timeline, "previous")
    if trigger in (ids.NEXT, ids.TICKER):
        return step(view, timeline, "next")
    return view


def sync_controls(
    data: AppData, search: str | None, trigger: str | None, value: Any, playing: bool
) -> Controls:
    """Work out the view after a control changed, and the values every control should show.

    Parameters
    ----------
    data
        The app's data.
    search
        The URL's query string before the change.
    trigger
        Id of the component that changed (None on page load; ``ids.URL`` on back/forward).
    value
        Its new value.
    playing
        Whether the play control was running.
    """
    view, notice = read_query(search, data.timeline)
    if trigger == ids.PLAY:
        playing = not playing
        if playing and is_last(view, data.timeline):
            view = at_event(view, data.timeline, 0)
    else:
        try:
            view = _apply(view, data, trigger, value)
        except MapdashError as err:
            notice = str(err)
    if trigger == ids.TICKER and is_last(view, data.timeline):
        playing = False
    return Controls(
        search=view.query(),
        slider=data.timeline.event_index(view.date),
        selection=view.selection.token,
        compare=view.compare.token if view.compare else "",
        compare_date=view.compare_date.isoformat() if view.compare_date else "",
        playing=playing,
        notice=notice or "",
    )


def show_view(
    data: AppData,
    search: str | None,
    *,
    shown: str | None = None,
    snapshot: Snapshot | None = None,
    shown_snapshot: Snapshot | None = None,
) -> tuple[Any, ...]:
    """Everything the callback draws for the URL's view, in the order of ``_SHOW_OUTPUTS``.

    ``shown`` is the query of the view on the page now, if known: parts of the side panel that
    would come out the same are left alone (``no_update``) instead of being sent again.
    ``snapshot`` is the live geodata: the control layer in force at the date is measured in the
    region table (``shown_snapshot``: the one the page was drawn with, if another).
    """
    view, _ = read_query(search, data.timeline)
    drawn = screen(data, view)
    right = drawn.right
    layer = layer_figures(snapshot, view.date)
    no_layer = no_layer_text(snapshot, view.date)
    keys = panel_keys(data, view, drawn, layer, no_layer)
    same = None
    if shown is not None:
        shown_view, shown_screen = _screen_of(data, shown)
        before = shown_snapshot or snapshot
        same = panel_keys(
            data,
            shown_view,
            shown_screen,
            layer_figures(before, shown_view.date),
            no_layer_text(before, shown_view.date),
        )
    return (
        map_patch(drawn.left.paint),
        map_patch(right.paint) if right else no_update,
        drawn.left.title,
        right.title if right else "",
        "maps compare" if right else "maps single",
        differences_text(drawn),
        no_update if same and same.legend == keys.legend else legend(drawn, no_layer),
        no_update if same and same.cards == keys.cards else on_the_table(data, view),
        no_update
        if same and same.regions == keys.regions
        else region_rows(data, view, drawn.left, layer, no_layer),
        format_date(view.date),
        event_note(data, view),
    )


def _screen_of(data: AppData, search: str) -> tuple[View, Screen]:
    view, _ = read_query(search, data.timeline)
    return view, screen(data, view)


_CONTROL_INPUTS = (
    ids.SLIDER,
    ids.COMPARE,
    ids.COMPARE_DATE,
    ids.PREVIOUS,
    ids.NEXT,
    ids.PLAY,
    ids.TICKER,
)
_CONTROL_PROPS = {
    ids.SLIDER: "value",
    ids.COMPARE: "value",
    ids.COMPARE_DATE: "value",
    ids.PREVIOUS: "n_clicks",
    ids.NEXT: "n_clicks",
    ids.PLAY: "n_clicks",
    ids.TICKER: "n_intervals",
}


_SELECTION_BUTTONS = {"type": ids.SELECTION_OPTION, "token": ALL}
#: What ``show_view`` returns, in order.
_SHOW_OUTPUTS = (
    Output(ids.MAP_LEFT, "figure"),
    Output(ids.MAP_RIGHT, "figure"),
    Output(ids.MAP_LEFT_TITLE, "children"),
    Output(ids.MAP_RIGHT_TITLE, "children"),
    Output(ids.MAPS, "className"),
    Output(ids.DIFFERENCES, "children"),
    Output(ids.LEGEND, "children"),
    Output(ids.ON_TABLE, "children"),
    Output(ids.REGION_TABLE, "children"),
    Output(ids.AS_OF, "children"),
    Output(ids.EVENT_NOTE, "children"),
)


def _drawn_with(shown: dict[str, Any] | None, version: dict[str, Any] | None) -> bool:
    """Whether the page was drawn with the geodata version the poll reports."""
    return bool(shown and version and shown.get("data") == version.get("version"))


def _trigger(values: dict[str, Any]) -> tuple[str | None, Any]:
    """Which control fired and its value; a selector button stands for its selection token."""
    trigger = dash.ctx.triggered_id
    if isinstance(trigger, dict):
        return ids.SELECTION, trigger["token"]
    return trigger, values.get(trigger) if trigger else None


def register(app: dash.Dash, data: AppData, live: LiveGeodata | None = None) -> None:
    """Attach the dashboard's callbacks to ``app``.

    One server callback both syncs the controls and draws the view, so that a slider step costs
    a single round trip; the maps' colours for a slider step are applied in the browser from the
    slider book, before that round trip ends. ``live`` is the app's live geodata: the region
    table measures the control layer in force, and is redrawn when the geodata change.
    """
    options = [o.selection.token for o in data.timeline.options()]
    first_event = data.timeline.events[0].date

    @functools.lru_cache(maxsize=64)
    def book_of(undated: View) -> SliderBook:
        return slider_book(data, undated)

    # The URL's own echo of what ``sync`` wrote is dropped here, in the browser; only a query
    # naming another view than the one drawn (back/forward, an opened link) reaches the server.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="navigate"),
        Output(ids.NAVIGATE, "data"),
        Input(ids.URL, "search"),
        State(ids.SHOWN, "data"),
    )
    # A slider move repaints the maps from the book at once; ``sync`` then sends no map.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="paintFromBook"),
        Output(ids.MAP_LEFT, "figure", allow_duplicate=True),
        Output(ids.MAP_RIGHT, "figure", allow_duplicate=True),
        Input(ids.SLIDER, "value"),
        State(ids.BOOK, "data"),
        State(ids.SHOWN, "data"),
        prevent_initial_call=True,
    )
    # The first view's query replaces the opened address instead of pushing a history entry,
    # so that Back from the freshly opened app leaves it.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="replaceFirstQuery"),
        Output(ids.FIRST_QUERY, "data"),
        Input(ids.SHOWN, "data"),
        State(ids.FIRST_QUERY, "data"),
    )

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.SLIDER, "value"),
        Output(_SELECTION_BUTTONS, "aria-pressed"),
        Output(_SELECTION_BUTTONS, "className"),
        Output(ids.COMPARE, "value"),
        Output(ids.COMPARE_DATE, "value"),
        Output(ids.COMPARE_DATE, "options"),
        Output(ids.TICKER, "disabled"),
        Output(ids.PLAY, "children"),
        Output(ids.PLAY, "aria-pressed"),
        Output(ids.NOTICE, "children"),
        Output(ids.SHOWN, "data"),
        Output(ids.BOOK, "data"),
        Output(ids.BOOK_KEY, "data"),
        *_SHOW_OUTPUTS,
        Input(ids.NAVIGATE, "data"),
        Input(_SELECTION_BUTTONS, "n_clicks"),
        Input(ids.DATA_VERSION, "data"),
        *[Input(cid, _CONTROL_PROPS[cid]) for cid in _CONTROL_INPUTS],
        State(ids.URL, "search"),
        State(ids.TICKER, "disabled"),
        State(ids.BOOK_KEY, "data"),
        State(ids.SHOWN, "data"),
    )
    def sync(navigated: str | None, _: Any, version: Any, *values: Any) -> tuple[Any, ...]:
        controls = dict(zip(_CONTROL_INPUTS, values[: len(_CONTROL_INPUTS)], strict=True))
        search, ticker_disabled, page_book, shown = values[len(_CONTROL_INPUTS) :]
        trigger, value = _trigger(controls)
        snapshot = live.snapshot() if live is not None else None
        if trigger == ids.NAVIGATE:
            trigger, search = ids.URL, navigated
        geodata_changed = trigger == ids.DATA_VERSION
        if geodata_changed and _drawn_with(shown, version):
            # The first poll after load reports the version the panel was just drawn with.
            raise PreventUpdate
        if geodata_changed:
            # New geodata (an upload, a dropped file): the same view, its panel measured again.
            trigger = None
        c = sync_controls(data, search, trigger, value, playing=not ticker_disabled)
        view, _notice = read_query(c.search, data.timeline)
        book = book_of(replace(view, date=first_event))
        # The browser painted this slider step from the book it holds.
        painted = trigger == ids.SLIDER and book.key == page_book
        # Rewriting an unchanged query would push a duplicate history entry; on first load the
        # browser replaces the opened address with it (``replaceFirstQuery``).
        # New geodata never changes the view, so it writes no URL either.
        keep_url = trigger is None
        new_search = c.search if c.search != search and not keep_url else no_update
        pressed = [token == c.selection for token in options]
        play = ("❚❚ Pause", "true") if c.playing else ("▶ Play", "false")
        # On load and on back/forward the page may show another view than ``search``.
        drawn = show_view(
            data,
            c.search,
            shown=None if trigger in (None, ids.URL) else search,
            snapshot=snapshot,
        )
        maps = (no_update, no_update) if painted else drawn[:2]
        return (
            new_search,
            no_update if trigger == ids.SLIDER and value == c.slider else c.slider,
            ["true" if p else "false" for p in pressed],
            ["option pressed" if p else "option" for p in pressed],
            c.compare,
            c.compare_date,
            # Only a link (load, back/forward) can bring a second date that is no event.
            compare_date_options(data, view.compare_date)
            if trigger in (None, ids.URL)
            else no_update,
            not c.playing,
            *play,
            c.notice,
            {
                "search": c.search,
                "index": c.slider,
                "data": snapshot.version if snapshot is not None else None,
            },
            no_update if book.key == page_book else book.to_data(),
            no_update if book.key == page_book else book.key,
            *maps,
            *drawn[2:],
        )
