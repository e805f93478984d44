"""The review page in a real browser, under the app's own Content-Security-Policy.

An editor adds a real article of the development corpus (read from ``../shared/corpus-dev``
beside the project, never copied into it), accepts one candidate, corrects another's regions,
rejects a third, adds a claim the extractor missed by selecting its sentence with the mouse,
and saves; the claims file then passes ``mapdash claims --check`` and the audit log names the
editor. Article text is shown as text, whatever markup it holds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, run_server
from test_browser_editor import _close, _wait_until
from test_browser_editor import _page as _recorded_page

from mapdash.claims import load_claims
from mapdash.corpus import parse_header
from mapdash.geodata import read_audit
from mapdash.users import add_user

pytestmark = pytest.mark.browser

CORPUS_DEV = ROOT.parent / "shared" / "corpus-dev" / "articles"
ARTICLE = "01_kremlin_rejects_kursk_swap.txt"
#: The gold claim of that article the extractor misses: Moscow's claim to the four regions.
MISSED = "01-C4"
ANYWHERE = "All occupied territory (*)"
ACCEPTED_COLOUR = "rgb(167, 220, 199)"  # .span-accepted in assets/review/review.css
EDITED_COLOUR = "rgb(185, 214, 242)"
ADDED_COLOUR = "rgb(226, 200, 233)"


@pytest.fixture
def users_server(tmp_path, geodata_copy):
    users = tmp_path / "users.toml"
    add_user("alice", role="editor", password="alice-password", path=users)
    add_user("bob", role="viewer", password="bob-password", path=users)
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    env = {"MAPDASH_USERS": str(users), "MAPDASH_SEEDS": str(seeds)}
    with run_server(tmp_path, geodata=geodata_copy, env=env) as server:
        server.seeds = seeds  # type: ignore[attr-defined]
        yield server


def _page(browser, name: str, password: str):
    return _recorded_page(browser, {"username": name, "password": password})


def _card(page, *, regions: list[str]):
    """The one candidate card that lists exactly these regions and dispositions."""
    cards = page.locator(".review-item")
    found = [
        cards.nth(n)
        for n in range(cards.count())
        if cards.nth(n).locator(".review-item-regions li").all_inner_texts() == regions
    ]
    assert len(found) == 1, f"{len(found)} cards list {regions}"
    return found[0]


def _mark_colour(page, card) -> str:
    number = card.get_attribute("data-number")
    mark = page.locator(f'#review-article mark[data-items~="{number}"]').first
    return mark.evaluate("el => getComputedStyle(el).backgroundColor")


def _char_box(page, offset: int) -> dict[str, float]:
    """Where character ``offset`` of the article is drawn on the screen."""
    return page.locator("#review-article").evaluate(
        """(article, offset) => {
            const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
            let left = offset, node;
            while ((node = walker.nextNode())) {
                const chars = Array.from(node.textContent);
                if (left < chars.length) {
                    const at = chars.slice(0, left).join("").length;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + chars[left].length);
                    const box = range.getBoundingClientRect();
                    return {x: box.x, y: box.y, width: box.width, height: box.height};
                }
                left -= chars.length;
            }
            return null;
        }""",
        offset,
    )


def _select_with_the_mouse(page, start: int, end: int) -> None:
    """Drag from the first character to the last, as a reader selects a sentence."""
    # The article in the window, and the sentence in the article's upper third; then measure.
    page.locator("#review-article").evaluate("el => el.scrollIntoView({block: 'start'})")
    box = _char_box(page, start)
    page.locator("#review-article").evaluate(
        "(el, y) => el.scrollBy(0, y - el.getBoundingClientRect().top - el.clientHeight / 3)",
        box["y"],
    )
    first = _char_box(page, start)
    last = _char_box(page, end - 1)
    page.mouse.move(first["x"] + 1, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] - 1, last["y"] + last["height"] / 2, steps=12)
    page.mouse.up()


def _choose(page, region: str, label: str) -> None:
    page.locator(f'#review-editor [data-region="{region}"] button.dash-dropdown').click()
    page.get_by_role("dialog").get_by_role("option", name=label).click()


def test_an_editor_reviews_a_real_article_and_saves_it(
    users_server, browser, screenshot_dir
) -> None:
    if not (CORPUS_DEV / ARTICLE).is_file():
        pytest.skip(
            f"the development corpus is not beside the project ({CORPUS_DEV.parent} is missing); "
            "this test reads a real article from it"
        )
    viewer = _page(browser, "bob", "bob-password")
    viewer[1].goto(users_server.url + "/login")
    viewer[1].wait_for_url(users_server.url + "/")
    response = viewer[1].goto(users_server.url + "/review/")
    assert response is not None and response.status == 403
    assert "Only editors may review articles: user 'bob' is a viewer" in viewer[1].inner_text(
        "body"
    )
    viewer[2].console_errors.clear()  # the refused page's own 403
    # The viewer keeps the map open while the editor works.
    viewer[1].goto(users_server.url + "/?sel=actor:russia")
    viewer[1].wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    marks_before = viewer[1].locator(".slider .dash-slider-mark").count()

    context, page, record = _page(browser, "alice", "alice-password")
    page.goto(users_server.url + "/login")
    page.wait_for_url(users_server.url + "/")
    page.get_by_role("link", name="Review a new article").click()
    page.wait_for_url(users_server.url + "/review/")

    # The .txt upload fills the fields from its header lines.
    header = parse_header((CORPUS_DEV / ARTICLE).read_text(encoding="utf-8"))
    page.locator("#review-upload input[type=file]").set_input_files(str(CORPUS_DEV / ARTICLE))
    _wait_until(lambda: page.locator("#review-title").input_value() != "")
    assert page.locator("#review-title").input_value() == header.title
    assert page.locator("#review-outlet").input_value() == header.outlet
    assert page.locator("#review-published").input_value() == "2025-02-12"
    page.get_by_role("button", name="Find the candidate claims").click()
    page.locator(".review-item").first.wait_for()
    assert page.locator(".review-item").count() == 6
    assert page.locator("#review-article mark").count() >= 6
    assert "Rules that fired" in page.locator(".review-item").first.inner_text()

    # Accept Ukraine's Kursk swap as it is.
    swap = _card(page, regions=["Kursk: Territory exchange"])
    swap.get_by_role("button", name="Accept").click()
    swap.locator(".review-decision", has_text="accepted").wait_for()
    assert _mark_colour(page, swap) in (ACCEPTED_COLOUR,)
    # Russia's second rejection of the Kursk swap: Kursk only, not all occupied territory.
    refusal = _card(
        page, regions=["Kursk: To Russia, whole region", f"{ANYWHERE}: To Russia, whole region"]
    )
    refusal.get_by_role("button", name="Edit").click()
    page.locator("#review-editor").wait_for()
    # Every control of the editor has an accessible name: its field's, or its region's.
    editor = page.locator("#review-editor")
    for field in ("Speaker", "Date", "Summary"):
        assert editor.get_by_role("textbox", name=field, exact=True).count() == 1, field
    # A dropdown says its field, then its value: "Actor Russia (russia)", "Kursk To Russia, ...".
    for field, value in [
        ("Actor", "Russia (russia)"),
        ("Kind", "Rejection"),
        ("Date precision", "Day"),
        ("Kursk", "To Russia, whole region"),
        (ANYWHERE, "To Russia, whole region"),
    ]:
        named = editor.get_by_role("button", name=f"{field} {value}", exact=True)
        assert named.count() == 1, (field, value)
    assert editor.get_by_role("button", name=re.compile(r"^Proposal\b")).count() == 1
    page.locator('#review-editor [data-region="*"] .dash-dropdown-clear').click()
    page.get_by_role("button", name="Apply").click()
    refusal.locator(".review-decision", has_text="corrected").wait_for()
    assert refusal.locator(".review-item-regions").inner_text() == "Kursk: To Russia, whole region"
    assert _mark_colour(page, refusal) == EDITED_COLOUR
    # Zelensky's swap of unnamed territory is no claim about all occupied territory.
    swap_any = _card(page, regions=[f"{ANYWHERE}: Territory exchange"])
    swap_any.get_by_role("button", name="Reject").click()
    swap_any.locator(".review-decision", has_text="rejected").wait_for()
    # A reload keeps the work done (the tab keeps the review).
    page.reload()
    page.locator(".review-item").first.wait_for()
    decisions = page.locator(".review-item .review-decision").all_inner_texts()
    assert sorted(decisions) == ["accepted", "corrected"] + ["not decided"] * 3 + ["rejected"]

    # Moscow's claim to the four regions, which the extractor missed: select its sentence.
    text = page.locator("#review-article").evaluate("el => el.textContent")
    gold = yaml.safe_load((CORPUS_DEV.parent / "gold.yaml").read_text(encoding="utf-8"))
    (missed,) = [c for c in gold["articles"][ARTICLE]["claims"] if c["id"] == MISSED]
    start = text.index(missed["quote"])
    end = start + len(missed["quote"])
    _select_with_the_mouse(page, start, end)
    page.get_by_role("button", name="Add a claim from the selection").click()
    page.locator("#review-editor-title", has_text="Add a claim the extractor missed").wait_for()
    assert page.locator("#review-edit-quote").inner_text() == text[start:end]
    assert page.locator("#review-edit-actor").inner_text() == "Russia (russia)"
    for region in ("donetsk", "luhansk", "kherson", "zaporizhzhia"):
        _choose(page, region, "To Russia, whole region")
    page.locator("#review-edit-summary").fill(
        "Moscow has officially claimed Donetsk, Luhansk, Kherson and Zaporizhzhia"
    )
    page.get_by_role("button", name="Apply").click()
    added = page.locator(".review-item", has_text="added by you")
    added.wait_for()
    assert _mark_colour(page, added) == ADDED_COLOUR
    assert page.locator("#review-counts").inner_text() == (
        "1 accepted, 1 corrected, 1 added, 1 rejected, 3 not decided (saved as unreviewed)."
    )
    page.screenshot(path=str(screenshot_dir / "review-before-save.png"), full_page=True)

    page.get_by_role("button", name="Save the reviewed claims").click()
    result = page.locator("#review-result .review-ok")
    result.wait_for()
    assert result.inner_text().startswith("Saved: 005_")
    assert "Logged in the audit log as change 1 by alice." in result.inner_text()
    page.screenshot(path=str(screenshot_dir / "review-saved.png"), full_page=True)
    _close(context, page, record)

    # The viewer's page, opened before the save, says the data changed; one click brings the
    # new article's date to the slider and its claims to the map, with no restart.
    notice = viewer[1].locator("#geodata-alert .stale-page")
    notice.wait_for(timeout=15_000)
    assert notice.inner_text().startswith("The data changed since this page was opened.")
    notice.get_by_role("link", name="Refresh").click()
    viewer[1].wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    marks = viewer[1].locator(".slider .dash-slider-mark")
    assert marks.count() > marks_before
    assert any("12 Feb" in text for text in marks.all_inner_texts())
    viewer[1].goto(users_server.url + "/?date=2025-02-12&sel=actor:russia")
    viewer[1].wait_for_selector("#map-left .js-plotly-plot .scattergeo")
    _wait_until(lambda: "12 Feb 2025" in viewer[1].inner_text("#region-table"))
    _close(*viewer)

    # The saved file passes the check the command line runs.
    env = {
        **os.environ,
        "MAPDASH_GEODATA": str(users_server.geodata),
        "MAPDASH_SEEDS": str(users_server.seeds),
    }
    check = subprocess.run(
        [sys.executable, "-m", "mapdash", "claims", "--check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "claims file OK: 30 claims" in check.stdout
    (entry,) = read_audit(users_server.geodata)
    assert (entry.actor, entry.action) == ("alice", "review")
    article = entry.source_file.removesuffix(".txt") if entry.source_file else ""
    mine = [
        c
        for c in load_claims(users_server.geodata / "claims.yaml").claims
        if c.evidence[0].article == article
    ]
    reviewed = {(c.actor, c.kind): c for c in mine if c.status == "reviewed"}
    assert reviewed[("russia", "rejection")].regions == {"kursk": "to_russia"}
    assert reviewed[("russia", "rejection")].rules  # a correction keeps the rules that fired
    assert reviewed[("ukraine", "proposal")].regions == {"kursk": "exchange"}
    four = [c for c in mine if c.evidence[0].quote == text[start:end]]
    assert len(four) == 1 and four[0].status == "reviewed"
    assert four[0].regions == dict.fromkeys(
        ("donetsk", "luhansk", "kherson", "zaporizhzhia"), "to_russia"
    )
    assert not any(c.regions == {"*": "exchange"} for c in mine)


HOSTILE_TITLE = "Talks <img src=x onerror=\"window.__injected = 'title'\">"
HOSTILE_TEXT = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday that any settlement must recognize "
    "Crimea as part of Russia. <script>window.__injected = 'script'</script> "
    "<img src=x onerror=\"window.__injected = 'img'; alert('img')\"> <b>bold?</b>\n"
)


def test_article_markup_is_shown_as_text_and_never_runs(users_server, browser) -> None:
    context, page, record = _page(browser, "alice", "alice-password")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(users_server.url + "/login")
    page.wait_for_url(users_server.url + "/")
    page.goto(users_server.url + "/review/")
    page.locator("#review-title").fill(HOSTILE_TITLE)
    page.locator("#review-outlet").fill("Wire <b>service</b>")
    page.locator("#review-published").fill("2025-08-19")
    page.locator("#review-text").fill(HOSTILE_TEXT)
    page.get_by_role("button", name="Find the candidate claims").click()
    page.locator(".review-item").first.wait_for()
    article = page.locator("#review-article")
    assert article.text_content() == HOSTILE_TEXT
    card = page.locator(".review-item").first
    assert "<script>window.__injected = 'script'</script>" in card.inner_text()
    assert (
        page.locator("#review-article script, #review-article img, #review-article b").count() == 0
    )
    assert page.locator(".review-item img, .review-item b, .review-message img").count() == 0
    assert page.evaluate("window.__injected") is None
    assert dialogs == []
    assert [url for url in record.requests if url.rstrip("/").endswith("/x")] == []
    _close(context, page, record)


SEED = "002_c345c335f8d1f17f"
KURSK = "ctl-2024-08-kursk-ukraine"


def test_an_editor_reopens_a_seed_article_and_corrects_a_control_fact(
    users_server, browser, screenshot_dir
) -> None:
    seeds = {p.name: p.read_bytes() for p in users_server.seeds.iterdir()}
    claims_before = (users_server.geodata / "claims.yaml").read_bytes()
    context, page, record = _page(browser, "alice", "alice-password")
    page.goto(users_server.url + "/login")
    page.wait_for_url(users_server.url + "/")
    page.goto(users_server.url + "/review/")
    page.locator("#review-reopen-article").click()
    page.get_by_role("dialog").get_by_role(
        "option", name=re.compile(r"^2025-08-09 Trump and Putin are Scheduled")
    ).click()
    page.get_by_role("button", name="Open the article").click()
    card = page.locator(f'.review-item[data-item="{KURSK}"]')
    card.wait_for()
    assert (
        page.locator("#review-reopen-message")
        .inner_text()
        .startswith(f"{SEED}: 19 entries of claims.yaml and 1 new candidate(s)")
    )
    assert card.locator(".review-decision").inner_text() == "saved"
    assert card.locator("strong").first.inner_text() == (
        "Control: Ukraine holds about 1,295 km2 of Kursk, Aug 2024"
    )
    # The saved entries' quotes are marked in the article, though the file gives no offsets.
    number = card.get_attribute("data-number")
    assert page.locator(f'#review-article mark[data-items~="{number}"]').count() >= 1

    card.get_by_role("button", name="Edit").click()
    editor = page.locator("#review-editor")
    page.locator("#review-editor-title", has_text=f"Edit saved entry {number}").wait_for()
    # The control fact's fields, each with its accessible name; the claim's are hidden.
    assert editor.get_by_role("button", name=re.compile(r"^Actor\b")).count() == 0
    for field, value in [
        ("Region", "Kursk"),
        ("Held by", "Ukraine"),
        ("Figure is", "about (approximate)"),
        ("Date precision", "Month"),
    ]:
        assert editor.get_by_role("button", name=f"{field} {value}", exact=True).count() == 1, field
    area = editor.get_by_role("textbox", name="Area (km2)", exact=True)
    assert area.input_value() == "1,295"
    assert editor.get_by_role("textbox", name="Share of the region", exact=True).count() == 1
    # A figure larger than the region is refused, naming the field.
    area.fill("300,000")
    page.get_by_role("button", name="Apply").click()
    page.locator("#review-edit-message .review-error").wait_for()
    assert "area_km2: 300,000 km2 is more than the whole of Kursk" in page.inner_text(
        "#review-edit-message"
    )
    area.fill("1,268")
    page.screenshot(path=str(screenshot_dir / "review-control-editor.png"))
    page.locator("#review-edit-bound").click()
    page.get_by_role("dialog").get_by_role("option", name="exact").click()
    page.get_by_role("button", name="Apply").click()
    card.locator(".review-decision", has_text="saved, corrected").wait_for()
    assert card.locator("strong").first.inner_text() == (
        "Control: Ukraine holds 1,268 km2 of Kursk, Aug 2024"
    )
    assert page.locator("#review-counts").inner_text() == (
        "18 kept, 1 corrected, 0 removed, 0 accepted, 0 added, 0 rejected, 1 not decided "
        "(left as they are)."
    )
    page.get_by_role("button", name="Save the reviewed claims").click()
    result = page.locator("#review-result .review-ok")
    result.wait_for()
    assert result.inner_text().startswith(f"Saved: the claims of {SEED}")
    page.screenshot(path=str(screenshot_dir / "review-reopened-saved.png"), full_page=True)

    facts = {f.id: f for f in load_claims(users_server.geodata / "claims.yaml").control}
    assert (facts[KURSK].area_km2, facts[KURSK].bound, facts[KURSK].status) == (
        1268.0,
        "exact",
        "reviewed",
    )
    assert {p.name: p.read_bytes() for p in users_server.seeds.iterdir()} == seeds
    (entry,) = read_audit(users_server.geodata)
    assert (entry.actor, entry.detail) == (
        "alice",
        f"article {SEED} (Trump and Putin are Scheduled To Meet Next Week in Alaska) "
        f"reopened: corrected {KURSK}",
    )

    # "Undo this save" puts the claims file back byte for byte and says what it restored.
    result.get_by_role("button", name="Undo this save").click()
    undone = page.locator("#review-result .review-ok", has_text="Undone:")
    undone.wait_for()
    assert f"undid entry 1 (review by alice, version {entry.stored}): restored claims.yaml" in (
        undone.inner_text()
    )
    assert (users_server.geodata / "claims.yaml").read_bytes() == claims_before
    assert [e.action for e in read_audit(users_server.geodata)] == ["review", "rollback"]
    _close(context, page, record)
