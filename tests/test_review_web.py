"""The review page on the server: editors only (checked on every request and callback), and an
editor's extract-and-save through the page's own callback requests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from web_requests import basic, folder_digest

from mapdash.claims import load_claims
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.geodata import read_audit
from mapdash.users import add_user
from mapdash.web import create_app
from mapdash.web.auth import AccessPolicy, decide_policy
from mapdash.web.data import AppData
from mapdash.web.holder import LiveData
from mapdash.web.live import LiveGeodata

ARTICLE = Path(__file__).parent / "data" / "articles" / "white_house_talks.txt"
CALLBACK = "/review/_dash-update-component"


@pytest.fixture(scope="module")
def app_data() -> AppData:
    return AppData.load(Paths.default())


@pytest.fixture
def users_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "users.toml"
    monkeypatch.setenv("MAPDASH_USERS", str(path))
    add_user("alice", role="editor", password="alice-password")
    add_user("bob", role="viewer", password="bob-password")
    return path


@pytest.fixture
def paths(tmp_path, geodata_copy) -> Paths:
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    return Paths(geodata=geodata_copy, seeds=seeds)


def _app(app_data: AppData, paths: Paths, policy: AccessPolicy):
    return create_app(paths=paths, data=app_data, access=policy)


def _body(deps: list[dict[str, Any]], trigger: str, values: dict[str, Any]) -> dict[str, Any]:
    """The request the page sends when ``trigger`` (``id.property``) changes."""
    (callback,) = [
        d
        for d in deps
        if any(f"{i['id']}.{i['property']}" == trigger for i in d["inputs"])
        and not d.get("clientside_function")
    ]
    outputs = []
    for part in callback["output"].strip(".").split("..."):
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": ident, "property": prop.split("@", 1)[0]})

    def fill(items: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {
        "output": callback["output"],
        "outputs": outputs,
        "inputs": fill(callback["inputs"]),
        "state": fill(callback.get("state", [])),
        "changedPropIds": [trigger],
    }


def _form() -> dict[str, Any]:
    return {
        "review-extract.n_clicks": 1,
        "review-text.value": ARTICLE.read_text(encoding="utf-8"),
        "review-title.value": "",
        "review-outlet.value": "",
        "review-published.value": "",
        "review-url.value": "",
    }


@pytest.fixture(scope="module")
def deps(app_data) -> list[dict[str, Any]]:
    local = create_app(data=app_data, access=decide_policy(host="127.0.0.1", production=False))
    response = local.server.test_client().get("/review/_dash-dependencies")
    assert response.status_code == 200
    return response.get_json()


def _save_body(deps, draft: Any) -> dict[str, Any]:
    return _body(
        deps, "review-save.n_clicks", {"review-save.n_clicks": 1, "review-draft.data": draft}
    )


def _action_body(deps, action: str, item: str, draft: Any) -> dict[str, Any]:
    """The request a candidate's button sends (a pattern-matching input)."""
    pattern = '{"action":["ALL"],"item":["ALL"],"type":"review-action"}.n_clicks'
    body = _body(deps, pattern, {"review-draft.data": draft})
    button = {"action": action, "item": item, "type": "review-action"}
    body["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    body["changedPropIds"] = [
        '{"action":"' + action + '","item":"' + item + '","type":"review-action"}.n_clicks'
    ]
    return body


def _draft(client, deps) -> Any:
    response = client.post(CALLBACK, json=_body(deps, "review-extract.n_clicks", _form()))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]["review-draft"]["data"]


def _component(tree: Any, ident: str) -> dict[str, Any] | None:
    """The props of the component ``ident`` in a layout as Dash sends it."""
    if isinstance(tree, list):
        return next((f for t in tree if (f := _component(t, ident)) is not None), None)
    if not isinstance(tree, dict):
        return None
    props = tree.get("props", {})
    if props.get("id") == ident:
        return props
    return _component(props.get("children"), ident)


# -- who may reach the page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/review/", "/review", "/review/_dash-layout", "/review/_dash-dependencies"]
)
def test_nobody_and_viewers_are_refused_the_page(app_data, paths, users_file, path) -> None:
    client = _app(
        app_data, paths, decide_policy(host="0.0.0.0", production=True)
    ).server.test_client()
    response = client.get(path)
    assert response.status_code == 401
    assert (
        "not logged in: only editors may change the layers; log in at /login"
        in response.get_data(as_text=True)
    )
    assert "review-article" not in response.get_data(as_text=True)
    assert client.get("/login", headers=basic("bob", "bob-password")).status_code == 302
    response = client.get(path)
    assert response.status_code == 403
    assert "user 'bob' is a viewer: only editors may change the layers" in response.get_data(
        as_text=True
    )


def test_viewers_callbacks_are_refused_and_change_nothing(
    app_data, paths, users_file, deps
) -> None:
    app = _app(app_data, paths, decide_policy(host="0.0.0.0", production=True))
    client = app.server.test_client()
    client.get("/login", headers=basic("alice", "alice-password"))
    draft = _draft(client, deps)
    before = folder_digest(paths.geodata), folder_digest(paths.seeds)
    viewer = app.server.test_client()
    for body in (_body(deps, "review-extract.n_clicks", _form()), _save_body(deps, draft)):
        response = viewer.post(CALLBACK, json=body)
        assert response.status_code == 401
        assert response.get_json()["error"].startswith("not logged in: only editors")
    viewer.get("/login", headers=basic("bob", "bob-password"))
    response = viewer.post(CALLBACK, json=_save_body(deps, draft))
    assert response.status_code == 403
    assert response.get_json() == {
        "error": "user 'bob' is a viewer: only editors may change the layers; an editor can give "
        "the role with 'mapdash users add bob --role editor'",
        "status": 403,
    }
    assert (folder_digest(paths.geodata), folder_digest(paths.seeds)) == before


def test_a_read_only_server_refuses_the_page_and_its_callbacks(app_data, paths, deps) -> None:
    policy = decide_policy(host="0.0.0.0", production=True)
    assert policy.mode == "read-only"
    client = _app(app_data, paths, policy).server.test_client()
    assert client.get("/review/").status_code == 403
    response = client.post(CALLBACK, json=_body(deps, "review-extract.n_clicks", _form()))
    assert response.status_code == 403
    assert response.get_json()["error"].startswith("this server is read-only")


def test_each_callback_checks_the_role_itself(app_data, paths, users_file, deps) -> None:
    """Without the page's request check, a viewer's save is still refused by the callback."""
    app = _app(app_data, paths, decide_policy(host="0.0.0.0", production=True))
    editor = app.server.test_client()
    editor.get("/login", headers=basic("alice", "alice-password"))
    draft = _draft(editor, deps)
    guards = app.server.before_request_funcs[None]
    app.server.before_request_funcs[None] = [
        f for f in guards if f.__qualname__ != "_guard.<locals>.check"
    ]
    before = folder_digest(paths.geodata), folder_digest(paths.seeds)
    viewer = app.server.test_client()
    viewer.get("/login", headers=basic("bob", "bob-password"))
    for body in (_body(deps, "review-extract.n_clicks", _form()), _save_body(deps, draft)):
        response = viewer.post(CALLBACK, json=body)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "user 'bob' is a viewer: only editors may change the layers" in text
        assert '"review-draft"' not in text
    assert (folder_digest(paths.geodata), folder_digest(paths.seeds)) == before


def test_only_an_editors_page_links_to_the_review(app_data, paths, users_file) -> None:
    client = _app(
        app_data, paths, decide_policy(host="0.0.0.0", production=True)
    ).server.test_client()
    assert "Review a new article" not in client.get("/_dash-layout").get_data(as_text=True)
    client.get("/login", headers=basic("bob", "bob-password"))
    assert "Review a new article" not in client.get("/_dash-layout").get_data(as_text=True)
    client.get("/login", headers=basic("alice", "alice-password"))
    link = _component(client.get("/_dash-layout").get_json(), "review-link")
    assert link is not None and link["href"] == "/review/"
    page = client.get("/review/")
    assert page.status_code == 200 and "Review a new article" in page.get_data(as_text=True)
    assert "Logged in as alice (editor)" in client.get("/review/_dash-layout").get_data(
        as_text=True
    )


# -- an editor's save -----------------------------------------------------------------------------


def test_an_editor_extracts_and_saves_through_the_page(app_data, paths, users_file, deps) -> None:
    client = _app(
        app_data, paths, decide_policy(host="0.0.0.0", production=True)
    ).server.test_client()
    client.get("/login", headers=basic("alice", "alice-password"))
    draft = _draft(client, deps)
    assert draft["article"]["title"].startswith("Zelenskyy and European leaders meet Trump")
    first = draft["items"][0]["claim"]["id"]
    response = client.post(CALLBACK, json=_action_body(deps, "accepted", first, draft))
    assert response.status_code == 200, response.get_data(as_text=True)
    draft = response.get_json()["response"]["review-draft"]["data"]
    assert draft["items"][0]["decision"] == "accepted"
    response = client.post(CALLBACK, json=_save_body(deps, draft))
    assert response.status_code == 200
    assert "Saved: 005_" in response.get_data(as_text=True)
    # The page offers the article saved to reopen at once, in date order (published 19 Aug).
    options = response.get_json()["response"]["review-reopen-article"]["options"]
    assert [o["label"][:10] for o in options] == sorted(
        (o["label"][:10] for o in options), reverse=True
    )
    (mine,) = [o for o in options if o["value"].startswith("005_")]
    assert mine["label"].startswith("2025-08-19 Zelenskyy and European leaders meet Trump")
    (entry,) = read_audit(paths.geodata)
    assert entry.actor == "alice" and entry.action == "review"
    claims = {c.id: c for c in load_claims(paths.geodata / "claims.yaml").claims}
    assert claims[first].status == "reviewed"


# -- reopening an article of seeds/ and editing its control facts --------------------------------

SEED = "002_c345c335f8d1f17f"
KURSK = "ctl-2024-08-kursk-ukraine"


def _reopen_body(deps) -> dict[str, Any]:
    values = {"review-reopen.n_clicks": 1, "review-reopen-article.value": SEED}
    return _body(deps, "review-reopen.n_clicks", values)


def _apply_body(deps, draft: Any, editing: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "review-apply.n_clicks": 1,
        "review-draft.data": draft,
        "review-editing.data": editing,
        **{f"review-edit-{k}.value": v for k, v in fields.items()},
    }
    return _body(deps, "review-apply.n_clicks", values)


def _reopened(client, deps) -> Any:
    response = client.post(CALLBACK, json=_reopen_body(deps))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]["review-draft"]["data"]


def _kursk_edit(deps, draft: Any) -> dict[str, Any]:
    return _apply_body(
        deps,
        draft,
        {"item": KURSK},
        **{
            "control-region": "kursk",
            "holder": "ukraine",
            "area": "1,268",
            "share": "",
            "bound": "exact",
            "date": "2024-08",
            "precision": "month",
            "summary": "Ukraine captures 1,268 km2 of the Kursk region.",
        },
    )


def test_viewers_cannot_reopen_or_edit(app_data, paths, users_file, deps) -> None:
    app = _app(app_data, paths, decide_policy(host="0.0.0.0", production=True))
    editor = app.server.test_client()
    editor.get("/login", headers=basic("alice", "alice-password"))
    draft = _reopened(editor, deps)
    before = folder_digest(paths.geodata), folder_digest(paths.seeds)
    bodies = (_reopen_body(deps), _kursk_edit(deps, draft))
    anonymous, viewer = app.server.test_client(), app.server.test_client()
    viewer.get("/login", headers=basic("bob", "bob-password"))
    for client, status, error in [
        (anonymous, 401, "not logged in: only editors"),
        (viewer, 403, "user 'bob' is a viewer: only editors"),
    ]:
        for body in bodies:
            response = client.post(CALLBACK, json=body)
            assert response.status_code == status
            assert response.get_json()["error"].startswith(error)
    # Without the page's request check, each callback still refuses the viewer itself.
    guards = app.server.before_request_funcs[None]
    app.server.before_request_funcs[None] = [
        f for f in guards if f.__qualname__ != "_guard.<locals>.check"
    ]
    for body in bodies:
        response = viewer.post(CALLBACK, json=body)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "user 'bob' is a viewer: only editors may change the layers" in text
        assert '"review-draft"' not in text and "Ukraine captures" not in text
    assert (folder_digest(paths.geodata), folder_digest(paths.seeds)) == before


def test_an_editor_reopens_a_seed_article_and_corrects_a_control_fact(
    app_data, paths, users_file, deps
) -> None:
    client = _app(
        app_data, paths, decide_policy(host="0.0.0.0", production=True)
    ).server.test_client()
    client.get("/login", headers=basic("alice", "alice-password"))
    # The page lists the manifest's articles, newest first.
    chooser = _component(client.get("/review/_dash-layout").get_json(), "review-reopen-article")
    assert chooser is not None
    assert [o["value"] for o in chooser["options"]][-1] == "004_697425ad9d472758"
    assert len(chooser["options"]) == 5
    held = LiveData(paths, LiveGeodata(paths.geodata), min_interval=0)
    version = held.version
    draft = _reopened(client, deps)
    assert draft["reopened"] is True and draft["article"]["id"] == SEED
    saved = [i for i in draft["items"] if i["origin"] == "saved"]
    assert len(saved) == 19 and {i["decision"] for i in saved} == {"accepted"}
    # An area larger than the region is refused, naming the field; nothing changes.
    too_large = _kursk_edit(deps, draft)
    for state in too_large["state"]:
        if state["id"] == "review-edit-area":
            state["value"] = "300,000"
    response = client.post(CALLBACK, json=too_large)
    text = response.get_data(as_text=True)
    assert "area_km2: 300,000 km2 is more than the whole of Kursk" in text
    assert '"review-draft"' not in text
    response = client.post(CALLBACK, json=_kursk_edit(deps, draft))
    assert response.status_code == 200, response.get_data(as_text=True)
    draft = response.get_json()["response"]["review-draft"]["data"]
    (kursk,) = [i for i in draft["items"] if i.get("control", {}).get("id") == KURSK]
    assert kursk["decision"] == "edited" and kursk["control"]["area_km2"] == 1268.0
    response = client.post(CALLBACK, json=_save_body(deps, draft))
    result = response.get_json()["response"]["review-result"]["children"]
    assert result["props"]["children"][0]["props"]["children"] == (
        f"Saved: the claims of {SEED} (Trump and Putin are Scheduled To Meet Next Week in "
        "Alaska); the article in seeds/ is unchanged; the map shows them within seconds."
    )
    facts = {f.id: f for f in load_claims(paths.geodata / "claims.yaml").control}
    assert (facts[KURSK].area_km2, facts[KURSK].bound) == (1268.0, "exact")
    (entry,) = read_audit(paths.geodata)
    assert entry.actor == "alice" and entry.detail and entry.detail.endswith(f"corrected {KURSK}")
    # Live at once: the data every callback reads has the corrected figure, with no restart.
    live = {f.id: f for f in held.timeline.control}
    assert held.version != version and live[KURSK].area_km2 == 1268.0


# -- undoing a save from the page ----------------------------------------------------------------


def _undo_body(deps, version: str) -> dict[str, Any]:
    """The request "Undo this save" sends (a pattern-matching input naming the version)."""
    body = _body(deps, '{"type":"review-undo","version":["ALL"]}.n_clicks', {})
    button = {"type": "review-undo", "version": version}
    body["inputs"] = [[{"id": button, "property": "n_clicks", "value": 1}]]
    body["changedPropIds"] = ['{"type":"review-undo","version":"' + version + '"}.n_clicks']
    return body


def _buttons(tree: Any) -> list[dict[str, Any]]:
    """The props of every button in a layout as Dash sends it."""
    if isinstance(tree, list):
        return [b for t in tree for b in _buttons(t)]
    if not isinstance(tree, dict):
        return []
    props = tree.get("props", {})
    mine = [props] if tree.get("type") == "Button" else []
    return mine + _buttons(props.get("children"))


def _saved_with_undo(client, deps) -> tuple[str, dict[str, Any]]:
    """Save the fixture article through the page; return its undo version and the response."""
    draft = _draft(client, deps)
    response = client.post(CALLBACK, json=_save_body(deps, draft))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()["response"]
    (undo,) = [
        b
        for b in _buttons(answer["review-result"]["children"])
        if b["children"] == "Undo this save"
    ]
    return undo["id"]["version"], answer


def test_an_editor_undoes_a_save_from_the_page(app_data, paths, users_file, deps) -> None:
    before = (paths.geodata / "claims.yaml").read_bytes(), folder_digest(paths.seeds)
    client = _app(
        app_data, paths, decide_policy(host="0.0.0.0", production=True)
    ).server.test_client()
    client.get("/login", headers=basic("alice", "alice-password"))
    version, _ = _saved_with_undo(client, deps)
    (saved,) = read_audit(paths.geodata)
    assert saved.stored == version
    response = client.post(CALLBACK, json=_undo_body(deps, version))
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()["response"]
    text = str(answer["review-result"]["children"])
    assert "Undone: the map shows the files as they were within seconds." in text
    assert f"undid entry 1 (review by alice, version {version}): restored claims.yaml" in text
    assert f"removed {saved.source_file}" in text
    assert not [
        o for o in answer["review-reopen-article"]["options"] if o["value"].startswith("005_")
    ]
    assert ((paths.geodata / "claims.yaml").read_bytes(), folder_digest(paths.seeds)) == before
    assert [(e.actor, e.action) for e in read_audit(paths.geodata)] == [
        ("alice", "review"),
        ("alice", "rollback"),
    ]
    # Pressed again: nothing left to undo, and nothing changes.
    response = client.post(CALLBACK, json=_undo_body(deps, version))
    assert "Nothing changed: nothing to undo: entry 1 is already undone" in response.get_data(
        as_text=True
    )
    assert len(read_audit(paths.geodata)) == 2
    response = client.post(CALLBACK, json=_undo_body(deps, "../../etc"))
    refusal = response.get_json()["response"]["review-result"]["children"]
    assert "no saved review '../../etc' to undo" in str(refusal)


def test_a_viewer_cannot_press_undo(app_data, paths, users_file, deps) -> None:
    app = _app(app_data, paths, decide_policy(host="0.0.0.0", production=True))
    editor = app.server.test_client()
    editor.get("/login", headers=basic("alice", "alice-password"))
    version, _ = _saved_with_undo(editor, deps)
    after_save = folder_digest(paths.geodata), folder_digest(paths.seeds)
    viewer = app.server.test_client()
    viewer.get("/login", headers=basic("bob", "bob-password"))
    response = viewer.post(CALLBACK, json=_undo_body(deps, version))
    assert response.status_code == 403
    assert response.get_json()["error"].startswith("user 'bob' is a viewer: only editors")
    # Without the page's request check the callback refuses the viewer itself.
    guards = app.server.before_request_funcs[None]
    app.server.before_request_funcs[None] = [
        f for f in guards if f.__qualname__ != "_guard.<locals>.check"
    ]
    response = viewer.post(CALLBACK, json=_undo_body(deps, version))
    assert "user 'bob' is a viewer: only editors may change the layers" in response.get_data(
        as_text=True
    )
    assert (folder_digest(paths.geodata), folder_digest(paths.seeds)) == after_save
    assert [e.action for e in read_audit(paths.geodata)] == ["review"]
