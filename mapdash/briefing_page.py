"""The briefing drawn as a page that reads on its own, for slides and print.

Title (whose map and what it means), the as-of date, the map drawn by
:func:`mapdash.figures.map_figure` (the same traces the app shows) in a frame fitted to the six
regions, with country, capital and sea names and a scale bar; a legend column with the colours
on the map and the articles behind them; a footer with the note and the data's sources and
licences. Compare mode puts two maps side by side, earlier date left. No Dash here: the export
pipeline and the app both call it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import plotly.graph_objects as go
from shapely.geometry.base import BaseGeometry

from .briefing import Briefing, meaning, region_summary
from .cartography import (
    LABEL_POINTS,
    PARALLELS,
    ZOOM,
    Frame,
    Place,
    fit_frame,
    places_in,
    scale_bar,
)
from .figures import (
    FONT_FAMILY,
    HATCH_COLOR,
    LABEL_COLOR,
    LABEL_TRACE,
    REGION_LINE,
    map_figure,
    paint_regions,
)
from .legend import (
    CONTROL_COLOR,
    LEGEND,
    SHORT_LABELS,
    SHORTEST_LABELS,
    LegendEntry,
    legend_entry,
)
from .regions import REGION_IDS, REGIONS
from .timeline import RegionState, format_date

PAGE = "#ffffff"
MUTED = "#555555"
PLACE_COLOR = "#6b6b6b"
SEA_LABEL = "#4f7590"
#: A design canvas of 1920x1080; sizes scale with the canvas so that PDF pages read the same.
_DESIGN = (1920, 1080)
#: Average glyph width as a share of the font size, to wrap text plotly does not wrap.
_GLYPH = 0.55
_GLYPH_BOLD = 0.62
_PAD = 48.0
_MAP_GAP = 36.0
_COLUMN_GAP = 48.0
#: The legend column's narrowest width (design pixels); a map that stops growing gives it more.
_COLUMN = {1: 420.0, 2: 380.0}
#: Animation frames are small images: no text under this many pixels, map labels at least
#: this tall (a capital letter is about 0.7 of the font size: 18 px type, 12.6 px capitals).
FRAME_MIN_TEXT_PX = 13.0
FRAME_LABEL_PX = 18.0


@dataclass(frozen=True)
class _Canvas:
    """Converts design pixels (top-left origin, 1920 wide or 1080 high) into paper coordinates."""

    width: int
    height: int
    #: Smallest font size in output pixels (animation frames); 0 for none.
    min_px: float = 0.0

    @property
    def unit(self) -> float:
        return min(self.width / _DESIGN[0], self.height / _DESIGN[1])

    @property
    def page_width(self) -> float:
        return self.width / self.unit

    @property
    def page_height(self) -> float:
        return self.height / self.unit

    def px(self, value: float) -> float:
        return value * self.unit

    def x(self, px: float) -> float:
        return px * self.unit / self.width

    def y(self, px: float) -> float:
        return 1 - px * self.unit / self.height

    def size(self, design: float) -> float:
        """Return a font size in design pixels, raised to the canvas's smallest readable size."""
        return max(design, self.min_px / self.unit)


@dataclass(frozen=True)
class PageLayout:
    """The heights (design pixels) the text around the maps takes; the maps get the rest.

    The frames of an animation share one (the largest of each), so that the map stays put.
    """

    header: float
    headings: float
    footer: float
    sources_in_footer: bool = False

    def union(self, *others: PageLayout) -> PageLayout:
        """Return the layout that has room for this one's text and every other's."""
        every = (self, *others)
        return PageLayout(
            header=max(o.header for o in every),
            headings=max(o.headings for o in every),
            footer=max(o.footer for o in every),
            sources_in_footer=any(o.sources_in_footer for o in every),
        )


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


def _line(canvas: _Canvas, x0: float, y0: float, x1: float, y1: float, **line: Any) -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "yref": "paper",
        "x0": canvas.x(x0),
        "y0": canvas.y(y0),
        "x1": canvas.x(x1),
        "y1": canvas.y(y1),
        "line": line,
    }


def _rect(canvas: _Canvas, x: float, y: float, w: float, h: float, **style: Any) -> dict:
    return {
        "type": "rect",
        "xref": "paper",
        "yref": "paper",
        "x0": canvas.x(x),
        "x1": canvas.x(x + w),
        "y0": canvas.y(y + h),
        "y1": canvas.y(y),
        **style,
    }


_CHIP = (34.0, 22.0)
_HATCH_STEP = 7.0


def _hatch(
    canvas: _Canvas, x: float, y: float, *, rising: bool, color: str
) -> list[dict[str, Any]]:
    r"""Hatch a chip: "/" lines (``rising``, as regions are hatched) or "\\" (control layers)."""
    w, h = _CHIP
    shapes = []
    t = _HATCH_STEP
    while t < w + h:
        xa, xb = max(0.0, t - h), min(w, t)
        if rising:
            x0, x1 = xa, xb
        else:
            x0, x1 = w - xa, w - xb
        shapes.append(_line(canvas, x + x0, y + t - xa, x + x1, y + t - xb, color=color, width=1))
        t += _HATCH_STEP
    return shapes


def _swatch(canvas: _Canvas, entry: LegendEntry, x: float, y: float) -> list[dict[str, Any]]:
    """Draw a colour chip as the map draws it, hatched where the map hatches."""
    chip = _rect(
        canvas,
        x,
        y,
        *_CHIP,
        fillcolor=entry.fill,
        line={"color": REGION_LINE, "width": 1},
        name=f"swatch-{entry.key}",
    )
    shapes = [chip]
    if entry.hatch:
        shapes += _hatch(canvas, x, y, rising=True, color=HATCH_COLOR)
    return shapes


def _control_swatch(canvas: _Canvas, x: float, y: float) -> list[dict[str, Any]]:
    r"""Draw the control layer's chip: outline and "\\" hatching, as on the map."""
    chip = _rect(
        canvas, x, y, *_CHIP, line={"color": CONTROL_COLOR, "width": 1.4}, name="swatch-control"
    )
    return [chip, *_hatch(canvas, x, y, rising=False, color=CONTROL_COLOR)]


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
    size = canvas.size
    notes: list[dict[str, Any]] = [_text(canvas, "<b>Legend</b>", x, top, size(22), name="legend")]
    shapes: list[dict[str, Any]] = []
    y = top + 1.9 * size(22)
    text_x = x + 48
    label_size, note_size = size(19), size(16)
    for entry in (e for e in LEGEND if e.key in used):
        shapes += _swatch(canvas, entry, x, y + 2)
        label = _wrap(entry.label, width - 48, label_size, bold=True)
        notes.append(
            _text(
                canvas, "<b>" + "<br>".join(label) + "</b>", text_x, y, label_size, name=entry.key
            )
        )
        y += 1.37 * label_size * len(label)
        lines = _wrap(entry.description, width - 48, note_size)
        notes.append(
            _text(
                canvas,
                "<br>".join(lines),
                text_x,
                y,
                note_size,
                color=MUTED,
                name=f"{entry.key}-description",
            )
        )
        y += 1.31 * note_size * len(lines) + 20
    if control_date is not None:
        shapes += _control_swatch(canvas, x, y + 2)
        text = f"Held by Russia per the control layer of {format_date(control_date)}"
        label = _wrap(text, width - 48, label_size, bold=True)
        notes.append(
            _text(
                canvas, "<b>" + "<br>".join(label) + "</b>", text_x, y, label_size, name="control"
            )
        )
        y += 1.37 * label_size * len(label) + 20
    if briefing.differences:
        names = ", ".join(REGIONS[r].name for r in briefing.differences)
        lines = _wrap(f"Outlined in bold: where the two maps differ ({names}).", width, note_size)
        notes.append(_text(canvas, "<br>".join(lines), x, y, note_size, name="differences"))
        y += 1.31 * note_size * len(lines) + 20
    elif len(briefing.maps) == 2:
        notes.append(
            _text(canvas, "The two maps agree on every region.", x, y, note_size, name="same")
        )
        y += 2.4 * note_size
    return _Block(tuple(notes), tuple(shapes), y - top)


def _sources_text(briefing: Briefing) -> list[str]:
    return list(briefing.sources) or ["none (the selection names no region yet)"]


def _sources_block(
    canvas: _Canvas, briefing: Briefing, x: float, top: float, width: float
) -> _Block:
    """List the articles behind the colours, one per line, under the legend."""
    size = canvas.size(15)
    notes = [
        _text(canvas, "<b>Sources of the positions</b>", x, top, canvas.size(17), name="sources")
    ]
    y = top + 1.6 * canvas.size(17)
    for i, source in enumerate(_sources_text(briefing)):
        lines = _wrap(source, width, size)
        notes.append(_text(canvas, "<br>".join(lines), x, y, size, color=MUTED, name=f"source-{i}"))
        y += 1.4 * size * len(lines) + 6
    return _Block(tuple(notes), (), y - top)


def _footer_lines(
    canvas: _Canvas,
    briefing: Briefing,
    credits: Sequence[str],
    width: float,
    *,
    with_sources: bool,
) -> list[tuple[str, float, str]]:
    """Lines under the map: note, (sources), data credits, as (text, size, colour)."""
    note, small = canvas.size(17), canvas.size(15)
    lines: list[tuple[str, float, str]] = []
    if briefing.note:
        lines += [
            (line, note, LABEL_COLOR) for line in _wrap(f"Note: {briefing.note}", width, note)
        ]
    if with_sources:
        text = f"Sources of the positions: {'; '.join(_sources_text(briefing))}."
        lines += [(line, small, MUTED) for line in _wrap(text, width, small)]
    for credit in credits:
        lines += [(line, small, MUTED) for line in _wrap(credit, width, small)]
    return lines


def _footer_height(lines: Sequence[tuple[str, float, str]]) -> float:
    return sum(size * 1.45 for _, size, _ in lines) + 16


def _date_text(briefing: Briefing, large_date: bool) -> tuple[str, float]:
    dates = list(dict.fromkeys(m.date for m in briefing.maps))
    size = 64 if large_date else 40
    if len(dates) == 1:
        return dates[0].strftime("%-d %B %Y"), size
    return " / ".join(format_date(d) for d in dates), round(size * 0.7)


@dataclass(frozen=True)
class _Header:
    title: list[str]
    said: list[str]
    date_text: str
    date_size: float
    headings: list[tuple[list[str], list[str]]]
    layout: PageLayout


def _compose(
    canvas: _Canvas,
    briefing: Briefing,
    credits: Sequence[str],
    *,
    large_date: bool,
) -> _Header:
    """Wrap the page's text and measure the heights it takes."""
    page_w, page_h = canvas.page_width, canvas.page_height
    n = len(briefing.maps)
    date_text, date_size = _date_text(briefing, large_date)
    date_size = canvas.size(date_size)
    title_size = canvas.size(38)
    date_w = max(len(date_text) * date_size * _GLYPH_BOLD, 240)
    title = _wrap(briefing.title, page_w - 2 * _PAD - date_w - 48, title_size, bold=True)
    header = _PAD + max(len(title) * 1.26 * title_size, 24 + date_size * 1.25) + 16
    said: list[str] = []
    if n == 1:
        said = _wrap(region_summary(briefing.maps[0]), page_w - 2 * _PAD, canvas.size(22))
        header += 1.36 * canvas.size(22) * len(said) + 20
    slot = (page_w - 2 * _PAD - _COLUMN[n] - _COLUMN_GAP - _MAP_GAP * (n - 1)) / n
    headings: list[tuple[list[str], list[str]]] = []
    heading_h = 0.0
    if n > 1:
        big, small = canvas.size(19), canvas.size(15)
        for m in briefing.maps:
            heading = _wrap(m.heading, slot, big, bold=True)
            summary = _wrap(
                meaning(m.states) or m.notice or "Names no region by this date.", slot, small
            )
            headings.append((heading, summary))
        heading_h = max(1.37 * big * (len(h) + 1) + 1.33 * small * len(s) for h, s in headings) + 14
    footer = _footer_height(
        _footer_lines(canvas, briefing, credits, page_w - 2 * _PAD, with_sources=False)
    )
    # The sources go under the legend if the narrowest column holds both; else in the footer.
    column_h = page_h - _PAD - footer - header
    probe = _Canvas(canvas.width, canvas.height, canvas.min_px)
    needed = (
        _legend_block(probe, briefing, 0, 0, _COLUMN[n], control_date=dt.date.today()).height
        + _sources_block(probe, briefing, 0, 0, _COLUMN[n]).height
        + 24
    )
    in_footer = needed > column_h
    if in_footer:
        footer = _footer_height(
            _footer_lines(canvas, briefing, credits, page_w - 2 * _PAD, with_sources=True)
        )
    return _Header(
        title,
        said,
        date_text,
        date_size,
        headings,
        PageLayout(header, heading_h, footer, in_footer),
    )


def page_layout(
    briefing: Briefing,
    width: int,
    height: int,
    *,
    frame: bool = False,
    credits: Sequence[str] = (),
) -> PageLayout:
    """Measure the text of a briefing page (see :class:`PageLayout`)."""
    canvas = _Canvas(width, height, FRAME_MIN_TEXT_PX if frame else 0.0)
    return _compose(canvas, briefing, credits, large_date=frame).layout


def _region_labels(
    states: Sequence[RegionState], small: float, *, words: Mapping[str, str]
) -> list[str]:
    """Region names with what the map gives them underneath, for readers without colour."""
    labels = []
    for state in states:
        entry = legend_entry(state.disposition)
        name = f"<b>{REGIONS[state.region].name}</b>"
        if entry.key == "not_mentioned":
            labels.append(name)
        else:
            labels.append(f"{name}<br><span style='font-size:{small}px'>{words[entry.key]}</span>")
    return labels


def _place_traces(
    places: Sequence[Place], geo: str, canvas: _Canvas, base: float, *, large: bool
) -> list[dict[str, Any]]:
    """Country, capital and sea names, quiet, drawn over the map but under nothing else."""
    traces: list[dict[str, Any]] = []
    country = base * 1.15 if large else base
    styles: dict[str, dict[str, Any]] = {
        "country": {"color": PLACE_COLOR, "size": country, "weight": 600, "style": "normal"},
        "sea": {"color": SEA_LABEL, "size": base * 0.95, "weight": 400, "style": "italic"},
    }
    for kind, style in styles.items():
        chosen = [p for p in places if p.kind == kind]
        if chosen:
            traces.append(
                {
                    "type": "scattergeo",
                    "lon": [p.lon for p in chosen],
                    "lat": [p.lat for p in chosen],
                    "text": [p.name for p in chosen],
                    "mode": "text",
                    "textfont": {
                        "family": FONT_FAMILY,
                        "size": round(canvas.px(style["size"]), 1),
                        "color": style["color"],
                        "weight": style["weight"],
                        "style": style["style"],
                    },
                    "hoverinfo": "skip",
                    "name": f"places-{kind}",
                    "showlegend": False,
                    "geo": geo,
                }
            )
    capitals = [p for p in places if p.kind == "capital"]
    if capitals:
        traces.append(
            {
                "type": "scattergeo",
                "lon": [p.lon for p in capitals],
                "lat": [p.lat for p in capitals],
                "text": [p.name for p in capitals],
                "mode": "markers+text",
                "textposition": "middle right",
                "marker": {
                    "size": round(canvas.px(9), 1),
                    "color": "#ffffff",
                    "line": {"color": LABEL_COLOR, "width": max(1.0, round(canvas.px(2), 1))},
                    "symbol": "circle",
                },
                "textfont": {
                    "family": FONT_FAMILY,
                    "size": round(canvas.px(base), 1),
                    "color": LABEL_COLOR,
                    "weight": 600,
                    "shadow": "auto",
                },
                "hoverinfo": "skip",
                "name": "places-capital",
                "showlegend": False,
                "geo": geo,
            }
        )
    return traces


def _scale_block(
    canvas: _Canvas, frame: Frame, left: float, top: float, map_w: float, map_h: float
) -> _Block:
    """Draw a scale bar in the map's lower right corner: two halves, 0 and the length in km."""
    bar = scale_bar(frame)
    length = bar.share * map_w
    size = canvas.size(14)
    h = 7.0
    x, y = left + map_w - 24 - length - size * 1.6, top + map_h - 16 - h
    white = {"color": LABEL_COLOR, "width": 1}
    shapes = [
        _rect(
            canvas,
            x - size * 0.9,
            y - size * 1.75,
            length + size * 2.8,
            size * 1.75 + h + 8,
            fillcolor="rgba(255,255,255,0.8)",
            line={"width": 0},
            name="scale-backing",
        ),
        _rect(canvas, x, y, length / 2, h, fillcolor=LABEL_COLOR, line=white, name="scale-bar"),
        _rect(canvas, x + length / 2, y, length / 2, h, fillcolor="#ffffff", line=white),
    ]
    label_y = y - size * 1.5
    notes = [
        _text(canvas, "0", x, label_y, size, anchor="center", name="scale-0"),
        _text(canvas, f"{bar.km} km", x + length, label_y, size, anchor="center", name="scale"),
    ]
    return _Block(tuple(notes), tuple(shapes), h)


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
    credits: Sequence[str] = (),
    layout: PageLayout | None = None,
) -> go.Figure:
    """Draw a briefing: title, as-of date, map(s), legend, sources and credits; no controls.

    Parameters
    ----------
    briefing
        What to say, from :func:`make_briefing`.
    regions, context
        The geodata, as the app loads it.
    width, height
        The page in CSS pixels; text and margins scale with it (designed at 1920x1080).
    large_date
        An animation frame: the as-of date extra large, no text too small for the frame.
    control, control_date
        Territory held by Russia per a control layer and the layer's date, drawn on the map
        of the date asked for as the app draws it (outlined, hatched) and explained in the
        legend.
    credits
        Where the drawn data comes from (:func:`mapdash.briefing.credits`), in the footer.
    layout
        Heights of the text around the maps, to draw several pages with the map in the same
        place (:func:`page_layout`, :meth:`PageLayout.union`); default: this page's own.

    Returns
    -------
    plotly.graph_objects.Figure
        One geo subplot per map, traces as :func:`mapdash.figures.map_figure` builds them.
    """
    canvas = _Canvas(width, height, FRAME_MIN_TEXT_PX if large_date else 0.0)
    page_w, page_h = canvas.page_width, canvas.page_height
    n = len(briefing.maps)
    composed = _compose(canvas, briefing, credits, large_date=large_date)
    fixed = layout or composed.layout
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []

    # Header: the title on the left, the as-of date large on the right, what it means below.
    title_size = canvas.size(38)
    annotations += [
        _text(
            canvas,
            "<b>" + "<br>".join(composed.title) + "</b>",
            _PAD,
            _PAD - 8,
            title_size,
            name="title",
        ),
        _text(
            canvas,
            "As of",
            page_w - _PAD,
            _PAD - 8,
            canvas.size(18),
            anchor="right",
            color=MUTED,
            name="as",
        ),
        _text(
            canvas,
            f"<b>{composed.date_text}</b>",
            page_w - _PAD,
            _PAD - 8 + 1.33 * canvas.size(18),
            composed.date_size,
            anchor="right",
            name="date",
        ),
    ]
    if composed.said:
        said_top = (
            _PAD + max(len(composed.title) * 1.26 * title_size, 24 + composed.date_size * 1.25) + 16
        )
        annotations.append(
            _text(
                canvas,
                "<br>".join(composed.said),
                _PAD,
                said_top,
                canvas.size(22),
                color=MUTED,
                name="meaning",
            )
        )

    # Footer: note and credits (and sources if the column has no room), under a rule.
    footer = _footer_lines(
        canvas, briefing, credits, page_w - 2 * _PAD, with_sources=fixed.sources_in_footer
    )
    y = page_h - _PAD - fixed.footer + 16
    shapes.append(_line(canvas, _PAD, y - 14, page_w - _PAD, y - 14, color="#cccccc", width=1))
    for i, (line, size, color) in enumerate(footer):
        annotations.append(_text(canvas, line, _PAD, y, size, color=color, name=f"footer-{i}"))
        y += size * 1.45
    bottom = page_h - _PAD - fixed.footer - 12

    # Body: the map(s) in a frame fitted to the six regions; the legend column takes the rest.
    legend_top = fixed.header
    top = legend_top + fixed.headings
    slot = (page_w - 2 * _PAD - _COLUMN[n] - _COLUMN_GAP - _MAP_GAP * (n - 1)) / n
    frame, map_w, map_h = fit_frame(list(regions.geometry), slot, bottom - top)
    legend_x = _PAD + n * map_w + (n - 1) * _MAP_GAP + _COLUMN_GAP
    column_w = page_w - _PAD - legend_x
    main = briefing.main
    legend = _legend_block(
        canvas,
        briefing,
        legend_x,
        legend_top,
        column_w,
        control_date=control_date if control is not None else None,
    )
    annotations += legend.annotations
    shapes += legend.shapes
    if not fixed.sources_in_footer:
        sources = _sources_block(
            canvas, briefing, legend_x, legend_top + legend.height + 12, column_w
        )
        annotations += sources.annotations
    label_size = canvas.size(17 if n == 1 else 14)
    small_size = canvas.size(label_size * 0.8)
    if large_date:
        label_size = max(label_size, FRAME_LABEL_PX / canvas.unit)
        small_size = max(small_size, FRAME_LABEL_PX / canvas.unit)
    places = places_in(frame)
    # Traces and layout as plain dicts, validated once when the figure is built at the end.
    traces: list[dict[str, Any]] = []
    geos: dict[str, dict[str, Any]] = {}
    for i, briefing_map in enumerate(briefing.maps):
        left = _PAD + i * (map_w + _MAP_GAP)
        if n > 1:
            heading_lines, summary_lines = composed.headings[i]
            big, small = canvas.size(19), canvas.size(15)
            text = "<b>" + "<br>".join(heading_lines) + "</b>"
            text += f"<br>as of {format_date(briefing_map.date)}"
            annotations.append(_text(canvas, text, left, legend_top, big, name=f"heading-{i}"))
            y = legend_top + 1.37 * big * (len(heading_lines) + 1)
            annotations.append(
                _text(
                    canvas,
                    "<br>".join(summary_lines),
                    left,
                    y,
                    small,
                    color=MUTED,
                    name=f"meaning-{i}",
                )
            )
        geo = "geo" if i == 0 else f"geo{i + 1}"
        paint = paint_regions(briefing_map.states, highlight=briefing.differences)
        drawn = map_figure(regions, context, paint, control=control if i == main else None)
        drawn_traces = [trace.to_plotly_json() for trace in drawn.data]
        labels = drawn_traces[LABEL_TRACE]
        # Hatching and the control layer under the names: every label is drawn last.
        traces += [
            {**trace, "geo": geo}
            for index, trace in enumerate(drawn_traces)
            if index != LABEL_TRACE
        ]
        by_region = {state.region: state for state in briefing_map.states}
        ordered = [by_region.get(rid, RegionState(rid, None)) for rid in REGION_IDS]
        traces.append(
            {
                **labels,
                "lon": [LABEL_POINTS[rid][0] for rid in REGION_IDS],
                "lat": [LABEL_POINTS[rid][1] for rid in REGION_IDS],
                "text": _region_labels(
                    ordered,
                    round(canvas.px(small_size), 1),
                    words=SHORTEST_LABELS if large_date else SHORT_LABELS,
                ),
                "textfont": {**labels["textfont"], "size": round(canvas.px(label_size), 1)},
                "geo": geo,
            }
        )
        place_size = FRAME_LABEL_PX / canvas.unit if large_date else 15.0
        traces += _place_traces(places, geo, canvas, place_size, large=not large_date)
        scale = _scale_block(canvas, frame, left, top, map_w, map_h)
        annotations += scale.annotations
        shapes += scale.shapes
        geo_layout = drawn.layout.geo.to_plotly_json()
        geo_layout.update(
            domain={
                "x": [canvas.x(left), canvas.x(left + map_w)],
                "y": [canvas.y(top + map_h), canvas.y(top)],
            },
            projection={
                "type": "conic conformal",
                "parallels": list(PARALLELS),
                "rotation": {"lon": frame.lon0},
                "scale": ZOOM,
            },
            center={"lon": frame.center[0], "lat": frame.center[1]},
            lonaxis={"range": list(frame.lon_range)},
            lataxis={"range": list(frame.lat_range)},
        )
        geos[geo] = geo_layout
    page_layout_ = {
        **geos,
        "width": width,
        "height": height,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": PAGE,
        "font": {"family": FONT_FAMILY, "color": LABEL_COLOR},
        "showlegend": False,
        "annotations": annotations,
        "shapes": shapes,
        "dragmode": False,
    }
    return go.Figure(data=traces, layout=page_layout_)


__all__ = ["PageLayout", "briefing_figure", "page_layout"]
