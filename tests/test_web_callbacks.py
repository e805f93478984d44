"""The web app without a browser: URL state, the callback bodies, the page skeleton."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import pytest
from dash import Patch, no_update

from mapdash.config import Paths
from mapdash.errors import MapdashError
from mapdash.figures import HATCH_TRACES, REGION_TRACE
from mapdash.legend import LEGEND, legend_entry
from mapdash.regions import REGION_IDS
from mapdash.timeline import Selection
from mapdash.web import create_app, ids
from mapdash.web.callbacks import OUTPUTS, Dashboard, Panel, Shown, show_view, sync_controls
from mapdash.web.data import AppData
from mapdash.web.live import LiveGeodata
from mapdash.web.maps import slider_book
from mapdash.web.render import position_card
from mapdash.web.view import View, parse_query, read_query, step

D = dt.date
RUSSIA = Selection("actor", "russia")


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData.load(Paths.default())


def show(data: AppData, search: str, shown: str | None = None) -> Panel:
    """The side panel ``show_view`` draws for a URL, the page showing ``shown`` before."""
    before = Shown.of(data, parse_query(shown, data.timeline)) if shown else None
    return show_view(data, Shown.of(data, parse_query(search, data.timeline)), before=before)


@pytest.fixture
def dashboard(data, geodata_copy) -> Dashboard:
    """The server side of a dashboard whose live geodata is a private copy."""
    return Dashboard(data, LiveGeodata(geodata_copy, min_interval=0))


def respond(dashboard: Dashboard, trigger=None, value=None, *, search: str, **state):
    """What the callback answers; ``state`` holds the page's stores (default: just opened)."""
    return dashboard.respond(
        trigger,
        value,
        search=search,
        playing=False,
        page_book=state.get("page_book"),
        page_painted=state.get("page_painted"),
        shown=state.get("shown"),
    )


def text_of(component) -> str:
    """All text under a Dash component, as a person would read it."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def patch_ops(patch: Patch) -> dict[str, object]:
    """The operations a Patch sends, keyed by their dotted location."""
    ops = patch.to_plotly_json()["operations"]
    return {".".join(str(p) for p in op["location"]): op["params"]["value"] for op in ops}


def _elements(markup: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element in a block of the side panel's HTML."""
    found: list[dict[str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, name, attributes):
            if name == tag:
                found.append({k: v or "" for k, v in attributes})

    Collect().feed(markup)
    return found


# -- URL state ----------------------------------------------------------------------------------


def test_query_round_trip(data):
    view = View(D(2025, 8, 10), RUSSIA, Selection("proposal", "us-2025-04"), D(2025, 4, 1))
    query = view.query()
    assert query == (
        "?date=2025-08-10&sel=actor:russia&compare=proposal:us-2025-04&date2=2025-04-01"
    )
    assert parse_query(query, data.timeline) == view


def test_missing_parameters_take_the_default_view(data):
    view = parse_query("", data.timeline)
    assert view == View(D(2025, 12, 3), RUSSIA)
    assert not view.comparing


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?date=10-08-2025", r"URL parameter date='10-08-2025' is not a date; expected YYYY-MM-DD"),
        ("?sel=russia", r"selection 'russia' not understood; expected 'actor:<actor id>'"),
        ("?sel=proposal:nope", r"unknown selection 'proposal:nope'; choose one of: actor:europe"),
        ("?date2=soon", r"URL parameter date2='soon' is not a date"),
    ],
)
def test_bad_urls_are_explained(data, query, message):
    with pytest.raises(MapdashError, match=message):
        parse_query(query, data.timeline)
    view, notice = read_query(query, data.timeline)
    assert view == View(D(2025, 12, 3), RUSSIA)
    assert notice.endswith("Showing the default view instead.")


def test_step_between_events(data):
    view = View(D(2025, 8, 10), RUSSIA)
    assert step(view, data.timeline, "next").date == D(2025, 8, 17)
    assert step(view, data.timeline, "previous").date == D(2025, 8, 9)
    last = View(D(2025, 12, 3), RUSSIA)
    assert step(last, data.timeline, "next") == last


# -- the sync callback ----------------------------------------------------------------------------


def test_slider_move_writes_the_date_into_the_url(data):
    index = [e.date for e in data.timeline.events].index(D(2025, 8, 17))
    controls = sync_controls(data, "?date=2025-02-18&sel=actor:russia", ids.SLIDER, index, False)
    assert controls.search == "?date=2025-08-17&sel=actor:russia"
    assert controls.slider == index


def test_url_on_load_sets_every_control(data):
    search = "?date=2025-08-10&sel=proposal:us-2025-04&compare=actor:ukraine&date2=2025-04-01"
    controls = sync_controls(data, search, None, None, False)
    assert controls.selection == "proposal:us-2025-04"
    assert controls.compare == "actor:ukraine"
    assert controls.compare_date == "2025-04-01"
    assert data.timeline.events[controls.slider].date == D(2025, 8, 9)
    assert controls.notice == ""


def test_selector_and_compare_controls(data):
    search = "?date=2025-08-10&sel=actor:russia"
    picked = sync_controls(data, search, ids.SELECTION, "actor:united_states", False)
    assert picked.search == "?date=2025-08-10&sel=actor:united_states"
    compared = sync_controls(data, search, ids.COMPARE, "proposal:us-2025-04", False)
    assert compared.search.endswith("&compare=proposal:us-2025-04")
    back = sync_controls(data, compared.search, ids.COMPARE, "", False)
    assert back.search == search


def test_play_steps_through_events_and_stops_at_the_end(data):
    start = sync_controls(data, "?date=2025-12-03&sel=actor:russia", ids.PLAY, 1, False)
    # Playing from the last event starts over at the first.
    # The first events are dated to a month reported years later: the month's last day.
    assert start.playing and start.search.startswith("?date=2022-10-31")
    tick = sync_controls(data, start.search, ids.TICKER, 1, True)
    assert tick.playing and tick.search.startswith("?date=2024-08-31")
    end = sync_controls(data, "?date=2025-12-02&sel=actor:russia", ids.TICKER, 9, True)
    assert end.search.startswith("?date=2025-12-03") and not end.playing
    paused = sync_controls(data, tick.search, ids.PLAY, 2, True)
    assert not paused.playing and paused.search == tick.search


def test_bad_url_gives_a_notice_and_the_default_view(data):
    controls = sync_controls(data, "?sel=martians", None, None, False)
    assert controls.search == "?date=2025-12-03&sel=actor:russia"
    assert "selection 'martians' not understood" in controls.notice


# -- the show callback ---------------------------------------------------------------------------


def test_a_view_other_than_the_layouts_is_painted_on_load_without_geometry(dashboard):
    out = respond(dashboard, search="?date=2025-08-10&sel=actor:russia")
    assert set(out) == set(OUTPUTS)
    ops = patch_ops(out["map_left"])
    z = dict(zip(REGION_IDS, ops[f"data.{REGION_TRACE}.z"], strict=True))
    # 9 Aug: the demand that the five regions be acknowledged as Russian is the newest word.
    recognised = [e.key for e in LEGEND].index("recognized_russian")
    assert z["donetsk"] == z["luhansk"] == z["kherson"] == recognised
    # Recognised as Russian is hatched: the hatching shows (by opacity, so without a redraw).
    assert ops[f"data.{HATCH_TRACES[1]}.opacity"] > 0
    assert out["map_right"] is no_update
    # Only colours, hover text, outlines and hatching travel: no geometry.
    payload = json.dumps(out["map_left"].to_plotly_json())
    assert "coordinates" not in payload and "geojson" not in payload
    assert len(payload) < 10_000
    assert out["left_title"] == "Russia's position, as of 10 Aug 2025"
    assert out["maps_class"] == "maps single"
    assert "cede the entire Donbas region" in out["cards"]
    assert out["as_of"] == "10 Aug 2025"


def test_the_layouts_own_view_sends_no_map_on_load(dashboard):
    out = respond(dashboard, search="")
    assert out["map_left"] is no_update and out["map_right"] is no_update
    # Nor the side panel's blocks, which the layout holds already.
    assert out["legend"] is no_update and out["cards"] is no_update
    assert out["regions"] is no_update
    # The book for the slider comes with the first answer.
    assert len(out["book"]["pages"]) == len(dashboard.data.timeline.events)


def test_a_page_built_from_other_claims_gets_its_panel_and_paint_on_load(dashboard):
    regions = dashboard.live.snapshot().regions_version
    out = dashboard.respond(
        None,
        None,
        search="",
        playing=False,
        page_book=None,
        shown=None,
        page=(regions, "claims of an hour ago"),
    )
    assert isinstance(out["map_left"], Patch)
    assert out["legend"] is not no_update and out["cards"] is not no_update
    # A page that does not say which boundaries it drew gets its whole figure.
    blind = dashboard.respond(
        None, None, search="", playing=False, page_book=None, shown=None, page=(None, None)
    )
    assert blind["map_left"].data[REGION_TRACE].geojson["features"]


def test_a_slider_step_the_browser_painted_sends_no_map(dashboard):
    first = respond(dashboard, search="?date=2025-08-10&sel=actor:russia")
    book = first["book"]
    index = [e.date for e in dashboard.data.timeline.events].index(D(2025, 8, 17))
    state = {"page_book": book["key"], "shown": first["shown"]}
    painted = respond(
        dashboard,
        ids.SLIDER,
        index,
        search=first["shown"]["search"],
        page_painted={"key": book["key"], "index": index},
        **state,
    )
    assert painted["map_left"] is no_update
    assert painted["search"] == "?date=2025-08-17&sel=actor:russia"
    assert painted["book"] is no_update
    # The browser did not paint that step (another step, or no book): the server paints it,
    # the whole paint, the same as the book's page.
    for page_painted in ({"key": book["key"], "index": index - 1}, None):
        sent = respond(
            dashboard,
            ids.SLIDER,
            index,
            search=first["shown"]["search"],
            page_painted=page_painted,
            **state,
        )
        ops = patch_ops(sent["map_left"])
        assert ops[f"data.{REGION_TRACE}.z"] == book["pages"][index]["left"]["z"]
        assert ops[f"data.{REGION_TRACE}.hovertext"] == book["pages"][index]["left"]["hovertext"]


def test_compare_mode_draws_the_second_map_once_then_patches_it(dashboard):
    search = "?date=2025-08-10&sel=actor:russia&compare=proposal:us-2025-04"
    first = respond(dashboard, search=search)
    assert first["maps_class"] == "maps compare"
    assert first["right_title"].startswith("United States, Apr 2025: freeze at the front line")
    assert first["right_title"].endswith(", as of 10 Aug 2025")
    assert first["differences"] == (
        "Outlined in bold, where the two differ: Donetsk, Luhansk, Kherson, Zaporizhzhia."
    )
    # The second map was never drawn: it gets its whole figure, regions included.
    right = first["map_right"]
    assert [f["properties"]["id"] for f in right.data[REGION_TRACE].geojson["features"]] == list(
        REGION_IDS
    )
    widths = dict(zip(REGION_IDS, right.data[REGION_TRACE].marker.line.width, strict=True))
    assert widths["donetsk"] > widths["crimea"]
    # Then a date picked for it elsewhere: a Patch, no geometry.
    later = respond(
        dashboard,
        ids.COMPARE_DATE,
        "2025-04-15",
        search=first["shown"]["search"],
        shown=first["shown"],
        page_book=first["book"]["key"],
    )
    assert "geojson" not in json.dumps(later["map_right"].to_plotly_json())


def test_region_table_and_transfer(data):
    table = show(data, "?date=2025-12-03&sel=actor:russia").regions
    assert "Ukraine still controls at least 5,000 km2" in table
    # No control layer is installed: article figures, labelled as such, and how to add a layer.
    assert (
        "<strong>at least 5,000 km2 Ukraine holds would pass to Russia</strong> <span "
        'class="source">(article figure: Ukraine still controls at least 5,000 km2' in table
    )
    assert (
        '<strong>nothing changes hands</strong> <span class="source">(article figure: Russian '
        "forces fully control Luhansk.)" in table
    )
    assert "No control layer is installed, so the line of contact is not drawn" in table
    assert (
        '<th scope="row">Total</th><td colspan="3" data-to-russia="5000" '
        'data-to-ukraine="0">at least 5,000 km2 to Russia, 0 km2 to Ukraine (article '
        "figures); no figure for Kherson, Zaporizhzhia.</td>" in table
    )
    # Crimea's control report is in other words ("its control over Crimea, which it annexed").
    assert (
        '<strong>nothing changes hands</strong> <span class="source">(article figure: Russia '
        "controls Crimea, which it annexed in 2014.)" in table
    )
    # Per region, the claim that decided it and when.
    assert (
        "Decided by: Russia (Yuri Ushakov), demand, 2 Dec 2025: After the Putin-Witkoff meeting"
        in table
    )
    ground = {c["data-basis"] for c in _elements(table, "td") if "data-basis" in c}
    assert ground == {"article", "none"}


def test_legend_marks_the_colours_in_use(data):
    legend = show(data, "?date=2025-08-10&sel=actor:russia").legend
    items = [i for i in _elements(legend, "li") if "data-key" in i]
    in_use = {item["data-key"] for item in items if "in-use" in item["class"].split()}
    assert len(items) == len(LEGEND)
    assert "No control layer is installed" in legend
    assert in_use == {"recognized_russian", "not_mentioned"}
    assert legend_entry("to_russia").label in legend


# -- the app ---------------------------------------------------------------------------------------


def test_create_app_serves_local_topojson_and_loads_nothing_at_import(data):
    app = create_app(data=data)
    # The layout is built per request (viewers get no editor controls).
    layout = app.layout() if callable(app.layout) else app.layout
    graph = layout.children  # the page root
    config = _find(layout, ids.MAP_LEFT).config
    assert config["topojsonURL"] == "/assets/topojson/"
    assert app.config.assets_folder.endswith("assets")
    client = app.server.test_client()
    assert client.get("/assets/topojson/world_110m.json").status_code == 200
    assert client.get("/").status_code == 200
    assert graph


def test_create_app_reports_a_broken_claims_file(tmp_path, geodata_copy):
    (geodata_copy / "claims.yaml").write_text("claims: [", encoding="utf-8")
    with pytest.raises(MapdashError, match="claims.yaml"):
        create_app(paths=Paths(geodata=geodata_copy, seeds=Paths.default().seeds))


def _find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, component_id)
            if found is not None:
                return found
    return None


def test_unchanged_side_panel_is_not_sent_again(data):
    shown = "?date=2025-08-10&sel=actor:russia"
    quiet = show(data, "?date=2025-08-12&sel=actor:russia", shown=shown)
    assert quiet.legend is no_update and quiet.cards is no_update and quiet.regions is no_update
    assert quiet.as_of == "12 Aug 2025"
    moved = show(data, "?date=2025-08-17&sel=actor:russia", shown=shown)
    assert moved.cards is not no_update
    assert "Witkoff" in moved.cards
    other = show(data, "?date=2025-08-10&sel=actor:ukraine", shown=shown)
    assert other.regions is not no_update and other.cards is not no_update


def test_compare_one_actor_at_two_dates(data):
    out = show(data, "?date=2025-12-03&sel=actor:united_states&date2=2025-04-15")
    assert out.maps_class == "maps compare"
    assert out.left_title == "United States' position, as of 3 Dec 2025"
    assert out.right_title == "United States' position, as of 15 Apr 2025"
    # April: the Witkoff plan; December: the 28-point plan, whose territory terms are unknown.
    assert out.differences == (
        "Outlined in bold, where the two differ: Crimea, Donetsk, Luhansk, Kherson, Zaporizhzhia."
    )


def test_event_note_under_the_slider(data):
    assert show(data, "?date=2025-08-10&sel=actor:russia").event_note == (
        "9 Aug 2025: new from United States, Ukraine (2), Russia (2). 7 control reports. "
        "No later event up to 10 Aug 2025."
    )
    # Dated "Apr 2025", first reported in August: on the table from the end of April.
    assert show(data, "?date=2025-04-30&sel=actor:russia").event_note == (
        "Apr 2025: new from United States, Ukraine, Europe."
    )
    assert show(data, "?date=2020-01-01&sel=actor:russia").event_note == (
        "Before the first reported event."
    )


# -- the slider book ------------------------------------------------------------------------------


def test_slider_book_holds_what_the_server_would_paint_at_every_event(dashboard):
    data = dashboard.data
    view = parse_query("?date=2025-08-10&sel=actor:russia", data.timeline)
    book = slider_book(data, view)
    events = data.timeline.events
    assert len(book.pages) == len(events)
    index = [e.date for e in events].index(D(2025, 8, 6))
    to_russia, frozen = ([e.key for e in LEGEND].index(k) for k in ("to_russia", "frozen"))
    left = dict(zip(REGION_IDS, book.pages[index]["left"]["z"], strict=True))
    assert left["donetsk"] == to_russia and left["kherson"] == frozen
    assert book.pages[index]["left"]["fill"][REGION_IDS.index("donetsk")] == "#D55E00"
    shown = respond(dashboard, search="")["shown"]
    for i, event in enumerate(events):
        search = f"?date={event.date}&sel=actor:russia"
        served = respond(dashboard, ids.URL, search, search=search, shown=shown)
        ops = patch_ops(served["map_left"])
        page = book.pages[i]["left"]
        assert ops[f"data.{REGION_TRACE}.z"] == page["z"]
        assert ops[f"data.{REGION_TRACE}.hovertext"] == page["hovertext"]
        assert ops[f"data.{REGION_TRACE}.marker.line.width"] == page["lineWidth"]
        assert [ops[f"data.{t}.opacity"] for t, _ in page["opacity"]] == [
            o for _, o in page["opacity"]
        ]
        assert book.pages[i]["right"] is None
    assert "coordinates" not in json.dumps(book.to_data())


def test_slider_book_key_changes_with_the_selections_not_the_date(data):
    def key(search: str) -> str:
        return slider_book(data, parse_query(search, data.timeline)).key

    assert key("?date=2025-08-10&sel=actor:russia") == key("?date=2025-02-18&sel=actor:russia")
    assert key("?date=2025-08-10&sel=actor:russia") != key("?date=2025-08-10&sel=actor:ukraine")
    compared = parse_query("?date=2025-12-03&sel=actor:russia&date2=2025-04-15", data.timeline)
    book = slider_book(data, compared)
    assert key("?date=2025-12-03&sel=actor:russia") != book.key
    # The second map keeps its date's colours while the slider moves the first; only the
    # outlines of the regions where the two differ follow the slider.
    assert len({tuple(page["right"]["z"]) for page in book.pages}) == 1
    assert len({tuple(page["left"]["z"]) for page in book.pages}) > 1


def test_side_panel_html_escapes_what_the_claims_file_says(data):
    from dataclasses import replace as swap

    claim = next(c for c in data.timeline.state(D(2025, 8, 10)).positions if not c.proposal)
    hostile = swap(claim, summary='<img src=x onerror="alert(1)"> & <b>bold</b>')
    card = position_card(data, [hostile], D(2025, 8, 10), selected=True)
    assert "<img" not in card and "<b>" not in card
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in card


def test_dates_keep_their_precision_in_the_compare_choices_and_the_subtitle(data):
    from mapdash.web.layout import compare_date_options

    options = compare_date_options(data, None)
    assert {"label": "Nov 2025: United States", "value": "2025-11-30"} in options
    assert {
        "label": "17 Aug 2025: United States, Russia, Ukraine, Europe",
        "value": "2025-08-17",
    } in (options)
    app = create_app(data=data)

    def subtitle(component):
        if getattr(component, "className", None) == "subtitle":
            return component.children
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str) and (found := subtitle(child)):
                return found
        return None

    # The layout is built per request (viewers get no editor controls).
    layout = app.layout() if callable(app.layout) else app.layout
    assert subtitle(layout).endswith("Oct 2022 to 3 Dec 2025")


def test_the_page_figure_draws_only_the_hatching_and_outlines_some_view_shows(data):
    from mapdash.figures import UNREVIEWED_TRACES
    from mapdash.web.maps import marks_used, web_figure

    marks = marks_used(data)
    # Crimea is recognised as Russian in some positions; the shipped claims are all reviewed.
    assert "crimea" in marks.hatched
    assert marks.unreviewed == frozenset()
    paint = Shown.of(data, parse_query("", data.timeline)).screen.left.paint
    figure = web_figure(data.regions, data.context, paint, marks)
    for trace, region in zip(HATCH_TRACES, REGION_IDS, strict=True):
        assert bool(figure.data[trace].lon) == (region in marks.hatched)
        assert figure.data[trace].visible is True
    assert all(not figure.data[trace].lon for trace in UNREVIEWED_TRACES)
