"""The first map as an image in the index: on screen with the page's first paint.

Drawn in the browser, the first map waits for plotly.js to arrive, compile and run, most of a
second on a two-core machine. Drawn once on the server instead, by the same plotly.js in the
headless Chromium the exports use, it is an SVG of 20-odd KiB (compressed) that the index
carries in the first map's box (:mod:`.first_page`), shown as soon as the page is painted.

- One image per first map: the key is a hash of the figure the first view shows (its
  visible traces and layout), plotly's version and the size drawn at. A new version of the
  data (a swap, an edited claim) has a new key; until its image is drawn, the page draws
  its first map with plotly.js in the browser, as without an image.
- Images are drawn by a separate process (``python -m mapdash.web.first_image``), started
  by the server when a key has no image, never inside a web worker: no browser lives in the
  workers and nothing is shared across gunicorn's fork. Workers share a folder of images
  (``MAPDASH_CACHE_DIR``, default ``~/.cache/mapdash``), and a lock file per key has one
  process draw each image.
- Drawn at 1000 x 600, the desktop box, and cropped to plotly's geo frame, the image scales
  into any box the way plotly fits its frame (centred, aspect kept), so it lies where
  Dash's map is then drawn.
- The SVG is rebuilt from a parsed tree of known elements and attributes only (no script,
  link, image or foreign content, no ``url()`` but the geo frame's clip), every time it is
  read, so a file put in the folder cannot put markup into the page.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import plotly
from dash._utils import to_json
from dash.development.base_component import Component

from ..geodata.write import write_atomically

log = logging.getLogger(__name__)

#: The size the image is drawn at, in CSS pixels: the map's box on a desktop screen.
WIDTH, HEIGHT = 1000, 600
#: Raised when the cleaning or the drawing changes, so that old images are not reused.
FORMAT = 1
#: An image file larger than this is not read.
MAX_BYTES = 4 * 1024 * 1024
#: A lock older than this is from a drawing process that died (a drawing on a very busy
#: machine has taken up to about 210 s, Chromium's start included).
STALE_LOCK_SECONDS = 300.0
#: After a failed drawing, the key is not tried again for this long.
RETRY_SECONDS = 600.0
#: Images kept in the folder, newest first; images kept in memory per process.
KEPT_ON_DISK, KEPT_IN_MEMORY = 16, 8
#: The id of the map whose first view is drawn (web/ids.py: MAP_LEFT).
MAP_ID = "map-left"

_SVG_NS = "{http://www.w3.org/2000/svg}"
_ELEMENTS = frozenset({"svg", "g", "defs", "clipPath", "rect", "path", "text", "tspan"})
_ATTRIBUTES = frozenset(
    {
        "class",
        "d",
        "x",
        "y",
        "dx",
        "dy",
        "width",
        "height",
        "transform",
        "fill",
        "fill-opacity",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "opacity",
        "style",
        "text-anchor",
        "clip-path",
    }
)
#: Attributes whose numbers are pixel positions: written to a tenth of a pixel.
_GEOMETRY = frozenset({"d", "x", "y", "dx", "dy", "width", "height", "transform"})
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CLIP_REFERENCE = re.compile(r"^url\(#([\w-]+)\)$")
#: What no style attribute of a plotly figure has and an injected one might.
_UNSAFE_STYLE = re.compile(r"url\s*\(|expression|@|\\|<|>|javascript", re.IGNORECASE)
_KEY = re.compile(r"^[0-9a-f]{64}$")


class FirstImageError(ValueError):
    """An SVG that is not a plotly map this module can carry into a page."""


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Return the folder the images are kept in: ``MAPDASH_CACHE_DIR``, else the user's cache."""
    env = os.environ if environ is None else environ
    if env.get("MAPDASH_CACHE_DIR"):
        return Path(env["MAPDASH_CACHE_DIR"]) / "first-map"
    base = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "mapdash" / "first-map"


def shown_figure(figure: Mapping[str, Any]) -> dict[str, Any]:
    """Return the figure as the first view shows it: without the traces it hides.

    The same traces ``assets/first-map.js`` leaves out of its static plot (opacity 0, not
    visible): hatching and outlines that appear only for some views.
    """
    data = [
        trace
        for trace in figure.get("data") or []
        if trace.get("opacity") != 0 and trace.get("visible") is not False
    ]
    return {"data": data, "layout": figure.get("layout") or {}}


def map_figure(page: Any) -> dict[str, Any] | None:
    """Return the first map's figure in a page (a Dash component tree), as plain JSON data."""
    graph = _find_graph(page)
    if graph is None:
        return None
    figure = graph.figure
    plain = figure if isinstance(figure, dict) else figure.to_plotly_json()
    return dict(json.loads(to_json(plain)))


def _find_graph(node: Any) -> Any:
    """Return the map's dcc.Graph in a component tree, or None."""
    if isinstance(node, list | tuple):
        for child in node:
            found = _find_graph(child)
            if found is not None:
                return found
        return None
    if not isinstance(node, Component):
        return None
    if getattr(node, "id", None) == MAP_ID and getattr(node, "figure", None) is not None:
        return node
    return _find_graph(getattr(node, "children", None))


def image_key(figure_json: str) -> str:
    """Return the key of a figure's image: what is drawn, with which plotly, at what size."""
    stamp = f"{FORMAT}|{plotly.__version__}|{WIDTH}x{HEIGHT}|"
    return hashlib.sha256((stamp + figure_json).encode()).hexdigest()


def _number(match: re.Match[str]) -> str:
    value = round(float(match.group()), 1)
    if value == 0:
        return "0"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _local(tag: str) -> str:
    return tag[len(_SVG_NS) :] if tag.startswith(_SVG_NS) else tag


def clean_svg(raw: str | bytes) -> str:
    """Return plotly's SVG of a map as markup safe and small enough to inline in a page.

    Keeps the map's own elements and attributes (see the module's notes), numbers to a tenth
    of a pixel, and crops the picture to plotly's geo frame so it scales like plotly's map.

    Raises
    ------
    FirstImageError
        If the text is not a plotly geo SVG (not XML, no geo frame, too large).
    """
    from defusedxml import ElementTree as SafeTree

    if len(raw) > MAX_BYTES:
        raise FirstImageError(f"the SVG has {len(raw)} bytes, more than {MAX_BYTES}")
    try:
        root = SafeTree.fromstring(raw)
    except Exception as err:  # defusedxml raises its own errors besides ParseError
        raise FirstImageError(f"the SVG could not be read: {err}") from err
    if _local(root.tag) != "svg":
        raise FirstImageError(f"the document is a <{_local(root.tag)}>, not an <svg>")
    clips: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) == "clipPath" and element.get("id"):
            clips[element.get("id", "")] = f"first-map-clip-{len(clips)}"
    frame = _geo_frame(root)
    if frame is None:
        raise FirstImageError("the SVG has no geo frame (a plotly map's clipped geo layer)")
    paper = ""
    children = list(root)
    if children and _local(children[0].tag) == "rect":
        paper = _colour(children[0].get("style", ""))
        children = children[1:]
    x, y, w, h = (_NUMBER.sub(_number, str(value)) for value in frame)
    background = f' style="background: {paper}"' if paper else ""
    body = "".join(_element(child, clips) for child in children)
    return (
        f'<svg class="first-map-image" xmlns="http://www.w3.org/2000/svg" '
        f'width="100%" height="100%" viewBox="{x} {y} {w} {h}" preserveAspectRatio="xMidYMid meet" '
        f'aria-hidden="true" focusable="false"{background}>{body}</svg>'
    )


def _geo_frame(root: Any) -> tuple[float, float, float, float] | None:
    """Return the rectangle plotly clips its geo layer to, in the SVG's pixels."""
    rects = {}
    for element in root.iter():
        if _local(element.tag) == "clipPath":
            rect = next((c for c in element if _local(c.tag) == "rect"), None)
            if rect is not None:
                rects[element.get("id")] = rect
    for element in root.iter():
        classes = (element.get("class") or "").split()
        reference = _CLIP_REFERENCE.match(element.get("clip-path") or "")
        if "geo" in classes and reference and reference.group(1) in rects:
            rect = rects[reference.group(1)]
            try:
                values = tuple(float(rect.get(k, "")) for k in ("x", "y", "width", "height"))
            except ValueError:
                return None
            if values[2] > 0 and values[3] > 0:
                return values  # type: ignore[return-value]
    return None


def _colour(style: str) -> str:
    match = re.search(r"fill:\s*(rgba?\([\d\s.,]+\)|#[0-9a-fA-F]{3,8})", style)
    return match.group(1) if match else ""


def _element(element: Any, clips: Mapping[str, str]) -> str:
    tag = _local(element.tag)
    if tag not in _ELEMENTS or tag == "svg":
        return ""
    attributes = []
    if tag == "clipPath" and element.get("id") in clips:
        attributes.append(f'id="{clips[element.get("id")]}"')
    for name, value in element.attrib.items():
        if name not in _ATTRIBUTES:
            continue
        if name == "clip-path":
            reference = _CLIP_REFERENCE.match(value)
            if not reference or reference.group(1) not in clips:
                continue
            value = f"url(#{clips[reference.group(1)]})"
        elif name == "style" and _UNSAFE_STYLE.search(value):
            continue
        elif name in _GEOMETRY:
            value = _NUMBER.sub(_number, value)
        attributes.append(f'{name}="{html.escape(value, quote=True)}"')
    inner = html.escape(element.text or "", quote=False)
    inner += "".join(
        _element(child, clips) + html.escape(child.tail or "", quote=False) for child in element
    )
    if tag in {"g", "defs"} and not inner.strip():
        return ""
    opening = " ".join([tag, *attributes])
    return f"<{opening}>{inner}</{tag}>"


class FirstMapImages:
    """The first maps' images: kept in a folder, drawn by a separate process when missing.

    Parameters
    ----------
    folder
        Where the images are kept (see :func:`cache_dir`); made if missing. A folder that
        cannot be written falls back to one under the system's temporary folder.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, str] = OrderedDict()
        # The pages asked about last (the editor's and the viewer's of a data version), by id.
        self._pages: OrderedDict[int, tuple[Any, str, str]] = OrderedDict()
        self._children: list[subprocess.Popen[bytes]] = []
        self._warned: set[str] = set()

    def for_page(self, page: Any) -> str | None:
        """Return the image of a page's first map, or None while it is drawn (drawing it).

        Parameters
        ----------
        page
            The page's component tree (the same object for as long as the data is).
        """
        entry = self._entry(page)
        if entry is None:
            return None
        key, figure_json = entry
        with self._lock:
            svg = self._memory.get(key)
        if svg is not None:
            return svg
        svg = self._read(key)
        if svg is not None:
            with self._lock:
                self._memory[key] = svg
                while len(self._memory) > KEPT_IN_MEMORY:
                    self._memory.popitem(last=False)
            return svg
        self._start(key, figure_json)
        return None

    def _entry(self, page: Any) -> tuple[str, str] | None:
        with self._lock:
            known = self._pages.get(id(page))
            if known is not None and known[0] is page:
                return known[1], known[2]
        figure = map_figure(page)
        if figure is None:
            return None
        figure_json = json.dumps(shown_figure(figure), sort_keys=True, separators=(",", ":"))
        key = image_key(figure_json)
        with self._lock:
            self._pages[id(page)] = (page, key, figure_json)
            while len(self._pages) > 4:
                self._pages.popitem(last=False)
        return key, figure_json

    def _read(self, key: str) -> str | None:
        path = self.folder / f"{key}.svg"
        try:
            if path.stat().st_size > MAX_BYTES:
                return None
            return clean_svg(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, FirstImageError) as err:
            self._warn(key, f"the first map's image {path} could not be used: {err}")
            return None

    def _start(self, key: str, figure_json: str) -> None:
        """Start the process that draws ``key``, unless one is drawing it or it just failed."""
        with self._lock:
            self._children = [c for c in self._children if c.poll() is None]
        failed = self.folder / f"{key}.failed"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if failed.exists() and time.time() - failed.stat().st_mtime < RETRY_SECONDS:
                reason = failed.read_text(encoding="utf-8", errors="replace")[:2000].strip()
                self._warn(key, f"the first map's image could not be drawn ({reason})")
                return
            lock = self.folder / f"{key}.lock"
            try:
                descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                if time.time() - lock.stat().st_mtime < STALE_LOCK_SECONDS:
                    return  # another process draws it
                lock.unlink(missing_ok=True)
                descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(descriptor)
            figure_path = self.folder / f"{key}.json"
            write_atomically(figure_path, figure_json.encode())
            with (self.folder / f"{key}.log").open("wb") as out:
                child = subprocess.Popen(
                    [sys.executable, "-m", __name__, str(self.folder), key],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        except OSError as err:
            fallback = Path(tempfile.gettempdir()) / f"mapdash-{os.getuid()}" / "first-map"
            if self.folder != fallback:
                self._warn("folder", f"{self.folder} cannot be written ({err}); using {fallback}")
                self.folder = fallback
                self._start(key, figure_json)
            else:
                self._warn("folder", f"the first map's image cannot be drawn: {err}")
            return
        with self._lock:
            self._children.append(child)

    def _warn(self, what: str, message: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            log.warning("%s; the first map is drawn in the browser instead", message)


def _beyond_kept(folder: Path) -> Iterator[Path]:
    """Yield the folder's images older than the newest :data:`KEPT_ON_DISK`."""
    images = sorted(folder.glob("*.svg"), key=lambda p: p.stat().st_mtime, reverse=True)
    yield from images[KEPT_ON_DISK:]


def draw(folder: Path, key: str) -> Path:
    """Draw the image of ``folder/<key>.json`` into ``folder/<key>.svg`` (the process's job).

    Raises
    ------
    FirstImageError
        If the key is not a key, or the drawing is not a map.
    mapdash.errors.ExportError
        If Chromium cannot draw it.
    """
    import plotly.graph_objects as go

    from .. import export
    from ..export.engine import PageSize

    if not _KEY.match(key):
        raise FirstImageError(f"{key!r} is not an image key")
    figure_path = folder / f"{key}.json"
    figure = go.Figure(json.loads(figure_path.read_text(encoding="utf-8")))
    with export.open_exporter() as exporter:
        raw = exporter.render(figure, "svg", PageSize(WIDTH, HEIGHT))
    clean_svg(raw)  # refuse now what every reader would refuse
    target = folder / f"{key}.svg"
    write_atomically(target, raw)
    for old in _beyond_kept(folder):
        old.unlink(missing_ok=True)
    return target


def main(argv: list[str]) -> int:
    """``python -m mapdash.web.first_image FOLDER KEY``: draw one image, then drop the lock."""
    folder, key = Path(argv[0]), argv[1]
    try:
        draw(folder, key)
        (folder / f"{key}.failed").unlink(missing_ok=True)
        (folder / f"{key}.log").unlink(missing_ok=True)
        return 0
    except Exception as err:  # reported in the folder; the page draws its map in the browser
        (folder / f"{key}.failed").write_text(f"{type(err).__name__}: {err}\n", encoding="utf-8")
        print(f"the first map's image was not drawn: {err}", file=sys.stderr)
        return 1
    finally:
        (folder / f"{key}.json").unlink(missing_ok=True)
        (folder / f"{key}.lock").unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


__all__ = [
    "FirstImageError",
    "FirstMapImages",
    "cache_dir",
    "clean_svg",
    "draw",
    "image_key",
    "map_figure",
    "shown_figure",
]
