"""The dashboard web app: ``create_app()`` builds a Dash app over the project's data."""

from __future__ import annotations

import dataclasses
import functools
import threading

import dash
from dash import dcc, html

from ..config import PROJECT_ROOT, Paths
from . import ids
from .account import account_bar
from .api import register_api
from .auth import Access, AccessPolicy, decide_policy, install_auth, protect_callbacks
from .batch import background_manager, register_batch
from .callbacks import register
from .chart import register_chart
from .data import AppData
from .download import register_download
from .holder import LiveData
from .layers_api import register_layers_api
from .layers_panel import layer_panel, register_layer_panel
from .layout import page
from .live import LiveGeodata
from .review import register_review, review_link
from .serving import configure_server, secure_server
from .state_data import register_state_files, register_state_links
from .swap import register_swap, upload_section
from .view import default_view
from .watch import Watcher

TITLE = "Territory on the table - mapdash"


def create_app(
    *,
    paths: Paths | None = None,
    data: AppData | None = None,
    access: AccessPolicy | None = None,
    watch: bool = False,
) -> dash.Dash:
    """Build the dashboard.

    Parameters
    ----------
    paths
        Data folders; default ``Paths.default()`` (the project's data, or the environment's).
    data
        Already loaded data (tests); when given, ``paths`` is not read.
    access
        Who may view and edit; default the policy of ``mapdash serve`` on 127.0.0.1 (local
        mode without a users file, else the users file's).
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
        # Claims and articles follow their files; boundaries, areas and layers the live
        # geodata: no restart after a change (see web/holder.py).
        data = LiveData(paths, live)
    app = dash.Dash(
        __name__,
        title=TITLE,
        # Served from the project's assets/: the stylesheet and plotly's topojson, so that
        # nothing is fetched from a CDN.
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        # assets/review/ is the review page's own (see web/review.py).
        assets_path_ignore=["^review$"],
        update_title="",
        # A viewer's page has no editor controls, so the editor callbacks' ids are missing
        # from it on purpose.
        suppress_callback_exceptions=True,
        # Phones lay the page out at their own width (assets/mapdash.css stacks it there).
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # Screen readers need the page language; Dash's default template omits it.
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    guard = install_auth(app, access or decide_policy(host="127.0.0.1", production=False))
    pages = _Pages(data, live, topojson_url=app.get_asset_url("topojson/"))
    pages.current()  # built now, so the first visitor does not wait for it

    # Viewers are sent a page without the editor's controls; the server checks the role again
    # on every write (see web/auth.py).
    def layout() -> html.Div:
        user = guard.user()
        editor_page, viewer_page = pages.current()
        shown = editor_page if user is not None and user.is_editor else viewer_page
        return html.Div([account_bar(user, guard.policy), shown])

    app.layout = layout
    register(app, data, live)
    if watch:
        watcher = Watcher(paths.geodata)
        watcher.start()
        app.server.extensions["mapdash.watcher"] = watcher
    register_swap(app, data, live, access=guard)
    register_layer_panel(app, live, guard)
    protect_callbacks(app.server, guard, {ids.UPLOAD_RESULT, ids.LAYER_LIST, ids.LAYER_RESULT})
    register_download(app, data, live)
    register_batch(app, data, live, background_manager())
    register_chart(app, data, live)
    register_state_links(app)
    register_api(app.server, data, live)
    register_state_files(app.server, data, live)
    register_layers_api(app.server, live, guard)
    configure_server(app.server, data, paths=paths, live=live)
    register_review(app, paths, guard)
    # After every Dash app is made: each one adds the full plotly.js bundle again.
    _use_geo_bundle()
    secure_server(app)
    return app


class _Pages:
    """The editor's and the viewer's page, built for the boundaries and claims live now.

    A page opened after a swap of the boundaries draws the new ones from its first paint, and
    one opened after a change of the claims has their dates on its slider (the pages are
    rebuilt once per data version, not per request, so a page costs what it did before);
    control layers reach the page through its callbacks.
    """

    def __init__(self, data: AppData, live: LiveGeodata, *, topojson_url: str) -> None:
        self._data = data
        self._live = live
        self._topojson_url = topojson_url
        self._lock = threading.Lock()
        self._built: tuple[str, html.Div, html.Div] | None = None

    def current(self) -> tuple[html.Div, html.Div]:
        """Return (editor page, viewer page) for the live boundaries and claims."""
        snapshot = self._live.snapshot()
        held = self._data
        version = held.version if isinstance(held, LiveData) else None
        base = held.current() if isinstance(held, LiveData) else held
        key = f"{snapshot.regions_version}|{version}"
        with self._lock:
            if self._built is None or self._built[0] != key:
                data = dataclasses.replace(
                    base, regions=snapshot.regions_web, context=snapshot.context
                )
                view = default_view(data.timeline)
                build = functools.partial(
                    page,
                    data,
                    view,
                    topojson_url=self._topojson_url,
                    drawn=snapshot.regions_version,
                    data_version=version,
                )
                editor = build(editor=[review_link(), upload_section(), layer_panel()])
                self._built = (key, editor, build())
            return self._built[1], self._built[2]


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


__all__ = ["Access", "AccessPolicy", "create_app"]
