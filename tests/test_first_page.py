"""The index carries the layout and, for the first view, a frame the first map is drawn in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dash import dcc, html
from web_requests import basic

from mapdash.config import PROJECT_ROOT, Paths
from mapdash.users import add_user
from mapdash.web import create_app, first_page
from mapdash.web.auth import decide_policy
from mapdash.web.data import AppData

BLOCK = re.compile(r'<script type="application/json" id="mapdash-layout">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def app_data() -> AppData:
    return AppData.load(Paths.default())


@pytest.fixture(scope="module")
def client(app_data):
    return create_app(data=app_data).server.test_client()


def _block(index: str) -> object:
    found = BLOCK.findall(index)
    assert len(found) == 1, "the index should carry one layout block"
    return json.loads(found[0])


def test_the_index_carries_the_layout_dash_would_ask_for(client) -> None:
    index = client.get("/").get_data(as_text=True)
    assert _block(index) == json.loads(client.get("/_dash-layout").get_data(as_text=True))


def test_the_first_view_gets_the_frame_and_plotly_before_react(client) -> None:
    index = client.get("/").get_data(as_text=True)
    assert index.count('id="first-map"') == 1
    # The frame comes first, then the layout's data block, then Dash's entry point.
    start, block = index.index('id="first-page"'), index.index('id="mapdash-layout"')
    assert start < block < index.index('id="react-entry-point"')
    frame = index[start:block]
    # The frame shows the title bar and account line as Dash's page will, without their ids.
    assert "Territory on the table" in frame and "Single-user local mode" in frame
    assert 'class="titlebar"' in frame and 'class="timeline"' in frame and "As of" in frame
    assert "id=" not in frame.replace('id="first-', "")
    scripts = re.findall(r'<script src="([^"?]+)', index)
    names = [s.rsplit("/", 1)[-1] for s in scripts]
    assert names[:3] == ["geo-blank.js", "plotly-geo.min.js", "first-map.js"], names
    assert any(n.startswith("react@") for n in names[3:]), names
    # Every script the page had is still there, once.
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    "query",
    [
        "date=2022-12-01",
        "sel=actor:ukraine",
        "selection=actor:ukraine",
        "compare=actor:russia",
        "date2=2025-08-17",
    ],
)
def test_an_address_with_a_view_gets_the_layout_but_no_early_map(client, query) -> None:
    index = client.get("/?" + query).get_data(as_text=True)
    assert 'id="first-map"' not in index and 'id="first-page"' not in index
    # Its first map is not the layout's: Dash draws it once the address is read.
    assert _block(index) == json.loads(client.get("/_dash-layout").get_data(as_text=True))


def test_the_index_is_private_and_revalidated(client) -> None:
    response = client.get("/")
    assert response.cache_control.private is True
    assert response.cache_control.no_cache is True
    # The other routes keep their own caching.
    assert client.get("/_dash-layout").cache_control.private is not True


def test_viewers_get_an_index_without_the_editor_controls(
    app_data, geodata_copy: Path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("MAPDASH_USERS", str(tmp_path / "users.toml"))
    add_user("alice", role="editor", password="alice-password")
    add_user("bob", role="viewer", password="bob-password")
    paths = Paths(geodata=geodata_copy, seeds=PROJECT_ROOT / "seeds")
    policy = decide_policy(host="0.0.0.0", production=True)
    client = create_app(paths=paths, data=app_data, access=policy).server.test_client()
    anonymous = client.get("/").get_data(as_text=True)
    assert '"geodata-upload"' not in anonymous and "Editors: log in" in anonymous
    assert 'href="/login"' in anonymous
    client.get("/login", headers=basic("bob", "bob-password"))
    viewer = client.get("/").get_data(as_text=True)
    assert '"geodata-upload"' not in viewer and "Logged in as bob (viewer)" in viewer
    client.get("/login", headers=basic("alice", "alice-password"))
    editor = client.get("/").get_data(as_text=True)
    assert '"geodata-upload"' in editor and "Logged in as alice (editor)" in editor


def test_no_text_in_the_layout_can_close_its_block() -> None:
    layout = json.dumps({"quote": "</script><script>alert(1)</script> & <!-- x -->"})
    block = first_page.data_block(layout)
    inner = block.removeprefix('<script type="application/json" id="mapdash-layout">')
    inner = inner.removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == json.loads(layout)


def test_static_html_keeps_classes_links_and_text_and_drops_ids_and_controls() -> None:
    component = html.Div(
        [
            html.H1("Crimea & <Donbas>", id="title", className="big"),
            html.A("Log in", href="/login?next=a&b"),
            dcc.Slider(id="slider", min=0, max=3),
            "plain",
        ],
        id="root",
        className="titlebar",
    )
    assert first_page.static_html(component) == (
        '<div class="titlebar"><h1 class="big">Crimea &amp; &lt;Donbas&gt;</h1>'
        '<a href="/login?next=a&amp;b">Log in</a>plain</div>'
    )


def test_only_an_address_without_a_view_opens_the_first_view() -> None:
    assert first_page.opens_first_view({})
    assert first_page.opens_first_view({"utm_source": "briefing"})
    for name in ("date", "sel", "selection", "compare", "date2"):
        assert not first_page.opens_first_view({name: "x"})


def test_moving_the_first_scripts_keeps_the_others_in_order() -> None:
    scripts = (
        '<script src="/a/react.js"></script>\n'
        '<script src="/assets/first-map.js?m=2"></script>\n'
        '<script src="/assets/geo-blank.js?m=1"></script>\n'
        '<script src="/a/dash.js"></script>'
    )
    moved = first_page.first_scripts(scripts, ("geo-blank.js", "first-map.js"))
    order = re.findall(r'src="([^"]+)"', moved)
    assert order == [
        "/assets/geo-blank.js?m=1",
        "/assets/first-map.js?m=2",
        "/a/react.js",
        "/a/dash.js",
    ]
