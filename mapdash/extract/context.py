"""What one sentence tells about the next: speakers of quotations, pronouns, plans, list plans."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Disposition, Sentence
from .claims import Candidate, PlanRef
from .cues import LIST_ITEM, SPEECH_VERB
from .mentions import ActorMention, names_a_plan, plan_after
from .prefilter import Filtered
from .prefilter import rx as _rx

# The engine passes over every position that cannot start a pronoun (see ``quick``).
_PRONOUN = _rx(r"(?=[HhSsIWw])\b(?:[Hh]e|[Ss]he|I|[Ww]e)\b")
#: "the president said": a one-person office without its country stands for the one named
#: before it, as "he" does.
_DESCRIPTION = Filtered(
    r"\b[Tt]he (?:president|prime minister|chancellor|foreign minister|minister|"
    r"spokes(?:man|woman)|envoy|leader)\b(?! of\b)"
)
_QUOTE_MARKS = ("\u201c", "\u201d", '"')
_QUOTE_MARK = _rx(f"[{''.join(_QUOTE_MARKS)}]")
_SPEECH = Filtered(SPEECH_VERB)


_AFTER_NAME = _rx(r"^\s*(?:,[^,]{0,60},\s*)?(?:\w+ly\s+)?(?:has |had )?")
_SAID_BEFORE = _rx(r"\b(?:said|says|told|according to)\s+$", re.IGNORECASE)


def speaker_of(text: str, actors: Sequence[ActorMention]) -> ActorMention | None:
    """Return the person or office a speech verb is attached to: "Peskov said", "said Peskov"."""
    speakers = [m for m in actors if m.kind in ("person", "office", "pronoun")]
    # Only people can speak: a sentence naming none is not scanned for speech verbs.
    if not speakers or not _SPEECH.search(text) and "according to" not in text.lower():
        return None
    for mention in speakers:
        after = text[mention.end : mention.end + 40]
        tail = after[_AFTER_NAME.match(after).end() :]  # type: ignore[union-attr]
        if SPEECH_VERB.match(tail):
            return mention
        before = text[max(0, mention.start - 16) : mention.start]
        if _SAID_BEFORE.search(before):
            return mention
    return None


#: An office held by one person ("the Ukrainian president"): "he" or "she" can stand for it.
_ONE_PERSON = re.compile(
    r"\b(?:president|leader|chancellor|prime minister|premier|minister|envoy|spokes(?:man|woman|"
    r"person)|ambassador|commander|negotiator|counterpart|head of state)$",
    re.IGNORECASE,
)


def _one_person(mention: ActorMention) -> bool:
    return mention.kind == "office" and bool(_ONE_PERSON.search(mention.text))


def resolve_pronouns(
    text: str,
    actors: Sequence[ActorMention],
    last_person: ActorMention | None,
    quoted: ActorMention | None = None,
) -> list[ActorMention]:
    """Add pronouns as mentions of the people they stand for.

    "I"/"we" stand for the quotation's speaker; "he"/"she" for the sentence's speaker when named
    before the pronoun, else the person named last in the same stretch of text outside
    quotation marks, else the one named before the sentence.
    """
    first = _PRONOUN.search(text)
    described = _DESCRIPTION.possible(text)
    if first is None and not described:
        return list(actors)
    pronouns = list(_PRONOUN.finditer(text, first.start())) if first is not None else []
    if described:
        pronouns = sorted([*pronouns, *_DESCRIPTION.finditer(text)], key=lambda m: m.start())
    result = list(actors)
    people = [m for m in actors if m.kind == "person" or _one_person(m)]
    said = speaker_of(text, people)
    for match in pronouns:
        word = match.group().casefold()
        if word in ("i", "we"):
            if quoted is None:
                continue
            person: ActorMention | None = quoted
        elif said is not None and said.end <= match.start():
            person = said
        else:
            earlier = [
                m
                for m in actors
                if m.end <= match.start()
                and (m.kind == "person" or _one_person(m))
                and not _QUOTE_MARK.search(text, m.end, match.start())
            ]
            person = earlier[-1] if earlier else last_person
        if person is None:
            continue
        # An office has no name to show for its pronoun: its own words do ("The Ukrainian
        # president").
        shown = person.text if person.kind == "office" else match.group()
        result.append(
            ActorMention(match.start(), match.end(), shown, person.actor, person.speaker, "pronoun")
        )
    return sorted(result, key=lambda m: m.start)


def quote_speakers(
    sentences: Sequence[Sentence],
    mentions: Sequence[Sequence[ActorMention]],
    text: str = "",
) -> list[ActorMention | None]:
    """Find the speaker of the quotation each sentence is in, looking before and after it.

    A quotation runs from an opening to a closing quote mark across sentences; its speaker is
    the one attached to a speech verb in any of its sentences ("...," he said; Trump said: "..."),
    a pronoun standing for the person named last before the quotation.
    """
    result: list[ActorMention | None] = [None] * len(sentences)
    groups: list[list[int]] = []
    current: list[int] = []
    inside = False
    for index, sentence in enumerate(sentences):
        if inside and index and "\n" in text[sentences[index - 1].end : sentence.start]:
            inside = False  # a quotation left open does not run past its paragraph
            if current:
                groups.append(current)
                current = []
        touched = inside
        marked = any(mark in sentence.text for mark in _QUOTE_MARKS)
        for mark in _QUOTE_MARK.finditer(sentence.text) if marked else ():
            touched = True
            char = mark.group()
            inside = True if char == "\u201c" else False if char == "\u201d" else not inside
        if touched:
            current.append(index)
        if not inside and current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    last: ActorMention | None = None
    previous: tuple[list[int], ActorMention | None] | None = None
    seen = 0
    for group in groups:
        for index in range(max(seen, group[0] - 3), group[0]):
            people = [m for m in mentions[index] if m.kind in ("person", "office")]
            if people:
                last = speaker_of(sentences[index].text, people) or people[-1]
        speaker = None
        for index in group:
            found = speaker_of(
                sentences[index].text, _with_pronouns(sentences[index].text, mentions[index], last)
            )
            if found is not None:
                speaker = found
                break
        if speaker is None and group[0] > 0:
            before = sentences[group[0] - 1].text
            if before.rstrip().endswith(":"):
                speaker = speaker_of(before, mentions[group[0] - 1])
            elif previous is not None and previous[0][-1] == group[0] - 1:
                speaker = previous[1]  # a second quotation right after the first, same voice
        previous = (group, speaker)
        for index in group:
            result[index] = speaker
        seen = group[0]
    return result


def _with_pronouns(
    text: str, actors: Sequence[ActorMention], last: ActorMention | None
) -> list[ActorMention]:
    return resolve_pronouns(text, actors, last)


def plan_named(
    text: str,
    actors: Sequence[ActorMention],
    found: Sequence[Candidate],
    index: int,
    plan: PlanRef | None,
) -> PlanRef | None:
    """Return the plan later sentences refer to ("the proposal"): named here, or the one before."""
    if names_a_plan(text):
        author = next((m for m in actors if m.kind == "plan" or plan_after(text, m)), None)
    else:  # no plan noun in the sentence: only a plan mention ("the US proposal") can be one
        author = next((m for m in actors if m.kind == "plan"), None)
    proposed = [c.claim for c in found if c.claim.kind in ("proposal", "demand")]
    if author is None and proposed:
        author = next(
            (m for m in actors if m.actor == proposed[0].actor and m.kind != "pronoun"), None
        )
    if author is None:
        return plan
    regions: dict[str, Disposition] = {}
    for claim in [c.claim for c in found if c.claim.actor == author.actor]:
        regions.update(claim.regions)
    if plan is not None and plan.author is not None and plan.author.actor == author.actor:
        regions = {**plan.regions, **regions}
    return PlanRef(author, regions, index)


def section_heading(text: str) -> bool:
    """Tell a short line without a full stop ("Territorial issues") inside a plan."""
    stripped = text.strip()
    return len(stripped) < 40 and not stripped.endswith(".") and not LIST_ITEM.match(stripped)


def next_is_list(sentences: Sequence[Sentence], index: int) -> bool:
    """Whether the lines after sentence ``index`` are a list (skipping a section heading)."""
    for following in sentences[index + 1 : index + 3]:
        if LIST_ITEM.match(following.text):
            return True
        if not section_heading(following.text):
            return False
    return False
