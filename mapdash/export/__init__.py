"""Figures to files: PNG, SVG and PDF drawn by kaleido's headless Chromium, GIF by Pillow.

One pipeline for the command line, the app's downloads and its batches:

- :mod:`.engine`: the browser (:class:`Exporter`), page sizes, finding Chromium;
- :mod:`.files`: formats, file names, safe writing, document metadata;
- :mod:`.gif`: animated GIFs from PNG frames;
- :mod:`.pipeline`: a briefing request drawn as pages and files, frame pacing, and
  :func:`export_figure` for any other figure.
"""

from .engine import (
    DEFAULT_SIZES,
    TOPOJSON_DIR,
    Exporter,
    PageSize,
    default_size,
    locate_chromium,
    open_exporter,
    shared_exporter,
)
from .files import (
    FORMATS,
    ExportFormat,
    Metadata,
    OutputKind,
    all_events_name,
    batch_name,
    check_gif_path,
    check_writable,
    format_of,
    view_name,
    write_bytes,
)
from .gif import FRAME_MS, animate, gif_bytes
from .pipeline import (
    BriefingRequest,
    Page,
    Progress,
    animation,
    briefing_page,
    event_pages,
    export_figure,
    render_pages,
    write_pages,
)

__all__ = [
    "DEFAULT_SIZES",
    "FORMATS",
    "FRAME_MS",
    "TOPOJSON_DIR",
    "BriefingRequest",
    "ExportFormat",
    "Exporter",
    "Metadata",
    "OutputKind",
    "Page",
    "PageSize",
    "Progress",
    "all_events_name",
    "animate",
    "animation",
    "batch_name",
    "briefing_page",
    "check_gif_path",
    "check_writable",
    "default_size",
    "event_pages",
    "export_figure",
    "format_of",
    "gif_bytes",
    "locate_chromium",
    "open_exporter",
    "render_pages",
    "shared_exporter",
    "view_name",
    "write_bytes",
    "write_pages",
]
