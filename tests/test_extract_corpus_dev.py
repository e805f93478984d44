"""Extraction scored against the development corpus (real articles beside the project).

The corpus (``../shared/corpus-dev``: article excerpts and a gold reading) is read at run time
and never copied here; without it the tests skip with a message. How a candidate matches a gold
claim (actor, overlapping regions with dispositions agreeing by family, date window) is defined
in ``bench/devcorpus.py``.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT))

from bench.devcorpus import CORPUS_DEV, GoldClaim, family, matches, score_corpus  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (CORPUS_DEV / "gold.yaml").exists(),
    reason=f"development corpus not found at {CORPUS_DEV} (../shared/corpus-dev); "
    "the dev-corpus scores need it",
)


@pytest.fixture(scope="module")
def score():
    return score_corpus()


def test_dev_corpus_scores_reach_the_targets(score, capsys):
    table = score.table()
    with capsys.disabled():  # the table shows with or without -s
        print("\n" + table)
    total = score.total
    assert total.gold == 70 and total.core == 43, table
    assert total.core_recall >= 0.85, table + "\nmissed:\n" + "\n".join(total.missed)
    assert total.precision >= 0.8, table + "\nwrong:\n" + "\n".join(total.wrong)
    assert total.recall >= 0.7, table


def test_no_article_is_left_without_a_match(score):
    # The total could hide an article the rules miss entirely.
    for row in score.articles:
        if row.core:
            assert row.core_matched >= 1, (row.name, row.missed)


def test_matching_follows_the_definition():
    import datetime as dt

    from mapdash.types import Claim, Evidence

    gold = GoldClaim(
        id="x",
        article="a",
        actor="russia",
        date=dt.date(2025, 8, 17),
        window_days=5,
        regions={"donetsk": "to_russia", "luhansk": "to_russia"},
        kind="demand",
        core=True,
        quote="q",
    )

    def claim(actor="russia", regions=None, date=dt.date(2025, 8, 17)):
        return Claim(
            id="c",
            date=date,
            date_precision="day",
            actor=actor,
            kind="demand",
            regions=regions or {"donetsk": "to_russia"},
            summary="s",
            evidence=(Evidence("a", "q"),),
        )

    assert matches(claim(), gold)  # overlapping regions suffice
    assert matches(claim(regions={"donetsk": "recognized_russian"}), gold)  # same family
    assert not matches(claim(regions={"donetsk": "frozen"}), gold)
    assert not matches(claim(regions={"kherson": "to_russia"}), gold)  # no overlap
    assert not matches(claim(regions={"*": "to_russia"}), gold)  # '*' overlaps only '*'
    assert not matches(claim(actor="ukraine"), gold)
    assert matches(claim(date=dt.date(2025, 8, 12)), gold)  # 5 days: inside the window
    assert not matches(claim(date=dt.date(2025, 8, 11)), gold)
    assert family("recognized_russian") == family("to_russia") != family("frozen")
