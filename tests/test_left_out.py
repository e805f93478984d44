"""Data that fails its check is left out with a reason; the app starts with the rest."""

from __future__ import annotations

import base64
import os
import shutil
import time

import pytest

from mapdash import geodata
from mapdash.claims import load_claims, save_claims, servable_claims
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.corpus import load_corpus
from mapdash.errors import CorpusError
from mapdash.types import Claim
from mapdash.web import swap
from mapdash.web.data import AppData
from mapdash.web.live import LiveGeodata
from mapdash.web.watch import WATCH_LOCK, Watcher


@pytest.fixture
def seeds_copy(tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", target)
    return target


def test_an_unreadable_article_is_reported_and_left_out(seeds_copy):
    (seeds_copy / "broken.txt").write_bytes(b"\x00\x01 not text")
    with pytest.raises(CorpusError, match=r"broken\.txt: looks like a binary file"):
        load_corpus(seeds_copy)
    unreadable: list[str] = []
    articles = load_corpus(seeds_copy, unreadable=unreadable)
    assert "broken" not in articles and len(articles) == 5
    assert len(unreadable) == 1
    assert unreadable[0].startswith("article broken.txt left out: ")
    assert "looks like a binary file (NUL bytes), not an article" in unreadable[0]


def _with_unknown_region(geodata_dir):
    claim_set = load_claims(geodata_dir / "claims.yaml")
    first = claim_set.claims[0]
    bad = Claim(**{**first.__dict__, "id": "bad-region", "regions": {"donbass": "to_russia"}})
    save_claims(
        type(claim_set)(
            claims=(*claim_set.claims, bad),
            proposals=claim_set.proposals,
            control=claim_set.control,
        ),
        geodata_dir / "claims.yaml",
    )
    return claim_set


def test_a_claim_with_an_unknown_region_is_not_served(geodata_copy):
    original = _with_unknown_region(geodata_copy)
    corpus = load_corpus(PROJECT_ROOT / "seeds")
    served, left = servable_claims(load_claims(geodata_copy / "claims.yaml"), corpus)
    assert [c.id for c in served.claims] == [c.id for c in original.claims]
    (item,) = left
    assert item.describe() == (
        "claim bad-region left out: unknown region 'donbass'; expected one of crimea, donetsk, "
        "luhansk, kherson, zaporizhzhia, kursk or '*' for all occupied territory"
    )


def test_the_app_starts_with_the_rest_and_shows_what_was_left_out(geodata_copy, seeds_copy):
    _with_unknown_region(geodata_copy)
    (seeds_copy / "empty.txt").write_text("   \n")
    data = AppData.load(Paths(geodata=geodata_copy, seeds=seeds_copy))
    assert "bad-region" not in {c.id for c in data.timeline.claims}
    assert len(data.left_out) == 2
    assert data.left_out[0].startswith("article empty.txt left out: ")
    assert data.left_out[1].startswith("claim bad-region left out: unknown region 'donbass'")
    snapshot = LiveGeodata(geodata_copy, min_interval=0).snapshot()
    shown = str(swap.alert_children(snapshot, data.left_out))
    assert "2 item(s) failed their check and are not shown: " in shown
    assert "claim bad-region left out: unknown region" in shown


def _data_url(content: bytes) -> str:
    return "data:application/geo+json;base64," + base64.b64encode(content).decode()


def test_the_upload_form_offers_an_override_only_for_implausible_files(geodata_copy, data_dir):
    live = LiveGeodata(geodata_copy, min_interval=0)
    hostile = (data_dir / "geojson/hostile/control_2099-01-01.geojson").read_bytes()
    shown, changed, offered = swap.upload_result(
        live, "control_2099-01-01.geojson", _data_url(hostile), "control", ""
    )
    assert (changed, offered) == (False, True)
    assert shown.children[1].startswith(
        "control_2099-01-01.geojson fails 1 plausibility check(s) and was not installed"
    )
    assert "dated 2099-01-01, in the future" in shown.children[2].children[0].children
    broken = b'{"type": "FeatureCollection"'
    _, _, offered = swap.upload_result(live, "x.geojson", _data_url(broken), "control", "")
    assert offered is False  # an unusable file cannot be forced in
    shown, changed, offered = swap.upload_result(
        live, "control_2099-01-01.geojson", _data_url(hostile), "control", "", force=True
    )
    assert (changed, offered) == (True, False)
    (entry,) = geodata.read_audit(geodata_copy)
    assert entry.override
    assert entry.overridden[0].startswith("control_2099-01-01.geojson: dated 2099-01-01")


def test_one_watcher_per_folder_takes_dropped_files(geodata_copy, data_dir):
    first, second = Watcher(geodata_copy, interval=0.2), Watcher(geodata_copy, interval=0.2)
    first.start()
    second.start()
    try:
        deadline = time.monotonic() + 10
        while not (first.watching or second.watching):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)
        assert first.watching != second.watching  # exactly one holds the lock
        assert (geodata_copy / WATCH_LOCK).exists()
        dropped = geodata_copy / "control_2025-08-15.geojson"
        shutil.copy(data_dir / "geojson/control/control_2025-08-15.geojson", dropped)
        os.utime(dropped, (0, 0))
        live = geodata_copy / "control" / "control_2025-08-15.geojson"
        # Installed, then logged, then the dropped file taken away.
        while not live.exists() or dropped.exists():
            assert time.monotonic() < deadline + 10
            time.sleep(0.05)
        assert [e.actor for e in geodata.read_audit(geodata_copy)] == ["drop-in"]
        # The holder stops (its process ends): the other takes over.
        holder, other = (first, second) if first.watching else (second, first)
        holder.stop()
        while not other.watching:
            assert time.monotonic() < deadline + 20
            time.sleep(0.05)
    finally:
        first.stop()
        second.stop()
