"""Mentions in a sentence: the regions and groups of regions, and the people and parties."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..regions import GROUPS, REGIONS
from ..types import RegionId
from .prefilter import Filtered, FilteredGroup, literal_alternation, quick
from .prefilter import rx as _rx
from .registry import load_registry

# -- regions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionMention:
    """A place or group named in a sentence."""

    start: int
    end: int
    text: str
    regions: tuple[RegionId, ...]
    group: str | None = None


def _alias_pattern() -> re.Pattern[str]:
    names: dict[str, RegionId] = {}
    for region in REGIONS.values():
        for alias in (region.name, *region.aliases):
            names[alias] = region.id
    alternatives = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(a).replace("'", "['\u2019]?") for a in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


_REGION_NAMES: dict[str, RegionId] = {
    re.sub(r"['\u2019]", "", alias).casefold(): region.id
    for region in REGIONS.values()
    for alias in (region.name, *region.aliases)
}
_REGION_RE = quick(_alias_pattern())
_GROUP_RES: tuple[tuple[Filtered, str], ...] = (
    (Filtered(r"\bDonbass?\b(?: region)?", re.IGNORECASE), "donbas"),
    (Filtered(r"\b(?:all )?five (?:of (?:those|these|the) )?regions\b", re.IGNORECASE), "five"),
    # "four regions", "four key regions", the four "annexed" regions
    (
        Filtered(r"\bfour (?:[\"\u201c\u201d]?\w+[\"\u201c\u201d]? )?regions\b", re.IGNORECASE),
        "four",
    ),
    (Filtered(r"\bCrimean [Pp]eninsula\b"), "crimea"),
)
_GROUP_KEYS = {"donbas": "donbas", "five": "five_regions", "four": "four_regions"}
#: The names, then each group: a sentence is scanned only for those whose words it holds.
_REGION_PATTERNS = FilteredGroup([Filtered(_REGION_RE), *(p for p, _ in _GROUP_RES)])


def find_regions(text: str) -> list[RegionMention]:
    """Return the regions and groups of regions a sentence names, in order.

    >>> [m.regions for m in find_regions("the entire Donbas region, Luhansk and Donetsk")]
    [('donetsk', 'luhansk'), ('luhansk',), ('donetsk',)]
    """
    mentions: list[RegionMention] = []
    possible = _REGION_PATTERNS.possible(text)
    if not possible:
        return mentions
    if possible[0] == 0:
        for match in _REGION_RE.finditer(text):
            key = re.sub(r"['\u2019]", "", match.group()).casefold()
            region = _REGION_NAMES.get(key)
            if region is not None:
                mentions.append(RegionMention(match.start(), match.end(), match.group(), (region,)))
    for number in possible:
        if number == 0:
            continue
        pattern, name = _GROUP_RES[number - 1]
        for match in pattern.run.finditer(text):
            if name not in _GROUP_KEYS:
                if not any(m.start == match.start() for m in mentions):
                    mentions.append(
                        RegionMention(match.start(), match.end(), match.group(), ("crimea",))
                    )
                continue
            members = GROUPS[_GROUP_KEYS[name]]
            mentions.append(
                RegionMention(match.start(), match.end(), match.group(), members, group=name)
            )
    return sorted(mentions, key=lambda m: m.start)


# -- actors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorMention:
    """A person, party, office or plan named in a sentence, and the side it stands for.

    ``kind`` is ``person`` (a named official), ``party`` ("Moscow", "the Kremlin"), ``office``
    (a role without a name: "the Russian leader", "a Ukrainian diplomatic source"), ``plan``
    (a side's document: "the US proposal", "the Russian demand") or ``pronoun`` (he/she, filled
    in from the sentences before).
    """

    start: int
    end: int
    text: str
    actor: str
    speaker: str | None
    kind: str = "party"


# Role nouns after a nationality word: "Russian President", "the German chancellor".
_OFFICE = (
    r"(?:president|leader|chancellor|prime minister|premier|foreign minister|minister|envoy|"
    r"special envoy|spokes(?:man|woman|person)|officials?|side|delegation|diplomats?|"
    r"diplomatic source|sources?|governments?|negotiators?|administration|authorities|"
    r"leaders|capitals|allies|partners|"
    r"military|forces|troops|army|commander|ambassador|counterpart|head of state)"
)
# A side's document or position, named like a thing: "the US proposal", "the Russian demand".
PLAN_NOUN = (
    r"(?:(?:\d+-point )?(?:peace |ceasefire )?(?:proposals?|plan|offer|demands?|draft|framework|"
    r"version(?: of the (?:peace )?plan)?|document|counter-?plan|counter-?proposals?|"
    r"counter-?offer|text|blueprint|road ?map|"
    r"position|stance|initiative|terms|conditions|ultimatum|memorandum|claim|suggestion|idea))"
)


@dataclass(frozen=True)
class _ActorPatterns:
    #: One pattern per speaker, in the registry's order (most sentences name two or three).
    people: FilteredGroup
    parties: Filtered
    offices: Filtered
    party_sides: dict[str, str]  # name -> side
    adjective_sides: dict[str, str]  # nationality word -> side
    speakers: tuple[tuple[str, str], ...]  # (name, side) per speaker


@functools.cache
def _actor_patterns() -> _ActorPatterns:
    """Compile the registry's names once, on first use."""
    registry = load_registry()
    names = sorted(
        ((name, side.id) for side in registry.sides for name in side.names),
        key=lambda item: -len(item[0]),
    )
    # As a prefix tree: the engine follows one path through the names, not every name in turn.
    parties = literal_alternation(n for n, _ in names)
    party_sides: dict[str, str] = {}
    for name, side_id in names:
        party_sides.setdefault(name, side_id)
    adjectives = sorted(
        ((adj, side.id) for side in registry.sides for adj in side.adjectives),
        key=lambda item: -len(item[0]),
    )
    adjective = literal_alternation(a for a, _ in adjectives)
    adjective_sides: dict[str, str] = {}
    for adj, side_id in adjectives:
        adjective_sides.setdefault(adj, side_id)
    # "US President", "Ukraine's President", "Russian Foreign Minister", "the Russian leader"
    # The nationality word is capitalised (so "us" is no "US"); the role may not be.
    office = re.compile(
        rf"(?=[A-Z])(?<![\w.])(?P<nation>{adjective})"
        rf"(?:-(?:backed|led|brokered|drafted)|['\u2019]s)? "
        rf"(?i:(?:[A-Za-z-]+ ){{0,2}}?(?P<role>{_OFFICE}|{PLAN_NOUN}))\b"
    )
    return _ActorPatterns(
        people=FilteredGroup([Filtered(f"\\b(?:{s.match})\\b") for s in registry.speakers]),
        # Names start with a capital: the engine skips every other position (see ``quick``).
        parties=Filtered(f"(?=[A-Z])(?<![\\w.]){parties}(?![\\w]|\\.\\w)"),
        offices=Filtered(office),
        party_sides=party_sides,
        adjective_sides=adjective_sides,
        speakers=tuple((s.name, s.side) for s in registry.speakers),
    )


_PLAN_ROLE = _rx(PLAN_NOUN, re.IGNORECASE)
# A name after these words is an object, a place or someone addressed, not who holds the
# position; up to four capitalised words (titles, first names) may stand in between.
_OBJECT_BEFORE = _rx(
    r"(?:\b(?:to|of|in|into|from|on|against|over|with|for|by|at|across|than|about|between|"
    r"toward|towards|under|within|inside|without|behalf of|hoped?|hopes|urged?|urging|asked|"
    r"pressed|pushed|"
    r"compel\w*|forc\w+|oblig\w+|"
    # verbs of feeling take the one affected as their object: "shocked European leaders"
    r"shocked|surprised|stunned|alarmed|angered|dismayed|worried|reassured|frustrated|"
    r"see|sees|saw|seeing|"
    r"called on|help|helped|let|lets|get|getting|convinced|persuade|persuaded|told|tell|"
    r"includ\w+|like|as well as|such as|among)\s+"
    r"(?:(?:the|a|an|its|their|his|her)\s+)?(?:(?-i:[A-Z])[\w.'\u2019-]*\s+(?:and\s+)?){0,4})$",
    re.IGNORECASE,
)
# "Zelensky understands that ...", "Kyiv knows": what someone else believes about them is not
# their position.
_BELIEF_AFTER = _rx(
    r"^\s+(?:\w+ )?(?:understands?|realizes?|realises?|knows?|believes? that|accepts? that)\b"
)


def find_actors(text: str) -> list[ActorMention]:
    """Return the people, parties, offices and plans a sentence names, in order.

    Overlapping names are resolved in favour of the longest ("Ukrainian President Volodymyr
    Zelensky" is one mention of Zelensky); the side comes from the person when one is named.

    >>> [m.speaker for m in find_actors("Trump's envoy Steve Witkoff met Putin")]
    ['Donald Trump', 'Steve Witkoff', 'Vladimir Putin']
    """
    patterns = _actor_patterns()
    found: list[ActorMention] = []
    for number in patterns.people.possible(text):
        name, side = patterns.speakers[number]
        for match in patterns.people.patterns[number].run.finditer(text):
            found.append(
                ActorMention(match.start(), match.end(), match.group(), side, name, "person")
            )
    for match in patterns.offices.finditer(text):
        side = patterns.adjective_sides[match.group("nation")]
        kind = "plan" if _PLAN_ROLE.fullmatch(match.group("role")) else "office"
        end = match.end()
        if kind == "office":
            # A name right after the title belongs to the mention.
            named = re.match(r"(?: [A-Z][\w.-]+){1,3}", text[end:])
            if named:
                end += named.end()
        found.append(ActorMention(match.start(), end, text[match.start() : end], side, None, kind))
    for match in patterns.parties.finditer(text):
        side = patterns.party_sides[match.group()]
        found.append(ActorMention(match.start(), match.end(), match.group(), side, None, "party"))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    mentions: list[ActorMention] = []
    for mention in found:
        if mentions and mention.start < mentions[-1].end:
            last = mentions[-1]
            if mention.kind == "person" and last.speaker is None:
                # The named person inside a title mention decides speaker and side.
                mentions[-1] = ActorMention(
                    last.start,
                    max(last.end, mention.end),
                    text[last.start : max(last.end, mention.end)],
                    mention.actor,
                    mention.speaker,
                    "person",
                )
            continue
        mentions.append(mention)
    return mentions


def is_subject(text: str, mention: ActorMention) -> bool:
    """Whether a mention can be who holds the position (not an object, place or possessive)."""
    if mention.kind == "plan":
        return True
    before = text[max(0, mention.start - 60) : mention.start]
    if _OBJECT_BEFORE.search(before):
        return False
    after = text[mention.end : mention.end + 40]
    if _BELIEF_AFTER.match(after):
        return False
    # "Ukraine's neutrality", "Trump's envoy": a possessive names a thing or a person's
    # staff, not a speaker - unless it is the speaker's own plan ("Putin's proposal").
    if _POSSESSIVE.match(after):
        return bool(plan_after(text, mention))
    return True


_PLAN_AFTER = _rx(
    rf"(?:['\u2019]s?)? (?:(?:own|reported|latest|new|draft|peace|\w+-point) ){{0,2}}"
    rf"{PLAN_NOUN}\b",
    re.IGNORECASE,
)
_POSSESSIVE = _rx(r"['\u2019]s\b")


_PLAN_WORDS = Filtered(_PLAN_AFTER)


def names_a_plan(text: str) -> bool:
    """Whether a sentence can hold a plan noun a name owns (False: ``plan_after`` finds none)."""
    return _PLAN_WORDS.possible(text)


def plan_after(text: str, mention: ActorMention) -> re.Match[str] | None:
    """Return the plan noun a name owns ("Putin's reported offer", "a Witkoff proposal")."""
    if text[mention.end : mention.end + 1] not in ("'", "\u2019", " "):
        return None
    if not _PLAN_WORDS.possible(text):
        return None  # the sentence holds no plan noun at all
    return _PLAN_AFTER.match(text[mention.end : mention.end + 60])
