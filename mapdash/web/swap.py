"""Swapping geodata in the page: the upload form, measured numbers, alerts.

Two callbacks, each a thin adapter over the functions below:

- ``poll`` asks :class:`~mapdash.web.live.LiveGeodata` every ``POLL_MS`` for the data version
  and the files that did not go live, and updates the page only when either changed;
- ``upload`` installs a file from dcc.Upload and reports what happened.

The dashboard's own callback (web/callbacks.py) draws what changed: the control layer of the
view's date on the maps (web/maps.py), and the measured numbers of :func:`measured_children`
and :func:`legend_line` in the side panel.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Input, Output, State, dcc, html, no_update

from ..briefing import layer_source
from ..control import ControlLayer, RegionControl, measured_sentence
from ..errors import AccessDenied, GeodataError, ImplausibleError
from ..regions import REGIONS
from ..store import Kind
from ..timeline import format_date
from . import ids
from .auth import Access
from .data import AppData
from .live import UPLOAD_SUFFIXES, LiveGeodata, Snapshot, upload_max_bytes
from .render import attrs

POLL_MS = 2000


def poll_components(drawn: str | None = None, data_version: str | None = None) -> list[Any]:
    """Build the timer and stores that carry the data version, and the alert for rejected files.

    ``drawn`` is the boundaries version the page's maps were built from (the dashboard's
    callback redraws the maps when the live one differs); ``data_version`` the claims and
    articles' (a newer one live offers the page a refresh).
    """
    return [
        dcc.Interval(id=ids.DATA_POLL, interval=POLL_MS),
        # No ``data=None``: a memory store given None sets its data on mounting, which fires
        # the callbacks it feeds before the first map is drawn.
        dcc.Store(id=ids.DATA_VERSION),
        dcc.Store(id=ids.FIRST_DRAWN),
        dcc.Store(id=ids.UPLOADED, data=0),
        dcc.Store(id=ids.PAGE_REGIONS, data=drawn),
        dcc.Store(id=ids.PAGE_DATA, data=data_version),
        html.Div(id=ids.GEODATA_ALERT, className="geodata-alert", role="alert"),
    ]


def control_section() -> html.Section:
    """Build the side panel's measured control, filled by the overlay callback."""
    return html.Section(
        [html.H2("Measured control"), html.Div(id=ids.CONTROL_MEASURED)],
        className="control-measured",
        **attrs({"aria-label": "Measured control"}),
    )


def upload_section() -> html.Section:
    """Build the form to upload a control layer or region boundaries."""
    limit = upload_max_bytes()
    return html.Section(
        [
            html.H2("Update the geodata"),
            dcc.RadioItems(
                id=ids.UPLOAD_KIND,
                options=[
                    {"label": "Control layer (dated)", "value": "control"},
                    {"label": "Region boundaries", "value": "regions"},
                ],
                value="control",
                className="upload-kind",
            ),
            html.Label("Date of the layer", htmlFor=ids.UPLOAD_DATE),
            dcc.Input(
                id=ids.UPLOAD_DATE,
                type="text",
                placeholder="YYYY-MM-DD, if the file does not say",
                debounce=True,
                className="upload-date",
            ),
            dcc.Upload(
                id=ids.UPLOAD,
                children=html.Div(["Drop a GeoJSON file here or ", html.A("choose one")]),
                accept=",".join([*UPLOAD_SUFFIXES, "application/geo+json", "application/json"]),
                className="upload-drop",
            ),
            html.P(
                f".geojson or .json, up to {limit / 2**20:.0f} MiB. The file is checked first; "
                "only a usable file goes live, and the previous version is kept.",
                className="hint",
            ),
            html.Div(id=ids.UPLOAD_RESULT, className="upload-result"),
            # Shown only after a file was refused as implausible, below its reasons.
            html.Button(
                "Install anyway",
                id=ids.UPLOAD_FORCE,
                n_clicks=0,
                hidden=True,
                className="upload-force",
                title="Install the file despite the reasons above; the override is recorded",
            ),
        ],
        className="geodata-upload",
        **attrs({"aria-label": "Update the geodata"}),
    )


# -- bodies, tested without a browser ---------------------------------------------------------


def alert_children(
    snapshot: Snapshot, left_out: tuple[str, ...] = (), *, refresh: str | None = None
) -> list[Any]:
    """Files that did not go live, and data left out, with why (empty when all is well).

    ``refresh``, when the claims, articles or layers' dates changed since the page was built:
    the page's address, offered (after the alerts) as a one-click reload of the same view.
    """
    items: list[Any] = []
    if left_out:
        items.append(
            html.Li(
                [
                    html.Strong(f"{len(left_out)} item(s) failed their check and are not shown: "),
                    html.Ul([html.Li(line) for line in left_out]),
                ],
                className="left-out",
            )
        )
    for rejection in snapshot.rejections:
        items.append(
            html.Li(
                [
                    html.Strong(f"{rejection.name} was not put live: "),
                    rejection.message,
                    html.Ul([html.Li(p) for p in rejection.problems])
                    if rejection.problems
                    else None,
                ]
            )
        )
    if refresh is not None:
        items.append(
            html.Li(
                [
                    html.Strong("The data changed since this page was opened. "),
                    "The map already shows it; reload for the new dates on the slider (new "
                    "claims, articles or control layers). ",
                    html.A("Refresh", href=refresh, className="refresh-link"),
                ],
                className="stale-page",
            )
        )
    return [html.Ul(items)] if items else []


def upload_result(
    live: LiveGeodata,
    filename: str | None,
    contents: str | None,
    kind: str | None,
    date_text: str | None,
    *,
    force: bool = False,
    actor: str = "local",
) -> tuple[html.Div, bool, bool]:
    """Install an upload as ``actor``.

    Returns
    -------
    tuple
        The message to show, whether anything went live, and whether to offer the
        "Install anyway" button (the file was refused only as implausible).
    """
    try:
        date = None
        if date_text and date_text.strip():
            try:
                date = dt.date.fromisoformat(date_text.strip())
            except ValueError:
                raise GeodataError(
                    f"date {date_text.strip()!r} is not a date; write it as YYYY-MM-DD, e.g. "
                    "2025-08-15"
                ) from None
        chosen: Kind = "regions" if kind == "regions" else "control"
        installed = live.upload(
            filename or "", contents or "", kind=chosen, date=date, force=force, actor=actor
        )
    except GeodataError as err:
        problems = [html.Li(p) for p in err.problems]
        return (
            html.Div(
                [
                    html.Strong("Not installed; the current data stays live. "),
                    str(err),
                    html.Ul(problems) if problems else None,
                ],
                className="upload-error",
                role="alert",
            ),
            False,
            isinstance(err, ImplausibleError),
        )
    lines = installed.describe()
    return (
        html.Div(
            [html.Strong(lines[0]), html.Ul([html.Li(line) for line in lines[1:]])],
            className="upload-ok",
            role="status",
        ),
        True,
        False,
    )


def measured_children(data: AppData, snapshot: Snapshot, date: dt.date) -> list[Any]:
    """Measured control at ``date`` per region, next to what the articles said."""
    layer = snapshot.layer_at(date)
    facts = data.timeline.control_at(date)
    if layer is None:
        later = [lay.date for lay in snapshot.layers if lay.date > date]
        hint = f" The first is dated {format_date(min(later))}." if later else ""
        return [
            html.P(
                f"No control layer on or before {format_date(date)}.{hint} Upload one below.",
                className="muted",
            )
        ]
    rows = []
    for measured in snapshot.measured[layer.date]:
        region = REGIONS[measured.region]
        said = [f.summary for f in facts if f.region == measured.region]
        rows.append(
            html.Li(
                [
                    html.Span(_measured_text(measured, region.name, region.country, layer.date)),
                    html.Ul([html.Li(f"Article: {s}") for s in said], className="said")
                    if said
                    else None,
                ],
                **attrs({"data-region": measured.region}),
            )
        )
    return [
        html.P(
            [
                html.Span(className="overlay-key", **attrs({"aria-hidden": "true"})),
                f"Held by Russia per the control layer of {format_date(layer.date)}, from "
                f"{layer_source(layer)}: outlined and cross-hatched in dark red on the map.",
            ],
            className="hint",
        ),
        html.Ul(rows, className="measured-list"),
    ]


def _measured_text(measured: RegionControl, name: str, country: str, date: dt.date) -> list[Any]:
    # A layer of occupied Ukraine says nothing about who holds a Russian region it misses.
    if country != "UA" and measured.occupied_km2 == 0:
        return [html.Span(f"{name}: not covered by the control layer of {date.isoformat()}")]
    parts: list[Any] = [html.Span(measured_sentence(measured, name, date), className="measured")]
    rest = measured.area_km2 - measured.occupied_km2
    if country == "UA" and 0 < measured.occupied_share < 0.995:
        parts.append(f"; Ukraine holds the other {rest:,.0f} km2")
    return parts


def legend_line(layer: ControlLayer | None) -> list[Any]:
    """Explain the control layer the (first) map draws in the legend; [] when it draws none."""
    if layer is None:
        return []
    return [
        html.Span(className="overlay-key", **attrs({"aria-hidden": "true"})),
        f"Outlined and cross-hatched in dark red: held by Russia per the control layer of "
        f"{format_date(layer.date)}; source: {layer_source(layer)}",
    ]


def refusal(err: AccessDenied) -> html.Div:
    """Answer someone who may not upload: why, and that nothing changed."""
    return html.Div(
        [html.Strong("Not installed; the current data stays live. "), str(err)],
        className="upload-error",
        role="alert",
    )


def register_swap(
    app: dash.Dash, data: AppData, live: LiveGeodata, *, access: Access | None = None
) -> None:
    """Attach the polling and upload callbacks to ``app``.

    ``access`` checks on the server that an upload comes from an editor (None: no check, for
    tests of the callbacks alone).
    """

    @app.callback(
        Output(ids.DATA_VERSION, "data"),
        Output(ids.GEODATA_ALERT, "children"),
        Input(ids.DATA_POLL, "n_intervals"),
        Input(ids.FIRST_DRAWN, "data"),
        State(ids.DATA_VERSION, "data"),
        State(ids.PAGE_DATA, "data"),
        State(ids.URL, "search"),
        # The first poll runs once the first map is drawn (or at the first tick, whichever
        # comes first); it starts the page's other callbacks, which then do not compete with
        # drawing the map.
        prevent_initial_call=True,
    )
    def poll(
        _: int | None,
        _drawn: Any,
        seen: dict[str, Any] | None,
        built: str | None,
        search: str | None,
    ) -> tuple[Any, Any]:
        snapshot = live.snapshot()
        alerts = [f"{r.name}@{r.at.isoformat()}" for r in snapshot.rejections]
        claims = getattr(data, "version", None)
        state = {"version": snapshot.version, "alerts": alerts, "data": claims}
        if state == seen:
            return no_update, no_update
        stale = built is not None and claims is not None and claims != built
        refresh = (search or "?") if stale else None
        return state, alert_children(snapshot, data.left_out, refresh=refresh)

    @app.callback(
        Output(ids.UPLOAD_RESULT, "children"),
        Output(ids.UPLOADED, "data"),
        Output(ids.UPLOAD_FORCE, "hidden"),
        Input(ids.UPLOAD, "contents"),
        Input(ids.UPLOAD_FORCE, "n_clicks"),
        State(ids.UPLOAD, "filename"),
        State(ids.UPLOAD_KIND, "value"),
        State(ids.UPLOAD_DATE, "value"),
        State(ids.UPLOADED, "data"),
        prevent_initial_call=True,
    )
    def upload(
        contents: str | None,
        _forced: int,
        filename: str | None,
        kind: str | None,
        date: str | None,
        n: int,
    ) -> tuple[Any, Any, Any]:
        actor = "local"
        if access is not None:
            try:
                actor = access.require_editor().name
            except AccessDenied as err:
                return refusal(err), no_update, True
        force = dash.ctx.triggered_id == ids.UPLOAD_FORCE
        message, changed, offer = upload_result(
            live, filename, contents, kind, date, force=force, actor=actor
        )
        return message, (n or 0) + 1 if changed else no_update, not offer
