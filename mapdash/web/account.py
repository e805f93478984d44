"""The line above the title bar that says who is logged in, with log-in and log-out links."""

from __future__ import annotations

from dash import html
from dash.development.base_component import Component

from ..users import User
from .auth import LOGIN_PATH, LOGOUT_PATH, AccessPolicy


def account_bar(user: User | None, policy: AccessPolicy) -> html.Div:
    """Say who is logged in and what they may do; offer to log in or out."""
    if policy.mode == "local":
        parts: list[str | Component] = ["Single-user local mode: you may change the layers"]
    elif policy.mode == "read-only":
        parts = ["Read-only server"]
    elif user is None:
        parts = ["Viewing", html.A("Editors: log in", href=LOGIN_PATH)]
    else:
        parts = [
            f"Logged in as {user.name} ({user.role})",
            html.A("Log out", href=LOGOUT_PATH),
        ]
    return html.Div([html.Span(p) if isinstance(p, str) else p for p in parts], className="account")


__all__ = ["account_bar"]
