"""Plotly figures of the regions under a selection; no Dash here, so exports can reuse them.

The map is one geo subplot with a fixed trace order, so that the web app can update colours,
hover text, outlines and hatching of an existing figure (``dash.Patch``) without resending any
geometry:

- ``CONTEXT_TRACE``: the rest of Ukraine and the neighbours, quiet grey, drawn from our geodata;
- ``REGION_TRACE``: the six regions, one choropleth coloured by disposition;
- ``HATCH_TRACES``: one line trace per region with its hatching, shown where the legend says so;
- ``LABEL_TRACE``: region names;
- ``CONTROL_TRACE``: the outline and cross-hatching of a control layer (empty when none);
- ``UNREVIEWED_TRACES``: one dotted outline per region, shown where the claim deciding it is
  machine-extracted and not yet reviewed.

A notice ("Not yet proposed: first reported ...") is a layout annotation over the map.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import shapely

from .legend import (
    CONTROL_COLOR,
    LEGEND,
    LEGEND_INDEX,
    UNREVIEWED_TEXT,
    legend_entry,
    voiced,
)
from .regions import REGION_IDS, REGIONS
from .timeline import RegionState, format_date
from .types import Article, LegendKey

#: Page and map colours; the sea is the map's background, land outside the six is quiet grey.
SEA = "#d3e1ea"
UKRAINE_LAND = "#eeece7"
OTHER_LAND = "#dedcd6"
CONTEXT_LINE = "#ffffff"
REGION_LINE = "#3d3d3d"
HIGHLIGHT_LINE = "#111111"
HATCH_COLOR = "#3b1530"
LABEL_COLOR = "#1b1b1b"
FONT_FAMILY = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', "
    "'Liberation Sans', sans-serif"
)


CONTEXT_TRACE = 0
REGION_TRACE = 1
HATCH_TRACES: tuple[int, ...] = tuple(range(2, 2 + len(REGION_IDS)))
LABEL_TRACE = 2 + len(REGION_IDS)
CONTROL_TRACE = LABEL_TRACE + 1
UNREVIEWED_TRACES: tuple[int, ...] = tuple(
    range(CONTROL_TRACE + 1, CONTROL_TRACE + 1 + len(REGION_IDS))
)
UNREVIEWED_LINE = "#000000"
#: How strongly the hatching shows over a region's fill.
HATCH_OPACITY = 0.55
#: The view: Ukraine with Kursk and the Sea of Azov (plotly's scale 1 shows the whole world).
MAP_CENTER = (33.2, 48.3)
MAP_SCALE = 3.6
_HATCH_SPACING_DEG = 0.22
_QUOTE_CHARS = 110
_HOVER_WIDTH = 56


@dataclass(frozen=True)
class RegionPaint:
    """Everything about the six regions that changes when the date or selection changes.

    Tuples follow ``REGION_IDS`` order.
    """

    legend_keys: tuple[LegendKey, ...]
    z: tuple[int, ...]
    hovertext: tuple[str, ...]
    line_width: tuple[float, ...]
    hatch_visible: tuple[bool, ...]
    #: Whether the claim deciding each region is unreviewed (dotted outline).
    unreviewed: tuple[bool, ...] = (False,) * len(REGION_IDS)
    #: Said over the map when the selection has nothing on the table yet ("" for nothing).
    notice: str = ""


def _short(text: str, limit: int = _QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def hover_text(state: RegionState, articles: Mapping[str, Article]) -> str:
    """Hover label of a region: name, disposition, and the claim behind it with its source."""
    entry = legend_entry(state.disposition)
    lines = [f"<b>{REGIONS[state.region].name}</b>", entry.label]
    claim = state.claim
    if claim is not None:
        who = voiced(claim.actor, [claim.speaker])
        lines.append(f"{who}, {format_date(claim.date, claim.date_precision)}")
        if claim.status == "extracted":
            lines.append(f"<b>{UNREVIEWED_TEXT}</b>")
        if state.via_all_occupied:
            lines.append("<i>Said of all occupied territory</i>")
        if claim.evidence:
            evidence = claim.evidence[0]
            # Plotly does not wrap hover labels; keep them about as wide as the region.
            lines.append("<br>".join(textwrap.wrap(f"“{_short(evidence.quote)}”", _HOVER_WIDTH)))
            article = articles.get(evidence.article)
            if article is not None:
                source = f"{_short(article.title, 60)}, {article.outlet}"
                source = f"{source}, {format_date(article.published)}"
                lines.extend(f"<i>{line}</i>" for line in textwrap.wrap(source, _HOVER_WIDTH))
    return "<br>".join(lines)


def paint_regions(
    states: Sequence[RegionState],
    *,
    articles: Mapping[str, Article] | None = None,
    highlight: Sequence[str] = (),
    notice: str = "",
) -> RegionPaint:
    """Colours, hover text and outlines of the six regions under one selection.

    Parameters
    ----------
    states
        One state per region, as ``Timeline.regions`` returns them.
    articles
        The corpus, to name the source of each quote in the hover text.
    highlight
        Regions drawn with a heavy outline (compare mode: where two selections differ).
    notice
        Said over the map, e.g. that the selection has nothing on the table yet.
    """
    by_region = {state.region: state for state in states}
    ordered = [by_region.get(rid, RegionState(rid, None)) for rid in REGION_IDS]
    entries = [legend_entry(state.disposition) for state in ordered]
    return RegionPaint(
        legend_keys=tuple(entry.key for entry in entries),
        z=tuple(LEGEND_INDEX[entry.key] for entry in entries),
        hovertext=tuple(hover_text(state, articles or {}) for state in ordered),
        line_width=tuple(3.5 if rid in highlight else 1.0 for rid in REGION_IDS),
        hatch_visible=tuple(entry.hatch for entry in entries),
        unreviewed=tuple(
            state.claim is not None and state.claim.status == "extracted" for state in ordered
        ),
        notice=notice,
    )


def notice_annotations(notice: str) -> list[dict[str, Any]]:
    """Return the map's notice as a layout annotation, top centre in a white box ([] for none)."""
    if not notice:
        return []
    return [
        {
            "text": notice,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.97,
            "xanchor": "center",
            "yanchor": "top",
            "showarrow": False,
            "font": {"family": FONT_FAMILY, "size": 16, "color": LABEL_COLOR},
            "bgcolor": "rgba(255,255,255,0.92)",
            "bordercolor": REGION_LINE,
            "borderwidth": 1,
            "borderpad": 6,
            "name": "notice",
        }
    ]


def outline_lines(geometry: shapely.Geometry) -> tuple[list[float | None], list[float | None]]:
    """Return a region's outline as lon/lat lists with None between rings."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for ring in shapely.get_parts(shapely.boundary(geometry)):
        coords = shapely.get_coordinates(ring).round(4)
        lons.extend([*coords[:, 0].tolist(), None])
        lats.extend([*coords[:, 1].tolist(), None])
    return lons, lats


def _discrete_colorscale() -> list[list[Any]]:
    """Build a stepped colour scale so that z == i is drawn in exactly LEGEND[i].fill."""
    n = len(LEGEND)
    scale: list[list[Any]] = []
    for i, entry in enumerate(LEGEND):
        scale.append([i / n, entry.fill])
        scale.append([(i + 1) / n, entry.fill])
    return scale


def _geojson(gdf: gpd.GeoDataFrame, ids: Sequence[str]) -> dict[str, Any]:
    """Build a FeatureCollection whose features carry only the id ``locations`` match."""
    geometries = shapely.set_precision(gdf.geometry.values, 1e-4)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": fid}, "geometry": json.loads(geom)}
            for fid, geom in zip(ids, shapely.to_geojson(geometries), strict=True)
        ],
    }


def hatch_lines(geometry: shapely.Geometry) -> tuple[list[float | None], list[float | None]]:
    """Diagonal hatching clipped to a region, as lon/lat lists with None between segments."""
    minx, miny, maxx, maxy = geometry.bounds
    span = (maxx - minx) + (maxy - miny)
    offsets = np.arange(-span, span, _HATCH_SPACING_DEG)
    lines = shapely.linestrings(
        [[(minx + o, miny), (minx + o + span, miny + span)] for o in offsets]
    )
    clipped = shapely.intersection(lines, geometry)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part in shapely.get_parts(clipped):
        if part.is_empty or part.geom_type != "LineString":
            continue
        coords = shapely.get_coordinates(part)
        lons.extend([*coords[:, 0].round(4).tolist(), None])
        lats.extend([*coords[:, 1].round(4).tolist(), None])
    return lons, lats


def _region_lines(
    ordered: gpd.GeoDataFrame,
    visible: Sequence[bool],
    draw: Callable[[shapely.Geometry], tuple[list[float | None], list[float | None]]],
    name: str,
    line: dict[str, Any],
    opacity: float = 1.0,
) -> list[go.Scattergeo]:
    """One line trace per region (hatching, outlines), shown where ``visible`` says."""
    traces = []
    for rid, shown in zip(REGION_IDS, visible, strict=True):
        lons, lats = draw(ordered.geometry[rid])
        traces.append(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                line=line,
                opacity=opacity,
                hoverinfo="skip",
                visible=shown,
                name=f"{name}-{rid}",
                showlegend=False,
            )
        )
    return traces


def map_figure(
    regions: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    paint: RegionPaint,
    *,
    height: int | None = None,
    title: str | None = None,
    show_legend: bool = False,
    labels: bool = True,
    control: shapely.Geometry | None = None,
) -> go.Figure:
    """Build the map of the six regions over their context.

    Parameters
    ----------
    regions
        ``geodata.load_regions()``: indexed by region id, geometry oriented for plotly.
    context
        ``geodata.load_context()``: the rest of Ukraine and the neighbours, with ``kind``.
    paint
        Colours and hover text from :func:`paint_regions`.
    height
        Figure height in pixels; None lets the container decide.
    title
        Optional title drawn above the map (for exports; the app has its own title bar).
    show_legend
        Add a plotly legend of every colour (for exports; the app draws an HTML legend).
    labels
        Draw region names.
    control
        Territory held by Russia per a control layer, drawn outlined and cross-hatched.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in the order given by the module constants.
    """
    ordered = regions.loc[list(REGION_IDS)]
    context_ids = [f"ctx-{i}" for i in range(len(context))]
    kinds = context["kind"].tolist() if "kind" in context else ["country"] * len(context)
    traces: list[go.BaseTraceType] = [
        go.Choropleth(
            geojson=_geojson(context, context_ids),
            locations=context_ids,
            featureidkey="properties.id",
            z=[1 if kind == "ukraine_oblast" else 0 for kind in kinds],
            zmin=0,
            zmax=1,
            colorscale=[[0, OTHER_LAND], [0.5, OTHER_LAND], [0.5, UKRAINE_LAND], [1, UKRAINE_LAND]],
            showscale=False,
            marker={"line": {"color": CONTEXT_LINE, "width": 0.6}},
            hoverinfo="skip",
            name="context",
            showlegend=False,
        ),
        go.Choropleth(
            geojson=_geojson(ordered, list(REGION_IDS)),
            locations=list(REGION_IDS),
            featureidkey="properties.id",
            z=list(paint.z),
            # z == i sits in the middle of colour band i, away from the band edges.
            zmin=-0.5,
            zmax=len(LEGEND) - 0.5,
            colorscale=_discrete_colorscale(),
            showscale=False,
            marker={"line": {"color": REGION_LINE, "width": list(paint.line_width)}},
            hovertext=list(paint.hovertext),
            hovertemplate="%{hovertext}<extra></extra>",
            hoverlabel={"bgcolor": "white", "font": {"family": FONT_FAMILY, "size": 13}},
            name="regions",
            showlegend=False,
        ),
    ]
    traces += _region_lines(
        ordered,
        paint.hatch_visible,
        hatch_lines,
        "hatch",
        {"color": HATCH_COLOR, "width": 1},
        HATCH_OPACITY,
    )
    points = shapely.point_on_surface(ordered.geometry.values)
    traces.append(
        go.Scattergeo(
            lon=shapely.get_x(points).round(3).tolist(),
            lat=shapely.get_y(points).round(3).tolist(),
            text=[REGIONS[rid].name for rid in REGION_IDS],
            mode="text",
            textfont={"family": FONT_FAMILY, "size": 13, "color": LABEL_COLOR, "shadow": "auto"},
            hoverinfo="skip",
            visible=labels,
            name="labels",
            showlegend=False,
        )
    )
    traces.append(control_trace(control))
    traces += _region_lines(
        ordered,
        paint.unreviewed,
        outline_lines,
        "unreviewed",
        {"color": UNREVIEWED_LINE, "width": 2.5, "dash": "dot"},
    )
    if show_legend:
        for entry in LEGEND:
            traces.append(
                go.Scattergeo(
                    lon=[None],
                    lat=[None],
                    mode="markers",
                    marker={
                        "symbol": "square-x" if entry.hatch else "square",
                        "size": 14,
                        "color": entry.fill,
                        "line": {"color": REGION_LINE, "width": 1},
                    },
                    name=entry.label,
                    showlegend=True,
                )
            )
        if any(paint.unreviewed):
            traces.append(
                go.Scattergeo(
                    lon=[None],
                    lat=[None],
                    mode="lines",
                    line={"color": UNREVIEWED_LINE, "width": 2.5, "dash": "dot"},
                    name="Unreviewed (machine-extracted) claim",
                    showlegend=True,
                )
            )
    fig = go.Figure(traces)
    fig.update_geos(
        visible=False,
        showland=False,
        showcountries=False,
        showcoastlines=False,
        showframe=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        bgcolor=SEA,
        projection={
            "type": "conic conformal",
            "parallels": [45, 51],
            "rotation": {"lon": MAP_CENTER[0]},
            "scale": MAP_SCALE,
        },
        center={"lon": MAP_CENTER[0], "lat": MAP_CENTER[1]},
        # Wider than the view, so that panning does not run into the edge of the drawn world.
        lonaxis={"range": [5, 60]},
        lataxis={"range": [35, 65]},
    )
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 48 if title else 0, "b": 0},
        paper_bgcolor=SEA,
        font={"family": FONT_FAMILY, "color": LABEL_COLOR},
        title={"text": title, "x": 0.01, "font": {"size": 18}} if title else None,
        showlegend=show_legend,
        legend={"x": 0.01, "y": 0.02, "bgcolor": "rgba(255,255,255,0.9)"},
        dragmode="pan",
        annotations=notice_annotations(paint.notice),
        # Keeps the user's zoom and pan while the app patches colours.
        uirevision="map",
    )
    return fig


def as_of_title(selection_label: str, date: dt.date) -> str:
    """Title line used by exports and the app: "Russia's position, as of 10 Aug 2025"."""
    return f"{selection_label}, as of {format_date(date)}"


def control_lines(
    geometry: shapely.Geometry | None,
) -> tuple[list[float | None], list[float | None]]:
    """Outline and cross-hatching of a control layer, as lon/lat lists with None between lines.

    Lines rather than a filled polygon: the disposition colour underneath stays readable, and
    the hatching runs against the disposition hatching so the two never blend.
    """
    if geometry is None or geometry.is_empty:
        return [], []
    # The layer may be full resolution; the map needs about 500 m.
    shape = shapely.simplify(geometry, 0.005, preserve_topology=True)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for ring in shapely.get_parts(shapely.boundary(shape)):
        coords = shapely.get_coordinates(ring).round(3)
        lons.extend([*coords[:, 0].tolist(), None])
        lats.extend([*coords[:, 1].tolist(), None])
    mirrored = shapely.transform(shape, lambda xy: xy * np.array([-1.0, 1.0]))
    hatch_lons, hatch_lats = hatch_lines(mirrored)
    lons.extend(-lon if lon is not None else None for lon in hatch_lons)
    lats.extend(hatch_lats)
    return lons, lats


def control_trace(geometry: shapely.Geometry | None, *, label: str = "") -> go.Scattergeo:
    """Build the map trace of a control layer (``CONTROL_TRACE``); invisible when there is none."""
    lons, lats = control_lines(geometry)
    return go.Scattergeo(
        lon=lons,
        lat=lats,
        mode="lines",
        line={"color": CONTROL_COLOR, "width": 1.4},
        hoverinfo="skip",
        visible=bool(lons),
        name=label or "control",
        showlegend=False,
    )
