"""Versions, the audit log, removal and rollback: what the layer list, history and undo show."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from mapdash import geodata, store
from mapdash.cli import main
from mapdash.errors import GeodataError, ImplausibleError
from mapdash.geodata import install as install_module

LIVE = Path("control") / "control_2025-08-15.geojson"


@pytest.fixture(scope="session")
def layers(data_dir):
    return data_dir / "geojson" / "control"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (the lock file aside)."""
    return {
        str(p.relative_to(folder)): _sha(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_rollback_restores_the_previous_bytes_exactly(geodata_copy, layers):
    first = geodata.install_file(
        layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy, actor="ana"
    )
    before = _sha(geodata_copy / LIVE)
    second = geodata.install_file(
        layers / "frontline_export.geojson",
        date=dt.date(2025, 8, 15),
        geodata_dir=geodata_copy,
        actor="ben",
    )
    assert second.replaced == first.version
    assert _sha(geodata_copy / LIVE) != before

    undone = geodata.rollback(geodata_dir=geodata_copy, actor="cleo")
    assert _sha(geodata_copy / LIVE) == before
    assert (undone.action, undone.version, undone.replaced) == (
        "rollback",
        first.version,
        second.version,
    )
    # A rollback is itself undone by the next rollback.
    redone = geodata.rollback(geodata_dir=geodata_copy, actor="cleo")
    assert redone.version == second.version
    assert _sha(geodata_copy / LIVE) == _sha(
        geodata_copy / "versions" / "control_2025-08-15" / str(second.version) / LIVE.name
    )


def test_history_lists_every_change_in_order(geodata_copy, layers, data_dir):
    geodata.install_file(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy, actor="a")
    boundaries = geodata.install_file(
        data_dir / "geojson" / "gadm.geojson", geodata_dir=geodata_copy, actor="b"
    )
    geodata.remove_layer("control_2025-08-15", geodata_dir=geodata_copy, actor="c")
    geodata.rollback("shipped", geodata_dir=geodata_copy, actor="d")
    entries = geodata.read_audit(geodata_copy)
    assert [(e.seq, e.actor, e.action, e.layer) for e in entries] == [
        (1, "a", "install", "control_2025-08-15"),
        (2, "b", "install", "boundaries"),
        (3, "c", "remove", "control_2025-08-15"),
        (4, "d", "rollback", "boundaries"),
    ]
    assert entries[1].sha256 == _sha(data_dir / "geojson" / "gadm.geojson")
    assert entries[1].source_file == "gadm.geojson"
    assert (entries[1].replaced, entries[3].replaced) == ("shipped", boundaries.version)
    assert entries[3].version == "shipped"
    assert not (geodata_copy / LIVE).exists()
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    # The removed layer comes back with a rollback of its layer id.
    geodata.rollback("control_2025-08-15", geodata_dir=geodata_copy, actor="e")
    assert (geodata_copy / LIVE).is_file()


def test_rolling_back_the_boundaries_restores_the_shipped_files(geodata_copy, data_dir):
    shipped = _sha(geodata_copy / "regions.geojson")
    installed = geodata.install_file(data_dir / "geojson" / "osm.geojson", geodata_dir=geodata_copy)
    assert geodata.current_boundaries(geodata_copy) == installed.version
    assert geodata.boundaries_attribution(geodata_copy) == ("osm.geojson", None)
    live = geodata.boundaries_dir(geodata_copy) / "regions.geojson"
    assert _sha(live) != shipped
    geodata.rollback(geodata_dir=geodata_copy, actor="me")
    assert geodata.boundaries_dir(geodata_copy) == geodata_copy
    assert _sha(geodata_copy / "regions.geojson") == shipped
    assert geodata.boundaries_attribution(geodata_copy) == ("Natural Earth", "public domain")
    # A named version comes back, by a unique beginning of its id.
    geodata.rollback(str(installed.version)[:18], geodata_dir=geodata_copy, actor="me")
    assert geodata.current_boundaries(geodata_copy) == installed.version


def test_list_installed_names_versions_sources_and_actors(geodata_copy, layers, tmp_path):
    dropped = tmp_path / "deepstate_2025-08-15.geojson"
    shutil.copy(layers / "control_2025-08-15.geojson", dropped)
    geodata.install_file(dropped, geodata_dir=geodata_copy, actor="ana", licence="CC BY 4.0")
    boundaries, layer = geodata.list_installed(geodata_copy)
    assert (boundaries.layer, boundaries.version, boundaries.source, boundaries.licence) == (
        "boundaries",
        "shipped",
        "Natural Earth",
        "public domain",
    )
    assert boundaries.sha256 == _sha(geodata_copy / "regions.geojson")
    assert layer.layer == "control_2025-08-15"
    assert (layer.source, layer.licence, layer.actor) == ("DeepState", "CC BY 4.0", "ana")
    assert layer.sha256 == _sha(dropped)
    assert layer.date == dt.date(2025, 8, 15)
    assert layer.versions == (layer.version,)
    assert json.loads(json.dumps(layer.as_json()))["source_file"] == dropped.name
    # The live file carries its attribution, so every reader of the layer shows it.
    shown = geodata.read_control(geodata_copy / LIVE)
    assert (shown.source, shown.licence) == ("DeepState", "CC BY 4.0")


def test_rollback_refusals(geodata_copy, layers):
    with pytest.raises(GeodataError, match="nothing to roll back: the audit log is empty"):
        geodata.rollback(geodata_dir=geodata_copy, actor="me")
    with pytest.raises(GeodataError, match="boundaries: version shipped is already live"):
        geodata.rollback("shipped", geodata_dir=geodata_copy, actor="me")
    with pytest.raises(GeodataError, match="no version or layer named 'nope'; mapdash history"):
        geodata.rollback("nope", geodata_dir=geodata_copy, actor="me")
    with pytest.raises(GeodataError, match="no live control layer 'control_2025-01-01'"):
        geodata.remove_layer("control_2025-01-01", geodata_dir=geodata_copy, actor="me")
    with pytest.raises(GeodataError, match="the boundaries cannot be removed, only replaced"):
        geodata.remove_layer("boundaries", geodata_dir=geodata_copy, actor="me")


def test_an_override_is_recorded(geodata_copy, layers):
    source = layers / "frontline.geojson"
    before = _tree(geodata_copy)
    with pytest.raises(ImplausibleError, match="fails 1 plausibility check") as refused:
        geodata.install_file(source, date=dt.date(1900, 1, 1), geodata_dir=geodata_copy)
    assert refused.value.problems[0] == (
        "frontline.geojson: dated 1900-01-01, before the war began (2014-02-20, Crimea); check "
        "the date in the file, its name or the date given"
    )
    assert _tree(geodata_copy) == before
    forced = geodata.install_file(
        source, date=dt.date(1900, 1, 1), geodata_dir=geodata_copy, force=True, actor="ed"
    )
    assert forced.override
    (entry,) = geodata.read_audit(geodata_copy)
    assert entry.override and entry.actor == "ed"
    assert entry.overridden == tuple(refused.value.problems[:1])


def test_cli_history_and_rollback(runner, geodata_copy, layers, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    result = runner.invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == [
        "no changes yet: the geodata is as shipped",
        "live now:",
    ]
    installed = runner.invoke(main, ["swap", str(layers / "control_2025-08-15.geojson")])
    assert installed.exit_code == 0, installed.output
    result = runner.invoke(main, ["history", "--format", "json"])
    data = json.loads(result.output)
    (entry,) = data["entries"]
    assert entry["action"] == "install" and entry["actor"].startswith("cli")
    assert [layer["layer"] for layer in data["live"]] == ["boundaries", "control_2025-08-15"]
    result = runner.invoke(main, ["rollback"])
    assert result.exit_code == 0, result.output
    assert "control_2025-08-15: rolled back to nothing (removed)" in result.output
    assert not (geodata_copy / LIVE).exists()
    result = runner.invoke(main, ["rollback", "nope"])
    assert result.exit_code == 1
    assert "Error: no version or layer named 'nope'" in result.output


def _fail_at(monkeypatch, n: int) -> list[int]:
    """Make the n-th write of an install (file write or switch) fail as on a full disk."""
    calls = [0]
    real_write, real_switch = install_module.write_new, install_module.switch

    def maybe_fail() -> None:
        calls[0] += 1
        if calls[0] == n:
            raise OSError(errno.ENOSPC, "No space left on device")

    def write_new(path, content, **kwargs):
        maybe_fail()
        real_write(path, content, **kwargs)

    def switch(tmp, target):
        maybe_fail()
        real_switch(tmp, target)

    monkeypatch.setattr(install_module, "write_new", write_new)
    monkeypatch.setattr(install_module, "switch", switch)
    return calls


def test_a_full_disk_at_any_write_of_a_regions_swap_leaves_one_whole_version(
    geodata_copy, data_dir, monkeypatch
):
    source = data_dir / "geojson" / "gadm.geojson"
    old_web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
    before = _tree(geodata_copy)
    n = 1
    while True:
        with monkeypatch.context() as patch:
            calls = _fail_at(patch, n)
            try:
                geodata.install_file(source, geodata_dir=geodata_copy)
            except GeodataError as err:
                assert str(err) == (
                    "gadm.geojson: could not be installed (the disk is full); nothing changed, "
                    "the previous version stays live - free some space or fix the folder's "
                    "permissions and try again"
                )
                # The old version whole: not a byte of the folder changed.
                assert _tree(geodata_copy) == before, f"failure at write {n}"
                web = geodata.load_regions(resolution="web", geodata_dir=geodata_copy)
                assert web.geometry.geom_equals(old_web.geometry).all()
                n += 1
                continue
        break
    assert calls[0] == n - 1 >= 5  # three files, the record, the folder rename, the pointer
    # No failure left: the new version is live, whole, and logged once.
    assert geodata.current_boundaries(geodata_copy) != "shipped"
    assert len(geodata.load_regions(resolution="full", geodata_dir=geodata_copy)) == 6
    assert [e.layer for e in geodata.read_audit(geodata_copy)] == ["boundaries"]


def test_a_full_disk_at_the_audit_entry_undoes_the_switch(geodata_copy, data_dir, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(install_module, "append_audit", full)
    with pytest.raises(
        GeodataError,
        match=r"boundaries: the change could not be recorded in the audit log \(the disk is "
        r"full\), so it was undone; the previous version stays live",
    ):
        geodata.install_file(data_dir / "geojson" / "gadm.geojson", geodata_dir=geodata_copy)
    assert geodata.current_boundaries(geodata_copy) == "shipped"


def test_versions_made_in_one_second_sort_in_install_order(geodata_copy, layers, tmp_path):
    """A content hash that sorts first must not put a later install before an earlier one."""
    source = layers / "control_2025-08-15.geojson"
    data = json.loads(source.read_text())
    made = []
    for i in range(6):
        ring = data["features"][0]["geometry"]["coordinates"][0][0]
        ring[1] = [ring[1][0] + 0.0001 * (i + 1), ring[1][1]]
        path = tmp_path / str(i) / source.name
        path.parent.mkdir()
        path.write_text(json.dumps(data))
        made.append(store.install(path, geodata_dir=geodata_copy).version)
    assert made == sorted(made)
    assert len({v.split("Z-")[0] for v in made}) == len(made)  # each has its own millisecond


def test_a_removal_killed_before_its_audit_entry_is_logged_by_the_next_change(
    geodata_copy, layers, monkeypatch
):
    store.install(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    installed = geodata.list_installed(geodata_copy)
    version = next(v.version for v in installed if v.layer == "control_2025-08-15")

    def killed(folder, entry):
        raise KeyboardInterrupt  # the process dies after the unlink, before the log line

    real_append = install_module.append_audit
    monkeypatch.setattr(install_module, "append_audit", killed)
    with pytest.raises(KeyboardInterrupt):
        geodata.remove_layer("control_2025-08-15", geodata_dir=geodata_copy, actor="editor")
    monkeypatch.setattr(install_module, "append_audit", real_append)
    assert not (geodata_copy / LIVE).exists()
    assert [e.action for e in geodata.read_audit(geodata_copy)] == ["install"]

    # The next change, of another layer, first records the removal it missed.
    store.install(
        layers / "control_2025-08-15.geojson", date=dt.date(2025, 9, 1), geodata_dir=geodata_copy
    )
    entries = geodata.read_audit(geodata_copy)
    assert [(e.action, e.layer) for e in entries] == [
        ("install", "control_2025-08-15"),
        ("remove", "control_2025-08-15"),
        ("install", "control_2025-09-01"),
    ]
    recovered = entries[1]
    assert recovered.actor == "unknown (interrupted, recovered)"
    assert recovered.replaced == version and recovered.version is None
    # So undoing that removal puts the layer back.
    geodata.rollback("control_2025-08-15", geodata_dir=geodata_copy, actor="editor")
    assert (geodata_copy / LIVE).is_file()
