"""Date expressions in a sentence, resolved against the article's publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..types import DatePrecision
from .prefilter import Filtered, FilteredGroup
from .prefilter import rx as _rx

# -- dates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRef:
    """A date resolved from an expression in the text."""

    date: dt.date
    precision: DatePrecision
    expression: str


_MONTH_NAMES = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAMES["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"  # noqa: E501
#: "in mid-August", "in early September", "in late October 2025": still that month.
_PART = r"(?:(?:the )?(?:early|mid|late|end of|middle of|beginning of|start of)[- ]?)?"
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_WEEKDAY_NAMES = {name.casefold(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DATE_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}}),? (?P<y>\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH}),? (?P<y>\d{{4}})\b")),
    (
        "my",
        re.compile(
            rf"\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Bb]y|[Uu]ntil) {_PART}(?P<m>{_MONTH}) (?P<y>\d{{4}})\b"
        ),
    ),
    ("md", re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}})\b(?!,? \d{{4}})")),
    # "on 15 August", "the 21 November draft": day before month, no year
    ("md", re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})(?!\w)(?!,? \d{{4}})")),
    (
        "today",
        re.compile(r"\b(?:earlier in the day|today|this morning|tonight|on the day)\b", re.I),
    ),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b", re.IGNORECASE)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?P<early>(?:early|late) )?(?P<w>{_WEEKDAY})\b")),
    ("last_week", re.compile(r"\blast week\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\blast month\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(?:earlier |early |late )?this month\b", re.IGNORECASE)),
    (
        "ago",
        re.compile(
            r"\b(?P<n>a|an|one|two|three|four|five|six|\d{1,2}) (?P<u>days?|weeks?) ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ll]ast) {_PART}(?P<m>{_MONTH})(?!\w)"),
    ),
    ("year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y) (?P<y>(?:19|20)\d\d)\b")),
)
# Each expression with the words it needs: most sentences hold none of them and are not scanned.
_FILTERED = FilteredGroup([Filtered(pattern) for _, pattern in _DATE_RES])
_RELATIVE_CLAUSE = _rx(r",\s*(?:which|who|whom|whose)\b[^,;]*(?:,|$)")
_FUTURE = _rx(
    r"\b(?:will|would be in|is set to|are set to|scheduled|next|is expected to|plans? to)\b",
    re.IGNORECASE,
)


def resolve_date(text: str, published: dt.date) -> DateRef | None:
    """Resolve the first date expression of a sentence against the publication date.

    Weekdays are the most recent such day on or before publication ("on Wednesday" in an article
    of Saturday 9 August 2025 is 6 August), or the next one when the sentence speaks of the future
    ("will be in Washington on Monday"). "In April" is the most recent April, month precision.

    >>> resolve_date("since Wednesday, when Witkoff met Putin", dt.date(2025, 8, 9)).date
    datetime.date(2025, 8, 6)
    """
    original = text
    kinds = _FILTERED.possible(text)
    if not kinds:
        return None
    # A date inside ", which ... ," describes something else ("Crimea, which it annexed in 2014").
    text = _RELATIVE_CLAUSE.sub(lambda m: " " * len(m.group()), text)
    found: list[tuple[int, DateRef]] = []
    future: bool | None = None
    for number in _FILTERED.possible(text) if text is not original else kinds:
        kind = _DATE_RES[number][0]
        for match in _FILTERED.patterns[number].run.finditer(text):
            if future is None:
                future = bool(_FUTURE.search(text))
            ref = _resolve(kind, match, published, future=future)
            if ref is not None:
                found.append((match.start(), ref))
                break
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _resolve(
    kind: str, match: re.Match[str], published: dt.date, *, future: bool
) -> DateRef | None:
    expression = match.group()
    groups = match.groupdict()
    try:
        if kind in ("mdy", "dmy"):
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            date = dt.date(int(groups["y"]), month, int(groups["d"]))
            return DateRef(date, "day", expression)
        if kind == "my":
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            return DateRef(dt.date(int(groups["y"]), month, 1), "month", expression)
        if kind == "md":
            month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
            date = dt.date(published.year, month, int(groups["d"]))
            if date > published + dt.timedelta(days=7):
                date = date.replace(year=published.year - 1)
            return DateRef(date, "day", expression)
    except ValueError:
        return None
    if kind == "today":
        return DateRef(published, "day", expression)
    if kind == "yesterday":
        return DateRef(published - dt.timedelta(days=1), "day", expression)
    if kind == "tomorrow":
        return DateRef(published + dt.timedelta(days=1), "day", expression)
    if kind == "weekday":
        weekday = _WEEKDAY_NAMES[groups["w"].casefold()]
        if future:
            ahead = (weekday - published.weekday()) % 7 or 7
            return DateRef(published + dt.timedelta(days=ahead), "day", expression)
        back = (published.weekday() - weekday) % 7
        return DateRef(published - dt.timedelta(days=back), "day", expression)
    if kind == "last_week":
        day = published - dt.timedelta(days=7)
        return DateRef(day.replace(day=1), "month", expression)
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return DateRef(first.replace(day=1), "month", expression)
    if kind == "this_month":
        return DateRef(published.replace(day=1), "month", expression)
    if kind == "ago":
        count = _NUMBERS.get(groups["n"].casefold()) or int(groups["n"])
        if groups["u"].casefold().startswith("day"):
            return DateRef(published - dt.timedelta(days=count), "day", expression)
        day = published - dt.timedelta(weeks=count)
        return DateRef(day.replace(day=1), "month", expression)
    if kind == "month":
        month = _MONTH_NAMES[groups["m"].rstrip(".").casefold()]
        year = published.year if month <= published.month else published.year - 1
        return DateRef(dt.date(year, month, 1), "month", expression)
    if kind == "year":
        year = int(groups["y"])
        if year > published.year:
            return None
        return DateRef(dt.date(year, 1, 1), "year", expression)
    return None
