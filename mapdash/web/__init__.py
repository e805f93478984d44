"""The dashboard web app: ``create_app()`` builds a Dash app over the project's data."""

from __future__ import annotations

import dataclasses
import functools
import gzip
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brotli
import dash
import flask
from dash import dash_table, dcc, html
from dash._utils import to_json

from ..config import PROJECT_ROOT, Paths
from . import first_page, ids
from .account import account_bar
from .api import register_api
from .auth import Access, AccessPolicy, decide_policy, install_auth, protect_callbacks
from .batch import background_manager, register_batch
from .callbacks import register
from .chart import register_chart
from .data import AppData
from .download import register_download
from .first_image import FirstMapImages
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
    first_map_images: Path | None = None,
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
    first_map_images
        A folder of first-map images (``mapdash serve``: :func:`.first_image.cache_dir`): the
        first view's page then carries its first map drawn on the server, on screen before
        any script runs (see :mod:`.first_image`). Without it the browser draws it.

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
    images = FirstMapImages(first_map_images) if first_map_images is not None else None
    _serve_pages_serialised_once(app, guard, pages, images)
    if images is not None:
        images.for_page(pages.current()[1])  # drawn now, for the first visitor
    _serve_the_regenerator_runtime_for_the_polyfill(app)
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
    _serve_scripts_compressed_once(app.server)
    register_review(app, paths, guard)
    # After every Dash app is made: each one adds the full plotly.js bundle again.
    _use_geo_bundle()
    _load_only_the_chunks_used()
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


#: The dcc chunks the first page draws with (graph, slider, dropdown): loaded with the page's
#: other scripts instead of after its layout arrived, one round trip later.
_EAGER_CHUNKS = ("dcc/async-graph.js", "dcc/async-slider.js", "dcc/async-dropdown.js")


def _load_only_the_chunks_used() -> None:
    """Load the dcc chunks the first page uses with the page, and no DataTable.

    Dash loads a component's chunk only once the layout shows one, a round trip after the
    layout itself; the chunks of components the page does not have (markdown, date pickers,
    mathjax) are never loaded. The app has no DataTable, whose stub Dash adds to every page.
    """
    for resource in dcc._js_dist:
        if resource.get("relative_package_path") in _EAGER_CHUNKS:
            resource.pop("async", None)
    tables: list[dict[str, object]] = dash_table._js_dist  # type: ignore[attr-defined]
    tables[:] = [r for r in tables if r.get("relative_package_path") != "dash_table/bundle.js"]


#: Fingerprinted scripts and stylesheets: the same bytes for as long as the stamp holds.
_COMPRESSED_ONCE = ("application/javascript", "text/javascript", "text/css")
#: Scripts nearly all of whose functions run as the page loads: plotly.js, which the first map
#: waits for. V8's compile hint, the file's first line, has Chromium compile such a script
#: whole on a background thread while it arrives, instead of function by function on the main
#: thread as they are first called (other browsers read it as a comment).
_EAGER_SCRIPTS = frozenset({"/assets/vendor/plotly-geo.min.js"})
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"
#: How a kept body is compressed, by content coding, in the order preferred. Brotli at 9: 10
#: and 11 make plotly.js 7% smaller but take 2 and 5 s instead of 0.2.
_ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "br": functools.partial(brotli.compress, quality=9),
    "gzip": functools.partial(gzip.compress, compresslevel=9, mtime=0),
}


def _encoding_for(request: flask.Request) -> str | None:
    """Return the content coding of :data:`_ENCODERS` the client takes first, or None."""
    for encoding in _ENCODERS:
        if request.accept_encodings[encoding] > 0:
            return encoding
    return None


def _serve_scripts_compressed_once(server: flask.Flask) -> None:
    """Compress each fingerprinted script and stylesheet once per worker, not on every request.

    flask-compress compresses every response anew: plotly.js alone (1.4 MB) took a few hundred
    milliseconds of every cold page load before the browser could start on it, with the
    page's other scripts queued behind it. A script whose address carries a stamp (Dash's
    ``?m=`` on assets, the versioned component suites) never changes under that address, so
    its compressed body is kept and sent as is; flask-compress leaves a response that is
    already encoded alone. A browser that takes brotli gets brotli (plotly.js: 409 KiB against
    gzip's 453), any other client gzip; each is made once, at the highest level that takes a
    fraction of a second. The scripts of ``_EAGER_SCRIPTS`` go out with :data:`COMPILE_HINT`
    before their text, compressed or not.
    """
    cache: dict[tuple[str, str], bytes] = {}
    lock = threading.Lock()

    def compressed_once(response: flask.Response) -> flask.Response:
        request = flask.request
        stamped = "m" in request.args or request.path.startswith("/_dash-component-suites/")
        if (
            request.method != "GET"
            or response.status_code != 200
            or not stamped
            or response.mimetype not in _COMPRESSED_ONCE
            or "Content-Encoding" in response.headers
        ):
            return response
        eager = request.path in _EAGER_SCRIPTS
        encoding = _encoding_for(request)
        if encoding is None and not eager:
            return response
        body = cache.get((request.full_path, encoding)) if encoding else None
        if body is None:
            response.direct_passthrough = False
            body = response.get_data()
            if eager:
                body = COMPILE_HINT + body
            if encoding is not None:
                body = _ENCODERS[encoding](body)
                with lock:
                    cache[(request.full_path, encoding)] = body
        etag, weak = response.get_etag()
        response.direct_passthrough = False
        response.set_data(body)
        response.headers["Content-Length"] = str(len(body))
        if encoding is not None:
            response.headers["Content-Encoding"] = encoding
            response.vary.add("Accept-Encoding")
        if etag and not weak:
            suffix = (":hint" if eager else "") + (f":{encoding}" if encoding else "")
            response.set_etag(f"{etag}{suffix}")
        return response

    # Registered after flask-compress's hook, so it runs before it (Flask runs them in reverse).
    server.after_request(compressed_once)


def _serve_the_regenerator_runtime_for_the_polyfill(app: dash.Dash) -> None:
    """Leave the Babel polyfill Dash adds out of the dashboard's page (34 KB gzipped).

    Of it, Dash's scripts need only the regenerator runtime of their compiled async functions,
    which the page loads from assets/vendor/regenerator-runtime.js before them; the rest fills
    in what every browser plotly.js 3 runs in has. Only this app's page: others on the server
    (the review page) keep the polyfill.
    """
    polyfill = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')
    interpolate: Callable[..., str] = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["scripts"] = polyfill.sub("", kwargs["scripts"])
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]


def _serve_pages_serialised_once(
    app: dash.Dash, guard: Access, pages: _Pages, images: FirstMapImages | None
) -> None:
    """Answer ``/_dash-layout`` with pages serialised once per build instead of per load.

    The pages are built once per data version (:class:`_Pages`); only the account bar above
    them depends on who asks. Serialising a page (its map figure) with plotly's JSON encoder
    took 100-300 ms of every page load; now only the account bar is serialised per request.
    The answer is what Dash's own route gives for ``app.layout()``; the index carries the
    same answer inline (see :mod:`.first_page`).
    """
    serialised: dict[bool, tuple[html.Div, str]] = {}
    root = html.Div().to_plotly_json()

    def current() -> tuple[str, html.Div, html.Div]:
        user = guard.user()
        editor = user is not None and user.is_editor
        editor_page, viewer_page = pages.current()
        shown = editor_page if editor else viewer_page
        cached = serialised.get(editor)
        if cached is None or cached[0] is not shown:
            cached = serialised[editor] = (shown, to_json(shown))
        bar = account_bar(user, guard.policy)
        body = (
            f'{{"props":{{"children":[{to_json(bar)},{cached[1]}]}},'
            f'"type":"{root["type"]}","namespace":"{root["namespace"]}"}}'
        )
        return body, bar, shown

    def serve_layout() -> flask.Response:
        return flask.Response(current()[0], mimetype="application/json")

    app.server.view_functions[app.config.routes_pathname_prefix + "_dash-layout"] = serve_layout
    first_page.install(app, current, images)


__all__ = ["Access", "AccessPolicy", "create_app"]
