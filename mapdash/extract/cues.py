"""Cues: the phrases that say what should happen to territory, and polarity, hedges, speech."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Disposition

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
TERRITORY = re.compile(r"\b(?:territor\w*|land|borders?|regions?|oblasts?)\b", re.IGNORECASE)
HEDGE = re.compile(r"\b(?:unclear whether|not clear whether|whether)\b", re.IGNORECASE)
PROPOSAL = re.compile(r"\b(?:propos\w+|offer\w*|plan)\b", re.IGNORECASE)
DEMAND = re.compile(
    r"\b(?:demand\w*|seeks?|insist\w*|wants?|wanted|claims?|maintain\w*)\b", re.IGNORECASE
)
SPEECH = re.compile(
    r"\b(?:said|says|told|stated|remarked|added|declared|noted|explained|informed)\b",
    re.IGNORECASE,
)
# History and battlefield narrative: places are named, no position is taken.
NARRATIVE = re.compile(
    r"\b(?:captur\w+|expelled|seized|advances?|occupies|occupied|invad\w+|launched|"
    r"annexed|withdrawal|offensive|liberat\w+)\b",
    re.IGNORECASE,
)
POSITION_VERB = re.compile(
    r"\b(?:propos\w+|demand\w*|said|says|stated|told|insist\w*|seeks?|wants?|offer\w*|"
    r"call\w* for|reject\w*|rul\w+ out|maintain\w*|assert\w*|agree\w*|recogni[sz]\w*|"
    r"acknowledg\w*|claims?|designat\w*)\b",
    re.IGNORECASE,
)
MEETING = re.compile(r"\b(?:meeting|met|talks|summit|call)\b", re.IGNORECASE)
OPENING_QUOTE = re.compile(r"^\s*[\"\u201c\u2018']")


# Lines an aggregator page adds around the report: links, sources, related headlines.
BOILERPLATE = re.compile(
    r"^(?:RELATED|SOURCE|READ FULL ARTICLE|Related Article|Source link|Post a Comment)\b",
    re.IGNORECASE,
)
ATTRIBUTION = re.compile(
    r"\b(?:he|she|they) (?:said|added|noted|stated|told|declared|explained|concluded)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(
    r"\b(?:not|never|no|won['\u2019]t|cannot|can['\u2019]t|refus\w* to|does not allow \w+ to)"
    r"(?: \w+)?\s*$",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(
    r"\b(?:the|that|this) (?:\w+ )?(?:proposal|offer|plan)\b|\bthe (?:individual|source|person)\b",
    re.IGNORECASE,
)
# How many sentences back a speaker's earlier dated statement still dates an undated one.
CARRY_SENTENCES = 6

ALL_LAND = re.compile(
    r"\ball (?:of )?(?:its|their|the|Ukraine['\u2019]s) (?:occupied |lost |seized )?"
    r"(?:land|territor\w*)",
    re.IGNORECASE,
)
