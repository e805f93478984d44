"""Mentions in a sentence: the regions and groups of regions, and the people and parties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..regions import GROUPS, REGIONS
from ..types import RegionId

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
_REGION_RE = _alias_pattern()
_GROUP_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bDonbass?\b(?: region)?", re.IGNORECASE), "donbas"),
    (re.compile(r"\b(?:all )?five (?:of (?:those|these|the) )?regions\b", re.IGNORECASE), "five"),
    (
        re.compile(r"\bfour (?:additional |annexed |other |more )?regions\b", re.IGNORECASE),
        "four",
    ),
)
_GROUP_KEYS = {"donbas": "donbas", "five": "five_regions", "four": "four_regions"}


def find_regions(text: str) -> list[RegionMention]:
    """Return the regions and groups of regions a sentence names, in order.

    >>> [m.regions for m in find_regions("the entire Donbas region, Luhansk and Donetsk")]
    [('donetsk', 'luhansk'), ('luhansk',), ('donetsk',)]
    """
    mentions: list[RegionMention] = []
    for match in _REGION_RE.finditer(text):
        key = re.sub(r"['\u2019]", "", match.group()).casefold()
        region = _REGION_NAMES.get(key)
        if region is not None:
            mentions.append(RegionMention(match.start(), match.end(), match.group(), (region,)))
    for pattern, name in _GROUP_RES:
        for match in pattern.finditer(text):
            members = GROUPS[_GROUP_KEYS[name]]
            mentions.append(
                RegionMention(match.start(), match.end(), match.group(), members, group=name)
            )
    return sorted(mentions, key=lambda m: m.start)


# -- actors ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorMention:
    """A person or party named in a sentence, and the party it stands for."""

    start: int
    end: int
    text: str
    actor: str
    speaker: str | None


_PEOPLE: tuple[tuple[str, str, str], ...] = (
    (r"(?:Vladimir )?Putin", "russia", "Vladimir Putin"),
    (r"(?:Sergei )?Lavrov", "russia", "Sergei Lavrov"),
    (r"(?:Yuri )?Ushakov", "russia", "Yuri Ushakov"),
    (r"(?:Dmitry )?Peskov", "russia", "Dmitry Peskov"),
    (r"(?:Donald )?Trump", "united_states", "Donald Trump"),
    (r"(?:Steve )?Witkoff", "united_states", "Steve Witkoff"),
    (r"(?:Marco )?Rubio", "united_states", "Marco Rubio"),
    (r"(?:Mike )?Waltz", "united_states", "Mike Waltz"),
    (r"(?:J\.? ?D\.? )?Vance", "united_states", "JD Vance"),
    (r"(?:Volodymyr )?Zelensk(?:yy|iy|yi|y)", "ukraine", "Volodymyr Zelensky"),
    (r"(?:Andrii )?Sybiha", "ukraine", "Andrii Sybiha"),
    (r"(?:Ursula )?von der Leyen", "europe", "Ursula von der Leyen"),
    (r"(?:Keir )?Starmer", "europe", "Keir Starmer"),
    (r"(?:Emmanuel )?Macron", "europe", "Emmanuel Macron"),
    (r"(?:Olaf )?Scholz", "europe", "Olaf Scholz"),
    (r"(?:Friedrich )?Merz", "europe", "Friedrich Merz"),
)
_PARTIES: tuple[tuple[str, str], ...] = (
    (
        r"Kremlin|Moscow|Russia|Russians|Russian side|Russian officials",
        "russia",
    ),
    (r"Russian (?:forces|troops|proposal|offer|plan|delegation|president|leader)", "russia"),
    (r"Washington|United States|U\.S\. officials|US officials|U\.S\.|US", "united_states"),
    (
        r"Trump administration|Trump's administration|White House",
        "united_states",
    ),
    (r"Kyiv|Kiev|Ukraine|Ukrainians|Ukrainian (?:forces|troops|officials|side)", "ukraine"),
    (r"European leaders|Europeans|Europe|EU|European Union|European officials", "europe"),
    (r"European (?:stance|position|powers|capitals)", "europe"),
)
# The lookahead lets the engine skip, cheaply, every position that cannot start a name.
_PEOPLE_RE = re.compile(
    "(?=[A-Zv])(?:"
    + "|".join(f"(?P<p{i}>\\b{pattern}\\b)" for i, (pattern, _, _) in enumerate(_PEOPLE))
    + ")"
)
_PARTY_RE = re.compile(
    "(?=[A-Z])(?:"
    + "|".join(f"(?P<q{i}>\\b(?:{pattern})\\b)" for i, (pattern, _) in enumerate(_PARTIES))
    + ")"
)
# A name after these words is an object or a place, not who holds the position.
_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:to|of|in|into|from|on|against|over|with|for|by|at|across|than|about|between|"
    r"toward|towards|under|without|on behalf of)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)


def find_actors(text: str) -> list[ActorMention]:
    """Return the people and parties a sentence names, in order (people win over overlaps).

    >>> [m.speaker for m in find_actors("Trump's envoy Steve Witkoff met Putin")]
    ['Donald Trump', 'Steve Witkoff', 'Vladimir Putin']
    """
    mentions: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    for match in _PEOPLE_RE.finditer(text):
        index = int((match.lastgroup or "p0")[1:])
        _, actor, speaker = _PEOPLE[index]
        mentions.append(ActorMention(match.start(), match.end(), match.group(), actor, speaker))
        taken.append((match.start(), match.end()))
    for match in _PARTY_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        index = int((match.lastgroup or "p0")[1:])
        mentions.append(
            ActorMention(match.start(), match.end(), match.group(), _PARTIES[index][1], None)
        )
    return sorted(mentions, key=lambda m: m.start)


def is_subject(text: str, mention: ActorMention) -> bool:
    """Whether a mention can be who holds the position (not an object, place or possessive)."""
    if re.search(r"(?:proposal|offer|plan)$", mention.text):
        return True
    before = text[max(0, mention.start - 40) : mention.start]
    if _OBJECT_BEFORE.search(before):
        return False
    # "Ukraine's neutrality", "Moscow's annexation": a possessive names a thing, not a speaker,
    # unless it is the speaker's own plan ("Putin's proposal").
    after = text[mention.end : mention.end + 12]
    if re.match(r"['\u2019]s\b", after) and not re.match(
        r"['\u2019]s (?:proposal|offer|plan|demand)", text[mention.end : mention.end + 20]
    ):
        return False
    return True
