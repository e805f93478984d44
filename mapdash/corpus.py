"""The article corpus: seeds/ with its manifest (articles.toml) -> Article records.

Metadata comes from, in order of precedence: the manifest, the article's own header lines
(``Title:``, ``Date:``, ``URL:``, ``Outlet:`` followed by a blank line), a date the caller passes,
and a dateline printed near the top of the text. Disagreements between the metadata and dates
printed in the text are reported by :func:`corpus_warnings`, never silently resolved.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import Paths
from .errors import CorpusError
from .text import split_sentences
from .types import Article

MANIFEST_NAME = "articles.toml"
ARTICLE_SUFFIX = ".txt"
_HEADER_KEYS = ("title", "date", "url", "outlet")
_HEADER_LINE = re.compile(r"^\s*(title|date|url|outlet)\s*:\s*(.*?)\s*$", re.IGNORECASE)
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Datelines as news pages print them: "Published February 19, 2023", "19 August, 2025",
# "August 17, 2025", "2025-08-17".
_PRINTED_DATE = re.compile(
    rf"(?P<mdy>\b(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}\b)"
    rf"|(?P<dmy>\b\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b)"
    r"|(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
)
_PUBLISHED_LINE = re.compile(r"\bpublished\b", re.IGNORECASE)
_TIME_OF_DAY = re.compile(
    r"\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:GMT|UTC|CET|CEST|EET|EEST|BST|EST|EDT|ET|MSK)(?:\s*[+-]\s*\d{1,2})?)?"
)
# How far from the top a bare dateline may stand to count as the article's date.
_DATELINE_LINES = 6


@dataclass(frozen=True)
class ManifestEntry:
    """One ``[[article]]`` table of articles.toml."""

    id: str
    title: str
    outlet: str
    published: dt.date
    url: str | None = None
    defects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """Metadata given by header lines at the top of an article file."""

    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    outlet: str | None = None
    lines: int = 0


def load_corpus(
    seeds_dir: Path | None = None, *, unreadable: list[str] | None = None
) -> dict[str, Article]:
    """Load every article of a seeds folder, ordered by id.

    Parameters
    ----------
    seeds_dir
        Folder with ``*.txt`` articles and optionally ``articles.toml``; defaults to
        ``Paths.default().seeds``.
    unreadable
        When given, an article that cannot be read is left out and the reason appended here
        (what the app does, so that one bad file does not stop it); otherwise it raises.

    Returns
    -------
    dict
        Article id (file name without ``.txt``) -> Article.

    Raises
    ------
    CorpusError
        If the folder, the manifest or an article cannot be read, or an article has no date.
    """
    folder = Path(seeds_dir) if seeds_dir is not None else Paths.default().seeds
    if not folder.is_dir():
        raise CorpusError(f"{folder}: seeds folder not found; expected a folder of .txt articles")
    manifest = read_manifest(folder / MANIFEST_NAME)
    articles: dict[str, Article] = {}
    left_out: set[str] = set()
    for path in sorted(folder.glob(f"*{ARTICLE_SUFFIX}")):
        try:
            articles[path.stem] = load_article(path, manifest=manifest.get(path.stem))
        except CorpusError as err:
            if unreadable is None:
                raise
            unreadable.append(f"article {path.name} left out: {err}")
            left_out.add(path.stem)
    missing = sorted(set(manifest) - set(articles) - left_out)
    if missing:
        raise CorpusError(
            f"{folder / MANIFEST_NAME}: lists {', '.join(missing)} but there is no such "
            f"{ARTICLE_SUFFIX} file in {folder}; add the file or remove its [[article]] entry"
        )
    return articles


def read_manifest(path: Path) -> dict[str, ManifestEntry]:
    """Read articles.toml; a missing file is an empty manifest.

    Raises
    ------
    CorpusError
        If the file is not valid TOML or an entry lacks a field or has a wrong type.
    """
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise CorpusError(f"{path}: not valid TOML ({err})") from None
    tables = data.get("article", [])
    if not isinstance(tables, list):
        raise CorpusError(f"{path}: 'article' must be an array of tables ([[article]])")
    entries: dict[str, ManifestEntry] = {}
    for number, table in enumerate(tables, start=1):
        where = f"{path} [[article]] #{number}"
        entry = _manifest_entry(table, where)
        if entry.id in entries:
            raise CorpusError(f"{where}: id {entry.id!r} is listed twice; keep one entry")
        entries[entry.id] = entry
    return entries


def _manifest_entry(table: object, where: str) -> ManifestEntry:
    if not isinstance(table, dict):
        raise CorpusError(f"{where}: expected a table of id, title, outlet, published")
    for key in ("id", "title", "outlet", "published"):
        if key not in table:
            raise CorpusError(f"{where}: field '{key}' is missing; add {key} = ...")
    for key in ("id", "title", "outlet"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise CorpusError(f"{where}: field '{key}' must be a non-empty string")
    published = table["published"]
    if isinstance(published, dt.datetime):
        published = published.date()
    elif isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            published = None
    if not isinstance(published, dt.date):
        raise CorpusError(
            f"{where}: field 'published' is {table['published']!r}; "
            "expected a date such as published = 2025-08-09"
        )
    defects = table.get("defects", [])
    if not isinstance(defects, list) or not all(isinstance(d, str) for d in defects):
        raise CorpusError(f"{where}: field 'defects' must be a list of strings")
    url = table.get("url")
    return ManifestEntry(
        id=table["id"],
        title=table["title"],
        outlet=table["outlet"],
        published=published,
        url=url if isinstance(url, str) else None,
        defects=tuple(defects),
    )


#: Largest article file read (a long news report is well under 100 KB).
MAX_ARTICLE_BYTES = 2 * 2**20


def read_text(path: Path) -> str:
    """Read an article file as UTF-8 text (a byte-order mark is dropped).

    Raises
    ------
    CorpusError
        If the file is missing, empty, binary or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise CorpusError(
                f"{path}: the article is {size:,} bytes, more than the {MAX_ARTICLE_BYTES:,} a "
                "news report needs; is it the right file?"
            )
        raw = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot read article ({err.strerror})") from None
    return decode_text(raw, name=str(path))


def decode_text(raw: bytes, *, name: str) -> str:
    """Decode the bytes of an article file (or upload) as UTF-8 text, lines ending in LF.

    Raises
    ------
    CorpusError
        If the bytes are empty, binary or not UTF-8; the message starts with ``name``.
    """
    if not raw.strip():
        raise CorpusError(f"{name}: the article file is empty; expected the text of a news report")
    if b"\x00" in raw[:4096]:
        raise CorpusError(
            f"{name}: looks like a binary file (NUL bytes), not an article; "
            "save the article as plain UTF-8 text"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(
            f"{name}: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save the article as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_header(text: str) -> Header:
    """Read ``Title:``/``Date:``/``URL:``/``Outlet:`` lines at the top, ended by a blank line.

    Raises
    ------
    CorpusError
        If a ``Date:`` header cannot be read as a date.
    """
    values: dict[str, str] = {}
    lines = text.split("\n")
    count = 0
    for line in lines:
        match = _HEADER_LINE.match(line)
        if not match:
            break
        values[match.group(1).casefold()] = match.group(2)
        count += 1
    # Header lines only count as a header when a blank line (or the end) follows them.
    if not values or (count < len(lines) and lines[count].strip()):
        return Header()
    date = None
    if "date" in values:
        date = parse_date(values["date"])
        if date is None:
            raise CorpusError(
                f"header 'Date: {values['date']}' is not a date; write e.g. 'Date: 2025-08-09'"
            )
    return Header(
        title=values.get("title") or None,
        date=date,
        url=values.get("url") or None,
        outlet=values.get("outlet") or None,
        lines=count + 1,
    )


def parse_date(value: str) -> dt.date | None:
    """Read a written date ("2025-08-09", "August 9, 2025", "9 Aug 2025"), or None."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    import dateparser  # imported here: it takes a moment to load and few callers need it

    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def printed_dates(text: str) -> list[tuple[int, str, dt.date]]:
    """Dates printed as datelines in the text: (line number from 1, the line, the date)."""
    found: list[tuple[int, str, dt.date]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or len(stripped) > 80:
            continue
        match = _PRINTED_DATE.search(stripped)
        if not match:
            continue
        # A dateline is a line that is mostly the date (a time of day may follow: "November 21,
        # 2025 10:15 AM GMT"), or says "Published <date>".
        rest = len(_TIME_OF_DAY.sub("", stripped)) - len(match.group())
        if rest > 12 and not _PUBLISHED_LINE.search(stripped):
            continue
        date = parse_date(match.group().replace(",", ", ").replace(" ,", ","))
        if date is not None:
            found.append((number, stripped, date))
    return found


def load_article(
    path: Path,
    *,
    manifest: ManifestEntry | None = None,
    published: dt.date | None = None,
) -> Article:
    """Load one article file.

    Parameters
    ----------
    path
        The ``.txt`` file; its name without suffix is the article id.
    manifest
        Its manifest entry, if any (wins over everything else).
    published
        A publication date to use when neither the manifest nor a header gives one.

    Returns
    -------
    Article

    Raises
    ------
    CorpusError
        If the file cannot be read as text or no publication date can be found anywhere.
    """
    raw = read_text(path)
    try:
        header = parse_header(raw)
    except CorpusError as err:
        raise CorpusError(f"{path}: {err}") from None
    text = "\n".join(raw.split("\n")[header.lines :]) if header.lines else raw
    if not text.strip():
        raise CorpusError(f"{path}: the article has header lines but no text after them")
    date = (manifest.published if manifest else None) or header.date or published or _dateline(text)
    if date is None:
        raise CorpusError(
            f"{path}: no publication date anywhere (no manifest entry, no 'Date:' header, no "
            "dateline in the text); add a 'Date: YYYY-MM-DD' header line, list the article in "
            f"{MANIFEST_NAME}, or pass --published YYYY-MM-DD"
        )
    title = (manifest.title if manifest else None) or header.title or _first_line(text)
    return Article(
        id=path.stem,
        title=title,
        outlet=(manifest.outlet if manifest else None) or header.outlet or "unknown outlet",
        published=date,
        text=text,
        url=(manifest.url if manifest else None) or header.url,
        defects=manifest.defects if manifest else (),
        sentences=split_sentences(text),
    )


def _dateline(text: str) -> dt.date | None:
    for number, _line, date in printed_dates(text):
        if number <= _DATELINE_LINES:
            return date
    return None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.split("\n") if line.strip()), "")


def article_warnings(article: Article) -> list[str]:
    """Discrepancies between an article's metadata and dates printed in its text.

    A dateline more than two days away from the publication date (or in another year) is
    reported, e.g. "Published February 19, 2023" in an article the manifest dates 2025-02-18.
    """
    warnings: list[str] = []
    for number, line, date in printed_dates(article.text):
        if date.year != article.published.year or abs((date - article.published).days) > 2:
            warnings.append(
                f"{article.id} line {number}: the text says {line!r} ({date.isoformat()}) but "
                f"the article is dated {article.published.isoformat()}; the metadata date is used"
            )
    return warnings


def corpus_warnings(corpus: dict[str, Article]) -> list[str]:
    """Warnings for every article of a corpus (see :func:`article_warnings`)."""
    return [warning for article in corpus.values() for warning in article_warnings(article)]
