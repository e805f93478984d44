"""The map figure: trace layout, colours per disposition, hover text, hatching, no Dash."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest
import shapely

from mapdash.figures import (
    CONTEXT_TRACE,
    HATCH_TRACES,
    LABEL_TRACE,
    REGION_TRACE,
    hatch_lines,
    hover_text,
    map_figure,
    paint_regions,
)
from mapdash.geodata import load_context, load_regions
from mapdash.legend import LEGEND, legend_entry
from mapdash.regions import REGION_IDS
from mapdash.timeline import RegionState
from mapdash.types import Article, Claim, Evidence


@pytest.fixture(scope="module")
def regions():
    return load_regions()


@pytest.fixture(scope="module")
def context():
    return load_context()


ARTICLE = Article(
    id="002",
    title="Trump and Putin are Scheduled To Meet Next Week in Alaska",
    outlet="Associated Press",
    published=dt.date(2025, 8, 9),
    text="",
)
CLAIM = Claim(
    id="ru",
    date=dt.date(2025, 8, 6),
    date_precision="day",
    actor="russia",
    kind="proposal",
    regions={"donetsk": "to_russia"},
    summary="cede Donbas",
    evidence=(Evidence("002", "Russia has proposed to Witkoff that Kyiv cede the entire Donbas"),),
    speaker="Vladimir Putin",
)


def colour_of(fig, z):
    """The colour plotly draws for value z with the figure's stepped colour scale."""
    trace = fig.data[REGION_TRACE]
    t = (z - trace.zmin) / (trace.zmax - trace.zmin)
    for (lo, colour), (hi, _) in zip(trace.colorscale[::2], trace.colorscale[1::2], strict=True):
        if lo <= t < hi or (t == 1 and hi == 1):
            return colour
    raise AssertionError(f"z={z} outside the scale")


def test_legend_has_every_disposition_and_distinct_colours():
    keys = [entry.key for entry in LEGEND]
    assert keys[:-1] == [
        "to_russia",
        "recognized_russian",
        "frozen",
        "demilitarized",
        "exchange",
        "to_ukraine",
        "unresolved",
    ]
    assert keys[-1] == "not_mentioned"
    assert len({entry.fill.lower() for entry in LEGEND}) == len(LEGEND)
    # The two Russian outcomes must not differ by hue alone.
    assert legend_entry("recognized_russian").hatch and not legend_entry("to_russia").hatch
    assert legend_entry(None).key == "not_mentioned"


def test_figure_traces_and_colours(regions, context):
    states = [RegionState("donetsk", "to_russia"), RegionState("crimea", "recognized_russian")]
    fig = map_figure(regions, context, paint_regions(states))
    assert fig.data[CONTEXT_TRACE].type == "choropleth"
    assert len(fig.data[CONTEXT_TRACE].locations) == len(context)
    region_trace = fig.data[REGION_TRACE]
    assert list(region_trace.locations) == list(REGION_IDS)
    ids = [f["properties"]["id"] for f in region_trace.geojson["features"]]
    assert ids == list(REGION_IDS)
    by_region = dict(zip(REGION_IDS, region_trace.z, strict=True))
    assert colour_of(fig, by_region["donetsk"]) == legend_entry("to_russia").fill
    assert colour_of(fig, by_region["crimea"]) == legend_entry("recognized_russian").fill
    assert colour_of(fig, by_region["kursk"]) == legend_entry(None).fill
    hatch = dict(zip(REGION_IDS, (fig.data[i].visible for i in HATCH_TRACES), strict=True))
    assert hatch["crimea"] is True and hatch["donetsk"] is False
    assert list(fig.data[LABEL_TRACE].text) == [
        "Crimea",
        "Donetsk",
        "Luhansk",
        "Kherson",
        "Zaporizhzhia",
        "Kursk",
    ]
    # Base layers off: each costs a redraw and would fetch nothing we need.
    geo = fig.layout.geo
    assert geo.showland is False and geo.showcountries is False and geo.showcoastlines is False
    assert fig.layout.uirevision == "map"


def test_all_dispositions_map_to_their_legend_colour(regions, context):
    for entry in LEGEND:
        disposition = None if entry.key == "not_mentioned" else entry.key
        paint = paint_regions([RegionState(rid, disposition) for rid in REGION_IDS])
        fig = map_figure(regions, context, paint, labels=False)
        assert {colour_of(fig, z) for z in fig.data[REGION_TRACE].z} == {entry.fill}


def test_compare_highlight_thickens_outlines(regions, context):
    paint = paint_regions([], highlight=("kherson",))
    widths = dict(zip(REGION_IDS, paint.line_width, strict=True))
    assert widths["kherson"] > widths["donetsk"]


def test_hover_names_region_disposition_claim_and_source():
    text = hover_text(RegionState("donetsk", "to_russia", CLAIM), {"002": ARTICLE})
    assert text.startswith("<b>Donetsk</b><br>To Russia, whole region")
    assert "Russia (Vladimir Putin), 6 Aug 2025" in text
    plain = text.replace("<br>", " ").replace("<i>", "").replace("</i>", "")
    assert "“Russia has proposed to Witkoff that Kyiv cede the entire Donbas”" in plain
    assert "Associated Press, 9 Aug 2025" in plain
    # Wrapped so that the label stays narrow.
    assert max(len(line) for line in text.split("<br>")) < 70
    quiet = hover_text(RegionState("kursk", None), {})
    assert quiet == "<b>Kursk</b><br>Not mentioned by the selection"


def test_hatching_stays_inside_the_region(regions):
    lons, lats = hatch_lines(regions.geometry["crimea"])
    assert len([x for x in lons if x is None]) > 10
    crimea = shapely.buffer(regions.geometry["crimea"], 1e-3)
    points = [shapely.Point(x, y) for x, y in zip(lons, lats, strict=True) if x is not None]
    assert all(crimea.contains(p) for p in points)


def test_export_legend_lists_every_colour(regions, context):
    fig = map_figure(regions, context, paint_regions([]), show_legend=True, title="Russia")
    names = [t.name for t in fig.data if t.showlegend]
    assert names == [entry.label for entry in LEGEND]
    assert fig.layout.title.text == "Russia"


def test_figures_module_does_not_import_dash():
    # Exports run without the web stack: importing figures alone must not pull Dash in.
    code = "import sys, mapdash.figures; print('dash' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, on linear RGB.
CVD = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}


def _lab(colour: str, matrix) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(np.array(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x, y, z = (xyz @ seen) / np.array([0.95047, 1.0, 1.08883])
    f = np.cbrt(np.maximum([x, y, z], 0.008856))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", sorted(CVD))
def test_legend_colours_stay_apart_for_colour_blind_readers(vision):
    """Every two fills differ by CIE76 dE >= 12, or by hatching and dE >= 5."""
    too_close = []
    for i, a in enumerate(LEGEND):
        for b in LEGEND[i + 1 :]:
            distance = float(np.linalg.norm(_lab(a.fill, CVD[vision]) - _lab(b.fill, CVD[vision])))
            needed = 5 if a.hatch != b.hatch else 12
            if distance < needed:
                too_close.append((a.key, b.key, round(distance, 1)))
    assert too_close == []
