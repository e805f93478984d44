"""Claim assembly: cues, holders, polarity, regions and dates -> candidate claims.

A reader's procedure, one sentence at a time:

1. find the cues (what should happen to territory) and the regions each one governs: a region
   belongs to the nearest cue before it; a cue without one takes the regions named earlier in the
   sentence, a region referred back to ("the region"), or all occupied territory;
2. find whose position each cue is: the author of the plan it describes ("Putin's offer would
   ...", "the US proposal that entails ..."), the holder named after it ("... as Moscow
   demands"), the subject of the nearest verb of demanding, proposing, rejecting or saying before
   it (so "Zelensky said Moscow demanded Donbas" is Moscow's demand), "according to X", the
   speaker of a quotation ("..., Peskov said"; "he said" -> the person named last), the subject
   before the cue, or the quotation the sentence sits in;
3. decide the polarity: a negation or a rejection before the cue keeps the territory with the
   one who refuses (Ukraine refusing to cede: to_ukraine; Russia refusing a swap of Kursk:
   to_russia) and makes the claim a rejection; inside a condition ("if Ukraine did not withdraw
   ...") it is a demand; the rejection of someone else's plan gives two claims, the plan's (still
   a demand or proposal) and the refusal; a negative evaluation of the cue's phrase ("forcing
   Kyiv to cede X would reward aggression") is a refusal by whoever evaluates it; a clause of
   the opposite polarity ("..., but it will not recognise ...") is a position of its own;
4. set history aside: a cue next to a past year is not a current position, and an annexation or
   seizure "in 2014" is a statement dated that year.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..regions import REGIONS
from ..types import ALL_OCCUPIED, Article, Claim, ClaimKind, Disposition, Evidence, Sentence
from .cues import (
    ACCORDING_TO,
    ALL_LAND,
    CARRY_SENTENCES,
    CLAUSE_BREAK,
    CONCESSION_VERB,
    CONDITION,
    DEMAND_VERB,
    HEDGE,
    HISTORICAL_ACT,
    INDEFINITE_PLAN,
    MAJOR,
    MODAL_DEMAND,
    NEGATION,
    NOMINAL_DEMAND,
    NOT_A_POSITION,
    OCCUPIED_OBJECT,
    PAST_YEAR,
    PLAN_REFERENCE,
    POSTPOSED_SPEECH,
    PROPOSE_VERB,
    QUESTION,
    REFERS_TO_REGION,
    REJECT_VERB,
    REJECTED_AFTER,
    REJECTION_AFTER,
    SPEECH_VERB,
    TERRITORIAL_OBJECT,
    TOPIC_BEFORE,
    TOPIC_OPENING,
    Cue,
    possible_cues,
)
from .dates import DateRef
from .mentions import ActorMention, RegionMention, find_regions, is_subject, plan_after
from .prefilter import Filtered
from .prefilter import rx as _rx


@dataclass(frozen=True)
class Candidate:
    """A candidate claim with the rules that produced it."""

    claim: Claim
    rules: tuple[str, ...]


@dataclass(frozen=True)
class PlanRef:
    """A plan named in an earlier sentence, for "the proposal" and "rejected the proposal"."""

    author: ActorMention | None
    regions: Mapping[str, Disposition]
    index: int


@dataclass(frozen=True)
class Context:
    """What the sentences around the current one tell about it."""

    index: int
    #: The speaker of the quotation the sentence is in (or closes), when it is named.
    speaker: ActorMention | None
    #: (sentence index, people present, date) of meetings mentioned so far.
    meetings: tuple[tuple[int, frozenset[str], DateRef], ...]
    #: Latest dated claim per speaker or actor: key -> (sentence index, date).
    recent: tuple[tuple[str, int, DateRef, ClaimKind], ...]
    #: The person named last before this sentence (for "he said").
    last_person: ActorMention | None = None
    #: Regions named in the previous sentences, latest first (for "the region").
    last_regions: tuple[str, ...] = ()
    #: The plan named last (for "the framework would ...", "rejected the proposal").
    plan: PlanRef | None = None
    #: The holder named by the next sentence ("This is stated in a statement of X").
    stated_by: ActorMention | None = None
    #: The sentence is a provision of a plan in list form; its author when the text names one.
    list_plan: bool = False
    list_author: ActorMention | None = None


def slug(text: str) -> str:
    """Return a lower-case, hyphenated form of an article id for candidate ids."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "article"


@dataclass
class _Reading:
    """One actor's position read from a sentence (several cues may add to it)."""

    holder: ActorMention
    kind: ClaimKind
    regions: dict[str, Disposition] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    historical: DateRef | None = None
    #: Where the clauses it was read from start.
    clauses: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Hit:
    cue: Cue
    match: re.Match[str]

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


def _keeper(actor: str) -> Disposition:
    """Who refuses keeps: Russia refusing keeps territory Russian, anyone else Ukrainian."""
    return "to_russia" if actor == "russia" else "to_ukraine"


_RELATIVE = _rx(r",\s*(?:which|who|whom|whose)\b[^,;]*(?:,|$)")


#: The clause breaks of the sentence asked about last, (text, spans), for the many questions
#: about one sentence; a single tuple, so that threads never mix two sentences' breaks.
_BREAKS: list[tuple[str, tuple[tuple[int, int], ...]]] = [("", ())]


def _clause_start(text: str, position: int) -> int:
    """Return where the clause holding ``position`` starts: after the last break before it."""
    cached = _BREAKS[0]
    if cached[0] is not text:
        cached = (text, tuple(m.span() for m in CLAUSE_BREAK.finditer(text)))
        _BREAKS[0] = cached
    spans = cached[1]
    # The breaks that start before ``position``; they do not overlap, the last ends latest.
    before = bisect.bisect_right(spans, (position, position))
    if not before:
        return 0
    if spans[before - 1][1] <= position:
        return spans[before - 1][1]
    # The last one is cut off at ``position``: read the text up to there, as it is.
    start = 0
    for match in CLAUSE_BREAK.finditer(text, 0, position):
        start = match.end()
    return start


def _clause_end(text: str, position: int) -> int:
    match = CLAUSE_BREAK.search(text, position)
    return match.start() if match else len(text)


def _find_hits(text: str, mentions: Sequence[RegionMention], rules: list[str]) -> list[_Hit]:
    opening = TOPIC_OPENING.match(text)
    hits: list[_Hit] = []
    for cue in possible_cues(text):
        for match in cue.filtered.run.finditer(text):
            if opening and match.end() <= opening.end():
                rules.append(f"'{match.group()}' only names the topic ({opening.group()!r})")
                continue
            if cue.family != "open" and TOPIC_BEFORE.search(
                text[max(0, match.start() - 60) : match.start()]
            ):
                rules.append(f"'{match.group()}' is what talks are about, not a position")
                continue
            clause = text[_clause_start(text, match.start()) : match.start()]
            if NOT_A_POSITION.search(clause) or NOT_A_POSITION.search(
                text[match.end() : match.end() + 40]
            ):
                continue
            if cue.needs_object and not _territorial_object(text, match, mentions):
                continue
            if cue.family == "keep" and _A_FIGURE.match(text, match.end()):
                # "Kyiv retains control of about a quarter of Donetsk": a control fact.
                continue
            if cue.family == "recognize" and not _recognition_object(text, match, mentions):
                continue
            hits.append(_Hit(cue, match))
    hits += _demanded_regions(text, mentions)
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    # "give up its claim to Crimea": the claim is what is given up, the region its object.
    hits = [
        h
        for h in hits
        if not (
            h.cue.family == "claim"
            and any(
                g.cue.family == "cede" and 0 <= h.start - g.end <= 12 for g in hits if g is not h
            )
        )
    ]
    kept: list[_Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        if (
            kept
            and hit.cue.family == "freeze"
            and _LOCATIVE.match(hit.match.group())
            and kept[-1].cue.family in ("dmz", "cede", "exchange", "recognize")
            and not CLAUSE_BREAK.search(text, kept[-1].end, hit.start)
        ):
            # "a buffer zone based on the existing lines": where the zone lies, not a freeze.
            rules.append(f"'{hit.match.group()}' says where '{kept[-1].match.group()}' lies")
            continue
        if hit.cue.family == "open" and not (mentions or _TERRITORY_WORD.search(text)):
            continue
        kept.append(hit)
    annexations = [h for h in kept if h.match.group().casefold().startswith("annex")]
    for hit in annexations:
        bounds = (_clause_start(text, hit.start), _clause_end(text, hit.end))
        relative = any(m.start() <= hit.start < m.end() for m in _RELATIVE.finditer(text))
        recognised = any(
            h.cue.family == "recognize" and bounds[0] <= h.start <= bounds[1] for h in kept
        )
        if relative or recognised:
            # "Crimea, which it annexed in 2014": history; "the annexation would be
            # acknowledged": what is recognised.
            kept.remove(hit)
    return kept


#: "will not accept a deal that recognises ...": the refusal reaches into the deal's clause.
_REFUSED_DEAL = _rx(
    r"\b(?:not|never|won['\u2019]t|cannot|can['\u2019]t|refus\w* to)\s+(?:\w+\s+)?"
    r"(?:accept|agree to|support|back|sign|endorse)\s+(?:a|an|any|the)\s+(?:\w+\s+)?"
    r"(?:deal|plan|agreement|settlement|proposal|accord|treaty)\s+(?:that|which)\s+"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
#: After a cue in an "if" clause: the consequence the speaker warns of ("..., the war will not
#: end, Starmer warned").
_WARNED_CONSEQUENCE = _rx(
    r"[^,;.]*,\s+[^,;.]*?\b(?:will|would|won['\u2019]t|wouldn['\u2019]t|could|might)\b"
    r"[^,;.]*,\s+(?:[\w.'\u2019-]+\s+){0,4}?(?P<warning>warned|cautioned)\b"
)
_SCOPE_BREAK = _rx(r"\b(?:that|which|and|but|while|whereas|because)\b")
_LOCATIVE = _rx(r"(?:along|at|on|from|based on|current|existing|present)\b", re.IGNORECASE)
_TERRITORY_WORD = _rx(r"\b(?:territor\w*|land|regions?|borders?)\b", re.IGNORECASE)
_ISSUE = _rx(r"problem|issue|question|obstacle|sticking|stumbling|cent|hinge|depend")
_DEMANDED = _rx(
    r"\b(?:demand(?:s|ed|ing)?|wants?|wanted|claims?|claimed|covet\w*|seeks?|sought|"
    r"insist\w* on)\s+(?:(?:for|the|all|rest|of|entire|whole|remaining|full|control|over)\s+){0,4}",
    re.IGNORECASE,
)
_DEMANDED_CUE = Cue("demands a region", "claim", _DEMANDED)
_DEMANDED_FILTERED = Filtered(_DEMANDED)
_REGION_NOUN_BEFORE = _rx(
    r"\b(?:region|territory|land|areas?|oblast)\s+(?:that\s+|which\s+)?$", re.IGNORECASE
)


def _demanded_regions(text: str, mentions: Sequence[RegionMention]) -> list[_Hit]:
    """Find "Moscow demanded Donbas", "a region Russia demands": demanding a place claims it."""
    hits = []
    for match in _DEMANDED_FILTERED.finditer(text):
        named = any(m.start == match.end() for m in mentions)
        before = text[max(0, match.start() - 45) : match.start()]
        reduced = re.search(
            r"\b(?:region|territory|land|areas?|oblast)\s+(?:that\s+|which\s+)?"
            r"(?:Russia|Moscow|the Kremlin|Putin)\s+$",
            before,
        )
        if named or reduced:
            hits.append(_Hit(_DEMANDED_CUE, match))
    return hits


def _territorial_object(text: str, match: re.Match[str], mentions: Sequence[RegionMention]) -> bool:
    pronoun = re.search(r" (?:it|them) up$", match.group()) or re.match(
        r"\s+(?:it|them)\b", text[match.end() :]
    )
    if pronoun and any(m.end <= match.start() for m in mentions):
        return True  # "wanted all of Donbas, and ... would not give it up"
    # A comma or point inside a number ("6,000 square kilometres") ends no phrase.
    window = re.split(r"[;]|[,.](?!\d)", text[match.end() : match.end() + 70], maxsplit=1)[0]
    words = window.split()[:8]
    span = " ".join(words)
    if TERRITORIAL_OBJECT.search(span):
        return True
    limit = match.end() + len(window)
    return any(match.end() <= m.start <= limit for m in mentions)


def _recognition_object(text: str, match: re.Match[str], mentions: Sequence[RegionMention]) -> bool:
    if match.group().casefold().startswith("status of"):
        return True  # the construction names its object ("the status of X as Russian")
    after = text[match.end() : match.end() + 100]
    if re.match(r"\s+(?:that|the need|it|him|her|this)\b", after):
        return False
    if re.search(
        r"\bas (?:(?:de facto|de jure|legally|officially|formally|internationally) )?"
        r"(?:Russian|Russia|part of Russia|belonging)|realit|sovereignty|control|"
        r"annex|territor|\bland",
        after,
        re.IGNORECASE,
    ):
        return True
    if re.match(r"\s+(?:that|the need|it|him|her|this)\b", after):
        return False
    if any(match.end() <= m.start <= match.end() + 60 for m in mentions):
        return True
    before = text[_clause_start(text, match.start()) : match.start()]
    return bool(re.search(r"\bto be\s*$|\bare\s*$|\bis\s*$|\bbe\s*$", before)) and any(
        m.end <= match.start() for m in mentions
    )


def _subject_before(
    text: str, position: int, actors: Sequence[ActorMention], *, floor: int = 0
) -> ActorMention | None:
    """Return the nearest mention before ``position`` that can be a subject (not an object)."""
    for mention in reversed(actors):
        if mention.end <= position and mention.start >= floor and is_subject(text, mention):
            return mention
    return None


_STANCES = (
    ("reject", Filtered(REJECT_VERB)),
    ("demand", Filtered(DEMAND_VERB)),
    ("propose", Filtered(PROPOSE_VERB)),
    ("say", Filtered(SPEECH_VERB)),
)
_REJECTS = _STANCES[0][1]
_PAST_YEAR = Filtered(PAST_YEAR)


def _stances(text: str) -> list[tuple[int, int, str]]:
    found = []
    for name, pattern in _STANCES:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), name))
    return sorted(found)


_AUTHORED_BY = _rx(
    r"\s*,?\s*(?:drafted|proposed|put forward|presented|authored|written|backed|floated|"
    r"tabled|offered|prepared|drawn up|circulated|submitted|developed|sent|shared) by "
    r"(?:(?:the|US|U\.S\.|Russian|Ukrainian) )?(?:[A-Z][\w.-]* ){0,2}?(?=[A-Z])"
)


#: "outside the five regions", "other than Crimea": the region named is out of the cue's scope.
_OUTSIDE = _rx(
    r"\b(?:outside|beyond|other than|apart from|except(?: for)?|besides)\s+(?:of\s+)?"
    r"(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
#: "the idea of a buffer zone", "the proposal to freeze": the plan noun is defined right after
#: it, so it refers to no plan named before.
_DEFINED_AFTER = _rx(r"\s+(?:of (?:a|an|\w+ing)\b|to (?!the\b|a\b|an\b)\w+)", re.IGNORECASE)
#: "In 2022, ...", "Back in September 2014, ...": a past year that dates the whole sentence.
_OPENING_YEAR = _rx(
    r"^\W*(?:In|Back in|By|During) (?:(?:early|late|mid-)\s?)?(?:[A-Z][a-z]+ )?"
    r"(?P<year>(?:19|20)\d\d)(?P<decade>s)?\b,?"
)
#: "Peskov: Kyiv must ...", "Zelensky: we will not ...": the speaker, a colon, their words.
_HEADLINE_SPEAKER = _rx(r"^\W*(?P<who>[A-Z][\w.'\u2019 -]{1,40}?)\s*:\s+(?=\S)")
#: "under the US plan", "according to the European proposal" (before a plan noun).
_UNDER_PLAN = _rx(r"\b(?:[Uu]nder|[Aa]ccording to|[Ii]n) (?:the|a|an)\s+$")
#: "said X ... and that Y ...": a second reported clause, with its own tense and time.
_ANOTHER_THAT = _rx(r",? (?:and|but) that\b")
#: A demand negated: "no longer insists", "did not demand", "has not asked".
_NO_LONGER = _rx(
    r"\b(?:no longer|not|never|n['\u2019]t)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
#: "(retains) control of about a quarter", "(holds) some 6,000 square kilometres": a figure.
_A_FIGURE = _rx(
    r"\s+(?:control (?:of|over)\s+)?(?:(?:about|around|roughly|some|nearly|almost|only|just|"
    r"more than|less than|at least|approximately)\s+)?(?:\d|(?:a|one) (?:half|third|quarter|"
    r"fifth|tenth)\b)",
    re.IGNORECASE,
)
#: ", which would ...", ", where ...": a relative clause going on with what came before.
_RELATIVE_AFTER = _rx(r",\s*(?:which|where)\b")
#: A clause of another holder: "..., while Kyiv insists on ...", "... but Moscow wants ...".
_CONTRAST = _rx(r"\b(?:while|whereas|but|although|though)\b", re.IGNORECASE)
#: What may stand between a speaker and the verb: nothing, or adverbs ("Putin reportedly said").
_ADVERBS = _rx(r"\s{0,3}(?:\w+ly\s+){0,2}")
#: "a counter-proposal to", "changes to", "its response to" (the plan named next is answered).
_ANSWERS_A_PLAN = _rx(
    r"\b(?:counter-?(?:proposals?|plans?|offers?)|alternatives?|responses?|reply|amendments?|"
    r"changes|revisions?) to (?:the |a |an )?$",
    re.IGNORECASE,
)


def named_author(text: str, actors: Sequence[ActorMention]) -> ActorMention | None:
    """Return the author a plan noun names after it ("the 28-point plan drafted by Witkoff")."""
    for pattern in (PLAN_REFERENCE, INDEFINITE_PLAN):
        for match in pattern.finditer(text):
            by = _AUTHORED_BY.match(text, match.end())
            if by:
                return next((m for m in actors if m.start == by.end()), None)
    return None


def _plans(
    text: str, actors: Sequence[ActorMention], context: Context
) -> list[tuple[int, int, ActorMention | None, str]]:
    """Plan nouns in the sentence: (start, end, author or None, how the author is known)."""
    plans: list[tuple[int, int, ActorMention | None, str]] = []
    for mention in actors:
        if _ANSWERS_A_PLAN.search(text[max(0, mention.start - 40) : mention.start]):
            # "a counter-proposal to the U.S. plan that would ...": what follows is the
            # counter-proposal's, not the plan answered.
            continue
        if mention.kind == "plan":
            plans.append((mention.start, mention.end, mention, f"plan {mention.text!r}"))
            continue
        owned = plan_after(text, mention)
        if owned:
            end = mention.end + owned.end()
            plans.append((mention.start, end, mention, f"plan {text[mention.start : end]!r}"))
    taken = [(s, e) for s, e, _, _ in plans]
    for match in PLAN_REFERENCE.finditer(text):
        # "the 28-point plan drafted by Witkoff": the author named after the plan.
        by = _AUTHORED_BY.match(text, match.end())
        author = next((m for m in actors if by and m.start == by.end()), None)
        if author is not None:
            plans.append(
                (match.start(), match.end(), author, f"{match.group()!r} by {author.text!r}")
            )
            taken.append((match.start(), match.end()))
            continue
        if any(s <= match.start() < e or match.start() <= s < match.end() for s, e in taken):
            continue
        word = match.group().split()[0].casefold()
        if word in ("its", "their", "his", "her"):
            owner = _subject_before(text, match.start(), actors)
            if owner is None:
                owner = next((m for m in actors if is_subject(text, m)), None)
            plans.append(
                (
                    match.start(),
                    match.end(),
                    owner,
                    f"{match.group()!r} of {owner.text if owner else '?'}",
                )
            )
        elif (
            context.plan is not None
            and context.plan.author is not None
            and not _DEFINED_AFTER.match(text, match.end())
        ):
            plans.append(
                (
                    match.start(),
                    match.end(),
                    context.plan.author,
                    f"{match.group()!r} refers to the plan of sentence {context.plan.index + 1}",
                )
            )
    for match in INDEFINITE_PLAN.finditer(text):
        if any(s <= match.start() < e for s, e, _, _ in plans):
            continue
        by = _AUTHORED_BY.match(text, match.end())
        author = next((m for m in actors if by and m.start == by.end()), None)
        if author is not None:
            # "a draft circulated by U.S. officials"
            plans.append(
                (match.start(), match.end(), author, f"{match.group()!r} by {author.text!r}")
            )
            continue
        # "Witkoff floated a plan ...": the one who puts the plan forward is its author.
        verb = PROPOSE_VERB.search(text[max(0, match.start() - 30) : match.start()])
        proposer = (
            _subject_before(text, max(0, match.start() - 30) + verb.start(), actors)
            if verb
            else None
        )
        if proposer is not None:
            plans.append(
                (match.start(), match.end(), proposer, f"{match.group()!r} of {proposer.text!r}")
            )
            continue
        plans.append((match.start(), match.end(), None, f"{match.group()!r} (author not named)"))
    return sorted(plans, key=lambda p: p[0])


def _speech_attribution(
    text: str, position: int, actors: Sequence[ActorMention], context: Context
) -> ActorMention | None:
    """Return the speaker of "..., Peskov said", "said spokesman Peskov", "he said" after a cue."""
    for match in POSTPOSED_SPEECH.finditer(text, position):
        verb = match.start("verb")
        # "..., Putin said", "..., Putin reportedly told Trump": the subject before the verb.
        before = [
            m
            for m in actors
            if m.end <= verb
            and m.start >= position
            and _ADVERBS.fullmatch(text, m.end, verb) is not None
        ]
        if before:
            return before[-1]
        if re.search(
            r"\b(?:he|she)\s+(?:\w+ly\s+)?$", text[max(position, verb - 20) : verb], re.IGNORECASE
        ):
            return context.last_person
        if match.group("verb").casefold() == "told":
            continue  # "told Trump": who is told is not who speaks
        after = [
            m for m in actors if m.start >= match.end("verb") and m.start - match.end("verb") <= 30
        ]
        if after and re.fullmatch(r"[\s\w.'\u2019-]*", text[match.end("verb") : after[0].start]):
            return after[0]
    return None


@dataclass(frozen=True)
class _Holder:
    mention: ActorMention
    rule: str
    stance: str  # reject, demand, propose, say, plan, or "" (subject / context)
    stance_end: int = 0


_AS_HOLDER = _rx(
    r"\bas (?P<who>(?:the )?[A-Z][\w.'\u2019 -]{1,40}?) "
    r"(?:demands?|wants?|insists?|has demanded|proposes?)\b"
)


def _holder(
    text: str,
    hit: _Hit,
    actors: Sequence[ActorMention],
    plans: Sequence[tuple[int, int, ActorMention | None, str]],
    stances: Sequence[tuple[int, int, str]],
    context: Context,
    limit: int,
) -> tuple[_Holder | None, bool]:
    """Whose position a cue is; the flag says the cue describes a plan whose author is unnamed.

    ``limit`` is where the next cue starts: "... as Moscow demands" names the holder of the cue
    just before it only.
    """
    headed = _HEADLINE_SPEAKER.match(text)
    if headed:
        # "Peskov: Kyiv must withdraw from Donbas": a headline gives its speaker first.
        head = next((m for m in actors if m.end == headed.end("who")), None)
        if (
            head is not None
            and head.kind in ("person", "office", "party")
            and hit.start >= headed.end()
        ):
            return _Holder(head, f"headline speaker {head.text!r} -> {head.actor}", "say"), False
    after = text[hit.end : min(limit, hit.end + 120)]
    as_holder = _AS_HOLDER.search(after)
    if as_holder:
        who = [
            m
            for m in actors
            if hit.end + as_holder.start("who") <= m.start < hit.end + as_holder.end("who")
        ]
        if who:
            return _Holder(who[0], f"holder named after it: {as_holder.group()!r}", "demand"), False
    if hit.cue is _DEMANDED_CUE:
        demander = _subject_before(text, hit.start, actors)
        if demander is not None and hit.start - demander.end <= 25:
            return _Holder(demander, f"demands it: {demander.text!r}", "demand"), False
    if (
        context.list_plan
        and context.list_author is not None
        and not any(name in ("reject", "say") for _, _, name in stances)
    ):
        # "3. Ukrainian forces will withdraw from ...": a provision binds the party it names; the
        # position is the plan's. Only a rejection or a reported statement in the line is not.
        a = context.list_author
        return _Holder(a, f"provision of the plan of {a.text!r} -> {a.actor}", "plan"), False
    if not any(e <= hit.start for _, e, _ in stances):
        for start, _, author, how in plans:
            if author is not None and _UNDER_PLAN.search(text, max(0, start - 12), start):
                # "..., under the European proposal": the plan named is whose the provision is.
                return _Holder(author, f"under the plan: {how}", "plan"), False
    nearest_stance = next((s for s in reversed(stances) if s[1] <= hit.start), None)
    plan = next(
        (
            p
            for p in reversed(plans)
            if p[0] < hit.start and p[1] <= hit.end and hit.start - p[1] <= 60
        ),
        None,
    )
    if plan is not None and (
        nearest_stance is None or plan[1] >= nearest_stance[0] or nearest_stance[2] == "propose"
    ):
        if plan[2] is not None:
            return _Holder(plan[2], f"author of the plan: {plan[3]}", "plan"), False
        return None, True
    for start, end, name in reversed([s for s in stances if s[1] <= hit.start]):
        if name != "say" and _ANOTHER_THAT.search(text, end, hit.start):
            # "said Putin wanted Donbas, and that Ukraine would not give it up": the verb of an
            # earlier reported clause governs no cue of a later one.
            continue
        subject = _subject_before(text, start, actors)
        if re.search(r"\b(?:by|after|while|when|before)\s+$", text[max(0, start - 8) : start]):
            # "X shocked Y by saying ...": the gerund's subject is the sentence's subject.
            subject = next((m for m in actors if m.start < start and is_subject(text, m)), subject)
        if subject is None and re.search(
            r"\b(?:he|she)\s+(?:\w+\s+){0,2}$", text[max(0, start - 25) : start], re.IGNORECASE
        ):
            subject = context.last_person
        if subject is not None:
            verb = text[start:end]
            if subject.kind == "plan" or plan_after(text, subject):
                name = "plan"  # "a Witkoff proposal that called for ...": the plan's content
            return _Holder(
                subject, f"subject of {verb!r}: {subject.text!r} -> {subject.actor}", name, end
            ), False
    according = [
        m
        for m in actors
        if m.end <= hit.start and ACCORDING_TO.search(text[max(0, m.start - 20) : m.start])
    ]
    if according:
        m = according[-1]
        return _Holder(m, f"according to {m.text!r} -> {m.actor}", "say"), False
    spoken = _speech_attribution(text, hit.end, actors, context)
    if spoken is not None:
        return _Holder(spoken, f"speaker {spoken.text!r} -> {spoken.actor}", "say"), False
    subject = _subject_before(text, hit.start, actors)
    if subject is not None:
        return _Holder(subject, f"subject {subject.text!r} -> {subject.actor}", ""), False
    for start, end, name in stances:
        if start < hit.end or name == "say":
            continue
        if re.search(r"\b(?:whether|if)\b", text[hit.end : start], re.IGNORECASE):
            break  # "... and whether Moscow would agree to ...": a question, no stance
        subject = _subject_before(text, start, actors, floor=hit.end)
        if subject is not None:
            verb = text[start:end]
            stance = name if name in ("demand", "propose") else ""
            return _Holder(
                subject, f"subject of {verb!r} after it: {subject.text!r}", stance, end
            ), False
        break
    if context.list_plan:
        if context.list_author is not None:
            a = context.list_author
            return _Holder(a, f"provision of the plan of {a.text!r} -> {a.actor}", "plan"), False
        return None, True
    if context.speaker is not None:
        s = context.speaker
        return _Holder(s, f"quoted speaker {s.text!r} -> {s.actor}", "say"), False
    if context.stated_by is not None:
        s = context.stated_by
        return _Holder(s, f"stated by {s.text!r} (next sentence) -> {s.actor}", "say"), False
    return None, False


def _regions_for(
    text: str,
    hits: Sequence[_Hit],
    number: int,
    mentions: Sequence[RegionMention],
    context: Context,
    rules: list[str],
) -> list[str]:
    """Return the regions cue ``number`` governs (ids, or ['*'])."""
    hit = hits[number]
    following = hits[number + 1].start if number + 1 < len(hits) else len(text)
    outside = [m for m in mentions if _OUTSIDE.search(text[max(0, m.start - 30) : m.start])]
    if outside:
        # "other territories it holds outside the five regions": those regions are the ones
        # the cue is not about.
        rules.append("regions: " + ", ".join(repr(m.text) for m in outside) + " excluded")
        mentions = [m for m in mentions if m not in outside]
    own = [m for m in mentions if hit.start <= m.start < following]
    if number == 0:
        # Regions just before the first cue in its clause ("Crimea will stay with Russia").
        clause = _clause_start(text, hit.start)
        own = [m for m in mentions if clause <= m.start < hit.start] + own
    segment = text[hit.start : following]
    ids: list[str] = []
    if ALL_LAND.search(segment):
        ids.append(ALL_OCCUPIED)
    for mention in own:
        ids += [r for r in mention.regions if r not in ids]
    if own:
        rules.append("regions: " + ", ".join(repr(m.text) for m in own))
        return ids
    if ids:
        rules.append("regions: all territory (" + repr(ALL_LAND.search(segment).group()) + ")")  # type: ignore[union-attr]
        return ids
    earlier = [
        m for m in mentions if m.start < hit.start and not _CONTRAST.search(text, m.end, hit.start)
    ]
    if earlier:
        for mention in earlier:
            ids += [r for r in mention.regions if r not in ids]
        rules.append(
            "regions: named earlier in the sentence: " + ", ".join(repr(m.text) for m in earlier)
        )
        return ids
    refers = REFERS_TO_REGION.search(text, _clause_start(text, hit.start), following)
    if refers and ALL_LAND.match(text, refers.start()):
        refers = None
    if refers and context.last_regions:
        rules.append(
            f"regions: {refers.group()!r} refers back to {', '.join(context.last_regions)}"
        )
        return list(context.last_regions)
    rules.append("regions: none named -> '*' (all occupied territory)")
    return [ALL_OCCUPIED]


def _historical_year(text: str, hit: _Hit, published: dt.date) -> re.Match[str] | None:
    # "the Crimean Peninsula, which was annexed in 2014, to be recognized": the year dates the
    # relative clause, not the position.
    text = _RELATIVE.sub(lambda m: " " * len(m.group()), text)
    # "Finland lost Karelia in 1944 and that Ukraine should not have to ...": another clause.
    window_start, window_end = max(0, hit.start - 50), min(len(text), hit.end + 50)
    for other in _ANOTHER_THAT.finditer(text, window_start, window_end):
        if other.end() <= hit.start:
            window_start = other.end()
        elif other.start() >= hit.end:
            window_end = other.start()
            break
    for match in PAST_YEAR.finditer(text, window_start, window_end):
        year = int(match.group("year"))
        if year < published.year or match.group("decade"):
            return match
    return None


def _disposition(
    text: str, hit: _Hit, holder: _Holder | None, actors: Sequence[ActorMention], rules: list[str]
) -> tuple[Disposition, bool]:
    """Return the disposition the cue asks for, before polarity; the flag: a giver is named."""
    family = hit.cue.family
    if family == "cede" and re.match(r"give\w* \S+", hit.match.group(), re.IGNORECASE):
        # "give Moscow control over ...": the one named after "give" receives.
        receiver = next((m for m in actors if hit.start < m.start and m.end <= hit.end), None)
        if receiver is not None and receiver.actor in ("russia", "ukraine"):
            rules.append(f"receiver {receiver.text!r} -> to_{receiver.actor}")
            return ("to_russia" if receiver.actor == "russia" else "to_ukraine"), True
    if family == "cede":
        # "the withdrawal of Ukrainian forces from ...": the giver named inside the phrase.
        giver = next(
            (m for m in actors if hit.start < m.start and m.end <= hit.end and m.kind != "plan"),
            None,
        ) or next(
            (
                m
                for m in reversed(actors)
                if m.end <= hit.start
                and hit.start - m.end <= 45
                and m.kind != "plan"
                and not plan_after(text, m)  # "Russia's demand to give up ...": its author
            ),
            None,
        )
        if giver is None and holder is not None and holder.stance in ("propose", "say", ""):
            giver = holder.mention
        if giver is not None and giver.actor == "russia":
            rules.append(f"giver {giver.text!r} is Russia -> to_ukraine")
            return "to_ukraine", True
        obj = text[hit.end : hit.end + 60]
        if OCCUPIED_OBJECT.search(obj) and not re.search(r"\bunoccupied\b", obj, re.IGNORECASE):
            rules.append("gives up only what is occupied -> frozen")
            return "frozen", giver is not None
        rules.append(f"giver {giver.text if giver else 'unnamed'!r} -> to_russia")
        return "to_russia", giver is not None
    if family == "concession":
        if re.search(r"\b(?:both sides|each side|both parties|mutual)\b", text, re.IGNORECASE):
            rules.append("concessions by both sides -> exchange")
            return "exchange", False
        return "to_russia", False
    if family == "keep" and hit.match.group().casefold().startswith(
        ("keep", "kept", "retain", "hold", "held")
    ):
        keeper = next(
            (m for m in reversed(actors) if m.end <= hit.start and hit.start - m.end <= 30),
            holder.mention if holder else None,
        )
        actor = keeper.actor if keeper else ""
        rules.append(f"{keeper.text if keeper else 'unnamed'!r} keeps it -> {_keeper(actor)}")
        return _keeper(actor), False
    if family == "keep":
        actor = holder.mention.actor if holder else ""
        rules.append(f"refuses to negotiate it -> {_keeper(actor)}")
        return _keeper(actor), False
    if family == "restore" and holder is not None and holder.mention.actor == "russia":
        rules.append("Russia taking territory 'back' -> to_russia")
        return "to_russia", False
    return {
        "recognize": "recognized_russian",
        "freeze": "frozen",
        "dmz": "demilitarized",
        "exchange": "exchange",
        "restore": "to_ukraine",
        "claim": "to_russia",
        "open": "unresolved",
    }[family], False  # type: ignore[return-value]


def claims_in(
    article: Article,
    sentence: Sentence,
    actors: list[ActorMention],
    date: DateRef | None,
    context: Context,
    mentions: Sequence[RegionMention] | None = None,
) -> list[Candidate]:
    """Find the candidate claims of one sentence, given its actors, its date and its context."""
    text = sentence.text
    if QUESTION.search(text):
        return []
    if mentions is None:
        mentions = find_regions(text)
    notes: list[str] = []
    hits = _find_hits(text, mentions, notes)
    readings: dict[tuple[str, str], _Reading] = {}
    if not hits:
        # Most sentences: no cue. Only a rejection of the plan named before, or history.
        results = []
        if context.plan is not None and _REJECTS.search(text):
            results = _rejections_of_plan(article, sentence, actors, date, context)
        if mentions and _PAST_YEAR.search(text):
            results += _historical_statements(article, sentence, mentions, actors)
        return results
    stances = _stances(text)
    plans = _plans(text, actors, context)
    issue = next(
        (h for h in hits if h.cue.family == "open" and _ISSUE.search(h.match.group().casefold())),
        None,
    )
    # Unspecific cues last: they only fill regions no other cue of the holder decided.
    order = sorted(
        range(len(hits)),
        key=lambda i: (
            2 * (hits[i].cue.family == "open" and hits[i] is not issue)
            + (hits[i].cue.family == "concession" or hits[i].cue is _DEMANDED_CUE)
        ),
    )
    plan_holder: _Holder | None = None
    for number in order:
        hit = hits[number]
        rules = [f"cue '{hit.cue.name}': {hit.match.group()!r}"]
        if issue is not None and hit is not issue and hit.start > issue.start:
            rules.append(f"named as the open question ({issue.match.group()!r})")
        if (
            hit.cue.family == "concession"
            and not NEGATION.search(text[max(0, hit.start - 45) : hit.start])
            and not CONCESSION_VERB.search(text[max(0, hit.start - 50) : hit.start])
            and not REJECT_VERB.search(text[max(0, hit.start - 60) : hit.start])
        ):
            continue  # "constrained ... regarding any territorial concessions": no position
        past = _historical_year(text, hit, article.published)
        if past is not None:
            # "as Finland did in the 1940s, when it ceded ...": history, not a position.
            continue
        following = hits[number + 1].start if number + 1 < len(hits) else len(text)
        holder, unattributed = _holder(text, hit, actors, plans, stances, context, following)
        if (
            holder is not None
            and holder.stance == ""
            and plan_holder is not None
            and _RELATIVE_AFTER.search(text, plan_holder.stance_end or 0, hit.start)
        ):
            # "the plan envisages Ukrainian troops pulling out of Donetsk, which would be turned
            # into a buffer zone": the relative clause goes on with the plan.
            holder = plan_holder
            rules.append("the plan's, in a relative clause")
        if holder is not None and holder.stance == "plan":
            plan_holder = replace(holder, stance_end=hit.end)
        if holder is not None and holder.stance == "demand":
            stance = next((st for st in stances if st[1] == holder.stance_end), None)
            if stance is not None and _NO_LONGER.search(text, max(0, stance[0] - 20), stance[0]):
                # "the U.S. side no longer insists that Kyiv withdraw": a demand dropped.
                continue
        regions = _regions_for(text, hits, number, mentions, context, rules)
        base, _ = (
            _disposition(text, hit, holder, actors, rules)
            if holder or unattributed
            else (None, False)
        )
        if base == "to_ukraine" and hit.cue.family == "cede" and "kursk" in regions:
            # Russia leaving (or giving up) Kursk hands no Ukrainian territory back: Kursk is
            # Russia's own region, so that reading says nothing about it.
            regions = [r for r in regions if r != "kursk"]
            rules.append("Kursk is Russian: Russia withdrawing from it moves no Ukrainian land")
            if not regions:
                continue
        clause = _clause_start(text, hit.start)
        before = text[max(clause, hit.start - 45) : hit.start]
        # A negation does not reach into a clause of its own: "had not changed and that ...".
        cut = list(_SCOPE_BREAK.finditer(before))
        if cut:
            before = before[cut[-1].end() :]
        negation = (
            NEGATION.search(before)
            or _negated_object(text, hit)
            or _REFUSED_DEAL.search(text, max(clause, hit.start - 120), hit.start)
        )
        if negation and hit.cue is _DEMANDED_CUE:
            # "did not insist on the whole of Zaporizhzhia": a demand not made is no position.
            rules.append(f"'{hit.match.group().strip()}' negated: no demand")
            continue
        conditional = CONDITION.search(text[clause : hit.start]) or CONDITION.search(
            text[max(0, hit.start - 80) : hit.start]
        )
        # A rejection verb between the holder's stance and the cue: the holder refuses it.
        rejected_by: tuple[ActorMention, str, int] | None = None
        for start, end, name in stances:
            if name == "reject" and end <= hit.start:
                subject = _subject_before(text, start, actors)
                if subject is None and re.search(
                    r"\b(?:he|she)\s+(?:\w+\s+){0,2}$",
                    text[max(0, start - 25) : start],
                    re.IGNORECASE,
                ):
                    subject = context.last_person
                if subject is not None:
                    rejected_by = (subject, text[start:end], end)
        after_rejection = (
            REJECTION_AFTER.search(text[hit.end : hit.end + 200])
            if number == len(hits) - 1
            else None
        )
        if issue is not None and hit is not issue and hit.start > issue.start and base:
            base = "unresolved"
        if holder is not None and base is not None:
            kind = _kind(text, hit, holder, bool(context.list_plan))
            disposition: Disposition = base
            warned = _WARNED_CONSEQUENCE.match(text, hit.end) if conditional else None
            if conditional and warned and holder.stance in ("say", "") and not negation:
                # "If Ukraine gives up X, the war will not end, Starmer warned": a warning
                # against what the condition names, not a demand for it.
                disposition = _keeper(holder.mention.actor)
                rules.append(
                    f"condition {conditional.group()!r} with a warned consequence "
                    f"({warned.group('warning')!r}) -> {disposition}"
                )
                kind = "rejection"
            elif conditional and not (holder.stance == "reject"):
                if negation:
                    rules.append(
                        f"condition {conditional.group()!r} with {negation.group()!r}: "
                        "what is demanded"
                    )
                else:
                    rules.append(f"condition {conditional.group()!r}")
                kind = "demand" if kind != "proposal" else kind
            elif (
                negation
                and holder.stance == "plan"
                and rejected_by is not None
                and rejected_by[0].actor != holder.mention.actor
            ):
                # "Zelensky rejected the demand, saying Ukraine would never ...": the negation is
                # the refuser's; the plan keeps what it asks for.
                rules.append(
                    f"negation ({negation.group()!r}) is {rejected_by[0].text!r}'s refusal"
                )
            elif negation and not holder.rule.startswith("holder named after"):
                disposition = _negated(hit, holder.mention.actor, base)
                if hit.cue.family == "concession" and MAJOR.search(text[hit.start - 12 : hit.end]):
                    # Refusing only *major* concessions leaves small ones open: roughly the line.
                    disposition = "frozen"
                rules.append(f"negated ({negation.group()!r}) -> {disposition}")
                kind = "rejection"
            elif holder.stance == "reject":
                disposition = _negated(hit, holder.mention.actor, base)
                rules.append(f"rejected by {holder.mention.text!r} -> {disposition}")
                kind = "rejection"
            if HEDGE.search(text[clause : hit.end]):
                rules.append(f"hedged ({HEDGE.search(text[clause : hit.end]).group()!r})")  # type: ignore[union-attr]
            rules.insert(1, f"actor: {holder.rule}")
            _add(readings, holder.mention, "own", kind, regions, disposition, rules, clause)
            for partner in _conjoined(text, holder.mention, actors):
                own = _keeper(partner.actor) if kind == "rejection" else disposition
                _add(
                    readings,
                    partner,
                    "own",
                    kind,
                    regions,
                    own,
                    [*rules, f"actor: also {partner.text!r} ('and') -> {partner.actor}"],
                )
        if (
            base is not None
            and rejected_by is not None
            and (
                holder is None
                or holder.stance == "plan"
                or rejected_by[2] <= holder.mention.start  # "rejected a Witkoff proposal that"
            )
        ):
            who, verb, _ = rejected_by
            for refuser in [who, *_conjoined(text, who, actors)]:
                if holder is None or refuser.actor != holder.mention.actor:
                    kept = _keeper(refuser.actor)
                    _add(
                        readings,
                        refuser,
                        "reject",
                        "rejection",
                        regions,
                        kept,
                        [*rules, f"actor: {refuser.text!r} {verb!r} it -> {refuser.actor}: {kept}"],
                    )
        if after_rejection and base is not None:
            names = [
                m
                for m in actors
                if hit.end + after_rejection.start("who")
                <= m.start
                < hit.end + after_rejection.end("who")
            ]
            if names:
                who = names[0]
                for reading in list(readings.values()):
                    if reading.holder.actor != who.actor:
                        kept = _keeper(who.actor)
                        _add(
                            readings,
                            who,
                            "reject",
                            "rejection",
                            list(reading.regions),
                            kept,
                            [
                                f"rejection after it: {after_rejection.group()!r} -> "
                                f"{who.actor}: {kept}"
                            ],
                        )
                        break
    results = [
        _candidate(article, sentence, reading, date, actors, context, role)
        for (_, role), reading in readings.items()
    ]
    results += _historical_statements(article, sentence, mentions, actors)
    return results


def _conjoined(
    text: str, mention: ActorMention, actors: Sequence[ActorMention]
) -> list[ActorMention]:
    """Return the other sides of "both Europe and Ukraine", "Kyiv and its European allies"."""
    partners = []
    for other in actors:
        if other.actor == mention.actor or other.kind == "pronoun":
            continue
        if other.end <= mention.start:
            between = text[other.end : mention.start]
        elif other.start >= mention.end:
            between = text[mention.end : other.start]
        else:
            continue
        if re.fullmatch(r"\s*(?:,\s*)?and\s+(?:its\s+|the\s+)?", between):
            partners.append(other)
    return partners


def _negated_object(text: str, hit: _Hit) -> re.Match[str] | None:
    """Find a negation after the cue: "surrendering no territory", "... would be unacceptable"."""
    after = text[hit.end : hit.end + 120]
    if hit.cue.family == "cede":
        found = re.match(r"\s+(?:no|not (?:an?|one|a single) (?:inch|\w+)|nothing)\b", after)
        if found:
            return found
    return REJECTED_AFTER.match(after)


def _rejections_of_plan(
    article: Article,
    sentence: Sentence,
    actors: Sequence[ActorMention],
    date: DateRef | None,
    context: Context,
) -> list[Candidate]:
    """Read "Zakharova had also sharply rejected the proposal": a refusal of the plan before."""
    text = sentence.text
    plan = context.plan
    if plan is None:
        return []
    stances = _stances(text)
    readings: dict[tuple[str, str], _Reading] = {}
    # "Zakharova had also sharply rejected the proposal": the plan named before.
    for start, end, name in stances:
        if (
            name != "reject"
            or not PLAN_REFERENCE.match(text, end + 1, min(len(text), end + 60))
            and not PLAN_REFERENCE.search(text[end : end + 40])
        ):
            continue
        refuser = _subject_before(text, start, actors)
        if refuser is None or (plan.author and refuser.actor == plan.author.actor):
            continue
        kept = _keeper(refuser.actor)
        _add(
            readings,
            refuser,
            "reject",
            "rejection",
            list(plan.regions) or [ALL_OCCUPIED],
            kept,
            [
                f"rejects {text[end : end + 40].strip()!r}: the plan of sentence {plan.index + 1}",
                f"actor: {refuser.text!r} -> {refuser.actor}: {kept}",
            ],
        )
        break
    return [
        _candidate(article, sentence, reading, date, actors, context, role)
        for (_, role), reading in readings.items()
    ]


def _negated(hit: _Hit, actor: str, base: Disposition) -> Disposition:
    if hit.cue.family == "restore":
        return "frozen"  # "cannot win back": the line stays
    if hit.cue.family == "open":
        return base
    return _keeper(actor)


_PLAN_KIND = _rx(r"\b(?:demands?|ultimatum|conditions|stance|position|claim)\b", re.IGNORECASE)


def _kind(text: str, hit: _Hit, holder: _Holder, listed: bool) -> ClaimKind:
    if hit.cue.family == "open":
        return "statement"
    if hit.cue.family == "keep" and not hit.match.group().casefold().startswith(
        ("keep", "kept", "retain", "hold", "held")
    ):
        return "rejection"  # refusing to negotiate it
    if holder.stance == "plan":
        noun = _PLAN_KIND.search(holder.rule)
        if noun and noun.group().casefold().startswith(("demand", "ultimatum", "condition")):
            return "demand"
        if noun and noun.group().casefold().startswith(("stance", "position", "claim")):
            return "position"
    if listed or holder.stance in ("plan", "propose"):
        return "proposal"
    if holder.stance == "demand":
        return "demand"
    if MODAL_DEMAND.search(
        text[holder.stance_end : hit.start] if holder.stance_end else text[: hit.start]
    ) or NOMINAL_DEMAND.match(text, hit.end):
        return "demand"
    return "position"


# An unspecific reading gives way to a specific one for the same region.
#: Which disposition wins when one reading gives a region two: "withdraw from Donetsk, creating a
#: demilitarised zone" is the zone; "unresolved" yields to any other.
_RANK: dict[str, int] = {"unresolved": 0, "demilitarized": 3}


def _add(
    readings: dict[tuple[str, str], _Reading],
    holder: ActorMention,
    role: str,
    kind: ClaimKind,
    regions: Sequence[str],
    disposition: Disposition,
    rules: list[str],
    clause: int | None = None,
) -> None:
    key = (holder.actor, "")
    reading = readings.get(key)
    if (
        reading is not None
        and clause is not None
        and reading.clauses
        and clause not in reading.clauses
        and (kind == "rejection") != (reading.kind == "rejection")
    ):
        # "Kyiv is ready to freeze the line, but it will not recognise ...": clauses of opposite
        # polarity are two positions; the negation of one does not reach the other.
        key = (holder.actor, f"c{clause}")
        reading = readings.get(key)
        rules = [*rules, "a clause of its own (opposite polarity)"]
    if reading is None:
        reading = readings[key] = _Reading(holder, kind)
    if clause is not None:
        reading.clauses.add(clause)
    elif kind == "rejection" or reading.kind == "position":
        reading.kind = kind if reading.kind != "rejection" else reading.kind
    if reading.holder.speaker is None and holder.speaker is not None:
        reading.holder = holder
    for region in regions:
        old = reading.regions.get(region)
        if old is None or (
            _RANK.get(disposition, 2) > _RANK.get(old, 2) and reading.kind != "rejection"
        ):
            reading.regions[region] = disposition
    reading.rules += [r for r in rules if r not in reading.rules]


def _candidate(
    article: Article,
    sentence: Sentence,
    reading: _Reading,
    date: DateRef | None,
    actors: Sequence[ActorMention],
    context: Context,
    role: str,
) -> Candidate:
    rules = list(reading.rules)
    holder = reading.holder
    claim_date = _claim_date(
        sentence.text, date, holder, reading.kind, list(actors), context, article, rules
    )
    # Who said it: the holder when a person, else the quoted speaker reporting it.
    speaker = holder.speaker or (context.speaker.speaker if context.speaker else None)
    suffix = holder.actor.replace("_", "-") + (
        "-r" if role == "reject" else f"-{role}" if role else ""
    )
    claim = Claim(
        id=f"x-{slug(article.id)}-{sentence.start}-{suffix}",
        date=claim_date.date,
        date_precision=claim_date.precision,
        actor=holder.actor,
        kind=reading.kind,
        regions=dict(reading.regions),
        summary=_summary(holder, reading.regions),
        evidence=(Evidence(article.id, sentence.text, sentence.start, sentence.end),),
        speaker=speaker,
        status="extracted",
        rules=tuple(rules),
    )
    return Candidate(claim, tuple(rules))


def _historical_statements(
    article: Article,
    sentence: Sentence,
    mentions: Sequence[RegionMention],
    actors: Sequence[ActorMention],
) -> list[Candidate]:
    """Read "Crimea, annexed by Russia in 2014" as a statement dated that year, not a position."""
    text = sentence.text
    results = []
    opening = _OPENING_YEAR.match(text)
    for act in HISTORICAL_ACT.finditer(text):
        year = PAST_YEAR.search(text, act.end(), min(len(text), act.end() + 45))
        if year is None and opening is not None and opening.end() <= act.start():
            # "In September 2022, Moscow annexed Donetsk, ...": the year opens the sentence.
            year = opening
        if (
            year is None
            or int(year.group("year")) >= article.published.year
            or year.group("decade")
        ):
            continue
        after_year = year is not opening
        near = [m for m in mentions if m.end <= act.start() and act.start() - m.end <= 80][-1:]
        near += [
            m
            for m in mentions
            if m.start >= act.end()
            and m.start - act.end() <= 25
            and (m.end <= year.start() or not after_year)
        ]
        if not after_year:
            # The regions listed after the act: "annexed Donetsk, Luhansk, Kherson and ...".
            near = [m for m in mentions if m.start >= act.end()] or near
        regions = [r for m in near for r in m.regions if r != "kursk"]
        if not regions:
            continue
        when = dt.date(int(year.group("year")), 1, 1)
        rules = (
            f"historical: {act.group()!r} {year.group()!r} -> statement of {when.year}",
            "actor: russia (annexation and occupation of these regions are Russia's)",
            "regions: " + ", ".join(repr(m.text) for m in near),
        )
        holder = ActorMention(0, 0, "Russia", "russia", None)
        claim = Claim(
            id=f"x-{slug(article.id)}-{sentence.start}-history-{act.start()}",
            date=when,
            date_precision="year",
            actor="russia",
            kind="statement",
            regions=dict.fromkeys(dict.fromkeys(regions), "to_russia"),
            summary=_summary(holder, dict.fromkeys(regions, "to_russia")) + f" (in {when.year})",
            evidence=(Evidence(article.id, text, sentence.start, sentence.end),),
            status="extracted",
            rules=rules,
        )
        results.append(Candidate(claim, rules))
        break
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
    # ("the Russian proposal"), the date of that plan.
    refers_back = holder.speaker is None and PLAN_REFERENCE.search(text)
    for key, index, earlier, _kind in reversed(context.recent):
        close = context.index - index <= CARRY_SENTENCES
        if (key == holder.speaker and close) or (
            refers_back and close and key == f"proposal:{holder.actor}"
        ):
            rules.append(f"date {earlier.date.isoformat()} carried from sentence {index + 1}")
            return earlier
    rules.append("date: publication date (no date expression)")
    return DateRef(article.published, "day", "")


_DISPOSITION_WORDS: dict[str, str] = {
    "to_russia": "to Russia",
    "recognized_russian": "recognised as Russian",
    "frozen": "frozen at the line of contact",
    "demilitarized": "demilitarised",
    "exchange": "exchanged",
    "to_ukraine": "stays Ukrainian / no concession",
    "unresolved": "open to negotiation",
}


def _summary(holder: ActorMention, regions: Mapping[str, Disposition]) -> str:
    who = holder.speaker or holder.text
    parts: dict[Disposition, list[str]] = {}
    for region, disposition in regions.items():
        name = "all occupied territory" if region == ALL_OCCUPIED else REGIONS[region].name
        parts.setdefault(disposition, []).append(name)
    return f"{who}: " + "; ".join(
        f"{', '.join(names)}: {_DISPOSITION_WORDS[d]}" for d, names in parts.items()
    )
