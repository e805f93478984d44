"""Reviewing a new article (mapdash/review.py): add, accept, correct, reject, add, save, check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from web_requests import folder_digest

from mapdash import review as rv
from mapdash.claims import dump_claims, load_claims
from mapdash.cli import main
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.corpus import load_corpus, read_manifest
from mapdash.errors import ReviewError
from mapdash.geodata import read_audit
from mapdash.geodata.validate import reference_areas
from mapdash.text import normalize_quote
from mapdash.types import Claim, ControlFact

ARTICLE = "white_house_talks.txt"
TODAY = dt.date(2026, 1, 1)
#: A sentence of the fixture article the extractor reads no claim from.
MISSED = "\u201cAny discussion of territory is for Ukraine alone to decide,\u201d he said."


@pytest.fixture
def paths(tmp_path: Path, geodata_copy: Path) -> Paths:
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    return Paths(geodata=geodata_copy, seeds=seeds)


@pytest.fixture
def fields(data_dir: Path) -> rv.ArticleFields:
    path = data_dir / "articles" / ARTICLE
    return rv.read_upload(path.name, path.read_bytes())


def _article(fields: rv.ArticleFields, paths: Paths, **changes: str) -> rv.Article:
    given = {**dataclasses.asdict(fields), **changes}
    return rv.new_article(
        given["text"],
        title=given["title"],
        outlet=given["outlet"],
        published=given["published"],
        url=given["url"] or None,
        seeds_dir=paths.seeds,
        today=TODAY,
    )


def _number(review: rv.Review, actor: str, regions: dict[str, str]) -> str:
    """The id of the candidate of ``actor`` with exactly ``regions``."""
    (found,) = [
        i.id
        for i in review.items
        if isinstance(i.entry, Claim) and i.entry.actor == actor and i.entry.regions == regions
    ]
    return found


def _edit_of(claim: Claim, **changes: object) -> rv.ClaimEdit:
    return dataclasses.replace(rv.edit_of(claim), **changes)  # type: ignore[arg-type]


@pytest.fixture
def reviewed(fields: rv.ArticleFields, paths: Paths) -> rv.Review:
    """The fixture article with one candidate accepted, one corrected, one rejected, one added."""
    review = rv.start_review(_article(fields, paths))
    accepted = _number(review, "ukraine", {"donetsk": "to_ukraine"})
    corrected = _number(review, "ukraine", {"donetsk": "to_ukraine", "luhansk": "to_ukraine"})
    rejected = _number(review, "france", {"*": "to_ukraine"})
    review = rv.decide(review, accepted, "accepted")
    review = rv.decide(review, rejected, "rejected")
    claim = review.item(corrected).entry
    assert isinstance(claim, Claim)
    # "We will not leave Donbas": the editor keeps Donetsk only (the quote stays).
    review = rv.edit_claim(review, corrected, _edit_of(claim, regions={"donetsk": "to_ukraine"}))
    start = review.article.text.index(MISSED)
    suggested = rv.suggest_claim(review, start, start + len(MISSED))
    return rv.add_claim(
        review,
        dataclasses.replace(
            suggested,
            actor="europe",
            kind="position",
            regions={"*": "to_ukraine"},
            speaker="Emmanuel Macron",
            summary="Macron: territory is for Ukraine alone to decide",
        ),
    )


# -- adding an article ----------------------------------------------------------------------------


def test_a_new_article_is_named_after_the_seeds_and_its_header_fills_the_fields(
    fields, paths
) -> None:
    assert fields.title.startswith("Zelenskyy and European leaders meet Trump")
    assert fields.published == "2025-08-19"
    assert not fields.text.startswith("Title:")
    article = _article(fields, paths)
    assert article.id == f"005_{rv.text_digest(article.text)[:16]}"
    assert article.published == dt.date(2025, 8, 19)
    assert article.outlet.startswith("Test fixture written in the style of a wire report")
    assert article.text == fields.text and article.sentences
    # Pasted with its header lines, the article is the same.
    path = Path(__file__).parent / "data" / "articles" / ARTICLE
    pasted = rv.new_article(
        path.read_text(encoding="utf-8"),
        title="",
        outlet="",
        published="",
        seeds_dir=paths.seeds,
        today=TODAY,
    )
    assert pasted == article


def test_every_missing_or_wrong_field_is_named(paths) -> None:
    with pytest.raises(ReviewError, match="the article cannot be added") as caught:
        rv.new_article(
            "   \n",
            title="",
            outlet="Wire",
            published="next Tuesday-ish",
            url="javascript:alert(1)",
            seeds_dir=paths.seeds,
            today=TODAY,
        )
    assert caught.value.problems == [
        "text: the article is empty; paste its text or upload a .txt file",
        "title: missing; give the article's title",
        "url: 'javascript:alert(1)' is not a web address; expected https://... (or leave it "
        "empty when the article has none)",
        "published: 'next Tuesday-ish' is not a date; write it as YYYY-MM-DD",
    ]
    with pytest.raises(ReviewError) as caught:
        rv.new_article(
            "Text.",
            title="T",
            outlet="O",
            published="2026-03-01",
            seeds_dir=paths.seeds,
            today=TODAY,
        )
    assert caught.value.problems == [
        "published: 2026-03-01 is after today (2026-01-01); give the date the article appeared"
    ]


def test_the_same_text_or_url_is_refused(fields, paths) -> None:
    seed = load_corpus(paths.seeds)["002_c345c335f8d1f17f"]
    # The same article with other quotes and spacing is the same text.
    retyped = "  " + seed.text.replace("\u2019", "'").replace(" ", "  ", 3)
    with pytest.raises(
        ReviewError,
        match=r"already in the seeds folder as 002_c345c335f8d1f17f \('Trump and Putin are "
        r"Scheduled To Meet Next Week in Alaska'\): the same text; nothing to add \(reopen it "
        r"to review its claims again\)",
    ):
        rv.new_article(
            retyped, title="x", outlet="y", published="2025-08-09", seeds_dir=paths.seeds
        )
    url = "https://www.example.org/news/white-house-talks"
    saved = rv.start_review(_article(fields, paths, url=url))
    rv.save_review(saved, editor="alice", paths=paths)
    with pytest.raises(ReviewError, match=r"as 005_\w+ \('Zelenskyy .*'\): the same URL"):
        _article(
            fields,
            paths,
            text="Another text entirely.",
            url="http://example.org/news/white-house-talks/",
        )


def test_sizes_are_bounded(paths) -> None:
    with pytest.raises(ReviewError) as caught:
        rv.new_article(
            "x" * (rv.MAX_TEXT_CHARS + 1),
            title="t" * (rv.MAX_TITLE_CHARS + 1),
            outlet="o",
            published="2025-01-01",
            seeds_dir=paths.seeds,
        )
    assert caught.value.problems == [
        "text: the article is 200,001 characters, more than the 200,000 an article may have; "
        "paste only the article",
        "title: 301 characters, more than 300; shorten it",
    ]
    with pytest.raises(ReviewError, match=r"big.txt: the file is 1,000,001 bytes, more than"):
        rv.read_upload("big.txt", b"x" * (rv.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ReviewError, match=r"map.pdf: expected a plain-text article \(.txt\)"):
        rv.read_upload("map.pdf", b"%PDF-1.7")
    with pytest.raises(ReviewError, match=r"bin.txt: looks like a binary file \(NUL bytes\)"):
        rv.read_upload("bin.txt", b"a\x00b")
    with pytest.raises(ReviewError, match=r"latin.txt: not UTF-8 text \(byte 0xe9 at offset 3\)"):
        rv.read_upload("latin.txt", b"caf\xe9")


# -- deciding ------------------------------------------------------------------------------------


def test_candidates_carry_their_span_and_rules(fields, paths) -> None:
    review = rv.start_review(_article(fields, paths))
    assert [i.decision for i in review.items] == ["pending"] * len(review.items)
    claims = [i.entry for i in review.items if isinstance(i.entry, Claim)]
    facts = [i.entry for i in review.items if not isinstance(i.entry, Claim)]
    assert len(claims) == 7 and len(facts) == 1
    for entry in (*claims, *facts):
        assert entry.rules and entry.status == "extracted"
        for evidence in entry.evidence:
            assert review.article.text[evidence.start : evidence.end] == evidence.quote


def test_accept_correct_reject_and_add(reviewed) -> None:
    counts = reviewed.counts()
    assert counts == {
        "accepted": 1,
        "edited": 1,
        "added": 1,
        "rejected": 1,
        "pending": 5,
        "kept": 0,
        "removed": 0,
    }
    corrected = next(i for i in reviewed.items if i.decision == "edited").entry
    assert isinstance(corrected, Claim)
    assert corrected.regions == {"donetsk": "to_ukraine"} and corrected.status == "reviewed"
    # The correction keeps the extractor's rules and the span it quoted.
    assert (
        corrected.rules and corrected.evidence[0].quote == "\u201cWe will not leave Donbas.\u201d"
    )
    added = reviewed.items[-1]
    assert added.origin == "added" and added.entry.status == "reviewed"
    assert added.entry.evidence[0].quote == MISSED
    start = reviewed.article.text.index(MISSED)
    assert added.id == f"r-005-{rv.text_digest(reviewed.article.text)[:16]}-{start}-europe"


def test_a_selection_is_trimmed_and_must_lie_in_the_article(reviewed) -> None:
    article = reviewed.article
    start = article.text.index(MISSED)
    evidence = rv.quote_span(article, start - 1, start + len(MISSED) + 1)
    assert evidence.quote == MISSED and evidence.start == start
    with pytest.raises(ReviewError, match=r"quote: characters 5-99999 are not a span of 005_"):
        rv.quote_span(article, 5, 99_999)
    with pytest.raises(ReviewError, match="quote: the selection holds only spaces"):
        rv.quote_span(article, start - 1, start)
    with pytest.raises(ReviewError, match=r"quote: 2,001 characters selected, more than the 2,000"):
        rv.quote_span(dataclasses.replace(article, text="x" * 3000), 0, 2001)


def test_an_edit_lists_every_wrong_field_and_changes_nothing(reviewed) -> None:
    item = reviewed.items[0]
    assert isinstance(item.entry, Claim)
    bad = _edit_of(
        item.entry,
        actor="narnia",
        kind="wish",
        regions={"donbas": "to_russia", "kursk": "given_away"},
        date="2025-09-01",
        summary="  ",
    )
    with pytest.raises(ReviewError, match=f"claim {item.id} not changed") as caught:
        rv.edit_claim(reviewed, item.id, bad)
    problems = caught.value.problems
    assert problems[0].startswith("actor: 'narnia' is not known; expected one of russia,")
    assert problems[1:] == [
        "kind: 'wish'; expected one of demand, proposal, position, statement, rejection",
        "regions: unknown region 'donbas'; expected one of crimea, donetsk, luhansk, kherson, "
        "zaporizhzhia, kursk, *",
        "regions: kursk has unknown disposition 'given_away'; expected one of to_russia, "
        "recognized_russian, frozen, demilitarized, exchange, to_ukraine, unresolved",
        "date: 2025-09-01 is after the article was published (2025-08-19); a claim cannot "
        "postdate its source",
        "summary: missing; say in a line what the claim means for the territory",
    ]
    assert reviewed.items[0] == item
    # Month precision takes the month; the date is its first day.
    edited = rv.edit_claim(
        reviewed, item.id, _edit_of(item.entry, date="2025-08", date_precision="month")
    )
    claim = edited.item(item.id).entry
    assert claim.date == dt.date(2025, 8, 1) and claim.date_precision == "month"
    with pytest.raises(ReviewError) as caught:
        rv.edit_claim(reviewed, item.id, _edit_of(item.entry, regions={"crimea": None}))
    assert caught.value.problems == [
        "regions: none given; give at least one region a disposition ('*' for all occupied "
        "territory when the claim names none)"
    ]


def test_a_review_survives_the_page_and_altered_data_is_refused(reviewed) -> None:
    data = rv.review_to_data(reviewed)
    assert rv.review_from_data(yaml.safe_load(yaml.safe_dump(data))) == reviewed
    data["items"][0]["claim"]["regions"] = {"donetsk": "sold"}
    with pytest.raises(ReviewError, match="the review kept by this page is damaged") as caught:
        rv.review_from_data(data)
    assert caught.value.problems[0].startswith("items[0].claim: 'sold' is not one of")
    with pytest.raises(ReviewError, match="damaged"):
        rv.review_from_data({"version": 99})


# -- saving ---------------------------------------------------------------------------------------


def test_a_saved_review_passes_the_claims_check(reviewed, paths, runner, monkeypatch) -> None:
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    assert saved.check.startswith("claims file OK:")
    monkeypatch.setenv("MAPDASH_GEODATA", str(paths.geodata))
    monkeypatch.setenv("MAPDASH_SEEDS", str(paths.seeds))
    result = runner.invoke(main, ["claims", "--check"])
    assert result.exit_code == 0, result.output
    assert "claims file OK" in result.output
    # The article is in seeds/ with its manifest entry, as the corpus reads it.
    article = load_corpus(paths.seeds)[saved.article.id]
    assert article == reviewed.article
    assert read_manifest(paths.seeds / "articles.toml")[article.id].title == article.title
    mine = {
        c.id: c
        for c in load_claims(saved.claims_file).claims
        if c.evidence[0].article == article.id
    }
    statuses = sorted(c.status for c in mine.values())
    assert statuses == ["extracted"] * 4 + ["reviewed"] * 3
    assert not any(c.actor == "france" for c in mine.values())
    assert mine[reviewed.items[-1].id].evidence[0].quote == MISSED


def test_a_save_adds_only_the_lines_of_its_claims(reviewed, paths) -> None:
    claims_file = paths.geodata / "claims.yaml"
    before = claims_file.read_text(encoding="utf-8")
    # Read and written back unchanged, the file is the same text: a save touches only its entries.
    assert dump_claims(load_claims(claims_file)) == before
    manifest = (paths.seeds / "articles.toml").read_text(encoding="utf-8")
    rv.save_review(reviewed, editor="alice", paths=paths)
    old, new = before.splitlines(), claims_file.read_text(encoding="utf-8").splitlines()
    changes = [
        op
        for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    # Two blocks inserted (after the last claim, after the last control fact), nothing else.
    assert [op[0] for op in changes] == ["insert", "insert"]
    blocks = [yaml.safe_load("\n".join(new[j1:j2])) for _, _, _, j1, j2 in changes]
    kept = [i for i in reviewed.items if i.decision != "rejected"]
    assert [e["id"] for e in blocks[0]] == [i.id for i in kept if i.is_claim]
    assert [e["id"] for e in blocks[1]] == [i.id for i in kept if not i.is_claim]
    assert (paths.seeds / "articles.toml").read_text(encoding="utf-8").startswith(manifest)


def test_a_save_that_fails_the_check_writes_nothing(reviewed, paths) -> None:
    item = reviewed.items[0]
    assert isinstance(item.entry, Claim)
    wrong = rv.edit_claim(reviewed, item.id, _edit_of(item.entry, proposal="us-2099-grand-plan"))
    geodata, seeds = folder_digest(paths.geodata), folder_digest(paths.seeds)
    with pytest.raises(
        ReviewError, match=r"nothing saved: 'mapdash claims --check' would fail with 1"
    ) as caught:
        rv.save_review(wrong, editor="alice", paths=paths)
    assert caught.value.problems == [
        f"claims.yaml: claim {item.id}: proposal 'us-2099-grand-plan' is not defined under "
        "'proposals'"
    ]
    # A quote altered in the page is not in the article.
    data = rv.review_to_data(reviewed)
    data["items"][1]["claim"]["evidence"][0]["quote"] = "Ukraine will give up Donetsk."
    with pytest.raises(ReviewError) as caught:
        rv.save_review(rv.review_from_data(data), editor="alice", paths=paths)
    assert any("quote not found in 005_" in p for p in caught.value.problems)
    assert folder_digest(paths.geodata) == geodata and folder_digest(paths.seeds) == seeds
    assert read_audit(paths.geodata) == []


def test_the_audit_log_names_the_editor(reviewed, paths, runner, monkeypatch) -> None:
    saved = rv.save_review(reviewed, editor="alice", paths=paths)
    (entry,) = read_audit(paths.geodata)
    assert entry == saved.entry
    assert (entry.actor, entry.action, entry.kind, entry.layer) == (
        "alice",
        "review",
        "claims",
        "claims",
    )
    assert entry.source_file == f"{saved.article.id}.txt"
    assert entry.detail == (
        f"article {saved.article.id} (Zelenskyy and European leaders meet Trump at White House "
        "as land question looms): 1 accepted, 1 corrected, 1 added, 1 rejected, 5 left unreviewed"
    )
    monkeypatch.setenv("MAPDASH_GEODATA", str(paths.geodata))
    result = runner.invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert (
        f"alice      claims: reviewed {saved.article.id}.txt, version {entry.version}"
        in result.output
    )
    assert f"[undo: mapdash rollback {entry.stored}]" in result.output


def test_an_article_saved_meanwhile_takes_the_number(fields, paths) -> None:
    first = rv.start_review(_article(fields, paths))
    text = "Russian forces fully control Luhansk, officials said on Monday.\n"
    second = rv.start_review(
        rv.new_article(
            text, title="Luhansk", outlet="Wire", published="2025-08-18", seeds_dir=paths.seeds
        )
    )
    assert first.article.id.startswith("005_") and second.article.id.startswith("005_")
    rv.save_review(first, editor="alice", paths=paths)
    saved = rv.save_review(second, editor="bob", paths=paths)
    assert saved.article.id.startswith("006_") and saved.article.text == text
    facts = [
        f
        for f in load_claims(saved.claims_file).control
        if f.evidence[0].article == saved.article.id
    ]
    assert facts and all(f.id.startswith("x-006-") for f in facts)


def test_a_failed_write_puts_every_file_back(reviewed, paths, monkeypatch) -> None:
    geodata, seeds = folder_digest(paths.geodata), folder_digest(paths.seeds)

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rv, "append_audit", full_disk)
    with pytest.raises(
        ReviewError, match=r"nothing saved: writing the audit log failed \(No space left"
    ):
        rv.save_review(reviewed, editor="alice", paths=paths)
    assert folder_digest(paths.geodata) == geodata and folder_digest(paths.seeds) == seeds


# -- control facts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def areas() -> dict[str, float]:
    return reference_areas()


def _fact_item(review: rv.Review) -> rv.Item:
    (item,) = [i for i in review.items if isinstance(i.entry, ControlFact)]
    return item


def test_a_control_fact_is_corrected_region_and_figure(reviewed, areas) -> None:
    item = _fact_item(reviewed)
    fact = item.entry
    assert isinstance(fact, ControlFact)
    assert (fact.region, fact.share, fact.bound) == ("donetsk", 0.7, "about")
    edit = dataclasses.replace(
        rv.control_edit_of(fact), region="luhansk", share="", area_km2="6,329", bound="at_least"
    )
    review = rv.edit_control(reviewed, item.id, edit, areas=areas)
    new = review.item(item.id)
    assert new.decision == "edited" and new.entry.status == "reviewed"
    corrected = new.entry
    assert isinstance(corrected, ControlFact)
    assert (corrected.region, corrected.area_km2, corrected.share, corrected.bound) == (
        "luhansk",
        6329.0,
        None,
        "at_least",
    )
    # The rules and the quote stay; the article's words for the old figure ("about 70%") go.
    assert corrected.rules == fact.rules and corrected.evidence == fact.evidence
    assert "stated" not in corrected.extra
    # A share is typed as 0.25 or 25%; a month is its first day.
    by_percent = (
        rv.edit_control(
            reviewed,
            item.id,
            dataclasses.replace(
                rv.control_edit_of(fact), share="25%", date="2025-07", date_precision="month"
            ),
            areas=areas,
        )
        .item(item.id)
        .entry
    )
    assert isinstance(by_percent, ControlFact)
    assert (by_percent.share, by_percent.date) == (0.25, dt.date(2025, 7, 1))


def test_a_bad_figure_is_refused_naming_the_field(reviewed, areas) -> None:
    item = _fact_item(reviewed)
    assert isinstance(item.entry, ControlFact)
    start = rv.control_edit_of(item.entry)
    with pytest.raises(ReviewError, match=f"control fact {item.id} not changed") as caught:
        rv.edit_control(reviewed, item.id, dataclasses.replace(start, share="1.5"), areas=areas)
    assert caught.value.problems == [
        "share: '1.5' is not a share of the region; expected 0 to 1 (0.2) or 0% to 100% (20%)"
    ]
    too_large = dataclasses.replace(start, share="", area_km2="50,000")
    with pytest.raises(ReviewError) as caught:
        rv.edit_control(reviewed, item.id, too_large, areas=areas)
    assert caught.value.problems == [
        f"area_km2: 50,000 km2 is more than the whole of Donetsk ({areas['donetsk']:,.0f} km2); "
        "check the figure and its unit (1 square mile = 2.59 km2)"
    ]
    wrong = dataclasses.replace(
        start,
        region="donbas",
        holder="belarus",
        area_km2="-3",
        bound="roughly",
        date="2025-13-01",
        summary="",
    )
    with pytest.raises(ReviewError) as caught:
        rv.edit_control(reviewed, item.id, wrong, areas=areas)
    assert caught.value.problems == [
        "region: 'donbas' is not known; expected one of crimea, donetsk, luhansk, kherson, "
        "zaporizhzhia, kursk or 'ukraine' for Ukraine as a whole",
        "holder: 'belarus'; expected one of russia, ukraine",
        "bound: 'roughly'; expected one of exact, at_least, about, at_most",
        "area_km2, share: both given; give the area in km2 or the share of the region, not both",
        "date: '2025-13-01' is not a calendar date",
        "summary: missing; say in a line who holds how much of the region",
    ]
    for area, problem in [
        ("0", "area_km2: '0'; expected an area of more than 0 km2"),
        ("lots", "area_km2: 'lots' is not a number; write it as a number of km2, e.g. 1,295"),
    ]:
        with pytest.raises(ReviewError) as caught:
            rv.edit_control(
                reviewed, item.id, dataclasses.replace(start, share="", area_km2=area), areas=areas
            )
        assert caught.value.problems == [problem]
    with pytest.raises(ReviewError) as caught:
        rv.edit_control(reviewed, item.id, dataclasses.replace(start, share=""), areas=areas)
    assert caught.value.problems == [
        "area_km2, share: none given; give the area in km2 or the share of the region the "
        "article reports"
    ]
    assert reviewed.item(item.id) == item


def test_a_missed_control_fact_is_added_from_a_selection(reviewed, areas, paths) -> None:
    text = reviewed.article.text
    # The extractor reads the share of Donetsk from this sentence and misses its second figure,
    # the advance near Pokrovsk: the editor selects the sentence and adds it in km2.
    start = text.index("Russian forces now hold about 70%")
    end = text.index(".", start) + 1
    suggested = rv.suggest_control(reviewed, start, end)
    assert (suggested.region, suggested.holder) == ("donetsk", "russia")
    added = rv.add_control(
        reviewed,
        dataclasses.replace(
            suggested, area_km2="10", bound="about", summary="Russia advanced about 10 km2"
        ),
        areas=areas,
    )
    item = added.items[-1]
    assert item.origin == "added" and item.decision == "accepted"
    assert isinstance(item.entry, ControlFact)
    assert item.id == f"rc-005-{rv.text_digest(text)[:16]}-{start}-donetsk"
    assert item.entry.evidence[0].quote == text[start:end]
    saved = rv.save_review(added, editor="alice", paths=paths)
    facts = {f.id: f for f in load_claims(saved.claims_file).control}
    assert facts[item.id].area_km2 == 10.0 and facts[item.id].status == "reviewed"


# -- reopening an article of seeds/ -------------------------------------------------------------

SEED = "002_c345c335f8d1f17f"
KURSK = "ctl-2024-08-kursk-ukraine"


def _lines_changed(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    old, new = before.splitlines(), after.splitlines()
    return [
        (op, old[i1:i2], new[j1:j2])
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
            a=old, b=new, autojunk=False
        ).get_opcodes()
        if op != "equal"
    ]


def test_a_reopened_article_shows_its_saved_entries_and_only_new_candidates(paths) -> None:
    review = rv.reopen_review(SEED, paths=paths)
    assert review.reopened and review.article == load_corpus(paths.seeds)[SEED]
    in_file = load_claims(paths.geodata / "claims.yaml")
    mine = [
        e.id
        for e in (*in_file.claims, *in_file.control)
        if any(ev.article == SEED for ev in e.evidence)
    ]
    saved = [i for i in review.items if i.origin == "saved"]
    assert [i.id for i in saved] == mine and len(mine) == 19
    assert {i.decision for i in saved} == {"accepted"}  # all reviewed in the file
    fresh = [i for i in review.items if i.origin != "saved"]
    # Of the extractor's candidates only one is covered by nothing saved: Trump's "exchanges of
    # territories", which the file gives as Witkoff's proposal in other words.
    assert [i.entry.evidence[0].quote for i in fresh] == [
        "\u201cThere\u2019ll be some exchanges of territories to the advantage of both.\u201d"
    ]
    everything = rv.start_review(review.article).items
    assert len(everything) > len(fresh)
    quotes = {
        normalize_quote(e.quote) for i in saved for e in i.entry.evidence if e.article == SEED
    }
    assert not any(normalize_quote(i.entry.evidence[0].quote) in quotes for i in fresh)
    # The review goes through the page and back as it is (the manifest's notes on defects
    # stay in the manifest).
    back = rv.review_from_data(rv.review_to_data(review))
    assert back.items == review.items and back.reopened
    assert dataclasses.replace(back.article, defects=review.article.defects) == review.article


def test_a_reopened_article_is_corrected_and_saved_in_place(
    paths, areas, runner, monkeypatch
) -> None:
    claims_file = paths.geodata / "claims.yaml"
    before = claims_file.read_text(encoding="utf-8")
    seeds = folder_digest(paths.seeds)
    review = rv.reopen_review(SEED, paths=paths)
    fact = review.item(KURSK).entry
    assert isinstance(fact, ControlFact) and fact.area_km2 == 1295.0
    edit = dataclasses.replace(rv.control_edit_of(fact), area_km2="1,268", bound="exact")
    review = rv.edit_control(review, KURSK, edit, areas=areas)
    (fresh,) = [i for i in review.items if i.origin != "saved"]
    review = rv.decide(review, fresh.id, "accepted")
    assert rv.review_from_data(rv.review_to_data(review)).counts() == {
        "accepted": 1,
        "edited": 1,
        "added": 0,
        "rejected": 0,
        "pending": 0,
        "kept": 18,
        "removed": 0,
    }
    saved = rv.save_review(review, editor="alice", paths=paths)
    assert saved.reopened and saved.check.startswith(
        "claims file OK: 26 claims, 4 proposals, 10 control facts"
    )
    # The article is not written again, nor added to the manifest a second time.
    assert folder_digest(paths.seeds) == seeds
    monkeypatch.setenv("MAPDASH_GEODATA", str(paths.geodata))
    monkeypatch.setenv("MAPDASH_SEEDS", str(paths.seeds))
    result = runner.invoke(main, ["claims", "--check"])
    assert result.exit_code == 0, result.output
    after = claims_file.read_text(encoding="utf-8")
    changes = _lines_changed(before, after)
    # The Kursk figure changed in place (its old wording 'stated' dropped); the accepted
    # candidate was appended after the last claim; nothing else changed.
    assert changes[0] == ("insert", [], changes[0][2])
    appended = yaml.safe_load("\n".join(changes[0][2]))
    assert [c["id"] for c in appended] == [fresh.id]
    assert appended[0]["evidence"][0]["quote"] == fresh.entry.evidence[0].quote
    assert changes[1:] == [
        ("replace", ["  area_km2: 1295.0"], ["  area_km2: 1268.0"]),
        ("replace", ["  bound: about"], ["  bound: exact"]),
        ("delete", ["  stated: about 500 square miles"], []),
    ]
    (entry,) = read_audit(paths.geodata)
    assert (entry.actor, entry.action, entry.source_file) == ("alice", "review", f"{SEED}.txt")
    assert entry.detail == (
        f"article {SEED} (Trump and Putin are Scheduled To Meet Next Week in Alaska) "
        f"reopened: corrected {KURSK}; added {fresh.id}"
    )
    result = runner.invoke(main, ["history"])
    assert result.exit_code == 0, result.output
    assert f"alice      claims: reviewed {SEED}.txt, version {entry.version}" in result.output


def test_a_saved_entry_rejected_is_removed_and_stale_or_empty_saves_are_refused(paths) -> None:
    review = rv.reopen_review(SEED, paths=paths)
    with pytest.raises(ReviewError, match=f"nothing saved: no change to the claims of {SEED}"):
        rv.save_review(review, editor="alice", paths=paths)
    removed = rv.decide(review, KURSK, "rejected")
    assert removed.counts()["removed"] == 1
    # Meanwhile the Kursk fact is removed from the file by hand: the save is refused.
    claims_file = paths.geodata / "claims.yaml"
    kept = load_claims(claims_file)
    edited = dataclasses.replace(kept, control=tuple(f for f in kept.control if f.id != KURSK))
    claims_file.write_text(dump_claims(edited), encoding="utf-8")
    with pytest.raises(
        ReviewError,
        match=f"the claims file changed since {SEED} was opened: {KURSK} no longer in it",
    ):
        rv.save_review(removed, editor="alice", paths=paths)
    claims_file.write_text(dump_claims(kept), encoding="utf-8")
    saved = rv.save_review(removed, editor="bob", paths=paths)
    assert KURSK not in {f.id for f in load_claims(saved.claims_file).control}
    assert saved.entry.detail and saved.entry.detail.endswith(f"reopened: removed {KURSK}")
    with pytest.raises(ReviewError, match="no article '999_x' in the seeds folder"):
        rv.reopen_review("999_x", paths=paths)


def test_removing_an_entry_that_quotes_two_articles_drops_only_this_ones_quotes(paths) -> None:
    shared = "us-2025-08-17-trump-donbas"
    before = {c.id: c for c in load_claims(paths.geodata / "claims.yaml").claims}[shared]
    assert {e.article for e in before.evidence} == {"000_0585ae3e958fa332", "001_b05852728fcba114"}
    review = rv.decide(rv.reopen_review("001_b05852728fcba114", paths=paths), shared, "rejected")
    saved = rv.save_review(review, editor="alice", paths=paths)
    after = {c.id: c for c in load_claims(saved.claims_file).claims}[shared]
    assert after.evidence == tuple(e for e in before.evidence if e.article.startswith("000_"))
    assert dataclasses.replace(after, evidence=before.evidence) == before
    assert saved.entry.detail and saved.entry.detail.endswith(
        f"reopened: removed the quotes of 001_b05852728fcba114 from {shared}"
    )


def test_a_missed_claim_is_added_to_a_reopened_article(paths) -> None:
    review = rv.reopen_review(SEED, paths=paths)
    start = review.article.text.index("Zelensky seemed to oppose such notions")
    end = review.article.text.index("occupier.\u201d", start) + len("occupier.\u201d")
    suggested = rv.suggest_claim(review, start, end)
    added = rv.add_claim(
        review,
        dataclasses.replace(
            suggested,
            actor="ukraine",
            regions={"*": "to_ukraine"},
            summary="Zelensky: Ukrainians will not gift their land to the occupier",
        ),
    )
    saved = rv.save_review(added, editor="alice", paths=paths)
    claims = load_claims(saved.claims_file).claims
    assert claims[-1].id == added.items[-1].id and claims[-1].status == "reviewed"
    assert claims[-1].evidence[0].quote == review.article.text[start:end]
    assert saved.entry.detail and saved.entry.detail.endswith(f"reopened: added {claims[-1].id}")
