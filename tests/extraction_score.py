"""Scoring of extraction against the annotated expectations in tests/data/expected_claims.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mapdash.extract import Extraction
from mapdash.text import normalize_quote


@dataclass
class Score:
    """Matches between candidates and expectations, and how many fields were right."""

    candidates: int = 0
    expected: int = 0
    matched: int = 0
    regions_right: int = 0
    dates_right: int = 0
    right_candidates: int | None = None
    misses: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        right = self.matched if self.right_candidates is None else self.right_candidates
        return right / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name}: precision {self.precision:.2f} "
            f"({self.matched if self.right_candidates is None else self.right_candidates}"
            f"/{self.candidates}), "
            f"recall {self.recall:.2f} ({self.matched}/{self.expected}), "
            f"regions+dispositions right {self.regions_right}/{self.matched}, "
            f"dates right {self.dates_right}/{self.matched}"
        )


def load_expectations(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def score_claims(extractions: Sequence[Extraction], expected: Iterable[dict[str, Any]]) -> Score:
    """Match candidates to expectations by article, actor and quote.

    A candidate quoting a restatement as a second evidence sentence may match one expectation
    per quote; precision counts candidates with at least one match.
    """
    score = Score()
    pending = list(expected)
    score.expected = len(pending)
    right = 0
    for extraction in extractions:
        for candidate in extraction.claims:
            claim = candidate.claim
            score.candidates += 1
            found = False
            for evidence in claim.evidence:
                sentence = normalize_quote(evidence.quote)
                match = next(
                    (
                        e
                        for e in pending
                        if e["article"] == extraction.article
                        and e["actor"] == claim.actor
                        and normalize_quote(e["quote"]) in sentence
                    ),
                    None,
                )
                if match is None:
                    continue
                found = True
                pending.remove(match)
                score.matched += 1
                regions_ok = dict(claim.regions) == {str(k): v for k, v in match["regions"].items()}
                date_ok = claim.date == match["date"] and claim.date_precision == match["precision"]
                score.regions_right += regions_ok
                score.dates_right += date_ok
                if not (regions_ok and date_ok):
                    score.wrong.append(
                        f"{extraction.article} {claim.actor} {match['quote'][:50]!r}: got "
                        f"{dict(claim.regions)} {claim.date} ({claim.date_precision}), expected "
                        f"{match['regions']} {match['date']} ({match['precision']})"
                    )
            right += found
            if not found:
                quote = normalize_quote(claim.evidence[0].quote)
                score.extra.append(f"{extraction.article} {claim.actor}: {quote[:80]}")
    score.right_candidates = right
    score.misses = [f"{e['article']} {e['actor']}: {e['quote']}" for e in pending]
    return score


def score_control(extractions: Sequence[Extraction], expected: Iterable[dict[str, Any]]) -> Score:
    score = Score()
    pending = list(expected)
    score.expected = len(pending)
    for extraction in extractions:
        for candidate in extraction.control:
            fact = candidate.fact
            score.candidates += 1
            sentence = normalize_quote(fact.evidence[0].quote)
            match = next(
                (
                    e
                    for e in pending
                    if e["article"] == extraction.article
                    and e["region"] == fact.region
                    and e["holder"] == fact.holder
                    and normalize_quote(e["quote"]) in sentence
                ),
                None,
            )
            if match is None:
                score.extra.append(f"{extraction.article} {fact.region}: {sentence[:80]}")
                continue
            pending.remove(match)
            score.matched += 1
            value_ok = _close(fact.area_km2, match.get("area_km2")) and _close(
                fact.share, match.get("share")
            )
            score.regions_right += value_ok and fact.bound == match["bound"]
            score.dates_right += fact.date == match["date"]
            if not (value_ok and fact.date == match["date"]):
                score.wrong.append(f"{extraction.article} {fact.region}: {fact} vs {match}")
    score.misses = [f"{e['article']} {e['region']}: {e['quote']}" for e in pending]
    return score


def _close(got: float | None, want: float | None) -> bool:
    if want is None:
        return got is None
    return got is not None and abs(got - want) <= 0.01 * max(abs(want), 1.0)


__all__ = ["Score", "dt", "load_expectations", "score_claims", "score_control"]
