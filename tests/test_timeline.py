"""The timeline model on small hand-made claims, and on the project's reviewed claims file."""

from __future__ import annotations

import datetime as dt

import pytest

from mapdash.errors import MapdashError
from mapdash.timeline import (
    RegionState,
    Selection,
    Timeline,
    date_window,
    format_date,
    on_the_table_from,
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
        # Dated only "Apr 2025" and reported by no known article: on the table from 30 Apr.
        D(2025, 4, 30),
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
    assert format_date(D(2022, 1, 1), "year") == "2022"


RUSSIA = Selection("actor", "russia")


def _claim(cid, date, kind, regions, *, actor="russia", precision="day", article="a"):
    return Claim(
        id=cid,
        date=date,
        date_precision=precision,
        actor=actor,
        kind=kind,
        regions=regions,
        summary=f"summary of {cid}",
        evidence=(Evidence(article=article, quote=f"quote of {cid}"),),
    )


def test_the_most_recent_claim_decides_and_kind_breaks_ties_on_the_same_date():
    timeline = Timeline(
        [
            _claim("offer", D(2025, 8, 6), "proposal", {"donetsk": "to_russia"}),
            _claim("demand", D(2025, 8, 9), "demand", {"donetsk": "recognized_russian"}),
            _claim("said", D(2025, 8, 9), "statement", {"kherson": "unresolved"}),
            _claim("demand-2", D(2025, 8, 9), "demand", {"kherson": "to_russia"}),
            _claim("all", D(2025, 8, 12), "statement", {"*": "frozen", "donetsk": "to_russia"}),
        ]
    )
    on_10th = {s.region: s for s in timeline.regions(RUSSIA, D(2025, 8, 10))}
    # The later standing demand replaces the earlier offer: the newest word decides.
    assert on_10th["donetsk"].claim.id == "demand"
    assert on_10th["donetsk"].disposition == "recognized_russian"
    # Same date: the demand outranks the statement.
    assert on_10th["kherson"].claim.id == "demand-2"
    on_12th = {s.region: s for s in timeline.regions(RUSSIA, D(2025, 8, 12))}
    # A claim about all occupied territory covers the regions it does not name itself...
    assert (on_12th["kherson"].disposition, on_12th["kherson"].via_all_occupied) == (
        "frozen",
        True,
    )
    assert on_12th["crimea"].disposition == "frozen"
    # ...and its named region keeps the specific term.
    assert (on_12th["donetsk"].disposition, on_12th["donetsk"].via_all_occupied) == (
        "to_russia",
        False,
    )
    assert on_12th["kursk"].disposition is None
    # The newest claims stay on the table even where they decide nothing; the replaced offer
    # (no named proposal) leaves it.
    assert {c.id for c in timeline.state(D(2025, 8, 10)).positions} == {
        "demand",
        "said",
        "demand-2",
    }


def test_on_the_same_date_a_named_region_beats_all_occupied_territory():
    timeline = Timeline(
        [
            _claim("named", D(2025, 8, 9), "position", {"donetsk": "to_russia"}),
            _claim("general", D(2025, 8, 9), "position", {"*": "to_ukraine"}),
        ]
    )
    states = {s.region: s for s in timeline.regions(RUSSIA, D(2025, 8, 9))}
    assert states["donetsk"].claim.id == "named"
    assert states["luhansk"].claim.id == "general"


def test_named_proposals_keep_their_terms_after_their_author_moves_on():
    timeline = Timeline(
        [
            claim("plan", D(2025, 8, 6), "russia", {"donetsk": "to_russia"}, proposal="p"),
            _claim("later", D(2025, 9, 1), "statement", {"*": "unresolved"}),
        ],
        proposals=[Proposal("p", "Russia: plan", "russia", D(2025, 8, 6), "")],
    )
    plan = dispositions(timeline.regions(Selection("proposal", "p"), D(2025, 10, 1)))
    assert plan["donetsk"] == "to_russia" and plan["kherson"] is None
    assert dispositions(timeline.regions(RUSSIA, D(2025, 10, 1)))["donetsk"] == "unresolved"


def test_a_month_claim_is_on_the_table_from_its_first_report_within_the_month():
    published = {"early": D(2025, 11, 21), "late": D(2025, 12, 3)}
    timeline = Timeline(
        [
            _claim(
                "reported",
                D(2025, 11, 1),
                "proposal",
                {"*": "frozen"},
                precision="month",
                article="early",
                actor="united_states",
            ),
            _claim(
                "late",
                D(2025, 10, 1),
                "proposal",
                {"*": "frozen"},
                precision="month",
                article="late",
            ),
            _claim(
                "year",
                D(2022, 1, 1),
                "position",
                {"*": "to_russia"},
                precision="year",
                article="late",
            ),
        ],
        published=published,
    )
    by_id = {c.id: c for c in timeline.claims}
    assert timeline.on_table(by_id["reported"]) == D(2025, 11, 21)
    # Reported only after its month: on the table from the month's last day.
    assert timeline.on_table(by_id["late"]) == D(2025, 10, 31)
    assert timeline.on_table(by_id["year"]) == D(2022, 12, 31)
    assert timeline.reported(by_id["reported"]) == "21 Nov 2025"
    assert timeline.reported(by_id["late"]) == "Oct 2025"
    assert timeline.reported(by_id["year"]) == "2022"
    us = Selection("actor", "united_states")
    assert all(s.claim is None for s in timeline.regions(us, D(2025, 11, 20)))
    assert timeline.not_yet(us, D(2025, 11, 20)) == (
        "No position on the table yet: first reported 21 Nov 2025"
    )
    assert timeline.not_yet(us, D(2025, 11, 21)) is None
    assert [e.label for e in timeline.events] == ["2022", "Oct 2025", "Nov 2025"]


def test_on_the_table_from_windows():
    ev = (Evidence("x", "q"),)
    assert on_the_table_from(D(2025, 2, 1), "month", ev, {"x": D(2025, 2, 18)}) == D(2025, 2, 18)
    assert on_the_table_from(D(2024, 2, 1), "month", ev, {}) == D(2024, 2, 29)
    assert on_the_table_from(D(2025, 8, 6), "day", ev, {"x": D(2025, 8, 9)}) == D(2025, 8, 6)
    assert date_window(D(2025, 11, 1), "month") == (D(2025, 11, 1), D(2025, 11, 30))


@pytest.fixture
def two_years() -> Timeline:
    """Claims over two years, both with a 17 Feb, and a control layer after the last claim."""
    return Timeline(
        [
            _claim("feb-24", D(2024, 2, 17), "position", {"*": "to_russia"}),
            _claim("aug-24", D(2024, 8, 1), "demand", {"donetsk": "to_russia"}),
            _claim("feb-25", D(2025, 2, 17), "position", {"*": "frozen"}),
            _claim("mar-25", D(2025, 3, 2), "statement", {"*": "unresolved"}),
        ],
        layers=[D(2026, 8, 22)],
    )


def test_two_years_marks_say_the_year_where_they_could_be_confused(two_years):
    labels = [e.label for e in two_years.events]
    assert labels == ["17 Feb 2024", "1 Aug", "17 Feb 2025", "2 Mar", "22 Aug 2026"]
    assert len(set(labels)) == len(labels)


def test_two_years_slider_reaches_the_control_layer_after_the_last_claim(two_years):
    last = two_years.events[-1]
    assert (last.date, last.layer, last.claims) == (D(2026, 8, 22), True, ())
    assert last.title == "22 Aug 2026: Control layer"
    assert two_years.span == (D(2024, 2, 17), D(2026, 8, 22))
    assert [e.layer for e in two_years.events] == [False, False, False, False, True]
    # The map at the layer's date still shows the last claims.
    states = dispositions(two_years.regions(RUSSIA, D(2026, 8, 22)))
    assert states["donetsk"] == "unresolved"


def test_two_years_each_rule_over_time(two_years):
    def at(date):
        return {
            s.region: (s.disposition, s.claim.id)
            for s in two_years.regions(RUSSIA, date)
            if s.claim
        }

    assert at(D(2024, 2, 16)) == {}
    assert at(D(2024, 9, 1))["donetsk"] == ("to_russia", "aug-24")
    assert at(D(2024, 9, 1))["kherson"] == ("to_russia", "feb-24")
    assert at(D(2025, 2, 17))["donetsk"] == ("frozen", "feb-25")
    assert two_years.not_yet(RUSSIA, D(2024, 1, 1)) == (
        "No position on the table yet: first reported 17 Feb 2024"
    )


# -- the project's reviewed claims file ----------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> Timeline:
    from mapdash.claims import load_claims
    from mapdash.corpus import load_corpus

    published = {a.id: a.published for a in load_corpus().values()}
    return Timeline.from_source(load_claims(), published=published)


def test_seeds_russia_on_10_august_2025(seeds):
    russia = dispositions(seeds.regions(RUSSIA, D(2025, 8, 10)))
    # 9 Aug: the demand to acknowledge the five regions outranks Putin's statement that day,
    # and replaces the 6 Aug offer (the offer keeps its terms under its own proposal).
    assert {russia[r] for r in ("crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia")} == {
        "recognized_russian"
    }
    assert russia["kursk"] is None
    states = {s.region: s for s in seeds.regions(RUSSIA, D(2025, 8, 10))}
    assert states["donetsk"].claim.id == "ru-2025-08-09-five-regions"
    offer = {
        s.region: s
        for s in seeds.regions(Selection("proposal", "ru-2025-08-06-donbas"), D(2025, 8, 10))
    }
    assert offer["donetsk"].claim.id == "ru-2025-08-06-cede-donbas"
    assert "cede the entire Donbas region" in offer["donetsk"].claim.evidence[0].quote


def test_seeds_russias_map_changes_after_6_august_2025(seeds):
    def russia(date):
        return {s.region: s.claim.id for s in seeds.regions(RUSSIA, date) if s.claim}

    assert russia(D(2025, 8, 6))["donetsk"] == "ru-2025-08-06-cede-donbas"
    assert russia(D(2025, 8, 9))["donetsk"] == "ru-2025-08-09-five-regions"
    assert russia(D(2025, 8, 17))["kherson"] == "ru-2025-08-17-five-regions-admin-lines"
    assert russia(D(2025, 12, 2))["donetsk"] == "ru-2025-12-02-donbas-100"


def test_seeds_united_states_on_17_august_2025(seeds):
    """The same-day report of Trump pressing Ukraine to give up Donbas replaces the April plan."""
    us = {s.region: s for s in seeds.regions(Selection("actor", "united_states"), D(2025, 8, 17))}
    assert (us["donetsk"].disposition, us["donetsk"].claim.id) == (
        "to_russia",
        "us-2025-08-17-trump-donbas",
    )
    assert us["luhansk"].disposition == "to_russia"
    # The other regions: Witkoff's "land swap" said of all occupied territory the same day.
    assert (us["kherson"].disposition, us["kherson"].claim.id, us["kherson"].via_all_occupied) == (
        "exchange",
        "us-2025-08-17-witkoff-land-swap",
        True,
    )
    assert not [s for s in us.values() if s.claim and s.claim.proposal == "us-2025-04"]
    # The day before, Trump's 9 Aug "exchanges of territories" was the newest word.
    before = dispositions(seeds.regions(Selection("actor", "united_states"), D(2025, 8, 16)))
    assert before["donetsk"] == "exchange"


def test_seeds_month_claim_reported_within_its_month(seeds):
    by_id = {c.id: c for c in seeds.claims}
    feb = by_id["us-2025-02-pre-2014-borders-unrealistic"]
    # Dated "Feb 2025"; the Reuters report of 18 Feb 2025 is the first to carry it.
    assert seeds.on_table(feb) == D(2025, 2, 18)
    assert seeds.reported(feb) == "18 Feb 2025"
    assert dispositions(seeds.regions(Selection("actor", "united_states"), D(2025, 2, 17))) == {
        r: None for r in ("crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk")
    }
    # Reported only in August: the April plan is on the table from the end of April.
    april = by_id["us-2025-04-witkoff-plan"]
    assert seeds.on_table(april) == D(2025, 4, 30)
    assert seeds.reported(april) == "Apr 2025"


def test_seeds_the_28_point_plan_before_its_date(seeds):
    plan = Selection("proposal", "us-2025-11-28-points")
    # Reported on 3 Dec as "leaked last month": not on the table before 30 Nov 2025.
    assert all(s.claim is None for s in seeds.regions(plan, D(2025, 11, 15)))
    assert seeds.not_yet(plan, D(2025, 11, 15)) == (
        "Not yet proposed: first reported Nov 2025, on the map from 30 Nov 2025"
    )
    assert seeds.not_yet(plan, D(2025, 11, 30)) is None
    option = next(o for o in seeds.options() if o.selection == plan)
    assert option.available_from == D(2025, 11, 30)


def test_seeds_on_20_february_2025_no_august_claim_is_visible(seeds):
    state = seeds.state(D(2025, 2, 20))
    assert state.claims, "some claims predate February 2025"
    assert all(seeds.on_table(c) <= D(2025, 2, 20) for c in state.claims + state.positions)
    assert not [c for c in state.claims if c.date.month == 8 and c.date.year == 2025]
    assert [p.id for p in state.proposals] == []
    for option in seeds.options():
        for region_state in seeds.regions(option.selection, D(2025, 2, 20)):
            assert region_state.claim is None or region_state.claim.date <= D(2025, 2, 20)


def test_seeds_april_2025_us_proposal_freezes_the_line(seeds):
    plan = dispositions(seeds.regions(Selection("proposal", "us-2025-04"), D(2025, 4, 30)))
    assert {plan[r] for r in ("donetsk", "luhansk", "kherson", "zaporizhzhia")} == {"frozen"}
    assert plan["crimea"] == "recognized_russian"
    before = seeds.regions(Selection("proposal", "us-2025-04"), D(2025, 4, 29))
    assert all(s.disposition is None for s in before)


def test_seeds_alaska_week_russia_and_the_five_regions_demand(seeds):
    alaska = D(2025, 8, 17)
    assert dispositions(seeds.regions(RUSSIA, alaska))["donetsk"] == "to_russia"
    five = dispositions(seeds.regions(Selection("proposal", "ru-five-regions-admin-lines"), alaska))
    assert all(five[r] == "to_russia" for r in ("crimea", "donetsk", "luhansk", "kherson"))
    # Before Alaska, Russia's mapped position is the November 2024 "no major concessions".
    assert dispositions(seeds.regions(RUSSIA, D(2024, 11, 30)))["donetsk"] == "frozen"
    assert dispositions(seeds.regions(RUSSIA, D(2024, 11, 29)))["donetsk"] == "to_russia"


def test_seeds_control_and_transfer_beyond_the_line(seeds):
    control = seeds.control_at(D(2025, 12, 3))
    donetsk = [f for f in control if f.region == "donetsk"]
    assert [f.id for f in donetsk] == ["ctl-2025-12-03-donetsk-ukraine"]
    state = {s.region: s for s in seeds.regions(RUSSIA, D(2025, 12, 3))}
    transfer = transfer_beyond_line(state["donetsk"], control, region_area_km2=26_600)
    assert (transfer.area_km2, transfer.bound) == (5000.0, "at_least")
    luhansk = transfer_beyond_line(state["luhansk"], control, region_area_km2=26_300)
    assert luhansk.area_km2 == 0.0


def test_every_region_has_a_control_report_once_an_article_gives_one(seeds):
    """Crimea's is in other words than "controls": "its control over Crimea, which it annexed"."""
    before = {f.region for f in seeds.control_at(D(2025, 8, 8))}
    after = {f.region: f for f in seeds.control_at(D(2025, 8, 9))}
    assert "crimea" not in before
    assert set(after) >= {"crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk"}
    assert (after["crimea"].holder, after["crimea"].share) == ("russia", 1.0)


def test_seeds_events_span_and_labels(seeds):
    events = seeds.events
    assert events[0].date == D(2022, 10, 31) and events[0].label == "Oct 2022"
    assert [e.label for e in events if e.date.year == 2025][:2] == ["17 Feb 2025", "18 Feb"]
    assert D(2025, 8, 17) in [e.date for e in events]
    assert seeds.span[1] == D(2025, 12, 3)
    assert len({e.label for e in events}) == len(events)


def test_a_later_control_fact_without_a_figure_does_not_hide_the_figure():
    figured = fact("figured", "donetsk", D(2025, 8, 9), "russia", share=0.75, bound="about")
    unstated = fact("unstated", "donetsk", D(2025, 9, 1), "russia")
    newer = fact("newer", "donetsk", D(2025, 10, 1), "russia", area=20_000.0)
    timeline = Timeline([], control=[figured, unstated])
    assert [f.id for f in timeline.control_at(D(2025, 9, 5))] == ["figured"]
    timeline = Timeline([], control=[figured, unstated, newer])
    assert [f.id for f in timeline.control_at(D(2025, 10, 5))] == ["newer"]
    only = Timeline([], control=[unstated])
    assert [f.id for f in only.control_at(D(2025, 9, 5))] == ["unstated"]
