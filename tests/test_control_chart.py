"""Control over time: the chart's figure, its CSV, the app's chart callback and the CLI."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import re

import pytest
from layer_series import LICENCE, SERIES, SOURCE, expected_shares, geodata_with
from PIL import Image

from mapdash.briefing import BriefingData
from mapdash.cli import main
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.control_chart import (
    CHART_REGIONS,
    CSV_COLUMNS,
    EVENT_TRACE,
    MARKER_LABEL,
    MARKER_SHAPE,
    control_chart,
    control_csv,
    control_rows,
    layer_credits,
    load_measures,
    no_chart_reason,
)
from mapdash.geodata import load_regions
from mapdash.regions import REGION_IDS
from mapdash.web.chart import ChartCache, chart_outputs
from mapdash.web.data import AppData
from mapdash.web.live import LiveGeodata

DATES = [layer.date for layer in SERIES]


@pytest.fixture(scope="module")
def geodata(tmp_path_factory):
    """A copy of the project's geodata with the three layers of ``layer_series`` installed."""
    return geodata_with(tmp_path_factory.mktemp("chart"))


@pytest.fixture(scope="module")
def measures(geodata):
    found, warnings = load_measures(geodata, load_regions(resolution="full"))
    assert warnings == ()
    return found


@pytest.fixture(scope="module")
def timeline():
    return BriefingData.load().timeline


def test_three_layers_give_three_points_per_region_at_the_right_shares(measures, timeline):
    figure = control_chart(measures, timeline.events, date=dt.date(2025, 8, 10))
    regions = [trace for trace in figure.data if trace.meta and "region" in trace.meta]
    assert [trace.meta["region"] for trace in regions] == list(CHART_REGIONS)
    for trace in regions:
        rid = trace.meta["region"]
        assert list(trace.x) == [d.isoformat() for d in DATES], rid
        shares = [expected_shares(layer)[rid] for layer in SERIES]
        assert list(trace.y) == pytest.approx(shares, abs=0.002), rid
    donetsk = figure.data[CHART_REGIONS.index("donetsk")]
    # The line moved west: Russia holds more of Donetsk at each date.
    assert donetsk.y[0] < donetsk.y[1] < donetsk.y[2]
    assert donetsk.y[0] == pytest.approx(expected_shares(SERIES[0])["donetsk"], abs=0.002)


def test_hover_gives_the_layers_figures_and_its_source(measures, timeline):
    figure = control_chart(measures, timeline.events)
    donetsk = figure.data[CHART_REGIONS.index("donetsk")]
    august = measures[1].region("donetsk")
    assert august is not None
    assert donetsk.hovertext[1] == (
        "<b>Donetsk</b>, control layer of 15 Aug 2025<br>"
        f"Russia holds {august.occupied_km2:,.0f} of {august.area_km2:,.0f} km2 "
        f"({august.occupied_share:.1%})<br>"
        f"Source: {SOURCE} ({LICENCE}) (control_2025-08-15.geojson)"
    )


def test_claim_events_share_the_time_axis_and_say_who_spoke(measures, timeline):
    figure = control_chart(measures, timeline.events)
    events = figure.data[EVENT_TRACE]
    claim_dates = [e.date.isoformat() for e in timeline.events if e.claims]
    assert list(events.x) == claim_dates
    # One axis of dates for both: the strip's axis follows the chart's.
    assert figure.layout.xaxis.matches == "x2" or figure.layout.xaxis2.matches == "x"
    august = claim_dates.index("2025-08-06")
    assert events.hovertext[august].startswith("<b>6 Aug 2025: Russia")
    assert "Russia, proposal:" in events.hovertext[august]


def test_the_marker_stands_at_the_date_and_hides_without_one(measures, timeline):
    figure = control_chart(measures, timeline.events, date=dt.date(2025, 8, 10))
    marker = figure.layout.shapes[MARKER_SHAPE]
    assert (marker.x0, marker.x1, marker.visible) == ("2025-08-10", "2025-08-10", True)
    assert figure.layout.annotations[MARKER_LABEL].text == "as of 10 Aug 2025"
    undated = control_chart(measures, timeline.events)
    assert undated.layout.shapes[MARKER_SHAPE].visible is False


def test_zero_or_one_layer_says_why_there_is_no_chart(measures):
    assert no_chart_reason(()).startswith("No control layer is installed, so there is no control")
    assert "mapdash swap FILE --kind control" in (no_chart_reason(()) or "")
    assert no_chart_reason(measures[:1]) == (
        "Only one control layer is installed (1 Mar 2025), so there is no change over time to "
        "chart; its figures are under Measured control. Add a layer of another date to see "
        "the chart."
    )
    assert no_chart_reason(measures) is None


def test_csv_has_a_row_per_layer_date_and_region(measures):
    rows = list(csv.DictReader(io.StringIO(control_csv(control_rows(measures)))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 * 6
    donetsk = [r for r in rows if r["region"] == "donetsk"]
    assert [r["date"] for r in donetsk] == [d.isoformat() for d in DATES]
    for row, layer in zip(donetsk, SERIES, strict=True):
        assert row["name"] == "Donetsk"
        assert float(row["occupied_share"]) == pytest.approx(
            expected_shares(layer)["donetsk"], abs=0.002
        )
        assert row["source"] == f"{SOURCE} ({LICENCE})"
    # km2 and share agree on the region's area (26,600 km2 with Natural Earth).
    first = donetsk[0]
    assert float(first["occupied_km2"]) / float(first["occupied_share"]) == pytest.approx(
        26_600, rel=0.01
    )


def test_layer_credits_name_each_source_once(measures):
    assert layer_credits(measures) == (
        f"Control layers of 1 Mar 2025, 15 Aug 2025, 20 Nov 2025: {SOURCE} ({LICENCE}).",
    )
    many = [dataclasses.replace(measures[0], date=dt.date(2025, 1, d)) for d in range(1, 7)]
    assert layer_credits(many) == (
        f"6 control layers, 1 Jan 2025 to 6 Jan 2025: {SOURCE} ({LICENCE}).",
    )


# -- the app's chart ------------------------------------------------------------------------------


def test_the_apps_chart_is_drawn_once_per_data_version_with_the_views_date(geodata):
    paths = Paths(geodata=geodata, seeds=PROJECT_ROOT / "seeds")
    data = AppData.load(paths)
    live = LiveGeodata(geodata)
    cache = ChartCache(data)
    snapshot = live.snapshot()
    graphs, note, hidden, version = chart_outputs(
        data, snapshot, "?date=2025-08-20&sel=actor:russia", cache
    )
    assert hidden is False and version == snapshot.version
    [graph] = graphs
    assert graph.id == "control-chart"
    figure = graph.figure
    assert note.startswith("Russian-held share of each region at the 3 installed control layers")
    assert figure["layout"]["shapes"][MARKER_SHAPE]["x0"] == "2025-08-20"
    assert figure["layout"]["meta"]["eventDates"] == [
        e.date.isoformat() for e in data.timeline.events
    ]
    # Drawn once: a second view of the same data reuses the figure, marker moved.
    [again], *_ = chart_outputs(data, snapshot, "?date=2025-03-02", cache)
    again = again.figure
    assert again["layout"]["shapes"][MARKER_SHAPE]["x0"] == "2025-03-02"
    assert again["data"] == figure["data"]
    assert list(cache._figures) == [snapshot.version]


def test_with_one_layer_the_app_shows_the_reason_and_no_chart(tmp_path):
    folder = geodata_with(tmp_path, SERIES[:1])
    data = AppData.load(Paths(geodata=folder, seeds=PROJECT_ROOT / "seeds"))
    snapshot = LiveGeodata(folder).snapshot()
    graphs, note, hidden, _ = chart_outputs(data, snapshot, None, ChartCache(data))
    # No graph at all: an empty plot would cost the page a draw before the map's.
    assert graphs == [] and hidden is True
    assert note.startswith("Only one control layer is installed (1 Mar 2025)")


# -- command line -----------------------------------------------------------------------------


def test_areas_control_all_csv(runner, geodata, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata))
    result = runner.invoke(main, ["areas", "--control-all", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 18
    row = next(r for r in rows if r["date"] == "2025-11-20" and r["region"] == "luhansk")
    assert float(row["occupied_share"]) == pytest.approx(
        expected_shares(SERIES[2])["luhansk"], abs=0.002
    )
    assert row["source"] == f"{SOURCE} ({LICENCE})"


def test_areas_control_all_without_layers_is_a_header_and_a_note(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_with(tmp_path, ())))
    result = runner.invoke(main, ["areas", "--control-all", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ",".join(CSV_COLUMNS) + "\n"
    assert "note: no control layer is installed" in result.stderr


def test_areas_csv_of_the_regions(runner):
    result = runner.invoke(main, ["areas", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["region"] for r in rows] == list(REGION_IDS)
    assert float(next(r for r in rows if r["region"] == "donetsk")["area_km2"]) == pytest.approx(
        26_600, rel=0.02
    )


def test_control_all_with_a_control_file_is_misuse(runner, data_dir):
    layer = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    result = runner.invoke(main, ["areas", "--control-all", "--control", str(layer)])
    assert result.exit_code == 2
    assert "--control-all measures the installed layers; leave out --control" in result.output


@pytest.fixture
def warm_exporter(monkeypatch):
    import mapdash.export
    from mapdash.export import shared_exporter

    @contextlib.contextmanager
    def warm(*, tabs: int = 1):
        yield shared_exporter()

    monkeypatch.setattr(mapdash.export, "open_exporter", warm)


def _point_ys(svg: str, trace: int) -> list[float]:
    """The y pixel of each marker of a scatter trace in an exported SVG."""
    groups = svg.split('<g class="trace scatter')[1:]
    point = r'class="point[^"]*" transform="translate\(([\d.]+),([\d.]+)\)'
    points = re.findall(point, groups[trace])
    return [float(y) for _, y in points]


def test_export_chart_control_svg_draws_the_shares_and_credits_the_source(
    runner, geodata, tmp_path, monkeypatch, warm_exporter
):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata))
    out = tmp_path / "control.svg"
    result = runner.invoke(
        main, ["export", "--chart", "control", "--date", "2025-08-10", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    svg = out.read_text()
    assert "<title>Control over time: the Russian-held share of Ukraine&#x27;s regions</title>" in (
        svg
    )
    assert f"{SOURCE} ({LICENCE})" in svg
    assert "as of 10 Aug 2025" in svg
    # Three points per region, placed by their shares on one linear axis.
    index = CHART_REGIONS.index("donetsk")
    ys = _point_ys(svg, index)
    assert len(ys) == 3
    shares = [expected_shares(layer)["donetsk"] for layer in SERIES]
    # Higher share, higher on the page (smaller y), in proportion.
    assert ys[0] > ys[1] > ys[2]
    assert (ys[0] - ys[1]) / (ys[1] - ys[2]) == pytest.approx(
        (shares[1] - shares[0]) / (shares[2] - shares[1]), rel=0.02
    )
    for rid in CHART_REGIONS:
        assert len(_point_ys(svg, CHART_REGIONS.index(rid))) == 3, rid


def test_export_chart_control_png_carries_its_metadata(
    runner, geodata, tmp_path, monkeypatch, warm_exporter
):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata))
    out = tmp_path / "control.png"
    result = runner.invoke(main, ["export", "--chart", "control", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == (3840, 2160)
        text = dict(image.text)
    assert text["Title"] == "Control over time: the Russian-held share of Ukraine's regions"
    assert text["Description"] == (
        "Russian-held share of Crimea, Donetsk, Luhansk, Kherson and Zaporizhzhia at 3 control "
        "layers, 1 Mar 2025 to 20 Nov 2025"
    )
    assert f"{SOURCE} ({LICENCE})" in text["Source"]


def test_export_chart_without_layers_says_why(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_with(tmp_path, ())))
    out = tmp_path / "control.png"
    result = runner.invoke(main, ["export", "--chart", "control", "--out", str(out)])
    assert result.exit_code == 1
    assert "Error: no chart written: No control layer is installed" in result.output
    assert not out.exists()


def test_export_chart_refuses_map_options(runner, tmp_path):
    result = runner.invoke(
        main,
        ["export", "--chart", "control", "--actor", "russia", "--out", str(tmp_path / "c.png")],
    )
    assert result.exit_code == 2
    assert "--chart draws no map; leave out --actor" in result.output


def test_export_chart_needs_an_out_file(runner):
    result = runner.invoke(main, ["export", "--chart", "control"])
    assert result.exit_code == 2
    assert "give --out FILE (.png, .svg or .pdf) for the chart" in result.output


def test_a_layer_file_that_no_longer_reads_is_left_out_with_a_warning(
    runner, tmp_path, monkeypatch
):
    folder = geodata_with(tmp_path)
    (folder / "control" / "control_2025-08-15.geojson").write_text('{"type": "FeatureCollection"')
    monkeypatch.setenv("MAPDASH_GEODATA", str(folder))
    result = runner.invoke(main, ["areas", "--control-all", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "warning: control_2025-08-15.geojson left out: control_2025-08-15.geojson" in (
        result.stderr
    )
    dates = {row["date"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert dates == {"2025-03-01", "2025-11-20"}
