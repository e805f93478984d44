"""Control facts: who holds how much of a region, as an article states it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..regions import REGIONS
from ..types import Article, ControlFact, Evidence, Sentence
from .claims import slug
from .dates import DateRef
from .mentions import ActorMention, find_regions
from .prefilter import Filtered, FilteredGroup
from .quantities import (
    ADVANCE,
    AREA_RE,
    BOUNDS,
    FRACTIONS,
    FULL_RE,
    PASSIVE_HOLDER,
    QUANTITY_KEYS,
    SHARE_OF_REGION,
    SHARE_OF_UKRAINE,
    SHARE_RE,
    SQUARE_MILE_KM2,
    Bound,
    parse_number,
)


@dataclass(frozen=True)
class ControlCandidate:
    """A candidate control fact with the rules that produced it."""

    fact: ControlFact
    rules: tuple[str, ...]


# -- control facts --------------------------------------------------------------------------------

#: Most sentences state no quantity: those lacking the words of all three are not scanned.
_QUANTITIES = FilteredGroup([Filtered(AREA_RE), Filtered(SHARE_RE), Filtered(FULL_RE)])


def control_in(
    article: Article,
    sentences: Sequence[Sentence],
    index: int,
    actors: list[ActorMention],
    date: DateRef | None,
) -> list[ControlCandidate]:
    """Find the control facts (areas, shares, full control) stated in sentence ``index``."""
    sentence = sentences[index]
    text = sentence.text
    facts: list[ControlCandidate] = []
    if not _QUANTITIES.possible(text) or not QUANTITY_KEYS.search(text.lower()):
        return facts
    # A control figure is stated as of publication unless an absolute date goes with it ("In
    # August 2024, Ukraine captured ..."); "last week" dates the remark, not the front line.
    when = (
        date
        if date is not None and re.search(r"\d{4}", date.expression)
        else DateRef(article.published, "day", "")
    )
    for match in AREA_RE.finditer(text):
        value = parse_number(match.group("num"))
        if value is None or ADVANCE.search(text[max(0, match.start() - 25) : match.start()]):
            # "advanced roughly 10 square kilometers" is a gain, not what a side holds.
            continue
        unit = match.group("unit").casefold()
        km2 = value * SQUARE_MILE_KM2 if "mi" in unit else value
        holder = _holder_before(text, match.start(), actors)
        region = _nearby_region(sentences, index)
        if holder is None or region is None:
            continue
        rules = (
            f"quantity {match.group().strip()!r} -> {km2:,.1f} km2",
            f"holder {holder}",
            f"region {region[1]!r} -> {region[0]}",
        )
        facts.append(
            _fact(
                article,
                sentence,
                f"a{match.start()}",
                region[0],
                when,
                holder,
                rules,
                area_km2=round(km2, 1),
                bound=BOUNDS.get((match.group("bound") or "").casefold(), "exact"),
                stated=match.group().strip(),
            )
        )
    for match in SHARE_RE.finditer(text):
        of_region = SHARE_OF_REGION.match(text[match.end() :])
        named = find_regions(of_region.group("place")) if of_region else []
        target: str = "ukraine"
        if named and len(named[0].regions) == 1:
            target = named[0].regions[0]
        elif not SHARE_OF_UKRAINE.search(text[match.end() :]):
            continue
        share = (
            float(match.group("pct")) / 100
            if match.group("pct")
            else FRACTIONS[match.group("frac").casefold()]
        )
        passive = PASSIVE_HOLDER.search(text[match.end() :])
        if passive:
            word = (passive.group("h1") or passive.group("h2")).casefold()
            holder = "russia" if word.startswith("russia") else "ukraine"
        else:
            holder = _holder_before(text, match.start(), actors)
        if holder is None:
            continue
        share_rules = (f"share {match.group().strip()!r} -> {share:.2f}", f"holder {holder}")
        facts.append(
            _fact(
                article,
                sentence,
                f"s{match.start()}",
                target,
                when,
                holder,
                share_rules,
                share=round(share, 4),
                bound=BOUNDS.get((match.group("bound") or "").casefold(), "exact"),
                stated=match.group().strip(),
            )
        )
    for match in FULL_RE.finditer(text):
        after = [m for m in find_regions(text) if m.start >= match.end() and len(m.regions) == 1]
        holder = _holder_before(text, match.start(), actors)
        if not after or holder is None:
            continue
        held: str = after[0].regions[0]
        full_rules = (f"{match.group()!r} {after[0].text!r} -> share 1.0", f"holder {holder}")
        facts.append(
            _fact(
                article,
                sentence,
                f"f{match.start()}",
                held,
                when,
                holder,
                full_rules,
                share=1.0,
                bound="exact",
                stated=match.group(),
            )
        )
    return facts


def _fact(
    article: Article,
    sentence: Sentence,
    key: str,
    region: str,
    when: DateRef,
    holder: str,
    rules: tuple[str, ...],
    *,
    area_km2: float | None = None,
    share: float | None = None,
    bound: Bound = "exact",
    stated: str,
) -> ControlCandidate:
    amount = f"{area_km2:,.0f} km2" if area_km2 is not None else f"{(share or 0):.0%}"
    name = "Ukraine" if region == "ukraine" else REGIONS[region].name
    fact = ControlFact(
        id=f"x-{slug(article.id)}-{sentence.start}-{key}",
        region=region,
        date=when.date,
        holder="russia" if holder == "russia" else "ukraine",
        summary=f"{holder.title()} holds {stated} ({amount}) of {name}",
        evidence=(Evidence(article.id, sentence.text, sentence.start, sentence.end),),
        area_km2=area_km2,
        share=share,
        bound=bound,  # type: ignore[arg-type]
        extra={"stated": stated},
        date_precision=when.precision,
        status="extracted",
        rules=rules,
    )
    return ControlCandidate(fact, rules)


def _holder_before(text: str, position: int, actors: list[ActorMention]) -> str | None:
    before = [m for m in actors if m.end <= position and m.actor in ("russia", "ukraine")]
    return before[-1].actor if before else None


def _nearby_region(sentences: Sequence[Sentence], index: int) -> tuple[str, str] | None:
    """Find the region a quantity is about: in the sentence, else in the ones around it."""
    for offset in (0, -1, -2, 1):
        position = index + offset
        if not 0 <= position < len(sentences):
            continue
        mentions = find_regions(sentences[position].text)
        if mentions:
            mention = mentions[0]
            return mention.regions[0], mention.text
    return None
