"""The view's state as files: /api/state.csv and /api/state.geojson, and the page's links."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json

import pytest
import shapely
from layer_series import LICENCE, SERIES, SOURCE, expected_shares, geodata_with
from shapely.geometry import Point, shape

from mapdash.config import PROJECT_ROOT, Paths
from mapdash.regions import REGION_IDS
from mapdash.timeline import Selection
from mapdash.web import create_app
from mapdash.web.auth import decide_policy
from mapdash.web.state_data import CSV_COLUMNS, state_csv, state_rows, view_links
from mapdash.web.view import View

AUGUST = "date=2025-08-20&selection=actor:russia"


@pytest.fixture(scope="module")
def geodata(tmp_path_factory):
    return geodata_with(tmp_path_factory.mktemp("state"))


@pytest.fixture(scope="module")
def app(geodata):
    # A read-only server: what a viewer on a production server may download.
    return create_app(
        paths=Paths(geodata=geodata, seeds=PROJECT_ROOT / "seeds"),
        access=decide_policy(host="0.0.0.0", production=True),
    )


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _rows(client, query: str) -> list[dict[str, str]]:
    response = client.get(f"/api/state.csv?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_of_the_state_at_a_date_gives_donetsks_row(client):
    response = client.get(f"/api/state.csv?{AUGUST}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="state_actor-russia_2025-08-20.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["region"] for r in rows] == list(REGION_IDS)
    donetsk = next(r for r in rows if r["region"] == "donetsk")
    assert donetsk["date"] == "2025-08-20"
    assert donetsk["selection"] == "actor:russia"
    assert donetsk["disposition"] == "to_russia"
    assert donetsk["legend"] == "To Russia, whole region"
    # The claim in force on 20 Aug 2025 (17 Aug report of the Alaska summit), with its source.
    assert donetsk["claim"] == "ru-2025-08-17-five-regions-admin-lines"
    assert donetsk["claim_actor"] == "Russia"
    assert donetsk["claim_date"] == "2025-08-17"
    assert donetsk["claim_date_label"] == "17 Aug 2025"
    assert donetsk["claim_status"] == "reviewed"
    assert donetsk["claim_sources"].startswith("ABC News (Australia), 17 Aug 2025: ")
    assert "administrative lines" in donetsk["claim_quotes"]
    # Measured on the layer in force (15 Aug 2025), with its recorded source.
    assert donetsk["control_layer_date"] == "2025-08-15"
    assert donetsk["control_layer_file"] == "control_2025-08-15.geojson"
    assert donetsk["control_layer_source"] == f"{SOURCE} ({LICENCE})"
    share = expected_shares(SERIES[1])["donetsk"]
    assert float(donetsk["occupied_share"]) == pytest.approx(share, abs=0.002)
    area, held = float(donetsk["area_km2"]), float(donetsk["occupied_km2"])
    # To Russia whole: the part Ukraine holds would pass to Russia.
    assert donetsk["change_direction"] == "to_russia"
    assert donetsk["change_basis"] == "layer"
    assert float(donetsk["change_km2"]) == pytest.approx(area - held, abs=0.2)
    assert donetsk["control_reported"].startswith("Russia has not captured all of Donetsk")


def test_the_csv_agrees_with_the_json_api(client):
    rows = {r["region"]: r for r in _rows(client, AUGUST)}
    state = client.get(f"/api/state?{AUGUST}").get_json()
    for region in state["regions"]:
        row = rows[region["id"]]
        assert row["disposition"] == (region["disposition"] or "")
        assert row["claim"] == (region["claim"] or "")
        assert row["legend"] == region["legend"]
    for ground in state["on_the_ground"]["regions"]:
        row = rows[ground["region"]]
        assert row["change_direction"] == ground["direction"]
        assert row["change_text"] == ground["text"]


def test_before_any_layer_the_control_columns_are_empty(client):
    donetsk = next(r for r in _rows(client, "date=2025-02-18") if r["region"] == "donetsk")
    assert donetsk["control_layer_date"] == "" and donetsk["occupied_share"] == ""
    assert donetsk["change_basis"] != "layer"


def test_kursk_is_not_said_to_be_held_by_nobody(client):
    kursk = next(r for r in _rows(client, AUGUST) if r["region"] == "kursk")
    # The layers are of occupied Ukraine: they say nothing about who holds Kursk.
    assert kursk["control_layer_date"] == "2025-08-15"
    assert kursk["occupied_km2"] == "" and kursk["occupied_share"] == ""


def test_geojson_of_the_state_gives_donetsks_feature(client):
    response = client.get(f"/api/state.geojson?{AUGUST}")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="state_actor-russia_2025-08-20.geojson"'
    )
    collection = json.loads(response.get_data(as_text=True))
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["region"]: f for f in collection["features"]}
    assert list(features) == list(REGION_IDS)
    donetsk = features["donetsk"]
    props = donetsk["properties"]
    assert props["disposition"] == "to_russia"
    assert props["claim"] == "ru-2025-08-17-five-regions-admin-lines"
    assert props["claim_all_occupied"] is False
    assert props["occupied_share"] == pytest.approx(
        expected_shares(SERIES[1])["donetsk"], abs=0.002
    )
    assert isinstance(props["change_km2"], float)
    assert features["kursk"]["properties"]["claim"] is None
    geometry = shape(donetsk["geometry"])
    # Donetsk city lies in it, Kharkiv does not; RFC 7946 winding (exteriors counter-clockwise).
    assert geometry.contains(Point(37.80, 48.00))
    assert not geometry.contains(Point(36.23, 49.99))
    assert all(shapely.is_ccw(p.exterior) for p in shapely.get_parts(geometry))


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        (
            "date=2025-13-01",
            "date",
            "parameter date='2025-13-01' is not a date; expected YYYY-MM-DD, e.g. 2025-08-10",
        ),
        (
            "selection=actor:nobody",
            "selection",
            "parameter selection: unknown selection 'actor:nobody'; choose one of: actor:",
        ),
        ("format=xlsx", "format", "unknown parameter(s) format; this endpoint takes: date"),
    ],
)
@pytest.mark.parametrize("suffix", ["csv", "geojson"])
def test_bad_parameters_get_a_json_400_naming_the_problem(
    client, query: str, parameter: str, message: str, suffix: str
):
    response = client.get(f"/api/state.{suffix}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["parameter"] == parameter
    assert body["error"].startswith(message)


def test_missing_parameters_take_the_dashboards_default_view(client):
    rows = _rows(client, "")
    # The newest event: the last claim, after the newest layer.
    assert {r["date"] for r in rows} == {"2025-12-03"}
    assert {r["control_layer_date"] for r in rows} == {SERIES[-1].date.isoformat()}
    assert {r["selection"] for r in rows} == {"actor:russia"}


def test_a_spreadsheet_does_not_run_a_claim_summary_as_a_formula(app):
    from mapdash.web.data import AppData

    data = AppData.load(Paths.default())
    [first, *rest] = state_rows(data, dt.date(2025, 8, 20), Selection("actor", "russia"))
    hostile = dataclasses.replace(first, claim_summary='=HYPERLINK("http://x.example","y")')
    written = list(csv.DictReader(io.StringIO(state_csv((hostile, *rest)))))
    assert written[0]["claim_summary"] == '\'=HYPERLINK("http://x.example","y")'
    assert written[1]["claim_summary"] == rest[0].claim_summary


def test_the_pages_links_name_the_views_date_and_selection():
    view = View(date=dt.date(2025, 8, 6), selection=Selection("proposal", "ru-2025-08-06-donbas"))
    assert view_links(view) == (
        "/api/state.csv?date=2025-08-06&selection=proposal:ru-2025-08-06-donbas",
        "/api/state.geojson?date=2025-08-06&selection=proposal:ru-2025-08-06-donbas",
    )
