"""The shipped reference every check measures against, read once per change of the files.

The Natural Earth regions and context the project ships stay the reference of every
plausibility check, whatever has been installed since, so that one wrong file cannot become
the yardstick that flags the right one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas
import shapely
from shapely.geometry.base import BaseGeometry

from .versions import CONTEXT_WEB_FILE, REGIONS_FILE, default_dir, load_context, shipped_regions


@dataclass(frozen=True, eq=False)
class Reference:
    """The shipped geometry the checks need, with the unions they use computed once."""

    regions: geopandas.GeoDataFrame
    context: geopandas.GeoDataFrame
    #: Ukraine (the regions but Kursk, and the other oblasts).
    ukraine: BaseGeometry
    #: Ukraine and Kursk: where a control layer may lie.
    territory: BaseGeometry
    #: All shipped land: the six regions and the whole context.
    land: BaseGeometry


def shipped_reference(geodata_dir: Path | None = None) -> Reference:
    """Return the shipped reference of ``geodata_dir`` (cached until its files change).

    Raises
    ------
    GeodataError
        When a shipped file is unusable.
    """
    folder = default_dir(geodata_dir)
    stats: list[tuple[int, int, int] | None] = []
    for name in (REGIONS_FILE, CONTEXT_WEB_FILE):
        try:
            stat = (folder / name).stat()
            stats.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        except OSError:
            stats.append(None)
    return _reference(folder, tuple(stats))


@functools.lru_cache(maxsize=8)
def _reference(folder: Path, _stats: tuple[object, ...]) -> Reference:
    regions = shipped_regions(resolution="full", geodata_dir=folder)
    context = load_context(geodata_dir=folder, shipped=True)
    oblasts = list(context[context["kind"] == "ukraine_oblast"].geometry)
    ukraine = shapely.union_all(
        [*oblasts, *(geom for rid, geom in regions.geometry.items() if rid != "kursk")]
    )
    return Reference(
        regions=regions,
        context=context,
        ukraine=ukraine,
        territory=shapely.union_all([ukraine, regions.geometry["kursk"]]),
        land=shapely.union_all([*regions.geometry, *context.geometry]),
    )
