"""The yardstick: a plain Dash app drawn the way Plotly's documentation shows it.

A slider and a graph; each slider step runs a server callback that builds a whole new
``px.choropleth`` figure with the full-resolution GeoJSON, and Dash sends it all to the browser.
It colours the same six regions from the same timeline as mapdash (Russia's position), so the
benchmark compares only how the map is updated. Ring orientation is fixed once at load time
(``load_regions`` does that), otherwise plotly would fill the whole globe.

Run it like mapdash in production: ``python -m bench.baseline_app --port 8060 --workers 2``.
"""

from __future__ import annotations

import json

import click
import dash
import pandas as pd
import plotly.express as px
from dash import Input, Output, dcc, html

from mapdash.claims import load_claims
from mapdash.config import PROJECT_ROOT
from mapdash.geodata import load_regions
from mapdash.legend import LEGEND, legend_entry
from mapdash.regions import REGIONS
from mapdash.timeline import Selection, Timeline
from mapdash.web.serving import enable_gzip, max_request_bytes

SELECTION = Selection("actor", "russia")


def create_baseline_app() -> dash.Dash:
    regions = load_regions(resolution="full")
    geojson = json.loads(regions.reset_index()[["id", "name", "geometry"]].to_json())
    timeline = Timeline.from_source(load_claims())
    events = timeline.events
    app = dash.Dash(
        __name__,
        title="Baseline",
        # Only plotly's world topojson, so that the geo subplot does not fetch it from a CDN.
        assets_folder=str(PROJECT_ROOT / "assets" / "topojson"),
        serve_locally=True,
    )
    # The same gzip settings as mapdash, so that bytes compare like for like.
    enable_gzip(app.server)
    # The production server buffers request bodies up to the app's limit, as mapdash's does.
    app.server.config["MAX_CONTENT_LENGTH"] = max_request_bytes()
    app.layout = html.Div(
        [
            html.H1("Territory on the table (baseline)"),
            html.Div(
                dcc.Slider(
                    id="date-slider",
                    min=0,
                    max=len(events) - 1,
                    step=1,
                    value=len(events) - 1,
                    marks={i: {"label": e.label} for i, e in enumerate(events)},
                    allow_direct_input=False,
                    updatemode="mouseup",
                ),
                className="slider",
            ),
            dcc.Graph(
                id="map-left",
                config={"topojsonURL": app.get_asset_url(""), "displaylogo": False},
                style={"height": "640px"},
            ),
        ]
    )

    @app.callback(Output("map-left", "figure"), Input("date-slider", "value"))
    def update_map(index: int):
        date = events[index].date
        states = timeline.regions(SELECTION, date)
        df = pd.DataFrame(
            {
                "id": [s.region for s in states],
                "name": [REGIONS[s.region].name for s in states],
                "disposition": [legend_entry(s.disposition).label for s in states],
            }
        )
        fig = px.choropleth(
            df,
            geojson=geojson,
            locations="id",
            featureidkey="properties.id",
            color="disposition",
            color_discrete_map={entry.label: entry.fill for entry in LEGEND},
            category_orders={"disposition": [entry.label for entry in LEGEND]},
            hover_name="name",
        )
        fig.update_geos(fitbounds="locations", visible=False)
        fig.update_layout(margin={"r": 0, "t": 30, "l": 0, "b": 0}, title=f"As of {date}")
        return fig

    @app.server.route("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8060, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def main(host: str, port: int, workers: int) -> None:
    """Serve the baseline with the same gunicorn settings as ``mapdash serve --production``."""
    from mapdash.web.serving import run_production

    app = create_baseline_app()
    run_production(app.server, host=host, port=port, workers=workers)


if __name__ == "__main__":
    main()
