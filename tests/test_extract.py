"""Rule-based extraction on the seeds, a held-out article, and its building blocks."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from extraction_score import load_expectations, score_claims, score_control
from hypothesis import given, settings
from hypothesis import strategies as st

from mapdash.cli import main
from mapdash.corpus import load_article, load_corpus
from mapdash.extract import (
    extract_article,
    extract_corpus,
    find_actors,
    find_regions,
    resolve_date,
)
from mapdash.text import normalize_quote
from mapdash.types import Article

DONBAS_OFFER = "Russia has proposed to Witkoff that Kyiv cede the entire Donbas region"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def extractions(corpus):
    return {e.article: e for e in extract_corpus(corpus.values())}


@pytest.fixture(scope="module")
def expectations(data_dir):
    return load_expectations(data_dir / "expected_claims.yaml")


def _claim(extractions, article, quote, actor):
    found = [
        c.claim
        for c in extractions[article].claims
        if any(quote in normalize_quote(e.quote) for e in c.claim.evidence)
        and c.claim.actor == actor
    ]
    assert found, f"no {actor} claim from {article} quoting {quote!r}"
    return found[0]


def test_precision_and_recall_against_the_annotated_seeds(extractions, expectations):
    runs = list(extractions.values())
    claims = score_claims(runs, expectations["claims"])
    control = score_control(runs, expectations["control"])
    print(claims.line("claims"))
    print(control.line("control facts"))
    # The rules are general constructions now, not phrases copied from these five articles
    # (those gave 0.9 / 0.85 here and 0.40 recall elsewhere); the seeds stay a regression floor,
    # the development corpus (test_extract_corpus_dev.py) is the measure.
    assert claims.precision >= 0.85, claims.extra
    assert claims.recall >= 0.7, claims.misses
    assert claims.regions_right >= 0.8 * claims.matched, claims.wrong
    assert claims.dates_right >= 0.8 * claims.matched, claims.wrong
    assert control.precision >= 0.85, control.extra
    assert control.recall >= 0.85, control.misses
    assert control.regions_right == control.matched, control.wrong


def test_every_seed_article_yields_its_expected_claims(extractions, expectations):
    # The overall score could hide an article the rules miss entirely; each one is held too.
    for article, extraction in extractions.items():
        expected = [e for e in expectations["claims"] if e["article"] == article]
        score = score_claims([extraction], expected)
        print(score.line(article))
        assert score.matched >= 1, (article, score.misses)
        assert score.recall >= 0.5, (article, score.misses)
        assert score.precision >= 0.5, (article, score.extra)


def test_russia_offer_to_cede_all_of_donbas_is_dated_6_august(extractions):
    claim = _claim(extractions, "002_c345c335f8d1f17f", DONBAS_OFFER, "russia")
    assert dict(claim.regions) == {"donetsk": "to_russia", "luhansk": "to_russia"}
    assert claim.kind == "proposal"
    # Published Saturday 9 August: "since Wednesday, when ... Witkoff had a three-hour meeting".
    assert (claim.date, claim.date_precision) == (dt.date(2025, 8, 6), "day")
    candidate = next(c for c in extractions["002_c345c335f8d1f17f"].claims if c.claim is claim)
    assert any("meeting in sentence" in r and "'Wednesday'" in r for r in candidate.rules)


def test_trump_exchanges_of_territories(extractions):
    claim = _claim(
        extractions, "002_c345c335f8d1f17f", "some exchanges of territories", "united_states"
    )
    assert dict(claim.regions) == {"*": "exchange"}
    assert claim.speaker == "Donald Trump"
    assert claim.date == dt.date(2025, 8, 9)


def test_witkoff_administrative_lines_of_the_five_regions(extractions):
    claim = _claim(
        extractions, "000_0585ae3e958fa332", "wanted it at the administrative lines", "russia"
    )
    assert dict(claim.regions) == dict.fromkeys(
        ["donetsk", "luhansk", "kherson", "zaporizhzhia", "crimea"], "to_russia"
    )
    assert claim.speaker == "Steve Witkoff"


def test_zelensky_will_not_gift_land_and_lavrov_rules_out_concessions(extractions):
    zelensky = _claim(
        extractions, "002_c345c335f8d1f17f", "not gift their land to the occupier", "ukraine"
    )
    assert dict(zelensky.regions) == {"*": "to_ukraine"}
    assert zelensky.date == dt.date(2025, 8, 9)  # "early Saturday"
    lavrov = _claim(
        extractions, "004_697425ad9d472758", "Lavrov on Monday ruled out territorial", "russia"
    )
    assert dict(lavrov.regions) == {"*": "to_russia"}
    assert lavrov.date == dt.date(2025, 2, 17)
    assert lavrov.speaker == "Sergei Lavrov"


def test_the_april_plan_and_its_rejection(extractions):
    article = "002_c345c335f8d1f17f"
    quote = "both Europe and Ukraine had rejected a Witkoff proposal"
    for actor in ("europe", "ukraine"):
        claim = _claim(extractions, article, quote, actor)
        assert dict(claim.regions) == {"*": "to_ukraine"}
        assert (claim.date, claim.date_precision) == (dt.date(2025, 4, 1), "month")
    plan = _claim(extractions, article, quote, "united_states")
    # "recognition of the territories already seized by Russia, in exchange for freezing":
    # what Russia holds is recognised as Russian (the freeze adds nothing beyond the line).
    assert plan.regions["*"] == "recognized_russian"
    assert plan.kind == "proposal"


def test_regions_without_a_position_give_no_claims(extractions, expectations):
    for item in expectations["no_claims"]:
        quoted = [
            c.claim
            for c in extractions[item["article"]].claims
            if any(item["quote"] in normalize_quote(e.quote) for e in c.claim.evidence)
        ]
        assert quoted == [], f"{item['quote']!r} became {quoted}"
    # And no extracted claim is a proposal unless its sentence proposes or offers something.
    for extraction in extractions.values():
        for candidate in extraction.claims:
            if candidate.claim.kind == "proposal":
                text = " ".join(e.quote for e in candidate.claim.evidence).casefold()
                assert any(w in text for w in ("propos", "offer", "plan")), text


def test_control_facts_convert_units(extractions):
    facts = {
        (c.fact.region, c.fact.holder, c.fact.extra["stated"]): c.fact
        for e in extractions.values()
        for c in e.control
    }
    kursk = facts[("kursk", "ukraine", "only about four square miles")]
    assert kursk.area_km2 == pytest.approx(10.36, abs=0.05)
    assert kursk.bound == "about"
    donetsk = facts[("donetsk", "ukraine", "at least 5,000 square kilometers")]
    assert (donetsk.area_km2, donetsk.bound) == (5000.0, "at_least")
    fifth = facts[("ukraine", "russia", "roughly a fifth")]
    assert (fifth.share, fifth.bound) == (0.2, "about")
    luhansk = facts[("luhansk", "russia", "fully control")]
    assert (luhansk.share, luhansk.bound) == (1.0, "exact")
    august_2024 = facts[("kursk", "ukraine", "about 500 square miles")]
    assert august_2024.area_km2 == pytest.approx(1295.0, abs=0.5)
    assert (august_2024.date, august_2024.date_precision) == (dt.date(2024, 8, 1), "month")


def test_every_candidate_quotes_its_sentence_with_offsets(corpus, extractions):
    for extraction in extractions.values():
        text = corpus[extraction.article].text
        for candidate in [*extraction.claims, *extraction.control]:
            record = getattr(candidate, "claim", None) or candidate.fact
            assert record.evidence
            for evidence in record.evidence:  # a restatement adds its sentence as a second quote
                assert evidence.article == extraction.article
                assert text[evidence.start : evidence.end] == evidence.quote
            assert candidate.rules


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("since Wednesday, when Witkoff met Putin", "2025-08-09", ("2025-08-06", "day")),
        ("Earlier in the day, Trump told reporters", "2025-08-09", ("2025-08-09", "day")),
        ("a statement shared early Saturday", "2025-08-09", ("2025-08-09", "day")),
        ("In April, both Europe and Ukraine had rejected", "2025-08-09", ("2025-04-01", "month")),
        ("Reuters reported in November that Putin", "2025-02-18", ("2024-11-01", "month")),
        ("the 28-point set leaked last month", "2025-12-03", ("2025-11-01", "month")),
        (
            "Zelenskyy will be in Washington on Monday, local time",
            "2025-08-17",
            ("2025-08-18", "day"),
        ),
        ("a meeting on Sunday, local time, security", "2025-08-17", ("2025-08-17", "day")),
        ("Yesterday, the Russian president held a meeting", "2025-12-03", ("2025-12-02", "day")),
        ("In August 2024, Ukraine captured", "2025-08-09", ("2024-08-01", "month")),
        ("Tuesday Feb. 18, 2025 (Pool Photo)", "2025-02-18", ("2025-02-18", "day")),
        ("Crimea, which it unlawfully annexed in 2014, as well as", "2025-08-09", None),
        ("the summit on 15 August in Anchorage", "2025-08-20", ("2025-08-15", "day")),
        ("talks in mid-August between the envoys", "2025-11-02", ("2025-08-01", "month")),
        ("a plan first floated in late October 2025", "2025-12-03", ("2025-10-01", "month")),
        ("Earlier this month, the Kremlin said", "2025-12-20", ("2025-12-01", "month")),
        ("Lavrov said three days ago that", "2025-12-20", ("2025-12-17", "day")),
        ("a meeting two weeks ago in Geneva", "2025-12-05", ("2025-11-01", "month")),
    ],
)
def test_relative_dates_resolve_against_publication(text, published, expected):
    ref = resolve_date(text, dt.date.fromisoformat(published))
    if expected is None:
        assert ref is None
    else:
        assert ref is not None
        assert (ref.date.isoformat(), ref.precision) == expected


def test_regions_groups_and_spellings():
    found = find_regions(
        "cede the entire Donbas region in eastern Ukraine, which includes Luhansk and Donetsk"
    )
    assert [m.regions for m in found] == [("donetsk", "luhansk"), ("luhansk",), ("donetsk",)]
    assert find_regions("the five regions")[0].regions == (
        "donetsk",
        "luhansk",
        "kherson",
        "zaporizhzhia",
        "crimea",
    )
    assert find_regions("as well as four additional regions")[0].group == "four"
    spellings = "Zaporozhye, Lugansk, Donets'k, Sevastopol and Kurskaya oblast"
    assert [m.regions[0] for m in find_regions(spellings)] == [
        "zaporizhzhia",
        "luhansk",
        "donetsk",
        "crimea",
        "kursk",
    ]
    assert find_regions("the Kharkiv region and Odesa") == []


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Putin", "russia"),
        ("Lavrov", "russia"),
        ("Yuri Ushakov", "russia"),
        ("Peskov", "russia"),
        ("the Kremlin", "russia"),
        ("Moscow", "russia"),
        ("Trump", "united_states"),
        ("Steve Witkoff", "united_states"),
        ("Rubio", "united_states"),
        ("Waltz", "united_states"),
        ("Washington", "united_states"),
        ("Zelensky", "ukraine"),
        ("Zelenskyy", "ukraine"),
        ("Zelenskiy", "ukraine"),
        ("Kyiv", "ukraine"),
        ("von der Leyen", "europe"),
        ("European leaders", "europe"),
    ],
)
def test_speakers_map_to_parties(name, actor):
    mentions = find_actors(f"On Monday {name} said the talks would go on.")
    assert [m.actor for m in mentions] == [actor]


def test_a_held_out_article_gives_sensible_candidates(data_dir):
    article = load_article(data_dir / "articles" / "white_house_talks.txt")
    assert article.published == dt.date(2025, 8, 19)
    extraction = extract_article(article)
    by_sentence = {
        (c.claim.actor, c.claim.evidence[0].quote[:40]): c.claim for c in extraction.claims
    }
    zelensky = [c for (actor, _), c in by_sentence.items() if actor == "ukraine"]
    assert zelensky, "Zelenskyy's refusal was not found"
    assert all("to_russia" not in c.regions.values() for c in zelensky)
    assert any(c.regions.get("donetsk") == "to_ukraine" for c in zelensky)
    peskov = next(c for c in extraction.claims if c.claim.speaker == "Dmitry Peskov").claim
    assert dict(peskov.regions) == dict.fromkeys(
        ["donetsk", "luhansk", "kherson", "zaporizhzhia"], "recognized_russian"
    )
    assert peskov.date == dt.date(2025, 8, 19)  # "on Tuesday", published Tuesday
    putin = next(c for c in extraction.claims if c.claim.speaker == "Vladimir Putin").claim
    assert putin.actor == "russia"
    assert putin.regions["kherson"] == putin.regions["zaporizhzhia"] == "frozen"
    # "... if Ukraine pulled its troops out of Donetsk": the condition gives Donetsk up.
    assert putin.regions["donetsk"] == "to_russia"
    macron = [c.claim for c in extraction.claims if c.claim.speaker == "Emmanuel Macron"]
    # National leaders speak for their country (speakers.yaml), as the dev corpus reads them.
    assert macron and all(c.actor == "france" for c in macron)
    assert any(dict(c.regions) == {"*": "to_ukraine"} for c in macron)
    # Battlefield news and a ceasefire without territory are not claims.
    quotes = " ".join(e.quote for c in extraction.claims for e in c.claim.evidence)
    assert "Kharkiv" not in quotes
    assert "30-day ceasefire" not in quotes
    # "advanced roughly 10 square kilometers" is a gain, not a holding: only the share remains.
    facts = [c.fact for c in extraction.control]
    assert [(f.region, f.holder, f.share, f.area_km2, f.bound) for f in facts] == [
        ("donetsk", "russia", 0.7, None, "about")
    ]


def test_extraction_is_fast(corpus):
    articles = list(corpus.values()) * 20
    # CPU time of this process: other work on a shared machine does not count against it.
    start = time.process_time()
    extract_corpus(articles)
    rate = len(articles) / (time.process_time() - start)
    print(f"extraction: {rate:.0f} articles/second (seed articles of 4-14 kB)")
    # A floor against a pathological slowdown (a regex that backtracks); the throughput target,
    # 200 generated articles/s, is measured by the benchmark (bench/extraction.py). With six
    # test suites sharing two cores, even CPU time halves, so the floor leaves room for that.
    assert rate > 25


def test_cli_extract_json_shape(runner, data_dir):
    path = data_dir / "articles" / "white_house_talks.txt"
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records
    for record in records:
        assert set(record) >= {
            "id",
            "date",
            "date_precision",
            "actor",
            "speaker",
            "kind",
            "regions",
            "summary",
            "proposal",
            "status",
            "evidence",
            "rules",
        }
        assert record["status"] == "extracted"
        dt.date.fromisoformat(record["date"])
        assert record["evidence"][0]["article"] == "white_house_talks"
        assert record["evidence"][0]["quote"] in path.read_text(encoding="utf-8")


def test_cli_extract_needs_a_date_for_an_undated_file(runner, tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("Putin said Russia would never give up Crimea.\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 1
    assert "no publication date anywhere" in result.output
    result = runner.invoke(
        main, ["extract", str(path), "--format", "json", "--published", "2025-09-01"]
    )
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert (record["actor"], record["regions"], record["date"]) == (
        "russia",
        {"crimea": "to_russia"},
        "2025-09-01",
    )
    result = runner.invoke(main, ["extract", str(path), "--published", "9 Aug"])
    assert result.exit_code == 2  # misuse: click explains the expected format
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output


def test_table_output_explains_the_rules(runner):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    result = runner.invoke(main, ["extract", str(seeds / "002_c345c335f8d1f17f.txt")])
    assert result.exit_code == 0, result.output
    assert "x-002-c345c335f8d1f17f-" in result.output
    assert "control  2025-08-09 luhansk: russia holds share 1.0 (exact)" in result.output
    assert "-> 10.4 km2" in result.output
    # Each candidate: a line, its summary, its evidence span, the rules that fired.
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("x-002-"))
    assert lines[first + 2].startswith("  span: 002_c345c335f8d1f17f[")
    rules = next(line for line in lines[first + 3 :] if not line.startswith("  span: "))
    assert rules.startswith("  rules: cue '")
    assert lines[-1].endswith("control fact(s)") and "candidate claim(s)" in lines[-1]


@pytest.mark.parametrize(
    ("sentence", "actor", "regions"),
    [
        (
            "Putin demanded on Monday that Ukraine withdraw its forces from the rest of the "
            "Donetsk region.",
            "russia",
            {"donetsk": "to_russia"},
        ),
        (
            "Kyiv refuses to cede any territory, a Ukrainian official said.",
            "ukraine",
            {"*": "to_ukraine"},
        ),
        (
            "Zelensky ruled out recognizing Crimea as Russian territory.",
            "ukraine",
            {"crimea": "to_ukraine"},
        ),
        (
            "The Kremlin said the status of Crimea was not up for discussion.",
            "russia",
            {"crimea": "to_russia"},
        ),
        (
            "European leaders proposed a ceasefire along the current front line.",
            "europe",
            {"*": "frozen"},
        ),
        (
            "Trump said Ukraine could win back all of its land, including Crimea.",
            "united_states",
            {"*": "to_ukraine", "crimea": "to_ukraine"},
        ),
        ("Putin said Russia would never give up Crimea.", "russia", {"crimea": "to_russia"}),
        (
            "Moscow offered to freeze the front line in Kherson and Zaporizhzhia if Kyiv "
            "withdrew its troops from Donetsk.",
            "russia",
            {"kherson": "frozen", "zaporizhzhia": "frozen", "donetsk": "to_russia"},
        ),
        (
            "Putin said Russia would stop at the current front line in Zaporizhzhia if Ukraine "
            "handed over Luhansk.",
            "russia",
            {"zaporizhzhia": "frozen", "luhansk": "to_russia"},
        ),
        ("Ukraine rejected any land swap on Tuesday.", "ukraine", {"*": "to_ukraine"}),
        ("European leaders rejected a territorial exchange.", "europe", {"*": "to_ukraine"}),
        ("Ukrainian troops recaptured two villages in the Zaporizhzhia region.", None, None),
    ],
)
def test_phrasings_beyond_the_seeds(tmp_path, sentence, actor, regions):
    path = tmp_path / "wire.txt"
    path.write_text(f"Date: 2025-09-10\n\n{sentence}\n", encoding="utf-8")
    claims = [c.claim for c in extract_article(load_article(path)).claims]
    if actor is None:
        assert claims == []
        return
    (claim,) = claims
    assert (claim.actor, dict(claim.regions)) == (actor, regions)


_WORDS = st.sampled_from(
    [
        "Putin",
        "Zelenskyy",
        "Trump's",
        "Russia",
        "Kyiv",
        "said",
        "on Monday",
        "in April",
        "cede",
        "not",
        "Donbas",
        "Crimea",
        "the five regions",
        "territory",
        "about four square miles",
        "20%",
        "\u201cWe",
        "will\u201d",
        "freeze",
        "at the front line",
        "land swap",
        ",",
        ".",
        "\n\n",
        "which",
        "Mr.",
        "U.S.",
    ]
)


@settings(max_examples=80, deadline=None)
@given(words=st.lists(_WORDS, max_size=60))
def test_any_text_extracts_without_error_and_quotes_exactly(words):
    text = " ".join(words)
    article = Article(
        id="generated", title="t", outlet="o", published=dt.date(2025, 8, 9), text=text
    )
    extraction = extract_article(article)
    for candidate in [*extraction.claims, *extraction.control]:
        record = getattr(candidate, "claim", None) or candidate.fact
        for evidence in record.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote
        assert record.date <= article.published
