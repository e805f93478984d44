"""One live data holder: claims, articles and layers changed on disk go live without a restart."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import run_server

from mapdash import store
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.web import create_app, ids
from mapdash.web.holder import LiveData
from mapdash.web.live import LiveGeodata

NEW_DATE = "2025-09-20"


@pytest.fixture
def paths(geodata_copy: Path, tmp_path: Path) -> Paths:
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    return Paths(geodata=geodata_copy, seeds=seeds)


def _add_claim_by_hand(geodata_dir: Path) -> None:
    """An editor's edit of claims.yaml: a copy of a reviewed claim, reported on a new date."""
    path = geodata_dir / "claims.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    claim = copy.deepcopy(data["claims"][-1])
    claim.update(id="hand-edited-claim", date=NEW_DATE, date_precision="day")
    data["claims"].append(claim)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def _event_dates(held: LiveData) -> set[str]:
    return {event.date.isoformat() for event in held.timeline.events}


def test_a_claim_added_by_hand_goes_live(paths: Paths) -> None:
    held = LiveData(paths, LiveGeodata(paths.geodata), min_interval=0)
    claims, version = len(held.timeline.claims), held.version
    assert NEW_DATE not in _event_dates(held)
    _add_claim_by_hand(paths.geodata)
    assert len(held.timeline.claims) == claims + 1
    assert NEW_DATE in _event_dates(held)
    assert held.version != version
    assert held.problem is None


def test_a_broken_claims_file_leaves_the_last_good_claims_live(paths: Paths) -> None:
    held = LiveData(paths, LiveGeodata(paths.geodata), min_interval=0)
    claims = len(held.timeline.claims)
    path = paths.geodata / "claims.yaml"
    good = path.read_text("utf-8")
    path.write_text(good + "\nclaims: [unclosed\n", "utf-8")
    assert len(held.timeline.claims) == claims
    assert held.problem is not None
    assert "the previous claims and articles stay live" in held.problem
    assert held.left_out[0] == held.problem
    path.write_text(good, "utf-8")
    _add_claim_by_hand(paths.geodata)
    assert len(held.timeline.claims) == claims + 1 and held.problem is None


def test_a_layer_installed_while_running_becomes_a_slider_mark(paths: Paths, data_dir) -> None:
    live = LiveGeodata(paths.geodata, min_interval=0)
    held = LiveData(paths, live, min_interval=0)
    assert "2025-09-01" not in _event_dates(held)
    layer = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    store.install(layer, date=dt.date(2025, 9, 1), geodata_dir=paths.geodata)
    marks = {e.date.isoformat(): e for e in held.timeline.events}
    assert marks["2025-09-01"].layer


def _component(tree: object, component_id: str) -> dict | None:
    if isinstance(tree, dict):
        if tree.get("props", {}).get("id") == component_id:
            return tree
        return _component(tree.get("props", {}).get("children"), component_id)
    if isinstance(tree, list):
        for child in tree:
            found = _component(child, component_id)
            if found is not None:
                return found
    return None


def _poll(client, built: str, search: str) -> dict:
    body = {
        "output": f"..{ids.DATA_VERSION}.data...{ids.GEODATA_ALERT}.children..",
        "outputs": [
            {"id": ids.DATA_VERSION, "property": "data"},
            {"id": ids.GEODATA_ALERT, "property": "children"},
        ],
        "inputs": [
            {"id": ids.DATA_POLL, "property": "n_intervals", "value": 3},
            {"id": ids.FIRST_DRAWN, "property": "data", "value": True},
        ],
        "changedPropIds": [f"{ids.DATA_POLL}.n_intervals"],
        "state": [
            {"id": ids.DATA_VERSION, "property": "data", "value": None},
            {"id": ids.PAGE_DATA, "property": "data", "value": built},
            {"id": ids.URL, "property": "search", "value": search},
        ],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_json()["response"]


def test_a_page_opened_before_a_change_offers_a_refresh_and_a_new_page_has_the_date(
    paths: Paths,
) -> None:
    client = create_app(paths=paths).server.test_client()

    def opened() -> tuple[str, list]:
        layout = client.get("/_dash-layout").get_json()
        slider = _component(layout, ids.SLIDER)["props"]
        return _component(layout, ids.PAGE_DATA)["props"]["data"], list(slider["marks"])

    built, marks = opened()
    assert "stale-page" not in json.dumps(_poll(client, built, "?date=2025-08-17"))
    _add_claim_by_hand(paths.geodata)
    time.sleep(1.1)  # the files are looked at again once a second
    alert = json.dumps(_poll(client, built, "?date=2025-08-17"))
    assert "The data changed since this page was opened." in alert
    assert '"href": "?date=2025-08-17"' in alert
    now, new_marks = opened()
    assert now != built and len(new_marks) == len(marks) + 1
    assert "stale-page" not in json.dumps(_poll(client, now, "?date=2025-08-17"))


def _health(url: str) -> dict:
    with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
        return json.loads(response.read())


def test_a_claims_file_changed_by_hand_goes_live_in_both_workers(paths: Paths, tmp_path) -> None:
    env = {"MAPDASH_SEEDS": str(paths.seeds)}
    args = ("--production", "--workers", "2")
    with run_server(tmp_path, geodata=paths.geodata, args=args, env=env) as server:

        def counts_by_worker(until: float, want: int | None = None) -> dict[int, int]:
            seen: dict[int, int] = {}
            while time.monotonic() < until:
                body = _health(server.url)
                seen[body["worker"]] = body["claims"]
                if len(seen) == 2 and (want is None or set(seen.values()) == {want}):
                    break
            return seen

        before = counts_by_worker(time.monotonic() + 30)
        assert len(before) == 2, "one worker answered every request"
        (claims,) = set(before.values())
        _add_claim_by_hand(paths.geodata)
        after = counts_by_worker(time.monotonic() + 15, want=claims + 1)
        assert after == dict.fromkeys(before, claims + 1)


def test_an_answer_follows_a_claims_change_for_a_view_it_had_answered(paths: Paths) -> None:
    # The dashboard keeps each view's maps and cards per version of the claims: an edit on
    # disk reaches the very next answer for a view that was answered, and kept, before it.
    from mapdash.web.callbacks import Dashboard

    live = LiveGeodata(paths.geodata, min_interval=0)
    dashboard = Dashboard(LiveData(paths, live, min_interval=0), live)
    search = "?date=2025-12-02&sel=actor:russia"

    def cards() -> str:
        # From a page built from other claims: the answer brings the whole side panel.
        answer = dashboard.respond(
            None,
            None,
            search=search,
            playing=False,
            page_book=None,
            shown=None,
            page=(live.snapshot().regions_version, "an older version"),
        )
        return str(answer["cards"])

    before = cards()
    assert "Kremlin keeps" in before and "EDITED BY HAND" not in before
    path = paths.geodata / "claims.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "ru-2025-12-02-donbas-100")
    claim["summary"] = "EDITED BY HAND: " + claim["summary"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    after = cards()
    assert "EDITED BY HAND: After the Putin-Witkoff meeting" in after
