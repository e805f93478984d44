"""Claim assembly: cues, holders, dispositions, regions and dates -> candidate claims."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..regions import REGIONS
from ..types import ALL_OCCUPIED, Article, Claim, ClaimKind, Disposition, Evidence, Sentence
from .cues import (
    ALL_LAND,
    CARRY_SENTENCES,
    CUES,
    DEMAND,
    HEDGE,
    NARRATIVE,
    NEGATION,
    POSITION_VERB,
    PROPOSAL,
    REFERS_BACK,
    SPEECH,
    TERRITORY,
    Cue,
)
from .dates import DateRef
from .mentions import ActorMention, RegionMention, find_regions, is_subject


@dataclass(frozen=True)
class Candidate:
    """A candidate claim with the rules that produced it."""

    claim: Claim
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Context:
    """What earlier sentences tell about the current one."""

    index: int
    #: The person quoted when the sentence is inside (or closes) a quotation.
    speaker: ActorMention | None
    #: (sentence index, people present, date) of meetings mentioned so far.
    meetings: tuple[tuple[int, frozenset[str], DateRef], ...]
    #: Latest dated claim per speaker or actor: key -> (sentence index, date).
    recent: tuple[tuple[str, int, DateRef, ClaimKind], ...]


def slug(text: str) -> str:
    """Return a lower-case, hyphenated form of an article id for candidate ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "article"


def claims_in(
    article: Article,
    sentence: Sentence,
    actors: list[ActorMention],
    date: DateRef | None,
    context: Context,
) -> list[Candidate]:
    """Find the candidate claims of one sentence, given its actors, its date and its context."""
    text = sentence.text
    lowered = text.casefold()
    fired = [(cue, match) for cue in CUES if (match := cue.search(text, lowered))]
    if not fired:
        return []
    cue, match = fired[0]
    mentions = find_regions(text)
    territorial = cue.territorial or bool(mentions) or bool(TERRITORY.search(text))
    if not territorial:
        return []
    if NARRATIVE.search(text) and not POSITION_VERB.search(text):
        return []
    rules = [f"cue '{cue.name}': {match.group()!r}"]
    holders = _holders(text, actors, match, context, rules)
    results: list[Candidate] = []
    for holder in holders:
        own_rules = list(rules)
        disposition = _disposition(cue, match, text, holder, actors, own_rules)
        if disposition is None:
            continue
        regions = _regions(text, mentions, disposition, own_rules)
        regions = _later_clause(fired, match, text, mentions, regions, holder, actors, own_rules)
        kind = _kind(text, cue)
        claim_date = _claim_date(text, date, holder, kind, actors, context, article, own_rules)
        speaker = holder.speaker or (context.speaker.speaker if context.speaker else None)
        claim = Claim(
            id=f"x-{slug(article.id)}-{sentence.start}-{holder.actor.replace('_', '-')}",
            date=claim_date.date,
            date_precision=claim_date.precision,
            actor=holder.actor,
            kind=kind,
            regions=regions,
            summary=_summary(holder, disposition, regions),
            evidence=(Evidence(article.id, sentence.text, sentence.start, sentence.end),),
            speaker=speaker,
            status="extracted",
        )
        results.append(Candidate(claim, tuple(own_rules)))
    return results


def _claim_date(
    text: str,
    date: DateRef | None,
    holder: ActorMention,
    kind: ClaimKind,
    actors: list[ActorMention],
    context: Context,
    article: Article,
    rules: list[str],
) -> DateRef:
    """Date a claim: its sentence's own date, else a meeting's or a plan's, else publication."""
    if date is not None and date.date > article.published:
        # A position reported in an article was taken by the time it was published; a later
        # date in the sentence belongs to an event it announces.
        rules.append(f"date {date.expression!r} lies after publication: ignored")
        date = None
    if date is not None:
        rules.append(f"date {date.date.isoformat()} ({date.precision}) from {date.expression!r}")
        return date
    if kind in ("proposal", "demand"):
        names = {m.speaker for m in actors if m.speaker}
        if context.speaker is not None and context.speaker.speaker:
            # "He added that ...": the quoted speaker was at the meeting too.
            names.add(context.speaker.speaker)
        for index, people, meeting in reversed(context.meetings):
            if names & people:
                rules.append(
                    f"date {meeting.date.isoformat()} from the meeting in sentence {index + 1} "
                    f"({meeting.expression!r})"
                )
                return meeting
    # The same person's earlier dated statement; or, for a sentence that refers back to a plan
    # ("the Russian proposal", "the individual stated"), the date of that plan.
    refers_back = holder.speaker is None and REFERS_BACK.search(text)
    for key, index, earlier, _kind in reversed(context.recent):
        close = context.index - index <= CARRY_SENTENCES
        if (key == holder.speaker and close) or (refers_back and key == f"proposal:{holder.actor}"):
            rules.append(f"date {earlier.date.isoformat()} carried from sentence {index + 1}")
            return earlier
    rules.append("date: publication date (no date expression)")
    return DateRef(article.published, "day", "")


def _holders(
    text: str,
    actors: list[ActorMention],
    cue: re.Match[str],
    context: Context,
    rules: list[str],
) -> list[ActorMention]:
    """Who holds the position.

    In order: the party a cue names ("no appetite from Ukraine"), the one accused of saying it,
    a person followed by a speech verb ("Mr Rubio told NBC"), the grammatical subject (both of
    "X and Y"), then the speaker of an open quotation. A proposal named after its author
    ("a Witkoff proposal") adds the author.
    """
    named = cue.groupdict().get("who")
    if named:
        chosen = [m for m in actors if m.start >= cue.start("who") and m.end <= cue.end("who")]
        if chosen:
            rules.append(f"actor: named by the cue {chosen[0].text!r} -> {chosen[0].actor}")
            return chosen[:1]
    accused = [
        m for m in actors if re.search(r"\baccus\w+\s+$", text[max(0, m.start - 30) : m.start])
    ]
    if accused:
        rules.append(f"actor: accused of it {accused[0].text!r} -> {accused[0].actor}")
        return accused[:1]
    speaking = [
        m for m in actors if m.speaker and SPEECH.match(text[m.end : m.end + 12].lstrip(" ,"))
    ]
    subjects = [m for m in actors if is_subject(text, m)]
    holders: list[ActorMention] = []
    if speaking and not subjects[:1] == speaking[:1]:
        holders = speaking[:1]
        rules.append(f"actor: speaker {holders[0].text!r} -> {holders[0].actor}")
    elif subjects:
        first = subjects[0]
        holders = [first]
        if len(subjects) > 1:
            second = subjects[1]
            between = text[first.end : second.start]
            if re.fullmatch(r"\s*and\s*", between) and second.actor != first.actor:
                holders.append(second)
        rules.append("actor: subject " + ", ".join(f"{h.text!r} -> {h.actor}" for h in holders))
    elif context.speaker is not None:
        holders = [context.speaker]
        rules.append(f"actor: quoted speaker {context.speaker.text!r} -> {context.speaker.actor}")
    for mention in subjects:
        if re.match(r"['\u2019]?s? (?:proposal|plan|offer)\b", text[mention.end :]):
            if mention.actor not in {h.actor for h in holders}:
                holders.append(mention)
                rules.append(f"actor: author of the plan {mention.text!r} -> {mention.actor}")
    return holders


def _disposition(
    cue: Cue,
    match: re.Match[str],
    text: str,
    holder: ActorMention,
    actors: list[ActorMention],
    rules: list[str],
) -> Disposition | None:
    if cue.name == "win back" and NEGATION.search(text[max(0, match.start() - 30) : match.start()]):
        rules.append("cannot win back -> frozen")
        return "frozen"
    if cue.name in ("refuses concessions", "rejects a freeze", "refuses recognition"):
        result: Disposition = "to_russia" if holder.actor == "russia" else "to_ukraine"
        if re.search(r"\bmajor\b", match.group(), re.IGNORECASE):
            # Refusing only *major* concessions leaves small ones open: roughly the line.
            rules.append("refusal of major concessions only -> frozen")
            return "frozen"
        rules.append(f"refusal by {holder.actor} -> {result}")
        return result
    if cue.name == "rejects a plan" and re.search(r"swap|exchange", match.group(), re.IGNORECASE):
        # Refusing to trade land keeps it with the one who refuses.
        holds: Disposition = "to_russia" if holder.actor == "russia" else "to_ukraine"
        rules.append(f"{holder.actor} rejects an exchange of territory -> {holds}")
        return holds
    if cue.name == "rejects a plan":
        author = re.search(r"['\u2019]?s? (?:proposal|plan|offer)\b", text[holder.end :])
        if holder.actor in ("ukraine", "europe") and not (author and author.start() == 0):
            rules.append(f"{holder.actor} rejects a plan -> to_ukraine")
            return "to_ukraine"
        later = [c for c in CUES if c.disposition and c.pattern.search(text)]
        if later:
            rules.append(f"the plan itself: cue '{later[0].name}'")
            return later[0].disposition
        return None
    if cue.disposition is not None:
        return cue.disposition
    # Giving up territory: who gives decides the direction.
    giver = next(
        (
            m
            for m in reversed(actors)
            if m.end <= match.start()
            and match.start() - m.end <= 30
            and not re.search(r"\b(?:that|with|and|but)\b", text[m.end : match.start()])
        ),
        None,
    )
    refused = NEGATION.search(text[max(0, match.start() - 30) : match.start()])
    if refused:
        # Refusing to give up land keeps it with the one who refuses.
        kept: Disposition = "to_russia" if giver and giver.actor == "russia" else "to_ukraine"
        rules.append(f"refused ({refused.group()!r}) -> {kept}")
        return kept
    if giver is not None and giver.actor == "russia":
        hedged = bool(HEDGE.search(text[: match.start()]))
        result = "frozen" if hedged else "to_ukraine"
        rules.append(f"giver {giver.text!r} is Russia{' (hedged)' if hedged else ''} -> {result}")
        return result
    rules.append(f"giver {giver.text if giver else 'unnamed'!r} -> to_russia")
    return "to_russia"


def _regions(
    text: str, mentions: Sequence[RegionMention], disposition: Disposition, rules: list[str]
) -> dict[str, Disposition]:
    if not mentions:
        rules.append("regions: none named -> '*' (all occupied territory)")
        return {ALL_OCCUPIED: disposition}
    regions: dict[str, Disposition] = {}
    everything = ALL_LAND.search(text)
    if everything:
        # "all of its land, including Crimea": the named regions are examples of the whole.
        regions[ALL_OCCUPIED] = disposition
        rules.append(f"regions: {everything.group()!r} -> '*'")
    for mention in mentions:
        for region in mention.regions:
            regions.setdefault(region, disposition)
    rules.append("regions: " + ", ".join(repr(m.text) for m in mentions))
    return regions


def _later_clause(
    fired: Sequence[tuple[Cue, re.Match[str]]],
    first: re.Match[str],
    text: str,
    mentions: Sequence[RegionMention],
    regions: dict[str, Disposition],
    holder: ActorMention,
    actors: list[ActorMention],
    rules: list[str],
) -> dict[str, Disposition]:
    """Give regions named only after a later cue that cue's disposition.

    "Russia would halt its offensive in Kherson and Zaporizhzhia along the front line if Ukraine
    pulled its troops out of Donetsk": the south is frozen, Donetsk is given up.
    """
    if ALL_OCCUPIED in regions:
        return regions
    for cue, later in fired[1:]:
        if later.start() < first.end():
            continue
        before = {r for m in mentions if m.end <= later.start() for r in m.regions}
        after = {r for m in mentions if m.start >= later.end() for r in m.regions} - before
        if not before or not after:
            continue
        disposition = _disposition(cue, later, text, holder, actors, [])
        if disposition is None or disposition == regions[min(after)]:
            continue
        rules.append(
            f"cue '{cue.name}' {later.group()!r} decides {', '.join(sorted(after))}: {disposition}"
        )
        return {r: disposition if r in after else d for r, d in regions.items()}
    return regions


def _kind(text: str, cue: Cue) -> ClaimKind:
    if PROPOSAL.search(text):
        return "proposal"
    if DEMAND.search(text):
        return "demand"
    if cue.disposition in ("exchange", "unresolved"):
        return "statement"
    return "position"


_DISPOSITION_WORDS: dict[str, str] = {
    "to_russia": "to Russia",
    "recognized_russian": "recognised as Russian",
    "frozen": "frozen at the line of contact",
    "demilitarized": "demilitarised",
    "exchange": "exchanged",
    "to_ukraine": "stays Ukrainian / no concession",
    "unresolved": "open to negotiation",
}


def _summary(
    holder: ActorMention, disposition: Disposition, regions: Mapping[str, Disposition]
) -> str:
    where = (
        "all occupied territory"
        if ALL_OCCUPIED in regions
        else ", ".join(REGIONS[r].name for r in regions)
    )
    who = holder.speaker or holder.text
    return f"{who}: {where}: {_DISPOSITION_WORDS[disposition]}"
