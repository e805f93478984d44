"""The briefing download: the view on screen as PNG, SVG or PDF, without leaving the page.

The file is drawn by the same code as ``mapdash export`` (``mapdash.briefing`` and
``mapdash.export``), from the URL's view (date, selection, comparison) and the live geodata,
including the control layer the left map shows.
"""

from __future__ import annotations

from typing import Any

import dash
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html, no_update

from ..briefing import batch_name, make_briefing
from ..briefing_page import briefing_figure
from ..errors import MapdashError
from ..export import DEFAULT_SIZES, FORMATS, Exporter, ExportFormat, PageSize, shared_exporter
from . import ids
from .data import AppData
from .live import LiveGeodata, Snapshot
from .render import layer_figures
from .view import View, read_query

FORMAT_LABELS: dict[ExportFormat, str] = {
    "png": "PNG for slides",
    "svg": "SVG",
    "pdf": "PDF, A4",
}


def download_section() -> html.Div:
    """Build the control group: format choice, the button, the file, and a status line."""
    return html.Div(
        [
            html.H2("Briefing export", className="group-title"),
            html.P(
                "The view on screen with its title, date, legend and sources, ready for a slide "
                "or print.",
                className="hint",
            ),
            dcc.RadioItems(
                id=ids.DOWNLOAD_FORMAT,
                options=[{"label": FORMAT_LABELS[f], "value": f} for f in FORMATS],
                value="png",
                inline=True,
                className="download-format",
            ),
            html.Button("Download", id=ids.DOWNLOAD_BUTTON, className="step download"),
            dcc.Download(id=ids.DOWNLOAD),
            html.P(id=ids.DOWNLOAD_STATUS, className="hint download-status", role="status"),
        ],
        className="control-group",
    )


def download_file(
    data: AppData,
    search: str | None,
    fmt: str,
    *,
    exporter: Exporter,
    snapshot: Snapshot | None = None,
) -> dict[str, Any]:
    """Draw the URL's view as a briefing file, in the shape ``dcc.Download`` takes.

    Parameters
    ----------
    data
        The app's data.
    search
        The URL's query string: the view on screen.
    fmt
        ``png``, ``svg`` or ``pdf``.
    exporter
        The browser that draws the file.
    snapshot
        The live geodata (swapped boundaries, the control layer at the date); None uses the
        data the app started with.

    Raises
    ------
    MapdashError
        If the format is unknown or the file cannot be drawn.
    """
    chosen = next((f for f in FORMATS if f == fmt), None)
    if chosen is None:
        raise MapdashError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    view, _ = read_query(search, data.timeline)
    size = DEFAULT_SIZES[chosen]
    figure = view_figure(data, view, size, snapshot=snapshot)
    name = batch_name(view.selection, view.date, chosen)
    if view.comparing:
        other, other_date = view.right
        name = name.replace(f".{chosen}", f"_vs_{batch_name(other, other_date, chosen)}")
    return dcc.send_bytes(exporter.render(figure, chosen, size), name)


def view_figure(
    data: AppData,
    view: View,
    size: PageSize,
    *,
    snapshot: Snapshot | None = None,
    large_date: bool = False,
) -> go.Figure:
    """Draw a view of the dashboard as a briefing, as the maps on screen show it.

    Parameters
    ----------
    data
        The app's data.
    view
        Date, selection and comparison.
    size
        The page size.
    snapshot
        The live geodata: swapped boundaries, and the control layer of the view's date drawn
        on the first map; None uses the data the app started with, with no layer.
    large_date
        Print the as-of date extra large (animation frames).
    """
    briefing = make_briefing(
        data.timeline,
        data.articles,
        view.selection,
        view.date,
        compare=view.compare,
        compare_date=view.compare_date,
        layer=layer_figures(snapshot, view.date),
        areas=data.areas,
    )
    layer = snapshot.layer_at(view.date) if snapshot else None
    return briefing_figure(
        briefing,
        snapshot.regions_web if snapshot else data.regions,
        data.context,
        width=size.width,
        height=size.height,
        large_date=large_date,
        control=layer.geometry if layer else None,
        control_date=layer.date if layer else None,
    )


def register_download(app: dash.Dash, data: AppData, live: LiveGeodata) -> None:
    """Attach the download callback to ``app``."""

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Output(ids.DOWNLOAD_STATUS, "children"),
        Input(ids.DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.DOWNLOAD_FORMAT, "value"),
        prevent_initial_call=True,
        running=[
            (Output(ids.DOWNLOAD_BUTTON, "disabled"), True, False),
            (Output(ids.DOWNLOAD_BUTTON, "children"), "Preparing…", "Download"),
        ],
    )
    def download(_: int | None, search: str | None, fmt: str) -> tuple[Any, str]:
        try:
            sent = download_file(
                data, search, fmt, exporter=shared_exporter(), snapshot=live.snapshot()
            )
        except MapdashError as err:
            return no_update, f"Export failed: {err}"
        return sent, f"Downloaded {sent['filename']}"
