"""One test per family of extraction rules, on sentences written for the test.

Each case is a short article; the test asserts every claim it yields: actor, regions with their
dispositions, and kind. None of these sentences is in the seeds or in the development corpus.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mapdash.errors import MapdashError
from mapdash.extract import extract_article, render_candidates
from mapdash.extract.registry import load_registry, parse_registry
from mapdash.types import Article

PUBLISHED = dt.date(2025, 10, 8)  # a Wednesday


def _claims(text: str) -> set[tuple[str, tuple[tuple[str, str], ...], str]]:
    article = Article(id="t", title="t", outlet="o", published=PUBLISHED, text=text)
    return {
        (c.claim.actor, tuple(sorted(c.claim.regions.items())), c.claim.kind)
        for c in extract_article(article).claims
    }


def _r(**regions: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(("*" if k == "anywhere" else k, v) for k, v in regions.items()))


CASES = {
    # -- attribution: the holder is the subject of the verb, not the first name in the sentence
    "quote attributed after it": (
        "\u201cUkraine's army has to leave the Zaporizhzhia region,\u201d Lavrov told reporters.",
        {("russia", _r(zaporizhzhia="to_russia"), "demand")},
    ),
    "speaker named after the verb": (
        "Kyiv must hand over Kherson, said Kremlin spokesman Dmitry Peskov.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "speaker in the sentence before a quotation": (
        "Rubio spoke to journalists in Geneva on Monday. \u201cWe want the fighting frozen along "
        "the current front line,\u201d he said.",
        {("united_states", _r(anywhere="frozen"), "demand")},
    ),
    "an office for its side": (
        "The Ukrainian foreign minister refused to recognise Crimea as Russian.",
        {("ukraine", _r(crimea="to_ukraine"), "rejection")},
    ),
    "the author of a plan": (
        "A Kremlin proposal would see Kyiv give up Luhansk.",
        {("russia", _r(luhansk="to_russia"), "proposal")},
    ),
    # -- nesting: reported speech gives the position to whoever holds it
    "reported speech nests": (
        "Zelensky said Moscow demanded Donetsk, and he rejected it.",
        {
            ("russia", _r(donetsk="to_russia"), "demand"),
        },
    ),
    "a refusal of another side's plan gives two claims": (
        "Ukraine rejected Russia's offer to freeze the front line in Kherson.",
        {
            ("russia", _r(kherson="frozen"), "proposal"),
            ("ukraine", _r(kherson="to_ukraine"), "rejection"),
        },
    ),
    # -- rejection and negation: the one who refuses keeps the territory
    # -- a consequence warned of: a warning against what the condition names, not a demand
    "a warned consequence of giving up a region": (
        "If Ukraine gives up Donetsk, the war will not end, Starmer warned.",
        {("united_kingdom", _r(donetsk="to_ukraine"), "rejection")},
    ),
    "a threat if a region is not given up stays a demand": (
        "If Ukraine does not withdraw from Donetsk, Russia will take it by force, Putin warned.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    # -- expecting a named other side to do something is demanding it
    "expecting the other side to withdraw": (
        "The Kremlin expects Ukraine to withdraw its troops from Zaporizhzhia.",
        {("russia", _r(zaporizhzhia="to_russia"), "demand")},
    ),
    "expecting, in the progressive": (
        "Putin is expecting Kyiv to give up Luhansk, his aide said.",
        {("russia", _r(luhansk="to_russia"), "demand")},
    ),
    # -- "hand X to Moscow" is giving X up, with or without "over"
    "handing a region to Moscow": (
        "The Kremlin demands that Kyiv hand Luhansk to Moscow.",
        {("russia", _r(luhansk="to_russia"), "demand")},
    ),
    "handing two regions to Russia, refused": (
        "Zelensky said Ukraine would never hand Donetsk and Zaporizhzhia to Russia.",
        {("ukraine", _r(donetsk="to_ukraine", zaporizhzhia="to_ukraine"), "rejection")},
    ),
    "on the other hand is no handing over": (
        "On the other hand, Luhansk to Moscow is a long drive, Peskov said.",
        set(),
    ),
    "refusal to cede": (
        "Kyiv will never cede the Donbas, Yermak said.",
        {("ukraine", _r(donetsk="to_ukraine", luhansk="to_ukraine"), "rejection")},
    ),
    "Russia refusing a swap keeps its region": (
        "The Kremlin ruled out any swap of territory involving the Kursk region.",
        {("russia", _r(kursk="to_russia"), "rejection")},
    ),
    "a negation after the verb": (
        "Ushakov said Russia would give back no territory in the Kherson region.",
        {("russia", _r(kherson="to_russia"), "rejection")},
    ),
    "trading land for peace refused": (
        "Sybiha said Kyiv would not trade Kherson for peace.",
        {("ukraine", _r(kherson="to_ukraine"), "rejection")},
    ),
    "who keeps a region": (
        "Zelensky said Ukraine would keep Zaporizhzhia.",
        {("ukraine", _r(zaporizhzhia="to_ukraine"), "position")},
    ),
    "a plan put forward by someone": (
        "Witkoff floated a plan under which Russia would keep Crimea.",
        {("united_states", _r(crimea="to_russia"), "proposal")},
    ),
    "a plan's author named after it": (
        "Under the plan drafted by Witkoff, Ukraine would withdraw from Donetsk.",
        {("united_states", _r(donetsk="to_russia"), "proposal")},
    ),
    "calling another side's demand unacceptable": (
        "Ukrainian officials called the Russian demand to leave Donbas unacceptable.",
        {
            ("russia", _r(donetsk="to_russia", luhansk="to_russia"), "demand"),
            ("ukraine", _r(donetsk="to_ukraine", luhansk="to_ukraine"), "rejection"),
        },
    ),
    "refusing to discuss a region": (
        "Lavrov said Moscow was not prepared to discuss the status of Crimea.",
        {("russia", _r(crimea="to_russia"), "rejection")},
    ),
    "not having discussed a region is no position": (
        "Trump said he had not discussed Donetsk with Zelensky.",
        set(),
    ),
    "a holder named after the position holds that one only": (
        "Kyiv wants the front line frozen where it is, rather than Ukraine ceding Luhansk as "
        "Moscow demands.",
        {
            ("ukraine", _r(anywhere="frozen"), "demand"),
            ("russia", _r(luhansk="to_russia"), "demand"),
        },
    ),
    # -- a negative evaluation of a concession is a refusal by whoever evaluates it
    "giving up a region called a mistake": (
        "Polish Prime Minister Donald Tusk said that pressing Kyiv to give up Kherson would be "
        "a grave mistake.",
        {("poland", _r(kherson="to_ukraine"), "rejection")},
    ),
    "a concession said to embolden the aggressor": (
        "Starmer argued that making Ukraine abandon Luhansk would embolden the aggressor.",
        {("united_kingdom", _r(luhansk="to_ukraine"), "rejection")},
    ),
    "cautioning against a concession": (
        "Macron cautioned against Ukraine handing over Zaporizhzhia.",
        {("france", _r(zaporizhzhia="to_ukraine"), "rejection")},
    ),
    "warning against a deal that would cede a region": (
        "Kallas warned against any deal that forces Kyiv to cede Kherson.",
        {("europe", _r(kherson="to_ukraine"), "rejection")},
    ),
    "cautioning against a freeze": (
        "Rubio cautioned against a ceasefire that would freeze the front line in Donetsk.",
        {("united_states", _r(donetsk="to_ukraine"), "rejection")},
    ),
    "warning someone against seizing land is no position on a region": (
        "Merz warned Putin against seizing more land.",
        set(),
    ),
    "a concession with a neutral consequence stays a position": (
        "Merz said that Ukraine ceding Donetsk would end the war.",
        {("germany", _r(donetsk="to_russia"), "position")},
    ),
    # -- clauses of opposite polarity are two positions
    "ready for one thing, refusing another (semicolon)": (
        "Moscow is willing to freeze the front line in Zaporizhzhia; it will never give back "
        "Crimea, Peskov said.",
        {
            ("russia", _r(zaporizhzhia="frozen"), "proposal"),
            ("russia", _r(crimea="to_russia"), "rejection"),
        },
    ),
    "ready for one thing, refusing another (', but')": (
        "Ukraine could accept a ceasefire along the existing line of contact, Sybiha said, but "
        "Kyiv will never recognise Crimea as Russian.",
        {
            ("ukraine", _r(anywhere="frozen"), "position"),
            ("ukraine", _r(crimea="to_ukraine"), "rejection"),
        },
    ),
    "two refusals stay one rejection": (
        "Kyiv will not cede Donetsk and will not recognise Crimea as Russian.",
        {("ukraine", _r(donetsk="to_ukraine", crimea="to_ukraine"), "rejection")},
    ),
    # -- nominal cues: a withdrawal named a precondition
    "a withdrawal named a condition": (
        "\u201cThe withdrawal of Russian troops from Zaporizhzhia remains our condition,\u201d "
        "Yermak told journalists.",
        {("ukraine", _r(zaporizhzhia="to_ukraine"), "demand")},
    ),
    "a withdrawal named a prerequisite": (
        "\u201cUkraine's withdrawal from Kherson is a prerequisite for any deal,\u201d Peskov "
        "told reporters.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "the condition of something is no demand": (
        "Peskov said the condition of roads in Donetsk is poor.",
        set(),
    ),
    # -- every form of a verb of giving up ("giving up" has no "give" in it)
    "a verb of giving up in its -ing form": (
        "Kyiv is giving up Kherson under the plan, Rubio said.",
        {("united_states", _r(kherson="to_russia"), "position")},
    ),
    # -- a freeze: the line and 'frozen' apart by a phrase naming regions
    "a line across regions to be frozen": (
        "Finnish President Alexander Stubb has proposed that the line of contact across "
        "Zaporizhzhia and Donetsk be frozen.",
        {("finland", _r(zaporizhzhia="frozen", donetsk="frozen"), "proposal")},
    ),
    "something else frozen after the line": (
        "The front line moved again near Pokrovsk and Russian assets stay frozen in Europe.",
        set(),
    ),
    # -- refusing someone's demand: the demand stays a demand
    "a refusal of the demand named before": (
        "Putin demands Kherson. Sybiha turned down the demand, saying Kyiv will never surrender "
        "any land.",
        {
            ("russia", _r(kherson="to_russia"), "demand"),
            ("russia", _r(anywhere="to_russia"), "demand"),
            ("ukraine", _r(anywhere="to_ukraine"), "rejection"),
        },
    ),
    "the giver is not the author of the demand": (
        "Zelensky rejected Russia's demand to give up Luhansk.",
        {
            ("russia", _r(luhansk="to_russia"), "demand"),
            ("ukraine", _r(luhansk="to_ukraine"), "rejection"),
        },
    ),
    # -- conditionals: a demand stated as a condition
    "a condition is what is demanded": (
        "Moscow said it would stop its offensive only if Ukraine withdrew from Donetsk.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    "a threat unless the other side does not withdraw": (
        "Russia threatened new attacks if Kyiv did not pull its troops out of Luhansk.",
        {("russia", _r(luhansk="to_russia"), "demand")},
    ),
    # -- anaphora: "the region" refers back to the region named last
    "the region named before": (
        "Fighting continued around Pokrovsk in the Donetsk region. Putin insisted that "
        "Ukraine withdraw from the region.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    # -- plans in list form: one claim per provision, attributed to the plan's author
    "a plan in list form": (
        "The White House plan contains these provisions:\n"
        "1. Crimea is recognised as Russian.\n"
        "2. Kherson and Zaporizhzhia are frozen along the line of contact.\n"
        "3. Both sides exchange prisoners.\n",
        {
            ("united_states", _r(crimea="recognized_russian"), "proposal"),
            ("united_states", _r(kherson="frozen", zaporizhzhia="frozen"), "proposal"),
        },
    ),
    "a list plan's author named after the plan, the provisions' subjects bound by it": (
        "The framework drawn up by Witkoff and his team says:\n"
        "1. Donetsk and Luhansk will be recognised as de facto Russian.\n"
        "2. Ukrainian troops will pull out of the Donetsk region.\n"
        "3. Russia will give back the land it holds outside the four regions.\n",
        {
            (
                "united_states",
                _r(donetsk="recognized_russian", luhansk="recognized_russian"),
                "proposal",
            ),
            ("united_states", _r(donetsk="to_russia"), "proposal"),
            ("united_states", _r(anywhere="to_ukraine"), "proposal"),
        },
    ),
    "an indefinite plan with its author after it": (
        "A draft circulated by American officials would freeze the front line in Kherson.",
        {("united_states", _r(kherson="frozen"), "proposal")},
    ),
    "a counter-proposal is its authors', not the plan it answers": (
        "European leaders have put forward a counter-proposal to the Russian plan that would "
        "start talks from the current line of contact.",
        {("europe", _r(anywhere="frozen"), "proposal")},
    ),
    "the status of regions as Russian, with the republics' abbreviations": (
        "Lavrov insisted that the status of the DPR, the LPR and Crimea as part of Russia be "
        "written into any treaty.",
        {
            (
                "russia",
                _r(
                    crimea="recognized_russian",
                    donetsk="recognized_russian",
                    luhansk="recognized_russian",
                ),
                "demand",
            )
        },
    ),
    "territory swapped, as a verb": (
        "Witkoff suggested that the two sides might exchange some land.",
        {("united_states", _r(anywhere="exchange"), "proposal")},
    ),
    "a plan noun defined right after it refers to no earlier plan": (
        "The Witkoff plan would freeze the front line in Zaporizhzhia.\n"
        "Zelensky rejected the idea of a buffer zone in Donetsk.",
        {
            ("united_states", _r(zaporizhzhia="frozen"), "proposal"),
            ("ukraine", _r(donetsk="to_ukraine"), "rejection"),
        },
    ),
    "a speaker with an adverb before the verb, and the one told is not the speaker": (
        "Ukraine must leave Kherson, Lavrov reportedly told Rubio.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "a pronoun stands for an office named before it": (
        "Rubio met Lavrov in Riyadh. The Ukrainian foreign minister said he would never cede "
        "Crimea.",
        {("ukraine", _r(crimea="to_ukraine"), "rejection")},
    ),
    "pressing a side to give up land is a demand": (
        "Washington is pressing Kyiv to accept the loss of Luhansk.",
        {("united_states", _r(luhansk="to_russia"), "demand")},
    ),
    "hand a region to Moscow": (
        "Zelensky said Ukraine would not hand Zaporizhzhia to Moscow.",
        {("ukraine", _r(zaporizhzhia="to_ukraine"), "rejection")},
    ),
    "give Moscow control: the one given control receives": (
        "The Kremlin's plan would give Moscow control over Kherson.",
        {("russia", _r(kherson="to_russia"), "proposal")},
    ),
    "a number's comma ends no phrase": (
        "Putin demanded that Kyiv surrender the 5,000 square kilometres of Donetsk it holds.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    "a year opening the sentence makes it history": (
        "In 2014, Russia seized Crimea.",
        {("russia", _r(crimea="to_russia"), "statement")},
    ),
    "a contrasting clause does not inherit the regions named before it": (
        "Moscow wants all of Donbas, while Kyiv proposes a freeze along the current front line.",
        {
            ("russia", _r(donetsk="to_russia", luhansk="to_russia"), "demand"),
            ("ukraine", _r(anywhere="frozen"), "proposal"),
        },
    ),
    "a demand not made is no position": (
        "The Russian side did not demand the whole of Kherson, a Ukrainian official said.",
        set(),
    ),
    "a feared outcome is no position": (
        "Kyiv's allies fear that a deal would hand Luhansk to Moscow.",
        set(),
    ),
    "a threat to take a region by force claims it": (
        "Putin said Russia would seize Zaporizhzhia by military means.",
        {("russia", _r(zaporizhzhia="to_russia"), "position")},
    ),
    "a headline gives its speaker before a colon": (
        "Zakharova: Kyiv must leave Zaporizhzhia",
        {("russia", _r(zaporizhzhia="to_russia"), "demand")},
    ),
    "under a side's plan": (
        "Ukraine would cede Kherson under the Russian plan.",
        {("russia", _r(kherson="to_russia"), "proposal")},
    ),
    "giving up a claim to a region gives up the region": (
        "Kyiv would give up its claim to Crimea.",
        {("ukraine", _r(crimea="to_russia"), "position")},
    ),
    "full control of regions demanded": (
        "Moscow's demands include full control of the Luhansk region.",
        {("russia", _r(luhansk="to_russia"), "demand")},
    ),
    "a side's suggestion, traded for land, and its dismissal": (
        "Moscow dismissed Kyiv's suggestion that Kursk be traded for occupied land.",
        {
            ("ukraine", _r(kursk="exchange"), "proposal"),
            ("russia", _r(kursk="to_russia"), "rejection"),
        },
    ),
    "an economic zone in a region is a demilitarised one": (
        "Washington proposes a free economic zone in Donetsk.",
        {("united_states", _r(donetsk="demilitarized"), "proposal")},
    ),
    "withdrawing to create a demilitarised zone is the zone": (
        "Kyiv offered to pull troops out of Zaporizhzhia to create a demilitarised zone.",
        {("ukraine", _r(zaporizhzhia="demilitarized"), "proposal")},
    ),
    "claiming regions as a verb; 'claimed that' reports speech": (
        "Lavrov said Russia would claim the Kherson region. Pushilin claimed that Kyiv was losing.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "a dropped demand is no demand": (
        "According to Yermak, the U.S. side no longer insists that Kyiv withdraw from Donbas.",
        set(),
    ),
    "a region referred to by 'it' after the verb": (
        "Zelensky said Putin wanted all of Donbas, and that Ukraine would not give it up.",
        {
            ("russia", _r(donetsk="to_russia", luhansk="to_russia"), "demand"),
            ("ukraine", _r(donetsk="to_ukraine", luhansk="to_ukraine"), "rejection"),
        },
    ),
    "reported speech nests: what the other leader would agree to is his": (
        "Trump told Zelensky that Putin would agree to freeze the front in Kherson if Ukraine "
        "handed over Donetsk.",
        {("russia", _r(kherson="frozen", donetsk="to_russia"), "proposal")},
    ),
    "a demand for the whole of a region, rejected by two sides": (
        "Ukraine and its European allies rejected Moscow's demand for the whole of Luhansk.",
        {
            ("russia", _r(luhansk="to_russia"), "demand"),
            ("ukraine", _r(luhansk="to_ukraine"), "rejection"),
            ("europe", _r(luhansk="to_ukraine"), "rejection"),
        },
    ),
    "a past year in another reported clause does not make the position history": (
        "Stubb said Finland had lost Karelia in 1944 and that Ukraine should not have to give "
        "up Crimea.",
        {("finland", _r(crimea="to_ukraine"), "rejection")},
    ),
    "a relative clause goes on with the plan": (
        "The US plan envisages Ukrainian troops pulling out of Donetsk, which would be turned "
        "into a demilitarised zone.",
        {("united_states", _r(donetsk="demilitarized"), "proposal")},
    ),
    "returning a region, refused": (
        "Russia will never return Crimea, Zakharova said.",
        {("russia", _r(crimea="to_russia"), "rejection")},
    ),
    "territorial lines frozen": (
        "Vance said the plan would freeze the territorial lines close to where they are.",
        {("united_states", _r(anywhere="frozen"), "position")},
    ),
    "'the president' after a quotation stands for the one named before": (
        "Zelensky spoke after the talks. \u201cWe will not give away Kherson,\u201d the president "
        "said.",
        {("ukraine", _r(kherson="to_ukraine"), "rejection")},
    ),
    "a pronoun stands for the subject of the sentence before, not its object": (
        "Lavrov met Rubio in Riyadh. He said Kyiv must leave Kherson.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "a condition offered by the side it favours is its demand": (
        "If Ukraine pulls out of Donbas, Russia will stop the war, Putin told Trump.",
        {("russia", _r(donetsk="to_russia", luhansk="to_russia"), "demand")},
    ),
    "expecting a side to withdraw is demanding it": (
        "Putin expected Kyiv to withdraw from Zaporizhzhia.",
        {("russia", _r(zaporizhzhia="to_russia"), "demand")},
    ),
    "a list plan without a named author gives nothing": (
        "A draft plan was published:\n- Crimea is recognised as Russian.\n",
        set(),
    ),
    # -- history: not a current position, but a statement dated that year
    "annexation in a past year": (
        "Russia annexed Crimea in 2014.",
        {("russia", _r(crimea="to_russia"), "statement")},
    ),
    "a past year in a relative clause does not date the position": (
        "Putin wants Zaporizhzhia, which Russia annexed in 2022, to be recognised as Russian.",
        {
            ("russia", _r(zaporizhzhia="recognized_russian"), "demand"),
            ("russia", _r(zaporizhzhia="to_russia"), "statement"),
        },
    ),
    "a historical cession is no position": (
        "Finland ceded part of its territory in the 1940s, Stubb said.",
        set(),
    ),
    # -- no position: questions, indirect questions, topics of talks
    "a question": ("Will Ukraine give up the Donbas?", set()),
    "an indirect question": (
        "It is unclear whether Russia would hand back land in the Kharkiv region.",
        set(),
    ),
    # -- general forms of cues that once were one article's wording
    "a negated verb of satisfaction is a rejection": (
        "Ukrainian officials said they were not happy with a proposal under which Kyiv would "
        "surrender Donetsk.",
        {("ukraine", _r(donetsk="to_ukraine"), "rejection")},
    ),
    "stopping where the armies stand is a freeze": (
        "Both armies should stop exactly where they stand in Zaporizhzhia, Trump told "
        "reporters on Monday.",
        {("united_states", _r(zaporizhzhia="frozen"), "demand")},
    ),
    "writing a region into the constitution is history": (
        "Kherson was enshrined in the Russian constitution in 2022, the agency noted.",
        {("russia", _r(kherson="to_russia"), "statement")},
    ),
    "declaring regions Russian": (
        "Medvedev declared Kherson and Zaporizhzhia to be Russian.",
        {("russia", _r(kherson="to_russia", zaporizhzhia="to_russia"), "position")},
    ),
    "the one a verb of feeling affects is its object, not the holder": (
        "The Kremlin angered Kyiv by demanding Donetsk.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    "a hedged readiness is still an offer": (
        "Moscow is reportedly prepared to freeze the front line in Kherson.",
        {("russia", _r(kherson="frozen"), "proposal")},
    ),
    # -- Kursk is Russia's own region: Russia leaving it hands nothing to Ukraine
    "Russia withdrawing from Kursk is no claim on it": (
        "Lavrov said Russian troops would withdraw from the Kursk region once the fighting ended.",
        set(),
    ),
    "Ukraine leaving Kursk returns it to Russia": (
        "Ukraine withdrew from the Kursk region, Budanov said.",
        {("ukraine", _r(kursk="to_russia"), "position")},
    ),
    # -- a refusal of a deal reaches into the deal's relative clause
    "refusing a deal that would recognise a region": (
        "Kallas said Europe would not accept a deal that recognised Crimea as Russian, EU "
        "diplomats said.",
        {("europe", _r(crimea="to_ukraine"), "rejection")},
    ),
    "refusing to sign an agreement that would cede a region": (
        "Kyiv will never sign any agreement that would cede Luhansk, Yermak said.",
        {("ukraine", _r(luhansk="to_ukraine"), "rejection")},
    ),
    # -- held-out wire-style sentences: attribution, nesting, conditionals, hedges, anaphora
    "an official's title after the quote": (
        "Ukraine will not give up Zaporizhzhia under any deal, Foreign Minister Andrii Sybiha "
        "told a news conference in Kyiv on Tuesday.",
        {("ukraine", _r(zaporizhzhia="to_ukraine"), "rejection")},
    ),
    "a demand reported by the other side": (
        "Zelensky said the Kremlin was still demanding that Kyiv hand over Kherson, a demand "
        "he called absurd.",
        {("russia", _r(kherson="to_russia"), "demand")},
    ),
    "a demand relayed through a third side": (
        "Umerov said Washington had relayed Moscow's demand that Kyiv leave Donetsk.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    "a condition told to state media": (
        "Russia would halt its offensive if Ukrainian forces pulled out of Luhansk, Ushakov "
        "told state media.",
        {("russia", _r(luhansk="to_russia"), "demand")},
    ),
    "the region two sentences on": (
        "Fighting raged near Kramatorsk in the Donetsk region. Peskov said Moscow expected "
        "Kyiv to withdraw from the region.",
        {("russia", _r(donetsk="to_russia"), "demand")},
    ),
    "the one a plan would see give up land is no holder": (
        "The Witkoff plan would see Ukraine give up Donetsk.",
        {("united_states", _r(donetsk="to_russia"), "proposal")},
    ),
    "alarm at a plan is a rejection of what it would do": (
        "European leaders were alarmed by the plan, which would see Kyiv cede Luhansk.",
        {("europe", _r(luhansk="to_ukraine"), "rejection")},
    ),
    "worry about a freeze": (
        "Kyiv is worried about a deal that would freeze the front line in Kherson.",
        {("ukraine", _r(kherson="to_ukraine"), "rejection")},
    ),
    "an annexation with a later clause": (
        "Russia annexed Crimea in 2014 after a referendum that the West called illegitimate.",
        {("russia", _r(crimea="to_russia"), "statement")},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_rule_family(name):
    text, expected = CASES[name]
    assert _claims(text) == expected


def test_every_candidate_explains_itself():
    article = Article(
        id="wire-7",
        title="t",
        outlet="o",
        published=PUBLISHED,
        text="Peskov said on Tuesday that Ukraine must leave the Donetsk region.",
    )
    extraction = extract_article(article)
    (candidate,) = extraction.claims
    assert candidate.claim.rules == candidate.rules
    assert "cue 'give up territory': 'leave'" in candidate.rules
    assert any(r.startswith("actor: subject of 'said': 'Peskov'") for r in candidate.rules)
    assert "date 2025-10-07 (day) from 'Tuesday'" in candidate.rules
    table = render_candidates([extraction])
    assert "x-wire-7-0-russia  2025-10-07 russia demand: donetsk=to_russia" in table
    assert 'span: wire-7[0:66] "Peskov said on Tuesday that Ukraine must leave' in table
    assert "rules: cue 'give up territory': 'leave'; actor: subject of 'said'" in table


def test_speakers_come_from_the_registry_file():
    registry = load_registry()
    sides = {s.name: s.side for s in registry.speakers}
    assert sides["Dmitry Peskov"] == sides["Kirill Dmitriev"] == "russia"
    assert sides["Rustem Umerov"] == sides["Kyrylo Budanov"] == "ukraine"
    assert sides["Dan Driscoll"] == sides["Jared Kushner"] == "united_states"
    assert sides["Friedrich Merz"] == "germany" and sides["Kaja Kallas"] == "europe"
    assert "finland" in registry.actors


def test_a_bad_registry_entry_is_named():
    data = {"sides": {"russia": {"names": ["Russia"]}}, "speakers": [{"name": "X", "side": "mars"}]}
    with pytest.raises(MapdashError, match=r"speakers.yaml: speaker 1: expected the fields"):
        parse_registry(data)
    data["speakers"] = [{"name": "X Y", "side": "mars", "match": "Y"}]
    with pytest.raises(MapdashError, match=r"speaker 1 \(X Y\): unknown side 'mars'"):
        parse_registry(data)
    data["speakers"] = [{"name": "X Y", "side": "russia", "match": "(Y"}]
    with pytest.raises(MapdashError, match=r"speaker 1 \(X Y\): bad match pattern"):
        parse_registry(data)
    with pytest.raises(MapdashError, match=r"expected a mapping with 'sides' and 'speakers'"):
        parse_registry([])


def test_an_extracted_rejection_reaches_the_timeline():
    from mapdash.timeline import Selection, Timeline

    article = Article(
        id="wire-8",
        title="t",
        outlet="o",
        published=PUBLISHED,
        text="Zelensky rejected any withdrawal from the Donetsk region on Tuesday.",
    )
    (candidate,) = extract_article(article).claims
    assert (candidate.claim.kind, candidate.claim.status) == ("rejection", "extracted")
    timeline = Timeline([candidate.claim])
    states = timeline.regions(Selection("actor", "ukraine"), PUBLISHED)
    assert {s.region: s.disposition for s in states}["donetsk"] == "to_ukraine"


CONTROL_CASES = {
    "a side controls regions listed together": (
        "Russia controls Crimea and parts of Kherson, Ukrainian officials said.",
        {("crimea", "russia"), ("kherson", "russia")},
    ),
    "a side still holds much of a region": (
        "Kyiv still holds much of the Zaporizhzhia region.",
        {("zaporizhzhia", "ukraine")},
    ),
    "an occupied region": (
        "A missile hit a school in occupied Luhansk on Sunday.",
        {("luhansk", "russia")},
    ),
    "control that is the object of a demand is a claim, no fact": (
        "Peskov said any settlement must recognise Russia's control over Donetsk.",
        set(),
    ),
    "control denied is no fact": ("Russia does not control all of Zaporizhzhia.", set()),
}

#: Figures: (region, holder, share) for each fact.
SHARE_CASES = {
    "all of a region is the whole of it": (
        "Moscow now holds all of the Luhansk region, the governor said.",
        {("luhansk", "russia", 1.0)},
    ),
    "a share of each region listed": (
        "Russian troops occupy about 75% of both Kherson and Zaporizhzhia.",
        {("kherson", "russia", 0.75), ("zaporizhzhia", "russia", 0.75)},
    ),
    "full control denied": ("Russia has yet to fully occupy Donetsk.", set()),
    "an area of Ukraine as a whole": (
        "Russia controls roughly 19% of Ukraine.",
        {("ukraine", "russia", 0.19)},
    ),
    "an area converted in brackets is one fact": (
        "Ukraine still controls about 20% of Donetsk, some 5,000 square kilometres "
        "(1,930 square miles).",
        {("donetsk", "ukraine", 0.2)},
    ),
}


@pytest.mark.parametrize("name", list(SHARE_CASES))
def test_control_shares(name):
    text, expected = SHARE_CASES[name]
    article = Article(id="t", title="t", outlet="o", published=PUBLISHED, text=text)
    facts = [f.fact for f in extract_article(article).control if f.fact.share is not None]
    assert {(f.region, f.holder, f.share) for f in facts} == expected


@pytest.mark.parametrize("name", list(CONTROL_CASES))
def test_control_named_without_a_figure(name):
    text, expected = CONTROL_CASES[name]
    article = Article(id="t", title="t", outlet="o", published=PUBLISHED, text=text)
    facts = extract_article(article).control
    assert {(f.fact.region, f.fact.holder) for f in facts} == expected
    for fact in facts:
        assert (fact.fact.area_km2, fact.fact.share) == (None, None)
        assert fact.fact.summary.endswith("or part of it (no figure stated)")
        assert fact.rules[0].startswith("control named without a figure: ")
    if facts:
        assert "an unstated part" in render_candidates([extract_article(article)])


def test_an_area_converted_in_brackets_is_one_fact():
    text = "Kyiv still holds about 6,600 square kilometres (2,500 square miles) of Donetsk."
    article = Article(id="t", title="t", outlet="o", published=PUBLISHED, text=text)
    facts = [f.fact for f in extract_article(article).control]
    assert [(f.region, f.holder, f.area_km2, f.bound) for f in facts] == [
        ("donetsk", "ukraine", 6600.0, "about")
    ]


def test_control_since_a_year_holds_at_publication_and_a_kept_figure_is_no_claim():
    text = (
        "Russia has occupied Crimea since 2014. Russia controls roughly 116,000 square "
        "kilometres of Ukraine. Kyiv retains control of about a quarter of the Donetsk region."
    )
    article = Article(id="t", title="t", outlet="o", published=PUBLISHED, text=text)
    extraction = extract_article(article)
    facts = {(f.fact.region, f.fact.holder, f.fact.date) for f in extraction.control}
    assert ("crimea", "russia", PUBLISHED) in facts
    area = [f.fact for f in extraction.control if f.fact.area_km2 is not None]
    assert [(f.region, f.holder, f.area_km2) for f in area] == [("ukraine", "russia", 116000.0)]
    assert [c.claim.kind for c in extraction.claims] == ["statement"]  # the 2014 occupation
