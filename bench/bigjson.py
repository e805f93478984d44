"""A ~50 MB GeoJSON built from the real boundaries, loaded and validated in a fresh process.

The six full-resolution regions are densified (``shapely.segmentize``: the same outlines with
many more vertices, as a finer survey would give) until the file reaches the target size. The
measurement runs ``mapdash.geodata.validate_file`` (parse, CRS, repair, match, areas) in a
subprocess, so that its peak memory (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import shapely

from mapdash.geodata import dumps_geojson, load_regions

from .servers import ROOT

# Rounding and line structure make the file about 8% larger than this aim: ~50 MB.
TARGET_BYTES = 46_000_000
DECIMALS = 7


def build(path: Path, *, target_bytes: int = TARGET_BYTES) -> dict[str, Any]:
    """Write the densified regions to ``path``; returns its size and vertex count."""
    regions = load_regions(resolution="full")
    base = len(dumps_geojson(_features(regions, regions.geometry), decimals=DECIMALS))
    # Size grows with the vertex count; one segmentize pass at the right spacing is enough.
    vertices = int(shapely.get_num_coordinates(regions.geometry.values).sum())
    # In degrees on purpose: only the ratio of segment lengths matters here.
    mean_segment = float(shapely.length(regions.geometry.values).sum()) / vertices
    spacing = mean_segment * base / target_bytes
    dense = shapely.segmentize(regions.geometry.values, spacing)
    content = dumps_geojson(_features(regions, dense), decimals=DECIMALS)
    path.write_bytes(content)
    return {
        "bytes": len(content),
        "features": len(regions),
        "vertices": int(shapely.get_num_coordinates(dense).sum()),
    }


def _features(regions: Any, geometries: Any) -> list[tuple[dict[str, str], Any]]:
    return [
        (
            {
                "name": str(regions.loc[rid, "name"]),
                "iso_3166_2": str(regions.loc[rid, "iso_3166_2"]),
            },
            g,
        )
        for rid, g in zip(regions.index, geometries, strict=True)
    ]


def measure(path: Path) -> dict[str, Any]:
    """Validate ``path`` in a subprocess; returns seconds and peak memory."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bigjson", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"validating the large GeoJSON failed:\n{completed.stderr}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def _high_water_mb() -> float:
    # VmHWM starts afresh at exec, unlike ru_maxrss, which a child inherits from its parent.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(path: Path) -> None:
    from mapdash.geodata import validate_file

    before = _high_water_mb()
    start = time.perf_counter()
    report = validate_file(path, max_bytes=path.stat().st_size + 1)
    seconds = time.perf_counter() - start
    peak = _high_water_mb()
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(peak, 1),
                "rss_before_mb": round(before, 1),
                "regions_matched": len(report.regions),
                "problems": len(report.problems),
            }
        )
    )


if __name__ == "__main__":
    _child(Path(sys.argv[1]))
