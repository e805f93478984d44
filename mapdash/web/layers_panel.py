"""The editor's layer panel: the installed layers with remove and restore, and undo.

Only an editor's page has the panel (see ``create_app``), and both callbacks check the role
on the server again. The bodies are plain functions of the geodata folder, tested without a
browser; the callbacks route their results to components.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, html, no_update

from ..errors import AccessDenied, GeodataError
from . import ids
from .auth import Access
from .live import LiveGeodata
from .render import attrs

#: Audit entries the panel shows under "Recent changes".
RECENT_CHANGES = 5


def layer_panel() -> html.Section:
    """Build the panel, filled by the callbacks."""
    return html.Section(
        [
            html.H2("Installed layers"),
            html.Div(id=ids.LAYER_LIST, className="layer-list"),
            html.Div(id=ids.LAYER_RESULT, className="layer-result"),
        ],
        id=ids.LAYER_PANEL,
        className="layer-panel",
        **attrs({"aria-label": "Installed layers"}),
    )


def _button(label: str, action: str, layer: str, description: str) -> html.Button:
    return html.Button(
        label,
        id={"type": ids.LAYER_ACTION, "action": action, "layer": layer},
        className=f"layer-{action}",
        n_clicks=0,
        title=description,
    )


def layer_rows(geodata_dir: Path) -> list[Any]:
    """Describe each live layer with its buttons, and the last changes with an undo button."""
    from ..geodata import list_installed, read_audit

    items = []
    for layer in list_installed(geodata_dir):
        what = "Region boundaries" if layer.kind == "regions" else f"Control layer {layer.layer}"
        details = [f"version {layer.version}"]
        if layer.source:
            details.append(f"source: {layer.source}")
        if layer.actor and layer.installed_at:
            details.append(
                f"installed by {layer.actor} {layer.installed_at.strftime('%Y-%m-%d %H:%M')} UTC"
            )
        buttons = []
        if len(layer.versions) > 1 or (layer.kind == "regions" and layer.version != "shipped"):
            buttons.append(
                _button(
                    "Restore previous",
                    "restore",
                    layer.layer,
                    f"Put back the version of {layer.layer} that the last change replaced",
                )
            )
        if layer.kind == "control":
            buttons.append(
                _button("Remove", "remove", layer.layer, f"Take {layer.layer} off the map")
            )
        items.append(
            html.Li(
                [
                    html.Strong(what),
                    html.Span(" - " + "; ".join(details), className="layer-details"),
                    html.Div(buttons, className="layer-buttons"),
                ],
                **attrs({"data-layer": layer.layer}),
            )
        )
    recent = read_audit(geodata_dir)[-RECENT_CHANGES:][::-1]
    history: list[Any] = []
    if recent:
        history = [
            html.H3("Recent changes"),
            html.Ol([html.Li(entry.describe()) for entry in recent], className="layer-history"),
            _button(
                "Undo the last change",
                "undo",
                "last",
                "Roll back the newest change in the audit log (itself logged, and undoable)",
            ),
        ]
    return [html.Ul(items, className="layer-items"), *history]


def layer_action(geodata_dir: Path, action: str, layer: str, *, actor: str) -> html.Div:
    """Remove, restore or undo as the editor ``actor`` asked; return what happened.

    A refusal (nothing to roll back, an unknown layer) is reported, and nothing changes.
    """
    from ..geodata import remove_layer, rollback

    try:
        if action == "remove":
            entry = remove_layer(layer, geodata_dir=geodata_dir, actor=actor)
        elif action == "restore":
            entry = rollback(layer, geodata_dir=geodata_dir, actor=actor)
        elif action == "undo":
            entry = rollback(None, geodata_dir=geodata_dir, actor=actor)
        else:
            raise GeodataError(f"unknown action {action!r}; expected remove, restore or undo")
    except GeodataError as err:
        return html.Div(
            [html.Strong("Nothing changed. "), str(err)], className="upload-error", role="alert"
        )
    return html.Div(entry.describe(), className="upload-ok", role="status")


def register_layer_panel(app: dash.Dash, live: LiveGeodata, access: Access) -> None:
    """Attach the panel's callbacks: the list, and the buttons' actions."""

    @app.callback(
        Output(ids.LAYER_LIST, "children"),
        Input(ids.DATA_VERSION, "data"),
        Input(ids.UPLOADED, "data"),
        # Filled after the first poll, which follows the first map (web/swap.py).
        prevent_initial_call=True,
    )
    def show(_version: Any, _uploaded: Any) -> Any:
        if not access.may_edit():
            return no_update
        return layer_rows(live.geodata_dir)

    @app.callback(
        Output(ids.LAYER_RESULT, "children"),
        Output(ids.UPLOADED, "data", allow_duplicate=True),
        Input({"type": ids.LAYER_ACTION, "action": ALL, "layer": ALL}, "n_clicks"),
        State(ids.UPLOADED, "data"),
        prevent_initial_call=True,
    )
    def act(_clicks: list[int | None], uploaded: int | None) -> tuple[Any, Any]:
        pressed = ctx.triggered_id
        if not isinstance(pressed, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update
        try:
            editor = access.require_editor()
        except AccessDenied as err:
            return html.Div(str(err), className="upload-error", role="alert"), no_update
        message = layer_action(
            live.geodata_dir, str(pressed["action"]), str(pressed["layer"]), actor=editor.name
        )
        live.snapshot(force=True)
        return message, (uploaded or 0) + 1


__all__ = ["RECENT_CHANGES", "layer_action", "layer_panel", "layer_rows", "register_layer_panel"]
