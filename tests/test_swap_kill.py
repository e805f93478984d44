"""SIGKILL an install at the worst moments: the live version is always entirely old or new."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely

from mapdash import control, geodata, store

# Runs one or many installs in a child process. Hooks slow down or pause the step that puts a
# version live (the os.replace of the live file or of the boundaries' pointer) so the parent can
# kill the child just before or just after it.
CHILD = r"""
import os, sys, time
from pathlib import Path
from mapdash import store

mode, folder, sources = sys.argv[1], Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]]
real_replace, real_fsync = os.replace, os.fsync

def going_live(dst):
    dst = Path(dst)
    return dst.parent.name == "control" or dst.name == "CURRENT"

def pause_before(src, dst):
    if going_live(dst):
        print("WRITTEN", flush=True)
        time.sleep(60)
    real_replace(src, dst)

def pause_after(src, dst):
    real_replace(src, dst)
    if going_live(dst):
        print("RENAMED", flush=True)
        time.sleep(60)

def slow_fsync(fd):
    time.sleep(0.004)
    real_fsync(fd)

if mode == "before-rename":
    os.replace = pause_before
elif mode == "after-rename":
    os.replace = pause_after
else:
    os.fsync = slow_fsync
print("STARTED", flush=True)
for i in range(10_000):
    store.install(sources[i % len(sources)], geodata_dir=folder)
"""


@pytest.fixture
def versions(tmp_path, data_dir):
    """Two different versions of the layer of 2025-08-15, and the bytes each installs as."""
    original = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    paths = []
    for i, shift in enumerate((0.0, 0.05)):
        data = json.loads(original.read_text())
        geom = shapely.geometry.shape(data["features"][0]["geometry"])
        moved = shapely.affinity.translate(geom, xoff=shift)
        data["features"][0]["geometry"] = shapely.geometry.mapping(moved)
        path = tmp_path / f"v{i}" / original.name
        path.parent.mkdir()
        path.write_text(json.dumps(data))
        paths.append(path)
    expected = [control.dumps_layer(control.read_control(p)) for p in paths]
    assert expected[0] != expected[1]
    return paths, expected


def _start(tmp_path: Path, mode: str, folder: Path, sources: list[Path]) -> subprocess.Popen:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return subprocess.Popen(
        [sys.executable, str(script), mode, str(folder), *map(str, sources)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).resolve().parent.parent,
    )


def _wait_for(child: subprocess.Popen, word: str) -> None:
    assert child.stdout is not None
    line = child.stdout.readline().decode().strip()
    while line and line != word:
        line = child.stdout.readline().decode().strip()
    if line != word:
        child.wait(timeout=10)
        assert child.stderr is not None
        raise AssertionError(f"child ended before {word}: {child.stderr.read().decode()}")


def _kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


def _kept(folder: Path) -> list[bytes]:
    return [
        p.read_bytes()
        for p in sorted((folder / "versions" / "control_2025-08-15").glob("*/control_*.geojson"))
    ]


def test_killed_between_write_and_rename_leaves_the_old_file(geodata_copy, tmp_path, versions):
    (old_src, new_src), (old, new) = versions
    store.install(old_src, geodata_dir=geodata_copy)
    live = geodata_copy / "control" / "control_2025-08-15.geojson"
    child = _start(tmp_path, "before-rename", geodata_copy, [new_src])
    _wait_for(child, "STARTED")
    _wait_for(child, "WRITTEN")
    _kill(child)
    assert live.read_bytes() == old
    # The new content was complete in a temporary file and in its (not yet live) version.
    (leftover,) = (geodata_copy / "control").glob(".tmp-*")
    assert leftover.read_bytes() == new
    assert _kept(geodata_copy) == [old, new]
    assert [e.version for e in geodata.read_audit(geodata_copy)] == [
        geodata.list_installed(geodata_copy)[1].version
    ]
    # The next install clears the leftover and goes through.
    store.install(new_src, geodata_dir=geodata_copy)
    assert live.read_bytes() == new
    assert not list((geodata_copy / "control").glob(".tmp-*"))
    # The reader never sees the leftover as a layer.
    assert [f.path for f in control.installed_layers(geodata_copy)] == [live]


def test_killed_right_after_the_switch_is_logged_by_the_next_change(
    geodata_copy, tmp_path, versions
):
    (old_src, new_src), (old, new) = versions
    first = store.install(old_src, geodata_dir=geodata_copy)
    live = geodata_copy / "control" / "control_2025-08-15.geojson"
    child = _start(tmp_path, "after-rename", geodata_copy, [new_src])
    _wait_for(child, "STARTED")
    _wait_for(child, "RENAMED")
    _kill(child)
    assert live.read_bytes() == new
    assert _kept(geodata_copy) == [old, new]
    # Killed before its audit entry: the next change records the switch it missed first.
    entry = geodata.rollback(geodata_dir=geodata_copy, actor="editor")
    assert live.read_bytes() == old
    recovered, undone = geodata.read_audit(geodata_copy)[1:]
    assert recovered.actor == "local (interrupted, recovered)"
    assert recovered.replaced == first.version
    assert undone == entry and entry.version == first.version


def test_killed_at_random_moments_never_leaves_a_partial_file(geodata_copy, tmp_path, versions):
    """Installs alternate between two versions; the child is killed at random times."""
    sources, expected = versions
    store.install(sources[0], geodata_dir=geodata_copy)
    live = geodata_copy / "control" / "control_2025-08-15.geojson"
    rng = random.Random(20250815)
    for _ in range(4):
        child = _start(tmp_path, "slow-fsync", geodata_copy, sources)
        _wait_for(child, "STARTED")
        # The first install of a process reads the shipped reference (about half a second).
        time.sleep(rng.uniform(0.6, 1.6))
        _kill(child)
        assert live.read_bytes() in expected
        assert set(_kept(geodata_copy)) <= set(expected)
    # Many installs ran (each replaced the other version), and each kept its version.
    assert len(_kept(geodata_copy)) >= 4, "too few installs finished between kills"


def test_region_swaps_killed_at_random_moments_leave_whole_versions(
    geodata_copy, tmp_path, data_dir
):
    """Boundary installs from two schemas alternate; every kill leaves one whole version."""
    sources = [data_dir / "geojson" / "gadm.geojson", data_dir / "geojson" / "osm.geojson"]
    rng = random.Random(6)
    seen: set[str] = set()
    kills = 0
    # A boundaries install takes a second or two (more on a busy machine): kill until two
    # different versions were seen live, at least three times.
    while kills < 3 or (len(seen) < 2 and kills < 8):
        child = _start(tmp_path, "slow-fsync", geodata_copy, sources)
        _wait_for(child, "STARTED")
        time.sleep(rng.uniform(1.0, 4.0))
        _kill(child)
        kills += 1
        for resolution in ("full", "web"):
            regions = geodata.load_regions(resolution=resolution, geodata_dir=geodata_copy)
            assert len(regions) == 6
        seen.add(geodata.current_boundaries(geodata_copy))
        for kept in (geodata_copy / "versions" / "boundaries").glob("[0-9]*/*.geojson"):
            json.loads(kept.read_text())  # whole, never cut short
    assert len(seen) >= 2, "no install finished between kills"
