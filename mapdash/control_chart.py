"""Control over time: the Russian-held share of each region at every installed control layer.

Pure functions: measured layers and the timeline's events in, a plotly figure or table rows
out (only :func:`load_measures` reads files: the installed layers). The dashboard's chart
(:mod:`mapdash.web.chart`), ``mapdash export --chart control`` and ``mapdash areas
--control-all`` are drawn from the same :class:`LayerMeasure` values; no Dash here.

The figure has a fixed layout, so the dashboard can move the as-of marker with a Patch:
``layout.shapes[MARKER_SHAPE]`` is the vertical line at the date and
``layout.annotations[MARKER_LABEL]`` its label. The claim events of the timeline are marked
in a strip under the chart, on the same time axis.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .control import (
    ControlLayer,
    RegionControl,
    attribution,
    installed_layers,
    occupied,
    read_control,
)
from .errors import GeodataError
from .figures import FONT_FAMILY, LABEL_COLOR
from .legend import CONTROL_COLOR, actor_name
from .regions import REGIONS
from .timeline import OCCUPIED_REGIONS, Event, format_date

#: Fewer layers than this show no change over time: no chart, and a sentence saying why.
MIN_LAYERS = 2
#: Where the as-of marker sits in the figure's layout (see the module docstring).
MARKER_SHAPE = 0
MARKER_LABEL = 0
#: The charted regions: Ukraine's. A layer of Russian-held territory says nothing about Kursk.
CHART_REGIONS: tuple[str, ...] = OCCUPIED_REGIONS
#: Paul Tol's "bright" scheme (distinct for the common colour-vision deficiencies), and a
#: marker symbol per region, so that no line is told apart by its colour alone.
REGION_STYLES: Mapping[str, tuple[str, str]] = {
    "crimea": ("#4477AA", "circle"),
    "donetsk": ("#EE6677", "square"),
    "luhansk": ("#228833", "diamond"),
    "kherson": ("#CCBB44", "triangle-up"),
    "zaporizhzhia": ("#AA3377", "x"),
    "kursk": ("#66CCEE", "star"),
}
EVENT_COLOR = "#444444"
#: Trace order: one line per charted region, then the claim events' strip.
EVENT_TRACE = len(CHART_REGIONS)
#: The words of an exported chart.
CHART_TITLE = "Control over time: the Russian-held share of Ukraine's regions"
CHART_SUBTITLE = (
    "One point per installed control layer; ticks below: claims reported in the articles"
)
#: Columns of ``mapdash areas --control-all --format csv``.
CSV_COLUMNS = ("date", "region", "name", "occupied_km2", "occupied_share", "source")
#: Claims listed in an event's hover before "and N more".
_EVENT_CLAIMS_SHOWN = 4


@dataclass(frozen=True)
class LayerMeasure:
    """One installed control layer, where it came from, and what it measures per region."""

    date: dt.date
    #: The installed file's name (``control_2025-08-15.geojson``).
    file: str
    source: str | None
    licence: str | None
    regions: tuple[RegionControl, ...]

    @classmethod
    def of(cls, layer: ControlLayer, measured: Sequence[RegionControl]) -> LayerMeasure:
        """Pair a layer with its measured figures (see :func:`mapdash.control.occupied`)."""
        return cls(
            date=layer.date,
            file=layer.path.name,
            source=layer.source,
            licence=layer.licence,
            regions=tuple(measured),
        )

    @property
    def attribution(self) -> str:
        """Name the source and licence: "DeepState (CC BY 4.0)", else the file's name."""
        return attribution(self.source, self.licence, self.file)

    def region(self, region_id: str) -> RegionControl | None:
        """Return the figures of one region, or None when the layer was not measured on it."""
        return next((m for m in self.regions if m.region == region_id), None)


def measure_layers(
    regions: geopandas.GeoDataFrame, layers: Sequence[ControlLayer]
) -> tuple[LayerMeasure, ...]:
    """Measure each layer on the regions (full resolution for real figures), oldest first.

    Parameters
    ----------
    regions
        Regions indexed by id in EPSG:4326.
    layers
        The control layers, in any order.

    Returns
    -------
    tuple of LayerMeasure
        One per layer, by date.
    """
    ordered = sorted(layers, key=lambda layer: layer.date)
    return tuple(LayerMeasure.of(layer, occupied(regions, layer.geometry)) for layer in ordered)


def load_measures(
    geodata_dir: Path, regions: geopandas.GeoDataFrame
) -> tuple[tuple[LayerMeasure, ...], tuple[str, ...]]:
    """Read and measure every installed control layer (``geodata/control/``).

    Parameters
    ----------
    geodata_dir
        The geodata folder.
    regions
        The boundaries to measure on (full resolution for real figures).

    Returns
    -------
    tuple
        The measured layers, oldest first, and a warning for each layer file that no longer
        reads (it is left out).
    """
    layers, warnings = [], []
    for entry in installed_layers(geodata_dir):
        try:
            layers.append(read_control(entry.path, date=entry.date, geodata_dir=geodata_dir))
        except GeodataError as err:
            warnings.append(f"{entry.path.name} left out: {err}")
    return measure_layers(regions, layers), tuple(warnings)


def layer_credits(measures: Sequence[LayerMeasure]) -> tuple[str, ...]:
    """Credit the layers' sources, one line per source ("Control layers of 1 Mar 2025: X.").

    A source with more than four layers is credited with their number and first and last date.
    """
    by_source: dict[str, list[dt.date]] = {}
    for measure in sorted(measures, key=lambda m: m.date):
        by_source.setdefault(measure.attribution, []).append(measure.date)
    lines = []
    for source, dates in by_source.items():
        if len(dates) == 1:
            lines.append(f"Control layer of {format_date(dates[0])}: {source}.")
        elif len(dates) <= 4:
            listed = ", ".join(format_date(d) for d in dates)
            lines.append(f"Control layers of {listed}: {source}.")
        else:
            lines.append(
                f"{len(dates)} control layers, {format_date(dates[0])} to "
                f"{format_date(dates[-1])}: {source}."
            )
    return tuple(lines)


def chart_subject(measures: Sequence[LayerMeasure]) -> str:
    """Say what the chart shows in one line (an exported file's subject)."""
    names = [REGIONS[r].name for r in CHART_REGIONS]
    dates = sorted(m.date for m in measures)
    span = f", {format_date(dates[0])} to {format_date(dates[-1])}" if dates else ""
    return (
        f"Russian-held share of {', '.join(names[:-1])} and {names[-1]} at "
        f"{len(dates)} control layers{span}"
    )


def no_chart_reason(measures: Sequence[LayerMeasure]) -> str | None:
    """Say plainly why there is no chart of control over time, or None when there is one."""
    if not measures:
        return (
            "No control layer is installed, so there is no control over time to chart. Add "
            "dated layers under Update the geodata, drop them into geodata/, or run "
            "'mapdash swap FILE --kind control --date YYYY-MM-DD'; from two layers on, the "
            "chart shows the Russian-held share of each region at each date."
        )
    if len(measures) < MIN_LAYERS:
        return (
            f"Only one control layer is installed ({format_date(measures[0].date)}), so there "
            "is no change over time to chart; its figures are under Measured control. Add a "
            "layer of another date to see the chart."
        )
    return None


# -- table -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlRow:
    """What one layer measures in one region: a row of the CSV."""

    date: dt.date
    region: str
    name: str
    occupied_km2: float
    occupied_share: float
    source: str

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """Return the row as CSV cells, in the order of ``CSV_COLUMNS``."""
        return (
            self.date.isoformat(),
            self.region,
            self.name,
            f"{self.occupied_km2:.1f}",
            f"{self.occupied_share:.4f}",
            self.source,
        )


def control_rows(measures: Sequence[LayerMeasure]) -> tuple[ControlRow, ...]:
    """One row per layer date and region (every region measured, Kursk included), by date."""
    return tuple(
        ControlRow(
            date=measure.date,
            region=fact.region,
            name=REGIONS[fact.region].name if fact.region in REGIONS else fact.region,
            occupied_km2=fact.occupied_km2,
            occupied_share=fact.occupied_share,
            source=measure.attribution,
        )
        for measure in sorted(measures, key=lambda m: m.date)
        for fact in measure.regions
    )


def control_csv(rows: Sequence[ControlRow]) -> str:
    """Write rows as CSV with a header line (``CSV_COLUMNS``), km2 to 0.1 and shares to 0.0001."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(row.cells() for row in rows)
    return buffer.getvalue()


# -- figure ------------------------------------------------------------------------------------


def point_text(measure: LayerMeasure, fact: RegionControl) -> str:
    """Return the hover of one point: the layer's figures for the region and its source."""
    name = REGIONS[fact.region].name if fact.region in REGIONS else fact.region
    return (
        f"<b>{name}</b>, control layer of {format_date(measure.date)}<br>"
        f"Russia holds {fact.occupied_km2:,.0f} of {fact.area_km2:,.0f} km2 "
        f"({fact.occupied_share:.1%})<br>"
        f"Source: {_escape(measure.attribution)} ({_escape(measure.file)})"
    )


def event_text(event: Event) -> str:
    """Return the hover of a claim event: who spoke, and what (the first few claims)."""
    lines = [f"<b>{_escape(event.title)}</b>"]
    for claim in event.claims[:_EVENT_CLAIMS_SHOWN]:
        summary = textwrap.shorten(claim.summary, width=90, placeholder=" ...")
        lines.append(f"{actor_name(claim.actor)}, {claim.kind}: {_escape(summary)}")
    more = len(event.claims) - _EVENT_CLAIMS_SHOWN
    if more > 0:
        lines.append(f"and {more} more")
    if event.control:
        lines.append(f"{len(event.control)} control report(s) in the articles")
    return "<br>".join(lines)


def _escape(text: str) -> str:
    # Plotly renders a small HTML subset in hover text; data must not add tags of its own.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def claim_events(events: Sequence[Event]) -> tuple[Event, ...]:
    """Return the events the strip marks: dates on which claims went on the table."""
    return tuple(event for event in events if event.claims)


def marker_label(date: dt.date) -> str:
    """Return the as-of marker's label: "as of 15 Aug 2025"."""
    return f"as of {format_date(date)}"


def control_chart(
    measures: Sequence[LayerMeasure],
    events: Sequence[Event],
    *,
    date: dt.date | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    footer: Sequence[str] = (),
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    """Chart the Russian-held share of each of Ukraine's regions by layer date.

    Parameters
    ----------
    measures
        The installed layers and their figures (two or more for a chart worth drawing).
    events
        The timeline's events; those with claims are marked in a strip on the same time axis.
    date
        Where the as-of marker stands (the slider's date); None hides it.
    title, subtitle
        Words over the chart (exports); None leaves the room to the chart (the dashboard).
    footer
        Lines printed under the chart, e.g. the credits of an export.
    width, height
        The page's size in pixels (exports): type grows with the width and the footer wraps
        to it; None for the dashboard's side panel.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: one line per region (``CHART_REGIONS`` order, one point per layer, ``y`` the
        share 0-1), then the claim events (``EVENT_TRACE``); the marker as described above.
    """
    # Type sized for a side panel grows on a slide-sized page.
    k = min(max((width or 0) / 1100, 1.0), 2.0)
    ordered = sorted(measures, key=lambda m: m.date)
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.86, 0.14], vertical_spacing=0.03
    )
    for region_id in CHART_REGIONS:
        points = [(m, fact) for m in ordered if (fact := m.region(region_id)) is not None]
        colour, symbol = REGION_STYLES[region_id]
        figure.add_trace(
            go.Scatter(
                x=[m.date.isoformat() for m, _ in points],
                y=[fact.occupied_share for _, fact in points],
                customdata=[[round(fact.occupied_km2, 1), m.file] for m, fact in points],
                hovertext=[point_text(m, fact) for m, fact in points],
                hovertemplate="%{hovertext}<extra></extra>",
                mode="lines+markers",
                name=REGIONS[region_id].name,
                meta={"region": region_id},
                line={"color": colour, "width": 2 * k},
                marker={"color": colour, "symbol": symbol, "size": 8 * k},
            ),
            row=1,
            col=1,
        )
    marked = claim_events(events)
    figure.add_trace(
        go.Scatter(
            x=[event.date.isoformat() for event in marked],
            y=[0] * len(marked),
            hovertext=[event_text(event) for event in marked],
            hovertemplate="%{hovertext}<extra></extra>",
            mode="markers",
            name="Claims (articles)",
            meta={"events": True},
            marker={
                "color": EVENT_COLOR,
                "symbol": "line-ns-open",
                "size": 14 * k,
                "line": {"width": 2 * k},
            },
        ),
        row=2,
        col=1,
    )
    shown = date.isoformat() if date else None
    # A fixed range: with autorange the axis would stretch to fit the marker's label, so the
    # marker would hardly move while the whole chart rescaled.
    x_range = time_range([*(m.date for m in ordered), *(e.date for e in events)], date)
    anchor = marker_anchor(date, x_range) if date else "left"
    lines = _footer_lines(footer, width, 12 * k)
    heading = _escape(title) if title else None
    if title and subtitle:
        small = f"font-size:{14 * k:.0f}px"
        heading = f"{_escape(title)}<br><span style='{small}'>{_escape(subtitle)}</span>"
    # Room above the chart for the legend, and for the title and subtitle of an export.
    top = (56 + (40 if title else 0) + (24 if subtitle else 0)) * k
    figure.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "color": LABEL_COLOR, "size": 12 * k},
        title={
            "text": heading,
            "x": 0.01,
            # Plotly sets a title of two lines one line higher than asked.
            "y": 1 - 24 * k / height if subtitle and height else 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 16 * k},
            "automargin": False,
            "font": {"size": 20 * k},
        }
        if heading
        else None,
        margin={"l": 48 * k, "r": 12 * k, "t": top, "b": (36 + 17 * len(lines)) * k},
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "font": {"size": 11 * k},
        },
        hovermode="closest",
        hoverlabel={"bgcolor": "white", "font": {"family": FONT_FAMILY, "size": 12}},
        # Keeps the user's zoom when the marker moves or a layer is added.
        uirevision="control-over-time",
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": shown,
                "x1": shown,
                "y0": 0,
                "y1": 1,
                "line": {"color": CONTROL_COLOR, "width": 1.5 * k, "dash": "dot"},
                "visible": shown is not None,
            }
        ],
        annotations=[
            {
                "x": shown,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "xanchor": anchor,
                "yanchor": "top",
                "xshift": (3 if anchor == "left" else -3) * k,
                "text": marker_label(date) if date else "",
                "showarrow": False,
                "font": {"color": CONTROL_COLOR, "size": 11 * k},
                "visible": shown is not None,
            },
            *(
                [
                    {
                        "x": 0,
                        "xref": "paper",
                        "y": 0,
                        "yref": "paper",
                        "yshift": -30 * k,
                        "xanchor": "left",
                        "yanchor": "top",
                        "align": "left",
                        "text": "<br>".join(_escape(line) for line in lines),
                        "showarrow": False,
                        "font": {"size": 12 * k, "color": "#555555"},
                    }
                ]
                if lines
                else []
            ),
        ],
    )
    figure.update_yaxes(
        title={"text": "Held by Russia", "standoff": 4 * k},
        # Room above 100% for the marker's label.
        range=[0, 1.12],
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1],
        tickformat=".0%",
        row=1,
        col=1,
    )
    figure.update_yaxes(
        showticklabels=False, showgrid=False, zeroline=False, range=[-1, 1], fixedrange=True, row=2
    )
    figure.update_xaxes(type="date", range=list(x_range), autorange=False)
    figure.update_xaxes(showgrid=True, row=1, col=1)
    figure.update_xaxes(tickformat="%b %Y", row=2, col=1)
    return figure


def time_range(dates: Sequence[dt.date], date: dt.date | None = None) -> tuple[str, str]:
    """Return the chart's time axis range: the dates (and ``date``) with a margin each side."""
    every = [*dates, *([date] if date else [])] or [dt.date.today()]
    first, last = min(every), max(every)
    pad = max((last - first) * 0.04, dt.timedelta(days=10))
    return (first - pad).isoformat(), (last + pad).isoformat()


def marker_anchor(date: dt.date, x_range: tuple[str, str]) -> Literal["left", "right"]:
    """Put the marker's label left of the line in the last third of the axis, else right.

    ``assets/chart.js`` makes the same choice when it moves the marker.
    """
    start, end = (dt.date.fromisoformat(bound[:10]) for bound in x_range)
    return "right" if (date - start) > (end - start) * (2 / 3) else "left"


def _footer_lines(footer: Sequence[str], width: int | None, size: float) -> list[str]:
    # An average glyph is about 0.55 of the type size wide.
    columns = max(40, int((width or 1000) * 0.92 / (0.55 * size)))
    return [wrapped for line in footer for wrapped in textwrap.wrap(line, columns) or [""]]


__all__ = [
    "CHART_REGIONS",
    "CHART_SUBTITLE",
    "CHART_TITLE",
    "CSV_COLUMNS",
    "EVENT_TRACE",
    "MARKER_LABEL",
    "MARKER_SHAPE",
    "MIN_LAYERS",
    "ControlRow",
    "LayerMeasure",
    "chart_subject",
    "claim_events",
    "control_chart",
    "control_csv",
    "control_rows",
    "event_text",
    "layer_credits",
    "load_measures",
    "marker_anchor",
    "marker_label",
    "measure_layers",
    "no_chart_reason",
    "point_text",
    "time_range",
]
