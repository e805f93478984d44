"""Rule-based extraction: an Article -> candidate claims and control facts (pure, no I/O).

Every candidate carries the sentence it comes from (article id and character offsets) and the
rules that fired, so a reviewer can see why it was proposed. Nothing here downloads a model or
touches the network; the rules are regular expressions over one sentence at a time, with a little
context from the sentences before it (who is speaking in a quotation, when a meeting took place).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .regions import GROUPS, REGIONS
from .text import split_sentences
from .types import (
    ALL_OCCUPIED,
    Article,
    Claim,
    ClaimKind,
    ControlFact,
    DatePrecision,
    Disposition,
    Evidence,
    RegionId,
    Sentence,
)

Bound = str
SQUARE_MILE_KM2 = 2.589988110336

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


def _is_subject(text: str, mention: ActorMention) -> bool:
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


# -- dates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRef:
    """A date resolved from an expression in the text."""

    date: dt.date
    precision: DatePrecision
    expression: str


_MONTH_NAMES = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"  # noqa: E501
_WEEKDAY_NAMES = {name.casefold(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}}),? (?P<y>\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH}),? (?P<y>\d{{4}})\b")),
    (
        "my",
        re.compile(
            rf"\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Bb]y|[Uu]ntil) (?P<m>{_MONTH}) (?P<y>\d{{4}})\b"
        ),
    ),
    ("md", re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}})\b(?!,? \d{{4}})")),
    (
        "today",
        re.compile(r"\b(?:earlier in the day|today|this morning|tonight|on the day)\b", re.I),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?P<early>(?:early|late) )?(?P<w>{_WEEKDAY})\b")),
    ("last_week", re.compile(r"\blast week\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\blast month\b", re.IGNORECASE)),
    ("month", re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ll]ast) (?P<m>{_MONTH})(?!\w)")),
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y) (?P<y>(?:19|20)\d\d)\b")),
)
# Cheap test for any word a date expression needs; most sentences have none.
_DATE_KEYS = (
    *(name.lower()[:3] for name in calendar.month_abbr if name),
    "day",
    "tonight",
    "tomorrow",
    "morning",
    "last",
)
_YEAR = re.compile(r"\d{4}")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whom|whose)\b[^,;]*(?:,|$)")
_FUTURE = re.compile(
    r"\b(?:will|would be in|is set to|are set to|scheduled|next|is expected to|plans? to)\b",
    re.IGNORECASE,
)


def resolve_date(text: str, published: dt.date) -> DateRef | None:
    """Resolve the first date expression of a sentence against the publication date.

    Weekdays are the most recent such day on or before publication ("on Wednesday" in an article
    of Saturday 9 August 2025 is 6 August), or the next one when the sentence speaks of the future
    ("will be in Washington on Monday"). "In April" is the most recent April, month precision.

    >>> resolve_date("since Wednesday, when Witkoff met Putin", dt.date(2025, 8, 9)).date
    datetime.date(2025, 8, 6)
    """
    lowered = text.lower()
    if not any(key in lowered for key in _DATE_KEYS) and not _YEAR.search(text):
        return None
    # A date inside ", which ... ," describes something else ("Crimea, which it annexed in 2014").
    text = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), text)
    found: list[tuple[int, DateRef]] = []
    for kind, pattern in _DATE_RES:
        for match in pattern.finditer(text):
            ref = _resolve(kind, match, published, future=bool(_FUTURE.search(text)))
            if ref is not None:
                found.append((match.start(), ref))
                break
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _resolve(
    kind: str, match: re.Match[str], published: dt.date, *, future: bool
) -> DateRef | None:
    expression = match.group()
    groups = match.groupdict()
    try:
        if kind in ("mdy", "dmy"):
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            date = dt.date(int(groups["y"]), month, int(groups["d"]))
            return DateRef(date, "day", expression)
        if kind == "my":
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            return DateRef(dt.date(int(groups["y"]), month, 1), "month", expression)
        if kind == "md":
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            date = dt.date(published.year, month, int(groups["d"]))
            if date > published + dt.timedelta(days=7):
                date = date.replace(year=published.year - 1)
            return DateRef(date, "day", expression)
    except ValueError:
        return None
    if kind == "today":
        return DateRef(published, "day", expression)
    if kind == "yesterday":
        return DateRef(published - dt.timedelta(days=1), "day", expression)
    if kind == "tomorrow":
        return DateRef(published + dt.timedelta(days=1), "day", expression)
    if kind == "weekday":
        weekday = _WEEKDAY_NAMES[groups["w"].casefold()]
        if future:
            ahead = (weekday - published.weekday()) % 7 or 7
            return DateRef(published + dt.timedelta(days=ahead), "day", expression)
        back = (published.weekday() - weekday) % 7
        return DateRef(published - dt.timedelta(days=back), "day", expression)
    if kind == "last_week":
        day = published - dt.timedelta(days=7)
        return DateRef(day.replace(day=1), "month", expression)
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return DateRef(first.replace(day=1), "month", expression)
    if kind == "month":
        month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
        year = published.year if month <= published.month else published.year - 1
        return DateRef(dt.date(year, month, 1), "month", expression)
    if kind == "year":
        year = int(groups["y"])
        if year > published.year:
            return None
        return DateRef(dt.date(year, 1, 1), "year", expression)
    return None


# -- dispositions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """A phrase that says what should happen to territory."""

    name: str
    pattern: re.Pattern[str]
    disposition: Disposition | None  # None: depends on who gives or refuses
    territorial: bool  # the phrase itself speaks of territory
    #: Lower-case words one of which the phrase must contain; a fast test before the pattern.
    keys: tuple[str, ...]

    def search(self, text: str, lowered: str) -> re.Match[str] | None:
        """Find the cue in a sentence (``lowered`` is the sentence in lower case)."""
        if not any(key in lowered for key in self.keys):
            return None
        return self.pattern.search(text)


def _cue(
    name: str, pattern: str, disposition: Disposition | None, territorial: bool, keys: str
) -> Cue:
    """Build a cue; ``keys`` lists words (space-separated) one of which every match contains."""
    return Cue(
        name, re.compile(pattern, re.IGNORECASE), disposition, territorial, tuple(keys.split())
    )


# Checked in this order; the first that fires decides the disposition of the sentence.
CUES: tuple[Cue, ...] = (
    _cue(
        "no gift / not by force",
        r"not (?:gift|give|hand) (?:away )?(?:their|our|its) land|"
        r"borders? (?:of states )?(?:should not be |must not be |being |be )?changed by force|"
        r"territorial integrity|recogni[sz]e\w* \w+ as (?:part of )?Ukrain|"
        r"conceding unoccupied territory|no appetite (?:from|in|among) (?P<who>Ukraine|Kyiv)",
        "to_ukraine",
        True,
        "land force integrity recogni unoccupied appetite",
    ),
    _cue(
        "rejects a freeze",
        r"(?:reject\w*|rul\w+ out|against|oppos\w*)\b.{0,20}\bfreez\w*|ideas about freezing",
        None,
        True,
        "freez",
    ),
    _cue(
        "refuses concessions",
        r"(?:rul\w+ out|no talk of|refus\w* to make|would not make|will not make|no|rejects?)"
        r" (?:major |any |further )?territorial concessions|surrendering no territory|"
        r"not (?:going to )?give (?:up )?(?:an|one) inch",
        None,
        True,
        "concession surrendering inch",
    ),
    _cue(
        "rejects a plan",
        r"\breject\w*\b.{0,40}\b(?:proposal|plan|terms|offer|"
        r"(?:land|territorial) swaps?|territorial exchanges?|exchanges? of territor\w*)\b",
        None,
        False,
        "reject",
    ),
    _cue(
        "exchange",
        r"exchanges? of territor\w*|territorial (?:exchanges?|swaps?)|land swaps?|"
        r"swaps? of (?:land|territor\w*)",
        "exchange",
        True,
        "exchange swap",
    ),
    _cue(
        "administrative lines",
        r"\b(?:at|along|to|up to|within) (?:their |its |the )?administrative "
        r"(?:lines|borders|boundar\w+)",
        "to_russia",
        True,
        "administrative",
    ),
    _cue(
        "no return to old borders",
        r"(?:return to|restor\w+) (?:its |the )?pre-20\d\d borders (?:was|is|would be) unrealistic|"
        r"illusion\b.{0,40}\bwin back",
        "frozen",
        True,
        "unrealistic illusion",
    ),
    _cue(
        "freeze at the line",
        r"\bfreez\w*\b.{0,40}\b(?:front ?lines?|contact lines?|line of contact|conflict|war)\b|"
        r"\b(?:along|at) the (?:current )?(?:front ?lines?|line of contact|contact line)",
        "frozen",
        True,
        "freez front line",
    ),
    _cue(
        "refuses recognition",
        r"(?:rul\w+ out|refus\w* to|never|not|won['\u2019]t|will not|cannot) (?:\w+ )?"
        r"recogni[sz]\w*|not up for (?:discussion|negotiation)|non-negotiable|not negotiable",
        None,
        True,
        "recogni negotia discussion",
    ),
    _cue(
        "win back",
        r"\b(?:win back|regain\w*|take back|retake|restor\w+ (?:its |the )?(?:1991 |pre-war |"
        r"internationally recogni[sz]ed )?borders)",
        "to_ukraine",
        False,
        "back regain retake restor",
    ),
    _cue(
        "demilitarised zone",
        r"demilitari[sz]ed zone|buffer zone|demilitari[sz]ation of",
        "demilitarized",
        True,
        "demilitari buffer",
    ),
    _cue(
        "recognition",
        r"\b(?:acknowledg\w*|recogni[sz](?:e|es|ed|ing|tion))\b",
        "recognized_russian",
        False,
        "acknowledg recogni",
    ),
    _cue(
        "claims as its own",
        r"claims? (?:it|them) as (?:its|their) own|reclaim\w* its own territory|"
        r"designate .{0,40} as Russia",
        "to_russia",
        True,
        "claim designate",
    ),
    _cue(
        "cede",
        r"\b(?:cede[sd]?|ceding|relinquish\w*|give (?:up|away)|giving (?:up|away)|"
        r"hand(?:s|ed|ing)? over|surrender\w*|withdr[ae]w\w*(?: \w+){0,2} from|leave|lose some|"
        r"pull\w*(?: \w+){0,2} out of)\b",
        None,
        False,
        "cede ceding relinquish give giving hand surrender withdr leave lose pull",
    ),
    _cue(
        "concessions on regions",
        r"\b(?:made|make|making|offered)\b.{0,20}\bconcessions?\b",
        "unresolved",
        False,
        "concession",
    ),
    _cue(
        "territory to be discussed",
        r"(?:discussion|negotiations?|talks?|talk) (?:of|over|about|on) territor\w*|"
        r"what the territories|territorial problem|where territory lines",
        "unresolved",
        True,
        "territor",
    ),
)
_TERRITORY = re.compile(r"\b(?:territor\w*|land|borders?|regions?|oblasts?)\b", re.IGNORECASE)
_HEDGE = re.compile(r"\b(?:unclear whether|not clear whether|whether)\b", re.IGNORECASE)
_PROPOSAL = re.compile(r"\b(?:propos\w+|offer\w*|plan)\b", re.IGNORECASE)
_DEMAND = re.compile(
    r"\b(?:demand\w*|seeks?|insist\w*|wants?|wanted|claims?|maintain\w*)\b", re.IGNORECASE
)
_SPEECH = re.compile(
    r"\b(?:said|says|told|stated|remarked|added|declared|noted|explained|informed)\b",
    re.IGNORECASE,
)
# History and battlefield narrative: places are named, no position is taken.
_NARRATIVE = re.compile(
    r"\b(?:captur\w+|expelled|seized|advances?|occupies|occupied|invad\w+|launched|"
    r"annexed|withdrawal|offensive|liberat\w+)\b",
    re.IGNORECASE,
)
_POSITION_VERB = re.compile(
    r"\b(?:propos\w+|demand\w*|said|says|stated|told|insist\w*|seeks?|wants?|offer\w*|"
    r"call\w* for|reject\w*|rul\w+ out|maintain\w*|assert\w*|agree\w*|recogni[sz]\w*|"
    r"acknowledg\w*|claims?|designat\w*)\b",
    re.IGNORECASE,
)
_MEETING = re.compile(r"\b(?:meeting|met|talks|summit|call)\b", re.IGNORECASE)
_OPENING_QUOTE = re.compile(r"^\s*[\"\u201c\u2018']")


# -- quantities -----------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a hundred": 100,
    "a thousand": 1000,
}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
_BOUND = (
    r"(?P<bound>only about|about|around|roughly|approximately|nearly|almost|some|at least|"
    r"more than|over|up to|at most|less than)?\s*"
)
_AREA_RE = re.compile(
    _BOUND + r"(?P<num>\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")\s*"
    r"(?P<unit>square (?:miles?|kilometers?|kilometres?)|sq\.? ?(?:mi|km)\b|km2|km²)",
    re.IGNORECASE,
)
_SHARE_RE = re.compile(
    _BOUND + r"(?:(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)|"
    r"(?:a|one) (?P<frac>half|third|quarter|fifth|tenth)\b)",
    re.IGNORECASE,
)
_FULL_RE = re.compile(
    r"\b(?:fully|completely|entirely|wholly) (?:control|controls|controlled|occupy|occupies|"
    r"occupied|hold|holds|held)\b",
    re.IGNORECASE,
)
_SHARE_OF_UKRAINE = re.compile(
    r"^\s*of (?:Ukraine|Ukraine['\u2019]s|its|the country['\u2019]s|which)\b|"
    r"^\s*of (?:its|Ukraine['\u2019]s) (?:sovereign )?(?:territory|land)",
    re.IGNORECASE,
)
_SHARE_OF_REGION = re.compile(
    r"\s*of (?:the )?(?P<place>[A-Z][\w'\u2019-]+(?: (?:Oblast|region|Region|oblast))?)"
)
_PASSIVE_HOLDER = re.compile(
    r"(?:controlled|held|occupied) by (?P<h1>Russian|Ukrainian|Russia|Ukraine)|"
    r"under (?P<h2>Russian|Ukrainian) (?:control|occupation)",
    re.IGNORECASE,
)
_ADVANCE = re.compile(r"\b(?:advanc\w*|gain\w*|push\w*|mov\w*|lost|losing)\b", re.IGNORECASE)
_QUANTITY_KEYS = (
    "square",
    "sq",
    "km",
    "%",
    "percent",
    "per cent",
    "half",
    "third",
    "quarter",
    "fifth",
    "tenth",
    "fully",
    "completely",
    "entirely",
    "wholly",
)
_BOUNDS: dict[str, Bound] = {
    "only about": "about",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "nearly": "about",
    "almost": "about",
    "some": "about",
    "at least": "at_least",
    "more than": "at_least",
    "over": "at_least",
    "up to": "at_most",
    "at most": "at_most",
    "less than": "at_most",
}


# -- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A candidate claim with the rules that produced it."""

    claim: Claim
    rules: tuple[str, ...]


@dataclass(frozen=True)
class ControlCandidate:
    """A candidate control fact with the rules that produced it."""

    fact: ControlFact
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: str
    claims: tuple[Candidate, ...]
    control: tuple[ControlCandidate, ...]


@dataclass(frozen=True)
class _Context:
    """What earlier sentences tell about the current one."""

    index: int
    #: The person quoted when the sentence is inside (or closes) a quotation.
    speaker: ActorMention | None
    #: (sentence index, people present, date) of meetings mentioned so far.
    meetings: tuple[tuple[int, frozenset[str], DateRef], ...]
    #: Latest dated claim per speaker or actor: key -> (sentence index, date).
    recent: tuple[tuple[str, int, DateRef, ClaimKind], ...]


# Lines an aggregator page adds around the report: links, sources, related headlines.
_BOILERPLATE = re.compile(
    r"^(?:RELATED|SOURCE|READ FULL ARTICLE|Related Article|Source link|Post a Comment)\b",
    re.IGNORECASE,
)
_ATTRIBUTION = re.compile(
    r"\b(?:he|she|they) (?:said|added|noted|stated|told|declared|explained|concluded)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|no|won['\u2019]t|cannot|can['\u2019]t|refus\w* to|does not allow \w+ to)"
    r"(?: \w+)?\s*$",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(
    r"\b(?:the|that|this) (?:\w+ )?(?:proposal|offer|plan)\b|\bthe (?:individual|source|person)\b",
    re.IGNORECASE,
)
# How many sentences back a speaker's earlier dated statement still dates an undated one.
_CARRY_SENTENCES = 6


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
        if _BOILERPLATE.match(text):
            continue
        actors = find_actors(text)
        people = [m for m in actors if m.speaker]
        date = resolve_date(text, article.published)
        quoted = open_quote or bool(_OPENING_QUOTE.match(text)) or bool(_ATTRIBUTION.search(text))
        context = _Context(
            index,
            last_person if quoted else None,
            tuple(meetings),
            tuple((key, i, d, k) for key, (i, d, k) in recent.items()),
        )
        found = _claims_in(article, sentence, actors, date, context)
        claims += found
        for candidate in found:
            claim = candidate.claim
            ref = DateRef(claim.date, claim.date_precision, "")
            recent[claim.actor] = (index, ref, claim.kind)
            if claim.kind == "proposal":
                recent[f"proposal:{claim.actor}"] = (index, ref, claim.kind)
            if claim.speaker:
                recent[claim.speaker] = (index, ref, claim.kind)
        control += _control_in(article, sentences, index, actors, date)
        if date is not None and _MEETING.search(text) and people:
            meetings.append((index, frozenset(m.speaker or "" for m in people), date))
        if people:
            last_person = people[0]
        opened = text.count("\u201c") - text.count("\u201d")
        open_quote = opened > 0 or (open_quote and opened == 0 and "\u201d" not in text)
    return Extraction(article.id, tuple(claims), tuple(control))


def extract_corpus(articles: Iterable[Article]) -> tuple[Extraction, ...]:
    """Extract from each article in turn."""
    return tuple(extract_article(article) for article in articles)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "article"


def _claims_in(
    article: Article,
    sentence: Sentence,
    actors: list[ActorMention],
    date: DateRef | None,
    context: _Context,
) -> list[Candidate]:
    text = sentence.text
    lowered = text.casefold()
    fired = [(cue, match) for cue in CUES if (match := cue.search(text, lowered))]
    if not fired:
        return []
    cue, match = fired[0]
    mentions = find_regions(text)
    territorial = cue.territorial or bool(mentions) or bool(_TERRITORY.search(text))
    if not territorial:
        return []
    if _NARRATIVE.search(text) and not _POSITION_VERB.search(text):
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
            id=f"x-{_slug(article.id)}-{sentence.start}-{holder.actor.replace('_', '-')}",
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
    context: _Context,
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
    refers_back = holder.speaker is None and _REFERS_BACK.search(text)
    for key, index, earlier, _kind in reversed(context.recent):
        close = context.index - index <= _CARRY_SENTENCES
        if (key == holder.speaker and close) or (refers_back and key == f"proposal:{holder.actor}"):
            rules.append(f"date {earlier.date.isoformat()} carried from sentence {index + 1}")
            return earlier
    rules.append("date: publication date (no date expression)")
    return DateRef(article.published, "day", "")


def _holders(
    text: str,
    actors: list[ActorMention],
    cue: re.Match[str],
    context: _Context,
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
        m for m in actors if m.speaker and _SPEECH.match(text[m.end : m.end + 12].lstrip(" ,"))
    ]
    subjects = [m for m in actors if _is_subject(text, m)]
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
    if cue.name == "win back" and _NEGATION.search(
        text[max(0, match.start() - 30) : match.start()]
    ):
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
    refused = _NEGATION.search(text[max(0, match.start() - 30) : match.start()])
    if refused:
        # Refusing to give up land keeps it with the one who refuses.
        kept: Disposition = "to_russia" if giver and giver.actor == "russia" else "to_ukraine"
        rules.append(f"refused ({refused.group()!r}) -> {kept}")
        return kept
    if giver is not None and giver.actor == "russia":
        hedged = bool(_HEDGE.search(text[: match.start()]))
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
    everything = _ALL_LAND.search(text)
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


_ALL_LAND = re.compile(
    r"\ball (?:of )?(?:its|their|the|Ukraine['\u2019]s) (?:occupied |lost |seized )?"
    r"(?:land|territor\w*)",
    re.IGNORECASE,
)


def _kind(text: str, cue: Cue) -> ClaimKind:
    if _PROPOSAL.search(text):
        return "proposal"
    if _DEMAND.search(text):
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


# -- control facts --------------------------------------------------------------------------------


def _control_in(
    article: Article,
    sentences: Sequence[Sentence],
    index: int,
    actors: list[ActorMention],
    date: DateRef | None,
) -> list[ControlCandidate]:
    sentence = sentences[index]
    text = sentence.text
    facts: list[ControlCandidate] = []
    lowered = text.lower()
    if not any(key in lowered for key in _QUANTITY_KEYS):
        return facts
    # A control figure is stated as of publication unless an absolute date goes with it ("In
    # August 2024, Ukraine captured ..."); "last week" dates the remark, not the front line.
    when = (
        date
        if date is not None and re.search(r"\d{4}", date.expression)
        else DateRef(article.published, "day", "")
    )
    for match in _AREA_RE.finditer(text):
        value = _number(match.group("num"))
        if value is None or _ADVANCE.search(text[max(0, match.start() - 25) : match.start()]):
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
                bound=_BOUNDS.get((match.group("bound") or "").casefold(), "exact"),
                stated=match.group().strip(),
            )
        )
    for match in _SHARE_RE.finditer(text):
        of_region = _SHARE_OF_REGION.match(text[match.end() :])
        named = find_regions(of_region.group("place")) if of_region else []
        target: str = "ukraine"
        if named and len(named[0].regions) == 1:
            target = named[0].regions[0]
        elif not _SHARE_OF_UKRAINE.search(text[match.end() :]):
            continue
        share = (
            float(match.group("pct")) / 100
            if match.group("pct")
            else _FRACTIONS[match.group("frac").casefold()]
        )
        passive = _PASSIVE_HOLDER.search(text[match.end() :])
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
                bound=_BOUNDS.get((match.group("bound") or "").casefold(), "exact"),
                stated=match.group().strip(),
            )
        )
    for match in _FULL_RE.finditer(text):
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
        id=f"x-{_slug(article.id)}-{sentence.start}-{key}",
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
    )
    return ControlCandidate(fact, rules)


def _number(text: str) -> float | None:
    key = text.casefold()
    if key in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[key])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


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
