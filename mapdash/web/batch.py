"""Batch and animated exports in the app: off the request path, with a progress bar.

"Every event" draws the view's briefing (its selection and comparison, with the live
boundaries and control layers) at each event date, as a ZIP of PNGs or as an animated GIF
(the same frames as ``mapdash export --all-events`` / ``--animate``). The work runs as a Dash
background callback: by default in a separate process coordinated through a DiskCache folder
shared by all gunicorn workers; with ``MAPDASH_REDIS_URL`` set, in Celery workers
(``mapdash worker``) through Redis, so that it can run on other machines.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import dash
from dash import Input, Output, State, dcc, html, no_update

from ..errors import MapdashError
from ..export import (
    FRAME_MS,
    Exporter,
    Progress,
    animation,
    default_size,
    event_pages,
    open_exporter,
    render_pages,
)
from . import ids
from .data import AppData
from .download import LiveSource, view_request
from .live import LiveGeodata, Snapshot
from .view import read_query

BatchKind = Literal["zip", "gif"]
BATCH_KINDS: tuple[BatchKind, ...] = ("zip", "gif")
KIND_LABELS: dict[BatchKind, str] = {"zip": "PNG per event (ZIP)", "gif": "Animated GIF"}
REDIS_ENV = "MAPDASH_REDIS_URL"
CACHE_ENV = "MAPDASH_CACHE_DIR"
GIF_FRAME_MS = FRAME_MS


@dataclass(frozen=True)
class BatchFile:
    """A finished batch: the file's name and content."""

    filename: str
    content: bytes
    count: int


def cache_dir() -> Path:
    """Return the DiskCache folder background jobs use (``MAPDASH_CACHE_DIR`` to choose one).

    Every gunicorn worker of one instance must see the same folder, since the job started by
    one worker's request may be polled through another.
    """
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "mapdash-jobs"


@functools.cache
def celery_app(redis_url: str) -> Any:
    """Return this process's Celery app for a Redis URL (broker and result store)."""
    from celery import Celery

    app = Celery("mapdash", broker=redis_url, backend=redis_url)
    # Results only need to outlive the page's polling.
    app.conf.update(result_expires=3600, broker_connection_retry_on_startup=True)
    return app


def background_manager() -> Any:
    """Return the manager background callbacks run under: Celery if configured, else DiskCache."""
    redis_url = os.environ.get(REDIS_ENV)
    if redis_url:
        return dash.CeleryManager(celery_app(redis_url))
    import diskcache

    return dash.DiskcacheManager(diskcache.Cache(str(cache_dir())))


def batch_section() -> html.Div:
    """Build the control group: kind of batch, start and cancel, progress bar, status."""
    return html.Div(
        [
            html.H2("Every event", className="group-title"),
            html.P(
                "The view's briefing (selection, comparison, control layers) at each event "
                "date, drawn in the background.",
                className="hint",
            ),
            dcc.RadioItems(
                id=ids.BATCH_KIND,
                options=[{"label": KIND_LABELS[k], "value": k} for k in BATCH_KINDS],
                value="zip",
                className="download-format",
            ),
            html.Div(
                [
                    html.Button("Export all", id=ids.BATCH_BUTTON, className="step download"),
                    html.Button("Cancel", id=ids.BATCH_CANCEL, className="step", disabled=True),
                ],
                className="buttons",
            ),
            html.Progress(
                id=ids.BATCH_PROGRESS,
                value="0",
                max="1",
                className="batch-progress",
                title="Files drawn",
            ),
            html.P(id=ids.BATCH_STATUS, className="hint download-status", role="status"),
            dcc.Download(id=ids.BATCH_DOWNLOAD),
        ],
        className="control-group",
    )


def batch_export(
    data: AppData,
    search: str | None,
    kind: str,
    *,
    exporter: Exporter,
    progress: Progress | None = None,
    snapshot: Snapshot | None = None,
    geodata_dir: Path | None = None,
) -> BatchFile:
    """Draw the URL's view at every event date, as a ZIP of PNGs or an animated GIF.

    Parameters
    ----------
    data
        The app's data.
    search
        The URL's query string; its selection and comparison are used (its date is not: every
        event is; a second map with a date of its own keeps it).
    kind
        ``zip`` or ``gif``.
    exporter
        The browser that draws the frames.
    progress
        Called with (done, total) after each file.
    snapshot
        The live geodata (swapped boundaries, the control layer of each date); None uses the
        data the app started with.
    geodata_dir
        The live geodata folder, to credit the boundaries drawn.

    Raises
    ------
    MapdashError
        If the kind is unknown or a frame cannot be drawn.
    """
    chosen = next((k for k in BATCH_KINDS if k == kind), None)
    if chosen is None:
        raise MapdashError(f"unknown batch kind {kind!r}; expected one of {', '.join(BATCH_KINDS)}")
    view, _ = read_query(search, data.timeline)
    request = view_request(view)
    source = LiveSource(data, snapshot, geodata_dir)
    total = len(data.timeline.events)
    if chosen == "gif":
        content = animation(
            source, request, exporter=exporter, frame_ms=GIF_FRAME_MS, progress=progress
        )
        return BatchFile(request.all_events_name("gif"), content, total)
    size = default_size("png")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        drawn = render_pages(
            exporter,
            event_pages(source, request, "png", size),
            "png",
            size,
            total=total,
            progress=progress,
        )
        for page, content in drawn:
            archive.writestr(page.name, content)
    return BatchFile(request.all_events_name("zip"), buffer.getvalue(), total)


def register_batch(app: dash.Dash, data: AppData, live: LiveGeodata, manager: Any) -> None:
    """Attach the background batch callback to ``app``."""

    @app.callback(
        Output(ids.BATCH_DOWNLOAD, "data"),
        Output(ids.BATCH_STATUS, "children"),
        Input(ids.BATCH_BUTTON, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.BATCH_KIND, "value"),
        background=True,
        manager=manager,
        progress=[Output(ids.BATCH_PROGRESS, "value"), Output(ids.BATCH_PROGRESS, "max")],
        progress_default=["0", "1"],
        running=[
            (Output(ids.BATCH_BUTTON, "disabled"), True, False),
            (Output(ids.BATCH_CANCEL, "disabled"), False, True),
            (Output(ids.BATCH_BUTTON, "children"), "Drawing…", "Export all"),
        ],
        cancel=[Input(ids.BATCH_CANCEL, "n_clicks")],
        # Poll twice a second, so that the bar moves with each file.
        interval=500,
        prevent_initial_call=True,
    )
    def export_all(
        set_progress: Callable[[tuple[str, str]], None],
        _: int | None,
        search: str | None,
        kind: str,
    ) -> tuple[Any, str]:
        try:
            with open_exporter(tabs=2) as exporter:
                done = batch_export(
                    data,
                    search,
                    kind,
                    exporter=exporter,
                    progress=lambda n, total: set_progress((str(n), str(total))),
                    snapshot=live.snapshot(),
                    geodata_dir=live.geodata_dir,
                )
        except MapdashError as err:
            return no_update, f"Export failed: {err}"
        sent = dcc.send_bytes(done.content, done.filename)
        return sent, f"Downloaded {done.filename} ({done.count} images)"


__all__ = [
    "BATCH_KINDS",
    "BatchFile",
    "BatchKind",
    "background_manager",
    "batch_export",
    "batch_section",
    "cache_dir",
    "celery_app",
    "register_batch",
]
