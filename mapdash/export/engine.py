"""The headless Chromium (kaleido) that draws figures as PNG, SVG and PDF bytes.

Offline by construction: kaleido loads the plotly.js bundled with the plotly package, MathJax is
off, and plotly's world topojson (which the geo subplot fetches even with every base layer off) is
read from the project's ``assets/topojson/``. One :class:`Exporter` owns one Chromium; a batch
reuses it, because starting a browser costs seconds and rendering a figure well under one.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from ..config import PROJECT_ROOT
from ..errors import ExportError
from .files import ExportFormat, Metadata, OutputKind, check_writable, format_of, stamp, write_bytes

#: Executables tried, in order, when BROWSER_PATH does not name one.
CHROMIUM_NAMES: tuple[str, ...] = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
)
TOPOJSON_DIR = PROJECT_ROOT / "assets" / "topojson"
INSTALL_HINT = (
    "install it with 'scripts/bootstrap --browser' (or 'sudo apt-get install chromium'), "
    "or set BROWSER_PATH to a Chromium or Chrome executable"
)


@dataclass(frozen=True)
class PageSize:
    """Size of an export in CSS pixels, and the factor PNG pixels (or PDF pages) are scaled by.

    A PDF page is ``width * scale`` by ``height * scale`` CSS pixels, 0.75 pt each.
    """

    width: int
    height: int
    scale: float = 1.0


#: Slides want 1920x1080 at twice the resolution; print wants an A4 landscape page (842x595 pt);
#: an animation's frames are 1280x720 PNGs at scale 1.
DEFAULT_SIZES: Mapping[OutputKind, PageSize] = {
    "png": PageSize(1920, 1080, 2.0),
    "svg": PageSize(1920, 1080, 1.0),
    "pdf": PageSize(1123, 794, 1.0),
    "gif": PageSize(1280, 720, 1.0),
}


def default_size(
    fmt: OutputKind,
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float | None = None,
) -> PageSize:
    """Return the format's default size with any of width, height and scale replaced.

    Raises
    ------
    ExportError
        If a value is not positive or the page would exceed 8000 pixels a side.
    """
    base = DEFAULT_SIZES[fmt]
    size = PageSize(width or base.width, height or base.height, scale or base.scale)
    for name, value in (("width", size.width), ("height", size.height), ("scale", size.scale)):
        if value <= 0:
            raise ExportError(f"{name} must be positive, got {value}")
    largest = max(size.width, size.height) * size.scale
    if largest > 8000:
        raise ExportError(
            f"{size.width}x{size.height} at scale {size.scale:g} is {largest:.0f} pixels on its "
            "longest side; keep it at 8000 or below (lower --scale or the size)"
        )
    return size


def locate_chromium(environ: Mapping[str, str] | None = None) -> Path:
    """Find the Chromium that kaleido drives: BROWSER_PATH, else the first of CHROMIUM_NAMES.

    Parameters
    ----------
    environ
        The environment to read BROWSER_PATH and PATH from (default ``os.environ``).

    Raises
    ------
    ExportError
        If no executable is found; the message says how to install one.
    """
    env = os.environ if environ is None else environ
    given = env.get("BROWSER_PATH")
    if given:
        if os.path.isfile(given) and os.access(given, os.X_OK):
            return Path(given)
        raise ExportError(
            f"BROWSER_PATH={given!r} is not an executable file; "
            f"point it at Chromium, or unset it to search PATH. To get Chromium, {INSTALL_HINT}"
        )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=env.get("PATH", ""))
        if found:
            return Path(found)
    raise ExportError(
        "Chromium not found: exports are drawn by a headless Chromium and none of "
        f"{', '.join(CHROMIUM_NAMES)} is on PATH; {INSTALL_HINT}"
    )


class Exporter:
    """One headless Chromium, started once, that renders any number of figures.

    Use as a context manager, or call :meth:`close`. Thread-safe: the browser runs on its own
    event loop thread, and each call waits for its own result.

    Parameters
    ----------
    chromium
        The browser executable (default: :func:`locate_chromium`).
    timeout
        Seconds one figure may take to render.
    tabs
        Figures drawn at the same time (browser tabs); more than the cores available gains
        nothing.
    """

    def __init__(
        self, *, chromium: Path | None = None, timeout: float = 90.0, tabs: int = 1
    ) -> None:
        self.chromium = chromium or locate_chromium()
        self.timeout = timeout
        self.tabs = tabs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._lock = threading.Lock()

    def __enter__(self) -> Exporter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the browser (done by the first render when not called).

        Raises
        ------
        ExportError
            If Chromium cannot be started.
        """
        with self._lock:
            if self._kaleido is not None:
                return
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="mapdash-export", daemon=True)
            thread.start()
            try:
                self._kaleido = self._wait(loop, self._open(), timeout=120)
            except BaseException:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(timeout=5)
                raise
            self._loop, self._thread = loop, thread

    async def _open(self) -> Any:
        import kaleido

        # mathjax=False: the figures carry no LaTeX, and MathJax would come from a CDN.
        engine = kaleido.Kaleido(
            n=self.tabs, timeout=self.timeout, mathjax=False, path=str(self.chromium)
        )
        await engine.open()
        return engine

    def _wait(self, loop: asyncio.AbstractEventLoop, coroutine: Any, *, timeout: float) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, loop)
        try:
            return future.result(timeout=timeout)
        except Exception as err:
            raise ExportError(
                f"the headless Chromium ({self.chromium}) failed: {err}; if it is missing or "
                f"broken, {INSTALL_HINT}"
            ) from err

    def close(self) -> None:
        """Stop the browser; a later render starts a new one."""
        with self._lock:
            loop, engine = self._loop, self._kaleido
            self._loop, self._kaleido = None, None
            if loop is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(engine.close(), loop).result(timeout=30)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                if self._thread is not None:
                    self._thread.join(timeout=10)
                loop.close()

    def submit(
        self, figure: go.Figure, fmt: ExportFormat, size: PageSize | None = None
    ) -> Future[bytes]:
        """Start drawing a figure and return at once; the future's result is the file's bytes.

        A batch submits every figure before waiting, so Python builds the next figure while
        Chromium draws the last one, and ``tabs`` figures are drawn at a time.

        Raises
        ------
        ExportError
            If Chromium cannot be started, or the local world topojson is missing.
        """
        topojson_file = TOPOJSON_DIR / "world_110m.json"
        if not topojson_file.is_file():
            raise ExportError(
                f"{topojson_file} is missing: the map's world outline is read from there so that "
                "nothing is fetched from the internet; restore it with 'git checkout "
                "assets/topojson' or rebuild it with scripts/build_geodata.py"
            )
        self.start()
        size = size or DEFAULT_SIZES[fmt]
        opts = {"format": fmt, "width": size.width, "height": size.height, "scale": size.scale}
        assert self._loop is not None
        # A trailing slash: plotly appends "<name>.json" to the topojson URL.
        topojson = TOPOJSON_DIR.resolve().as_uri() + "/"
        coroutine = self._kaleido.calc_fig(figure, opts=opts, topojson=topojson)
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    def result(self, future: Future[bytes]) -> bytes:
        """Wait for a submitted figure.

        Raises
        ------
        ExportError
            If Chromium fails or the figure cannot be drawn.
        """
        try:
            return bytes(future.result(timeout=self.timeout + 10))
        except Exception as err:
            raise ExportError(
                f"the headless Chromium ({self.chromium}) could not draw the figure: {err}"
            ) from err

    def render(
        self,
        figure: go.Figure,
        fmt: ExportFormat,
        size: PageSize | None = None,
        *,
        metadata: Metadata | None = None,
    ) -> bytes:
        """Draw a figure as PNG, SVG or PDF bytes.

        Parameters
        ----------
        figure
            The figure; its layout width and height are overridden by ``size``.
        fmt
            Output format.
        size
            Size and scale (default ``DEFAULT_SIZES[fmt]``).
        metadata
            Title, subject, credits and date written into the file (PDF document info, SVG
            title, PNG text chunks).

        Raises
        ------
        ExportError
            If Chromium fails or the figure cannot be drawn.
        """
        return stamp(self.result(self.submit(figure, fmt, size)), fmt, metadata)

    def write(
        self,
        figure: go.Figure,
        path: Path,
        *,
        fmt: str | None = None,
        size: PageSize | None = None,
        metadata: Metadata | None = None,
    ) -> Path:
        """Render a figure into ``path`` (format from ``fmt`` or the extension).

        Raises
        ------
        ExportError
            If the path cannot be written (checked before rendering) or rendering fails.
        """
        chosen = format_of(path, fmt)
        check_writable(path)
        return write_bytes(path, self.render(figure, chosen, size, metadata=metadata))


_shared: Exporter | None = None
_shared_lock = threading.Lock()


def shared_exporter() -> Exporter:
    """Return this process's long-lived exporter (the web app's downloads reuse its browser).

    Raises
    ------
    ExportError
        If no Chromium is found.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Exporter()
            atexit.register(_shared.close)
        return _shared


@contextlib.contextmanager
def open_exporter(*, tabs: int = 1) -> Iterator[Exporter]:
    """Start a browser for one command or job and stop it afterwards.

    Tests replace this with one that hands out a warm, shared exporter.

    Raises
    ------
    ExportError
        If no Chromium is found or it cannot be started.
    """
    with Exporter(tabs=tabs) as exporter:
        yield exporter
