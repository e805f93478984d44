"""Export files: formats, names, safe writing, and the document metadata each format carries."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import ExportError
from ..timeline import Selection

ExportFormat = Literal["png", "svg", "pdf"]
FORMATS: tuple[ExportFormat, ...] = ("png", "svg", "pdf")
#: What an export can be: one of the drawn formats, or an animation of PNG frames.
OutputKind = Literal["png", "svg", "pdf", "gif"]


@dataclass(frozen=True)
class Metadata:
    """What a file says about itself: PDF document info, SVG title, PNG text chunks."""

    title: str
    subject: str = ""
    #: Sources and licences of the data drawn ("Boundaries: ...; control layer: ...").
    credits: str = ""
    created: dt.datetime | None = None

    def creation_time(self) -> dt.datetime:
        """Return the creation time, now (UTC) when none was given."""
        return self.created or dt.datetime.now(dt.UTC).replace(microsecond=0)


def format_of(path: Path, fmt: str | None = None) -> ExportFormat:
    """Return the export format: ``fmt`` if given, else the file's extension.

    Raises
    ------
    ExportError
        If neither names PNG, SVG or PDF, or they disagree.
    """
    suffix = path.suffix.lower().lstrip(".")
    chosen = (fmt or suffix).lower()
    for known in FORMATS:
        if chosen == known:
            if fmt and suffix and suffix != known:
                raise ExportError(
                    f"{path.name}: the extension .{suffix} does not match the format {known}; "
                    f"name the file *.{known} or choose --format {suffix}"
                )
            return known
    raise ExportError(
        f"{path.name}: cannot tell the format from the extension "
        f"{'.' + suffix if suffix else '(none)'}; expected one of "
        f"{', '.join('.' + f for f in FORMATS)} (or give --format)"
    )


def check_writable(path: Path) -> Path:
    """Make sure ``path`` can be written before spending time on rendering.

    Raises
    ------
    ExportError
        If its folder does not exist, is not writable, or ``path`` is a folder.
    """
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder; give a file name such as map.png")
    if not folder.is_dir():
        raise ExportError(
            f"cannot write {path}: the folder {folder} does not exist; "
            f"create it (mkdir -p {folder}) or choose another output path"
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        where = path if path.exists() else folder
        raise ExportError(
            f"cannot write {path}: permission denied on {where}; "
            "choose a folder you can write to or change its permissions"
        )
    return path


def check_gif_path(path: Path) -> Path:
    """Make sure an animation can be written to ``path`` before its frames are drawn.

    Raises
    ------
    ExportError
        If the name does not end in .gif or the path cannot be written.
    """
    if path.suffix.lower() != ".gif":
        raise ExportError(f"{path.name}: an animation is written as GIF; name the file *.gif")
    return check_writable(path)


def write_bytes(path: Path, content: bytes) -> Path:
    """Write an export, turning an OS error into a message that says what to do.

    Raises
    ------
    ExportError
        If the file cannot be written.
    """
    check_writable(path)
    try:
        path.write_bytes(content)
    except OSError as err:
        raise ExportError(
            f"cannot write {path}: {err.strerror or err}; choose another output path"
        ) from err
    return path


# -- names ---------------------------------------------------------------------------------------


def batch_name(selection: Selection, date: dt.date, suffix: str) -> str:
    """Name one file of a batch: ``proposal-ru-2025-08-06-donbas_2025-08-10.png``."""
    return f"{selection.kind}-{selection.key}_{date.isoformat()}.{suffix}"


def view_name(
    selection: Selection,
    date: dt.date,
    suffix: str,
    *,
    compare: tuple[Selection, dt.date] | None = None,
) -> str:
    """Name the file of one view, with the second map when comparing.

    ``actor-russia_2025-08-10_vs_actor-united_states_2025-08-10.png``.
    """
    name = batch_name(selection, date, suffix)
    if compare is None:
        return name
    other, other_date = compare
    return name.replace(f".{suffix}", f"_vs_{batch_name(other, other_date, suffix)}")


def all_events_name(
    selection: Selection,
    suffix: str,
    *,
    compare: Selection | None = None,
    compare_date: dt.date | None = None,
) -> str:
    """Name a whole batch (a ZIP or a GIF): ``actor-russia_all-events_vs_actor-ukraine.gif``."""
    stem = f"{selection.kind}-{selection.key}_all-events"
    if compare is not None or compare_date is not None:
        other = compare or selection
        stem += f"_vs_{other.kind}-{other.key}"
        stem += f"-{compare_date.isoformat()}" if compare_date else ""
    return f"{stem}.{suffix}"


# -- metadata ------------------------------------------------------------------------------------


def _pdf_date(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def stamp_pdf(content: bytes, metadata: Metadata) -> bytes:
    """Replace the document info kaleido writes ("Kaleido-fier") with the briefing's."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(content)))
    info = {
        "/Title": metadata.title,
        "/Subject": metadata.subject,
        "/Creator": "mapdash",
        "/Producer": "mapdash (plotly, kaleido, pypdf)",
        "/CreationDate": _pdf_date(metadata.creation_time()),
        "/ModDate": _pdf_date(metadata.creation_time()),
    }
    if metadata.credits:
        info["/Keywords"] = metadata.credits
    writer.add_metadata(info)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stamp_svg(content: bytes, metadata: Metadata) -> bytes:
    """Give an SVG a ``<title>`` and ``<desc>`` (read by screen readers and file browsers)."""
    text = content.decode("utf-8")
    start = text.find("<svg")
    end = text.find(">", start)
    if start < 0 or end < 0:
        return content
    desc = " ".join(part for part in (metadata.subject, metadata.credits) if part)
    inserted = f"<title>{html.escape(metadata.title)}</title>"
    if desc:
        inserted += f"<desc>{html.escape(desc)}</desc>"
    return (text[: end + 1] + inserted + text[end + 1 :]).encode("utf-8")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def stamp_png(content: bytes, metadata: Metadata) -> bytes:
    """Add PNG text chunks (Title, Description, Source, Creation Time) without re-encoding."""
    signature, header_end = content[:8], 8 + 8 + 13 + 4
    if signature != b"\x89PNG\r\n\x1a\n" or content[12:16] != b"IHDR":
        return content
    fields = {
        "Title": metadata.title,
        "Description": metadata.subject,
        "Source": metadata.credits,
        "Creation Time": metadata.creation_time().isoformat(),
    }
    chunks = b"".join(
        _png_chunk(b"iTXt", key.encode("latin-1") + b"\x00\x00\x00\x00\x00" + value.encode())
        for key, value in fields.items()
        if value
    )
    return content[:header_end] + chunks + content[header_end:]


def stamp(content: bytes, fmt: ExportFormat, metadata: Metadata | None) -> bytes:
    """Write ``metadata`` into a file of format ``fmt`` (nothing when there is none)."""
    if metadata is None:
        return content
    stampers = {"pdf": stamp_pdf, "svg": stamp_svg, "png": stamp_png}
    return stampers[fmt](content, metadata)


__all__ = [
    "FORMATS",
    "ExportFormat",
    "Metadata",
    "OutputKind",
    "all_events_name",
    "batch_name",
    "check_gif_path",
    "check_writable",
    "format_of",
    "stamp",
    "view_name",
    "write_bytes",
]
