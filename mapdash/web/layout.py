"""The page: title bar, selection and compare controls, timeline, maps and side panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from dash import dcc, html

from ..legend import CONTROL_COLOR
from ..timeline import Event, Option, format_date
from . import ids
from .batch import batch_section
from .chart import NO_CLOUD, chart_section
from .data import AppData
from .download import credits_text, download_section
from .maps import marks_used, web_figure
from .render import attrs, event_note, html_block, legend, on_the_table, region_rows, screen
from .state_data import state_links_section
from .swap import control_section, poll_components
from .view import View

PLAY_INTERVAL_MS = 1800
#: The second map before compare mode first opens: nothing to draw, no geometry sent.
BLANK: dict[str, Any] = {
    "data": [],
    "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}},
}
#: The compare lists' open height in pixels: ten or more of their options in view.
DROPDOWN_HEIGHT = 420


def graph_config(topojson_url: str) -> dict[str, Any]:
    """Return the maps' plotly config: local topojson, no logo, wheel zoom, small mode bar."""
    return {
        **NO_CLOUD,
        # Plotly's geo subplot would otherwise fetch world topojson from its CDN.
        "topojsonURL": topojson_url,
        "displaylogo": False,
        "scrollZoom": True,
        "responsive": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"],
    }


def selection_button(option: Option, *, pressed: bool) -> html.Button:
    """Build one toggle of the selector; ``aria-pressed`` marks the map being shown."""
    token = option.selection.token
    label = option.label.replace(": latest position", "")
    return html.Button(
        label,
        id={"type": ids.SELECTION_OPTION, "token": token},
        className="option pressed" if pressed else "option",
        **attrs({"aria-pressed": "true" if pressed else "false"}),
    )


def _selection_control(data: AppData, view: View) -> html.Div:
    options = data.timeline.options()
    groups = (
        ("Latest position of", "actor", "selection-actors"),
        ("A named proposal", "proposal", "selection-proposals"),
    )
    return html.Div(
        [
            html.H2("Whose map", className="group-title"),
            *[
                html.Div(
                    [
                        html.P(title, id=group_id, className="hint"),
                        *[
                            selection_button(o, pressed=o.selection == view.selection)
                            for o in options
                            if o.selection.kind == kind
                        ],
                    ],
                    role="group",
                    className="selection-list",
                    **attrs({"aria-labelledby": group_id}),
                )
                for title, kind, group_id in groups
            ],
        ],
        id=ids.SELECTION,
        className="control-group",
    )


def compare_date_options(data: AppData, date: dt.date | None) -> list[dict[str, str]]:
    """Return the second map's date choices: the same date, every event, and ``date``.

    A link may name a second date that is no event; it is offered too, since Dash's Dropdown
    drops a value that is not among its options (and with it the comparison).
    """
    options = [{"label": "Same date", "value": ""}] + [
        {
            "label": e.title,
            "value": e.date.isoformat(),
        }
        for e in data.timeline.events
    ]
    if date is not None and date.isoformat() not in {o["value"] for o in options}:
        options.append({"label": f"{format_date(date)} (from the link)", "value": date.isoformat()})
        options[1:] = sorted(options[1:], key=lambda o: o["value"])
    return options


def _compare_control(data: AppData, view: View) -> html.Div:
    selections = [{"label": "No comparison", "value": ""}] + [
        {"label": o.label, "value": o.selection.token} for o in data.timeline.options()
    ]
    return html.Div(
        [
            html.H2("Compare", className="group-title"),
            html.Label("Second map shows", htmlFor=ids.COMPARE, id=f"{ids.COMPARE}-label"),
            dcc.Dropdown(
                id=ids.COMPARE,
                options=selections,
                value=view.compare.token if view.compare else "",
                clearable=False,
                searchable=False,
                maxHeight=DROPDOWN_HEIGHT,
            ),
            html.Label("at the date", htmlFor=ids.COMPARE_DATE, id=f"{ids.COMPARE_DATE}-label"),
            dcc.Dropdown(
                id=ids.COMPARE_DATE,
                options=compare_date_options(data, view.compare_date),
                value=view.compare_date.isoformat() if view.compare_date else "",
                clearable=False,
                searchable=False,
                maxHeight=DROPDOWN_HEIGHT,
            ),
            html.P(
                "Pick a second position or proposal, or the same one at another date; regions "
                "that differ are outlined in bold.",
                className="hint",
            ),
        ],
        className="control-group",
    )


def slider_marks(events: tuple[Event, ...]) -> dict[int, dict[str, Any]]:
    """Label the slider's marks; a control layer's date is drawn apart, in the overlay's red."""
    marks: dict[int, dict[str, Any]] = {}
    for i, event in enumerate(events):
        if event.layer and not event.claims:
            marks[i] = {
                "label": f"▲ {event.label}",
                "style": {"color": CONTROL_COLOR, "fontStyle": "italic"},
            }
        else:
            marks[i] = {"label": event.label}
    return marks


def _timeline_bar(data: AppData, view: View) -> html.Section:
    events = data.timeline.events
    return html.Section(
        [
            html.Div(
                [
                    html.Button(
                        "◀ Previous", id=ids.PREVIOUS, className="step", title="Previous event"
                    ),
                    html.Button(
                        "▶ Play",
                        id=ids.PLAY,
                        className="play",
                        title="Step through the events",
                        **attrs({"aria-pressed": "false"}),
                    ),
                    html.Button("Next ▶", id=ids.NEXT, className="step", title="Next event"),
                ],
                className="buttons",
                role="group",
                **attrs({"aria-label": "Timeline controls"}),
            ),
            html.Div(
                dcc.Slider(
                    id=ids.SLIDER,
                    min=0,
                    max=len(events) - 1,
                    step=1,
                    value=data.timeline.event_index(view.date),
                    marks=slider_marks(events),
                    allow_direct_input=False,
                    updatemode="mouseup",
                ),
                className="slider",
                title="Event dates (▲ in red: a control layer's date); use the arrow keys to step",
            ),
            html.Div(
                [
                    html.Span("As of ", className="as-of-prefix"),
                    html.Strong(format_date(view.date), id=ids.AS_OF),
                ],
                className="as-of",
                **attrs({"aria-live": "polite"}),
            ),
            html.P(event_note(data, view), id=ids.EVENT_NOTE, className="event-note"),
            dcc.Interval(id=ids.TICKER, interval=PLAY_INTERVAL_MS, disabled=True),
        ],
        className="timeline",
        **attrs({"aria-label": "Date"}),
    )


def _map_panel(map_id: str, title_id: str, figure: Any, config: dict[str, Any]) -> html.Div:
    return html.Div(
        [
            html.H2(id=title_id, className="map-title"),
            html.Div(
                dcc.Graph(
                    id=map_id, figure=figure, config=cast(Any, config), className="map-graph"
                ),
                className="map-frame",
            ),
        ],
        className="map-panel",
        role="figure",
        **attrs({"aria-labelledby": title_id}),
    )


def page(
    data: AppData,
    view: View,
    *,
    topojson_url: str,
    editor: Sequence[Any] = (),
    drawn: str | None = None,
    data_version: str | None = None,
) -> html.Div:
    """Build the whole page for the first view; callbacks then patch it.

    Parameters
    ----------
    data
        The loaded claims, geodata and articles.
    view
        The view the page opens with (the URL's view replaces it on load).
    topojson_url
        Where the browser finds plotly's world topojson (the app's own assets).
    editor
        The editor's controls (upload form, layer panel) at the end of the side panel; a
        page for viewers has none.
    drawn
        The live boundaries' version ``data.regions`` comes from, so that the page's
        callbacks know which boundaries its maps draw.
    data_version
        The claims and articles' version the page is built from (a later one offers a refresh).
    """
    first = screen(data, view)
    figure = web_figure(data.regions, data.context, first.left.paint, marks_used(data))
    config = graph_config(topojson_url)
    first_event, last_event = data.timeline.events[0], data.timeline.events[-1]
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.NAVIGATE),
            dcc.Store(id=ids.SHOWN),
            dcc.Store(id=ids.BOOK),
            dcc.Store(id=ids.BOOK_KEY),
            dcc.Store(id=ids.BOOK_PAINTED),
            dcc.Store(id=ids.HTML_SHOWN),
            dcc.Store(id=ids.FIRST_QUERY),
            html.Header(
                [
                    html.Div(
                        [
                            html.H1("Territory on the table"),
                            html.P(
                                "What Russia, the United States, Ukraine and Europe proposed for "
                                "Crimea, Donbas, Kherson, Zaporizhzhia and Kursk, "
                                f"{format_date(first_event.date, first_event.precision)} to "
                                f"{format_date(last_event.date, last_event.precision)}",
                                className="subtitle",
                            ),
                        ]
                    ),
                    html.P(
                        "The address bar holds the date, selection and comparison: copy it to "
                        "share this view.",
                        className="share-hint",
                    ),
                ],
                className="titlebar",
            ),
            html.Div(id=ids.NOTICE, className="notice", role="status"),
            *poll_components(drawn, data_version),
            html.Main(
                [
                    html.Nav(
                        [
                            _selection_control(data, view),
                            _compare_control(data, view),
                            download_section(),
                            state_links_section(view),
                            batch_section(),
                        ],
                        className="controls",
                        **attrs({"aria-label": "Selection"}),
                    ),
                    html.Div(
                        [
                            _timeline_bar(data, view),
                            html.Div(
                                [
                                    _map_panel(ids.MAP_LEFT, ids.MAP_LEFT_TITLE, figure, config),
                                    # Drawn when compare mode first opens (maps.map_output).
                                    _map_panel(ids.MAP_RIGHT, ids.MAP_RIGHT_TITLE, BLANK, config),
                                ],
                                id=ids.MAPS,
                                className="maps single",
                            ),
                            html.P(id=ids.DIFFERENCES, className="differences"),
                            html.Section(
                                [
                                    html.H2("Legend"),
                                    *html_block(ids.LEGEND, ids.LEGEND_HTML, legend(first)),
                                    html.P(id=ids.LEGEND_CONTROL, className="legend-control"),
                                ],
                                className="legend",
                                **attrs({"aria-label": "Legend"}),
                            ),
                            html.Section(
                                [
                                    html.H2("Regions, control and what would change hands"),
                                    *html_block(
                                        ids.REGION_TABLE,
                                        ids.REGION_TABLE_HTML,
                                        region_rows(data, view, first.left),
                                    ),
                                ],
                                className="regions",
                            ),
                        ],
                        className="center",
                    ),
                    html.Aside(
                        [
                            html.H2("On the table"),
                            *html_block(ids.ON_TABLE, ids.ON_TABLE_HTML, on_the_table(data, view)),
                            control_section(),
                            chart_section(),
                            *editor,
                        ],
                        className="panel",
                    ),
                ],
                className="layout",
            ),
            html.Section(
                [
                    html.P(
                        "Sources: claims reviewed from the articles cited on each card. "
                        "Colours: Okabe-Ito palette, safe for colour-vision deficiencies."
                    ),
                    html.P(credits_text((None, None), ()), id=ids.CREDITS),
                ],
                className="footer",
                **attrs({"aria-label": "Sources"}),
            ),
        ],
        className="app",
    )
