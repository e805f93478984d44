"""Writing GeoJSON: deterministic bytes (sorted keys, rounded coordinates), atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import GeodataError


def _rounded(coords: Any, decimals: int) -> Any:
    if isinstance(coords, list | tuple):
        if coords and isinstance(coords[0], float | int):
            return [round(float(value), decimals) + 0.0 for value in coords]
        return [_rounded(item, decimals) for item in coords]
    return coords


def dumps_geojson(
    features: Iterable[tuple[Mapping[str, Any], BaseGeometry]], *, decimals: int
) -> bytes:
    """Serialise features as a deterministic GeoJSON FeatureCollection.

    Same input gives byte-identical output: sorted keys, coordinates rounded to ``decimals``,
    one feature per line (readable diffs), UTF-8, trailing newline.

    Parameters
    ----------
    features
        (properties, geometry) pairs in output order; geometry in EPSG:4326.
    decimals
        Decimal places kept in coordinates.

    Returns
    -------
    bytes
        The file content.
    """
    lines = []
    for properties, geometry in features:
        if not np.isfinite(shapely.get_coordinates(geometry)).all():
            raise GeodataError(
                f"refusing to write a geometry with non-finite coordinates (NaN or infinity), "
                f"properties {dict(properties)!r}"
            )
        mapping = shapely.geometry.mapping(geometry)
        feature = {
            "type": "Feature",
            "properties": dict(properties),
            "geometry": {
                "type": mapping["type"],
                "coordinates": _rounded(mapping["coordinates"], decimals),
            },
        }
        text = json.dumps(
            feature, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        lines.append(text)
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n'.encode()


def write_geojson(
    path: Path | str,
    features: Sequence[tuple[Mapping[str, Any], BaseGeometry]],
    *,
    decimals: int,
) -> None:
    """Write features atomically (temporary file, then rename) with dumps_geojson.

    Parameters
    ----------
    path
        Target file; replaced only once the new content is fully written.
    features
        (properties, geometry) pairs in output order.
    decimals
        Decimal places kept in coordinates.
    """
    write_atomically(Path(path), dumps_geojson(features, decimals=decimals))


def write_atomically(path: Path, content: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
