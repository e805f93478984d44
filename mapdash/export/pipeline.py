"""The one export pipeline: briefing request -> pages -> files, for CLI, downloads and batches.

``mapdash export``, the app's download button and its "every event" batch all go through here:
the same figure (:func:`briefing_page`), the same sizes, the same file names and metadata, and
the same frame pacing (:func:`render_pages`: a few figures in flight, so that Python builds the
next one while Chromium draws). :func:`export_figure` writes any other plotly figure (a chart)
the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

import plotly.graph_objects as go

from ..briefing import Briefing, BriefingSource, credits, make_briefing
from ..briefing_page import PageLayout, briefing_figure, page_layout
from ..timeline import Selection
from .engine import Exporter, PageSize, default_size
from .files import (
    ExportFormat,
    Metadata,
    all_events_name,
    batch_name,
    check_writable,
    format_of,
    stamp,
    view_name,
    write_bytes,
)
from .gif import FRAME_MS, gif_bytes

#: A progress callback: (files done, files in all).
Progress = Callable[[int, int], None]
#: Figures handed to Chromium before the first is collected: one drawing while one is built.
IN_FLIGHT = 2


@dataclass(frozen=True)
class BriefingRequest:
    """What to draw: whose map at which date, what it is compared with, and the page's words."""

    selection: Selection
    date: dt.date
    compare: Selection | None = None
    compare_date: dt.date | None = None
    title: str | None = None
    note: str | None = None
    #: Draw the installed control layer of the date on the map of that date.
    control: bool = True

    @property
    def comparing(self) -> bool:
        """Whether two maps are drawn."""
        return self.compare is not None or self.compare_date is not None

    def on(self, date: dt.date) -> BriefingRequest:
        """Return the same request at another date (a second map's own date stays)."""
        return replace(self, date=date)

    def file_name(self, suffix: str) -> str:
        """Name the file of this view: selection, date, and the second map's."""
        compare = (self.compare or self.selection, self.compare_date or self.date)
        return view_name(
            self.selection, self.date, suffix, compare=compare if self.comparing else None
        )

    def batch_name(self, suffix: str) -> str:
        """Name this date's file in a batch: ``actor-russia_2025-08-10.png``."""
        return batch_name(self.selection, self.date, suffix)

    def all_events_name(self, suffix: str) -> str:
        """Name the batch of every event as one file: a ZIP or a GIF."""
        return all_events_name(
            self.selection, suffix, compare=self.compare, compare_date=self.compare_date
        )


@dataclass(frozen=True)
class Page:
    """One drawn page on its way to a file: its name, its figure and the file's metadata."""

    name: str
    figure: go.Figure
    metadata: Metadata


def briefing_of(source: BriefingSource, request: BriefingRequest) -> Briefing:
    """Work out what the request's briefing says (see :func:`mapdash.briefing.make_briefing`).

    Raises
    ------
    MapdashError
        If a selection is unknown.
    """
    return make_briefing(
        source.timeline,
        source.articles,
        request.selection,
        request.date,
        compare=request.compare,
        compare_date=request.compare_date,
        title=request.title,
        note=request.note,
        layer=source.layer_figures(source.control_at(request.date)) if request.control else None,
        areas=source.areas,
    )


def briefing_page(
    source: BriefingSource,
    request: BriefingRequest,
    size: PageSize,
    *,
    name: str,
    frame: bool = False,
    layout: PageLayout | None = None,
) -> Page:
    """Draw the request as a briefing page at ``size``.

    Parameters
    ----------
    source
        Timeline, articles, geometry and control layers.
    request
        What to draw.
    size
        The page size.
    name
        The file name the page will be written under.
    frame
        An animation frame: the date printed large, text sized for a small image.
    layout
        Fixed heights of header and footer (frames of one animation share them).

    Raises
    ------
    MapdashError
        If a selection is unknown or a control layer no longer reads.
    """
    briefing = briefing_of(source, request)
    layer = source.control_at(request.date) if request.control else None
    lines = credits(source.boundaries(), layer)
    figure = briefing_figure(
        briefing,
        source.regions,
        source.context,
        width=size.width,
        height=size.height,
        large_date=frame,
        control=layer.geometry if layer else None,
        control_date=layer.date if layer else None,
        credits=lines,
        layout=layout,
    )
    metadata = Metadata(title=briefing.title, subject=briefing.subject, credits=" ".join(lines))
    return Page(name, figure, metadata)


def render_pages(
    exporter: Exporter,
    pages: Iterable[Page],
    fmt: ExportFormat,
    size: PageSize,
    *,
    total: int,
    progress: Progress | None = None,
) -> Iterator[tuple[Page, bytes]]:
    """Draw pages in order, ``IN_FLIGHT`` at a time, yielding each with its file's bytes.

    ``pages`` may be a generator: the next figure is built while Chromium draws the last,
    and ``progress`` (done, total) moves with each file rather than after all are built.

    Raises
    ------
    ExportError
        If Chromium fails or a figure cannot be drawn.
    """
    pending: deque[tuple[Page, Future[bytes]]] = deque()
    done = 0

    def collect() -> tuple[Page, bytes]:
        nonlocal done
        page, future = pending.popleft()
        content = stamp(exporter.result(future), fmt, page.metadata)
        done += 1
        if progress is not None:
            progress(done, total)
        return page, content

    for page in pages:
        pending.append((page, exporter.submit(page.figure, fmt, size)))
        if len(pending) >= IN_FLIGHT:
            yield collect()
    while pending:
        yield collect()


def event_dates(source: BriefingSource) -> list[dt.date]:
    """Every event's date, oldest first: the dates of a batch and the frames of an animation."""
    return [event.date for event in source.timeline.events]


def event_pages(
    source: BriefingSource, request: BriefingRequest, fmt: ExportFormat, size: PageSize
) -> Iterator[Page]:
    """Yield the request's page at every event date, named as a batch names them."""
    for day in event_dates(source):
        at = request.on(day)
        yield briefing_page(source, at, size, name=at.batch_name(fmt))


def frame_pages(source: BriefingSource, request: BriefingRequest, size: PageSize) -> list[Page]:
    """Draw the frames of an animation: one page per event, laid out alike so that nothing jumps.

    Header and footer take the height of the tallest frame's, so that the map sits at the
    same place in every frame however the title or the sources wrap.
    """
    days = event_dates(source)
    layouts = [
        page_layout(briefing_of(source, request.on(day)), size.width, size.height, frame=True)
        for day in days
    ]
    if not layouts:
        return []
    shared = layouts[0].union(*layouts[1:])
    return [
        briefing_page(
            source,
            request.on(day),
            size,
            name=request.on(day).batch_name("png"),
            frame=True,
            layout=shared,
        )
        for day in days
    ]


def animation(
    source: BriefingSource,
    request: BriefingRequest,
    *,
    exporter: Exporter,
    size: PageSize | None = None,
    frame_ms: int = FRAME_MS,
    progress: Progress | None = None,
) -> bytes:
    """Draw the request at every event as an animated GIF's bytes.

    Raises
    ------
    ExportError
        If there are no events or a frame cannot be drawn.
    """
    size = size or default_size("gif")
    frames = frame_pages(source, request, size)
    drawn = render_pages(exporter, frames, "png", size, total=len(frames), progress=progress)
    return gif_bytes([content for _, content in drawn], frame_ms=frame_ms)


def export_figure(
    figure: go.Figure,
    path: Path,
    *,
    exporter: Exporter,
    metadata: Metadata,
    fmt: str | None = None,
    size: PageSize | None = None,
) -> Path:
    """Write any plotly figure (a chart, say) as PNG, SVG or PDF, with metadata.

    The format comes from ``fmt`` or the extension, the size from the format's default, as
    for briefings; the path is checked before drawing.

    Raises
    ------
    ExportError
        If the format is unknown, the path cannot be written, or drawing fails.
    """
    chosen = format_of(path, fmt)
    check_writable(path)
    size = size or default_size(chosen)
    return write_bytes(path, exporter.render(figure, chosen, size, metadata=metadata))


def write_pages(
    exporter: Exporter,
    pages: Iterable[Page],
    folder: Path,
    fmt: ExportFormat,
    size: PageSize,
    *,
    total: int,
    progress: Progress | None = None,
) -> Iterator[Path]:
    """Draw pages into ``folder`` under their names, yielding each path once written.

    Raises
    ------
    ExportError
        If a file cannot be written or drawing fails.
    """
    for page, content in render_pages(exporter, pages, fmt, size, total=total, progress=progress):
        yield write_bytes(folder / page.name, content)


def check_paths(paths: Sequence[Path]) -> None:
    """Make sure every file of an export can be written before anything is drawn.

    Raises
    ------
    ExportError
        If one cannot.
    """
    for path in paths:
        check_writable(path)


__all__ = [
    "IN_FLIGHT",
    "BriefingRequest",
    "Page",
    "Progress",
    "animation",
    "briefing_of",
    "briefing_page",
    "check_paths",
    "event_dates",
    "event_pages",
    "export_figure",
    "frame_pages",
    "render_pages",
    "write_pages",
]
