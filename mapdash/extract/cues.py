"""Cues: what a sentence says should happen to territory, and the words that qualify it.

The words around a cue decide whose position it is and with which polarity (stance verbs,
negation, conditions, hedges, history).

Every pattern names a linguistic construction a reader recognises in any news article - a verb of
giving up territory with a territorial object, recognition "as Russian", a freeze at the line, a
buffer zone, a swap of land, winning territory back, a claim to a region, a question named as the
open issue - not the wording of one article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .prefilter import Filtered, FilteredGroup
from .prefilter import rx as _rx

CueFamily = Literal[
    "cede",
    "concession",
    "recognize",
    "freeze",
    "dmz",
    "exchange",
    "restore",
    "claim",
    "open",
    "keep",
]


@dataclass(frozen=True)
class Cue:
    """A construction that says what should happen to territory."""

    name: str
    family: CueFamily
    pattern: re.Pattern[str]
    #: The construction needs a territorial object right after it ("cede *territory*").
    needs_object: bool = False
    #: The pattern with the literals every match contains: most sentences are not scanned.
    filtered: Filtered = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "filtered", Filtered(self.pattern))

    def finditer(self, text: str) -> list[re.Match[str]]:
        """All matches in a sentence (none, without a scan, when it lacks the cue's words)."""
        return list(self.filtered.finditer(text))


def _cue(name: str, family: CueFamily, pattern: str, *, needs_object: bool = False) -> Cue:
    return Cue(name, family, re.compile(pattern, re.IGNORECASE), needs_object)


_LINE = (
    r"(?:front[ -]?lines?|front(?= in\b)|line of contact|contact lines?|battle ?lines?|"
    r"lines? of control|combat lines?|territorial lines?|line of (?:the )?front|current lines?|"
    r"existing lines?)"
)
_LAND = r"(?:territor\w*|land|lands|regions?|oblasts?|areas?|parts?|provinces?|peninsula)"

CUES: tuple[Cue, ...] = (
    _cue(
        "buffer zone",
        "dmz",
        r"\bdemilitari[sz]ed (?:[\w-]+ ){0,3}zones?\b|\bbuffer zones?\b|\bneutral zones?\b|"
        r"\b(?:free|special) economic zones?\b|"
        r"\bdemilitari[sz]ation of (?:the )?(?:\w+ ){0,3}" + _LAND,
    ),
    _cue(
        "recognition",
        "recognize",
        r"\b(?:recogni(?:[sz](?:e|es|ed|ing)|tion)|acknowledg\w*|legitimi[sz]\w*|legali[sz]\w*|"
        r"formali[sz]\w*|accept\w* (?:\w+ ){0,2}(?:sovereignty|control|annexation)|"
        # "the status of Crimea, the DPR and LPR as Russian regions (must be enshrined)"
        r"status of (?:[\w'\u2019-]+,? ){1,12}?as (?:Russian|part of Russia))\b",
    ),
    _cue(
        "swap of territory",
        "exchange",
        r"\b(?:(?:land|territorial|territory) (?:swaps?|exchanges?|trades?|trading)|"
        r"(?:exchanges?|swaps?|trad(?:e|es|ing)) of (?:\w+ ){0,2}" + _LAND + r"|"
        r"(?<!in )(?:swap|exchange|trade)(?:s|d|ped)? (?:[\w'\u2019-]+,? ){0,14}?for (?:\w+ ){0,3}"
        + _LAND
        + r"|"
        # "the two sides could swap territory": the verb with land as its object
        r"(?:swap|swaps|swapped|swapping|exchange|exchanges|exchanged|exchanging|trade|trades|"
        r"traded|trading)(?= (?:some )?(?:territor\w*|land)\b(?! for)))",
    ),
    _cue(
        "freeze at the line",
        "freeze",
        r"\bfreez\w*\b(?:\s+\w+){0,4}?\s+" + _LINE + r"|"
        r"\b" + _LINE + r"(?:\s+(?:in|across|around|near|through|along)\s+(?:the\s+)?"
        r"(?:[\w'\u2019-]+(?:\s+and|\s+or|,)?\s+){0,4}?[\w'\u2019-]+)?"
        r"(?:\s+\w+){0,3}?\s+(?:frozen|freez\w*)|"
        r"\bfreez\w* (?:the )?(?:conflict|war|fighting)\b|"
        r"\b(?:along|at|on|from|based on) the (?:current |existing |present )?" + _LINE + r"|"
        r"\b(?:current|existing|present) " + _LINE + r"|"
        r"\bstop\w* (?:\w+ ){0,3}at the (?:\w+ ){0,2}lines?\b|"
        r"\b(?:stay|stays|staying|stop|stops|remain|remains|halt|halts) (?:\w+ ){0,2}?where "
        r"(?:we|they|it|the (?:troops|armies|forces|sides)) (?:are|is|stand)\b|"
        r"\bwhere (?:it|they) (?:is|are) now\b|"
        r"\breflect\w* (?:the )?(?:\w+ ){0,2}(?:situation|realities|reality) (?:on|of) the "
        r"(?:battlefield|ground)",
    ),
    _cue(
        "give up territory",
        "cede",
        r"\b(?:cede[sd]?|ceding|concede[sd]?|conceding|surrender\w*|relinquish\w*|abandon\w*|"
        r"vacat(?:e|es|ed|ing)|give[sn]? up|giving up|gave up|give away|hand(?:s|ed|ing)? over|"
        r"give[sn]? back|giving back|gave back|hand(?:s|ed|ing)? back|"
        r"let go of|withdr[ae]w\w*(?: \w+){0,3} from|pull\w*(?: \w+){0,2} out of|"
        r"leave|leaves|leaving|left|quit|transfer\w*|gift|lose|losing|"
        r"give (?:\w+ ){0,2}control (?:over|of))\b",
        needs_object=True,
    ),
    # Rarer ways of giving up land, a cue of their own so that their common words ("give",
    # "return") do not send every sentence through the long pattern above.
    _cue(
        "give up territory",
        "cede",
        r"\b(?:(?:give[sn]?|giving|gave) (?:it|them) up|return(?:s|ed|ing)?(?! to\b)|"
        r"accept\w* (?:the )?loss of|"
        # "hand Luhansk to Moscow", "give Donbas to Russia": handing a place to a side, without
        # "over" (not "on the other hand")
        r"(?<!other )(?:hand|give)(?:s|n|ed|ing)?"
        r"(?= (?:[\w'\u2019-]+,? (?:and )?){1,5}?to (?:Russia|Moscow|the Kremlin|Putin)\b)|"
        r"gave(?= (?:[\w'\u2019-]+,? (?:and )?){1,5}?to (?:Russia|Moscow|the Kremlin|Putin)\b))\b",
        needs_object=True,
    ),
    _cue(
        "trade land for peace",
        "cede",
        r"\b(?:trad(?:e|es|ed|ing)|swap\w*|exchang\w*)\b(?= (?:[\w'\u2019-]+,? ){1,6}?for "
        r"(?:peace|an? (?:ceasefire|truce|deal)|security|guarantees|sanctions))",
        needs_object=True,
    ),
    _cue(
        "keep territory",
        "keep",
        r"\b(?:keep(?:s|ing)?|kept|retain\w*|hold(?:s|ing)? on to|held on to)\b",
        needs_object=True,
    ),
    _cue(
        "borders changed by force",
        "cede",
        r"\bborders?\s+(?:being\s+|be\s+|were\s+)?(?:changed|redrawn|moved|altered) by force",
    ),
    _cue(
        "territorial concessions",
        "concession",
        r"\b(?:territorial (?:concessions?|compromises?)|(?:concessions?|compromises?) (?:on|of) "
        r"(?:territory|land)|"
        r"(?:surrender|trading|transfer) of (?:\w+ ){0,2}(?:territor\w*|land))",
    ),
    _cue(
        "win territory back",
        "restore",
        r"\b(?:win (?:[\w/]+ ){0,5}back|winning (?:\w+ ){0,4}back|regain\w*|reclaim\w*|"
        r"retak\w+|take back|taking back|return\w* (?:\w+ ){0,3}to Ukraine|"
        r"restor\w* (?:\w+ ){0,3}(?:borders|territorial integrity|sovereignty)|"
        r"driv\w+ (?:\w+ ){0,3}out of|(?:original|pre-war|pre-20\d\d|1991) borders|"
        r"(?:maintain|preserv|respect|uphold)\w* (?:[\w'\u2019]+ ){0,5}territorial integrity|"
        r"borders? (?:\w+ ){0,3}(?:not|never) (?:be )?changed by force)",
    ),
    _cue(
        "claim to territory",
        "claim",
        r"\b(?:claims? (?:\w+ ){0,3}as (?:its|their) own|claims? (?:over|to|of) |"
        r"(?:stay|remain)\w* (?:\w+ ){0,2}(?:with|part of|under) (?:Russia|Russian|Moscow)\w*|"
        r"part of Russia|belong\w* to (?:Russia|Moscow)|"
        r"(?:designat|declar|proclaim)\w* (?:\w+ ){0,6}(?:as|to be) (?:Russia|Russian)\b|annex\w*|"
        r"(?:at|along|to|up to|within) (?:their |its |the )?administrative "
        r"(?:lines|borders|boundar\w+))",
    ),
    _cue(
        "claim to territory",
        "claim",
        r"\b(?:(?:full|complete|total) control (?:of|over) |"
        # "would take the Donbas by force": a threat to take it claims it
        r"(?:take|taking|took|seize|seizing|capture|capturing|conquer\w*)"
        r"(?= (?:[\w'\u2019-]+ ){1,5}by (?:military )?(?:force|military means)))",
    ),
    _cue(
        "claims a region",
        "claim",
        # "Russia could also claim the Sumy and Kharkiv regions"; not "claimed that", "claimed to"
        r"\bclaim(?:s|ed|ing)?\b"
        r"(?= (?:the |all |all of |both )?(?:(?-i:[A-Z])\w+|four|five|remaining))",
        needs_object=True,
    ),
    _cue(
        "the open question",
        "open",
        r"\b(?:(?:biggest|key|main|central|core|thorniest|hardest|toughest|most difficult|"
        r"major) (?:\w+ ){0,2}(?:problem|issue|question|obstacle|sticking point|stumbling block)s?|"
        r"(?:cent(?:er|re)|hinge|depend)\w* on (?:the )?(?:status|question|fate|future)|"
        r"status of (?:\w+ ){0,3}" + _LAND + r" (?:is|remains|was) (?:open|unresolved|undecided))",
    ),
    _cue(
        "talks about territory",
        "open",
        r"\b(?:there (?:is|are|will be|would be|has to be|have to be|must be|needs to be|"
        r"['\u2019]s|is going to be|are going to be)|involv\w*|includ\w*|requir\w*) "
        r"(?:(?!no\b)\w+ ){0,2}(?:talks?|discussions?|negotiations?) (?:[\w-]+ ){0,3}?"
        r"(?:of|on|over|about|regarding|with regard to)\b",
        needs_object=True,
    ),
    _cue(
        "refuses to negotiate territory",
        "keep",
        r"\b(?:not|never|refus\w* to|won['\u2019]t|will not|cannot|no intention to)"
        r" (?:\w+ ){0,3}?(?:discuss(?:ing)?|negotiat(?:e|ing))\b",
        needs_object=True,
    ),
    _cue(
        "not negotiable",
        "keep",
        r"\b(?:not (?:be )?up for (?:discussion|negotiation|debate)|non-negotiable|"
        r"not negotiable|no (?:talk|discussion|negotiations?) (?:of|on|about|over))\b",
    ),
)
_FILTERED = FilteredGroup([cue.filtered for cue in CUES])


def possible_cues(text: str) -> list[Cue]:
    """Return the cues whose words a sentence holds, in ``CUES`` order (no other can match)."""
    return [CUES[i] for i in _FILTERED.possible(text)]


#: Words that make the object of a verb of giving up territorial.
TERRITORIAL_OBJECT = _rx(
    r"\b(?:territor\w*|land|lands|regions?|oblasts?|areas?|parts?|provinces?|peninsula|"
    r"pockets?|villages?|towns?|cit(?:y|ies)|positions|control|square|percent|%)",
    re.IGNORECASE,
)
#: "the occupied land", "the territory it occupies": giving up only what Russia holds.
OCCUPIED_OBJECT = _rx(r"\b(?:occupied|seized|captured|held by Russia)\b", re.IGNORECASE)
#: Territory in general, whole: "all of its land", "any territory".
ALL_LAND = _rx(
    r"\b(?:all|any|every|none) (?:of )?(?:its |their |the |Ukraine['\u2019]s |our )?"
    r"(?:occupied |lost |seized |sovereign )?(?:land|territor\w*|inch)|"
    r"\bthe (?:territor\w*|lands?|areas?) (?:that )?(?:already |currently |it )?"
    r"(?:seized|occupied|captured|held|controlled) by",
    re.IGNORECASE,
)
#: A region referred back to: "the region", "these territories".
REFERS_TO_REGION = _rx(
    r"\b(?:the|this|that|these|those|such) (?:contested |disputed |eastern |southern )?"
    r"(?:region|regions|territory|territories|area|areas|control|oblast)\b",
    re.IGNORECASE,
)

# -- stance: whose position, and which kind ---------------------------------------------------

DEMAND_VERB = _rx(
    r"\b(?:demand(?:s|ed|ing)?|insist\w*|wants?|wanted|seek(?:s|ing)?|sought|call(?:s|ed|ing)? "
    r"for|requir(?:e|es|ed|ing)|press(?:es|ed)? for|threaten\w*|ultimatum|"
    # "Washington is pressing Kyiv to accept ...", "urged Ukraine to give up ...", "expects Kyiv
    # to withdraw": what one side wants a named other to do ("Ukraine is expected to ..." names
    # no one between the verb and "to": a forecast)
    r"(?:press|push|urg|pressur|expect)(?:e|es|ed|ing|ized|ised|s)?"
    r"(?= (?:[\w'\u2019-]+ ){1,3}to \w))\b",
    re.IGNORECASE,
)
PROPOSE_VERB = _rx(
    r"\b(?:propos(?:e|es|ed|ing)|offer(?:s|ed|ing)?|suggest\w*|put forward|envisag\w*|"
    r"signal\w* (?:\w+ ){0,2}willingness|"
    r"(?:is|are|was|were) (?:\w+ly )?(?:ready|willing|prepared) to|"
    r"(?:would|will|could) (?:\w+ly )?agree to|agreed to|agrees to|"
    r"would involve|entails?|provides? for|float\w*|unveil\w*|present\w*|drafted)\b",
    re.IGNORECASE,
)
REJECT_VERB = _rx(
    r"\b(?:reject\w*|refus\w*|rul(?:e|es|ed|ing) out|oppos\w*|dismiss\w*|turn\w* down|"
    r"(?:not|never) (?:\w+ )?(?:happy|satisfied|content|comfortable) with|"
    r"(?:unhappy|dissatisfied|displeased) with|opposition to|"
    r"(?:alarmed|dismayed|troubled|angered|worried|concerned) (?:by|about|at|over)|condemn\w*|"
    r"(?:warn|caution|argu|advis|spoke|speak)\w* (?:strongly )?against|"
    r"call(?:s|ed|ing)? (?=(?:[\w'\u2019-]+ ){1,10}(?:unacceptable|unrealistic|absurd|impossible|"
    r"a non-starter)\b)|"
    r"(?:is|are|was|were|would be) (?:\w+ )?(?:unacceptable|impossible|out of the question|"
    r"unconstitutional|a red line))",
    re.IGNORECASE,
)
SPEECH_VERB = _rx(
    r"\b(?:said|says|say|told|tells|stated|states|stressed|emphasi[sz]\w*|added|noted|declared|"
    r"wrote|writes|warned|vowed|argued|explained|announced|reiterated|mused|asserted|informed|"
    r"maintain\w*|posted|replied|affirmed|confirmed|think|thinks|believes?)\b",
    re.IGNORECASE,
)
MODAL_DEMAND = _rx(
    r"\b(?:must|should|has to|have to|needs? to|would have to|is to|are to)\b", re.IGNORECASE
)
#: "..., Peskov said", "said Kremlin spokesman Dmitry Peskov", "Zelensky told reporters".
POSTPOSED_SPEECH = _rx(
    r"(?:[,\u201d\"]\s*|\s)(?P<verb>said|says|told|stated|added|noted|wrote|declared|"
    r"stressed|insisted|explained|warned)\b",
    re.IGNORECASE,
)
ACCORDING_TO = _rx(r"\b(?:according to|in the view of|for)\s+$", re.IGNORECASE)
#: "... as Moscow demands": the holder named after the position.
AS_HOLDER_DEMANDS = _rx(
    r"^\W{0,3}\s*(?:as|which|that) (?P<who>[\w .'\u2019-]{2,40}?) "
    r"(?:demands?|wants?|insists?|has demanded|has insisted|proposes?|has proposed)\b",
    re.IGNORECASE,
)
#: "demands Kyiv has rejected": the rejection of what was just said.
REJECTION_AFTER = _rx(
    r"(?:^\W{0,3}\s*|[\u2014\u2013;]\s*|\s-\s)(?:demands?|proposals?|terms|conditions|"
    r"an? (?:idea|offer)|which|something|a move|an idea)\s+(?P<who>[\w .'\u2019-]{2,40}?) "
    r"(?:has |had |have )?(?:rejected|refused|ruled out|dismissed|opposes|opposed)\b",
    re.IGNORECASE,
)
#: A plan referred back to: "the proposal", "the framework", "such proposals".
PLAN_REFERENCE = _rx(
    r"\b(?:the|this|that(?! (?:a|an|the|any)\b)|such|its|their|his|her) (?:[\w-]+ ){0,2}?"
    r"(?:proposals?|plan|offer|framework|draft|deal|idea|initiative|document|demands?)\b",
    re.IGNORECASE,
)
INDEFINITE_PLAN = _rx(
    r"\b(?:a|an|any) (?:[\w-]+ ){0,2}?(?:proposals?|plan|offer|framework|draft|idea|demand)\b",
    re.IGNORECASE,
)

# -- polarity and scope -----------------------------------------------------------------------

NEGATION = _rx(
    r"\b(?:not|never|no|none|nothing|won['\u2019]t|wouldn['\u2019]t|cannot|can['\u2019]t|"
    r"don['\u2019]t|doesn['\u2019]t|didn['\u2019]t|isn['\u2019]t|refus\w*(?: \w+){0,2} to|"
    r"refusal to|without|rather than|instead of|against)\b",
    re.IGNORECASE,
)
CONDITION = _rx(
    r"\b(?:if|unless|only if|provided|as long as|on condition|as a condition|in return for)\b",
    re.IGNORECASE,
)
HEDGE = _rx(
    r"\b(?:reportedly|is said to|are said to|was said to|would likely|likely|could|may|might|"
    r"possibly|perhaps|impl(?:y|ies|ied)|believed to|appears? to|potential(?:ly)?|allegedly|"
    r"rumou?red|unclear whether|not clear whether)\b",
    re.IGNORECASE,
)
#: "conceding territory would be unacceptable", "a return to the borders is unrealistic",
#: "surrendering land would reward aggression": a negative evaluation of the cue's own phrase.
REJECTED_AFTER = _rx(
    r"^[^,;.]{0,60}?\b(?:(?:is|was|were|are|would be|will be|remains?)\s+(?:\w+\s+)?"
    r"(?:unacceptable|impossible|unrealistic|an illusion|illusory|out of the question|"
    r"not an option|a red line|unconstitutional|not realistic|"
    r"(?:an? |the )?(?:\w+ )?(?:mistake|error|betrayal|capitulation|disaster|catastrophe|"
    r"blunder)|dangerous|wrong|reckless|a reward for|an invitation to)|"
    r"(?:would|will|could|might) (?:\w+ )?(?:reward|embolden|encourage|invite|legitimi[sz]e) "
    r"(?:the )?(?:aggression|aggressor|Putin|Moscow|the Kremlin|Russia|further)|"
    r"(?:rewards?|rewarding) (?:the )?(?:aggression|aggressor))\b",
    re.IGNORECASE,
)
#: "the withdrawal of forces from Donbas is a precondition": a nominal cue named a demand.
NOMINAL_DEMAND = _rx(
    r"[^,;.]{0,60}?\b(?:is|are|was|remains?|would be|will be)\s+(?!not\b)"
    r"(?:a |an |the |our |one |its )?(?:\w+ )?(?:pre-?conditions?|conditions?|prerequisites?|"
    r"requirements?|demands?|must|non-negotiable)\b",
    re.IGNORECASE,
)
#: Concessions are a position only when someone makes, offers, demands or refuses them.
CONCESSION_VERB = _rx(
    r"\b(?:make|makes|made|making|offer\w*|accept\w*|agree\w* to|necessitat\w*|requir\w*|"
    r"involv\w*|demand\w*|press\w* for|push\w* for|seek\w*|want\w*|call\w* for|ready to|"
    r"willing to|expect\w*|force\w*|compel\w*)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
#: "refusing only *major* concessions": small ones stay open, roughly the line.
MAJOR = _rx(r"\b(?:major|significant|large|big|sweeping)\b", re.IGNORECASE)
#: An indirect question, an agenda item or a topic heading names territory without a position.
NOT_A_POSITION = _rx(
    r"\b(?:whether|even if|on the (?:\w+ ){0,3}agenda|on the table for discussion|"
    r"(?:remains?|is|was) (?:\w+ )?(?:unclear|ambiguous)|"
    # "officials fear that a deal would leave Russia ...": a feared outcome, no one's position
    r"(?:fear|fears|feared|worr(?:y|ies|ied)|concerns?|concerned) that)\b",
    re.IGNORECASE,
)
TOPIC_BEFORE = _rx(
    r"\b(?:discussions?|talks?|negotiations?|debates?|conversations?) (?:\w+ ){0,2}?"
    r"(?:on|about|over|of|regarding) (?:any |the |possible |potential )*$",
    re.IGNORECASE,
)
TOPIC_OPENING = _rx(r"^\W*(?:On|About|Regarding|As for|As to) [^,]{0,40},")
#: A year (or decade) before publication marks a historical statement ("annexed in 2014").
PAST_YEAR = _rx(
    r"\b(?:[Ii]n|[Ss]ince|[Bb]ack in|[Dd]uring|[Bb]y|of) (?:the )?(?:(?:early|late|mid-)\s?)?"
    r"(?:[A-Z][a-z]+ )?"
    r"(?P<year>(?:19|20)\d\d)(?P<decade>s)?\b"
)
HISTORICAL_ACT = _rx(
    r"\b(?:annex\w*|seiz\w*|taken|took|occupied|occupying|captured|invaded|"
    r"(?:included|incorporated|enshrined|written) (?:\w+ ){0,3}in(?:to)? "
    r"(?:the |its |Russia['\u2019]s )?(?:Russian )?"
    r"constitution|rubber-stamp\w*)\b",
    re.IGNORECASE,
)
#: Clause boundaries inside a sentence.
CLAUSE_BREAK = _rx(r"[;:\u2014\u2013]| - |, (?:and|but|while|whereas|although) |\. ")
QUESTION = _rx(r"\?[\"'\u201d\u2019]?\s*$")

# -- context across sentences -----------------------------------------------------------------

# Lines an aggregator page adds around the report: links, sources, related headlines.
BOILERPLATE = _rx(
    r"^(?:RELATED|SOURCE|READ FULL ARTICLE|Related Article|Source link|Post a Comment)\b",
    re.IGNORECASE,
)
PRONOUN_SPEAKER = _rx(
    r"\b(?:he|she)\s+(?:\w+\s+)?(?:said|added|noted|stated|told|declared|explained|concluded|"
    r"stressed|wrote|insisted|warned)\b",
    re.IGNORECASE,
)
#: "This is stated in a joint statement of European leaders": the sentence before was theirs.
THIS_WAS_STATED = _rx(
    r"^\W*(?:This|That|It) (?:is|was|has been) (?:\w+ )?(?:stated|said|announced|declared|"
    r"proposed|demanded) (?:in|by)\b",
    re.IGNORECASE,
)
MEETING = _rx(r"\b(?:meeting|met|talks|summit|call)\b", re.IGNORECASE)
OPENING_QUOTE = _rx(r"^\s*[\"\u201c\u2018']")
LIST_ITEM = _rx(r"^\s*(?:[-\u2013\u2014\u2022*\u25aa\u25cf]|\(?\d{1,2}[.)]|[a-h]\))\s+")
PLAN_HEADING = _rx(
    r"\b(?:plan|proposal|draft|framework|points|terms|memorandum|provisions)\b", re.IGNORECASE
)
#: How many sentences back a speaker's earlier dated statement still dates an undated one.
CARRY_SENTENCES = 6
