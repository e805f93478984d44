"""Control facts: who holds how much of a region, as an article states it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..regions import REGIONS
from ..types import Article, ControlFact, Evidence, Sentence
from .claims import slug
from .dates import DateRef
from .mentions import ActorMention, RegionMention, find_regions
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
    regions: Sequence[RegionMention] | None = None,
) -> list[ControlCandidate]:
    """Find the control facts (areas, shares, full control) stated in sentence ``index``.

    ``regions``: the regions the sentence names, when they are known already.
    """
    sentence = sentences[index]
    text = sentence.text
    facts: list[ControlCandidate] = []
    if not _QUANTITIES.possible(text) or not QUANTITY_KEYS.search(text.lower()):
        return _stated_control(article, sentence, actors, date, facts, regions)
    # A control figure is stated as of publication unless an absolute date goes with it ("In
    # August 2024, Ukraine captured ..."); "last week" dates the remark, not the front line.
    when = _as_of(date, article)
    for match in AREA_RE.finditer(text):
        if re.search(r"\(\s*$", text[max(0, match.start() - 3) : match.start()]) and facts:
            # "6,600 square kilometres (2,500 square miles)": the same area converted.
            continue
        value = parse_number(match.group("num"))
        if value is None or ADVANCE.search(text[max(0, match.start() - 25) : match.start()]):
            # "advanced roughly 10 square kilometers" is a gain, not what a side holds.
            continue
        unit = match.group("unit").casefold()
        km2 = value * SQUARE_MILE_KM2 if "mi" in unit else value
        holder = _holder_before(text, match.start(), actors)
        region = _nearby_region(sentences, index)
        if SHARE_OF_UKRAINE.search(text[match.end() :]) and not find_regions(
            text[match.end() : match.end() + 40]
        ):
            region = ("ukraine", "Ukraine")  # "116,000 square kilometres of Ukraine"
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
        targets: list[str] = ["ukraine"]
        if of_region and named and len(named[0].regions) == 1:
            targets = [named[0].regions[0]]
            if of_region.group("each"):
                # "70% of both Zaporizhzhia and Kherson": the share of each region listed.
                regions = find_regions(text)
                first = next(
                    (m for m in regions if m.start == match.end() + of_region.start("place")),
                    None,
                )
                if first is not None:
                    listed = _listed(text, first, regions)
                    targets = [r for m in listed if len(m.regions) == 1 for r in m.regions]
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
        for number, target in enumerate(targets):
            facts.append(
                _fact(
                    article,
                    sentence,
                    f"s{match.start()}" + (f"-{target}" if number else ""),
                    target,
                    when,
                    holder,
                    share_rules if len(targets) == 1 else (*share_rules, f"of each of {targets}"),
                    share=round(share, 4),
                    bound=BOUNDS.get((match.group("bound") or "").casefold(), "exact"),
                    stated=match.group().strip(),
                )
            )
    for match in FULL_RE.finditer(text):
        after = [m for m in find_regions(text) if m.start >= match.end() and len(m.regions) == 1]
        holder = _holder_before(text, match.start(), actors)
        if not after or holder is None or _DENIED.search(text, 0, match.start()):
            # "does not control all of Zaporizhzhia", "has yet to fully occupy": no full control.
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
    return _stated_control(article, sentence, actors, date, facts, regions)


#: "Russia controls Crimea", "its control over Luhansk", "Kyiv still holds part of Donetsk".
_HOLDS = Filtered(
    r"\b(?:(?:de facto |still |now |already |effectively )?(?:controls|controlled|holds|held|"
    r"occupies|occupied|occupy)|(?:its |their )?(?:control|hold) (?:over|of))\s+"
    r"(?:(?:(?:nearly|almost|virtually) all|most|much|all|parts?|some|the rest|areas?) of\s+)?"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
#: "occupied Crimea", "Russian-held parts of Zaporizhzhia", "Ukrainian-controlled Kramatorsk".
_HELD_PLACE = Filtered(
    r"\b(?P<who>Russian|Ukrainian)?-?(?:occupied|held|controlled)\s+"
    r"(?:(?:parts?|areas?) of\s+)?(?:the\s+)?",
    re.IGNORECASE,
)
#: A control phrase that is the object of a claim ("recognise its control over ...").
_CLAIMED_CONTROL = re.compile(
    r"\b(?:recogni\w+|accept\w*|give\w*|gave|gain\w*|cede\w*|transfer\w*|demand\w*|"
    r"wants?|seek\w*|hand\w*|lose|losing|not|never)\b[^,;.]{0,40}$",
    re.IGNORECASE,
)


_DENIED = re.compile(
    r"\b(?:not|never|no longer|yet to|failed to)\s+(?:\w+\s+)?$|n['\u2019]t\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_LIST_JOIN = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:(?:most|much|all|parts?|some) of\s+)?(?:the\s+)?"
)


def _listed(
    text: str, first: RegionMention, regions: Sequence[RegionMention]
) -> list[RegionMention]:
    """Return a region and those listed right after it ("Crimea and most of Luhansk")."""
    listed = [first]
    for mention in regions:
        if mention.start > listed[-1].end and _LIST_JOIN.fullmatch(
            text, listed[-1].end, mention.start
        ):
            listed.append(mention)
    return listed


def _stated_control(
    article: Article,
    sentence: Sentence,
    actors: list[ActorMention],
    date: DateRef | None,
    facts: list[ControlCandidate],
    named: Sequence[RegionMention] | None = None,
) -> list[ControlCandidate]:
    """Add who holds a region when a sentence says so without a figure ("Russia controls X").

    The fact names the holder and the region; its extent is left unstated (no area, no share)
    for the reviewer to fill in. Regions a figure was found for already are skipped, and so are
    control phrases that are the object of a claim or negated ("must recognise its control over
    ...", "does not control").
    """
    text = sentence.text
    if not (_HOLDS.possible(text) or _HELD_PLACE.possible(text)):
        return facts
    regions = find_regions(text) if named is None else named
    if not regions:
        return facts
    done = {f.fact.region for f in facts}
    when = _as_of(date, article)
    found: list[tuple[int, str, str, str]] = []  # start, region, holder, rule
    for match in _HOLDS.finditer(text):
        place = next((m for m in regions if m.start == match.end()), None)
        if place is None or _CLAIMED_CONTROL.search(
            text[max(0, match.start() - 40) : match.start()]
        ):
            continue

        holder = _holder_before(text, match.start(), actors)
        if holder is None:
            continue
        for held in _listed(text, place, regions):
            for region in held.regions:
                rule = f"{match.group().strip()!r} {held.text!r}"
                found.append((match.start(), region, holder, rule))

    for match in _HELD_PLACE.finditer(text):
        place = next((m for m in regions if m.start == match.end()), None)
        if place is None:
            continue
        who = (match.group("who") or "Russian").casefold()
        holder = "ukraine" if who.startswith("ukrain") else "russia"
        for held in _listed(text, place, regions):
            for region in held.regions:
                rule = f"{match.group().strip()!r} {held.text!r}"
                found.append((match.start(), region, holder, rule))
    seen: set[tuple[str, str]] = set()
    for start, where, holder, rule in found:
        if where in done or (where, holder) in seen or where == "kursk" and holder == "russia":
            continue
        seen.add((where, holder))
        facts.append(
            _fact(
                article,
                sentence,
                f"c{start}-{where}",
                where,
                when,
                holder,
                (f"control named without a figure: {rule} -> {holder} holds (part of) it",),
                stated=rule,
            )
        )
    return facts


def _as_of(date: DateRef | None, article: Article) -> DateRef:
    """Return the date a control figure holds at: publication, unless an absolute date says.

    "In August 2024, Ukraine captured ..." is dated then; "last week" dates the remark, not the
    front line; "has occupied Crimea since 2014" still holds at publication.
    """
    if (
        date is not None
        and re.search(r"\d{4}", date.expression)
        and not re.match(r"(?i)since\b", date.expression)
    ):
        return date
    return DateRef(article.published, "day", "")


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
    amount = (
        f"{area_km2:,.0f} km2"
        if area_km2 is not None
        else f"{share:.0%}"
        if share is not None
        else "an unstated part"
    )
    name = "Ukraine" if region == "ukraine" else REGIONS[region].name
    fact = ControlFact(
        id=f"x-{slug(article.id)}-{sentence.start}-{key}",
        region=region,
        date=when.date,
        holder="russia" if holder == "russia" else "ukraine",
        summary=(
            f"{holder.title()} holds {stated} ({amount}) of {name}"
            if area_km2 is not None or share is not None
            else f"{holder.title()} holds {name}, or part of it (no figure stated)"
        ),
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
