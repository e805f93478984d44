"""A small read-only JSON API over the same timeline the map shows.

``GET /api/claims`` lists the claims, proposals, control facts, events and selections;
``GET /api/state?date=YYYY-MM-DD&selection=actor:russia`` gives each region's disposition, colour
and deciding claim at a date, exactly as the dashboard's map paints it. Bad parameters get a 400
answer whose JSON names the parameter, what arrived and what is expected.

The payload builders are pure functions of the loaded data, so they are tested without a server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import flask

from ..claims import claim_to_data, control_to_data, proposal_to_data
from ..errors import ApiError, SelectionError
from ..ground import on_the_ground
from ..legend import legend_entry
from ..regions import REGIONS
from ..timeline import Selection, Timeline, format_date
from .data import AppData
from .live import LiveGeodata, Snapshot
from .render import claim_when, layer_figures, map_side
from .view import default_view

CLAIMS_PATH = "/api/claims"
STATE_PATH = "/api/state"
_STATE_PARAMETERS = ("date", "selection")


def _check_parameters(args: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        expected = ", ".join(allowed) if allowed else "none"
        raise ApiError(
            f"unknown parameter(s) {', '.join(unknown)}; this endpoint takes: {expected}",
            parameter=unknown[0],
        )


def parse_api_date(value: str) -> dt.date:
    """Read the ``date`` parameter (YYYY-MM-DD).

    Raises
    ------
    ApiError
        If it is not a calendar date in that form.
    """
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ApiError(
            f"parameter date={value!r} is not a date; expected YYYY-MM-DD, e.g. 2025-08-10",
            parameter="date",
        ) from None


def parse_api_selection(value: str, timeline: Timeline) -> Selection:
    """Read the ``selection`` parameter (``actor:<id>`` or ``proposal:<id>``).

    Raises
    ------
    ApiError
        If it has another shape or names no known actor or proposal (the message lists them).
    """
    try:
        return timeline.check(Selection.parse(value))
    except SelectionError as err:
        raise ApiError(f"parameter selection: {err}", parameter="selection") from None


def claims_payload(timeline: Timeline) -> dict[str, Any]:
    """Return everything the timeline holds, as JSON-ready data.

    Parameters
    ----------
    timeline
        The dashboard's timeline.

    Returns
    -------
    dict
        ``claims`` (the claims file's shape plus ``date_label``, e.g. "Nov 2025", and
        ``on_table_from``, the first day the map shows them, in that order), ``proposals`` and
        ``control`` in date order,
        ``events`` (the slider's dates) and ``selections`` (what ``/api/state`` accepts).
    """
    return {
        "claims": [
            {
                **claim_to_data(c),
                "date_label": format_date(c.date, c.date_precision),
                "on_table_from": timeline.on_table(c).isoformat(),
            }
            for c in timeline.claims
        ],
        "proposals": [
            proposal_to_data(p) for p in sorted(timeline.proposals.values(), key=lambda p: p.date)
        ],
        "control": [control_to_data(f) for f in timeline.control],
        "events": [
            {
                "date": e.date.isoformat(),
                "label": e.label,
                "title": e.title,
                "control_layer": e.layer,
            }
            for e in timeline.events
        ],
        "selections": [
            {
                "selection": o.selection.token,
                "label": o.label,
                "available_from": o.available_from.isoformat() if o.available_from else None,
            }
            for o in timeline.options()
        ],
    }


def _layer_payload(snapshot: Snapshot, date: dt.date) -> dict[str, Any] | None:
    layer = snapshot.layer_at(date)
    if layer is None:
        return None
    return {
        "date": layer.date.isoformat(),
        "file": layer.file_name,
        "regions": [
            {
                "id": m.region,
                "occupied_km2": round(m.occupied_km2, 1),
                "occupied_share": round(m.occupied_share, 4),
            }
            for m in snapshot.measured.get(layer.date, ())
        ],
    }


def state_payload(
    data: AppData, date: dt.date, selection: Selection, *, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """Return the map's state at a date under a selection, as JSON-ready data.

    Parameters
    ----------
    data
        The dashboard's data.
    date
        Any date; events after it are not yet known.
    selection
        Whose map: an actor's latest position or a named proposal.
    snapshot
        The live geodata, for the control layer the map overlays at the date (None: no layer).

    Returns
    -------
    dict
        ``date``, ``event`` (the slider mark in force, or None before the first), ``selection``,
        ``title`` (the map's title), ``notice`` (what the map says when the selection has
        nothing on the table yet, else None), ``regions`` (per region: disposition, legend
        label, colour, hatching, deciding claim with its date, precision, shown date and review
        status), ``on_the_ground`` (km2 that would change hands per region and their total,
        measured on the control layer in force or from article figures), ``on_the_table``
        (claim ids), ``proposals`` (ids), ``control`` (the facts known at the date) and
        ``control_layer`` (the overlay in force and what it measures per region, or None).
    """
    timeline = data.timeline
    side = map_side(data, selection, date, ())
    state = timeline.state(date)
    known = [e for e in timeline.events if e.date <= date]
    regions = []
    for region_state in side.states:
        entry = legend_entry(region_state.disposition)
        claim = region_state.claim
        regions.append(
            {
                "id": region_state.region,
                "name": REGIONS[region_state.region].name,
                "disposition": region_state.disposition,
                "legend": entry.label,
                "fill": entry.fill,
                "hatched": entry.hatch,
                "claim": claim.id if claim else None,
                "claim_date": claim.date.isoformat() if claim else None,
                "claim_date_precision": claim.date_precision if claim else None,
                "claim_date_label": claim_when(data, claim) if claim else None,
                "claim_on_table_from": timeline.on_table(claim).isoformat() if claim else None,
                "claim_kind": claim.kind if claim else None,
                "claim_status": claim.status if claim else None,
                "unreviewed": bool(claim and claim.status == "extracted"),
                "all_occupied": region_state.via_all_occupied,
            }
        )
    ground = on_the_ground(
        side.states,
        facts=timeline.control_at(date),
        areas=data.areas,
        layer=layer_figures(snapshot, date),
    )
    return {
        "date": date.isoformat(),
        "event": (
            {
                "date": known[-1].date.isoformat(),
                "label": format_date(known[-1].date, known[-1].precision),
            }
            if known
            else None
        ),
        "selection": selection.token,
        "title": side.title,
        "notice": side.paint.notice or None,
        "regions": regions,
        "on_the_ground": ground.to_data(),
        "on_the_table": [c.id for c in state.positions],
        "proposals": [p.id for p in state.proposals],
        "control": [control_to_data(f) for f in state.control],
        "control_layer": _layer_payload(snapshot, date) if snapshot is not None else None,
    }


def state_from_query(
    data: AppData, args: Mapping[str, str], *, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """Answer ``/api/state`` for query parameters; missing ones take the dashboard's defaults.

    Raises
    ------
    ApiError
        For an unknown parameter, a malformed date or an unknown selection.
    """
    date, selection = state_request(data, args)
    return state_payload(data, date, selection, snapshot=snapshot)


def state_request(data: AppData, args: Mapping[str, str]) -> tuple[dt.date, Selection]:
    """Read the date and selection of a state request; missing ones take the defaults.

    Raises
    ------
    ApiError
        For an unknown parameter, a malformed date or an unknown selection.
    """
    _check_parameters(args, _STATE_PARAMETERS)
    view = default_view(data.timeline)
    date = parse_api_date(args["date"]) if "date" in args else view.date
    selection = (
        parse_api_selection(args["selection"], data.timeline)
        if "selection" in args
        else view.selection
    )
    return date, selection


def error_response(err: ApiError) -> flask.Response:
    """Answer a bad request: its status (400) with JSON naming the problem and the parameter."""
    response = flask.jsonify({"error": str(err), "parameter": err.parameter, "status": err.status})
    response.status_code = err.status
    return response


def register_api(server: flask.Flask, data: AppData, live: LiveGeodata | None = None) -> None:
    """Add the API's routes to the app's Flask server.

    Parameters
    ----------
    server
        ``app.server`` of the Dash app.
    data
        The data the dashboard shows.
    live
        The app's live geodata, for the control layer overlaid at a date.
    """

    def claims() -> flask.Response:
        try:
            _check_parameters(flask.request.args, ())
        except ApiError as err:
            return error_response(err)
        return flask.jsonify(claims_payload(data.timeline))

    def state() -> flask.Response:
        try:
            snapshot = live.snapshot() if live is not None else None
            return flask.jsonify(state_from_query(data, flask.request.args, snapshot=snapshot))
        except ApiError as err:
            return error_response(err)

    server.add_url_rule(CLAIMS_PATH, "mapdash_api_claims", claims, methods=["GET"])
    server.add_url_rule(STATE_PATH, "mapdash_api_state", state, methods=["GET"])


__all__ = [
    "CLAIMS_PATH",
    "STATE_PATH",
    "ApiError",
    "claims_payload",
    "error_response",
    "parse_api_date",
    "parse_api_selection",
    "register_api",
    "state_from_query",
    "state_request",
    "state_payload",
]
