"""Map frames fitted to the six regions, the places named on a briefing map, and its scale bar.

Pure geometry (pyproj, shapely; no plotly): :mod:`mapdash.briefing_page` draws what this
works out. Plotly's geo subplot fits the projected outline of its lon/lat ranges into its
domain; :func:`fit_frame` chooses ranges whose outline is exactly the box wanted, so that
positions on the page can be computed here (labels kept in frame, the scale bar's length).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pyproj
import shapely

#: The standard parallels of the briefing maps' conic conformal projection.
PARALLELS = (45.0, 51.0)
#: d3-geo (which plotly's geo subplot uses) projects a sphere.
EARTH_RADIUS_KM = 6371.0088
#: Room left around the six regions, as a share of their larger projected side.
MARGIN = 0.08
#: The widest map for its height: past this the frame stops growing sideways and the page
#: gives the width to the legend instead (the map stays about the regions).
MAX_ASPECT = 1.6

#: The share of a frame's extra width (past the regions and their margin) that goes east.
EAST_SHARE = 0.2

PlaceKind = Literal["country", "capital", "sea"]


@dataclass(frozen=True)
class Place:
    """A name on the map: a country, a capital (drawn with a dot) or a sea."""

    name: str
    lon: float
    lat: float
    kind: PlaceKind


#: Placed where none of the six regions lies (the region labels are drawn there).
PLACES: tuple[Place, ...] = (
    Place("UKRAINE", 32.4, 49.05, "country"),
    Place("RUSSIA", 40.2, 51.35, "country"),
    Place("BELARUS", 28.3, 52.35, "country"),
    Place("MOLDOVA", 28.4, 47.55, "country"),
    Place("ROMANIA", 26.2, 46.2, "country"),
    Place("Kyiv", 30.52, 50.45, "capital"),
    Place("Moscow", 37.62, 55.75, "capital"),
    Place("Minsk", 27.56, 53.9, "capital"),
    Place("Chișinău", 28.86, 47.01, "capital"),
    Place("Black Sea", 31.6, 44.2, "sea"),
    Place("Sea of Azov", 36.75, 46.1, "sea"),
)


#: Plotly fits its lon/lat ranges into the subplot with d3's fitExtent, which is off by about
#: half a pixel at the scale it measures at (2-3% of a map this size). The ranges given to
#: plotly outline a box ``ZOOM`` times the frame, and the projection is zoomed in by as much:
#: the error shrinks as many times, and the frame's centre is where plotly puts it.
ZOOM = 4.0


#: Where a briefing writes each region's name (lon, lat): inside the region, and far enough
#: from its neighbours' names for two lines of an animation frame's large type.
LABEL_POINTS: dict[str, tuple[float, float]] = {
    "crimea": (34.3, 45.3),
    "donetsk": (37.8, 48.25),
    "luhansk": (39.35, 49.2),
    "kherson": (33.3, 46.5),
    "zaporizhzhia": (35.6, 47.3),
    "kursk": (36.1, 51.6),
}


@dataclass(frozen=True)
class Frame:
    """A map's window: the projected box it shows, and what plotly needs to show exactly that.

    ``x`` and ``y`` (km) of the box grow east and north; :meth:`page` turns a lon/lat into
    a share of the box from its top-left corner.
    """

    lon0: float
    #: The box shown, in projected km: west, south, east, north.
    box: tuple[float, float, float, float]
    #: Plotly's ranges (a box ``ZOOM`` times larger) and centre (the box's centre).
    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    center: tuple[float, float]

    @property
    def lat_span(self) -> tuple[float, float]:
        """The latitudes of the box's bottom and top edges on its central meridian."""
        _, south = _inverse(self.lon0).transform(0.0, self.box[1])
        _, north = _inverse(self.lon0).transform(0.0, self.box[3])
        return float(south), float(north)

    @property
    def aspect(self) -> float:
        """Width over height of the box."""
        x0, y0, x1, y1 = self.box
        return (x1 - x0) / (y1 - y0)

    @property
    def width_km(self) -> float:
        """Width of the box in projected km."""
        return self.box[2] - self.box[0]

    def page(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a point falls in the box: (0, 0) top-left, (1, 1) bottom-right."""
        x, y = _forward(self.lon0).transform(lon, lat)
        x0, y0, x1, y1 = self.box
        return (x - x0) / (x1 - x0), (y1 - y) / (y1 - y0)

    def contains(self, lon: float, lat: float, *, inset: float = 0.0) -> bool:
        """Whether a point is in the box, at least ``inset`` (share of the box) from its edges."""
        u, v = self.page(lon, lat)
        return inset <= u <= 1 - inset and inset <= v <= 1 - inset

    def scale_factor(self, lat: float) -> float:
        """Projected length over true length at a latitude (the conic's scale factor)."""
        factors = pyproj.Proj(_crs(self.lon0)).get_factors(self.lon0, lat)
        return float(factors.parallel_scale)


def _crs(lon0: float) -> pyproj.CRS:
    return pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_1={PARALLELS[0]} +lat_2={PARALLELS[1]} +lon_0={lon0} +lat_0=0 "
        f"+R={EARTH_RADIUS_KM * 1000} +units=km +no_defs"
    )


@functools.lru_cache(maxsize=32)
def _forward(lon0: float) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", _crs(lon0), always_xy=True)


@functools.lru_cache(maxsize=32)
def _inverse(lon0: float) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(_crs(lon0), "EPSG:4326", always_xy=True)


def outline_box(
    lon0: float, lon_range: tuple[float, float], lat_range: tuple[float, float]
) -> tuple[float, float, float, float]:
    """Return the projected bounding box of a lon/lat rectangle's outline, as plotly fits it."""
    lons = np.linspace(*lon_range, 80)
    lats = np.linspace(*lat_range, 80)
    west, east = lon_range
    south, north = lat_range
    outline_lon = np.concatenate([lons, np.full(80, east), lons[::-1], np.full(80, west)])
    outline_lat = np.concatenate([np.full(80, south), lats, np.full(80, north), lats[::-1]])
    x, y = _forward(lon0).transform(outline_lon, outline_lat)
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def _solve(low: float, high: float, value: Callable[[float], float], target: float) -> float:
    """Find t in [low, high] with value(t) == target, for a value growing with t."""
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if value(middle) < target else (low, middle)
    return (low + high) / 2


@functools.lru_cache(maxsize=64)
def _fit(bounds: tuple[float, ...], aspect: float) -> Frame:
    coords = np.array(bounds).reshape(-1, 2)
    lon0 = round(float((coords[:, 0].min() + coords[:, 0].max()) / 2), 3)
    for _ in range(3):
        x, y = _forward(lon0).transform(coords[:, 0], coords[:, 1])
        x0, x1, y0, y1 = x.min(), x.max(), y.min(), y.max()
        margin = MARGIN * max(x1 - x0, y1 - y0)
        x0, x1, y0, y1 = x0 - margin, x1 + margin, y0 - margin, y1 + margin
        content = (x1 - x0) / (y1 - y0)
        # An aspect of 0 asks for the regions' own.
        wanted = aspect if aspect > 0 else content
        if wanted > content:
            # Wider than the regions: mostly westwards, over the rest of Ukraine (the context
            # stops a little east of the Volga).
            grow = (y1 - y0) * wanted - (x1 - x0)
            x0, x1 = x0 - grow * (1 - EAST_SHARE), x1 + grow * EAST_SHARE
        else:
            grow = ((x1 - x0) / wanted - (y1 - y0)) / 2
            y0, y1 = y0 - grow, y1 + grow
        # Centre the projection on the box, so that its outline is symmetric about lon0.
        centre_lon, _ = _inverse(lon0).transform((x0 + x1) / 2, (y0 + y1) / 2)
        shift = float(centre_lon) - lon0
        lon0 = round(float(centre_lon), 3)
        if abs(shift) < 1e-3:
            break
    half = (x1 - x0) / 2
    middle = (y0 + y1) / 2
    box = (-half, y0, half, y1)
    _, centre_lat = _inverse(lon0).transform(0.0, middle)
    # The ranges' outline: ZOOM times the box about its centre.
    big_y0, big_y1 = middle - ZOOM * (y1 - y0) / 2, middle + ZOOM * (y1 - y0) / 2
    _, south = _inverse(lon0).transform(0.0, big_y0)
    south = float(south)

    def east_x(dw: float) -> float:
        return outline_box(lon0, (lon0 - dw, lon0 + dw), (south, south + 1.0))[2]

    dw = _solve(0.1, 170.0, east_x, ZOOM * half)

    def top_y(north: float) -> float:
        return outline_box(lon0, (lon0 - dw, lon0 + dw), (south, north))[3]

    north = _solve(south + 0.1, 89.0, top_y, big_y1)
    return Frame(
        lon0=lon0,
        box=box,
        lon_range=(round(lon0 - dw, 5), round(lon0 + dw, 5)),
        lat_range=(round(south, 5), round(north, 5)),
        center=(lon0, round(float(centre_lat), 5)),
    )


def fit_frame(
    geometries: Sequence[shapely.Geometry], box_width: float, box_height: float
) -> tuple[Frame, float, float]:
    """Fit a map of ``geometries`` into a box: the frame, and the map's width and height.

    The frame holds the geometries with a margin of ``MARGIN`` all round. A box wider than
    that grows the frame sideways (mostly west) up to ``MAX_ASPECT``; past it the map keeps
    that aspect and is narrower than the box (the page gives the rest to the legend). A box
    taller than the geometries gets a map of their aspect, as wide as the box and shorter.
    """
    hull = shapely.convex_hull(shapely.union_all(list(geometries)))
    ring = shapely.get_coordinates(hull)
    fitted = _fit(tuple(np.round(ring, 4).ravel().tolist()), 0.0)
    aspect = min(max(box_width / box_height, fitted.aspect), MAX_ASPECT)
    frame = _fit(tuple(np.round(ring, 4).ravel().tolist()), round(aspect, 3))
    width = min(box_width, box_height * frame.aspect)
    return frame, width, width / frame.aspect


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar: its length on the ground and on the map (share of the map's width)."""

    km: int
    share: float
    lat: float


_NICE_KM = (10, 20, 25, 50, 100, 150, 200, 250, 300, 500, 1000)


def scale_bar(frame: Frame, *, lat: float | None = None, target: float = 0.18) -> ScaleBar:
    """Choose a round length near ``target`` of the map's width, measured at ``lat``.

    The conic's scale varies with latitude (by under 1% across the six regions); the bar is
    true at ``lat`` (default: the middle of the frame).
    """
    at = sum(frame.lat_span) / 2 if lat is None else lat
    km_per_share = frame.width_km / frame.scale_factor(at)
    wanted = target * km_per_share
    km = min(_NICE_KM, key=lambda n: abs(math.log(n / wanted)))
    return ScaleBar(km, km / km_per_share, at)


def places_in(frame: Frame, *, inset: float = 0.04) -> tuple[Place, ...]:
    """Return the places of ``PLACES`` that fall inside the frame, away from its edges."""
    return tuple(p for p in PLACES if frame.contains(p.lon, p.lat, inset=inset))


__all__ = [
    "LABEL_POINTS",
    "ZOOM",
    "MARGIN",
    "MAX_ASPECT",
    "PARALLELS",
    "PLACES",
    "Frame",
    "Place",
    "ScaleBar",
    "fit_frame",
    "outline_box",
    "places_in",
    "scale_bar",
]
