"""Coverage simplification: neighbours keep identical borders at every resolution."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry.base import BaseGeometry

from .read import orient_for_drawing, polygonal_part


def clean_coverage(geometries: Sequence[BaseGeometry], *, gap_width: float) -> list[BaseGeometry]:
    """Make polygons a clean coverage: no overlaps, small gaps closed, shared edges identical.

    Natural Earth's admin-1 polygons do not match vertex for vertex along every shared border
    (Kherson/Crimea, Odesa/Moldova...), which coverage_simplify needs.

    Parameters
    ----------
    geometries
        Polygons that roughly tile an area.
    gap_width
        Gaps narrower than this (degrees) go to the neighbour with the longest shared border.

    Returns
    -------
    list
        The cleaned geometries, in input order.
    """
    cleaned = shapely.coverage_clean(list(geometries), gap_width=gap_width)
    return [polygonal_part(geom) for geom in cleaned]


def simplify_coverage(
    geometries: Sequence[BaseGeometry], *, tolerance: float, grid_size: float
) -> list[BaseGeometry]:
    """Simplify a clean coverage so neighbours keep identical borders, then snap to a grid.

    Plain ``simplify()`` works polygon by polygon and tears shared borders apart; shapely's
    coverage_simplify simplifies each shared edge once.

    Parameters
    ----------
    geometries
        A clean coverage (see clean_coverage).
    tolerance
        Simplification tolerance in degrees.
    grid_size
        Precision grid in degrees applied after simplifying.

    Returns
    -------
    list
        The simplified geometries (exterior rings clockwise), in input order.
    """
    return _snap_for_drawing(shapely.coverage_simplify(list(geometries), tolerance), grid_size)


def _snap_for_drawing(simplified: Sequence[BaseGeometry], grid_size: float) -> list[BaseGeometry]:
    # Snapping identical vertices to the same grid keeps shared edges identical.
    snapped = shapely.set_precision(list(simplified), grid_size, mode="pointwise")
    repaired = [
        polygonal_part(geom if geom.is_valid else shapely.make_valid(geom)) for geom in snapped
    ]
    return [orient_for_drawing(geom) for geom in repaired]


def simplify_coverage_around(
    geometries: Sequence[BaseGeometry],
    detailed: Sequence[bool],
    *,
    tolerance: float,
    context_tolerance: float,
    grid_size: float,
) -> list[BaseGeometry]:
    """Simplify a clean coverage: the detailed polygons at ``tolerance``, the rest coarser.

    The backdrop around the map's subjects can be drawn with far fewer vertices (each one is
    projected again at every redraw) without moving the subjects' own borders. Both
    simplifications keep the coverage's nodes, so every edge of the coarse one runs between the
    same nodes as in the fine one: the detailed polygons' edges are taken from the fine
    simplification, every other edge from the coarse one, and the faces they enclose are
    given back to their polygons. The result is still a coverage: neighbours share identical
    borders, detailed ones exactly as :func:`simplify_coverage` would draw them.

    Parameters
    ----------
    geometries
        A clean coverage (see clean_coverage).
    detailed
        For each geometry, whether it keeps the fine tolerance.
    tolerance, context_tolerance
        Simplification tolerances in degrees for the detailed polygons and for the others.
    grid_size
        Precision grid in degrees applied after simplifying.

    Returns
    -------
    list
        The simplified geometries (exterior rings clockwise), in input order.
    """
    polygons = list(geometries)
    fine = shapely.coverage_simplify(polygons, tolerance)
    coarse = shapely.coverage_simplify(polygons, context_tolerance)
    kept = [i for i, flag in enumerate(detailed) if flag]
    others = [i for i, flag in enumerate(detailed) if not flag]
    # Coarse edges of the others, less the coarse edges that border a detailed polygon, plus
    # the detailed polygons' fine edges: the linework of the result, noded by the union.
    linework = shapely.union_all(
        [
            shapely.difference(
                shapely.union_all(shapely.boundary(coarse[others])),
                shapely.union_all(shapely.boundary(coarse[kept])),
            ),
            shapely.union_all(shapely.boundary(fine[kept])),
        ]
    )
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    owners: list[list[BaseGeometry]] = [[] for _ in polygons]
    for face, inside in zip(faces, shapely.point_on_surface(faces), strict=True):
        # A face lies wholly inside or wholly outside the detailed polygons (their borders are
        # in the linework); outside, the coarse polygon it came from owns it. Faces inside no
        # polygon at all are holes (inland water, enclosed sea) and stay empty.
        owner = next((i for i in kept if fine[i].contains(inside)), None)
        for candidates in (coarse, fine):
            if owner is None:
                owner = next((i for i in others if candidates[i].contains(inside)), None)
        if owner is not None:
            owners[owner].append(face)
    merged = [shapely.coverage_union_all(mine) if mine else shapely.Polygon() for mine in owners]
    return _snap_for_drawing(merged, grid_size)
