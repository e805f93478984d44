"""The editor's review page at ``/review/``: add an article, decide its candidates, save.

A page of its own (a second Dash app on the dashboard's server, under ``/review/``), for editors
only: every request under ``/review`` is refused before Dash runs unless it comes from an
editor (401 for nobody, 403 for a viewer or on a read-only server), and every callback asks
for the role again. The work is :mod:`mapdash.review`'s; the callbacks here are adapters that
keep the review in the page (a ``dcc.Store``, checked again on every step) and draw it:

- the article, every candidate's evidence highlighted at its span, with the rules that fired;
- per candidate: accept, edit (a claim's actor, regions and dispositions, kind, proposal; a
  control fact's region, holder, area or share and bound; date and precision, summary, the
  quote chosen by selecting text) or reject;
- "Add a claim from the selection" and "Add a control fact from the selection": what the
  extractor missed, quoting the selected text (``assets/review/review.js`` turns the
  browser's selection into offsets);
- "Or reopen an article already saved": an article of seeds/ with its entries of the claims
  file (editable, removable) and the candidates they do not cover;
- Save: checked as ``mapdash claims --check`` checks, written atomically, logged as the editor;
  then "Undo this save" (``mapdash rollback VERSION`` for the version the save stored) puts the
  files back as they were, unless a later change came since.

All article text is rendered as text (React escapes it): the article is hostile input.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dash
import flask
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from .. import review as rv
from ..claims import CLAIMS_FILE, WHOLE_UKRAINE, known_actors, load_claims
from ..config import PROJECT_ROOT, Paths
from ..errors import AccessDenied, ClaimsError, GeodataError, ReviewError
from ..geodata import rollback
from ..geodata.review_versions import stored_versions
from ..geodata.validate import reference_areas
from ..legend import BOUND_WORDS, KIND_LABELS, PRECISION_LABELS, actor_name, legend_entry
from ..regions import REGIONS
from ..timeline import format_date
from ..types import (
    ALL_OCCUPIED,
    BOUNDS,
    CLAIM_KINDS,
    DATE_PRECISIONS,
    DISPOSITIONS,
    HOLDERS,
    Bound,
    Claim,
    ControlFact,
    Evidence,
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
#: How the editor's bound choice reads.
BOUND_LABELS: dict[Bound, str] = {
    "exact": "exact",
    "about": "about (approximate)",
    "at_least": "at least (a lower bound)",
    "at_most": "at most (an upper bound)",
}


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


def _where(region: str) -> str:
    """Name a control fact's region (``ukraine`` is Ukraine as a whole)."""
    return "Ukraine as a whole" if region == WHOLE_UKRAINE else _region_name(region)


def _choice(ident: str, options: list[dict[str, str]] | None = None) -> dcc.Dropdown:
    return dcc.Dropdown(id=ident, options=options or [], clearable=False, searchable=False)


def _control_fields() -> html.Div:
    """Build the editor's fields of a control fact: where, who, how much, how sure."""
    return html.Div(
        [
            _field(
                "Region",
                _choice(
                    ids.REVIEW_EDIT_CONTROL_REGION,
                    [_option(r, _where(r)) for r in rv.CONTROL_REGIONS],
                ),
            ),
            _field(
                "Held by",
                _choice(ids.REVIEW_EDIT_HOLDER, [_option(h, actor_name(h)) for h in HOLDERS]),
            ),
            _field(
                "Area (km2)",
                dcc.Input(id=ids.REVIEW_EDIT_AREA, type="text", placeholder="e.g. 1,295"),
                "or the share, not both",
            ),
            _field(
                "Share of the region",
                dcc.Input(id=ids.REVIEW_EDIT_SHARE, type="text", placeholder="0.2 or 20%"),
            ),
            _field(
                "Figure is",
                _choice(ids.REVIEW_EDIT_BOUND, [_option(b, BOUND_LABELS[b]) for b in BOUNDS]),
            ),
        ],
        id=ids.REVIEW_CONTROL_FIELDS,
        hidden=True,
        className="review-edit-fields",
    )


def _editor() -> html.Section:
    dispositions = [_option(d, legend_entry(d).label) for d in DISPOSITIONS]
    claim_fields = html.Div(
        [
            html.Div(
                [
                    _field("Actor", _choice(ids.REVIEW_EDIT_ACTOR)),
                    _field("Speaker", dcc.Input(id=ids.REVIEW_EDIT_SPEAKER, type="text")),
                    _field(
                        "Kind",
                        _choice(
                            ids.REVIEW_EDIT_KIND,
                            [_option(k, KIND_LABELS[k]) for k in CLAIM_KINDS],
                        ),
                    ),
                    _field("Proposal", _choice(ids.REVIEW_EDIT_PROPOSAL)),
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
        ],
        id=ids.REVIEW_CLAIM_FIELDS,
    )
    return html.Section(
        [
            html.H3(id=ids.REVIEW_EDITOR_TITLE),
            claim_fields,
            _control_fields(),
            html.Div(
                [
                    _field("Date", dcc.Input(id=ids.REVIEW_EDIT_DATE, type="text")),
                    _field(
                        "Date precision",
                        _choice(
                            ids.REVIEW_EDIT_PRECISION,
                            [_option(p, PRECISION_LABELS[p]) for p in DATE_PRECISIONS],
                        ),
                    ),
                ],
                className="review-edit-fields",
            ),
            _field(
                "Summary",
                dcc.Textarea(id=ids.REVIEW_EDIT_SUMMARY, rows=2),
                "one line: what the claim means for the territory, or who holds how much",
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
        **attrs({"aria-label": "Edit the candidate"}),
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
                    " or ",
                    html.Button(
                        "Add a control fact from the selection",
                        id=ids.REVIEW_ADD_CONTROL,
                        n_clicks=0,
                    ),
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
                "left out. For an article reopened from seeds/ only the claims file changes: "
                "its entries kept, corrected or removed in place, the new ones added; "
                "undecided candidates are not saved.",
                className="hint",
            ),
        ],
        id=ids.REVIEW_WORK,
        hidden=True,
        className="review-work",
    )


def _reopen_options(paths: Paths) -> tuple[list[dict[str, str]], html.Div | None]:
    """Return the articles of seeds/ as choices, newest first, and a refusal if unreadable."""
    try:
        articles = rv.seed_articles(paths)
    except ReviewError as err:
        return [], problem_message(err)
    return [
        _option(a.id, f"{a.published.isoformat()} {a.title} ({a.outlet})") for a in articles
    ], None


def _reopen_form(paths: Paths) -> html.Section:
    """Build the list of the articles of seeds/ (the manifest), to open one again."""
    options, note = _reopen_options(paths)
    return html.Section(
        [
            html.H2("Or reopen an article already saved"),
            _field(
                "Article in seeds/",
                dcc.Dropdown(
                    id=ids.REVIEW_REOPEN_ARTICLE,
                    options=options,
                    placeholder="choose an article",
                    clearable=False,
                ),
                f"its claims and control facts in {CLAIMS_FILE} are shown, editable, beside "
                "the candidates they do not cover",
            ),
            html.Button("Open the article", id=ids.REVIEW_REOPEN, n_clicks=0),
            html.Div(note, id=ids.REVIEW_REOPEN_MESSAGE, className="review-message"),
        ],
        className="review-form",
        **attrs({"aria-label": "Reopen an article already saved"}),
    )


def review_layout(access: Access, paths: Paths) -> html.Div:
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
                                "Add an article, or reopen one already saved; check the "
                                "claims found in it, and save them to the map.",
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
                    _reopen_form(paths),
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
    if item.origin == "saved":
        return {
            "pending": "saved, unreviewed",
            "accepted": "saved",
            "edited": "saved, corrected",
            "rejected": "to be removed",
        }[item.decision]
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
            span = _span(text, evidence) if evidence.article == review.article.id else None
            if span is not None:
                spans.append((*span, number))
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


def _span(text: str, evidence: Evidence) -> tuple[int, int] | None:
    """Where a quote is in the text: its offsets, or (a hand-written entry has none) its place."""
    if evidence.start is not None and evidence.end is not None:
        return evidence.start, evidence.end
    at = text.find(evidence.quote)
    return (at, at + len(evidence.quote)) if at >= 0 else None


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
    where = _where(fact.region)
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

    if item.origin == "saved":
        # An entry of the claims file: kept as it is, corrected, or removed from the file.
        if item.decision == "rejected":
            return [button("Keep", "accepted")]
        accept = [button("Accept", "accepted")] if item.decision == "pending" else []
        return [*accept, button("Edit", "edit"), button("Remove", "rejected")]
    if item.decision != "pending" and item.origin != "added":
        return [button("Reconsider", "pending"), button("Edit", "edit")]
    shown = [] if item.origin == "added" else [button("Accept", "accepted")]
    shown.append(button("Edit", "edit"))
    if item.decision != "rejected":
        shown.append(button("Reject", "rejected"))
    return shown


def item_card(number: int, item: rv.Item, *, article_id: str | None = None) -> html.Article:
    """One candidate: what it says, its quote and span, the rules that fired, the buttons.

    A saved entry that also quotes articles other than ``article_id`` names them.
    """
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
    others = sorted({e.article for e in entry.evidence} - {article_id})
    if others and item.origin == "saved":
        body.append(
            html.P(
                f"Also quotes {', '.join(others)}: removing it drops only this article's quotes.",
                className="hint",
            )
        )
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
    return [
        item_card(n, item, article_id=review.article.id)
        for n, item in enumerate(review.items, start=1)
    ]


def counts_line(review: rv.Review) -> str:
    """Say what a save would write."""
    c = review.counts()
    if review.reopened:
        return (
            f"{c['kept']} kept, {c['edited']} corrected, {c['removed']} removed, "
            f"{c['accepted']} accepted, {c['added']} added, {c['rejected']} rejected, "
            f"{c['pending']} not decided (left as they are)."
        )
    return (
        f"{c['accepted']} accepted, {c['edited']} corrected, {c['added']} added, "
        f"{c['rejected']} rejected, {c['pending']} not decided (saved as unreviewed)."
    )


# -- the callbacks' bodies, tested without a browser ---------------------------------------------


def problem_message(
    err: ReviewError | ClaimsError | GeodataError | AccessDenied, *, lead: str = ""
) -> html.Div:
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


#: The control fact fields' values when a claim is edited (the group is hidden).
_NO_CONTROL = {"region": None, "holder": None, "area": "", "share": "", "bound": None}


def editor_values(paths: Paths, draft: Any, editing: Any) -> dict[str, Any]:
    """Return the editor form's values for a candidate, or for a new claim's or fact's span.

    The keys are the form's fields; ``hidden`` is whether the form is closed, ``control``
    whether it edits a control fact (its fields shown, the claim's hidden).
    """
    closed: dict[str, Any] = {"hidden": True}
    if not isinstance(editing, dict) or draft is None:
        return closed
    try:
        review = rv.review_from_data(draft)
        if "item" in editing:
            item = review.item(str(editing["item"]))
            number = review.items.index(item) + 1
            title = (
                f"Edit saved entry {number}"
                if item.origin == "saved"
                else f"Edit candidate {number}"
            )
            evidence = next(
                (e for e in item.entry.evidence if e.article == review.article.id),
                item.entry.evidence[0],
            )
            span = [evidence.start, evidence.end] if evidence.start is not None else None
            quote = evidence.quote
            entry = item.entry
            edit: rv.ClaimEdit | rv.ControlEdit = (
                rv.edit_of(entry) if isinstance(entry, Claim) else rv.control_edit_of(entry)
            )
        else:
            start, end = int(editing["start"]), int(editing["end"])
            if editing.get("control"):
                edit = rv.suggest_control(review, start, end)
                title = "Add a control fact the extractor missed"
            else:
                edit = rv.suggest_claim(review, start, end)
                title = "Add a claim the extractor missed"
            assert edit.quote is not None
            span = list(edit.quote)
            quote = review.article.text[edit.quote[0] : edit.quote[1]]
    except (ReviewError, KeyError, TypeError, ValueError):
        return closed
    shared = {
        "hidden": False,
        "title": title,
        "date": edit.date,
        "precision": edit.date_precision,
        "summary": edit.summary,
        "span": span,
        "quote": quote,
        "proposals": _proposal_options(paths),
        "actors": [_option(a, f"{actor_name(a)} ({a})") for a in known_actors()],
    }
    if isinstance(edit, rv.ControlEdit):
        return {
            **shared,
            "control": True,
            "actor": None,
            "speaker": "",
            "kind": None,
            "proposal": _NO_PROPOSAL,
            "regions": [None] * len(rv.REGION_KEYS),
            "region": edit.region or None,
            "holder": edit.holder,
            "area": edit.area_km2,
            "share": edit.share,
            "bound": edit.bound,
        }
    return {
        **shared,
        **_NO_CONTROL,
        "control": False,
        "actor": edit.actor or None,
        "speaker": edit.speaker or "",
        "kind": edit.kind,
        "proposal": edit.proposal or _NO_PROPOSAL,
        "regions": [edit.regions.get(region) for region in rv.REGION_KEYS],
    }


@functools.lru_cache(maxsize=4)
def _areas(geodata: Path) -> dict[str, float]:
    """Region areas (km2) of the reference boundaries: the bound of a control fact's area."""
    return reference_areas(geodata_dir=geodata)


def _is_control(review: rv.Review, editing: dict[str, Any]) -> bool:
    if "item" in editing:
        return not review.item(str(editing["item"])).is_claim
    return bool(editing.get("control"))


def apply_edit(
    draft: Any,
    editing: Any,
    span: Any,
    *,
    actor: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
    date: str | None = None,
    precision: str | None = None,
    proposal: str | None = None,
    summary: str | None = None,
    regions: Sequence[str | None] = (),
    control: Mapping[str, str | None] | None = None,
    areas: Mapping[str, float] | None = None,
) -> tuple[Any, Any, html.Div | None]:
    """Apply the editor form to the candidate (or add the new claim or control fact).

    ``control`` holds the control fact's fields (region, holder, area, share, bound) and
    ``areas`` the region areas an area is checked against.
    """
    try:
        review = rv.review_from_data(draft)
        if not isinstance(editing, dict):
            raise ReviewError("nothing is being edited; press Edit on a candidate first")
        quote = (int(span[0]), int(span[1])) if isinstance(span, list) and len(span) == 2 else None
        if _is_control(review, editing):
            given = control or {}
            fact = rv.ControlEdit(
                region=given.get("region") or "",
                holder=given.get("holder") or "",
                date=date or "",
                date_precision=precision or "day",
                area_km2=given.get("area") or "",
                share=given.get("share") or "",
                bound=given.get("bound") or "exact",
                summary=summary or "",
                quote=quote,
            )
            known = areas if areas is not None else {}
            if "item" in editing:
                review = rv.edit_control(review, str(editing["item"]), fact, areas=known)
            else:
                review = rv.add_control(review, fact, areas=known)
            return rv.review_to_data(review), None, None
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


def reopen(paths: Paths, article_id: Any) -> tuple[dict[str, Any] | None, html.Div]:
    """Open an article of seeds/ again; return the review to keep, and a message."""
    if not isinstance(article_id, str) or not article_id:
        return None, problem_message(ReviewError("no article chosen; choose one in the list"))
    try:
        review = rv.reopen_review(article_id, paths=paths)
    except ReviewError as err:
        return None, problem_message(err)
    saved = sum(item.origin == "saved" for item in review.items)
    fresh = len(review.items) - saved
    return rv.review_to_data(review), ok_message(
        f"{article_id}: {saved} entr{'y' if saved == 1 else 'ies'} of {CLAIMS_FILE} and {fresh} "
        "new candidate(s) the file does not cover. Correct or remove what is saved, decide the "
        "new ones, then save."
    )


def save(paths: Paths, draft: Any, *, editor: str) -> tuple[html.Div, Any]:
    """Save the review as ``editor``; return the message and the review to keep (None: done)."""
    try:
        saved = rv.save_review(rv.review_from_data(draft), editor=editor, paths=paths)
    except ReviewError as err:
        return problem_message(err), no_update
    article = saved.article
    what = (
        f"the claims of {article.id} ({article.title}); the article in seeds/ is unchanged"
        if saved.reopened
        else f"{article.id} ({article.title}) and its claims"
    )
    return (
        ok_message(
            f"Saved: {what}; the map shows them within seconds.",
            [
                saved.entry.detail or "",
                saved.check,
                f"Logged in the audit log as change {saved.entry.seq} by {saved.entry.actor}.",
                html.Button(
                    "Undo this save",
                    id={"type": ids.REVIEW_UNDO, "version": saved.entry.stored or ""},
                    n_clicks=0,
                ),
                html.A("Back to the map", href="/"),
            ],
        ),
        None,
    )


def undo_save(paths: Paths, version: Any, *, editor: str) -> html.Div:
    """Undo a save of this page as ``editor`` (``mapdash rollback VERSION``); say what it did.

    Only a version a save stored is taken (the page's button names it); a refusal (the claims
    file changed since, already undone) changes nothing and says why.
    """
    if not isinstance(version, str) or version not in stored_versions(paths.geodata):
        return problem_message(
            ReviewError(f"no saved review {version!r} to undo; mapdash history lists the saves")
        )
    try:
        entry = rollback(version, geodata_dir=paths.geodata, actor=editor)
    except GeodataError as err:
        return problem_message(err, lead="Nothing changed: ")
    return ok_message(
        "Undone: the map shows the files as they were within seconds.",
        [
            entry.detail or "",
            f"Logged in the audit log as change {entry.seq} by {entry.actor}; "
            "'mapdash rollback claims' redoes the save.",
        ],
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
    page.layout = lambda: review_layout(access, paths)
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
        Input(ids.REVIEW_ADD_CONTROL, "n_clicks"),
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
        editing = {"start": evidence.start, "end": evidence.end}
        if selection.get("purpose") == "add-control":
            editing["control"] = True
        return editing, no_update, no_update, None

    # The editor form's outputs and the editor_values key of each; the quote's span and text
    # are also set from a selection.
    shared = ((ids.REVIEW_EDIT_SPAN, "data"), (ids.REVIEW_EDIT_QUOTE, "children"))
    form: list[tuple[str, str, str]] = [
        (ids.REVIEW_EDITOR_TITLE, "children", "title"),
        (ids.REVIEW_EDIT_ACTOR, "options", "actors"),
        (ids.REVIEW_EDIT_ACTOR, "value", "actor"),
        (ids.REVIEW_EDIT_SPEAKER, "value", "speaker"),
        (ids.REVIEW_EDIT_KIND, "value", "kind"),
        (ids.REVIEW_EDIT_DATE, "value", "date"),
        (ids.REVIEW_EDIT_PRECISION, "value", "precision"),
        (ids.REVIEW_EDIT_PROPOSAL, "options", "proposals"),
        (ids.REVIEW_EDIT_PROPOSAL, "value", "proposal"),
        (ids.REVIEW_EDIT_SUMMARY, "value", "summary"),
        (ids.REVIEW_EDIT_SPAN, "data", "span"),
        (ids.REVIEW_EDIT_QUOTE, "children", "quote"),
        (ids.REVIEW_EDIT_CONTROL_REGION, "value", "region"),
        (ids.REVIEW_EDIT_HOLDER, "value", "holder"),
        (ids.REVIEW_EDIT_AREA, "value", "area"),
        (ids.REVIEW_EDIT_SHARE, "value", "share"),
        (ids.REVIEW_EDIT_BOUND, "value", "bound"),
    ]

    @page.callback(
        Output(ids.REVIEW_EDITOR, "hidden"),
        Output(ids.REVIEW_CLAIM_FIELDS, "hidden"),
        Output(ids.REVIEW_CONTROL_FIELDS, "hidden"),
        Output(ids.REVIEW_EDIT_MESSAGE, "children", allow_duplicate=True),
        *[
            Output(ident, prop, allow_duplicate=True)
            if (ident, prop) in shared
            else Output(ident, prop)
            for ident, prop, _ in form
        ],
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
            return (True,) + (no_update,) * (3 + len(form) + len(rv.REGION_KEYS))
        control = bool(values["control"])
        return (
            False,
            control,
            not control,
            None,
            *(values[key] for _, _, key in form),
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
        State(ids.REVIEW_EDIT_CONTROL_REGION, "value"),
        State(ids.REVIEW_EDIT_HOLDER, "value"),
        State(ids.REVIEW_EDIT_AREA, "value"),
        State(ids.REVIEW_EDIT_SHARE, "value"),
        State(ids.REVIEW_EDIT_BOUND, "value"),
        *region_inputs,
        prevent_initial_call=True,
    )
    def apply(
        _clicks: int, draft: Any, editing: Any, span: Any, *values: str | None
    ) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return no_update, no_update, refused
        actor, speaker, kind, date, precision, proposal, summary, *rest = values
        region, holder, area, share, bound, *regions = rest
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
            control={
                "region": region,
                "holder": holder,
                "area": area,
                "share": share,
                "bound": bound,
            },
            areas=_areas(paths.geodata),
        )

    @page.callback(
        Output(ids.REVIEW_DRAFT, "data", allow_duplicate=True),
        Output(ids.REVIEW_EDITING, "data", allow_duplicate=True),
        Output(ids.REVIEW_REOPEN_MESSAGE, "children", allow_duplicate=True),
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Input(ids.REVIEW_REOPEN, "n_clicks"),
        State(ids.REVIEW_REOPEN_ARTICLE, "value"),
        prevent_initial_call=True,
    )
    def reopened(_clicks: int, article_id: Any) -> tuple[Any, ...]:
        if (refused := _denied(access)) is not None:
            return no_update, no_update, refused, no_update
        draft, message = reopen(paths, article_id)
        if draft is None:
            return no_update, no_update, message, no_update
        return draft, None, message, None

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
        # The article just saved can be reopened at once.
        Output(ids.REVIEW_REOPEN_ARTICLE, "options"),
        Output(ids.REVIEW_REOPEN_MESSAGE, "children", allow_duplicate=True),
        Input(ids.REVIEW_SAVE, "n_clicks"),
        State(ids.REVIEW_DRAFT, "data"),
        prevent_initial_call=True,
    )
    def save_clicked(_clicks: int, draft: Any) -> tuple[Any, ...]:
        try:
            editor = access.require_editor()
        except AccessDenied as err:
            return (problem_message(err),) + (no_update,) * 9
        message, kept = save(paths, draft, editor=editor.name)
        if kept is not None:
            return (message, kept) + (no_update,) * 8
        return (message, None, None) + ("",) * 5 + (_reopen_options(paths)[0], None)

    @page.callback(
        Output(ids.REVIEW_RESULT, "children", allow_duplicate=True),
        Output(ids.REVIEW_REOPEN_ARTICLE, "options", allow_duplicate=True),
        Input({"type": ids.REVIEW_UNDO, "version": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def undo_clicked(_clicks: list[int | None]) -> tuple[Any, ...]:
        pressed = ctx.triggered_id
        if not isinstance(pressed, dict) or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update
        try:
            editor = access.require_editor()
        except AccessDenied as err:
            return problem_message(err), no_update
        message = undo_save(paths, pressed.get("version"), editor=editor.name)
        return message, _reopen_options(paths)[0]


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
    "reopen",
    "review_layout",
    "review_link",
    "save",
    "undo_save",
]
