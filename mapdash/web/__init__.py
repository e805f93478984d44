"""The dashboard web app: ``create_app()`` builds a Dash app over the project's data."""

from __future__ import annotations

import dash

from ..config import PROJECT_ROOT, Paths
from .api import register_api
from .batch import background_manager, register_batch
from .callbacks import register
from .data import AppData
from .download import register_download
from .layout import page
from .live import LiveGeodata
from .serving import configure_server
from .swap import register_swap
from .view import default_view

TITLE = "Territory on the table - mapdash"


def create_app(*, paths: Paths | None = None, data: AppData | None = None) -> dash.Dash:
    """Build the dashboard.

    Parameters
    ----------
    paths
        Data folders; default ``Paths.default()`` (the project's data, or the environment's).
    data
        Already loaded data (tests); when given, ``paths`` is not read.

    Returns
    -------
    dash.Dash
        The app, with layout and callbacks; ``app.run()`` serves it.

    Raises
    ------
    MapdashError
        If the claims, articles or geodata cannot be loaded (the message says what to fix).
    """
    paths = paths or Paths.default()
    data = data or AppData.load(paths)
    app = dash.Dash(
        __name__,
        title=TITLE,
        # Served from the project's assets/: the stylesheet and plotly's topojson, so that
        # nothing is fetched from a CDN.
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        update_title="",
    )
    # Screen readers need the page language; Dash's default template omits it.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = page(
        data, default_view(data.timeline), topojson_url=app.get_asset_url("topojson/")
    )
    # Swapped-in geodata goes live without a restart; see web/live.py.
    live = LiveGeodata(paths.geodata)
    register(app, data, live)
    register_swap(app, data, live)
    register_download(app, data, live)
    register_batch(app, data, live, background_manager())
    register_api(app.server, data, live)
    configure_server(app.server, data, paths=paths)
    return app


__all__ = ["create_app"]
