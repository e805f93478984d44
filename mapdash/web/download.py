"""The briefing download: the view on screen as PNG, SVG or PDF, without leaving the page.

The file goes through the export pipeline of ``mapdash export`` (:mod:`mapdash.export`): the
same page, size, file name and metadata, from the URL's view (date, selection, comparison) and
the live geodata, including the control layer of the view's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dash
import geopandas as gpd
import plotly.graph_objects as go
from dash import Input, Output, State, dcc, html, no_update

from ..briefing import Attribution, credits, layer_credit
from ..control import ControlLayer
from ..errors import MapdashError
from ..export import (
    FORMATS,
    BriefingRequest,
    Exporter,
    ExportFormat,
    PageSize,
    briefing_page,
    default_size,
    shared_exporter,
)
from ..geodata import boundaries_attribution
from ..ground import LayerFigures
from ..timeline import Timeline
from ..types import Article
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


@dataclass(frozen=True)
class LiveSource:
    """The app's data as a briefing source: the live boundaries and control layers."""

    data: AppData
    snapshot: Snapshot | None = None
    #: The live geodata folder, whose install records name the boundaries' source.
    geodata_dir: Path | None = None

    @property
    def timeline(self) -> Timeline:
        """The claims in date order."""
        return self.data.timeline

    @property
    def articles(self) -> dict[str, Article]:
        """The corpus."""
        return dict(self.data.articles)

    @property
    def regions(self) -> gpd.GeoDataFrame:
        """The live region boundaries (those the app started with, without a snapshot)."""
        return self.snapshot.regions_web if self.snapshot else self.data.regions

    @property
    def context(self) -> gpd.GeoDataFrame:
        """The rest of Ukraine and the neighbours (the live boundaries version's)."""
        return self.snapshot.context if self.snapshot else self.data.context

    def boundaries(self) -> Attribution:
        """Return the (source, licence) of the live region boundaries."""
        if self.geodata_dir is None:
            return (None, None)
        return boundaries_attribution(self.geodata_dir)

    def control_at(self, date: dt.date) -> ControlLayer | None:
        """Return the live control layer shown at ``date`` (none without a snapshot)."""
        return self.snapshot.layer_at(date) if self.snapshot else None

    @property
    def areas(self) -> Mapping[str, float]:
        """Region areas in km2 (full resolution), as the side panel uses them."""
        return self.data.areas

    def layer_figures(self, layer: ControlLayer | None) -> LayerFigures | None:
        """Return what the live layer measures per region, as the side panel shows it."""
        if layer is None or self.snapshot is None:
            return None
        return layer_figures(self.snapshot, layer.date)


def view_request(view: View) -> BriefingRequest:
    """Return the export request that draws a view of the dashboard."""
    return BriefingRequest(
        selection=view.selection,
        date=view.date,
        compare=view.compare,
        compare_date=view.compare_date,
    )


def download_file(
    data: AppData,
    search: str | None,
    fmt: str,
    *,
    exporter: Exporter,
    snapshot: Snapshot | None = None,
    geodata_dir: Path | None = None,
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
    geodata_dir
        The live geodata folder, to credit the boundaries drawn.

    Raises
    ------
    MapdashError
        If the format is unknown or the file cannot be drawn.
    """
    chosen: ExportFormat | None = next((f for f in FORMATS if f == fmt), None)
    if chosen is None:
        raise MapdashError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    view, _ = read_query(search, data.timeline)
    request = view_request(view)
    size = default_size(chosen)
    page = briefing_page(LiveSource(data, snapshot), request, size, name=request.file_name(chosen))
    content = exporter.render(page.figure, chosen, size, metadata=page.metadata)
    return dcc.send_bytes(content, page.name)


def view_figure(
    data: AppData,
    view: View,
    size: PageSize,
    *,
    snapshot: Snapshot | None = None,
    large_date: bool = False,
) -> go.Figure:
    """Draw a view of the dashboard as the briefing page the pipeline exports.

    Parameters
    ----------
    data
        The app's data.
    view
        Date, selection and comparison.
    size
        The page size.
    snapshot
        The live geodata: swapped boundaries, and the control layer of the view's date; None
        uses the data the app started with, with no layer.
    large_date
        An animation frame (the as-of date printed large).
    """
    request = view_request(view)
    page = briefing_page(
        LiveSource(data, snapshot), request, size, name=request.file_name("png"), frame=large_date
    )
    return page.figure


def credits_text(boundaries: Attribution, layers: Sequence[ControlLayer]) -> str:
    """Say where the page's boundaries and installed control layers come from (the footer)."""
    return " ".join([*credits(boundaries, None), *(layer_credit(layer) for layer in layers)])


def register_download(app: dash.Dash, data: AppData, live: LiveGeodata) -> None:
    """Attach the download callback, and the footer's credits of the live data, to ``app``."""

    @app.callback(
        Output(ids.CREDITS, "children"), Input(ids.DATA_VERSION, "data"), prevent_initial_call=True
    )
    def show_credits(_: object) -> str:
        snapshot = live.snapshot()
        return credits_text(boundaries_attribution(live.geodata_dir), snapshot.layers)

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
                data,
                search,
                fmt,
                exporter=shared_exporter(),
                snapshot=live.snapshot(),
                geodata_dir=live.geodata_dir,
            )
        except MapdashError as err:
            return no_update, f"Export failed: {err}"
        return sent, f"Downloaded {sent['filename']}"
