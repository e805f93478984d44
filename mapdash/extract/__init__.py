"""Rule-based extraction: an Article -> candidate claims and control facts (pure, no I/O).

Every candidate carries the sentence it comes from (article id and character offsets) and the
rules that fired, so a reviewer can see why it was proposed. Nothing here downloads a model or
touches the network. One job per module: ``mentions`` (regions, actors, speakers), ``dates``,
``cues`` (verbs, polarity, hedges), ``quantities``, ``claims`` (assembly) and ``control``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..text import split_sentences
from ..types import Article, ClaimKind
from .claims import Candidate, Context, claims_in
from .control import ControlCandidate, control_in
from .cues import ATTRIBUTION, BOILERPLATE, MEETING, OPENING_QUOTE
from .dates import DateRef, resolve_date
from .mentions import ActorMention, RegionMention, find_actors, find_regions

__all__ = [
    "ActorMention",
    "Candidate",
    "ControlCandidate",
    "DateRef",
    "Extraction",
    "RegionMention",
    "extract_article",
    "extract_corpus",
    "find_actors",
    "find_regions",
    "resolve_date",
]


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: str
    claims: tuple[Candidate, ...]
    control: tuple[ControlCandidate, ...]


def extract_article(article: Article) -> Extraction:
    """Extract candidate claims and control facts from an article.

    Parameters
    ----------
    article
        An article; its ``sentences`` are used when present, otherwise the text is split here.

    Returns
    -------
    Extraction
        Candidates in text order; each claim has status ``extracted`` and evidence with offsets.
    """
    sentences = article.sentences or split_sentences(article.text)
    claims: list[Candidate] = []
    control: list[ControlCandidate] = []
    last_person: ActorMention | None = None
    open_quote = False
    meetings: list[tuple[int, frozenset[str], DateRef]] = []
    recent: dict[str, tuple[int, DateRef, ClaimKind]] = {}
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if BOILERPLATE.match(text):
            continue
        actors = find_actors(text)
        people = [m for m in actors if m.speaker]
        date = resolve_date(text, article.published)
        quoted = open_quote or bool(OPENING_QUOTE.match(text)) or bool(ATTRIBUTION.search(text))
        context = Context(
            index,
            last_person if quoted else None,
            tuple(meetings),
            tuple((key, i, d, k) for key, (i, d, k) in recent.items()),
        )
        found = claims_in(article, sentence, actors, date, context)
        claims += found
        for candidate in found:
            claim = candidate.claim
            ref = DateRef(claim.date, claim.date_precision, "")
            recent[claim.actor] = (index, ref, claim.kind)
            if claim.kind == "proposal":
                recent[f"proposal:{claim.actor}"] = (index, ref, claim.kind)
            if claim.speaker:
                recent[claim.speaker] = (index, ref, claim.kind)
        control += control_in(article, sentences, index, actors, date)
        if date is not None and MEETING.search(text) and people:
            meetings.append((index, frozenset(m.speaker or "" for m in people), date))
        if people:
            last_person = people[0]
        opened = text.count("\u201c") - text.count("\u201d")
        open_quote = opened > 0 or (open_quote and opened == 0 and "\u201d" not in text)
    return Extraction(article.id, tuple(claims), tuple(control))


def extract_corpus(articles: Iterable[Article]) -> tuple[Extraction, ...]:
    """Extract from each article in turn."""
    return tuple(extract_article(article) for article in articles)
