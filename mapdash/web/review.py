"""The editor's review page at ``/review/``: add an article, decide its candidates, save.

A page of its own (a second Dash app on the dashboard's server, under ``/review/``), for editors
only: every request under ``/review`` is refused before Dash runs unless it comes from an
editor (401 for nobody, 403 for a viewer or on a read-only server), and every callback asks
for the role again. The work is :mod:`mapdash.review`'s; the callbacks here are adapters that
keep the review in the page (a ``dcc.Store``, checked again on every step) and draw it:

- the article, every candidate's evidence highlighted at its span, with the rules that fired;
- per candidate: accept, edit (actor, regions and dispositions, kind, date and precision,
  proposal, summary, the quote chosen by selecting text) or reject;
- "Add a claim from the selection": a claim the extractor missed, quoting the selected text
  (``assets/review/review.js`` turns the browser's selection into offsets);
- Save: checked as ``mapdash claims --check`` checks, written atomically, logged as the editor.

All article text is rendered as text (React escapes it): the article is hostile input.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import dash
import flask
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from .. import review as rv
from ..claims import CLAIMS_FILE, known_actors, load_claims
from ..config import PROJECT_ROOT, Paths
from ..errors import AccessDenied, ClaimsError, ReviewError
from ..legend import BOUND_WORDS, KIND_LABELS, PRECISION_LABELS, actor_name, legend_entry
from ..regions import REGIONS
from ..timeline import format_date
from ..types import (
    ALL_OCCUPIED,
    CLAIM_KINDS,
    DATE_PRECISIONS,
    DISPOSITIONS,
    Claim,
    ControlFact,
)
from . import ids
from .account import account_bar
from .auth import Access
from .render import attrs

#: Where the page is served.
PREFIX = "/review/"
TITLE = "Review a new article - mapdash"
_TEXT_ROWS = 14
_NO_PROPOSAL = ""


def review_link() -> html.Section:
    """Build the editor's side-panel entry that leads to the review page."""
    return html.Section(
        [
            html.H2("Claims from a new article"),
            html.P(
                [
                    html.A("Review a new article", href=PREFIX, id=ids.REVIEW_LINK),
                    ": paste or upload it, check the claims found in it, save them to the map.",
                ],
                className="hint",
            ),
        ],
        className="review-link",
        **attrs({"aria-label": "Claims from a new article"}),
    )


# -- layout ---------------------------------------------------------------------------------------


def _field(label: str, component: Any, hint: str | None = None) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=component.id),
            component,
            html.Span(hint, className="hint") if hint else None,
        ],
        className="review-field",
    )


def _article_form() -> html.Section:
    return html.Section(
        [
            html.H2("1. The article"),
            html.Div(
                [
                    _field("Title", dcc.Input(id=ids.REVIEW_TITLE, type="text", value="")),
                    _field("Outlet", dcc.Input(id=ids.REVIEW_OUTLET, type="text", value="")),
                    _field(
                        "Published",
                        dcc.Input(
                            id=ids.REVIEW_PUBLISHED, type="text", value="", placeholder="YYYY-MM-DD"
                        ),
                    ),
                    _field(
                        "URL",
                        dcc.Input(id=ids.REVIEW_URL, type="text", value="", placeholder="https://"),
                        "if known",
                    ),
                ],
                className="review-meta",
            ),
            _field(
                "Text of the article",
                dcc.Textarea(id=ids.REVIEW_TEXT, value="", rows=_TEXT_ROWS),
            ),
            dcc.Upload(
                id=ids.REVIEW_UPLOAD,
                children=html.Div(["Or drop a .txt file here, or ", html.A("choose one")]),
                accept=".txt,text/plain",
                className="upload-drop",
            ),
            html.P(
                "Header lines at the top of the file (Title:, Outlet:, Date:, URL:, then a blank "
                f"line) fill the fields. Up to {rv.MAX_TEXT_CHARS:,} characters.",
                className="hint",
            ),
            html.Button("Find the candidate claims", id=ids.REVIEW_EXTRACT, n_clicks=0),
            html.Div(id=ids.REVIEW_MESSAGE, className="review-message"),
        ],
        className="review-form",
        **attrs({"aria-label": "The article"}),
    )


def _option(value: str, label: str) -> dict[str, str]:
    return {"label": label, "value": value}


def _region_name(region: str) -> str:
    return "All occupied territory (*)" if region == ALL_OCCUPIED else REGIONS[region].name


def _editor() -> html.Section:
    dispositions = [_option(d, legend_entry(d).label) for d in DISPOSITIONS]
    return html.Section(
        [
            html.H3(id=ids.REVIEW_EDITOR_TITLE),
            html.Div(
                [
                    _field(
                        "Actor",
                        dcc.Dropdown(id=ids.REVIEW_EDIT_ACTOR, clearable=False, searchable=False),
                    ),
                    _field("Speaker", dcc.Input(id=ids.REVIEW_EDIT_SPEAKER, type="text")),
                    _field(
                        "Kind",
                        dcc.Dropdown(
                            id=ids.REVIEW_EDIT_KIND,
                            options=[_option(k, KIND_LABELS[k]) for k in CLAIM_KINDS],
                            clearable=False,
                            searchable=False,
                        ),
                    ),
                    _field("Date", dcc.Input(id=ids.REVIEW_EDIT_DATE, type="text")),
                    _field(
                        "Date precision",
                        dcc.Dropdown(
                            id=ids.REVIEW_EDIT_PRECISION,
                            options=[_option(p, PRECISION_LABELS[p]) for p in DATE_PRECISIONS],
                            clearable=False,
                            searchable=False,
                        ),
                    ),
                    _field(
                        "Proposal",
                        dcc.Dropdown(
                            id=ids.REVIEW_EDIT_PROPOSAL, clearable=False, searchable=False
                        ),
                    ),
                ],
                className="review-edit-fields",
            ),
            html.Fieldset(
                [
                    html.Legend("Regions and what the claim would mean for each"),
                    *[
                        html.Div(
                            [
                                html.Span(_region_name(region), className="review-region-name"),
                                dcc.Dropdown(
                                    id={"type": ids.REVIEW_EDIT_REGION, "region": region},
                                    options=dispositions,
                                    placeholder="not part of the claim",
                                    searchable=False,
                                ),
                            ],
                            className="review-region",
                            **attrs({"data-region": region}),
                        )
                        for region in rv.REGION_KEYS
                    ],
                ],
                className="review-regions",
            ),
            _field(
                "Summary",
                dcc.Textarea(id=ids.REVIEW_EDIT_SUMMARY, rows=2),
                "one line: what the claim means for the territory",
            ),
            html.Div(
                [
                    html.Strong("Quote: "),
                    html.Q(id=ids.REVIEW_EDIT_QUOTE),
                    html.Button(
                        "Use the selected text as the quote",
                        id=ids.REVIEW_USE_SELECTION,
                        n_clicks=0,
                        className="secondary",
                    ),
                ],
                className="review-quote",
            ),
            html.Div(
                [
                    html.Button("Apply", id=ids.REVIEW_APPLY, n_clicks=0),
                    html.Button("Cancel", id=ids.REVIEW_CANCEL, n_clicks=0, className="secondary"),
                ],
                className="review-buttons",
            ),
            html.Div(id=ids.REVIEW_EDIT_MESSAGE, className="review-message"),
            dcc.Store(id=ids.REVIEW_EDIT_SPAN, data=None),
        ],
        id=ids.REVIEW_EDITOR,
        hidden=True,
        className="review-editor",
        **attrs({"aria-label": "Edit the claim"}),
    )


def _work() -> html.Section:
    return html.Section(
        [
            html.H2("2. The candidates"),
            html.P(
                [
                    "Each candidate's sentence is marked in the article. Accept it, correct it "
                    "or reject it; to add a claim the extractor missed, select its sentence in "
                    "the article and press ",
                    html.Button("Add a claim from the selection", id=ids.REVIEW_ADD, n_clicks=0),
                ],
                className="hint",
            ),
            html.Div(
                [
                    html.Div(
                        id=ids.REVIEW_ARTICLE,
                        className="review-article",
                        **attrs({"aria-label": "The article, with the candidates marked"}),
                    ),
                    html.Div(
                        [_editor(), html.Div(id=ids.REVIEW_ITEMS, className="review-items")],
                        className="review-side",
                    ),
                ],
                className="review-columns",
            ),
            html.H2("3. Save"),
            html.P(id=ids.REVIEW_COUNTS, className="review-counts"),
            html.Button("Save the reviewed claims", id=ids.REVIEW_SAVE, n_clicks=0),
            html.P(
                "Saving checks every quote, region, actor, proposal and date as "
                "'mapdash claims --check' does; nothing is written unless all pass. Candidates "
                "left undecided are saved as unreviewed (status: extracted), rejected ones are "
                "left out.",
                className="hint",
            ),
        ],
        id=ids.REVIEW_WORK,
        hidden=True,
        className="review-work",
    )


def review_layout(access: Access) -> html.Div:
    """Build the page, per request (the account line names who is logged in)."""
    return html.Div(
        [
            account_bar(access.user(), access.policy),
            html.Header(
                [
                    html.Div(
                        [
                            html.H1("Review a new article"),
                            html.P(
                                "Add an article, check the claims found in it, and save them "
                                "to the map.",
                                className="subtitle",
                            ),
                        ]
                    ),
                    html.A("Back to the map", href="/", className="back"),
                ],
                className="titlebar",
            ),
            html.Main(
                [
                    _article_form(),
                    _work(),
                    html.Div(
                        id=ids.REVIEW_RESULT,
                        className="review-result",
                        **attrs({"aria-live": "polite"}),
                    ),
                ],
                className="review-main",
            ),
            # Kept by the browser tab, so that a reload does not lose the work done.
            dcc.Store(id=ids.REVIEW_DRAFT, data=None, storage_type="session"),
            dcc.Store(id=ids.REVIEW_EDITING, data=None),
            dcc.Store(id=ids.REVIEW_SELECTION, data=None),
        ],
        className="review-page",
    )


# -- drawing a review -----------------------------------------------------------------------------


def _decision_label(item: rv.Item) -> str:
    if item.origin == "added":
        return "added by you"
    return {
        "pending": "not decided",
        "accepted": "accepted",
        "edited": "corrected",
        "rejected": "rejected",
    }[item.decision]


def _state(item: rv.Item) -> str:
    return "added" if item.origin == "added" and item.decision != "rejected" else item.decision


def article_view(review: rv.Review) -> list[Any]:
    """Cut the article text where evidence starts and ends, and mark the parts covered.

    Each mark names the candidates whose evidence it belongs to (``data-items``, their
    numbers) and takes the state of the first that is not rejected.
    """
    text = review.article.text
    spans: list[tuple[int, int, int]] = []
    for number, item in enumerate(review.items, start=1):
        for evidence in item.entry.evidence:
            if evidence.start is not None and evidence.end is not None:
                spans.append((evidence.start, evidence.end, number))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    children: list[Any] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [n for s, e, n in spans if s <= start and end <= e]
        chunk = text[start:end]
        if not covering:
            children.append(chunk)
            continue
        items = [review.items[n - 1] for n in covering]
        shown = next((i for i in items if i.decision != "rejected"), items[0])
        children.append(
            html.Mark(
                chunk,
                className=f"span span-{_state(shown)}",
                title="; ".join(
                    f"candidate {n}: {_decision_label(i)}"
                    for n, i in zip(covering, items, strict=True)
                ),
                **attrs({"data-items": " ".join(str(n) for n in covering)}),
            )
        )
    return children


def _regions_list(claim: Claim) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        className="swatch", style={"background": legend_entry(disposition).fill}
                    ),
                    f"{_region_name(region)}: {legend_entry(disposition).label}",
                ]
            )
            for region, disposition in claim.regions.items()
        ],
        className="review-item-regions",
    )


def _fact_line(fact: ControlFact) -> str:
    if fact.area_km2 is not None:
        amount = f"{fact.area_km2:,.0f} km2"
    elif fact.share is not None:
        amount = f"{fact.share:.0%}"
    else:
        amount = "an unstated part"
    where = "Ukraine as a whole" if fact.region == "ukraine" else _region_name(fact.region)
    return (
        f"Control: {actor_name(fact.holder)} holds {BOUND_WORDS[fact.bound]}{amount} of {where}, "
        f"{format_date(fact.date, fact.date_precision)}"
    )


def _buttons(item: rv.Item) -> list[html.Button]:
    def button(label: str, action: str) -> html.Button:
        return html.Button(
            label,
            id={"type": ids.REVIEW_ACTION, "action": action, "item": item.id},
            n_clicks=0,
            className=f"review-{action}",
        )

    if item.decision != "pending" and item.origin != "added":
        return [button("Reconsider", "pending")] + (
            [button("Edit", "edit")] if item.is_claim else []
        )
    shown = [] if item.origin == "added" else [button("Accept", "accepted")]
    if item.is_claim:
        shown.append(button("Edit", "edit"))
    if item.decision != "rejected":
        shown.append(button("Reject", "rejected"))
    return shown


def item_card(number: int, item: rv.Item) -> html.Article:
    """One candidate: what it says, its quote and span, the rules that fired, the buttons."""
    entry = item.entry
    if isinstance(entry, Claim):
        who = actor_name(entry.actor) + (f" ({entry.speaker})" if entry.speaker else "")
        heading = f"{who}, {entry.kind}, {format_date(entry.date, entry.date_precision)}"
        body: list[Any] = [_regions_list(entry), html.P(entry.summary, className="summary")]
        if entry.proposal:
            body.append(html.P(f"Proposal: {entry.proposal}", className="hint"))
    else:
        heading = _fact_line(entry)
        body = [html.P(entry.summary, className="summary")] if entry.summary else []
    quotes = [
        html.Blockquote(
            [
                e.quote,
                html.Span(
                    f" characters {e.start}-{e.end}" if e.start is not None else "",
                    className="span-offsets",
                ),
            ]
        )
        for e in entry.evidence
    ]
    rules = (
        html.Div(
            [html.Strong("Rules that fired"), html.Ul([html.Li(r) for r in entry.rules])],
            className="review-rules",
        )
        if entry.rules
        else None
    )
    return html.Article(
        [
            html.Header(
                [
                    html.Span(str(number), className="review-number"),
                    html.Strong(heading),
                    html.Span(_decision_label(item), className="review-decision"),
                ]
            ),
            *body,
            *quotes,
            rules,
            html.Div(_buttons(item), className="review-buttons"),
        ],
        className=f"review-item review-item-{_state(item)}",
        **attrs({"data-item": item.id, "data-number": str(number)}),
    )


def item_cards(review: rv.Review) -> list[Any]:
    """Every candidate's card, numbered as the marks in the article are."""
    return [item_card(n, item) for n, item in enumerate(review.items, start=1)]


def counts_line(review: rv.Review) -> str:
    """Say what a save would write."""
    c = review.counts()
    return (
        f"{c['accepted']} accepted, {c['edited']} corrected, {c['added']} added, "
        f"{c['rejected']} rejected, {c['pending']} not decided (saved as unreviewed)."
    )


# -- the callbacks' bodies, tested without a browser ---------------------------------------------


def problem_message(err: ReviewError | ClaimsError | AccessDenied, *, lead: str = "") -> html.Div:
    """Build a refusal with its problems, for the page."""
    problems = getattr(err, "problems", [])
    return html.Div(
        [
            html.Strong(f"{lead}{err}"),
            html.Ul([html.Li(p) for p in problems]) if problems else None,
        ],
        className="review-error",
        role="alert",
    )


def ok_message(text: str, details: Sequence[Any] = ()) -> html.Div:
    """Build a success message, for the page."""
    return html.Div(
        [html.Strong(text), html.Ul([html.Li(d) for d in details]) if details else None],
        className="review-ok",
        role="status",
    )


def read_upload_contents(filename: str | None, contents: str | None) -> rv.ArticleFields:
    """Decode dcc.Upload's data URL and read the article in it.

    Raises
    ------
    ReviewError
        When the upload is not a readable .txt article.
    """
    _, _, payload = (contents or "").partition(",")
    if len(payload) > rv.MAX_UPLOAD_BYTES * 4 // 3 + 4:
        raise ReviewError(
            f"{filename}: the file is larger than the {rv.MAX_UPLOAD_BYTES:,} bytes an article "
            "may have; is it the right file?"
        )
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ReviewError(
            f"{filename}: the upload arrived damaged; choose the file again"
        ) from None
    return rv.read_upload(filename or "", raw)


def begin(
    paths: Paths,
    text: str | None,
    title: str | None,
    outlet: str | None,
    published: str | None,
    url: str | None,
) -> tuple[dict[str, Any] | None, html.Div]:
    """Check the article, extract its candidates; return the review to keep, and a message."""
    try:
        article = rv.new_article(
            text or "",
            title=title or "",
            outlet=outlet or "",
            published=published or "",
            url=url or None,
            seeds_dir=paths.seeds,
        )
    except ReviewError as err:
        return None, problem_message(err)
    review = rv.start_review(article)
    claims = sum(item.is_claim for item in review.items)
    return rv.review_to_data(review), ok_message(
        f"{article.id}: {claims} candidate claim(s) and {len(review.items) - claims} control "
        "fact(s) found. Decide each one below, then save."
    )


def act(draft: Any, action: str, item_id: str) -> tuple[Any, Any, html.Div | None]:
    """Apply a candidate's button: return the review, what the editor edits, a message."""
    try:
        review = rv.review_from_data(draft)
        if action == "edit":
            review.item(item_id)
            return no_update, {"item": item_id}, None
        if action not in ("accepted", "rejected", "pending"):
            raise ReviewError(f"unknown action {action!r}; expected accept, reject or edit")
        return rv.review_to_data(rv.decide(review, item_id, action)), no_update, None  # type: ignore[arg-type]
    except ReviewError as err:
        return no_update, no_update, problem_message(err)


def _proposal_options(paths: Paths) -> list[dict[str, str]]:
    try:
        proposals = load_claims(paths.geodata / CLAIMS_FILE).proposals
    except ClaimsError:
        proposals = ()
    return [_option(_NO_PROPOSAL, "none")] + [
        _option(p.id, f"{p.label} ({p.id})") for p in proposals
    ]


def editor_values(paths: Paths, draft: Any, editing: Any) -> dict[str, Any]:
    """Return the editor form's values for a candidate, or for a new claim's span.

    The keys are the form's fields; ``hidden`` is whether the form is closed.
    """
    closed: dict[str, Any] = {"hidden": True}
    if not isinstance(editing, dict) or draft is None:
        return closed
    try:
        review = rv.review_from_data(draft)
        if "item" in editing:
            item = review.item(str(editing["item"]))
            if not isinstance(item.entry, Claim):
                return closed
            claim = item.entry
            title = f"Edit candidate {review.items.index(item) + 1}"
            edit = rv.edit_of(claim)
            evidence = claim.evidence[0]
            span = [evidence.start, evidence.end] if evidence.start is not None else None
            quote = evidence.quote
        else:
            edit = rv.suggest_claim(review, int(editing["start"]), int(editing["end"]))
            assert edit.quote is not None
            title = "Add a claim the extractor missed"
            span = list(edit.quote)
            quote = review.article.text[edit.quote[0] : edit.quote[1]]
    except (ReviewError, KeyError, TypeError, ValueError):
        return closed
    actors = known_actors()
    return {
        "hidden": False,
        "title": title,
        "actor": edit.actor or None,
        "actors": [_option(a, f"{actor_name(a)} ({a})") for a in actors],
        "speaker": edit.speaker or "",
        "kind": edit.kind,
        "date": edit.date,
        "precision": edit.date_precision,
        "proposal": edit.proposal or _NO_PROPOSAL,
        "proposals": _proposal_options(paths),
        "summary": edit.summary,
        "regions": [edit.regions.get(region) for region in rv.REGION_KEYS],
        "span": span,
        "quote": quote,
    }


def apply_edit(
    draft: Any,
    editing: Any,
    span: Any,
    *,
    actor: str | None,
    speaker: str | None,
    kind: str | None,
    date: str | None,
    precision: str | None,
    proposal: str | None,
    summary: str | None,
    regions: Sequence[str | None],
) -> tuple[Any, Any, html.Div | None]:
    """Apply the editor form to the candidate (or add the new claim)."""
    try:
        review = rv.review_from_data(draft)
        if not isinstance(editing, dict):
            raise ReviewError("nothing is being edited; press Edit on a candidate first")
        quote = (int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None
        edit = rv.ClaimEdit(
            actor=actor or "",
            kind=kind or "",
            regions=dict(zip(rv.REGION_KEYS, regions, strict=False)),
            date=date or "",
            date_precision=precision or "day",
            summary=summary or "",
            proposal=proposal or None,
            speaker=speaker or None,
            quote=quote,
        )
        if "item" in editing:
            review = rv.edit_claim(review, str(editing["item"]), edit)
        else:
            review = rv.add_claim(review, edit)
    except ReviewError as err:
        return no_update, no_update, problem_message(err)
    except (TypeError, ValueError):
        return no_update, no_update, problem_message(ReviewError("the quote's span is not valid"))
    return rv.review_to_data(review), None, None


def save(paths: Paths, draft: Any, *, editor: str) -> tuple[html.Div, Any]:
    """Save the review as ``editor``; return the message and the review to keep (None: done)."""
    try:
        saved = rv.save_review(rv.review_from_data(draft), editor=editor, paths=paths)
    except ReviewError as err:
        return problem_message(err), no_update
    article = saved.article
    return (
        ok_message(
            f"Saved: {article.id} ({article.title}) and its claims; the map shows them within "
            "seconds.",
            [
                saved.entry.detail or "",
                saved.check,
                f"Logged in the audit log as change {saved.entry.seq} by {saved.entry.actor}.",
                html.A("Back to the map", href="/"),
            ],
        ),
        None,
    )


# -- registering ----------------------------------------------------------------------------------


def _guard(access: Access) -> Any:
    """Refuse every request under /review that does not come from an editor."""

    def check() -> flask.Response | None:
        path = flask.request.path
        if path != PREFIX.rstrip("/") and not path.startswith(PREFIX):
            return None
        try:
            access.require_editor()
        except AccessDenied as err:
            if flask.request.method == "GET" and not path.startswith(f"{PREFIX}_dash"):
                return flask.Response(
                    f"Only editors may review articles: {err}\nThe map: /\n",
                    status=err.status,
                    mimetype="text/plain",
                )
            response = flask.jsonify({"error": str(err), "status": err.status})
            response.status_code = err.status
            return response
        rule = flask.request.url_rule
        # Dash answers any path below its prefix with the page; this page has one address.
        if rule is not None and rule.rule == f"{PREFIX}<path:path>":
            response = flask.jsonify(
                {"error": f"no page at {path}; the review page is at {PREFIX}", "status": 404}
            )
            response.status_code = 404
            return response
        return None

    return check


def register_review(app: dash.Dash, paths: Paths, access: Access) -> dash.Dash:
    """Serve the review page at /review/ on ``app``'s server, for editors only.

    Returns
    -------
    dash.Dash
        The page's own Dash app (it shares the server, its session and its policies).
    """
    page = dash.Dash(
        "mapdash.review",
        server=app.server,
        url_base_pathname=PREFIX,
        title=TITLE,
        assets_folder=str(PROJECT_ROOT / "assets" / "review"),
        external_stylesheets=[app.get_asset_url("mapdash.css")],
        serve_locally=True,
        update_title="",
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    page.index_string = page.index_string.replace("<html>", '<html lang="en">', 1)
    page.layout = lambda: review_layout(access)
    app.server.before_request_funcs.setdefault(None, []).append(_guard(access))
    _register_callbacks(page, paths, access)
    return page


def _denied(access: Access) -> html.Div | None:
    try:
        access.require_editor()
    except AccessDenied as err:
        return problem_message(err)
    return None


def _register_callbacks(page: dash.Dash, paths: Paths, access: Access) -> None:
    region_inputs = [
        State({"type": ids.REVIEW_EDIT_REGION, "region": region}, "value")
        for region in rv.REGION_KEYS
    ]
    region_outputs = [
        Output({"type": ids.REVIEW_EDIT_REGION, "region": region}, "value")
        for region in rv.REGION_KEYS
    ]

    @page.callback(
        Output(ids.REVIEW_TEXT, "value"),
        Output(ids.REVIEW_TITLE, "value"),
        Output(ids.REVIEW_OUTLET, "value"),
        Output(ids.REVIEW_PUBLISHED, "value"),
        Output(ids.REVIEW_URL, "value"),
        Output(ids.REVIEW_MESSAGE, "children", allow_duplicate=True),
        Input(ids.REVIEW_UPLOAD, "contents"),
        State(ids.REVIEW_UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def upload(contents: str | None, filename: str | None) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return (no_update,) * 5 + (refused,)
        try:
            fields = read_upload_contents(filename, contents)
        except ReviewError as err:
            return (no_update,) * 5 + (problem_message(err),)
        read = ok_message(f"{filename}: read; check the fields, then find the candidate claims.")
        return (fields.text, fields.title, fields.outlet, fields.published, fields.url, read)

    @page.callback(
        Output(ids.REVIEW_DRAFT, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Output(ids.REVIEW_MESSAGE, "children", allow_duplicate=True),
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Input(ids.REVIEW_EXTRACT, "n_clicks"),
        State(ids.REVIEW_TEXT, "value"),
        State(ids.REVIEW_TITLE, "value"),
        State(ids.REVIEW_OUTLET, "value"),
        State(ids.REVIEW_PUBLISHED, "value"),
        State(ids.REVIEW_URL, "value"),
        prevent_initial_call=True,
    )
    def extract(_clicks: int, *fields: str | None) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return no_update, no_update, refused, no_update
        draft, message = begin(paths, *fields)
        return (
            (draft, None, message, None)
            if draft is not None
            else (
                no_update,
                no_update,
                message,
                no_update,
            )
        )

    @page.callback(
        Output(ids.REVIEW_DRAFT, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Input({"type": ids.REVIEW_ACTION, "action": ALL, "item": ALL}, "n_clicks"),
        State(ids.REVIEW_DRAFT, "data"),
        prevent_initial_call=True,
    )
    def decide(_clicks: list[int | None], draft: Any) -> tuple[Any, ...]:
        pressed = ctx.triggered_id
        if not isinstance(pressed, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update, no_update
        if (refused := _denied(access)) is not None:
            return no_update, no_update, refused
        return act(draft, str(pressed["action"]), str(pressed["item"]))

    page.clientside_callback(
        ClientsideFunction(namespace="review", function_name="selection"),
        Output(ids.REVIEW_SELECTION, "data"),
        Input(ids.REVIEW_ADD, "n_clicks"),
        Input(ids.REVIEW_USE_SELECTION, "n_clicks"),
        prevent_initial_call=True,
    )

    @page.callback(
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDIT_SPAN, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDIT_QUOTE, "children", allow_duplicate=True),
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Input(ids.REVIEW_SELECTION, "data"),
        State(ids.REVIEW_DRAFT, "data"),
        prevent_initial_call=True,
    )
    def selected(selection: Any, draft: Any) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return no_update, no_update, no_update, refused
        if not isinstance(selection, dict) or draft is None:
            return no_update, no_update, no_update, no_update
        if "error" in selection:
            return (
                no_update,
                no_update,
                no_update,
                problem_message(ReviewError(str(selection["error"]))),
            )
        try:
            review = rv.review_from_data(draft)
            start, end = selection.get("start"), selection.get("end")
            if not isinstance(start, int) or not isinstance(end, int):
                raise ReviewError("the selection has no offsets; select the sentence again")
            evidence = rv.quote_span(review.article, start, end)
        except ReviewError as err:
            return no_update, no_update, no_update, problem_message(err)
        if selection.get("purpose") == "quote":
            return no_update, [evidence.start, evidence.end], evidence.quote, None
        return {"start": evidence.start, "end": evidence.end}, no_update, no_update, None

    @page.callback(
        Output(ids.REVIEW_EDITOR, "hidden"),
        Output(ids.REVIEW_EDITOR_TITLE, "children"),
        Output(ids.REVIEW_EDIT_ACTOR, "options"),
        Output(ids.REVIEW_EDIT_ACTOR, "value"),
        Output(ids.REVIEW_EDIT_SPEAKER, "value"),
        Output(ids.REVIEW_EDIT_KIND, "value"),
        Output(ids.REVIEW_EDIT_DATE, "value"),
        Output(ids.REVIEW_EDIT_PRECISION, "value"),
        Output(ids.REVIEW_EDIT_PROPOSAL, "options"),
        Output(ids.REVIEW_EDIT_PROPOSAL, "value"),
        Output(ids.REVIEW_EDIT_SUMMARY, "value"),
        Output(ids.REVIEW_EDIT_SPAN, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDIT_QUOTE, "children", allow_duplicate=True),
        Output(ids.REVIEW_EDIT_MESSAGE, "children", allow_duplicate=True),
        *region_outputs,
        Input(ids.REVIEW_EDITING, "data"),
        State(ids.REVIEW_DRAFT, "data"),
        prevent_initial_call=True,
    )
    def fill(editing: Any, draft: Any) -> tuple[Any, ...]:
        if _denied(access) is not None:
            values: dict[str, Any] = {"hidden": True}
        else:
            values = editor_values(paths, draft, editing)
        if values["hidden"]:
            return (True,) + (no_update,) * (13 + len(rv.REGION_KEYS))
        keys = ("title", "actors", "actor", "speaker", "kind", "date", "precision", "proposals")
        return (
            False,
            *(values[k] for k in keys),
            values["proposal"],
            values["summary"],
            values["span"],
            values["quote"],
            None,
            *values["regions"],
        )

    @page.callback(
        Output(ids.REVIEW_DRAFT, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDIT_MESSAGE, "children", allow_duplicate=True),
        Input(ids.REVIEW_APPLY, "n_clicks"),
        State(ids.REVIEW_DRAFT, "data"),
        State(ids.REVIEW_EDITING, "data"),
        State(ids.REVIEW_EDIT_SPAN, "data"),
        State(ids.REVIEW_EDIT_ACTOR, "value"),
        State(ids.REVIEW_EDIT_SPEAKER, "value"),
        State(ids.REVIEW_EDIT_KIND, "value"),
        State(ids.REVIEW_EDIT_DATE, "value"),
        State(ids.REVIEW_EDIT_PRECISION, "value"),
        State(ids.REVIEW_EDIT_PROPOSAL, "value"),
        State(ids.REVIEW_EDIT_SUMMARY, "value"),
        *region_inputs,
        prevent_initial_call=True,
    )
    def apply(
        _clicks: int, draft: Any, editing: Any, span: Any, *values: str | None
    ) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return no_update, no_update, refused
        actor, speaker, kind, date, precision, proposal, summary, *regions = values
        return apply_edit(
            draft,
            editing,
            span,
            actor=actor,
            speaker=speaker,
            kind=kind,
            date=date,
            precision=precision,
            proposal=proposal,
            summary=summary,
            regions=regions,
        )

    @page.callback(
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Input(ids.REVIEW_CANCEL, "n_clicks"),
        prevent_initial_call=True,
    )
    def cancel(_clicks: int) -> Any:
        return no_update if _denied(access) is not None else None

    @page.callback(
        Output(ids.REVIEW_WORK, "hidden"),
        Output(ids.REVIEW_ARTICLE, "children"),
        Output(ids.REVIEW_ITEMS, "children"),
        Output(ids.REVIEW_COUNTS, "children"),
        Input(ids.REVIEW_DRAFT, "data"),
    )
    def draw(draft: Any) -> tuple[Any, ...]:
        if draft is None or _denied(access) is not None:
            return True, [], [], ""
        try:
            review = rv.review_from_data(draft)
        except ReviewError as err:
            return False, [], [problem_message(err)], ""
        return False, article_view(review), item_cards(review), counts_line(review)

    @page.callback(
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Output(ids.REVIEW_DRAFT, "data", allow_duplicate=True),
        # A saved article empties the form for the next one.
        Output(ids.REVIEW_MESSAGE, "children", allow_duplicate=True),
        Output(ids.REVIEW_TEXT, "value", allow_duplicate=True),
        Output(ids.REVIEW_TITLE, "value", allow_duplicate=True),
        Output(ids.REVIEW_OUTLET, "value", allow_duplicate=True),
        Output(ids.REVIEW_PUBLISHED, "value", allow_duplicate=True),
        Output(ids.REVIEW_URL, "value", allow_duplicate=True),
        Input(ids.REVIEW_SAVE, "n_clicks"),
        State(ids.REVIEW_DRAFT, "data"),
        prevent_initial_call=True,
    )
    def save_clicked(_clicks: int, draft: Any) -> tuple[Any, ...]:
        try:
            editor = access.require_editor()
        except AccessDenied as err:
            return (problem_message(err),) + (no_update,) * 7
        message, kept = save(paths, draft, editor=editor.name)
        if kept is not None:
            return (message, kept) + (no_update,) * 6
        return (message, None, None) + ("",) * 5


__all__ = [
    "PREFIX",
    "act",
    "apply_edit",
    "article_view",
    "begin",
    "editor_values",
    "item_card",
    "item_cards",
    "read_upload_contents",
    "register_review",
    "review_layout",
    "review_link",
    "save",
]
