"""Rule-based extraction: an Article -> candidate claims and control facts (pure, no I/O).

Every candidate carries the sentence it comes from (article id and character offsets) and the
rules that fired, so a reviewer can see why it was proposed. Nothing here downloads a model or
touches the network. One job per module: ``mentions`` (regions, actors, speakers), ``dates``,
``cues`` (verbs, polarity, hedges), ``quantities``, ``claims`` (assembly) and ``control``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..text import split_sentences
from ..types import Article, ClaimKind, Evidence
from .claims import Candidate, Context, PlanRef, claims_in, named_author
from .context import (
    next_is_list as _next_is_list,
)
from .context import (
    plan_named as _plan_named,
)
from .context import (
    quote_speakers,
    resolve_pronouns,
)
from .context import (
    section_heading as _section_heading,
)
from .context import (
    speaker_of as _speaker_of,
)
from .control import ControlCandidate, control_in
from .cues import BOILERPLATE, LIST_ITEM, MEETING, PLAN_HEADING, THIS_WAS_STATED
from .dates import DateRef, resolve_date
from .mentions import ActorMention, RegionMention, find_actors, find_regions, is_subject
from .prefilter import Filtered

__all__ = [
    "ActorMention",
    "Candidate",
    "ControlCandidate",
    "DateRef",
    "Extraction",
    "RegionMention",
    "extract_article",
    "extract_corpus",
    "render_candidates",
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


_MARKER_ONLY = re.compile(r"\s*\(?\d{1,2}[.)]\s*")
_MEETING = Filtered(MEETING)
_PLAN_HEADING = Filtered(PLAN_HEADING)


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
        A position restated later in the article (same actor, regions and date) is kept once.
    """
    sentences = article.sentences or split_sentences(article.text)
    mentions = [find_actors(s.text) for s in sentences]
    speakers = quote_speakers(sentences, mentions, article.text)
    claims: list[Candidate] = []
    control: list[ControlCandidate] = []
    seen: dict[tuple[str, frozenset[tuple[str, str]], object], int] = {}
    last_person: ActorMention | None = None
    last_regions: tuple[str, ...] = ()
    plan: PlanRef | None = None
    list_plan = False
    list_author: ActorMention | None = None
    marker = False
    meetings: list[tuple[int, frozenset[str], DateRef]] = []
    recent: dict[str, tuple[int, DateRef, ClaimKind]] = {}
    # As the context hands them on, rebuilt only when they change (most sentences add nothing).
    meetings_seen: tuple[tuple[int, frozenset[str], DateRef], ...] = ()
    recent_seen: tuple[tuple[str, int, DateRef, ClaimKind], ...] = ()
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if BOILERPLATE.match(text):
            continue
        actors = resolve_pronouns(text, mentions[index], last_person, speakers[index])
        people = [m for m in actors if m.speaker]
        date = resolve_date(text, article.published)
        listed = bool(LIST_ITEM.match(text)) or marker
        # "1." split off as a sentence of its own: the next sentence is the provision.
        marker = bool(_MARKER_ONLY.fullmatch(text))
        if marker:
            continue
        if not listed and list_plan and not _section_heading(text):
            list_plan, list_author = False, None
        stated_by = None
        if index + 1 < len(sentences) and THIS_WAS_STATED.match(sentences[index + 1].text):
            stated_by = next(iter(mentions[index + 1]), None)
        context = Context(
            index,
            speakers[index],
            meetings_seen,
            recent_seen,
            last_person=last_person,
            last_regions=last_regions,
            plan=plan,
            stated_by=stated_by,
            list_plan=list_plan and listed,
            list_author=list_author,
        )
        regions_named = find_regions(text)
        found = claims_in(article, sentence, actors, date, context, regions_named)
        for candidate in found:
            claim = candidate.claim
            key = (claim.actor, frozenset(claim.regions.items()), claim.date)
            if key in seen:
                # A restatement of a position already found: one claim, quoted twice.
                kept = claims[seen[key]]
                rules = (*kept.rules, f"restated in sentence {index + 1}")
                again = dataclasses.replace(
                    kept.claim, evidence=(*kept.claim.evidence, *claim.evidence), rules=rules
                )
                claims[seen[key]] = Candidate(again, rules)
                continue
            seen[key] = len(claims)
            claims.append(candidate)
            ref = DateRef(claim.date, claim.date_precision, "")
            recent[claim.actor] = (index, ref, claim.kind)
            if claim.kind in ("proposal", "demand"):
                recent[f"proposal:{claim.actor}"] = (index, ref, claim.kind)
            if claim.speaker:
                recent[claim.speaker] = (index, ref, claim.kind)
            recent_seen = tuple((key, i, d, k) for key, (i, d, k) in recent.items())
        plan = _plan_named(text, actors, found, index, plan)
        control += control_in(article, sentences, index, actors, date, regions_named)
        # The cheap conditions first: most sentences fail them without a scan.
        if date is not None and people and _MEETING.search(text):
            meetings.append((index, frozenset(m.speaker or "" for m in people), date))
            meetings_seen = tuple(meetings)
        if (
            text.rstrip().endswith(":") or _next_is_list(sentences, index)
        ) and _PLAN_HEADING.search(text):
            list_plan = True
            list_author = named_author(text, actors) or next(
                (
                    m
                    for m in actors
                    if m.kind in ("plan", "party", "person", "office") and is_subject(text, m)
                ),
                None,
            )
        # "Lavrov met Rubio. He said ...": the subject of the sentence before, not its object.
        first = people[0] if len(people) > 1 and is_subject(text, people[0]) else None
        last_person = _speaker_of(text, actors) or first or (people[-1] if people else last_person)
        named = [r for m in regions_named for r in m.regions]
        if named:
            last_regions = tuple(dict.fromkeys(named))
    return Extraction(article.id, tuple(claims), tuple(control))


def _span(evidence: Evidence, limit: int = 160) -> str:
    quote = " ".join(evidence.quote.split())
    quote = quote if len(quote) <= limit else quote[: limit - 3] + "..."
    where = f"[{evidence.start}:{evidence.end}]" if evidence.start is not None else ""
    return f'  span: {evidence.article}{where} "{quote}"'


def render_candidates(extractions: Iterable[Extraction]) -> str:
    """Render candidates as the reviewer reads them.

    Each claim and control fact comes with its evidence span (article, character offsets,
    sentence) and the rules that fired.
    """
    lines: list[str] = []
    count = facts = 0
    for extraction in extractions:
        for candidate in extraction.claims:
            claim = candidate.claim
            count += 1
            regions = ", ".join(f"{k}={v}" for k, v in claim.regions.items())
            date = claim.date.isoformat()
            if claim.date_precision != "day":
                date = date[:7] if claim.date_precision == "month" else date[:4]
            lines.append(f"{claim.id}  {date} {claim.actor} {claim.kind}: {regions}")
            lines.append(f"  {claim.summary}")
            lines += [_span(e) for e in claim.evidence]
            lines.append("  rules: " + "; ".join(candidate.rules))
        for fact in extraction.control:
            f = fact.fact
            facts += 1
            amount = (
                f"{f.area_km2:,.1f} km2"
                if f.area_km2 is not None
                else f"share {f.share}"
                if f.share is not None
                else "an unstated part"
            )
            lines.append(
                f"control  {f.date.isoformat()} {f.region}: {f.holder} holds {amount} "
                f"({f.bound}) - {'; '.join(fact.rules)}"
            )
            lines += [_span(e) for e in f.evidence]
    lines.append(f"{count} candidate claim(s), {facts} control fact(s)")
    return "\n".join(lines)


def extract_corpus(articles: Iterable[Article]) -> tuple[Extraction, ...]:
    """Extract from each article in turn."""
    return tuple(extract_article(article) for article in articles)
