"""The JSON API: the same timeline the map shows, and clear 400 answers for bad parameters."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from mapdash.claims import load_claims
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.corpus import load_corpus
from mapdash.errors import ApiError
from mapdash.legend import LEGEND
from mapdash.regions import REGION_IDS
from mapdash.timeline import Selection, Timeline
from mapdash.web import create_app
from mapdash.web.api import state_from_query, state_payload
from mapdash.web.data import AppData
from mapdash.web.maps import paint_data
from mapdash.web.render import screen
from mapdash.web.view import parse_query


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData.load(Paths.default())


def region(payload: dict, region_id: str) -> dict:
    return next(r for r in payload["regions"] if r["id"] == region_id)


def test_state_of_russias_august_offer(client) -> None:
    response = client.get("/api/state?date=2025-08-06&selection=proposal:ru-2025-08-06-donbas")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    payload = response.get_json()
    assert payload["title"] == "Russia, 6 Aug 2025: cede all of Donbas, as of 6 Aug 2025"
    assert payload["event"] == {"date": "2025-08-06", "label": "6 Aug 2025"}
    donetsk = region(payload, "donetsk")
    assert donetsk["disposition"] == "to_russia"
    assert donetsk["fill"] == "#D55E00"
    assert donetsk["legend"] == "To Russia, whole region"
    assert donetsk["claim"] == "ru-2025-08-06-cede-donbas"
    assert region(payload, "kherson")["disposition"] == "frozen"
    assert region(payload, "crimea")["hatched"] is True
    assert region(payload, "kursk")["disposition"] is None
    assert "ru-2025-08-06-donbas" in payload["proposals"]
    assert "ru-2025-08-06-cede-donbas" in payload["on_the_table"]


@pytest.mark.parametrize(
    ("date", "selection"),
    [
        ("2025-02-18", "actor:united_states"),
        ("2025-08-09", "actor:russia"),
        ("2025-08-17", "actor:ukraine"),
        ("2025-12-03", "proposal:us-2025-11-28-points"),
    ],
)
def test_state_paints_what_the_map_paints(client, data, date: str, selection: str) -> None:
    payload = client.get(f"/api/state?date={date}&selection={selection}").get_json()
    view = parse_query(f"?date={date}&sel={selection}", data.timeline)
    paint = paint_data(screen(data, view).left.paint)
    assert [r["id"] for r in payload["regions"]] == list(REGION_IDS)
    assert [r["fill"] for r in payload["regions"]] == [LEGEND[i].fill for i in paint["z"]]
    assert [r["fill"] for r in payload["regions"]] == paint["fill"]


def test_the_apis_query_opens_the_same_view_in_the_page(data) -> None:
    query = "?date=2025-08-17&selection=actor:united_states"
    view = parse_query(query, data.timeline)
    assert view == parse_query("?date=2025-08-17&sel=actor:united_states", data.timeline)
    assert view.selection.token == "actor:united_states"
    # The page's own name wins where an address carries both.
    assert parse_query(query + "&sel=actor:ukraine", data.timeline).selection.token == (
        "actor:ukraine"
    )


def test_state_before_the_first_event_has_nothing_on_the_table(client) -> None:
    payload = client.get("/api/state?date=2000-01-01").get_json()
    assert payload["event"] is None
    assert payload["on_the_table"] == [] and payload["proposals"] == []
    assert {r["disposition"] for r in payload["regions"]} == {None}
    assert {r["fill"] for r in payload["regions"]} == {"#FFFFFF"}


def test_state_defaults_to_the_dashboards_first_view(client, data) -> None:
    payload = client.get("/api/state").get_json()
    assert payload["selection"] == "actor:russia"
    assert payload["date"] == data.timeline.span[1].isoformat()


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        (
            "date=2025-13-01",
            "date",
            r"parameter date='2025-13-01' is not a date; expected YYYY-MM-DD, e.g. 2025-08-10",
        ),
        ("date=9 August 2025", "date", r"parameter date='9 August 2025' is not a date"),
        (
            "selection=actor:nobody",
            "selection",
            r"unknown selection 'actor:nobody'; choose one of: actor:europe, actor:russia",
        ),
        (
            "selection=russia",
            "selection",
            r"selection 'russia' not understood; expected 'actor:<actor id>'",
        ),
        (
            "sel=actor:russia",
            "sel",
            r"unknown parameter\(s\) sel; this endpoint takes: date, selection",
        ),
    ],
)
def test_bad_state_parameters_get_a_400_that_says_why(
    client, query: str, parameter: str, message: str
) -> None:
    response = client.get(f"/api/state?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter
    assert body["status"] == 400
    assert re.search(message, body["error"]), body["error"]


def test_claims_lists_the_claims_file_and_the_slider(client) -> None:
    response = client.get("/api/claims")
    assert response.status_code == 200
    payload = response.get_json()
    claim_set = load_claims()
    assert sorted(c["id"] for c in payload["claims"]) == sorted(c.id for c in claim_set.claims)
    dates = [c["on_table_from"] for c in payload["claims"]]
    assert dates == sorted(dates)
    plan = next(c for c in payload["claims"] if c["id"] == "us-2025-11-28-point-plan")
    assert (plan["date"], plan["date_label"], plan["on_table_from"]) == (
        "2025-11-01",
        "Nov 2025",
        "2025-11-30",
    )
    cede = next(c for c in payload["claims"] if c["id"] == "ru-2025-08-06-cede-donbas")
    assert cede["regions"] == {"donetsk": "to_russia", "luhansk": "to_russia"}
    assert cede["actor"] == "russia" and cede["kind"] == "proposal"
    assert "Donbas" in cede["summary"] or "Donetsk" in cede["summary"]
    published = {a.id: a.published for a in load_corpus().values()}
    timeline = Timeline.from_source(claim_set, published=published)
    assert len(payload["events"]) == len(timeline.events)
    assert payload["events"][0]["date"] <= payload["events"][-1]["date"]
    tokens = [s["selection"] for s in payload["selections"]]
    assert "proposal:ru-2025-08-06-donbas" in tokens and tokens[0] == "actor:russia"


def test_claims_takes_no_parameters(client) -> None:
    response = client.get("/api/claims?actor=russia")
    assert response.status_code == 400
    assert response.get_json()["error"] == ("unknown parameter(s) actor; this endpoint takes: none")


def test_state_payload_is_a_pure_function(data) -> None:
    payload = state_payload(
        data, dt.date(2025, 8, 6), Selection("proposal", "ru-2025-08-06-donbas")
    )
    assert region(payload, "luhansk")["disposition"] == "to_russia"
    with pytest.raises(ApiError, match=r"parameter date='yesterday' is not a date"):
        state_from_query(data, {"date": "yesterday"})


def test_state_carries_the_control_layer_the_map_overlays(geodata_copy) -> None:
    layers = geodata_copy / "control"
    layers.mkdir(exist_ok=True)
    fixture = PROJECT_ROOT / "tests" / "data" / "geojson" / "control" / "control_2025-08-15.geojson"
    shutil.copy(fixture, layers / "control_2025-08-15.geojson")
    app = create_app(paths=Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds"))
    client = app.server.test_client()
    before = client.get("/api/state?date=2025-08-14").get_json()
    assert before["control_layer"] is None
    after = client.get("/api/state?date=2025-08-17").get_json()
    layer = after["control_layer"]
    assert layer["date"] == "2025-08-15"
    assert layer["file"] == "control_2025-08-15.geojson"
    shares = {r["id"]: r["occupied_share"] for r in layer["regions"]}
    assert set(shares) == set(REGION_IDS)
    assert all(0 <= share <= 1 for share in shares.values())
    assert shares["donetsk"] > 0
