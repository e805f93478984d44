"""The side panel's chart of control over time (figure: :mod:`mapdash.control_chart`).

Two callbacks:

- ``draw`` (server) builds the chart from the live control layers after the page's first poll
  (which follows the first map's drawing) and when the geodata change (the poll's data
  version); the figure is cached per data version, which changes with the set of installed
  layers and the boundaries they are measured on. With fewer than two layers it shows why
  there is no chart instead, and the page has no chart graph.
- ``moveMarker`` (browser, ``assets/chart.js``) moves the as-of marker with the slider and the
  address bar, and onto the view's date once a chart is drawn, as a Patch of two layout
  entries, without a round trip.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections import OrderedDict
from typing import Any

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from ..control_chart import (
    MARKER_LABEL,
    MARKER_SHAPE,
    LayerMeasure,
    control_chart,
    marker_anchor,
    marker_label,
    no_chart_reason,
)
from ..timeline import format_date
from . import ids
from .data import AppData
from .live import LiveGeodata, Snapshot
from .render import attrs
from .view import read_query

#: Plotly's Chart Studio links, off: its defaults name plotly's cloud, which nothing here may reach.
NO_CLOUD: dict[str, Any] = {
    "plotlyServerURL": "",
    "showSendToCloud": False,
    "showEditInChartStudio": False,
}

#: Height of the chart in the side panel, in CSS pixels.
CHART_HEIGHT = 380
#: Figures kept per data version (one per set of installed layers and boundaries).
CACHED_FIGURES = 4
CHART_CONFIG: dict[str, Any] = {
    **NO_CLOUD,
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage", "autoScale2d"],
}


def chart_section() -> html.Section:
    """Build the side panel's section: why there is no chart, or the chart.

    The frame starts empty: ``draw`` puts the chart's graph in it only when there is a chart
    to show. An empty plotly graph, even hidden, costs the page a plot before the map is drawn.
    """
    return html.Section(
        [
            html.H2("Control over time"),
            html.P(id=ids.CHART_NOTE, className="hint"),
            html.Div(id=ids.CHART_FRAME, hidden=True),
            dcc.Store(id=ids.CHART_SHOWN),
        ],
        className="control-chart",
        **attrs({"aria-label": "Control over time"}),
    )


def chart_graph(figure: dict[str, Any]) -> dcc.Graph:
    """Return the chart's graph, drawing ``figure``."""
    return dcc.Graph(
        id=ids.CHART,
        figure=figure,
        config=CHART_CONFIG,  # type: ignore[arg-type]
        style={"height": f"{CHART_HEIGHT}px"},
    )


def snapshot_measures(snapshot: Snapshot) -> tuple[LayerMeasure, ...]:
    """Return the live layers with the figures the snapshot measured, oldest first."""
    return tuple(
        LayerMeasure.of(layer, snapshot.measured.get(layer.date, ()))
        for layer in sorted(snapshot.layers, key=lambda layer: layer.date)
    )


def chart_figure(data: AppData, snapshot: Snapshot) -> dict[str, Any] | None:
    """Draw the chart of the snapshot's layers with the marker hidden; None under two layers.

    ``layout.meta.eventDates`` lists the slider's dates, for the browser to move the marker.
    """
    measures = snapshot_measures(snapshot)
    if no_chart_reason(measures) is not None:
        return None
    figure = control_chart(measures, data.timeline.events)
    figure.update_layout(meta={"eventDates": [e.date.isoformat() for e in data.timeline.events]})
    return figure.to_plotly_json()


def at_date(figure: dict[str, Any], date: dt.date) -> dict[str, Any]:
    """Return a copy of a chart with the as-of marker at ``date``."""
    moved = copy.deepcopy(figure)
    shape = moved["layout"]["shapes"][MARKER_SHAPE]
    shape.update(x0=date.isoformat(), x1=date.isoformat(), visible=True)
    label = moved["layout"]["annotations"][MARKER_LABEL]
    anchor = marker_anchor(date, tuple(moved["layout"]["xaxis"]["range"]))
    label.update(
        x=date.isoformat(),
        text=marker_label(date),
        visible=True,
        xanchor=anchor,
        xshift=abs(label["xshift"]) * (1 if anchor == "left" else -1),
    )
    return moved


class ChartCache:
    """Charts by data version: measuring and drawing happen once per set of layers."""

    def __init__(self, data: AppData, *, size: int = CACHED_FIGURES) -> None:
        self.data = data
        self.size = size
        self._figures: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        self._lock = threading.Lock()

    def figure(self, snapshot: Snapshot) -> dict[str, Any] | None:
        """Return the chart of a snapshot (None under two layers), drawn on first request."""
        with self._lock:
            if snapshot.version in self._figures:
                self._figures.move_to_end(snapshot.version)
                return self._figures[snapshot.version]
        drawn = chart_figure(self.data, snapshot)
        with self._lock:
            self._figures[snapshot.version] = drawn
            while len(self._figures) > self.size:
                self._figures.popitem(last=False)
        return drawn


def chart_outputs(
    data: AppData, snapshot: Snapshot, search: str | None, cache: ChartCache
) -> tuple[list[dcc.Graph], str, bool, str]:
    """Return what ``draw`` writes.

    That is the frame's graph (none without a chart), the note, whether the frame is hidden,
    and the data version shown.
    """
    measures = snapshot_measures(snapshot)
    reason = no_chart_reason(measures)
    figure = cache.figure(snapshot)
    if reason is not None or figure is None:
        return [], reason or "", True, snapshot.version
    view, _ = read_query(search, data.timeline)
    first, last = measures[0].date, measures[-1].date
    note = (
        f"Russian-held share of each region at the {len(measures)} installed control layers, "
        f"{format_date(first)} to {format_date(last)}; ticks below mark the claims. Hover a "
        "point for its km2 and source; the dotted line is the map's date."
    )
    return [chart_graph(at_date(figure, view.date))], note, False, snapshot.version


def register_chart(app: dash.Dash, data: AppData, live: LiveGeodata) -> None:
    """Attach the chart's callbacks to ``app``."""
    cache = ChartCache(data)

    @app.callback(
        Output(ids.CHART_FRAME, "children"),
        Output(ids.CHART_NOTE, "children"),
        Output(ids.CHART_FRAME, "hidden"),
        Output(ids.CHART_SHOWN, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.URL, "search"),
        State(ids.CHART_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def draw(_: Any, search: str | None, shown: str | None) -> tuple[Any, ...]:
        snapshot = live.snapshot()
        if shown == snapshot.version:
            raise PreventUpdate
        return chart_outputs(data, snapshot, search, cache)

    app.clientside_callback(
        ClientsideFunction(namespace="mapdash_chart", function_name="moveMarker"),
        Output(ids.CHART, "figure", allow_duplicate=True),
        Input(ids.SLIDER, "value"),
        Input(ids.URL, "search"),
        # A chart just drawn may have missed the view's date (the address is read on load).
        Input(ids.CHART_SHOWN, "data"),
        State(ids.CHART, "figure"),
        prevent_initial_call=True,
    )


__all__ = [
    "CHART_HEIGHT",
    "ChartCache",
    "at_date",
    "chart_figure",
    "chart_graph",
    "chart_outputs",
    "chart_section",
    "register_chart",
    "snapshot_measures",
]
