"""The page's two maps: the figure drawn once, the paint changed in place, what a view sends.

A map's geometry (the context, the six regions, their hatching and outlines) travels once,
with the page or when the boundaries change. Everything a view changes is its *paint*: the
regions' colours, hover text and outline widths, which hatching and dotted outlines show, the
notice over the map. The browser applies a paint to the drawn map in place
(``assets/mapdash.js``, ``paintMap``): a few attribute changes instead of a redraw of plotly's
geo subplot. So that it can, the hatching and the dotted outlines are always drawn and shown or
hidden by their opacity (a style change), not by ``visible`` (which redraws the subplot).

``slider_book`` holds the paint at every event date, so that a slider step is painted in the
browser before the server answers; ``map_output`` says what else one map needs: a whole figure
(new boundaries, or never drawn), a Patch (a control layer came or went, or the server paints),
or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import plotly.graph_objects as go
import shapely
from dash import Patch, no_update

from ..cartography import ZOOM, fit_frame
from ..control import ControlLayer
from ..figures import (
    CONTROL_TRACE,
    HATCH_OPACITY,
    HATCH_TRACES,
    REGION_TRACE,
    UNREVIEWED_TRACES,
    RegionPaint,
    control_lines,
    map_figure,
    notice_annotations,
)
from ..legend import LEGEND, legend_entry
from ..regions import REGION_IDS
from .data import AppData
from .live import Snapshot
from .render import screen
from .view import View, at_event


def narrow_view(regions: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the maps' view on a narrow screen: a portrait frame fitted to the six regions.

    The page's JavaScript (``assets/responsive.js``) switches a map to it below 700 pixels,
    where plotly would fit the landscape default range into a thin band.
    """
    frame, _, _ = fit_frame(list(regions.geometry), 1.0, 10.0)
    return {
        "geo.lonaxis.range": list(frame.lon_range),
        "geo.lataxis.range": list(frame.lat_range),
        "geo.projection.scale": ZOOM,
        "geo.projection.rotation.lon": frame.lon0,
        "geo.center.lon": frame.center[0],
        "geo.center.lat": frame.center[1],
    }


def _opacities(paint: RegionPaint) -> list[tuple[int, float]]:
    """Each hatching and dotted-outline trace with the opacity the paint gives it (0: hidden)."""
    hatch = [
        (trace, HATCH_OPACITY if shown else 0.0)
        for trace, shown in zip(HATCH_TRACES, paint.hatch_visible, strict=True)
    ]
    dotted = [
        (trace, 1.0 if shown else 0.0)
        for trace, shown in zip(UNREVIEWED_TRACES, paint.unreviewed, strict=True)
    ]
    return hatch + dotted


def paint_data(paint: RegionPaint) -> dict[str, Any]:
    """Return a map's paint as the browser applies it in place (``paintMap`` in mapdash.js).

    ``trace`` is the regions' trace; ``z``, ``fill``, ``hovertext`` and ``lineWidth`` follow
    its locations; ``opacity`` pairs trace indices with opacities.
    """
    return {
        "trace": REGION_TRACE,
        "z": list(paint.z),
        "fill": [LEGEND[z].fill for z in paint.z],
        "hovertext": list(paint.hovertext),
        "lineWidth": list(paint.line_width),
        "opacity": [list(pair) for pair in _opacities(paint)],
        "annotations": notice_annotations(paint.notice),
    }


def _overlay(patch: Patch, layer: ControlLayer | None) -> None:
    """Put a control layer's outline and hatching on the map (``CONTROL_TRACE``), or take it off."""
    lons, lats = control_lines(layer.geometry if layer else None)
    patch["data"][CONTROL_TRACE]["lon"] = lons
    patch["data"][CONTROL_TRACE]["lat"] = lats
    patch["data"][CONTROL_TRACE]["visible"] = bool(lons)
    patch["data"][CONTROL_TRACE]["name"] = f"control {layer.date.isoformat()}" if layer else ""


def map_patch(
    paint: RegionPaint, *, overlay: bool = False, layer: ControlLayer | None = None
) -> Patch:
    """Update a drawn map's paint, and with ``overlay`` its control layer (``layer``); no geometry.

    Every Patch carries the whole paint: the browser may have painted the map in place since the
    server last wrote its figure, and a Patch redraws the map from the figure it amends.
    """
    data = paint_data(paint)
    patch = Patch()
    regions = patch["data"][REGION_TRACE]
    regions["z"] = data["z"]
    regions["hovertext"] = data["hovertext"]
    regions["marker"]["line"]["width"] = data["lineWidth"]
    for trace, opacity in data["opacity"]:
        patch["data"][trace]["opacity"] = opacity
    patch["layout"]["annotations"] = data["annotations"]
    if overlay:
        _overlay(patch, layer)
    return patch


@dataclass(frozen=True)
class Marks:
    """The regions some view hatches, and those some view outlines as unreviewed.

    The page's figure carries the hatching and dotted outline of these regions only: no view
    of the app's claims shows the others (with the shipped claims, no dotted outline at all).
    """

    hatched: frozenset[str]
    unreviewed: frozenset[str]


def marks_used(data: AppData) -> Marks:
    """Find the regions hatched or outlined as unreviewed under any selection at any event."""
    hatched: set[str] = set()
    unreviewed: set[str] = set()
    timeline = data.timeline
    for option in timeline.options():
        for event in timeline.events:
            for state in timeline.regions(option.selection, event.date):
                if legend_entry(state.disposition).hatch:
                    hatched.add(state.region)
                if state.claim is not None and state.claim.status == "extracted":
                    unreviewed.add(state.region)
    return Marks(frozenset(hatched), frozenset(unreviewed))


def web_figure(
    regions: gpd.GeoDataFrame,
    context: gpd.GeoDataFrame,
    paint: RegionPaint,
    marks: Marks,
    *,
    control: shapely.Geometry | None = None,
) -> go.Figure:
    """Build a map as the page draws it: :func:`~mapdash.figures.map_figure`, ready to paint.

    The hatching and dotted outlines are drawn on every region in ``marks`` and shown by
    opacity; the others' traces stay empty. The figure carries its narrow-screen view
    (``layout.meta.narrowView``).
    """
    figure = map_figure(regions, context, paint, control=control)
    for trace, opacity in _opacities(paint):
        figure.data[trace].update(visible=True, opacity=opacity)
    for traces, used in ((HATCH_TRACES, marks.hatched), (UNREVIEWED_TRACES, marks.unreviewed)):
        for trace, region in zip(traces, REGION_IDS, strict=True):
            if region not in used:
                figure.data[trace].update(lon=[], lat=[])
    figure.update_layout(meta={"narrowView": narrow_view(regions)})
    return figure


@dataclass(frozen=True)
class SliderBook:
    """The maps' paint at every event date, for the browser to apply when the slider moves.

    ``pages[i]`` holds the paint (:func:`paint_data`) of the left map, and of the right one in
    compare mode, for the view moved to event ``i``; ``key`` fingerprints the pages, so that
    the server can tell whether the page already holds this book and then send no map at all
    for a slider step.
    """

    key: str
    pages: tuple[dict[str, Any], ...]

    def to_data(self) -> dict[str, Any]:
        """Return the book as the page stores it."""
        return {"key": self.key, "pages": list(self.pages)}


def slider_book(data: AppData, view: View) -> SliderBook:
    """Paint both maps of ``view`` at each event date (the slider's stops)."""
    pages = []
    for index in range(len(data.timeline.events)):
        drawn = screen(data, at_event(view, data.timeline, index))
        pages.append(
            {
                "left": paint_data(drawn.left.paint),
                "right": paint_data(drawn.right.paint) if drawn.right else None,
            }
        )
    digest = hashlib.sha1(json.dumps(pages, sort_keys=True).encode("utf-8"), usedforsecurity=False)
    return SliderBook(key=digest.hexdigest()[:16], pages=tuple(pages))


@dataclass(frozen=True)
class MapState:
    """What one map on the page draws apart from its paint: boundaries and control layer.

    ``regions`` is the boundaries' version (``Snapshot.regions_version``), ``layer`` the date
    of the control layer drawn ("" for none).
    """

    regions: str
    layer: str = ""

    def to_data(self) -> list[str]:
        """Return the state as the page stores it (in ``ids.SHOWN``)."""
        return [self.regions, self.layer]

    @classmethod
    def from_data(cls, value: Any) -> MapState | None:
        """Read a stored state back; None for a map not drawn yet (or anything else)."""
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            return cls(value[0], value[1])
        return None


def map_output(
    snapshot: Snapshot,
    drawn: MapState | None,
    paint: RegionPaint,
    date: dt.date,
    *,
    repaint: bool,
    marks: Marks,
) -> tuple[Any, MapState]:
    """Return what one map needs to show ``paint`` at ``date``, and what it then draws.

    Parameters
    ----------
    snapshot
        The live geodata: boundaries and the control layer in force at ``date``.
    drawn
        What the map draws now; None when it was never drawn (the second map before compare
        mode first opens).
    paint
        The paint the map should show.
    date
        The map's date (its control layer).
    repaint
        Whether the map may not show ``paint`` yet; False when the browser paints it itself
        (a slider step, from the slider book) or it shows it already.
    marks
        The hatching and outlines a new figure draws (:func:`marks_used`).

    Returns
    -------
    tuple
        A whole figure (new boundaries, or a map never drawn), a Patch (a control layer came
        or went, or ``repaint``), or ``no_update``; and the map's new state.
    """
    layer = snapshot.layer_at(date)
    now = MapState(snapshot.regions_version, layer.date.isoformat() if layer else "")
    if drawn is None or drawn.regions != now.regions:
        figure = web_figure(
            snapshot.regions_web,
            snapshot.context,
            paint,
            marks,
            control=layer.geometry if layer else None,
        )
        return figure, now
    if drawn.layer != now.layer:
        return map_patch(paint, overlay=True, layer=layer), now
    if repaint:
        return map_patch(paint), now
    return no_update, now
