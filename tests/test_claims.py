"""The reviewed claims file: its content, the check, atomic saving, merging and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from mapdash.claims import (
    ClaimSet,
    check_claims,
    dump_claims,
    load_claims,
    merge_claims,
    save_claims,
)
from mapdash.cli import main
from mapdash.corpus import load_corpus
from mapdash.errors import ClaimsError
from mapdash.extract import extract_corpus
from mapdash.timeline import Selection, Timeline
from mapdash.types import Evidence

A0, A1, A2, A3, A4 = (
    "000_0585ae3e958fa332",
    "001_b05852728fcba114",
    "002_c345c335f8d1f17f",
    "003_5861c99586ffce41",
    "004_697425ad9d472758",
)
FIVE = ("crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia")


@pytest.fixture(scope="module")
def claim_set():
    return load_claims()


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture
def claims_copy(tmp_path, root):
    path = tmp_path / "claims.yaml"
    shutil.copy(root / "geodata" / "claims.yaml", path)
    return path


def _by_id(claim_set):
    return {c.id: c for c in claim_set.claims}


def test_the_committed_file_passes_its_check(claim_set, corpus):
    assert check_claims(claim_set, corpus) == []
    assert len(claim_set.claims) >= 20
    assert all(c.status == "reviewed" for c in claim_set.claims)
    cited = {e.article for c in claim_set.claims for e in c.evidence}
    cited |= {e.article for f in claim_set.control for e in f.evidence}
    assert cited == set(corpus), "every article contributes evidence"


def test_russia_offer_of_6_august_is_one_proposal(claim_set):
    proposal = next(p for p in claim_set.proposals if p.id == "ru-2025-08-06-donbas")
    assert proposal.label == "Russia, 6 Aug 2025: cede all of Donbas"
    assert proposal.actor == "russia"
    members = [c for c in claim_set.claims if c.proposal == proposal.id]
    assert {c.date for c in members} == {dt.date(2025, 8, 6)}
    regions = {k: v for c in members for k, v in c.regions.items()}
    assert regions == {
        "donetsk": "to_russia",
        "luhansk": "to_russia",
        "crimea": "recognized_russian",
        "kherson": "frozen",
        "zaporizhzhia": "frozen",
    }
    quotes = " ".join(e.quote for c in members for e in c.evidence)
    assert "since Wednesday" in quotes  # what dates it, from an article of 9 August


def test_key_positions_are_present(claim_set):
    claims = _by_id(claim_set)
    trump = claims["us-2025-08-09-trump-exchanges"]
    assert trump.regions == {"*": "exchange"}
    assert any("exchanges of territories" in e.quote for e in trump.evidence)
    admin = claims["ru-2025-08-17-five-regions-admin-lines"]
    assert admin.regions == dict.fromkeys(FIVE, "to_russia")
    assert admin.proposal == "ru-five-regions-admin-lines"
    assert admin.speaker == "Steve Witkoff"
    gift = claims["ukraine-2025-08-09-no-gift"]
    assert (gift.actor, dict(gift.regions)) == ("ukraine", {"*": "to_ukraine"})
    lavrov = claims["ru-2025-02-17-lavrov-no-concessions"]
    assert (lavrov.date, lavrov.speaker) == (dt.date(2025, 2, 17), "Sergei Lavrov")
    april = claims["us-2025-04-witkoff-plan"]
    assert (april.date, april.date_precision, april.proposal) == (
        dt.date(2025, 4, 1),
        "month",
        "us-2025-04",
    )
    assert april.regions["crimea"] == "recognized_russian"
    assert april.regions["donetsk"] == "frozen"


def test_control_facts_with_units(claim_set):
    control = {f.id: f for f in claim_set.control}
    kursk = control["ctl-2025-08-09-kursk-ukraine"]
    assert kursk.area_km2 == pytest.approx(4 * 2.589988, abs=0.05)
    assert (kursk.bound, kursk.extra["stated"]) == ("about", "about four square miles")
    donetsk = control["ctl-2025-12-03-donetsk-ukraine"]
    assert (donetsk.region, donetsk.area_km2, donetsk.bound) == ("donetsk", 5000.0, "at_least")
    luhansk = control["ctl-2025-08-09-luhansk-russia"]
    assert (luhansk.holder, luhansk.share) == ("russia", 1.0)


def test_the_rewrite_001_is_never_the_only_source(claim_set):
    for claim in claim_set.claims:
        articles = {e.article for e in claim.evidence}
        if A1 in articles:
            assert A0 in articles, f"{claim.id} cites only the rewrite 001"


def test_the_timeline_reads_the_file(claim_set):
    timeline = Timeline.from_source(claim_set)
    states = {
        s.region: s.disposition
        for s in timeline.regions(
            Selection.parse("proposal:ru-2025-08-06-donbas"), dt.date(2025, 8, 9)
        )
    }
    assert states["donetsk"] == "to_russia"
    assert states["kursk"] is None
    before = timeline.regions(Selection.parse("proposal:ru-2025-08-06-donbas"), dt.date(2025, 8, 5))
    assert all(s.disposition is None for s in before)


def _edit(claim_set, claim_id, **changes):
    claims = tuple(
        dataclasses.replace(c, **changes) if c.id == claim_id else c for c in claim_set.claims
    )
    return dataclasses.replace(claim_set, claims=claims)


def test_check_finds_a_changed_quote(claim_set, corpus):
    broken = _edit(
        claim_set,
        "ukraine-2025-08-09-no-gift",
        evidence=(Evidence(A2, "Ukrainians would happily gift their land"),),
    )
    (problem,) = check_claims(broken, corpus)
    assert problem.startswith("claim ukraine-2025-08-09-no-gift evidence 1: quote not found in ")
    assert "copy the sentence exactly from the article" in problem


def test_check_normalises_typographic_quotes_and_spaces(claim_set, corpus):
    curly = _edit(
        claim_set,
        "ukraine-2025-08-09-no-gift",
        evidence=(
            Evidence(A2, "Ukrainians would \u201cnot gift their land\n  to the occupier.\u201d"),
        ),
    )
    assert check_claims(curly, corpus) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"regions": {"donbas": "to_russia"}},
            r"unknown region 'donbas'; expected one of crimea, donetsk",
        ),
        ({"actor": "nato"}, r"unknown actor 'nato'; expected one of russia, united_states"),
        ({"proposal": "ru-1999"}, r"proposal 'ru-1999' is not defined under 'proposals'"),
        (
            {"date": dt.date(2025, 9, 1)},
            r"dated 2025-09-01, after its evidence 002_c345c335f8d1f17f was published "
            r"\(2025-08-09\)",
        ),
        ({"id": "ukraine-2025-08-09-no-unoccupied-land"}, r"id used twice"),
        (
            {"evidence": (Evidence("005_missing", "text"),)},
            r"article '005_missing' is not in the corpus",
        ),
        (
            {"evidence": (Evidence(A2, "not gift their land to the occupier", 0, 10),)},
            r"offsets 0-10 of 002_c345c335f8d1f17f hold 'Trump and', not the quote",
        ),
    ],
)
def test_check_names_what_is_wrong(claim_set, corpus, changes, message):
    broken = _edit(claim_set, "ukraine-2025-08-09-no-gift", **changes)
    problems = check_claims(broken, corpus)
    assert len(problems) == 1, problems
    assert re.search(message, problems[0]), problems[0]


def test_load_reports_schema_violations_with_their_location(tmp_path):
    path = tmp_path / "claims.yaml"
    path.write_text(
        "claims:\n"
        "- id: a\n  date: 2025-08-09\n  date_precision: day\n  actor: russia\n"
        "  kind: wish\n  regions: {donetsk: to_moscow}\n  summary: s\n  status: reviewed\n"
        "  evidence: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ClaimsError, match=r"does not follow its schema") as info:
        load_claims(path)
    problems = "\n".join(info.value.problems)
    assert "claims[0].kind: 'wish' is not one of ['demand', 'proposal'" in problems
    assert "claims[0].regions.donetsk: 'to_moscow' is not one of ['to_russia'" in problems
    assert "claims[0].evidence: [] should be non-empty" in problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("claims: [unclosed\n", r"claims\.yaml: not valid YAML"),
        (
            "proposals:\n- {id: p, label: L, actor: russia, date: '2025-02-30', summary: s}\n",
            r"p: date '2025-02-30' is not a calendar date",
        ),
    ],
)
def test_load_rejects_unreadable_files(tmp_path, text, message):
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimsError, match=message):
        load_claims(path)


def test_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(ClaimsError, match=r"claims file not found; create it or run"):
        load_claims(tmp_path / "claims.yaml")


def test_save_round_trips(claim_set, tmp_path):
    path = tmp_path / "claims.yaml"
    save_claims(claim_set, path)
    assert load_claims(path) == claim_set
    assert [p.name for p in tmp_path.iterdir()] == ["claims.yaml"]  # no temporary file left


def test_a_failed_save_keeps_the_old_file(claim_set, claims_copy, monkeypatch):
    before = claims_copy.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_claims(ClaimSet(), claims_copy)
    assert claims_copy.read_bytes() == before
    assert sorted(p.name for p in claims_copy.parent.iterdir()) == ["claims.yaml"]


def test_the_committed_file_is_in_canonical_form(claim_set, root):
    assert (root / "geodata" / "claims.yaml").read_text(encoding="utf-8") == dump_claims(claim_set)


def test_merge_adds_new_candidates_once_and_leaves_reviewed_alone(claim_set, corpus):
    candidates = [c.claim for e in extract_corpus(corpus.values()) for c in e.claims]
    first = merge_claims(claim_set, candidates)
    assert first.claim_set.claims[: len(claim_set.claims)] == claim_set.claims
    added = [c for c in first.claim_set.claims if c.id in first.added]
    assert added and all(c.status == "extracted" for c in added)
    # A sentence already quoted by a reviewed claim of the same actor is not added again.
    reviewed_quotes = {(c.actor, e.quote) for c in claim_set.claims for e in c.evidence}
    assert all((c.actor, c.evidence[0].quote) not in reviewed_quotes for c in added)
    second = merge_claims(first.claim_set, candidates)
    assert second.added == ()
    assert second.claim_set == first.claim_set


def test_cli_claims_json_shape(runner):
    result = runner.invoke(main, ["claims", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    donbas = next(r for r in records if r["id"] == "ru-2025-08-06-cede-donbas")
    assert donbas == {
        "id": "ru-2025-08-06-cede-donbas",
        "date": "2025-08-06",
        "date_precision": "day",
        "actor": "russia",
        "speaker": "Vladimir Putin",
        "kind": "proposal",
        "regions": {"donetsk": "to_russia", "luhansk": "to_russia"},
        "summary": donbas["summary"],
        "proposal": "ru-2025-08-06-donbas",
        "status": "reviewed",
        "evidence": donbas["evidence"],
    }
    assert all(set(e) == {"article", "quote"} for e in donbas["evidence"])
    assert any(r["regions"] == {"*": "to_ukraine"} for r in records)


def test_cli_claims_csv_and_table(runner):
    result = runner.invoke(main, ["claims", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = next(r for r in rows if r["id"] == "us-2025-08-09-trump-exchanges")
    assert row["regions"] == "*=exchange"
    assert row["evidence"].startswith("002_c345c335f8d1f17f: Earlier in the day, Trump")
    table = runner.invoke(main, ["claims"]).stdout
    assert "2025-04    united_states proposal  reviewed  crimea=recognized_russian" in table
    assert table.rstrip().endswith(f"{len(rows)} claims")


def test_cli_check_passes_and_reports_the_corpus_warning(runner):
    result = runner.invoke(main, ["claims", "--check"])
    assert result.exit_code == 0, result.output
    assert "claims file OK: " in result.stdout
    assert "Published February 19, 2023" in result.stderr


def test_cli_check_lists_problems_and_exits_1(runner, claim_set, claims_copy):
    broken = _edit(
        claim_set,
        "ukraine-2025-08-09-no-gift",
        evidence=(Evidence(A2, "Ukrainians would not sell their land"),),
    )
    save_claims(_edit(broken, "europe-2025-04-rejects-us-plan", actor="nato"), claims_copy)
    result = runner.invoke(main, ["claims", "--check", "--file", str(claims_copy)])
    assert result.exit_code == 1
    assert "Error: the claims file has 2 problem(s)" in result.stderr
    assert "  - claim ukraine-2025-08-09-no-gift evidence 1: quote not found" in result.stderr
    assert "unknown actor 'nato'" in result.stderr


def test_cli_extract_merge_twice_adds_nothing_twice(runner, claims_copy, data_dir):
    article = data_dir / "articles" / "white_house_talks.txt"
    before = load_claims(claims_copy)
    args = ["extract", str(article), "--merge", "--claims-file", str(claims_copy)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    merged = load_claims(claims_copy)
    added = merged.claims[len(before.claims) :]
    assert merged.claims[: len(before.claims)] == before.claims
    assert len(added) >= 5 and {c.status for c in added} == {"extracted"}
    assert f"added {len(added)} new candidate claim(s)" in first.stderr
    assert "is not in the seeds folder" in first.stderr
    second = runner.invoke(main, args)
    assert second.exit_code == 0, second.output
    assert "added 0 new candidate claim(s)" in second.stderr
    assert load_claims(claims_copy) == merged
    assert Path(claims_copy).read_text(encoding="utf-8") == dump_claims(merged)


def test_cli_extract_merge_starts_a_missing_claims_file(runner, tmp_path, data_dir):
    target = tmp_path / "new-claims.yaml"
    article = data_dir / "articles" / "white_house_talks.txt"
    result = runner.invoke(main, ["extract", str(article), "--merge", "--claims-file", str(target)])
    assert result.exit_code == 0, result.output
    created = load_claims(target)
    assert created.claims and {c.status for c in created.claims} == {"extracted"}
    # Control facts come along as 'extracted' too (the article says Russia holds about 70%).
    assert created.proposals == ()
    assert [(f.region, f.holder, f.share, f.status) for f in created.control] == [
        ("donetsk", "russia", 0.7, "extracted")
    ]
    assert all(f.rules for f in created.control) and all(c.rules for c in created.claims)


def test_cli_check_counts_unreviewed_entries_after_a_merge(runner, tmp_path, root):
    result = runner.invoke(main, ["claims", "--check"])
    assert result.exit_code == 0, result.output
    assert "unreviewed (status: extracted): 0 claim(s), 0 control fact(s)" in result.stdout
    target = tmp_path / "claims.yaml"
    article = root / "seeds" / "002_c345c335f8d1f17f.txt"
    merge = runner.invoke(main, ["extract", str(article), "--merge", "--claims-file", str(target)])
    assert merge.exit_code == 0, merge.output
    merged = load_claims(target)
    claims_open = sum(c.status == "extracted" for c in merged.claims)
    facts_open = sum(f.status == "extracted" for f in merged.control)
    assert claims_open >= 5 and facts_open >= 3
    # Every merged candidate keeps the rules that produced it, and its span.
    assert all(c.rules and c.evidence[0].start is not None for c in merged.claims)
    assert all(f.rules for f in merged.control)
    assert "\n  rules:\n  - " in target.read_text(encoding="utf-8")
    # The merged file checks out (quotes verbatim, actors known) and says what is still open.
    result = runner.invoke(main, ["claims", "--check", "--file", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        f"unreviewed (status: extracted): {claims_open} claim(s), {facts_open} control fact(s)"
        in result.stdout
    )
