"""Every review save can be undone: ``mapdash rollback`` restores the files a save replaced."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest
import test_review as base

from mapdash import review as rv
from mapdash.cli import main
from mapdash.config import Paths
from mapdash.corpus import load_corpus, read_manifest
from mapdash.errors import GeodataError, ReviewError
from mapdash.geodata import read_audit, rollback
from mapdash.geodata.audit import AuditEntry, append_audit, now
from mapdash.geodata.review_versions import claims_versions_dir, read_stored
from mapdash.types import ControlFact
from mapdash.web.holder import LiveData
from mapdash.web.live import LiveGeodata

SEED, KURSK = base.SEED, base.KURSK
#: The review tests' fixtures: seeds and geodata copied, the fixture article reviewed.
fields, paths, reviewed = base.fields, base.paths, base.reviewed


def _files(paths: Paths) -> dict[str, bytes]:
    """The bytes of the claims file and of every file of the seeds folder."""
    found = {"claims.yaml": (paths.geodata / "claims.yaml").read_bytes()}
    found.update({p.name: p.read_bytes() for p in sorted(paths.seeds.iterdir()) if p.is_file()})
    return found


def _sha12(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:12]


def _reopened_save(paths: Paths, editor: str = "bob") -> rv.Saved:
    """Correct the Kursk figure of a seeds article and save it (only the claims file changes)."""
    review = rv.reopen_review(SEED, paths=paths)
    fact = review.item(KURSK).entry
    assert isinstance(fact, ControlFact)
    edit = dataclasses.replace(rv.control_edit_of(fact), summary="corrected summary")
    review = rv.edit_control(review, KURSK, edit, areas={})
    return rv.save_review(review, editor=editor, paths=paths)


def _check(runner, monkeypatch, paths: Paths) -> str:
    monkeypatch.setenv("MAPDASH_GEODATA", str(paths.geodata))
    monkeypatch.setenv("MAPDASH_SEEDS", str(paths.seeds))
    result = runner.invoke(main, ["claims", "--check"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_new_article_save_is_undone_byte_for_byte(reviewed, paths, runner, monkeypatch) -> None:
    before = _files(paths)
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    article_file = paths.seeds / f"{saved.article.id}.txt"
    assert article_file.is_file()
    # The save kept what it replaced: the previous claims bytes, with their SHA-256.
    stored = read_stored(paths.geodata, str(saved.entry.stored))
    folder = claims_versions_dir(paths.geodata) / stored.version
    assert (folder / "claims.yaml").read_bytes() == before["claims.yaml"]
    assert (folder / "articles.toml").read_bytes() == before["articles.toml"]
    by_name = {f.name: f for f in stored.files}
    assert by_name["claims.yaml"].before_sha256 == hashlib.sha256(before["claims.yaml"]).hexdigest()
    assert by_name[article_file.name].before_sha256 is None  # the save added it

    entry = rollback(None, geodata_dir=paths.geodata, actor="bob")

    assert _files(paths) == before
    assert not article_file.exists()
    assert saved.article.id not in read_manifest(paths.seeds / "articles.toml")
    assert saved.article.id not in load_corpus(paths.seeds)
    assert "claims file OK" in _check(runner, monkeypatch, paths)
    review, undone = read_audit(paths.geodata)
    assert (review.actor, review.action, review.kind) == ("alice", "review", "claims")
    assert (undone.actor, undone.action, undone.kind, undone.layer) == (
        "bob",
        "rollback",
        "claims",
        "claims",
    )
    assert undone == entry
    assert undone.version == review.replaced and undone.replaced == review.version
    assert undone.detail == (
        f"undid entry 1 (review by alice, version {stored.version}): restored claims.yaml "
        f"(sha256 {hashlib.sha256(before['claims.yaml']).hexdigest()[:12]}); removed "
        f"{article_file.name}; restored articles.toml "
        f"(sha256 {hashlib.sha256(before['articles.toml']).hexdigest()[:12]})"
    )


def test_rolling_back_twice_restores_the_save(reviewed, paths) -> None:
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    after_save = _files(paths)
    rollback(None, geodata_dir=paths.geodata, actor="bob")
    redo = rollback(None, geodata_dir=paths.geodata, actor="carol")
    assert _files(paths) == after_save
    assert load_corpus(paths.seeds)[saved.article.id] == saved.article
    assert redo.detail is not None and redo.detail.startswith(
        f"redid what entry 2 undid (version {read_audit(paths.geodata)[1].stored}): "
        f"restored claims.yaml (sha256 {_sha12(after_save['claims.yaml'])}); "
        f"put back {saved.article.id}.txt"
    )
    assert [(e.actor, e.action) for e in read_audit(paths.geodata)] == [
        ("alice", "review"),
        ("bob", "rollback"),
        ("carol", "rollback"),
    ]


def test_a_reopened_article_save_is_undone(paths, runner, monkeypatch) -> None:
    before = _files(paths)
    saved = _reopened_save(paths)
    assert _files(paths)["claims.yaml"] != before["claims.yaml"]
    entry = rollback("claims", geodata_dir=paths.geodata, actor="alice")
    assert _files(paths) == before
    assert entry.detail == (
        f"undid entry 1 (review by bob, version {saved.entry.stored}): restored claims.yaml "
        f"(sha256 {hashlib.sha256(before['claims.yaml']).hexdigest()[:12]})"
    )
    assert "claims file OK" in _check(runner, monkeypatch, paths)


def test_a_stale_undo_is_refused_until_the_later_save_is_undone(reviewed, paths) -> None:
    first = rv.save_review(reviewed, editor="alice", paths=paths)
    original = _files(paths)
    _reopened_save(paths, editor="bob")
    later = _files(paths)
    with pytest.raises(
        GeodataError,
        match=(
            r"^cannot undo entry 1: claims.yaml has changed since \(entry 2, review by bob\); "
            r"undo the later change first with mapdash rollback claims$"
        ),
    ):
        rollback(first.entry.stored, geodata_dir=paths.geodata, actor="carol")
    assert _files(paths) == later and len(read_audit(paths.geodata)) == 2
    rollback("claims", geodata_dir=paths.geodata, actor="carol")
    assert _files(paths) == original
    # A version id (or a unique beginning of one) names the save to undo.
    rollback(str(first.entry.stored)[:20], geodata_dir=paths.geodata, actor="carol")
    assert first.article.id not in load_corpus(paths.seeds)
    with pytest.raises(GeodataError, match=r"^nothing to undo: entry 1 is already undone"):
        rollback(first.entry.stored, geodata_dir=paths.geodata, actor="carol")


def test_nothing_to_undo_is_refused(paths) -> None:
    with pytest.raises(
        GeodataError, match="^nothing to roll back for claims: no review is logged$"
    ):
        rollback("claims", geodata_dir=paths.geodata, actor="alice")
    with pytest.raises(GeodataError, match="^nothing to roll back: the audit log is empty"):
        rollback(None, geodata_dir=paths.geodata, actor="alice")


def test_an_edit_by_hand_since_the_save_is_not_overwritten(reviewed, paths) -> None:
    rv.save_review(reviewed, editor="alice", paths=paths)
    claims = paths.geodata / "claims.yaml"
    claims.write_bytes(claims.read_bytes() + b"# a note\n")
    edited = _files(paths)
    with pytest.raises(GeodataError, match="claims.yaml has changed since, outside mapdash"):
        rollback(None, geodata_dir=paths.geodata, actor="bob")
    assert _files(paths) == edited


def test_the_previous_files_are_stored_before_the_switch(reviewed, paths, monkeypatch) -> None:
    before = (paths.geodata / "claims.yaml").read_bytes()
    seen: list[bytes] = []
    real = rv.switch

    def switch(tmp: Path, target: Path) -> None:
        (version,) = (p for p in claims_versions_dir(paths.geodata).iterdir())
        seen.append((version / "claims.yaml").read_bytes())
        real(tmp, target)

    monkeypatch.setattr(rv, "switch", switch)
    rv.save_review(reviewed, editor="alice", paths=paths)
    assert seen == [before] * 3


def test_a_failed_save_keeps_no_stored_version(reviewed, paths, monkeypatch) -> None:
    def fail(_entry_dir: Path, _entry: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rv, "append_audit", fail)
    with pytest.raises(ReviewError, match="nothing saved: writing the audit log failed"):
        rv.save_review(reviewed, editor="alice", paths=paths)
    assert list(claims_versions_dir(paths.geodata).iterdir()) == []


def test_the_cli_rolls_back_the_last_review_and_history_lists_it(
    reviewed, paths, runner, monkeypatch
) -> None:
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    monkeypatch.setenv("MAPDASH_GEODATA", str(paths.geodata))
    monkeypatch.setenv("MAPDASH_SEEDS", str(paths.seeds))
    result = runner.invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert (
        f"alice      claims: reviewed {saved.article.id}.txt, version {saved.entry.version} "
        f"(replaced {saved.entry.replaced}) [undo: mapdash rollback {saved.entry.stored}]"
    ) in result.output
    result = runner.invoke(main, ["rollback", "claims"])
    assert result.exit_code == 0, result.output
    assert f"claims: rolled back to version {saved.entry.replaced}" in result.output
    assert f"removed {saved.article.id}.txt" in result.output
    assert not saved.article_file.exists()
    result = runner.invoke(main, ["history", "--format", "json"])
    entries = json.loads(result.output)["entries"]
    assert [(e["action"], e["kind"], e["stored"] is not None) for e in entries] == [
        ("review", "claims", True),
        ("rollback", "claims", True),
    ]
    result = runner.invoke(main, ["rollback", "nosuchversion"])
    assert result.exit_code == 1
    assert "no version or layer named 'nosuchversion'" in result.output


def test_an_undone_review_goes_live_at_once(reviewed, paths) -> None:
    held = LiveData(paths, LiveGeodata(paths.geodata), min_interval=0)
    claims = len(held.timeline.claims)
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    assert saved.article.id in held.articles
    assert len(held.timeline.claims) > claims
    rollback(None, geodata_dir=paths.geodata, actor="bob")
    assert saved.article.id not in held.articles
    assert len(held.timeline.claims) == claims and held.problem is None


def test_a_review_logged_before_saves_were_kept_is_refused(paths) -> None:
    old = AuditEntry(
        seq=1,
        at=now(),
        actor="alice",
        action="review",
        kind="claims",
        layer="claims",
        version="0123456789abcdef",
        replaced=None,
        source_file="005_d1e16582df3f600b.txt",
    )
    append_audit(paths.geodata, old)
    before = _files(paths)
    with pytest.raises(
        GeodataError,
        match=(
            r"^nothing to roll back: entry 1 \(review of 005_d1e16582df3f600b.txt by alice\) was "
            r"logged before reviews kept what they replaced; change the claims file by hand$"
        ),
    ):
        rollback(None, geodata_dir=paths.geodata, actor="bob")
    assert _files(paths) == before and read_audit(paths.geodata) == [old]


def test_a_save_is_undone_after_the_data_folders_moved_together(reviewed, paths, tmp_path) -> None:
    """The stored record names the seeds folder relative to the geodata folder ("../seeds")."""
    before = _files(paths)
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    stored = read_stored(paths.geodata, str(saved.entry.stored))
    assert not stored.seeds.is_absolute()
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for folder in (paths.geodata, paths.seeds):
        folder.rename(moved / folder.name)
    at_new_place = Paths(geodata=moved / paths.geodata.name, seeds=moved / paths.seeds.name)

    rollback(None, geodata_dir=at_new_place.geodata, actor="bob")

    assert _files(at_new_place) == before
    assert not (at_new_place.seeds / f"{saved.article.id}.txt").exists()
