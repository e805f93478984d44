"""In the browser, under the app's real Content-Security-Policy: an editor logs in, uploads, sees
the layer and rolls it back; viewers see no editor controls."""

from __future__ import annotations

import re
import time

import pytest
from conftest import PageRecord, run_server

from mapdash.figures import CONTROL_TRACE
from mapdash.geodata import read_audit
from mapdash.users import add_user

pytestmark = pytest.mark.browser

UPLOAD_INPUT = "#geodata-upload input[type=file]"
LAYER = "control_2025-08-15.geojson"


@pytest.fixture
def users_server(tmp_path, geodata_copy):
    path = tmp_path / "users.toml"
    add_user("alice", role="editor", password="alice-password", path=path)
    add_user("bob", role="viewer", password="bob-password", path=path)
    with run_server(tmp_path, geodata=geodata_copy, env={"MAPDASH_USERS": str(path)}) as srv:
        yield srv


def _page(browser, credentials: dict[str, str] | None):
    context = browser.new_context(
        viewport={"width": 1600, "height": 1000}, http_credentials=credentials
    )
    page = context.new_page()
    record = PageRecord()
    page.on("request", lambda req: record.requests.append(req.url))
    page.on(
        "console",
        lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: record.console_errors.append(str(exc)))
    return context, page, record


def _overlay_visible(page) -> bool:
    return bool(
        page.evaluate(
            f"document.querySelector('#map-left .js-plotly-plot').data[{CONTROL_TRACE}].visible"
        )
    )


def _wait_until(check, *, timeout: float = 20.0) -> None:
    """Poll from Python: the page's CSP forbids the eval behind Playwright's string predicates."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _close(context, page, record) -> None:
    page.goto("about:blank")
    context.close()
    assert record.external_requests() == [], "requests left 127.0.0.1"
    assert record.console_errors == [], "browser console errors"


def test_editor_uploads_sees_the_layer_and_rolls_it_back(
    users_server, browser, data_dir, screenshot_dir
) -> None:
    context, page, record = _page(browser, {"username": "alice", "password": "alice-password"})
    page.goto(users_server.url + "/login")
    page.wait_for_url(users_server.url + "/")
    page.goto(users_server.url + "/?date=2025-08-20")
    page.wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    assert page.inner_text(".account").startswith("Logged in as alice (editor)")
    page.wait_for_selector("#layer-list .layer-items")
    assert "Control layer" not in page.inner_text("#layer-list")

    page.set_input_files(UPLOAD_INPUT, str(data_dir / "geojson" / "control" / LAYER))
    page.wait_for_selector(".upload-ok")
    page.wait_for_selector("#layer-list li[data-layer=control_2025-08-15]")
    listed = page.inner_text("#layer-list")
    assert "installed by alice" in listed
    assert re.search(r"alice\s+control_2025-08-15: installed", listed)  # Recent changes
    _wait_until(lambda: _overlay_visible(page))
    page.screenshot(path=str(screenshot_dir / "editor_layer_panel.png"), full_page=True)

    page.click("button.layer-undo")
    page.wait_for_selector("#layer-result .upload-ok")
    assert "rolled back" in page.inner_text("#layer-result")
    page.wait_for_selector("#layer-list li[data-layer=control_2025-08-15]", state="detached")
    _wait_until(lambda: not _overlay_visible(page))
    assert "No control layer on or before 20 Aug 2025" in page.inner_text("#control-measured")
    assert not (users_server.geodata / "control" / LAYER).exists()
    log = read_audit(users_server.geodata)
    assert [(e.action, e.actor) for e in log] == [("install", "alice"), ("rollback", "alice")]
    _close(context, page, record)


@pytest.mark.parametrize(
    ("credentials", "account"),
    [
        (None, "Viewing"),
        ({"username": "bob", "password": "bob-password"}, "Logged in as bob (viewer)"),
    ],
)
def test_viewers_see_no_editor_controls(users_server, browser, credentials, account) -> None:
    context, page, record = _page(browser, credentials)
    if credentials:
        page.goto(users_server.url + "/login")
        page.wait_for_url(users_server.url + "/")
    page.goto(users_server.url + "/")
    page.wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    page.wait_for_selector("#control-measured")
    assert page.inner_text(".account").startswith(account)
    for selector in ("#geodata-upload", "#layer-panel", "button.layer-undo", "input[type=file]"):
        assert page.locator(selector).count() == 0, selector
    assert page.locator("h2", has_text="Update the geodata").count() == 0
    _close(context, page, record)
