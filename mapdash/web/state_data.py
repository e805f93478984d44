"""The state at a date as data files: CSV and GeoJSON, from the API and the page's links.

``GET /api/state.csv`` and ``GET /api/state.geojson`` take the parameters of ``/api/state``
(``date``, ``selection``; missing ones take the dashboard's defaults, bad ones get the same
JSON 400) and give one row, or one feature, per region: its disposition under the selection,
the claim that decides it with its date and sources, what would change hands, and the control
measured on the layer in force at the date. Both are read-only and open to viewers; each
answer is a fixed amount of work (six regions), and the GeoJSON carries the map's simplified
boundaries, so its size does not grow with the detail of swapped-in files.

The page links to both for the view on screen (the left map in compare mode); the links
follow the address bar in the browser, without a round trip.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import dash
import flask
import shapely
from dash import ClientsideFunction, Input, Output, State, html

from ..control import ControlLayer, RegionControl, layer_attribution
from ..errors import ApiError
from ..geodata.write import dumps_geojson
from ..ground import on_the_ground
from ..legend import actor_name, legend_entry
from ..regions import REGIONS
from ..timeline import Selection, format_date
from ..types import Claim
from . import ids
from .api import error_response, state_request
from .data import AppData
from .live import LiveGeodata, Snapshot
from .render import attrs, claim_when, layer_figures, map_side
from .view import View

CSV_PATH = "/api/state.csv"
GEOJSON_PATH = "/api/state.geojson"
StateFormat = Literal["csv", "geojson"]
#: Decimal places of the downloaded boundaries (about 1 m; the map's are simplified further).
GEOJSON_DECIMALS = 5
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class StateRow:
    """One region at a date under a selection: what the map, its hover and the table say."""

    date: str
    selection: str
    selection_label: str
    region: str
    name: str
    country: str
    disposition: str | None
    legend: str
    claim: str | None
    claim_actor: str | None
    claim_speaker: str | None
    claim_kind: str | None
    claim_date: str | None
    claim_date_precision: str | None
    claim_date_label: str | None
    claim_on_table_from: str | None
    claim_status: str | None
    claim_all_occupied: bool
    claim_summary: str | None
    #: The articles behind the claim: "Outlet, 6 Aug 2025: Title <url>", joined by " | ".
    claim_sources: str | None
    claim_quotes: str | None
    #: What would change hands under the selection, as the region table says it.
    change_direction: str
    change_km2: float | None
    change_basis: str
    change_text: str
    #: The control layer in force at the date, and what it measures in the region.
    control_layer_date: str | None
    control_layer_file: str | None
    control_layer_source: str | None
    area_km2: float | None
    occupied_km2: float | None
    occupied_share: float | None
    #: Control the articles report for the region by the date, joined by " | ".
    control_reported: str | None

    def properties(self) -> dict[str, Any]:
        """Return the row as GeoJSON properties (JSON types, None for empty)."""
        return dataclasses.asdict(self)


#: Columns of the CSV, in order: the fields of :class:`StateRow`.
CSV_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(StateRow))


def _sources(data: AppData, claim: Claim) -> str:
    said = []
    for article_id in dict.fromkeys(e.article for e in claim.evidence):
        article = data.articles.get(article_id)
        if article is None:
            said.append(article_id)
            continue
        text = f"{article.outlet}, {format_date(article.published)}: {article.title}"
        said.append(f"{text} <{article.url}>" if article.url else text)
    return " | ".join(said)


def _measured(
    snapshot: Snapshot | None, date: dt.date
) -> tuple[ControlLayer | None, Mapping[str, RegionControl]]:
    layer = snapshot.layer_at(date) if snapshot is not None else None
    if snapshot is None or layer is None:
        return None, {}
    return layer, {m.region: m for m in snapshot.measured.get(layer.date, ())}


def state_rows(
    data: AppData, date: dt.date, selection: Selection, *, snapshot: Snapshot | None = None
) -> tuple[StateRow, ...]:
    """Work out every region's row at a date under a selection, as the dashboard shows it.

    Parameters
    ----------
    data
        The dashboard's data.
    date
        Any date; claims not yet on the table then are not counted.
    selection
        Whose map: an actor's latest position or a named proposal.
    snapshot
        The live geodata, for the control layer in force at the date (None: no layer).

    Returns
    -------
    tuple of StateRow
        One per region, in the map's order.
    """
    timeline = data.timeline
    side = map_side(data, selection, date, ())
    facts = timeline.control_at(date)
    ground = on_the_ground(
        side.states, facts=facts, areas=data.areas, layer=layer_figures(snapshot, date)
    )
    layer, measured = _measured(snapshot, date)
    label = timeline.describe(selection)
    rows = []
    for state, change in zip(side.states, ground.rows, strict=True):
        region = REGIONS[state.region]
        claim = state.claim
        held = measured.get(state.region)
        # A layer of occupied Ukraine says nothing about a Russian region it does not touch.
        if held is not None and region.country != "UA" and held.occupied_km2 == 0:
            held = None
        reported = [f.summary for f in facts if f.region == state.region]
        rows.append(
            StateRow(
                date=date.isoformat(),
                selection=selection.token,
                selection_label=label,
                region=state.region,
                name=region.name,
                country=region.country,
                disposition=state.disposition,
                legend=legend_entry(state.disposition).label,
                claim=claim.id if claim else None,
                claim_actor=actor_name(claim.actor) if claim else None,
                claim_speaker=claim.speaker if claim else None,
                claim_kind=claim.kind if claim else None,
                claim_date=claim.date.isoformat() if claim else None,
                claim_date_precision=claim.date_precision if claim else None,
                claim_date_label=claim_when(data, claim) if claim else None,
                claim_on_table_from=timeline.on_table(claim).isoformat() if claim else None,
                claim_status=claim.status if claim else None,
                claim_all_occupied=state.via_all_occupied,
                claim_summary=claim.summary if claim else None,
                claim_sources=_sources(data, claim) if claim else None,
                claim_quotes=" | ".join(e.quote for e in claim.evidence) if claim else None,
                change_direction=change.direction,
                change_km2=round(change.area_km2, 1) if change.area_km2 is not None else None,
                change_basis=change.basis,
                change_text=change.text,
                control_layer_date=layer.date.isoformat() if layer else None,
                control_layer_file=layer.file_name if layer else None,
                control_layer_source=layer_attribution(layer) if layer else None,
                area_km2=round(held.area_km2, 1) if held else None,
                occupied_km2=round(held.occupied_km2, 1) if held else None,
                occupied_share=round(held.occupied_share, 4) if held else None,
                control_reported=" | ".join(reported) or None,
            )
        )
    return tuple(rows)


def _cell(value: object) -> str:
    """Write a CSV cell; text a spreadsheet would run as a formula is quoted with a '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_SPREADSHEET_FORMULA) else text


def state_csv(rows: tuple[StateRow, ...]) -> str:
    """Write the rows as CSV: a header of ``CSV_COLUMNS``, then one line per region."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_cell(getattr(row, column)) for column in CSV_COLUMNS)
    return buffer.getvalue()


def state_geojson(rows: tuple[StateRow, ...], snapshot: Snapshot | None, data: AppData) -> bytes:
    """Write the rows as a GeoJSON FeatureCollection of the regions (RFC 7946 winding).

    The geometry is the map's: the live boundaries as simplified for drawing.
    """
    regions = snapshot.regions_web if snapshot is not None else data.regions
    features = []
    for row in rows:
        # The map's rings run clockwise for plotly; GeoJSON wants exteriors counter-clockwise.
        geometry = shapely.orient_polygons(regions.geometry[row.region], exterior_cw=False)
        features.append((row.properties(), geometry))
    return dumps_geojson(features, decimals=GEOJSON_DECIMALS)


def file_name(selection: Selection, date: dt.date, fmt: StateFormat) -> str:
    """Name a download: ``state_actor-russia_2025-08-10.csv``."""
    return f"state_{selection.kind}-{selection.key}_{date.isoformat()}.{fmt}"


def state_file(
    data: AppData,
    args: Mapping[str, str],
    fmt: StateFormat,
    *,
    snapshot: Snapshot | None = None,
) -> tuple[bytes, str, str]:
    """Answer ``/api/state.csv`` or ``/api/state.geojson`` for query parameters.

    Returns
    -------
    tuple
        The file's bytes, its MIME type and its name.

    Raises
    ------
    ApiError
        For an unknown parameter, a malformed date or an unknown selection.
    """
    date, selection = state_request(data, args)
    rows = state_rows(data, date, selection, snapshot=snapshot)
    name = file_name(selection, date, fmt)
    if fmt == "csv":
        return state_csv(rows).encode("utf-8"), "text/csv; charset=utf-8", name
    return state_geojson(rows, snapshot, data), "application/geo+json", name


def register_state_files(server: flask.Flask, data: AppData, live: LiveGeodata | None) -> None:
    """Add ``/api/state.csv`` and ``/api/state.geojson`` to the app's Flask server."""

    def answer(fmt: StateFormat) -> flask.Response:
        try:
            snapshot = live.snapshot() if live is not None else None
            content, mimetype, name = state_file(data, flask.request.args, fmt, snapshot=snapshot)
        except ApiError as err:
            return error_response(err)
        response = flask.Response(content, mimetype=mimetype.split(";")[0])
        response.headers["Content-Type"] = mimetype
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    server.add_url_rule(CSV_PATH, "mapdash_api_state_csv", lambda: answer("csv"), methods=["GET"])
    server.add_url_rule(
        GEOJSON_PATH, "mapdash_api_state_geojson", lambda: answer("geojson"), methods=["GET"]
    )


# -- the page's links ---------------------------------------------------------------------------


def view_links(view: View) -> tuple[str, str]:
    """Return the CSV and GeoJSON links of a view (its left map)."""
    query = "?" + urlencode(
        {"date": view.date.isoformat(), "selection": view.selection.token}, safe=":"
    )
    return CSV_PATH + query, GEOJSON_PATH + query


def state_links_section(view: View) -> html.Div:
    """Build the control group with the view's data files (the links follow the address bar)."""
    csv_href, geojson_href = view_links(view)
    return html.Div(
        [
            html.H2("Data for this view", className="group-title"),
            html.P(
                "Each region's disposition, the claim deciding it with its date and sources, "
                "and the control measured at the date (the left map's view when comparing).",
                className="hint",
            ),
            html.P(
                [
                    html.A("CSV", id=ids.STATE_CSV, href=csv_href, download="", className="file"),
                    " · ",
                    html.A(
                        "GeoJSON",
                        id=ids.STATE_GEOJSON,
                        href=geojson_href,
                        download="",
                        className="file",
                    ),
                ],
                className="state-links",
                **attrs({"aria-label": "Download the view's data"}),
            ),
        ],
        className="control-group",
    )


def register_state_links(app: dash.Dash) -> None:
    """Keep the links on the address bar's view, in the browser (``assets/state-links.js``)."""
    app.clientside_callback(
        ClientsideFunction(namespace="mapdash_data", function_name="stateLinks"),
        Output(ids.STATE_CSV, "href"),
        Output(ids.STATE_GEOJSON, "href"),
        Input(ids.URL, "search"),
        State(ids.STATE_CSV, "href"),
        State(ids.STATE_GEOJSON, "href"),
    )


__all__ = [
    "CSV_COLUMNS",
    "CSV_PATH",
    "GEOJSON_PATH",
    "StateRow",
    "file_name",
    "register_state_files",
    "register_state_links",
    "state_csv",
    "state_file",
    "state_geojson",
    "state_links_section",
    "state_rows",
    "view_links",
]
