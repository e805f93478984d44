"""Callbacks: thin adapters from component properties to the view and render functions.

One server callback: any control (URL, slider, buttons, play ticks, selectors) or new geodata
becomes the one canonical view, written back to the URL and every control
(:func:`sync_controls`), and what changed on the page is drawn (:meth:`Dashboard.respond`):
the side panel (:func:`show_view`), the maps (web/maps.py) and the measured control
(web/swap.py). The URL is read into a view once per request and the view passed on.

A slider step costs one request, and its map is painted in the browser before that request
returns: the page holds a *slider book* (``maps.SliderBook``), the maps' paint at every event
for the selections shown, and ``paintFromBook`` (assets/mapdash.js) applies the step's page to
the drawn maps in place. The server then sends no map, unless a control layer came or went.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from ..errors import MapdashError
from ..figures import RegionPaint
from ..timeline import Selection, format_date
from . import ids
from .data import AppData
from .holder import LiveData
from .layout import compare_date_options
from .live import LiveGeodata, Snapshot
from .maps import MapState, Marks, SliderBook, map_output, marks_used, slider_book
from .render import (
    PanelKeys,
    Screen,
    differences_text,
    event_note,
    layer_figures,
    legend,
    no_layer_text,
    on_the_table,
    panel_keys,
    region_rows,
    screen,
)
from .swap import legend_line, measured_children
from .view import View, at_event, default_view, is_last, parse_date, read_query, step


@dataclass(frozen=True)
class Controls:
    """What ``sync`` writes: the view, the URL, every control's value, play state, a notice."""

    view: View
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
        view=view,
        search=view.query(),
        slider=data.timeline.event_index(view.date),
        selection=view.selection.token,
        compare=view.compare.token if view.compare else "",
        compare_date=view.compare_date.isoformat() if view.compare_date else "",
        playing=playing,
        notice=notice or "",
    )


@dataclass(frozen=True)
class Shown:
    """A view and what it puts on the maps, worked out once per request.

    ``snapshot`` is the live geodata it is drawn with (None: the layout's, drawn without).
    """

    view: View
    screen: Screen
    snapshot: Snapshot | None = None

    @classmethod
    def of(cls, data: AppData, view: View, snapshot: Snapshot | None = None) -> Shown:
        """Work out the maps of ``view``."""
        return cls(view, screen(data, view), snapshot)

    def paints(self) -> tuple[RegionPaint, RegionPaint | None]:
        """Return the paint of the first map, and of the second in compare mode."""
        right = self.screen.right
        return self.screen.left.paint, right.paint if right else None


@dataclass(frozen=True)
class Panel:
    """What the page shows around the maps for a view (``no_update``: unchanged, not sent)."""

    left_title: str
    right_title: str
    maps_class: str
    differences: str
    legend: Any
    cards: Any
    regions: Any
    as_of: str
    event_note: str


def _keys(data: AppData, shown: Shown) -> PanelKeys:
    snapshot, date = shown.snapshot, shown.view.date
    layer, no_layer = layer_figures(snapshot, date), no_layer_text(snapshot, date)
    return panel_keys(data, shown.view, shown.screen, layer, no_layer)


def show_view(
    data: AppData,
    now: Shown,
    *,
    before: Shown | None = None,
    cards_of: Callable[[View], str] | None = None,
) -> Panel:
    """Draw the side panel, titles and notes of a view.

    ``before`` is what the page shows now, if known: the legend, cards and region table are
    left alone (``no_update``) where they would come out the same. The live geodata of
    ``now`` are measured in the region table (the control layer in force at the date).
    ``cards_of`` gives a view's cards (``on_the_table`` of ``data``, or a memo of it).
    """
    cards_of = cards_of or functools.partial(on_the_table, data)
    view, drawn, snapshot = now.view, now.screen, now.snapshot
    right = drawn.right
    layer = layer_figures(snapshot, view.date)
    no_layer = no_layer_text(snapshot, view.date)
    keys = _keys(data, now)
    same = _keys(data, before) if before is not None else None
    return Panel(
        left_title=drawn.left.title,
        right_title=right.title if right else "",
        maps_class="maps compare" if right else "maps single",
        differences=differences_text(drawn),
        legend=no_update if same and same.legend == keys.legend else legend(drawn, no_layer),
        cards=no_update if same and same.cards == keys.cards else cards_of(view),
        regions=no_update
        if same and same.regions == keys.regions
        else region_rows(data, view, drawn.left, layer, no_layer),
        as_of=format_date(view.date),
        event_note=event_note(data, view),
    )


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
#: Triggers after which the page may show the view already: its first load (the layout's
#: view) and new geodata (the same view); their maps are repainted only where they differ.
_QUIET_TRIGGERS = (None, ids.DATA_VERSION, ids.UPLOADED)

#: What ``Dashboard.respond`` returns, by name.
OUTPUTS: dict[str, Output] = {
    "search": Output(ids.URL, "search"),
    "slider": Output(ids.SLIDER, "value"),
    "pressed": Output(_SELECTION_BUTTONS, "aria-pressed"),
    "option_class": Output(_SELECTION_BUTTONS, "className"),
    "compare": Output(ids.COMPARE, "value"),
    "compare_date": Output(ids.COMPARE_DATE, "value"),
    "compare_dates": Output(ids.COMPARE_DATE, "options"),
    "ticker_disabled": Output(ids.TICKER, "disabled"),
    "play_label": Output(ids.PLAY, "children"),
    "play_pressed": Output(ids.PLAY, "aria-pressed"),
    "notice": Output(ids.NOTICE, "children"),
    "shown": Output(ids.SHOWN, "data"),
    "book": Output(ids.BOOK, "data"),
    "map_left": Output(ids.MAP_LEFT, "figure"),
    "map_right": Output(ids.MAP_RIGHT, "figure"),
    "left_title": Output(ids.MAP_LEFT_TITLE, "children"),
    "right_title": Output(ids.MAP_RIGHT_TITLE, "children"),
    "maps_class": Output(ids.MAPS, "className"),
    "differences": Output(ids.DIFFERENCES, "children"),
    "legend": Output(ids.LEGEND_HTML, "data"),
    "cards": Output(ids.ON_TABLE_HTML, "data"),
    "regions": Output(ids.REGION_TABLE_HTML, "data"),
    "as_of": Output(ids.AS_OF, "children"),
    "event_note": Output(ids.EVENT_NOTE, "children"),
    "measured": Output(ids.CONTROL_MEASURED, "children"),
    "legend_control": Output(ids.LEGEND_CONTROL, "children"),
}


def _maps_of(shown: dict[str, Any] | None, page_regions: str | None) -> tuple[MapState | None, ...]:
    """Return what each map draws now: the layout's first map on load, else ``shown``'s."""
    if not shown:
        return (MapState(page_regions) if page_regions else None), None
    maps = shown.get("maps") or {}
    return MapState.from_data(maps.get("left")), MapState.from_data(maps.get("right"))


#: Views whose maps and cards are kept per version of the claims side.
_VIEWS_KEPT = 256


@dataclass(frozen=True)
class _Derived:
    """What the dashboard works out once per version of the claims side, not per request."""

    data: AppData
    options: tuple[str, ...]
    first_event: dt.date
    #: The view a page built from this version draws.
    page: Shown
    marks: Marks
    book: Callable[[View], SliderBook]
    #: A view's maps and its cards: pure functions of this version's data and the view, kept
    #: for the views asked for most lately (the event dates of a few selections).
    screen: Callable[[View], Screen]
    cards: Callable[[View], str]

    @classmethod
    def of(cls, data: AppData) -> _Derived:
        return cls(
            data=data,
            options=tuple(o.selection.token for o in data.timeline.options()),
            first_event=data.timeline.events[0].date,
            page=Shown.of(data, default_view(data.timeline)),
            marks=marks_used(data),
            book=functools.lru_cache(maxsize=64)(functools.partial(slider_book, data)),
            screen=functools.lru_cache(maxsize=_VIEWS_KEPT)(functools.partial(screen, data)),
            cards=functools.lru_cache(maxsize=_VIEWS_KEPT)(functools.partial(on_the_table, data)),
        )


class Dashboard:
    """The dashboard's server side: its data, what its page first draws, its slider books.

    Parameters
    ----------
    data
        The app's data; a :class:`~.holder.LiveData` is read once per request, and what the
        dashboard derives from it (selector options, slider books) is kept per version.
    live
        The live geodata (boundaries and control layers).
    """

    def __init__(self, data: AppData, live: LiveGeodata) -> None:
        self.data = data
        self.live = live
        self._lock = threading.Lock()
        self._derived = _Derived.of(self._current())

    def _current(self) -> AppData:
        return self.data.current() if isinstance(self.data, LiveData) else self.data

    def _version(self) -> str | None:
        return self.data.version if isinstance(self.data, LiveData) else None

    def derived(self) -> _Derived:
        """Return what is derived from the data live now (worked out again when it changed)."""
        data = self._current()
        with self._lock:
            if self._derived.data is not data:
                self._derived = _Derived.of(data)
            return self._derived

    def respond(
        self,
        trigger: str | None,
        value: Any,
        *,
        search: str | None,
        playing: bool,
        page_book: str | None,
        page_painted: dict[str, Any] | None = None,
        shown: dict[str, Any] | None,
        page: tuple[str | None, str | None] | None = None,
    ) -> dict[str, Any]:
        """Everything the callback writes after ``trigger`` changed to ``value``, by name.

        Parameters
        ----------
        trigger
            The control that changed (``_CONTROL_INPUTS``, ``ids.SELECTION``, ``ids.URL``),
            ``ids.DATA_VERSION`` or ``ids.UPLOADED`` for new geodata; None, and whatever it is
            while ``shown`` is None, on page load.
        value
            The control's new value (the query string for ``ids.URL``).
        search
            The URL's query string: the view the page showed.
        playing
            Whether the play control was running.
        page_book
            Key of the slider book the page holds.
        page_painted
            The slider step the browser last painted from a book: ``{"key", "index"}``.
        shown
            What the page shows (``ids.SHOWN``), None on page load.
        page
            The boundaries' and the claims side's versions the page was built from
            (``ids.PAGE_REGIONS``, ``ids.PAGE_DATA``); None: those live now.

        Returns
        -------
        dict
            One value per key of ``OUTPUTS``.
        """
        derived = self.derived()
        data = derived.data
        snapshot = self.live.snapshot()
        version = self._version()
        page_regions, page_data = page or (snapshot.regions_version, version)
        if not shown:
            # The page's first answer, whatever fired it (the URL, the first geodata poll).
            trigger, value = None, None
        geodata = trigger in (ids.DATA_VERSION, ids.UPLOADED)
        c = sync_controls(data, search, None if geodata else trigger, value, playing)
        view = c.view
        now = Shown(view, derived.screen(view), snapshot)
        # What the page showed: the layout's view on load (known only if the page was built
        # from the claims live now), else the one last drawn.
        before: Shown | None = derived.page if page_data == version else None
        if shown:
            shown_view = read_query(shown.get("search"), data.timeline)[0]
            before = Shown(shown_view, derived.screen(shown_view), snapshot)
        book = derived.book(replace(view, date=derived.first_event))
        # The browser painted this very slider step from this very book.
        painted = trigger == ids.SLIDER and page_painted == {"key": book.key, "index": c.slider}
        left, right = now.paints()
        shown_left, shown_right = before.paints() if before else (None, None)
        drawn_left, drawn_right = _maps_of(shown, page_regions)
        quiet = trigger in _QUIET_TRIGGERS
        map_left, state_left = map_output(
            snapshot,
            drawn_left,
            left,
            view.date,
            repaint=not painted and (not quiet or left != shown_left),
            marks=derived.marks,
        )
        map_right: Any = no_update
        state_right = drawn_right
        if right is not None:
            map_right, state_right = map_output(
                snapshot,
                drawn_right,
                right,
                view.right[1],
                repaint=not painted and (not quiet or right != shown_right),
                marks=derived.marks,
            )
        # Rewriting an unchanged query would push a duplicate history entry; on first load the
        # browser replaces the opened address with it (``replaceFirstQuery``). New geodata
        # never changes the view, so it writes no URL either.
        keep_url = trigger is None or geodata
        pressed = [token == c.selection for token in derived.options]
        play = ("❚❚ Pause", "true") if c.playing else ("▶ Play", "false")
        # New geodata may change the panel of the same view.
        panel = show_view(data, now, before=None if geodata else before, cards_of=derived.cards)
        same_book = book.key == page_book
        return {
            "search": c.search if c.search != search and not keep_url else no_update,
            "slider": no_update if trigger == ids.SLIDER and value == c.slider else c.slider,
            "pressed": ["true" if p else "false" for p in pressed],
            "option_class": ["option pressed" if p else "option" for p in pressed],
            "compare": c.compare,
            "compare_date": c.compare_date,
            # Only a link (load, back/forward) can bring a second date that is no event.
            "compare_dates": compare_date_options(data, view.compare_date)
            if trigger in (None, ids.URL)
            else no_update,
            "ticker_disabled": not c.playing,
            "play_label": play[0],
            "play_pressed": play[1],
            "notice": c.notice,
            "shown": {
                "search": c.search,
                "index": c.slider,
                "data": snapshot.version,
                "claims": version,
                "maps": {
                    "left": state_left.to_data(),
                    "right": state_right.to_data() if state_right else None,
                },
            },
            "book": no_update if same_book else book.to_data(),
            "map_left": map_left,
            "map_right": map_right,
            **{f.name: getattr(panel, f.name) for f in fields(panel)},
            "measured": measured_children(data, snapshot, view.date),
            "legend_control": legend_line(snapshot.layer_at(view.date)),
        }


def _drawn_with(shown: dict[str, Any] | None, version: dict[str, Any] | None) -> bool:
    """Whether the page was drawn with the geodata and claims versions the poll reports."""
    return bool(
        shown
        and version
        and shown.get("data") == version.get("version")
        and shown.get("claims") == version.get("data")
    )


def _trigger(controls: dict[str, Any]) -> tuple[str | None, Any]:
    """Which input fired and its value; a selector button stands for its selection token.

    A URL to go to wins over new geodata arriving with it (on load, both fire at once).
    """
    if f"{ids.NAVIGATE}.data" in dash.ctx.triggered_prop_ids:
        return ids.NAVIGATE, None
    trigger = dash.ctx.triggered_id
    if isinstance(trigger, dict):
        return ids.SELECTION, trigger["token"]
    return trigger, controls.get(trigger) if trigger else None


def register(app: dash.Dash, data: AppData, live: LiveGeodata) -> None:
    """Attach the dashboard's callbacks to ``app``.

    One server callback both syncs the controls and draws the view, so that a slider step costs
    a single round trip; the maps' colours for a slider step are applied in the browser from the
    slider book, before that round trip ends. ``live`` is the app's live geodata: the maps draw
    its boundaries and control layers, the side panel measures them, and both are redrawn when
    the geodata change.
    """
    dashboard = Dashboard(data, live)

    # The URL's own echo of what ``sync`` wrote is dropped here, in the browser; only a query
    # naming another view than the one drawn (back/forward, an opened link) reaches the server.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="navigate"),
        Output(ids.NAVIGATE, "data"),
        Input(ids.URL, "search"),
        State(ids.SHOWN, "data"),
        # The opened address is read by ``sync``'s first answer (after the first poll).
        prevent_initial_call=True,
    )
    # The browser holds the slider book and paints the user's slider moves from it in place,
    # as the slider's handle moves; ``sync`` then sends no map.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="holdBook"),
        Output(ids.BOOK_KEY, "data"),
        Input(ids.BOOK, "data"),
    )
    # The side panel's blocks of HTML go from their stores into the page.
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash", function_name="showHtml"),
        Output(ids.HTML_SHOWN, "data"),
        Input(ids.LEGEND_HTML, "data"),
        Input(ids.ON_TABLE_HTML, "data"),
        Input(ids.REGION_TABLE_HTML, "data"),
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
        output=OUTPUTS,
        inputs={
            "navigated": Input(ids.NAVIGATE, "data"),
            "selections": Input(_SELECTION_BUTTONS, "n_clicks"),
            "version": Input(ids.DATA_VERSION, "data"),
            "uploaded": Input(ids.UPLOADED, "data"),
            "controls": {cid: Input(cid, _CONTROL_PROPS[cid]) for cid in _CONTROL_INPUTS},
        },
        state={
            "search": State(ids.URL, "search"),
            "ticker_disabled": State(ids.TICKER, "disabled"),
            "page_book": State(ids.BOOK_KEY, "data"),
            "page_painted": State(ids.BOOK_PAINTED, "data"),
            "shown": State(ids.SHOWN, "data"),
            "page_regions": State(ids.PAGE_REGIONS, "data"),
            "page_data": State(ids.PAGE_DATA, "data"),
        },
        # The page's first answer follows the first poll, which waits for the first map to be
        # drawn (web/swap.py): the map is drawn from the layout alone.
        prevent_initial_call=True,
    )
    def sync(
        navigated: str | None,
        selections: Any,
        version: dict[str, Any] | None,
        uploaded: Any,
        controls: dict[str, Any],
        search: str | None,
        ticker_disabled: bool,
        page_book: str | None,
        page_painted: dict[str, Any] | None,
        shown: dict[str, Any] | None,
        page_regions: str | None,
        page_data: str | None,
    ) -> dict[str, Any]:
        trigger, value = _trigger(controls)
        if trigger == ids.NAVIGATE:
            trigger, value = ids.URL, navigated
            search = navigated
        if trigger == ids.DATA_VERSION and _drawn_with(shown, version):
            # The first poll after load reports the version the panel was just drawn with.
            raise PreventUpdate
        return dashboard.respond(
            trigger,
            value,
            search=search,
            playing=not ticker_disabled,
            page_book=page_book,
            page_painted=page_painted,
            shown=shown,
            page=(page_regions, page_data),
        )
