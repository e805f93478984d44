"""The first page: its layout inline in the HTML and its first map drawn before Dash runs.

A cold load of a Dash page is a chain: the HTML, then every script (React, Dash's renderer,
dcc, plotly.js), each evaluated in turn, then a request for the layout, then React mounts the
page, then plotly draws the map. On this machine class the scripts alone keep the browser
busy for most of a second, so the map cannot be on screen in under a second that way.

Two changes cut the chain short, without changing what Dash builds:

- the index carries the layout Dash would ask ``/_dash-layout`` for, in a JSON data block,
  and ``assets/first-map.js`` answers Dash's request for it from there: one round trip fewer;
- for the first view (an address with no view in it), the index also carries a static frame
  of the page (account bar, title bar, the boxes of the controls, timeline, map and panel),
  and ``first-map.js``, loaded right after plotly.js and before React and Dash, draws the
  layout's first map into it as a static plot. When Dash's page mounts, that map moves into
  Dash's map box and the frame goes; when Dash's own map is drawn, the static one goes too.

A view named in the address (date, selection, comparison) gets no early map: its first map is
not the layout's, and a wrong map on screen, even for half a second, is worse than none.
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import dash
import flask
from dash.development.base_component import Component

from .first_image import FirstMapImages

#: The script that answers Dash's layout request and draws the first map (assets/).
SCRIPT = "first-map.js"
#: The id of the JSON data block that holds the layout.
BLOCK_ID = "mapdash-layout"
#: The id of the box the first map is drawn in.
MAP_ID = "first-map"
#: Scripts the first map needs, moved ahead of React and Dash's in the page, in this order:
#: the blank world topojson, the geo-only plotly.js, then the first map's own script.
EARLY_SCRIPTS = ("geo-blank.js", "vendor/plotly-geo.min.js", SCRIPT)
#: Query parameters that name a view (web/view.py): such an address opens another first map.
VIEW_PARAMETERS = frozenset({"date", "sel", "selection", "compare", "date2"})

#: The layout's answer and the parts of the page the frame shows: (layout JSON, account bar,
#: page), for the user of the current request.
Current = Callable[[], tuple[str, Component, Component]]

_SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]*)\"[^>]*>\s*</script>\s*")
#: Characters that could end the data block or open markup inside it, as JSON escapes.
_BLOCK_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def data_block(layout_json: str) -> str:
    """Return the layout as a JSON data block; no text in it can close the block.

    ``<``, ``>`` and ``&`` are written as JSON unicode escapes, so the block's text is the
    same JSON value and no ``</script>`` in a quote or title can end it early.
    """
    escaped = layout_json.translate(_BLOCK_ESCAPES)
    return f'<script type="application/json" id="{BLOCK_ID}">{escaped}</script>'


def static_html(component: Any) -> str:
    """Render Dash html components as static HTML: tags, classes, links and text.

    Ids are left out (Dash's page has them), and so are components other than Dash's html
    ones (a dcc control has no static form): the frame only holds the page's place.
    """
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return markup.escape(str(component))
    if isinstance(component, list | tuple):
        return "".join(static_html(child) for child in component)
    if not isinstance(component, Component) or component._namespace != "dash_html_components":
        return ""
    tag = component._type.lower()
    attributes = ""
    class_name = getattr(component, "className", None)
    if class_name:
        attributes += f' class="{markup.escape(class_name)}"'
    href = getattr(component, "href", None)
    if tag == "a" and href:
        attributes += f' href="{markup.escape(href)}"'
    children = static_html(getattr(component, "children", None))
    return f"<{tag}{attributes}>{children}</{tag}>"


def _find(component: Any, class_name: str) -> Component | None:
    """Return the first html component under ``component`` with ``class_name``, or None."""
    if isinstance(component, list | tuple):
        for child in component:
            found = _find(child, class_name)
            if found is not None:
                return found
        return None
    if not isinstance(component, Component):
        return None
    if class_name in (getattr(component, "className", None) or "").split():
        return component
    return _find(getattr(component, "children", None), class_name)


def frame(bar: Component, shown: Component, image: str = "") -> str:
    """Return the static frame of the page, with the box the first map is drawn in.

    The boxes are laid out by the page's own stylesheet, so the map lands where Dash's map
    will be; the controls, timeline and panel keep their place but show nothing yet (the
    timeline's slider has a fixed height in the stylesheet, before and after its chunk loads).
    ``image`` is the first map's SVG drawn on the server (:mod:`.first_image`), put in the
    box; without one the box is empty and ``first-map.js`` draws the map into it.
    """
    header = static_html(_find(shown, "titlebar"))
    # The timeline's buttons and texts, hidden, give its box the height Dash's will have.
    timeline = static_html(_find(shown, "timeline"))
    return (
        '<div id="first-page" class="first-page" aria-hidden="true">'
        f'{static_html(bar)}<div class="app">{header}<main class="layout">'
        f'<nav class="controls"></nav><div class="center">{timeline}'
        '<div class="maps single"><div class="map-panel"><h2 class="map-title"></h2>'
        f'<div class="map-frame"><div id="{MAP_ID}" class="first-map">{image}</div></div>'
        '</div></div></div><aside class="panel"></aside></main></div></div>'
    )


def first_scripts(scripts: str, early: Iterable[str] = EARLY_SCRIPTS) -> str:
    """Move the first map's scripts to the front of the page's scripts, in ``early``'s order.

    The others (React, Dash's renderer, dcc) keep their order behind them.
    """
    tags = list(_SCRIPT_TAG.finditer(scripts))
    moved: list[str] = []
    for name in early:
        suffix = "/assets/" + name
        for tag in tags:
            if tag.group(1).split("?")[0].endswith(suffix):
                moved.append(tag.group(0))
    if not moved:
        return scripts
    rest = scripts
    for text in moved:
        rest = rest.replace(text, "", 1)
    return "".join(moved) + rest


def opens_first_view(args: Mapping[str, Any]) -> bool:
    """Whether an address opens the layout's own first view (no view in its query)."""
    return not VIEW_PARAMETERS.intersection(args)


def install(app: dash.Dash, current: Current, images: FirstMapImages | None = None) -> None:
    """Serve the app's index with the layout inline and, for the first view, the first map.

    The index then depends on who asks (an editor's page has the editor's controls), so it is
    marked private and revalidated on every load. With ``images``, the first view's index
    carries its first map as an SVG drawn on the server once it is drawn, ahead of the
    layout's data block, so it is on screen with the page's first paint.
    """
    interpolate: Callable[..., str] = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        if not flask.has_request_context():
            return interpolate(**kwargs)
        layout_json, bar, shown = current()
        entry = ""
        if opens_first_view(flask.request.args):
            image = images.for_page(shown) if images is not None else None
            entry = frame(bar, shown, image or "")
        kwargs["app_entry"] = entry + data_block(layout_json) + kwargs["app_entry"]
        kwargs["scripts"] = first_scripts(kwargs["scripts"])
        flask.g.mapdash_first_page = True
        return interpolate(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]

    def private(response: flask.Response) -> flask.Response:
        if flask.g.get("mapdash_first_page"):
            response.cache_control.private = True
            response.cache_control.no_cache = True
        return response

    app.server.after_request(private)


__all__ = [
    "BLOCK_ID",
    "MAP_ID",
    "SCRIPT",
    "data_block",
    "first_scripts",
    "frame",
    "install",
    "opens_first_view",
    "static_html",
]
