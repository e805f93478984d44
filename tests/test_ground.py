"""What a selection would mean on the ground: km2 per region from a control layer or articles."""

from __future__ import annotations

import datetime as dt

import pytest

from mapdash.briefing import BriefingMap, make_briefing, region_summary
from mapdash.figures import hover_text, notice_annotations, paint_regions
from mapdash.ground import LayerFigures, on_the_ground
from mapdash.legend import UNREVIEWED_TEXT
from mapdash.timeline import RegionState, Selection, Timeline
from mapdash.types import Claim, ControlFact, Evidence

D = dt.date
LAYER = LayerFigures(
    date=D(2026, 8, 22),
    source="control_2026-08-22.geojson",
    held={
        "crimea": (27_000.0, 27_000.0),
        "donetsk": (26_600.0, 20_271.0),
        "luhansk": (26_300.0, 26_000.0),
        "kherson": (26_200.0, 19_000.0),
        "zaporizhzhia": (27_100.0, 20_000.0),
        "kursk": (30_100.0, 0.0),
    },
)
AREAS = {region: area for region, (area, _) in LAYER.held.items()}


def states(**dispositions):
    return [RegionState(region, disposition) for region, disposition in dispositions.items()]


def fact(region, holder, *, area=None, share=None, bound="exact"):
    return ControlFact(
        id=f"{region}-{holder}",
        region=region,
        date=D(2025, 12, 3),
        holder=holder,
        summary=f"{holder} holds part of {region}",
        evidence=(),
        area_km2=area,
        share=share,
        bound=bound,
    )


def test_measured_on_the_layer_per_disposition_with_a_total():
    ground = on_the_ground(
        states(
            crimea="recognized_russian",
            donetsk="to_russia",
            luhansk="frozen",
            kherson="to_ukraine",
            zaporizhzhia="exchange",
            kursk=None,
        ),
        facts=[],
        areas=AREAS,
        layer=LAYER,
    )
    rows = {row.region: row for row in ground.rows}
    assert rows["donetsk"].text == (
        "6,329 km2 Ukraine holds would pass to Russia (measured, control layer of 22 Aug 2026 "
        "(control_2026-08-22.geojson))"
    )
    assert (rows["donetsk"].direction, rows["donetsk"].basis) == ("to_russia", "layer")
    assert rows["crimea"].what == "nothing changes hands: Russia holds all of it"
    assert rows["luhansk"].what == "nothing changes hands; the line is drawn on the map"
    assert rows["kherson"].what == "19,000 km2 Russia holds would return to Ukraine"
    assert rows["zaporizhzhia"].what == "no figure can be given"
    assert rows["kursk"].what == ""
    assert ground.to_russia_km2 == pytest.approx(6_329)
    assert ground.to_ukraine_km2 == pytest.approx(19_000)
    assert ground.total == (
        "Total: 6,329 km2 to Russia, 19,000 km2 to Ukraine (measured on the control layer of "
        "22 Aug 2026 (control_2026-08-22.geojson))."
    )
    data = ground.to_data()
    assert data["basis"] == "layer" and data["layer_date"] == "2026-08-22"
    assert data["regions"][1]["km2"] == 6329.0


def test_without_a_layer_article_figures_are_labelled_and_gaps_named():
    ground = on_the_ground(
        states(donetsk="to_russia", luhansk="to_russia", kherson="frozen", crimea="to_ukraine"),
        facts=[
            fact("donetsk", "ukraine", area=5_000, bound="at_least"),
            fact("luhansk", "russia", share=1.0),
        ],
        areas=AREAS,
        layer=None,
    )
    rows = {row.region: row for row in ground.rows}
    assert rows["donetsk"].text == (
        "at least 5,000 km2 Ukraine holds would pass to Russia (article figure: ukraine holds "
        "part of donetsk)"
    )
    assert rows["luhansk"].what == "nothing changes hands"
    assert rows["kherson"].what.startswith("nothing changes hands at the line of contact (no ")
    assert rows["crimea"].what == (
        "the part Russia holds would return to Ukraine; no article gives a figure"
    )
    assert ground.total == (
        "Total: at least 5,000 km2 to Russia, an area no figure gives to Ukraine (article "
        "figures); no figure for Crimea."
    )


def test_a_russian_region_falls_back_to_the_articles_even_with_a_layer():
    ground = on_the_ground(
        states(kursk="to_russia"),
        facts=[fact("kursk", "ukraine", area=10.4, bound="about")],
        areas=AREAS,
        layer=LAYER,
    )
    (row,) = ground.rows
    assert (row.basis, row.what) == ("article", "about 10 km2 Ukraine holds would pass to Russia")
    assert ground.total.endswith(
        "(measured on the control layer of 22 Aug 2026 (control_2026-08-22.geojson) and "
        "article figures)."
    )


def _claim(cid, *, status="reviewed"):
    return Claim(
        id=cid,
        date=D(2025, 12, 2),
        date_precision="day",
        actor="russia",
        kind="demand",
        regions={"donetsk": "to_russia"},
        summary="s",
        evidence=(Evidence("a", "the quote"),),
        status=status,
    )


def test_unreviewed_claims_are_outlined_and_said_so_in_the_hover():
    extracted = RegionState("donetsk", "to_russia", _claim("x", status="extracted"))
    reviewed = RegionState("luhansk", "to_russia", _claim("y"))
    paint = paint_regions([extracted, reviewed])
    assert paint.unreviewed == (False, True, False, False, False, False)
    assert UNREVIEWED_TEXT in hover_text(extracted, {})
    assert UNREVIEWED_TEXT not in hover_text(reviewed, {})


def test_the_notice_is_an_annotation_over_the_map():
    assert notice_annotations("") == []
    (note,) = notice_annotations("Not yet proposed: first reported 21 Nov 2025")
    assert (note["text"], note["xref"], note["showarrow"]) == (
        "Not yet proposed: first reported 21 Nov 2025",
        "paper",
        False,
    )


def test_the_export_region_summary_carries_the_same_figures():
    timeline = Timeline([_claim("ru")])
    briefing = make_briefing(
        timeline, {}, Selection("actor", "russia"), D(2026, 8, 22), layer=LAYER, areas=AREAS
    )
    assert region_summary(briefing.maps[0]) == (
        "Donetsk: to Russia, whole region. On the ground: Donetsk 6,329 km2 to Russia. Total: "
        "6,329 km2 to Russia, 0 km2 to Ukraine (measured on the control layer of 22 Aug 2026 "
        "(control_2026-08-22.geojson))."
    )
    early = make_briefing(timeline, {}, Selection("actor", "russia"), D(2025, 1, 1))
    assert region_summary(early.maps[0]) == (
        "No position on the table yet: first reported 2 Dec 2025"
    )
    assert region_summary(BriefingMap("h", D(2025, 1, 1), ())) == (
        "The selection names no region by this date."
    )


def test_the_export_region_summary_names_regions_decided_by_unreviewed_claims():
    timeline = Timeline([_claim("ru", status="extracted")])
    briefing = make_briefing(timeline, {}, Selection("actor", "russia"), D(2025, 12, 3))
    assert region_summary(briefing.maps[0]).endswith(
        "Dotted outline, decided by a machine-extracted claim not yet reviewed: Donetsk."
    )
