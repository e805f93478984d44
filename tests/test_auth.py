"""Roles on the server: who may upload, what each page shows, logging in, headers and origins."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_requests import basic, folder_digest, upload_body

from mapdash.cli import main
from mapdash.config import PROJECT_ROOT, Paths
from mapdash.errors import UsersError
from mapdash.users import add_user
from mapdash.web import create_app
from mapdash.web.auth import AccessPolicy, decide_policy
from mapdash.web.data import AppData

LAYER = "control_2025-08-15.geojson"


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


def _client(app_data, geodata: Path, policy: AccessPolicy):
    paths = Paths(geodata=geodata, seeds=PROJECT_ROOT / "seeds")
    return create_app(paths=paths, data=app_data, access=policy).server.test_client()


@pytest.fixture
def layer_bytes(data_dir) -> bytes:
    return (data_dir / "geojson" / "control" / LAYER).read_bytes()


# -- choosing the mode ----------------------------------------------------------------------


def test_local_mode_only_on_loopback_without_production(tmp_path) -> None:
    missing = tmp_path / "users.toml"
    local = decide_policy(host="127.0.0.1", production=False, users_file=missing)
    assert local.mode == "local"
    assert local.describe().startswith("single-user local mode: no users file and a loopback")
    for host, production in (("127.0.0.1", True), ("0.0.0.0", False), ("192.168.1.5", False)):
        policy = decide_policy(host=host, production=production, users_file=missing)
        assert policy.mode == "read-only"
        assert policy.describe() == (
            f"read-only: no users file at {missing}, so nobody can change the layers; add an "
            "editor with 'mapdash users add NAME --role editor' and restart"
        )


def test_a_users_file_decides_and_private_needs_one(tmp_path, users_file) -> None:
    policy = decide_policy(host="0.0.0.0", production=True, private=True)
    assert policy.mode == "users" and policy.private
    assert policy.describe().endswith("editors log in at /login; viewing needs a login (--private)")
    with pytest.raises(UsersError, match=r"--private asks for a login, but there is no users file"):
        decide_policy(host="127.0.0.1", production=False, private=True, users_file=tmp_path / "x")


def test_serve_refuses_the_debugger_off_loopback_and_private_without_users(runner) -> None:
    result = runner.invoke(main, ["serve", "--debug", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--debug serves Werkzeug's debugger" in result.output
    assert "use it only with --host 127.0.0.1" in result.output
    result = runner.invoke(main, ["serve", "--private"])
    assert result.exit_code == 1
    assert "Error: --private asks for a login, but there is no users file" in result.output


# -- uploads through the callback -----------------------------------------------------------


def test_anonymous_and_viewer_uploads_are_refused_and_change_nothing(
    app_data, geodata_copy, users_file, layer_bytes
) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="0.0.0.0", production=True))
    before = folder_digest(geodata_copy)
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 401
    assert response.get_json()["error"].startswith(
        "not logged in: only editors may change the layers; log in at /login"
    )
    assert client.get("/login", headers=basic("bob", "bob-password")).status_code == 302
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 403
    assert response.get_json()["error"] == (
        "user 'bob' is a viewer: only editors may change the layers; an editor can give the "
        "role with 'mapdash users add bob --role editor'"
    )
    assert folder_digest(geodata_copy) == before
    assert not (geodata_copy / "control" / LAYER).exists()


def test_a_logged_in_editor_uploads(app_data, geodata_copy, users_file, layer_bytes) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="0.0.0.0", production=True))
    assert client.get("/login", headers=basic("alice", "wrong-password")).status_code == 401
    login = client.get("/login", headers=basic("alice", "alice-password"))
    assert login.status_code == 302 and login.headers["Location"] == "/"
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 200
    assert "upload-ok" in response.get_data(as_text=True)
    assert (geodata_copy / "control" / LAYER).is_file()
    # Logged out, the same request is refused again.
    assert client.get("/logout").status_code == 200
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 401


def test_a_read_only_server_refuses_every_upload(app_data, geodata_copy, layer_bytes) -> None:
    policy = decide_policy(host="0.0.0.0", production=True)
    assert policy.mode == "read-only"
    client = _client(app_data, geodata_copy, policy)
    before = folder_digest(geodata_copy)
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 403
    assert response.get_json()["error"].startswith("this server is read-only: it has no users file")
    assert folder_digest(geodata_copy) == before


def test_local_mode_lets_the_single_user_upload(app_data, geodata_copy, layer_bytes) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="127.0.0.1", production=False))
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 200
    assert (geodata_copy / "control" / LAYER).is_file()


def test_viewers_get_a_page_without_the_editor_controls(app_data, geodata_copy, users_file) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="0.0.0.0", production=True))
    anonymous = client.get("/_dash-layout").get_data(as_text=True)
    assert '"geodata-upload"' not in anonymous and '"layer-panel"' not in anonymous
    assert "control-measured" in anonymous and "Editors: log in" in anonymous
    client.get("/login", headers=basic("bob", "bob-password"))
    assert '"geodata-upload"' not in client.get("/_dash-layout").get_data(as_text=True)
    client.get("/login", headers=basic("alice", "alice-password"))
    editor = client.get("/_dash-layout").get_data(as_text=True)
    assert "Update the geodata" in editor and "Logged in as alice (editor)" in editor


def test_a_removed_editor_loses_the_role_at_once(
    app_data, geodata_copy, users_file, layer_bytes, runner
) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="0.0.0.0", production=True))
    client.get("/login", headers=basic("alice", "alice-password"))
    result = runner.invoke(main, ["users", "remove", "alice"])
    assert result.exit_code == 0, result.output
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 401


# -- private servers ------------------------------------------------------------------------


def test_a_private_server_asks_everyone_to_log_in(app_data, geodata_copy, users_file) -> None:
    policy = decide_policy(host="0.0.0.0", production=True, private=True)
    client = _client(app_data, geodata_copy, policy)
    for path in ("/", "/_dash-layout", "/api/state"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"].startswith('Basic realm="mapdash"')
    assert client.get("/healthz").status_code == 200
    assert client.get("/", headers=basic("bob", "bob-password")).status_code == 200
    # The browser's session carries the login on.
    assert client.get("/api/state").status_code == 200


# -- hardening ------------------------------------------------------------------------------


def test_security_headers(app_data, geodata_copy, monkeypatch) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="127.0.0.1", production=False))
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'sha256-" in csp
    assert "unsafe-eval" not in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    monkeypatch.setenv("MAPDASH_FRAME_ANCESTORS", "'self' https://intranet.example.org")
    client = _client(app_data, geodata_copy, decide_policy(host="127.0.0.1", production=False))
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://intranet.example.org" in csp


def test_unknown_routes_are_404(app_data, geodata_copy) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="127.0.0.1", production=False))
    for path in ("/nothing-here", "/admin/console", "/console"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.get_json()["error"] == f"no page at {path}; the dashboard is at /"
    assert client.get("/").status_code == 200


def test_cross_site_posts_are_refused(app_data, geodata_copy, layer_bytes) -> None:
    client = _client(app_data, geodata_copy, decide_policy(host="127.0.0.1", production=False))
    before = folder_digest(geodata_copy)
    body = upload_body(LAYER, layer_bytes)
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page.html"},
    ):
        response = client.post("/_dash-update-component", json=body, headers=headers)
        assert response.status_code == 403, headers
        assert response.get_json()["error"].startswith("cross-site request refused: it comes")
    assert folder_digest(geodata_copy) == before
    same = client.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
    assert same.status_code == 200


# -- OpenID Connect -------------------------------------------------------------------------

OIDC_TABLE = """
[oidc]
provider = "corp"
server_metadata_url = "https://login.example.org/.well-known/openid-configuration"
client_id = "mapdash"
client_secret_env = "MAPDASH_TEST_OIDC_SECRET"
editor_group = "mapdash-editors"
"""


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[oidc]\nprovider = "corp"\n', r"\[oidc\] lacks server_metadata_url, client_id, clie"),
        (
            OIDC_TABLE.replace("https://login", "http://login"),
            r"server_metadata_url must be an https:// URL",
        ),
        (OIDC_TABLE + 'colour = "red"\n', r"\[oidc\] has unknown field\(s\) colour; expected"),
        (OIDC_TABLE.replace('"corp"', '"my corp"'), r"provider 'my corp' must be 1-32 letters"),
    ],
)
def test_oidc_settings_are_checked(tmp_path, table, message) -> None:
    path = tmp_path / "users.toml"
    path.write_text(table)
    from mapdash.users import load_users

    with pytest.raises(UsersError, match=message):
        load_users(path)


def test_oidc_sign_in_is_built_and_maps_groups_to_roles(
    app_data, geodata_copy, users_file, layer_bytes, monkeypatch
) -> None:
    users_file.write_text(users_file.read_text() + OIDC_TABLE)
    # Adding a user rewrites the file and keeps the [oidc] table.
    add_user("carol", role="viewer", password="carol-password")
    assert 'editor_group = "mapdash-editors"' in users_file.read_text()
    policy = decide_policy(host="0.0.0.0", production=True)
    with pytest.raises(UsersError, match=r"MAPDASH_TEST_OIDC_SECRET, which is not set; export"):
        _client(app_data, geodata_copy, policy)
    monkeypatch.setenv("MAPDASH_TEST_OIDC_SECRET", "s3cret")
    client = _client(app_data, geodata_copy, policy)
    rules = {rule.rule for rule in client.application.url_map.iter_rules()}
    assert {"/oidc/<idp>/login", "/oidc/<idp>/callback", "/oidc/logout"} <= rules
    login = client.get("/login")
    assert login.status_code == 302 and login.headers["Location"] == "/oidc/corp/login"
    before = folder_digest(geodata_copy)
    with client.session_transaction() as session:
        session["idp"] = "corp"
        session["user"] = {"email": "dana@example.org", "groups": ["staff"]}
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 403
    assert "user 'dana@example.org' is a viewer" in response.get_json()["error"]
    assert folder_digest(geodata_copy) == before
    with client.session_transaction() as session:
        session["user"] = {"email": "dana@example.org", "groups": ["staff", "mapdash-editors"]}
    response = client.post("/_dash-update-component", json=upload_body(LAYER, layer_bytes))
    assert response.status_code == 200
    assert (geodata_copy / "control" / LAYER).is_file()
