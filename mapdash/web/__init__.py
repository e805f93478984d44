"""The dashboard web app: ``create_app()`` builds a Dash app over the project's data."""

from __future__ import annotations

import dataclasses

import dash
from dash import dcc

from ..config import PROJECT_ROOT, Paths
from .api import register_api
from .batch import background_manager, register_batch
from .callbacks import register
from .data import AppData
from .download import register_download
from .layout import page
from .live import LiveAreas, LiveGeodata
from .serving import configure_server
from .swap import register_swap
from .view import default_view
from .watch import Watcher

TITLE = "Territory on the table - mapdash"


def create_app(
    *, paths: Paths | None = None, data: AppData | None = None, watch: bool = False
) -> dash.Dash:
    """Build the dashboard.

    Parameters
    ----------
    paths
        Data folders; default ``Paths.default()`` (the project's data, or the environment's).
    data
        Already loaded data (tests); when given, ``paths`` is not read.
    watch
        Watch the geodata folder from the server (``mapdash serve``): a dropped file goes
        live with no page open, taken by one process per folder (see :mod:`.watch`).

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
    # Swapped-in geodata goes live without a restart; see web/live.py.
    live = LiveGeodata(paths.geodata)
    if data is None:
        # Areas follow the live boundaries ("would hand over" after a swap).
        data = dataclasses.replace(AppData.load(paths), areas=LiveAreas(live))
    app = dash.Dash(
        __name__,
        title=TITLE,
        # Served from the project's assets/: the stylesheet and plotly's topojson, so that
        # nothing is fetched from a CDN.
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        update_title="",
        # Phones lay the page out at their own width (assets/mapdash.css stacks it there).
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    _use_geo_bundle()
    # Screen readers need the page language; Dash's default template omits it.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    app.layout = page(
        data, default_view(data.timeline), topojson_url=app.get_asset_url("topojson/")
    )
    register(app, data, live)
    if watch:
        watcher = Watcher(paths.geodata)
        watcher.start()
        app.server.extensions["mapdash.watcher"] = watcher
    register_swap(app, data, live)
    register_download(app, data, live)
    register_batch(app, data, live, background_manager())
    register_api(app.server, data, live)
    configure_server(app.server, data, paths=paths)
    return app


def _use_geo_bundle() -> None:
    """Serve only the geo-only plotly.js of assets/vendor/, not the full bundle Dash adds.

    The partial bundle (choropleth, scatter, scattergeo) is about a third of the full one
    gzipped, and dcc.Graph uses the ``window.Plotly`` it defines instead of loading its own.
    Dash appends the full bundle to dcc's scripts each time an app is created, so it is
    taken out again here; scripts/build_geodata.py pins the partial bundle to plotly.py's version.
    """
    dcc._js_dist[:] = [
        resource
        for resource in dcc._js_dist
        if resource.get("relative_package_path") != "package_data/plotly.min.js"
    ]


__all__ = ["create_app"]
