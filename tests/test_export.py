"""Briefing exports read as a reader would: PNG pixels, SVG text and paths, PDF pages, GIF frames.

One headless Chromium (the session ``exporter``) draws every figure of this module; the CLI tests
start their own, as the command does.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import re
import stat
from pathlib import Path

import numpy as np
import pypdf
import pyproj
import pytest
import shapely
from PIL import Image

from mapdash.briefing import BriefingData, credits, make_briefing, meaning, select
from mapdash.briefing_page import briefing_figure
from mapdash.cartography import MAX_ASPECT, fit_frame
from mapdash.cli import main
from mapdash.errors import ExportError, MapdashError, SelectionError
from mapdash.export import (
    DEFAULT_SIZES,
    Exporter,
    PageSize,
    animate,
    batch_name,
    check_writable,
    default_size,
    format_of,
    locate_chromium,
    shared_exporter,
    write_bytes,
)
from mapdash.export import engine as export_engine
from mapdash.legend import legend_entry
from mapdash.regions import REGION_IDS
from mapdash.timeline import Selection

OFFER = Selection("proposal", "ru-2025-08-06-donbas")
AS_OF = dt.date(2025, 8, 10)
NOTE = "Terms as reported by the Associated Press; Ukraine rejected them."
TO_RUSSIA = (0xD5, 0x5E, 0x00)
FROZEN = (0xF0, 0xE4, 0x42)
RECOGNISED = (0xCC, 0x79, 0xA7)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@pytest.fixture(scope="session")
def data() -> BriefingData:
    return BriefingData.load()


@pytest.fixture(scope="session")
def exporter() -> Exporter:
    # The process-wide browser, as the web app's downloads use it (shared with their tests).
    return shared_exporter()


@pytest.fixture(scope="session")
def offer(data):
    return make_briefing(data.timeline, data.articles, OFFER, AS_OF, note=NOTE)


@pytest.fixture(scope="session")
def exports(data, exporter, offer) -> dict[str, bytes]:
    """Russia's 6 Aug offer as of 10 Aug 2025 in every format, at the default sizes."""
    drawn = {}
    for fmt in ("png", "svg", "pdf"):
        size = DEFAULT_SIZES[fmt]
        figure = briefing_figure(
            offer,
            data.regions,
            data.context,
            width=size.width,
            height=size.height,
            credits=credits(data.boundaries(), None),
        )
        drawn[fmt] = exporter.render(figure, fmt, size)
    return drawn


def svg_text(svg: str) -> str:
    """The text a reader sees in an SVG: every <text> element's content, unescaped."""
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL)
    text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", part) for part in parts))
    # Wrapped lines read as one run of words.
    return " ".join(text.split())


def region_shapes(svg: str) -> dict[str, shapely.Polygon]:
    """Each region's outline on the page, from the SVG's region choropleth (REGION_IDS order)."""
    traces = re.findall(r'<g class="trace choropleth">(.*?)</g>', svg, flags=re.DOTALL)
    paths = re.findall(r'<path class="choroplethlocation" fill="([^"]+)" d="([^"]+)"', traces[1])
    assert len(paths) == len(REGION_IDS)
    shapes = {}
    for region, (_, d) in zip(REGION_IDS, paths, strict=True):
        rings = []
        for sub in re.findall(r"M([^MZ]+)Z?", d):
            xy = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", sub)]
            if len(xy) >= 6:
                rings.append(shapely.Polygon(list(zip(xy[0::2], xy[1::2], strict=True))))
        shapes[region] = max(rings, key=lambda ring: ring.area)
    return shapes


def label_points(svg: str) -> list[tuple[float, float]]:
    """Where the region labels sit on the page (the map's text trace, REGION_IDS order)."""
    found = re.findall(r'text-anchor="middle" transform="translate\(([\d.]+),([\d.]+)\)"', svg)
    return [(float(x), float(y)) for x, y in found[: len(REGION_IDS)]]


def share_of_colour(
    image: Image.Image,
    shape: shapely.Polygon,
    colour: tuple[int, int, int],
    scale: float,
    labels: list[tuple[float, float]],
) -> float:
    """Share of a grid of points well inside ``shape``, off the labels, in exactly ``colour``."""
    inner = shape.buffer(-4)
    minx, miny, maxx, maxy = inner.bounds
    points = [
        (x, y)
        for x in range(int(minx), int(maxx), 3)
        for y in range(int(miny), int(maxy), 3)
        if inner.contains(shapely.Point(x, y))
        and not any(abs(x - lx) < 80 and -30 < y - ly < 35 for lx, ly in labels)
    ]
    assert len(points) > 100, "region too small to sample"
    pixels = image.convert("RGB")
    hits = sum(pixels.getpixel((int(x * scale), int(y * scale))) == colour for x, y in points)
    return hits / len(points)


# -- what the briefing says --------------------------------------------------------------------


def test_meaning_names_what_each_region_gets(offer):
    assert meaning(offer.maps[0].states) == (
        "Donetsk and Luhansk: to Russia, whole region; Crimea: recognised as Russian; "
        "Kherson and Zaporizhzhia: frozen at the front line"
    )


def test_briefing_cites_the_articles_behind_the_colours_with_outlet_and_date(offer):
    assert offer.title == "Russia, 6 Aug 2025: cede all of Donbas"
    assert offer.sources == (
        "Associated Press report, reposted on a blog, 9 Aug 2025: "
        "“Trump and Putin are Scheduled To Meet Next Week in Alaska”",
    )


def test_compare_briefing_titles_both_and_lists_the_regions_that_differ(data):
    compared = make_briefing(
        data.timeline, data.articles, OFFER, AS_OF, compare=Selection("proposal", "us-2025-04")
    )
    assert compared.title == "Russia, 6 Aug 2025 compared with United States, Apr 2025"
    assert [m.heading for m in compared.maps] == [
        "Russia, 6 Aug 2025: cede all of Donbas",
        "United States, Apr 2025: freeze at the front line, recognise seized land",
    ]
    assert compared.differences == ("donetsk", "luhansk")


def test_actor_titles_read_as_english_possessives(data):
    us = Selection("actor", "united_states")
    assert make_briefing(data.timeline, data.articles, us, AS_OF).title == (
        "United States' latest position"
    )
    russia = Selection("actor", "russia")
    compared = make_briefing(data.timeline, data.articles, russia, AS_OF, compare=us)
    assert compared.title == "Russia's latest position compared with United States' latest position"
    assert [m.heading for m in compared.maps] == [
        "Russia's latest position",
        "United States' latest position",
    ]


def test_unknown_proposal_lists_the_valid_ids(data):
    with pytest.raises(
        SelectionError,
        match=r"unknown proposal 'ru-2025-08-07'; valid proposal ids: us-2025-04, "
        r"ru-2025-08-06-donbas, ru-five-regions-admin-lines, us-2025-11-28-points",
    ):
        select(data.timeline, proposal="ru-2025-08-07")
    with pytest.raises(SelectionError, match=r"unknown actor 'kremlin'; valid actor ids: russia, "):
        select(data.timeline, actor="kremlin")
    with pytest.raises(
        SelectionError, match=r"choose one of a proposal .* or an actor .*, not both"
    ):
        select(data.timeline, proposal="us-2025-04", actor="russia")
    # Neither: the map the dashboard opens with.
    assert select(data.timeline) == Selection("actor", "russia")


def test_unknown_compare_selection_lists_the_choices(data):
    with pytest.raises(MapdashError, match=r"unknown selection 'proposal:nope'; choose one of: "):
        make_briefing(
            data.timeline, data.articles, OFFER, AS_OF, compare=Selection.parse("proposal:nope")
        )


# -- the files, as a reader sees them --------------------------------------------------------


def test_png_is_1920x1080_at_twice_the_resolution_and_the_map_is_not_blank(exports):
    image = Image.open(io.BytesIO(exports["png"])).convert("RGB")
    assert image.size == (3840, 2160)
    colours = image.resize((960, 540), Image.Resampling.NEAREST).getcolors(maxcolors=200_000)
    assert colours is not None
    counts = {colour: n for n, colour in colours}
    total = 960 * 540
    # Every disposition of the offer covers a visible share of the page; the rest is not blank.
    assert counts.get(TO_RUSSIA, 0) / total > 0.005
    assert counts.get(FROZEN, 0) / total > 0.005
    assert counts.get(RECOGNISED, 0) / total > 0.002
    # The page is white, but most of it is map, legend and text.
    assert counts.get((255, 255, 255), 0) / total < 0.7
    assert len(counts) > 50


def test_png_paints_each_region_in_its_legend_colour_where_the_svg_draws_it(exports, offer):
    image = Image.open(io.BytesIO(exports["png"]))
    svg = exports["svg"].decode()
    shapes = region_shapes(svg)
    labels = label_points(svg)
    assert len(labels) == len(REGION_IDS)
    scale = DEFAULT_SIZES["png"].scale
    by_region = {s.region: s for s in offer.maps[0].states}
    assert by_region["donetsk"].disposition == "to_russia"
    assert share_of_colour(image, shapes["donetsk"], TO_RUSSIA, scale, labels) > 0.85
    assert share_of_colour(image, shapes["luhansk"], TO_RUSSIA, scale, labels) > 0.85
    assert share_of_colour(image, shapes["kherson"], FROZEN, scale, labels) > 0.85
    # Kursk is not in the offer: white, as the legend says.
    assert share_of_colour(image, shapes["kursk"], (255, 255, 255), scale, labels) > 0.85
    # Crimea is hatched: mostly its fill, with the hatching in between.
    assert 0.4 < share_of_colour(image, shapes["crimea"], RECOGNISED, scale, labels) < 0.98
    # The SVG's own fills agree with the legend.
    fills = re.findall(r'class="choroplethlocation" fill="rgb\((\d+), (\d+), (\d+)\)"', svg)[-6:]
    expected = [rgb(legend_entry(by_region[r].disposition).fill) for r in REGION_IDS]
    assert [tuple(int(v) for v in fill) for fill in fills] == expected


def test_svg_is_vector_with_title_date_legend_sources_and_note(exports):
    svg = exports["svg"].decode()
    assert "<image" not in svg, "the map must not be embedded as a raster"
    assert svg.count('class="choroplethlocation"') >= 6 + 40  # regions and their context
    text = svg_text(svg)
    for expected in (
        "Russia, 6 Aug 2025: cede all of Donbas",
        "As of",
        "10 August 2025",
        "Legend",
        "To Russia, whole region",
        "Recognised as Russian",
        "Frozen at the front line",
        "Not mentioned by the selection",
        "Associated Press report, reposted on a blog, 9 Aug 2025",
        "Natural Earth 1:10m admin-1",
        "geodata/SOURCES.md",
        f"Note: {NOTE}",
        "Donetsk",
        "Kursk",
    ):
        assert expected in text, expected
    # Only the colours on the map are explained.
    assert "Demilitarised zone" not in text
    assert "Territory exchange" not in text
    # No controls: a briefing has no mode bar, slider or buttons.
    assert "modebar" not in svg and "slider" not in svg


def test_pdf_is_one_a4_landscape_vector_page_with_title_and_date(exports):
    reader = pypdf.PdfReader(io.BytesIO(exports["pdf"]))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(842, abs=1.5)
    assert float(page.mediabox.height) == pytest.approx(595, abs=1.5)
    text = page.extract_text()
    assert "Russia, 6 Aug 2025: cede all of Donbas" in text
    assert "10 August 2025" in text
    assert "To Russia, whole region" in text
    assert "Associated Press report" in text
    resources = page["/Resources"]
    images = [
        name
        for name, ref in resources.get("/XObject", {}).items()
        if ref.get_object().get("/Subtype") == "/Image"
    ]
    assert images == [], "the PDF must draw the map as vectors"


def test_compare_mode_draws_both_maps_side_by_side(data, exporter):
    compared = make_briefing(
        data.timeline, data.articles, OFFER, AS_OF, compare=Selection("proposal", "us-2025-04")
    )
    size = PageSize(960, 540, 1.0)
    figure = briefing_figure(compared, data.regions, data.context, width=960, height=540)
    left, right = figure.layout.geo.domain.x, figure.layout.geo2.domain.x
    assert left[1] < right[0], "the maps overlap"
    image = Image.open(io.BytesIO(exporter.render(figure, "png", size))).convert("RGB")
    halves = {
        "left": image.crop((int(left[0] * 960), 0, int(left[1] * 960), 540)),
        "right": image.crop((int(right[0] * 960), 0, int(right[1] * 960), 540)),
    }
    counts = {
        side: dict((c, n) for n, c in part.getcolors(200_000)) for side, part in halves.items()
    }
    # Russia's offer gives Donbas away; the US plan of April froze it at the line.
    assert counts["left"].get(TO_RUSSIA, 0) > 500
    assert counts["right"].get(TO_RUSSIA, 0) == 0
    assert counts["right"].get(FROZEN, 0) > counts["left"].get(FROZEN, 0)


# -- options and errors ------------------------------------------------------------------------


def test_defaults_are_slides_and_an_a4_page():
    assert default_size("png") == PageSize(1920, 1080, 2.0)
    assert default_size("pdf").width * 0.75 == pytest.approx(842, abs=1)
    assert default_size("pdf").height * 0.75 == pytest.approx(595, abs=1)
    assert default_size("svg", width=800, height=600) == PageSize(800, 600, 1.0)
    with pytest.raises(
        ExportError,
        match=r"10000 pixels on its longest side; keep it at 8000 or below \(lower --scale",
    ):
        default_size("png", width=5000, scale=2)


def test_format_comes_from_the_extension_or_says_what_it_expected(tmp_path):
    assert format_of(tmp_path / "map.PDF") == "pdf"
    assert format_of(tmp_path / "map", "svg") == "svg"
    with pytest.raises(ExportError, match=r"map\.jpg: cannot tell the format.*\.png, \.svg, \.pdf"):
        format_of(tmp_path / "map.jpg")
    with pytest.raises(ExportError, match=r"extension \.png does not match the format pdf"):
        format_of(tmp_path / "map.png", "pdf")


def test_unwritable_paths_say_what_is_wrong_and_what_to_do(tmp_path, monkeypatch):
    missing = tmp_path / "no-such-folder" / "map.png"
    with pytest.raises(ExportError, match=r"folder .*no-such-folder does not exist; create it"):
        check_writable(missing)
    with pytest.raises(ExportError, match=r"it is a folder; give a file name"):
        check_writable(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    # Root may write anywhere, so the refusal the OS would give is simulated.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(ExportError, match=r"permission denied on .*locked; choose a folder"):
        write_bytes(locked / "map.png", b"x")


def test_missing_chromium_says_how_to_install_it(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    with pytest.raises(
        ExportError,
        match=r"Chromium not found.*on PATH; install it with 'scripts/bootstrap --browser' "
        r"\(or 'sudo apt-get install chromium'\)",
    ):
        locate_chromium({"PATH": str(empty)})
    with pytest.raises(
        ExportError, match=r"BROWSER_PATH='/nonexistent/chrome' is not an executable"
    ):
        locate_chromium({"PATH": str(empty), "BROWSER_PATH": "/nonexistent/chrome"})
    fake = empty / "chromium-browser"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert locate_chromium({"PATH": str(empty)}) == fake


def test_animation_needs_frames_and_a_gif_name(tmp_path):
    with pytest.raises(ExportError, match="nothing to animate"):
        animate([], tmp_path / "a.gif")
    with pytest.raises(ExportError, match=r"a\.png: an animation is written as GIF"):
        animate([b"x"], tmp_path / "a.png")


def test_batch_names_carry_selection_and_date():
    assert batch_name(OFFER, AS_OF, "png") == "proposal-ru-2025-08-06-donbas_2025-08-10.png"


# -- the command line ----------------------------------------------------------------------------


def test_cli_exports_a_pdf_with_title_override(runner, tmp_path):
    out = tmp_path / "offer.pdf"
    args = ["export", "--date", "2025-08-10", "--proposal", "ru-2025-08-06-donbas"]
    result = runner.invoke(main, [*args, "--out", str(out), "--title", "Slide 4: Donbas"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Slide 4: Donbas" in text and "10 August 2025" in text


def test_cli_batch_writes_one_file_per_event_date(runner, tmp_path, data):
    out_dir = tmp_path / "batch"
    result = runner.invoke(
        main,
        ["export", "--actor", "russia", "--all-events", "--out-dir", str(out_dir)]
        + ["--format", "png", "--width", "640", "--height", "360", "--scale", "1"],
    )
    assert result.exit_code == 0, result.output
    dates = [event.date.isoformat() for event in data.timeline.events]
    assert sorted(p.name for p in out_dir.iterdir()) == [
        f"actor-russia_{d}.png" for d in sorted(dates)
    ]
    first = Image.open(out_dir / f"actor-russia_{dates[0]}.png").convert("RGB")
    last = Image.open(out_dir / f"actor-russia_{dates[-1]}.png").convert("RGB")
    assert first.size == last.size == (640, 360)
    assert first.tobytes() != last.tobytes(), "each file shows its own date"


def test_cli_animation_has_one_frame_per_event_and_the_pause_asked_for(runner, tmp_path, data):
    out = tmp_path / "russia.gif"
    result = runner.invoke(
        main,
        ["export", "--actor", "russia", "--animate", "--out", str(out), "--frame-ms", "700"]
        + ["--width", "640", "--height", "360"],
    )
    assert result.exit_code == 0, result.output
    gif = Image.open(out)
    assert gif.format == "GIF"
    assert gif.size == (640, 360)
    assert gif.n_frames == len(data.timeline.events)
    durations = []
    for i in range(gif.n_frames):
        gif.seek(i)
        durations.append(gif.info["duration"])
    assert durations[:-1] == [700] * (gif.n_frames - 1)
    assert durations[-1] == 2100
    # Frames differ: the date (printed large) moves on with every event.
    gif.seek(0)
    first = gif.convert("RGB").tobytes()
    gif.seek(1)
    assert gif.convert("RGB").tobytes() != first


def test_cli_unknown_proposal_exits_1_listing_the_valid_ids(runner, tmp_path):
    result = runner.invoke(
        main, ["export", "--proposal", "ru-2025-08", "--out", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 1
    assert "Error: unknown proposal 'ru-2025-08'; valid proposal ids: us-2025-04, " in result.output
    assert not (tmp_path / "x.png").exists()


def test_cli_missing_folder_and_missing_chromium_say_what_to_do(runner, tmp_path, monkeypatch):
    args = ["export", "--actor", "russia", "--out"]
    result = runner.invoke(main, [*args, str(tmp_path / "nowhere" / "x.png")])
    assert result.exit_code == 1
    assert "does not exist; create it (mkdir -p" in result.output
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    result = runner.invoke(main, [*args, str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "Error: Chromium not found" in result.output
    assert "scripts/bootstrap --browser" in result.output


def test_cli_animation_name_is_checked_before_drawing(runner, tmp_path):
    result = runner.invoke(
        main, ["export", "--actor", "russia", "--animate", "--out", str(tmp_path / "a.mp4")]
    )
    assert result.exit_code == 1
    assert "Error: a.mp4: an animation is written as GIF; name the file *.gif" in result.output


def test_cli_misuse_is_exit_2(runner, tmp_path):
    result = runner.invoke(main, ["export", "--actor", "russia", "--all-events"])
    assert result.exit_code == 2
    assert "--all-events writes into a folder: give --out-dir DIR" in result.output
    result = runner.invoke(main, ["export", "--actor", "russia"])
    assert result.exit_code == 2
    assert "give --out FILE" in result.output


def test_exports_are_written_where_asked(tmp_path, data, exporter, offer):
    figure = briefing_figure(offer, data.regions, data.context, width=640, height=360)
    path = exporter.write(figure, tmp_path / "offer.svg", size=PageSize(640, 360))
    assert path.read_text().startswith("<svg")
    assert Path(path).stat().st_size > 10_000


def test_the_world_outline_is_read_from_the_project_not_a_cdn(
    data, exporter, offer, tmp_path, monkeypatch
):
    figure = briefing_figure(offer, data.regions, data.context, width=640, height=360)
    size = PageSize(640, 360)
    monkeypatch.setattr(export_engine, "TOPOJSON_DIR", tmp_path)
    with pytest.raises(ExportError, match=r"world_110m\.json is missing: .* nothing is fetched"):
        exporter.render(figure, "png", size)
    # A broken local file breaks the export: Chromium reads this file, with no CDN fallback.
    (tmp_path / "world_110m.json").write_text("{not json")
    with pytest.raises(ExportError, match=r"topojson file at file://.*world_110m\.json"):
        exporter.render(figure, "png", size)


def test_actor_may_be_named_as_people_write_it(data):
    assert select(data.timeline, actor="United States") == Selection("actor", "united_states")
    assert select(data.timeline, actor="united-states") == Selection("actor", "united_states")


def test_cli_draws_the_installed_control_layer_of_the_date(
    runner, tmp_path, geodata_copy, data_dir, monkeypatch
):
    (geodata_copy / "control").mkdir()
    layer = data_dir / "geojson" / "control" / "control_2025-08-15.geojson"
    (geodata_copy / "control" / layer.name).write_bytes(layer.read_bytes())
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    base = ["export", "--actor", "russia", "--width", "960", "--height", "540"]
    result = runner.invoke(main, [*base, "--date", "2025-08-20", "--out", str(tmp_path / "a.svg")])
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "a.svg").read_text()
    assert "Held by Russia per the control layer of 15 Aug 2025" in svg_text(svg)
    # The layer's outline and cross-hatching, in its own colour (#7a0019), on the map.
    assert svg.count("stroke: rgb(122, 0, 25)") >= 1
    # Before the layer's date there is none.
    result = runner.invoke(main, [*base, "--date", "2025-08-10", "--out", str(tmp_path / "b.svg")])
    assert result.exit_code == 0, result.output
    before = (tmp_path / "b.svg").read_text()
    assert "control layer" not in svg_text(before)
    assert "stroke: rgb(122, 0, 25)" not in before


def test_map_frame_fills_its_box_until_it_would_stop_being_about_the_regions(data):
    regions = list(data.regions.geometry)
    slide, width, height = fit_frame(regions, 1200, 780)  # a slide's map: fills the box
    assert 1200 / 780 < MAX_ASPECT
    assert (width, height) == pytest.approx((1200, 780), abs=4)
    assert slide.aspect == pytest.approx(1200 / 780, rel=3e-3)
    wide, width, height = fit_frame(regions, 2400, 700)  # wider than MAX_ASPECT: narrower map
    assert wide.aspect == pytest.approx(MAX_ASPECT, rel=1e-3)
    assert height == pytest.approx(700) and width == pytest.approx(700 * MAX_ASPECT)
    # Taller than the regions: as wide as the box, as tall as the regions with their margin.
    tall, width, height = fit_frame(regions, 600, 900)
    assert width == pytest.approx(600) and height < 900
    assert tall.aspect == pytest.approx(fit_frame(regions, 1, 10)[0].aspect)
    for frame in (slide, wide, tall):
        # Every region's every vertex inside the box, with room to spare.
        for geometry in regions:
            for lon, lat in shapely.get_coordinates(geometry)[::7]:
                assert frame.contains(lon, lat, inset=0.04), (lon, lat)


def test_animation_frames_print_the_date_larger_than_the_title(data, offer):
    def sizes(figure):
        return {a.name: a.font.size for a in figure.layout.annotations}

    frame = sizes(briefing_figure(offer, data.regions, data.context, large_date=True))
    page = sizes(briefing_figure(offer, data.regions, data.context))
    assert frame["date"] > page["date"] > page["title"]
    assert frame["date"] >= 1.5 * frame["title"]


def _world_land() -> shapely.Geometry:
    """Natural Earth land at 1:50m, decoded from plotly's topojson in assets/topojson/."""
    topo = json.loads((export_engine.TOPOJSON_DIR / "world_50m.json").read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        xy = np.cumsum(np.array(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([xy[:, 0] * sx + tx, xy[:, 1] * sy + ty]))

    def ring(indices):
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([parts[0], *[p[1:] for p in parts[1:]]])

    polygons = []
    for geometry in topo["objects"]["land"]["geometries"]:
        nested = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for rings in nested:
            if not rings:
                continue
            shell, *holes = (ring(r) for r in rings)
            if len(shell) >= 4:
                polygons.append(shapely.Polygon(shell, [h for h in holes if len(h) >= 4]))
    return shapely.union_all(shapely.make_valid(np.array(polygons)))


def _window(frame) -> shapely.Polygon:
    """The lon/lat area a briefing map shows: its projected box, as plotly draws it."""
    crs = pyproj.CRS.from_proj4(
        f"+proj=lcc +lat_1=45 +lat_2=51 +lon_0={frame.lon0} +lat_0=0 +R=6371008.8 +units=km"
    )
    back = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    box = shapely.box(*frame.box).segmentize((frame.box[2] - frame.box[0]) / 80)
    return shapely.Polygon(np.column_stack(back.transform(*shapely.get_coordinates(box).T)))


def test_every_piece_of_land_in_a_briefing_map_is_drawn_as_land(data):
    # Land missing from the context would show in the sea's colour (e.g. Ryazan north of
    # Lipetsk in compare mode's tall maps, Bulgaria under Romania on a wide one).
    regions = list(data.regions.geometry)
    # The widest frame a page draws, and a tall one (compare mode on an A4 page).
    widest, _, _ = fit_frame(regions, 3000, 800)
    tallest, _, _ = fit_frame(regions, 500, 1000)
    window = shapely.union_all([_window(widest), _window(tallest)])
    drawn = shapely.union_all([*data.context.geometry, *data.regions.geometry])
    unpainted = shapely.difference(
        shapely.intersection(_world_land(), window), shapely.buffer(drawn, 0.05)
    )
    pieces = sorted(
        (round(part.area, 3), tuple(round(v, 1) for v in part.centroid.coords[0]))
        for part in shapely.get_parts(unpainted)
        if part.area > 0.01
    )
    assert pieces == [], "land (square degrees, lon/lat) drawn in the sea's colour"
