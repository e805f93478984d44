"""Score extraction against the development corpus (``../shared/corpus-dev``, beside the project).

The corpus holds real article excerpts (``articles/*.txt``, four header lines and a blank line
before the text) and a gold reading of their claims (``gold.yaml``; see its README). Its texts
are read from there at run time and never copied into this repository.

How a candidate is matched to a gold claim (one to one, each gold claim taken at most once):

- **article**: the candidate comes from the gold claim's article;
- **actor**: equal (``russia``, ``ukraine``, ``united_states``, ``europe``, ``finland``, ...);
- **regions**: the two region sets overlap (``*``, territory in general, is a region key of its
  own: it overlaps only ``*``), and on every region both name, the dispositions agree by family;
- **disposition family**: ``to_russia`` and ``recognized_russian`` are one family (Russia keeps
  the region, by transfer or by recognition); each other disposition (``frozen``,
  ``demilitarized``, ``exchange``, ``to_ukraine``, ``unresolved``) is a family of its own;
- **date**: the candidate's date lies within the gold claim's ``date_window_days`` of its date.

The kind (demand, proposal, rejection, ...) and the quote are not part of the match: the
reviewer corrects a kind in a second, and the gold quote is one sentence where a candidate may
cite a neighbour. A maximum bipartite matching pairs candidates with gold claims, so the score
does not depend on the order candidates come in. A second candidate for an already matched gold
claim (a restatement) counts as wrong.

- precision = matched candidates / all candidates (against all gold claims, core or not);
- recall = matched gold claims / all gold claims; core recall = matched core / core claims
  (core: a current, clearly attributed position, as the gold marks it).

``regions_exact`` counts matches whose region sets are also equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mapdash.corpus import load_article
from mapdash.extract import Extraction, extract_article
from mapdash.types import Article, Claim

ROOT = Path(__file__).resolve().parent.parent
#: Where the development corpus lives, relative to the project folder.
CORPUS_DEV = ROOT.parent / "shared" / "corpus-dev"

_FAMILY = {"recognized_russian": "to_russia"}


def family(disposition: str) -> str:
    """The family of a disposition (transfer and recognition to Russia are one)."""
    return _FAMILY.get(disposition, disposition)


@dataclass(frozen=True)
class GoldClaim:
    """One claim of the gold reading."""

    id: str
    article: str
    actor: str
    date: dt.date
    window_days: int
    regions: Mapping[str, str]
    kind: str
    core: bool
    quote: str


def matches(claim: Claim, gold: GoldClaim) -> bool:
    """Whether a candidate claim agrees with a gold claim (see the module docstring)."""
    if claim.actor != gold.actor:
        return False
    shared = set(claim.regions) & set(gold.regions)
    if not shared:
        return False
    if any(family(claim.regions[r]) != family(gold.regions[r]) for r in shared):
        return False
    return abs((claim.date - gold.date).days) <= gold.window_days


@dataclass
class ArticleScore:
    """Counts for one article (or, summed, for the corpus)."""

    name: str
    candidates: int = 0
    gold: int = 0
    core: int = 0
    matched: int = 0
    core_matched: int = 0
    regions_exact: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matched candidates over all candidates (1.0 when there are none)."""
        return self.matched / self.candidates if self.candidates else 1.0

    @property
    def recall(self) -> float:
        """Matched gold claims over all gold claims."""
        return self.matched / self.gold if self.gold else 1.0

    @property
    def core_recall(self) -> float:
        """Matched core gold claims over all core gold claims."""
        return self.core_matched / self.core if self.core else 1.0

    def add(self, other: ArticleScore) -> None:
        """Add another article's counts to these."""
        self.candidates += other.candidates
        self.gold += other.gold
        self.core += other.core
        self.matched += other.matched
        self.core_matched += other.core_matched
        self.regions_exact += other.regions_exact
        self.missed += other.missed
        self.wrong += other.wrong


@dataclass
class CorpusScore:
    """Per-article scores and their total."""

    articles: list[ArticleScore]
    total: ArticleScore

    def table(self) -> str:
        """A plain-text table: one line per article and the total."""
        head = f"{'article':<58}{'cand':>5}{'gold':>5}{'core':>5}{'P':>6}{'R':>6}{'coreR':>7}"
        lines = [head]
        for row in [*self.articles, self.total]:
            lines.append(
                f"{row.name[:57]:<58}{row.candidates:>5}{row.gold:>5}{row.core:>5}"
                f"{row.precision:>6.2f}{row.recall:>6.2f}{row.core_recall:>7.2f}"
            )
        t = self.total
        lines.append(
            f"precision {t.precision:.3f} ({t.matched}/{t.candidates}), recall {t.recall:.3f} "
            f"({t.matched}/{t.gold}), core recall {t.core_recall:.3f} "
            f"({t.core_matched}/{t.core}), regions exactly equal in {t.regions_exact} matches"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """The numbers, for bench/results."""

        def row(s: ArticleScore) -> dict[str, Any]:
            return {
                "candidates": s.candidates,
                "gold": s.gold,
                "core": s.core,
                "matched": s.matched,
                "core_matched": s.core_matched,
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "core_recall": round(s.core_recall, 3),
            }

        return {
            "total": {**row(self.total), "regions_exact": self.total.regions_exact},
            "articles": {s.name: row(s) for s in self.articles},
        }


def load_gold(folder: Path = CORPUS_DEV) -> dict[str, list[GoldClaim]]:
    """Read ``gold.yaml``: article file name -> its gold claims."""
    data = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))
    gold: dict[str, list[GoldClaim]] = {}
    for name, entry in data["articles"].items():
        gold[name] = [
            GoldClaim(
                id=c["id"],
                article=name,
                actor=c["actor"],
                date=c["date"],
                window_days=int(c["date_window_days"]),
                regions={str(k): str(v) for k, v in c["regions"].items()},
                kind=c["kind"],
                core=bool(c["core"]),
                quote=c["quote"],
            )
            for c in entry.get("claims") or []
        ]
    return gold


def load_articles(folder: Path = CORPUS_DEV) -> dict[str, Article]:
    """Read every article of the corpus the way ``mapdash extract`` reads a file."""
    return {p.name: load_article(p) for p in sorted((folder / "articles").glob("*.txt"))}


def _bipartite(candidates: Sequence[Claim], gold: Sequence[GoldClaim]) -> dict[int, int]:
    """Maximum matching candidate index -> gold index (augmenting paths; core claims first)."""
    order = sorted(range(len(gold)), key=lambda g: not gold[g].core)
    edges = {g: [c for c, claim in enumerate(candidates) if matches(claim, gold[g])] for g in order}
    owner: dict[int, int] = {}  # candidate -> gold

    def augment(g: int, seen: set[int]) -> bool:
        for c in edges[g]:
            if c in seen:
                continue
            seen.add(c)
            if c not in owner or augment(owner[c], seen):
                owner[c] = g
                return True
        return False

    for g in order:
        augment(g, set())
    return owner


def score_article(name: str, extraction: Extraction, gold: Sequence[GoldClaim]) -> ArticleScore:
    """Score one article's candidates against its gold claims."""
    claims = [c.claim for c in extraction.claims]
    owner = _bipartite(claims, gold)
    score = ArticleScore(name, candidates=len(claims), gold=len(gold))
    score.core = sum(g.core for g in gold)
    taken = set(owner.values())
    score.matched = len(owner)
    score.core_matched = sum(gold[g].core for g in taken)
    score.regions_exact = sum(
        set(claims[c].regions) == set(gold[g].regions) for c, g in owner.items()
    )
    for g, claim in enumerate(gold):
        if g not in taken:
            score.missed.append(
                f"{claim.id} {'core' if claim.core else 'non-core'} {claim.actor} "
                f"{dict(claim.regions)} {claim.date}: {claim.quote[:90]}"
            )
    for c, claim in enumerate(claims):
        if c not in owner:
            score.wrong.append(
                f"{name[:2]} {claim.actor} {claim.kind} {dict(claim.regions)} {claim.date}: "
                f"{claim.evidence[0].quote[:90]}"
            )
    return score


def score_corpus(
    folder: Path = CORPUS_DEV,
    *,
    extract: Callable[[Article], Extraction] = extract_article,
    names: Iterable[str] | None = None,
) -> CorpusScore:
    """Extract every article of the corpus and score it against the gold reading."""
    gold = load_gold(folder)
    articles = load_articles(folder)
    rows = []
    total = ArticleScore("all articles")
    for name in names or sorted(gold):
        row = score_article(name, extract(articles[name]), gold[name])
        rows.append(row)
        total.add(row)
    return CorpusScore(rows, total)
