"""Reviewing a new article: add it, read its candidate claims, decide each one, save.

The data maintainer's job as a library, used by the editor's review page
(:mod:`mapdash.web.review`) and the tests:

1. :func:`new_article` checks the text and its metadata (title, outlet, publication date, URL),
   refuses an article the seeds folder already has (the same text or the same URL) and names it
   under the seeds' scheme, ``NNN_<hash>``: the number after the highest one in use, and the
   first 16 hex digits of the SHA-256 of the text (quotes and whitespace normalised).
2. :func:`start_review` runs the extractor: every candidate claim and control fact becomes an
   :class:`Item`, with its evidence span and the rules that fired, ``pending`` until decided.
3. :func:`decide`, :func:`edit_claim`, :func:`edit_control`, :func:`add_claim` and
   :func:`add_control` return a new :class:`Review` with one item accepted, rejected, corrected
   or added; a quote is always a span of the article text.
4. :func:`save_review` stages the article file, its ``[[article]]`` entry and the claims file,
   checks the staged files exactly as ``mapdash claims --check`` does, and only when they pass
   switches each in with one atomic rename, under the geodata lock, and logs the change in the
   audit log under the editor's name. Accepted and corrected entries are saved ``reviewed``,
   undecided ones ``extracted`` (shown as unreviewed), rejected ones not at all.

An article already in seeds/ is reopened with :func:`reopen_review`: its entries in the claims
file come back as ``saved`` items (editable, and rejected = removed from the file) beside the
extractor's candidates they do not cover. Saving it rewrites only the claims file: the entries
decided are replaced in place, rejected ones removed, new ones appended; the article file and
the manifest are left as they are.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from .claims import (
    CLAIMS_FILE,
    SCHEMA,
    WHOLE_UKRAINE,
    ClaimSet,
    check_claims,
    check_passed,
    claim_set_from_data,
    claim_to_data,
    control_to_data,
    dump_claims,
    known_actors,
    load_claims,
)
from .config import Paths
from .corpus import (
    ARTICLE_SUFFIX,
    MANIFEST_NAME,
    decode_text,
    load_article,
    load_corpus,
    parse_date,
    parse_header,
    read_manifest,
)
from .errors import ClaimsError, CorpusError, ReviewError
from .geodata.audit import AuditEntry, append_audit, next_seq, now
from .geodata.install import NEW_FILE_MODE, locked, switch, write_new
from .geodata.review_versions import FileChange, discard, store
from .legend import PRECISION_SHAPES
from .regions import REGION_IDS, REGIONS
from .text import normalize_quote, split_sentences
from .types import (
    ALL_OCCUPIED,
    BOUNDS,
    CLAIM_KINDS,
    DISPOSITIONS,
    HOLDERS,
    Article,
    Bound,
    Claim,
    ClaimStatus,
    ControlFact,
    DatePrecision,
    Disposition,
    Evidence,
    Holder,
)

Decision = Literal["pending", "accepted", "edited", "rejected"]
DECISIONS: tuple[Decision, ...] = ("pending", "accepted", "edited", "rejected")
#: Where an item comes from: the extractor, the editor's selection of a sentence it missed, or
#: the claims file (an article reopened).
Origin = Literal["extracted", "added", "saved"]
ORIGINS: tuple[Origin, ...] = ("extracted", "added", "saved")
#: The keys a claim's regions may have: the six regions and all occupied territory.
REGION_KEYS: tuple[str, ...] = (*REGION_IDS, ALL_OCCUPIED)
#: The regions a control fact may measure: the six, and Ukraine as a whole.
CONTROL_REGIONS: tuple[str, ...] = (*REGION_IDS, WHOLE_UKRAINE)
#: Ukraine's area within its 1991 borders, Crimea included (km2): the bound of a figure about
#: Ukraine as a whole, which the regions' boundaries do not cover.
UKRAINE_AREA_KM2 = 603_550.0

#: Longest article text taken (a long news report is a few tens of thousands of characters).
MAX_TEXT_CHARS = 200_000
#: Largest .txt upload read.
MAX_UPLOAD_BYTES = 1_000_000
MAX_TITLE_CHARS = 300
MAX_OUTLET_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_SUMMARY_CHARS = 1_000
MAX_SPEAKER_CHARS = 200
#: Longest quote: one or two sentences, not a whole article.
MAX_QUOTE_CHARS = 2_000
#: Most items one review holds (an article gives a few dozen at most).
MAX_ITEMS = 500
#: Format of the data a page keeps between two steps (:func:`review_to_data`).
DATA_VERSION = 1

_NUMBERED_ID = re.compile(r"^(\d+)_")
_PROPOSAL_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class ArticleFields:
    """An article as typed or uploaded, before it is checked: text and metadata as strings."""

    text: str
    title: str = ""
    outlet: str = ""
    published: str = ""
    url: str = ""


@dataclass(frozen=True)
class Item:
    """One candidate of a review: a claim or a control fact and what the editor decided.

    The entry keeps its evidence (article id, exact quote, character offsets) and the rules that
    fired; its ``status`` follows the decision (``reviewed`` once accepted or corrected).
    """

    entry: Claim | ControlFact
    decision: Decision = "pending"
    origin: Origin = "extracted"

    @property
    def id(self) -> str:
        """The claim's or control fact's id."""
        return self.entry.id

    @property
    def is_claim(self) -> bool:
        """Whether the item is a claim (else a control fact)."""
        return isinstance(self.entry, Claim)


@dataclass(frozen=True)
class Review:
    """An article and its items, as far as the editor has got.

    ``reopened`` for an article already in seeds/ (:func:`reopen_review`): its entries of the
    claims file are the ``saved`` items, and a save rewrites only the claims file.
    """

    article: Article
    items: tuple[Item, ...]
    reopened: bool = False

    def item(self, item_id: str) -> Item:
        """Return the item of ``item_id``.

        Raises
        ------
        ReviewError
            When the review has no such item.
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise ReviewError(f"no candidate {item_id!r} in the review of {self.article.id}")

    def counts(self) -> dict[str, int]:
        """How many items were accepted, corrected, added, rejected and are still pending.

        Of the saved entries of a reopened article, those accepted are ``kept`` and those
        rejected ``removed``.
        """
        keys = ("accepted", "edited", "added", "rejected", "pending", "kept", "removed")
        counts = dict.fromkeys(keys, 0)
        for item in self.items:
            counts[_count_key(item)] += 1
        return counts

    def describe(self) -> str:
        """Say in one line what the review decided (the audit log's detail)."""
        c = self.counts()
        return (
            f"article {self.article.id} ({self.article.title}): {c['accepted']} accepted, "
            f"{c['edited']} corrected, {c['added']} added, {c['rejected']} rejected, "
            f"{c['pending']} left unreviewed"
        )


def _count_key(item: Item) -> str:
    if item.origin == "saved" and item.decision in ("accepted", "rejected"):
        return "kept" if item.decision == "accepted" else "removed"
    if item.origin == "added" and item.decision != "rejected":
        return "added"
    return item.decision


@dataclass(frozen=True)
class ClaimEdit:
    """The fields of a claim as the editor set them (strings as typed; checked on apply).

    ``date`` is ``YYYY-MM-DD``; with month or year precision ``YYYY-MM`` or ``YYYY`` also do,
    and the date is set to the first day of its month or year. ``regions`` maps a region id
    (or ``*``) to a disposition; an empty disposition leaves the region out. ``quote`` is a new
    span of the article text (start and end offsets); None keeps the evidence as it is.
    """

    actor: str
    kind: str
    regions: Mapping[str, str | None]
    date: str
    date_precision: str = "day"
    summary: str = ""
    proposal: str | None = None
    speaker: str | None = None
    quote: tuple[int, int] | None = None


@dataclass(frozen=True)
class ControlEdit:
    """The fields of a control fact as the editor set them (strings as typed; checked on apply).

    ``region`` is a region id or ``ukraine`` (Ukraine as a whole); ``holder`` ``russia`` or
    ``ukraine``. One of ``area_km2`` (``1,295``) and ``share`` (``0.2`` or ``20%``) is given,
    the other left empty. ``date`` and ``quote`` are as in :class:`ClaimEdit`.
    """

    region: str
    holder: str
    date: str
    date_precision: str = "day"
    area_km2: str = ""
    share: str = ""
    bound: str = "exact"
    summary: str = ""
    quote: tuple[int, int] | None = None


@dataclass(frozen=True)
class Saved:
    """What :func:`save_review` wrote."""

    article: Article
    claims_file: Path
    article_file: Path
    entry: AuditEntry
    #: The ``mapdash claims --check`` line for the saved file.
    check: str
    #: Whether the article was reopened from seeds/ (only the claims file was written).
    reopened: bool = False


# -- adding an article ----------------------------------------------------------------------------


def read_upload(name: str, content: bytes) -> ArticleFields:
    """Read an uploaded ``.txt`` article; header lines (``Title:``, ``Date:``...) fill the fields.

    Raises
    ------
    ReviewError
        When the file is not a ``.txt``, too large, empty, binary or not UTF-8.
    """
    if not name.lower().endswith(ARTICLE_SUFFIX):
        raise ReviewError(
            f"{name or 'the upload'}: expected a plain-text article (.txt); save the article as "
            "UTF-8 text, or paste it"
        )
    if len(content) > MAX_UPLOAD_BYTES:
        raise ReviewError(
            f"{name}: the file is {len(content):,} bytes, more than the {MAX_UPLOAD_BYTES:,} an "
            "article may have; is it the right file?"
        )
    try:
        raw = decode_text(content, name=name)
        header = parse_header(raw)
    except CorpusError as err:
        raise ReviewError(str(err)) from None
    return ArticleFields(
        text="\n".join(raw.split("\n")[header.lines :]) if header.lines else raw,
        title=header.title or "",
        outlet=header.outlet or "",
        published=header.date.isoformat() if header.date else "",
        url=header.url or "",
    )


def text_digest(text: str) -> str:
    """SHA-256 of an article text with quotes and whitespace normalised (hex)."""
    return hashlib.sha256(normalize_quote(text).encode()).hexdigest()


def article_id(text: str, existing: Iterable[str]) -> str:
    """Name a new article: the number after the highest in ``existing``, and its text's hash."""
    numbers = [int(m.group(1)) for m in map(_NUMBERED_ID.match, existing) if m]
    number = max(numbers) + 1 if numbers else 0
    return f"{number:03d}_{text_digest(text)[:16]}"


def new_article(
    text: str,
    *,
    title: str,
    outlet: str,
    published: str | dt.date,
    url: str | None = None,
    seeds_dir: Path | None = None,
    today: dt.date | None = None,
) -> Article:
    """Check a new article and name it; nothing is written.

    Header lines at the top of the text (``Title:``, ``Outlet:``, ``Date:``, ``URL:``, then a
    blank line) fill the fields left empty and are not part of the article text.

    Parameters
    ----------
    text
        The article text, as pasted or uploaded.
    title, outlet, published, url
        Its metadata; ``published`` as ``2025-08-09`` or ``August 9, 2025``.
    seeds_dir
        The seeds folder the article is to join; default ``Paths.default().seeds``.
    today
        The date a publication date may not be after (default: today).

    Returns
    -------
    Article
        With its new id and sentences.

    Raises
    ------
    ReviewError
        Listing every field that is missing or wrong, or naming the article of the seeds folder
        with the same text or URL.
    """
    folder = Path(seeds_dir) if seeds_dir is not None else Paths.default().seeds
    fields, problems = _fields(text, title=title, outlet=outlet, published=published, url=url)
    date = _published(fields.published, problems, today or dt.date.today())
    if problems or date is None:
        raise ReviewError("the article cannot be added", problems)
    try:
        corpus = load_corpus(folder)
    except CorpusError as err:
        raise ReviewError(f"the seeds folder cannot be read: {err}") from None
    article = _article_of(article_id(fields.text, corpus), fields, date)
    _refuse_duplicates(article, corpus)
    return article


def _article_of(ident: str, fields: ArticleFields, published: dt.date) -> Article:
    return Article(
        id=ident,
        title=fields.title,
        outlet=fields.outlet,
        published=published,
        text=fields.text,
        url=fields.url or None,
        sentences=split_sentences(fields.text),
    )


def _fields(
    text: str, *, title: str, outlet: str, published: str | dt.date, url: str | None
) -> tuple[ArticleFields, list[str]]:
    problems: list[str] = []
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            f"text: the article is {len(text):,} characters, more than the {MAX_TEXT_CHARS:,} "
            "an article may have; paste only the article"
        )
        text = ""
    try:
        header = parse_header(text)
    except CorpusError as err:
        problems.append(f"text: {err}")
        header = parse_header("")
    if header.lines:
        text = "\n".join(text.split("\n")[header.lines :])
        title = title.strip() or header.title or ""
        outlet = outlet.strip() or header.outlet or ""
        url = (url or "").strip() or header.url or ""
        if not str(published).strip() and header.date is not None:
            published = header.date
    if "\x00" in text:
        problems.append("text: holds NUL characters, so it is no plain text; paste the article")
    elif not text.strip() and len(problems) == 0:
        problems.append("text: the article is empty; paste its text or upload a .txt file")
    elif parse_header(text).lines:
        problems.append(
            "text: starts with header lines (Title:, Date:...) after the header; remove them"
        )
    fields = ArticleFields(
        text=text,
        title=_one_line(title),
        outlet=_one_line(outlet),
        published=published.isoformat() if isinstance(published, dt.date) else published.strip(),
        url=(url or "").strip(),
    )
    for name, value, limit in (
        ("title", fields.title, MAX_TITLE_CHARS),
        ("outlet", fields.outlet, MAX_OUTLET_CHARS),
    ):
        if not value:
            problems.append(f"{name}: missing; give the article's {name}")
        elif len(value) > limit:
            problems.append(f"{name}: {len(value):,} characters, more than {limit:,}; shorten it")
    problems += _url_problems(fields.url)
    return fields, problems


def _one_line(value: str) -> str:
    """Collapse whitespace and drop control characters (a title is one line of text)."""
    kept = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)
    return " ".join(kept.split())


def _url_problems(url: str) -> list[str]:
    if not url:
        return []
    if len(url) > MAX_URL_CHARS:
        return [f"url: {len(url):,} characters, more than {MAX_URL_CHARS:,}; shorten it"]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return [
            f"url: {url!r} is not a web address; expected https://... (or leave it empty when "
            "the article has none)"
        ]
    return []


def _published(value: str, problems: list[str], today: dt.date) -> dt.date | None:
    if not value:
        problems.append("published: missing; give the publication date, e.g. 2025-08-09")
        return None
    date = parse_date(value)
    if date is None:
        problems.append(f"published: {value!r} is not a date; write it as YYYY-MM-DD")
    elif date > today:
        problems.append(
            f"published: {date.isoformat()} is after today ({today.isoformat()}); give the date "
            "the article appeared"
        )
        return None
    return date


def _same_url(a: str | None, b: str | None) -> bool:
    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        return (parts.netloc.lower().removeprefix("www."), parts.path.rstrip("/"), parts.query)

    return bool(a and b) and key(cast(str, a)) == key(cast(str, b))


def _refuse_duplicates(article: Article, corpus: Mapping[str, Article]) -> None:
    digest = text_digest(article.text)
    for other in corpus.values():
        if other.id == article.id or text_digest(other.text) == digest:
            raise ReviewError(
                f"this article is already in the seeds folder as {other.id} ({other.title!r}): "
                "the same text; nothing to add (reopen it to review its claims again)"
            )
        if _same_url(other.url, article.url):
            raise ReviewError(
                f"this article is already in the seeds folder as {other.id} ({other.title!r}): "
                f"the same URL {article.url}; nothing to add (reopen it to review its claims "
                "again)"
            )


# -- the review -----------------------------------------------------------------------------------


def start_review(article: Article) -> Review:
    """Extract the article's candidates: claims first, then control facts, in text order."""
    from .extract import extract_article

    extraction = extract_article(article)
    items = [Item(c.claim) for c in extraction.claims] + [Item(f.fact) for f in extraction.control]
    return Review(article, tuple(items[:MAX_ITEMS]))


def _quotes_of(entry: Claim | ControlFact, article_id: str) -> set[str]:
    return {normalize_quote(e.quote) for e in entry.evidence if e.article == article_id}


def _covers(saved: Claim | ControlFact, candidate: Claim | ControlFact, article_id: str) -> bool:
    """Whether a saved entry already says what a candidate says: same id, quote or content.

    Same content is the same actor, regions and kind for a claim, the same region, holder and
    date for a control fact.
    """
    if type(saved) is not type(candidate):
        return False
    if saved.id == candidate.id or _quotes_of(saved, article_id) & _quotes_of(
        candidate, article_id
    ):
        return True
    if isinstance(saved, Claim) and isinstance(candidate, Claim):
        return (saved.actor, dict(saved.regions), saved.kind) == (
            candidate.actor,
            dict(candidate.regions),
            candidate.kind,
        )
    assert isinstance(saved, ControlFact) and isinstance(candidate, ControlFact)
    return (saved.region, saved.holder, saved.date) == (
        candidate.region,
        candidate.holder,
        candidate.date,
    )


def _claims_of(paths: Paths) -> ClaimSet:
    path = paths.geodata / CLAIMS_FILE
    if not path.exists():
        return ClaimSet()
    try:
        return load_claims(path)
    except ClaimsError as err:
        raise ReviewError(f"the claims file cannot be read: {err}", err.problems) from None


def reopen_review(article_id: str, *, paths: Paths | None = None) -> Review:
    """Open an article of the seeds folder again, with its entries of the claims file.

    Its claims and control facts (those quoting it) are ``saved`` items, accepted when the file
    has them reviewed, pending when it has them extracted; after them come the extractor's
    candidates that no saved entry covers (the same id, quote, or actor, regions and kind; for
    a control fact region, holder and date).

    Parameters
    ----------
    article_id
        The article's id in the manifest (``002_c345c335f8d1f17f``).
    paths
        The geodata and seeds folders; default ``Paths.default()``.

    Returns
    -------
    Review
        With ``reopened`` set.

    Raises
    ------
    ReviewError
        When the article is not in the seeds folder, or the folder or claims file cannot be
        read.
    """
    paths = paths or Paths.default()
    try:
        corpus = load_corpus(paths.seeds)
    except CorpusError as err:
        raise ReviewError(f"the seeds folder cannot be read: {err}") from None
    article = corpus.get(article_id)
    if article is None:
        raise ReviewError(
            f"no article {article_id!r} in the seeds folder; expected one of "
            f"{', '.join(corpus) or '(none)'}"
        )
    existing = _claims_of(paths)
    entries: tuple[Claim | ControlFact, ...] = (*existing.claims, *existing.control)
    saved = [
        Item(
            entry, decision="accepted" if entry.status == "reviewed" else "pending", origin="saved"
        )
        for entry in entries
        if any(e.article == article.id for e in entry.evidence)
    ]
    fresh = [
        item
        for item in start_review(article).items
        if not any(_covers(s.entry, item.entry, article.id) for s in saved)
    ]
    return Review(article, tuple([*saved, *fresh][:MAX_ITEMS]), reopened=True)


def seed_articles(paths: Paths | None = None) -> tuple[Article, ...]:
    """Return the articles of the seeds folder a review can reopen, newest first.

    Raises
    ------
    ReviewError
        When the seeds folder cannot be read.
    """
    folder = (paths or Paths.default()).seeds
    try:
        corpus = load_corpus(folder)
    except CorpusError as err:
        raise ReviewError(f"the seeds folder cannot be read: {err}") from None
    return tuple(sorted(corpus.values(), key=lambda a: (a.published, a.id), reverse=True))


def _with_status(entry: Claim | ControlFact, decision: Decision) -> Claim | ControlFact:
    status: ClaimStatus = "extracted" if decision == "pending" else "reviewed"
    return dataclasses.replace(entry, status=status)


def _replaced(review: Review, item_id: str, new: Item) -> Review:
    review.item(item_id)
    return dataclasses.replace(
        review, items=tuple(new if item.id == item_id else item for item in review.items)
    )


def decide(review: Review, item_id: str, decision: Decision) -> Review:
    """Accept an item as it is, reject it, or put it back to pending.

    Raises
    ------
    ReviewError
        For an unknown item or decision (``edited`` is :func:`edit_claim`'s).
    """
    if decision not in ("pending", "accepted", "rejected"):
        raise ReviewError(
            f"decision {decision!r}: expected accepted, rejected or pending (edit_claim corrects)"
        )
    item = review.item(item_id)
    if decision == "accepted" and item.decision == "edited":
        # Accepting a corrected claim keeps the correction.
        decision = "edited"
    new = dataclasses.replace(item, decision=decision, entry=_with_status(item.entry, decision))
    return _replaced(review, item_id, new)


def quote_span(article: Article, start: int, end: int) -> Evidence:
    """Return the evidence of a selected span, trimmed of surrounding whitespace.

    Raises
    ------
    ReviewError
        When the span is outside the text, empty, or longer than a quote may be.
    """
    length = len(article.text)
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length):
        raise ReviewError(
            f"quote: characters {start}-{end} are not a span of {article.id} (0-{length}); "
            "select the sentence in the article"
        )
    chunk = article.text[start:end]
    start += len(chunk) - len(chunk.lstrip())
    end -= len(chunk) - len(chunk.rstrip())
    if start >= end:
        raise ReviewError("quote: the selection holds only spaces; select the sentence")
    if end - start > MAX_QUOTE_CHARS:
        raise ReviewError(
            f"quote: {end - start:,} characters selected, more than the {MAX_QUOTE_CHARS:,} a "
            "quote may have; select one or two sentences"
        )
    return Evidence(article.id, article.text[start:end], start, end)


def _parse_date(value: str, precision: str, problems: list[str]) -> dt.date | None:
    text = value.strip()
    patterns = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}(-\d{2})?", "year": r"\d{4}"}
    pattern = patterns.get(precision)
    if pattern is None:
        problems.append(f"date_precision: {precision!r}; expected day, month or year")
        return None
    if precision == "year" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text = text[:4]
    if not re.fullmatch(pattern, text):
        problems.append(
            f"date: {value!r} is not a date of {precision} precision "
            f"({PRECISION_SHAPES[cast(DatePrecision, precision)]})"
        )
        return None
    try:
        if precision == "year":
            return dt.date(int(text), 1, 1)
        if precision == "month":
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(f"date: {value!r} is not a calendar date")
        return None


def _date_and_summary(
    date_text: str,
    precision: str,
    summary_text: str,
    article: Article,
    problems: list[str],
    *,
    entry: str,
    summary_hint: str,
) -> tuple[dt.date | None, str]:
    """Check an entry's date (not after its article) and one-line summary, noting problems."""
    date = _parse_date(date_text, precision, problems)
    if date is not None and date > article.published:
        problems.append(
            f"date: {date.isoformat()} is after the article was published "
            f"({article.published.isoformat()}); {entry} cannot postdate its source"
        )
    summary = _one_line(summary_text)
    if not summary:
        problems.append(f"summary: missing; say in a line {summary_hint}")
    elif len(summary) > MAX_SUMMARY_CHARS:
        problems.append(f"summary: more than {MAX_SUMMARY_CHARS:,} characters; shorten it")
    return date, summary


def _claim_fields(article: Article, edit: ClaimEdit) -> tuple[dict[str, Any], list[str]]:
    """Check an edit's fields; return them as Claim keyword arguments and the problems."""
    problems: list[str] = []
    actors = known_actors()
    actor = edit.actor.strip()
    if actor not in actors:
        problems.append(f"actor: {edit.actor!r} is not known; expected one of {', '.join(actors)}")
    if edit.kind not in CLAIM_KINDS:
        problems.append(f"kind: {edit.kind!r}; expected one of {', '.join(CLAIM_KINDS)}")
    regions: dict[str, Disposition] = {}
    for region, disposition in edit.regions.items():
        if not disposition:
            continue
        if region not in REGION_KEYS:
            problems.append(
                f"regions: unknown region {region!r}; expected one of {', '.join(REGION_KEYS)}"
            )
        elif disposition not in DISPOSITIONS:
            problems.append(
                f"regions: {region} has unknown disposition {disposition!r}; expected one of "
                f"{', '.join(DISPOSITIONS)}"
            )
        else:
            regions[region] = cast(Disposition, disposition)
    if not regions and not any("regions:" in p for p in problems):
        problems.append(
            "regions: none given; give at least one region a disposition ('*' for all occupied "
            "territory when the claim names none)"
        )
    date, summary = _date_and_summary(
        edit.date,
        edit.date_precision,
        edit.summary,
        article,
        problems,
        entry="a claim",
        summary_hint="what the claim means for the territory",
    )
    proposal = (edit.proposal or "").strip() or None
    if proposal is not None and not _PROPOSAL_ID.fullmatch(proposal):
        problems.append(f"proposal: {proposal!r} is not a proposal id (lower-case, digits, '-')")
    speaker = _one_line(edit.speaker or "") or None
    if speaker is not None and len(speaker) > MAX_SPEAKER_CHARS:
        problems.append(f"speaker: more than {MAX_SPEAKER_CHARS} characters; shorten it")
    fields: dict[str, Any] = {
        "actor": actor,
        "kind": edit.kind,
        "regions": regions,
        "date": date,
        "date_precision": edit.date_precision,
        "summary": summary,
        "proposal": proposal,
        "speaker": speaker,
    }
    if edit.quote is not None:
        try:
            fields["evidence"] = (quote_span(article, *edit.quote),)
        except ReviewError as err:
            problems.append(str(err))
    return fields, problems


def edit_of(claim: Claim) -> ClaimEdit:
    """Return a claim's fields as an edit that changes nothing (what the edit form starts from)."""
    return ClaimEdit(
        actor=claim.actor,
        kind=claim.kind,
        regions=dict(claim.regions),
        date=claim.date.isoformat(),
        date_precision=claim.date_precision,
        summary=claim.summary,
        proposal=claim.proposal,
        speaker=claim.speaker,
    )


def edit_claim(review: Review, item_id: str, edit: ClaimEdit) -> Review:
    """Correct a candidate claim; it becomes ``edited`` (saved as reviewed, rules and span kept).

    Raises
    ------
    ReviewError
        Listing every field of the edit that is wrong (the review is unchanged), or for an
        unknown item or one that is a control fact.
    """
    item = review.item(item_id)
    if not isinstance(item.entry, Claim):
        raise ReviewError(f"{item_id} is a control fact; edit it with the control fact's fields")
    fields, problems = _claim_fields(review.article, edit)
    if problems:
        raise ReviewError(f"claim {item_id} not changed", problems)
    if "evidence" in fields:
        fields["evidence"] = _requoted(item.entry.evidence, fields["evidence"][0])
    claim = dataclasses.replace(item.entry, **fields, status="reviewed")
    decision: Decision = "accepted" if item.origin == "added" else "edited"
    return _replaced(review, item_id, dataclasses.replace(item, entry=claim, decision=decision))


def suggest_claim(review: Review, start: int, end: int) -> ClaimEdit:
    """Prefill a claim for a selected span: the actor and regions the sentence names.

    The regions come without a disposition and the summary empty: the editor says what the
    sentence means.

    Raises
    ------
    ReviewError
        When the span is not a quote of the article (see :func:`quote_span`).
    """
    from .extract import find_actors, find_regions

    evidence = quote_span(review.article, start, end)
    actors = [m for m in find_actors(evidence.quote) if m.kind != "pronoun"]
    named = [r for m in find_regions(evidence.quote) for r in m.regions]
    return ClaimEdit(
        actor=actors[0].actor if actors else "",
        kind="position",
        regions=dict.fromkeys(named),
        date=review.article.published.isoformat(),
        speaker=next((m.speaker for m in actors if m.speaker), None),
        quote=(cast(int, evidence.start), cast(int, evidence.end)),
    )


def add_claim(review: Review, edit: ClaimEdit) -> Review:
    """Add a claim the extractor missed, quoting the span ``edit.quote`` (saved as reviewed).

    Raises
    ------
    ReviewError
        Listing every field that is wrong, or when the edit has no quote span.
    """
    if edit.quote is None:
        raise ReviewError("quote: none selected; select the sentence of the claim in the article")
    if len(review.items) >= MAX_ITEMS:
        raise ReviewError(f"the review already holds {MAX_ITEMS} items; save it first")
    fields, problems = _claim_fields(review.article, edit)
    if problems:
        raise ReviewError("claim not added", problems)
    from .extract.claims import slug

    base = f"r-{slug(review.article.id)}-{edit.quote[0]}-{slug(fields['actor'])}"
    claim = Claim(id=_new_id(review, base), status="reviewed", **fields)
    item = Item(claim, decision="accepted", origin="added")
    return dataclasses.replace(review, items=(*review.items, item))


def _new_id(review: Review, base: str) -> str:
    taken = {item.id for item in review.items}
    ident, number = base, 2
    while ident in taken:
        ident, number = f"{base}-{number}", number + 1
    return ident


def _requoted(evidence: Sequence[Evidence], quote: Evidence) -> tuple[Evidence, ...]:
    """Put a new quote in place of the entry's first quote of the article; keep the others."""
    at = next((n for n, e in enumerate(evidence) if e.article == quote.article), None)
    if at is None:
        return (quote, *evidence)
    return (*evidence[:at], quote, *evidence[at + 1 :])


# -- control facts --------------------------------------------------------------------------------


def _figure(field: str, text: str, problems: list[str]) -> float | None:
    """Read a figure as typed: ``1,295``, ``1 295``, ``0.2``; a share also as ``20%``."""
    value = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    percent = field == "share" and value.endswith("%")
    try:
        number = float(value.removesuffix("%")) if percent else float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        shape = "a number of km2, e.g. 1,295" if field == "area_km2" else "0.2 or 20%"
        problems.append(f"{field}: {text.strip()!r} is not a number; write it as {shape}")
        return None
    return number / 100 if percent else number


def _control_fields(
    article: Article, edit: ControlEdit, areas: Mapping[str, float]
) -> tuple[dict[str, Any], list[str]]:
    """Check a control edit's fields; return them as ControlFact keyword arguments, problems."""
    problems: list[str] = []
    region = edit.region.strip()
    if region not in CONTROL_REGIONS:
        problems.append(
            f"region: {edit.region!r} is not known; expected one of {', '.join(REGION_IDS)} or "
            f"'{WHOLE_UKRAINE}' for Ukraine as a whole"
        )
    if edit.holder not in HOLDERS:
        problems.append(f"holder: {edit.holder!r}; expected one of {', '.join(HOLDERS)}")
    if edit.bound not in BOUNDS:
        problems.append(f"bound: {edit.bound!r}; expected one of {', '.join(BOUNDS)}")
    area_text, share_text = edit.area_km2.strip(), edit.share.strip()
    area = share = None
    if area_text and share_text:
        problems.append(
            "area_km2, share: both given; give the area in km2 or the share of the region, not both"
        )
    elif area_text:
        area = _figure("area_km2", area_text, problems)
        whole = UKRAINE_AREA_KM2 if region == WHOLE_UKRAINE else areas.get(region)
        if area is not None and area <= 0:
            problems.append(f"area_km2: {area_text!r}; expected an area of more than 0 km2")
            area = None
        elif area is not None and whole is not None and area > whole:
            name = "Ukraine" if region == WHOLE_UKRAINE else REGIONS[region].name
            problems.append(
                f"area_km2: {area:,.0f} km2 is more than the whole of {name} "
                f"({whole:,.0f} km2); check the figure and its unit (1 square mile = 2.59 km2)"
            )
    elif share_text:
        share = _figure("share", share_text, problems)
        if share is not None and not 0 <= share <= 1:
            problems.append(
                f"share: {share_text!r} is not a share of the region; expected 0 to 1 (0.2) "
                "or 0% to 100% (20%)"
            )
            share = None
    else:
        problems.append(
            "area_km2, share: none given; give the area in km2 or the share of the region "
            "the article reports"
        )
    date, summary = _date_and_summary(
        edit.date,
        edit.date_precision,
        edit.summary,
        article,
        problems,
        entry="a control fact",
        summary_hint="who holds how much of the region",
    )
    fields: dict[str, Any] = {
        "region": region,
        "holder": cast(Holder, edit.holder),
        "date": date,
        "date_precision": edit.date_precision,
        "area_km2": None if area is None else round(area, 1),
        "share": None if share is None else round(share, 4),
        "bound": cast(Bound, edit.bound),
        "summary": summary,
    }
    if edit.quote is not None:
        try:
            fields["evidence"] = (quote_span(article, *edit.quote),)
        except ReviewError as err:
            problems.append(str(err))
    return fields, problems


def _figure_text(value: float | None) -> str:
    return "" if value is None else f"{value:,.4f}".rstrip("0").rstrip(".")


def control_edit_of(fact: ControlFact) -> ControlEdit:
    """Return a control fact's fields as an edit that changes nothing (the form's start)."""
    return ControlEdit(
        region=fact.region,
        holder=fact.holder,
        date=fact.date.isoformat(),
        date_precision=fact.date_precision,
        area_km2=_figure_text(fact.area_km2),
        share=_figure_text(fact.share),
        bound=fact.bound,
        summary=fact.summary,
    )


def edit_control(
    review: Review, item_id: str, edit: ControlEdit, *, areas: Mapping[str, float]
) -> Review:
    """Correct a control fact; it becomes ``edited`` (saved as reviewed, rules kept).

    Parameters
    ----------
    review
        The review holding the fact.
    item_id
        The fact's id.
    edit
        The fields as the editor set them.
    areas
        Region areas in km2: an area may not be more than its region's.

    Raises
    ------
    ReviewError
        Listing every field of the edit that is wrong (the review is unchanged), or for an
        unknown item or one that is a claim.
    """
    item = review.item(item_id)
    fact = item.entry
    if not isinstance(fact, ControlFact):
        raise ReviewError(f"{item_id} is a claim; edit it with the claim's fields")
    fields, problems = _control_fields(review.article, edit, areas)
    if problems:
        raise ReviewError(f"control fact {item_id} not changed", problems)
    if "evidence" in fields:
        fields["evidence"] = _requoted(fact.evidence, fields["evidence"][0])
    figure = (fields["area_km2"], fields["share"], fields["bound"])
    requoted = fields.get("evidence", fact.evidence) != fact.evidence
    if requoted or figure != (fact.area_km2, fact.share, fact.bound):
        # The article's own words for the figure ("about 500 square miles") no longer fit.
        fields["extra"] = {k: v for k, v in fact.extra.items() if k != "stated"}
    new = dataclasses.replace(fact, **fields, status="reviewed")
    decision: Decision = "accepted" if item.origin == "added" else "edited"
    return _replaced(review, item_id, dataclasses.replace(item, entry=new, decision=decision))


def suggest_control(review: Review, start: int, end: int) -> ControlEdit:
    """Prefill a control fact for a selected span: the region it names, held by Russia.

    Raises
    ------
    ReviewError
        When the span is not a quote of the article (see :func:`quote_span`).
    """
    from .extract import find_regions

    evidence = quote_span(review.article, start, end)
    named = [r for m in find_regions(evidence.quote) for r in m.regions if r != ALL_OCCUPIED]
    return ControlEdit(
        region=named[0] if len(set(named)) == 1 else "",
        holder="russia",
        date=review.article.published.isoformat(),
        bound="exact",
        quote=(cast(int, evidence.start), cast(int, evidence.end)),
    )


def add_control(review: Review, edit: ControlEdit, *, areas: Mapping[str, float]) -> Review:
    """Add a control fact the extractor missed, quoting the span ``edit.quote`` (reviewed).

    Raises
    ------
    ReviewError
        Listing every field that is wrong, or when the edit has no quote span.
    """
    if edit.quote is None:
        raise ReviewError("quote: none selected; select the sentence of the fact in the article")
    if len(review.items) >= MAX_ITEMS:
        raise ReviewError(f"the review already holds {MAX_ITEMS} items; save it first")
    fields, problems = _control_fields(review.article, edit, areas)
    if problems:
        raise ReviewError("control fact not added", problems)
    from .extract.claims import slug

    base = f"rc-{slug(review.article.id)}-{edit.quote[0]}-{slug(fields['region'])}"
    fact = ControlFact(id=_new_id(review, base), status="reviewed", **fields)
    item = Item(fact, decision="accepted", origin="added")
    return dataclasses.replace(review, items=(*review.items, item))


# -- saving ---------------------------------------------------------------------------------------


def merged_claims(existing: ClaimSet, review: Review) -> ClaimSet:
    """Return the claims file with the review's items added after the entries it has."""
    claims = list(existing.claims)
    control = list(existing.control)
    for item in review.items:
        if item.decision == "rejected":
            continue
        entry = _with_status(item.entry, item.decision)
        if isinstance(entry, Claim):
            claims.append(entry)
        else:
            control.append(entry)
    return dataclasses.replace(existing, claims=tuple(claims), control=tuple(control))


def renamed(review: Review, new_id: str) -> Review:
    """Return the review with its article named ``new_id`` (evidence and ids follow)."""
    from .extract.claims import slug

    old_id = review.article.id
    if new_id == old_id:
        return review
    old_slug, new_slug = slug(old_id), slug(new_id)

    def rename(entry: Claim | ControlFact) -> Claim | ControlFact:
        evidence = tuple(
            dataclasses.replace(e, article=new_id) if e.article == old_id else e
            for e in entry.evidence
        )
        ident = entry.id.replace(f"-{old_slug}-", f"-{new_slug}-", 1)
        return dataclasses.replace(entry, id=ident, evidence=evidence)

    return Review(
        article=dataclasses.replace(review.article, id=new_id),
        items=tuple(dataclasses.replace(i, entry=rename(i.entry)) for i in review.items),
    )


def manifest_entry(article: Article) -> str:
    """Return the ``[[article]]`` table of articles.toml for an article."""
    lines = [
        "[[article]]",
        f"id = {_toml_string(article.id)}",
        f"title = {_toml_string(article.title)}",
        f"outlet = {_toml_string(article.outlet)}",
        f"published = {article.published.isoformat()}",
    ]
    if article.url:
        lines.append(f"url = {_toml_string(article.url)}")
    return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string once control characters are escaped, which
    # json.dumps does for all but DEL; titles have none (see _one_line).
    return json.dumps(value.replace("\x7f", ""), ensure_ascii=False)


def save_review(review: Review, *, editor: str, paths: Paths | None = None) -> Saved:
    """Write the reviewed article and its claims, checked, atomically, and log it.

    Under the geodata lock: the article file, articles.toml with the article's entry and the
    claims file are staged in full and flushed; the staged files are checked as ``mapdash
    claims --check`` checks them (schema, quotes verbatim, regions, actors, proposals, dates);
    only when nothing is wrong is each switched in with one atomic rename, and the change
    appended to the audit log under ``editor``. The article gets the next free number if
    another was saved since the review began.

    Parameters
    ----------
    review
        The article and the decided items.
    editor
        Who saves, for the audit log.
    paths
        The geodata and seeds folders; default ``Paths.default()``.

    Returns
    -------
    Saved

    Raises
    ------
    ReviewError
        When the check finds problems (``problems`` lists each, with file, claim and field;
        nothing is written), the article is already in the seeds folder, or a write fails (the
        files are put back as they were).
    """
    paths = paths or Paths.default()
    if not editor.strip():
        raise ReviewError("no editor named: the audit log records who saved each review")
    with locked(paths.geodata):
        if review.reopened:
            return _save_reopened_locked(review, editor=editor.strip(), paths=paths)
        return _save_locked(review, editor=editor.strip(), paths=paths)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ReviewError(f"{path.name}: cannot be read ({err.strerror or err})") from None


def _save_locked(review: Review, *, editor: str, paths: Paths) -> Saved:
    claims_path = paths.geodata / CLAIMS_FILE
    manifest_path = paths.seeds / MANIFEST_NAME
    try:
        corpus = load_corpus(paths.seeds)
        old_claims = _read(claims_path)
        existing = load_claims(claims_path) if old_claims is not None else ClaimSet()
    except CorpusError as err:
        raise ReviewError(f"nothing saved: the seeds folder cannot be read: {err}") from None
    except ClaimsError as err:
        raise ReviewError(f"nothing saved: {err}", err.problems) from None
    review = renamed(review, article_id(review.article.text, corpus))
    _refuse_duplicates(review.article, corpus)
    article = review.article
    old_manifest = _read(manifest_path)
    manifest_text = (old_manifest or b"").decode("utf-8", errors="replace").rstrip("\n")
    manifest_bytes = (manifest_text + "\n\n" if manifest_text else "") + manifest_entry(article)
    article_bytes = article.text.encode()
    claims_bytes = dump_claims(merged_claims(existing, review)).encode()

    staging = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}review-", dir=paths.seeds))
    staged_claims = paths.geodata / f"{_TMP_PREFIX}{CLAIMS_FILE}.{os.getpid()}"
    try:
        staged_article = staging / f"{article.id}{ARTICLE_SUFFIX}"
        staged_manifest = staging / MANIFEST_NAME
        staged_claims.unlink(missing_ok=True)
        try:
            write_new(staged_article, article_bytes)
            write_new(staged_manifest, manifest_bytes.encode(), mode=_mode(manifest_path))
            write_new(staged_claims, claims_bytes, mode=_mode(claims_path))
        except OSError as err:
            raise ReviewError(f"nothing saved: cannot write ({err.strerror or err})") from None
        checked = _check_staged(article, corpus, staged_article, staged_manifest, staged_claims)
        article_path = paths.seeds / f"{article.id}{ARTICLE_SUFFIX}"
        stored = _store_before(
            paths,
            [
                FileChange("geodata", CLAIMS_FILE, old_claims, claims_bytes),
                FileChange("seeds", article_path.name, None, article_bytes),
                FileChange("seeds", MANIFEST_NAME, old_manifest, manifest_bytes.encode()),
            ],
            editor=editor,
        )
        entry = AuditEntry(
            seq=next_seq(paths.geodata),
            at=now(),
            actor=editor,
            action="review",
            kind="claims",
            layer="claims",
            version=hashlib.sha256(claims_bytes).hexdigest()[:16],
            replaced=hashlib.sha256(old_claims).hexdigest()[:16] if old_claims else None,
            source_file=f"{article.id}{ARTICLE_SUFFIX}",
            sha256=hashlib.sha256(article_bytes).hexdigest(),
            detail=review.describe(),
            stored=stored,
        )
        _switch_all(
            [
                (staged_article, article_path, None),
                (staged_manifest, manifest_path, old_manifest),
                (staged_claims, claims_path, old_claims),
            ],
            log=lambda: append_audit(paths.geodata, entry),
            stored=stored,
            geodata=paths.geodata,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        staged_claims.unlink(missing_ok=True)
    return Saved(article, claims_path, article_path, entry, checked)


def reopened_claims(existing: ClaimSet, review: Review) -> tuple[ClaimSet, tuple[str, ...]]:
    """Return the claims file with a reopened article's decisions, and what changed.

    Saved entries stay where they are in the file: unchanged, replaced by their correction, or
    removed when rejected (an entry that also quotes other articles loses only this article's
    quotes). New entries decided accepted, corrected or added are appended;
    undecided candidates are not saved (the article was reviewed before). Entries of other
    articles are untouched.

    Raises
    ------
    ReviewError
        When a saved entry is no longer in the file (it changed since the article was opened).
    """
    saved = {item.id: item for item in review.items if item.origin == "saved"}
    in_file = {c.id for c in existing.claims} | {f.id for f in existing.control}
    gone = [ident for ident in saved if ident not in in_file]
    if gone:
        raise ReviewError(
            f"nothing saved: the claims file changed since {review.article.id} was opened: "
            f"{', '.join(gone)} no longer in it; open the article again",
        )
    changes: list[str] = []

    def decided(entries: Sequence[Claim | ControlFact]) -> list[Any]:
        kept: list[Any] = []
        for entry in entries:
            item = saved.get(entry.id)
            if item is None:
                kept.append(entry)
            elif item.decision == "rejected":
                others = tuple(e for e in entry.evidence if e.article != review.article.id)
                if others:
                    # The entry stands on other articles' quotes too: only this one's go.
                    kept.append(dataclasses.replace(entry, evidence=others))
                    changes.append(f"removed the quotes of {review.article.id} from {entry.id}")
                else:
                    changes.append(f"removed {entry.id}")
            else:
                new = _with_status(item.entry, item.decision)
                if new != entry:
                    changes.append(
                        f"corrected {entry.id}"
                        if item.decision == "edited"
                        else (f"accepted {entry.id}")
                    )
                kept.append(new)
        return kept

    claims = decided(existing.claims)
    control = decided(existing.control)
    for item in review.items:
        if item.origin == "saved" or item.decision in ("rejected", "pending"):
            continue
        entry = _with_status(item.entry, item.decision)
        (claims if isinstance(entry, Claim) else control).append(entry)
        changes.append(f"added {entry.id}")
    merged = dataclasses.replace(existing, claims=tuple(claims), control=tuple(control))
    return merged, tuple(changes)


def _save_reopened_locked(review: Review, *, editor: str, paths: Paths) -> Saved:
    claims_path = paths.geodata / CLAIMS_FILE
    article = review.article
    try:
        corpus = load_corpus(paths.seeds)
    except CorpusError as err:
        raise ReviewError(f"nothing saved: the seeds folder cannot be read: {err}") from None
    on_disk = corpus.get(article.id)
    if on_disk is None or on_disk.text != article.text:
        raise ReviewError(
            f"nothing saved: {article.id} is no longer in the seeds folder as it was opened; "
            "open it again"
        )
    old_claims = _read(claims_path)
    try:
        existing = load_claims(claims_path) if old_claims is not None else ClaimSet()
    except ClaimsError as err:
        raise ReviewError(f"nothing saved: {err}", err.problems) from None
    merged, changes = reopened_claims(existing, review)
    if not changes:
        raise ReviewError(
            f"nothing saved: no change to the claims of {article.id}; accept, correct, reject "
            "or add an entry first"
        )
    claims_bytes = dump_claims(merged).encode()
    staged = paths.geodata / f"{_TMP_PREFIX}{CLAIMS_FILE}.{os.getpid()}"
    try:
        staged.unlink(missing_ok=True)
        try:
            write_new(staged, claims_bytes, mode=_mode(claims_path))
        except OSError as err:
            raise ReviewError(f"nothing saved: cannot write ({err.strerror or err})") from None
        checked = _check_claims_file(staged, corpus)
        stored = _store_before(
            paths, [FileChange("geodata", CLAIMS_FILE, old_claims, claims_bytes)], editor=editor
        )
        entry = AuditEntry(
            seq=next_seq(paths.geodata),
            at=now(),
            actor=editor,
            action="review",
            kind="claims",
            layer="claims",
            version=hashlib.sha256(claims_bytes).hexdigest()[:16],
            replaced=hashlib.sha256(old_claims).hexdigest()[:16] if old_claims else None,
            source_file=f"{article.id}{ARTICLE_SUFFIX}",
            sha256=hashlib.sha256(article.text.encode()).hexdigest(),
            detail=f"article {article.id} ({article.title}) reopened: {'; '.join(changes)}",
            stored=stored,
        )
        _switch_all(
            [(staged, claims_path, old_claims)],
            log=lambda: append_audit(paths.geodata, entry),
            stored=stored,
            geodata=paths.geodata,
        )
    finally:
        staged.unlink(missing_ok=True)
    article_path = paths.seeds / f"{article.id}{ARTICLE_SUFFIX}"
    return Saved(article, claims_path, article_path, entry, checked, reopened=True)


def _mode(path: Path) -> int:
    """Return the mode a replaced file keeps (an administrator may have restricted it)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return NEW_FILE_MODE


def _check_staged(
    article: Article,
    corpus: Mapping[str, Article],
    staged_article: Path,
    staged_manifest: Path,
    staged_claims: Path,
) -> str:
    """Check the staged files as ``mapdash claims --check`` will; return its line."""
    try:
        entry = read_manifest(staged_manifest).get(article.id)
        read_back = load_article(staged_article, manifest=entry)
    except CorpusError as err:
        raise ReviewError("nothing saved: the article would not read back", [str(err)]) from None
    if entry is None or read_back != article:
        raise ReviewError(
            "nothing saved: the article would not read back as given",
            [f"{MANIFEST_NAME}: the entry of {article.id} or its text differs from the review"],
        )
    return _check_claims_file(staged_claims, {**corpus, article.id: read_back})


def _check_claims_file(staged_claims: Path, full: Mapping[str, Article]) -> str:
    """Check a staged claims file against the corpus as ``mapdash claims --check`` does."""
    try:
        claim_set = load_claims(staged_claims)
    except ClaimsError as err:
        problems = [f"{CLAIMS_FILE}: {p}" for p in err.problems] or [f"{CLAIMS_FILE}: {err}"]
        raise ReviewError(
            f"nothing saved: the claims file would not follow its schema ({len(problems)} "
            "problem(s))",
            problems,
        ) from None
    problems = check_claims(claim_set, full)
    if problems:
        raise ReviewError(
            f"nothing saved: 'mapdash claims --check' would fail with {len(problems)} problem(s)",
            [f"{CLAIMS_FILE}: {p}" for p in problems],
        )
    return check_passed(claim_set, articles=len(full))


def _store_before(paths: Paths, changes: Sequence[FileChange], *, editor: str) -> str:
    """Keep what a save replaces as a stored version (it undoes the save); return its id."""
    try:
        return store(paths.geodata, paths.seeds, changes, actor=editor)
    except OSError as err:
        raise ReviewError(
            f"nothing saved: the previous files could not be kept for undo ({err.strerror or err})"
        ) from None


def _switch_all(
    moves: Sequence[tuple[Path, Path, bytes | None]],
    *,
    log: Callable[[], None],
    stored: str,
    geodata: Path,
) -> None:
    """Switch each staged file in, then log; on a failure put back what was switched.

    ``stored`` is the version keeping the replaced files: it goes with a save that failed.
    """
    done: list[tuple[Path, bytes | None]] = []
    step = "the audit log"
    try:
        for staged, target, before in moves:
            step = target.name
            switch(staged, target)
            done.append((target, before))
        step = "the audit log"
        log()
    except OSError as err:
        for target, before in reversed(done):
            with contextlib.suppress(OSError):
                _put_back(target, before)
        discard(geodata, stored)
        raise ReviewError(
            f"nothing saved: writing {step} failed ({err.strerror or err}); the files are as "
            "they were"
        ) from None


def _put_back(target: Path, before: bytes | None) -> None:
    if before is None:
        target.unlink(missing_ok=True)
        return
    tmp = target.with_name(f"{_TMP_PREFIX}{target.name}.undo.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    write_new(tmp, before, mode=_mode(target))
    switch(tmp, target)


# -- the page's copy of a review ------------------------------------------------------------------


def review_to_data(review: Review) -> dict[str, Any]:
    """Return a review as JSON-ready data, for a page to keep between two steps."""
    article = review.article
    return {
        "version": DATA_VERSION,
        "reopened": review.reopened,
        "article": {
            "id": article.id,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published.isoformat(),
            "url": article.url,
            "text": article.text,
        },
        "items": [
            {
                "decision": item.decision,
                "origin": item.origin,
                "claim" if item.is_claim else "control": (
                    claim_to_data(item.entry)
                    if isinstance(item.entry, Claim)
                    else control_to_data(item.entry)
                ),
            }
            for item in review.items
        ],
    }


def review_from_data(data: object) -> Review:
    """Read back what :func:`review_to_data` gave, checking it as input from outside.

    Raises
    ------
    ReviewError
        When the data is not a review (a page of another version, or altered).
    """
    damaged = "the review kept by this page is damaged; add the article again"
    if not isinstance(data, dict) or data.get("version") != DATA_VERSION:
        raise ReviewError(damaged, ["expected a review saved by this version of the page"])
    article = data.get("article")
    items = data.get("items")
    problems: list[str] = []
    if not isinstance(article, dict) or not isinstance(items, list):
        raise ReviewError(damaged, ["expected 'article' and 'items'"])
    for key in ("id", "title", "outlet", "published", "text"):
        if not isinstance(article.get(key), str):
            problems.append(f"article.{key}: expected a string")
    if not isinstance(article.get("url"), str | None):
        problems.append("article.url: expected a string or null")
    if len(items) > MAX_ITEMS:
        problems.append(f"items: {len(items)}, more than {MAX_ITEMS}")
    reopened = data.get("reopened", False)
    if not isinstance(reopened, bool):
        problems.append("reopened: expected true or false")
    if problems:
        raise ReviewError(damaged, problems)
    fields, field_problems = _fields(
        article["text"],
        title=article["title"],
        outlet=article["outlet"],
        published=article["published"],
        url=article["url"],
    )
    published = parse_date(fields.published) if fields.published else None
    if field_problems or published is None or not _NUMBERED_ID.match(article["id"]):
        raise ReviewError(damaged, field_problems or ["article: no id or publication date"])
    restored = _article_of(article["id"], fields, published)
    found = tuple(_item_from_data(n, item) for n, item in enumerate(items))
    if not reopened and any(item.origin == "saved" for item in found):
        raise ReviewError(damaged, ["items: entries of the claims file in a new article's review"])
    return Review(restored, found, reopened=reopened)


def _item_from_data(number: int, data: object) -> Item:
    import jsonschema

    damaged = "the review kept by this page is damaged; add the article again"
    if not isinstance(data, dict):
        raise ReviewError(damaged, [f"items[{number}]: expected an object"])
    decision, origin = data.get("decision"), data.get("origin")
    if decision not in DECISIONS or origin not in ORIGINS:
        raise ReviewError(damaged, [f"items[{number}]: unknown decision or origin"])
    key = "claim" if "claim" in data else "control"
    schema = SCHEMA["properties"]["claims" if key == "claim" else "control"]["items"]
    entry = data.get(key)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(entry))
    if errors:
        raise ReviewError(damaged, [f"items[{number}].{key}: {e.message}" for e in errors[:5]])
    try:
        parsed = claim_set_from_data({"claims" if key == "claim" else "control": [entry]})
    except ValueError as err:
        raise ReviewError(damaged, [f"items[{number}]: {err}"]) from None
    found: Claim | ControlFact = parsed.claims[0] if key == "claim" else parsed.control[0]
    return Item(found, decision=cast(Decision, decision), origin=cast(Origin, origin))


__all__ = [
    "DECISIONS",
    "MAX_TEXT_CHARS",
    "MAX_UPLOAD_BYTES",
    "REGION_KEYS",
    "ArticleFields",
    "CONTROL_REGIONS",
    "ClaimEdit",
    "ControlEdit",
    "Decision",
    "Item",
    "Review",
    "Saved",
    "add_claim",
    "add_control",
    "article_id",
    "control_edit_of",
    "decide",
    "edit_claim",
    "edit_control",
    "edit_of",
    "manifest_entry",
    "merged_claims",
    "new_article",
    "quote_span",
    "read_upload",
    "renamed",
    "reopen_review",
    "reopened_claims",
    "review_from_data",
    "review_to_data",
    "save_review",
    "seed_articles",
    "start_review",
    "suggest_claim",
    "suggest_control",
    "text_digest",
]
