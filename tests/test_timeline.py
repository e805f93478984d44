"""The timeline model on small hand-made claims, and on the project's reviewed claims file."""

from __future__ import annotations

import datetime as dt

import pytest

from mapdash.errors import MapdashError
from mapdash.timeline import (
    RegionState,
    Selection,
    Timeline,
    format_date,
    transfer_beyond_line,
)
from mapdash.types import Claim, ControlFact, Evidence, Proposal

D = dt.date


def claim(cid, date, actor, regions, *, proposal=None, precision="day", summary="s"):
    return Claim(
        id=cid,
        date=date,
        date_precision=precision,
        actor=actor,
        kind="proposal",
        regions=regions,
        summary=summary,
        evidence=(Evidence(article="a", quote=f"quote of {cid}"),),
        proposal=proposal,
    )


def fact(fid, region, date, holder, *, area=None, share=None, bound="exact"):
    return ControlFact(
        id=fid,
        region=region,
        date=date,
        holder=holder,
        summary=fid,
        evidence=(),
        area_km2=area,
        share=share,
        bound=bound,
    )


@pytest.fixture
def small() -> Timeline:
    return Timeline(
        [
            claim(
                "ru-aug",
                D(2025, 8, 6),
                "russia",
                {"donetsk": "to_russia", "luhansk": "to_russia"},
                proposal="ru-donbas",
            ),
            claim(
                "ru-old",
                D(2025, 2, 18),
                "russia",
                {"*": "to_russia", "crimea": "recognized_russian"},
            ),
            claim(
                "us-apr",
                D(2025, 4, 1),
                "united_states",
                {"*": "frozen"},
                precision="month",
                proposal="us-april",
            ),
            claim("ua-no", D(2025, 8, 9), "ukraine", {"*": "to_ukraine"}),
            claim("talk", D(2025, 12, 2), "russia", {}),
        ],
        proposals=[
            Proposal(
                "ru-donbas", "Russia, 6 Aug 2025: cede all of Donbas", "russia", D(2025, 8, 6), ""
            ),
            Proposal(
                "us-april",
                "United States, Apr 2025: freeze the line",
                "united_states",
                D(2025, 4, 1),
                "",
            ),
        ],
        control=[
            fact("lu-full", "luhansk", D(2025, 8, 9), "russia", share=1.0),
            fact("do-5000", "donetsk", D(2025, 12, 3), "ukraine", area=5000, bound="at_least"),
        ],
    )


def dispositions(states):
    return {s.region: s.disposition for s in states}


def test_latest_claim_per_region_decides(small):
    russia = dispositions(small.regions(Selection("actor", "russia"), D(2025, 8, 10)))
    assert russia == {
        "crimea": "recognized_russian",
        "donetsk": "to_russia",
        "luhansk": "to_russia",
        "kherson": "to_russia",
        "zaporizhzhia": "to_russia",
        "kursk": None,
    }


def test_region_state_names_the_deciding_claim(small):
    states = {s.region: s for s in small.regions(Selection("actor", "russia"), D(2025, 8, 10))}
    assert states["donetsk"].claim.id == "ru-aug"
    assert states["kherson"].claim.id == "ru-old"
    assert states["kherson"].via_all_occupied
    assert not states["kursk"].mentioned


def test_nothing_later_than_the_date_is_visible(small):
    russia = small.regions(Selection("actor", "russia"), D(2025, 2, 20))
    assert {s.claim.id for s in russia if s.claim} == {"ru-old"}
    state = small.state(D(2025, 2, 20))
    assert [c.id for c in state.claims] == ["ru-old"]
    assert state.proposals == ()
    assert state.control == ()


def test_before_the_first_claim_nothing_is_mentioned(small):
    assert all(
        s.disposition is None for s in small.regions(Selection("actor", "russia"), D(2025, 1, 1))
    )


def test_proposal_selection_uses_only_its_claims(small):
    us = dispositions(small.regions(Selection("proposal", "us-april"), D(2025, 8, 10)))
    assert set(us.values()) == {"frozen", None}
    assert us["kursk"] is None
    donbas = dispositions(small.regions(Selection("proposal", "ru-donbas"), D(2025, 8, 10)))
    assert donbas["donetsk"] == "to_russia" and donbas["crimea"] is None


def test_state_lists_positions_newest_first_and_proposals_on_the_table(small):
    state = small.state(D(2025, 8, 10))
    assert [c.id for c in state.positions] == ["ua-no", "ru-aug", "us-apr", "ru-old"]
    assert [p.id for p in state.proposals] == ["ru-donbas", "us-april"]
    assert [f.id for f in state.control] == ["lu-full"]


def test_events_are_the_dated_claims_and_control_facts(small):
    events = small.events
    assert [e.date for e in events] == [
        D(2025, 2, 18),
        D(2025, 4, 1),
        D(2025, 8, 6),
        D(2025, 8, 9),
        D(2025, 12, 2),
        D(2025, 12, 3),
    ]
    assert events[1].label == "Apr 2025"
    assert events[2].label == "6 Aug"
    assert events[3].title == "9 Aug 2025: Ukraine"
    assert small.span == (D(2025, 2, 18), D(2025, 12, 3))
    assert small.event_index(D(2025, 8, 10)) == 3
    assert small.event_index(D(2024, 1, 1)) == 0


def test_options_list_actors_then_proposals(small):
    tokens = [o.selection.token for o in small.options()]
    assert tokens == [
        "actor:russia",
        "actor:united_states",
        "actor:ukraine",
        "actor:europe",
        "proposal:us-april",
        "proposal:ru-donbas",
    ]
    assert small.describe(Selection("actor", "united_states")) == "United States' position"


def test_selection_tokens_round_trip_and_bad_ones_are_explained(small):
    assert Selection.parse("proposal:ru-donbas") == Selection("proposal", "ru-donbas")
    with pytest.raises(MapdashError, match=r"selection 'russia' not understood; expected 'actor:"):
        Selection.parse("russia")
    with pytest.raises(MapdashError, match=r"unknown selection 'proposal:nope'; choose one of: "):
        small.check(Selection("proposal", "nope"))


def test_differences_between_two_selections(small):
    date = D(2025, 8, 10)
    left = small.regions(Selection("actor", "russia"), date)
    right = small.regions(Selection("proposal", "ru-donbas"), date)
    assert small.differences(left, right) == ("crimea", "kherson", "zaporizhzhia")


def test_transfer_beyond_line():
    donetsk = RegionState("donetsk", "to_russia")
    facts = [fact("do", "donetsk", D(2025, 12, 3), "ukraine", area=5000, bound="at_least")]
    transfer = transfer_beyond_line(donetsk, facts, region_area_km2=26_600)
    assert transfer is not None
    assert (transfer.area_km2, transfer.bound) == (5000, "at_least")
    assert transfer.note == "Would hand over at least 5,000 km2 that Ukraine holds"

    luhansk = RegionState("luhansk", "to_russia")
    full = [fact("lu", "luhansk", D(2025, 8, 9), "russia", share=1.0)]
    nothing = transfer_beyond_line(luhansk, full, region_area_km2=26_300)
    assert nothing.area_km2 == 0
    assert nothing.note == "Nothing beyond the line: Russia already holds all of it"

    russia_holds = [fact("lu", "luhansk", D(2025, 8, 9), "russia", area=20_000, bound="at_least")]
    t = transfer_beyond_line(luhansk, russia_holds, region_area_km2=26_300)
    assert (round(t.area_km2), t.bound) == (6300, "at_most")

    assert (
        transfer_beyond_line(RegionState("kherson", "to_russia"), facts, region_area_km2=1) is None
    )
    assert (
        transfer_beyond_line(RegionState("donetsk", "to_ukraine"), facts, region_area_km2=1) is None
    )
    frozen = transfer_beyond_line(RegionState("donetsk", "frozen"), facts, region_area_km2=1)
    assert frozen.area_km2 == 0


def test_format_date():
    assert format_date(D(2025, 8, 6)) == "6 Aug 2025"
    assert format_date(D(2025, 4, 1), "month") == "Apr 2025"


def test_an_offer_outranks_a_later_standing_demand_and_same_date_statement():
    timeline = Timeline(
        [
            claim("offer", D(2025, 8, 6), "russia", {"donetsk": "to_russia"}),
            Claim(
                id="demand",
                date=D(2025, 8, 9),
                date_precision="day",
                actor="russia",
                kind="demand",
                regions={"donetsk": "recognized_russian"},
                summary="s",
                evidence=(),
            ),
            Claim(
                id="said",
                date=D(2025, 8, 9),
                date_precision="day",
                actor="russia",
                kind="statement",
                regions={"kherson": "unresolved"},
                summary="s",
                evidence=(),
            ),
            Claim(
                id="demand-2",
                date=D(2025, 8, 9),
                date_precision="day",
                actor="russia",
                kind="demand",
                regions={"kherson": "to_russia"},
                summary="s",
                evidence=(),
            ),
        ]
    )
    states = {s.region: s for s in timeline.regions(Selection("actor", "russia"), D(2025, 8, 10))}
    assert states["donetsk"].claim.id == "offer"
    assert states["kherson"].claim.id == "demand-2"
    # The newest claims stay on the table even where they decide nothing.
    assert {c.id for c in timeline.state(D(2025, 8, 10)).positions} == {
        "offer",
        "demand",
        "said",
        "demand-2",
    }


# -- the project's reviewed claims file ----------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Timeline:
    from mapdash.claims import load_claims

    return Timeline.from_source(load_claims())


RUSSIA = Selection("actor", "russia")


def test_seeds_russia_on_10_august_2025(seeds):
    russia = dispositions(seeds.regions(RUSSIA, D(2025, 8, 10)))
    assert russia["donetsk"] == "to_russia"
    assert russia["luhansk"] == "to_russia"
    assert russia["crimea"] == "recognized_russian"
    assert russia["kursk"] is None
    states = {s.region: s for s in seeds.regions(RUSSIA, D(2025, 8, 10))}
    assert states["donetsk"].claim.id == "ru-2025-08-06-cede-donbas"
    assert "cede the entire Donbas region" in states["donetsk"].claim.evidence[0].quote


def test_seeds_on_20_february_2025_no_august_claim_is_visible(seeds):
    state = seeds.state(D(2025, 2, 20))
    assert state.claims, "some claims predate February 2025"
    assert all(c.date <= D(2025, 2, 20) for c in state.claims + state.positions)
    assert not [c for c in state.claims if c.date.month == 8 and c.date.year == 2025]
    assert [p.id for p in state.proposals] == []
    for option in seeds.options():
        for region_state in seeds.regions(option.selection, D(2025, 2, 20)):
            assert region_state.claim is None or region_state.claim.date <= D(2025, 2, 20)


def test_seeds_april_2025_us_proposal_freezes_the_line(seeds):
    plan = dispositions(seeds.regions(Selection("proposal", "us-2025-04"), D(2025, 4, 30)))
    assert {plan[r] for r in ("donetsk", "luhansk", "kherson", "zaporizhzhia")} == {"frozen"}
    assert plan["crimea"] == "recognized_russian"
    before = seeds.regions(Selection("proposal", "us-2025-04"), D(2025, 3, 31))
    assert all(s.disposition is None for s in before)


def test_seeds_alaska_week_russia_and_the_five_regions_demand(seeds):
    alaska = D(2025, 8, 17)
    assert dispositions(seeds.regions(RUSSIA, alaska))["donetsk"] == "to_russia"
    five = dispositions(seeds.regions(Selection("proposal", "ru-five-regions-admin-lines"), alaska))
    assert all(five[r] == "to_russia" for r in ("crimea", "donetsk", "luhansk", "kherson"))
    # Before Alaska, Russia's mapped position is the November 2024 "no major concessions".
    assert dispositions(seeds.regions(RUSSIA, D(2024, 11, 30)))["donetsk"] == "frozen"


def test_seeds_control_and_transfer_beyond_the_line(seeds):
    control = seeds.control_at(D(2025, 12, 3))
    donetsk = [f for f in control if f.region == "donetsk"]
    assert [f.id for f in donetsk] == ["ctl-2025-12-03-donetsk-ukraine"]
    state = {s.region: s for s in seeds.regions(RUSSIA, D(2025, 12, 3))}
    transfer = transfer_beyond_line(state["donetsk"], control, region_area_km2=26_600)
    assert (transfer.area_km2, transfer.bound) == (5000.0, "at_least")
    luhansk = transfer_beyond_line(state["luhansk"], control, region_area_km2=26_300)
    assert luhansk.area_km2 == 0.0


def test_seeds_events_span_and_labels(seeds):
    events = seeds.events
    assert events[0].date == D(2022, 10, 1) and events[0].label == "Oct 2022"
    assert D(2025, 8, 17) in [e.date for e in events]
    assert seeds.span[1] == D(2025, 12, 3)
