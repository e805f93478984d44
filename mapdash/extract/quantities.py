"""Quantities of territory: areas (km2, square miles), shares and their bounds."""

from __future__ import annotations

import re

from .prefilter import rx as _rx

Bound = str
SQUARE_MILE_KM2 = 2.589988110336

# -- quantities -----------------------------------------------------------------------------------

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a hundred": 100,
    "a thousand": 1000,
}
FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}
_BOUND = (
    r"(?P<bound>only about|about|around|roughly|approximately|nearly|almost|some|at least|"
    r"more than|over|up to|at most|less than)?\s*"
)
AREA_RE = _rx(
    _BOUND + r"(?P<num>\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")\s*"
    r"(?P<unit>square (?:miles?|kilometers?|kilometres?)|sq\.? ?(?:mi|km)\b|km2|km²)",
    re.IGNORECASE,
)
SHARE_RE = _rx(
    _BOUND + r"(?:(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)|"
    r"(?:a|one) (?P<frac>half|third|quarter|fifth|tenth)\b)",
    re.IGNORECASE,
)
FULL_RE = _rx(
    r"\b(?:fully|completely|entirely|wholly) (?:control|controls|controlled|occupy|occupies|"
    r"occupied|hold|holds|held)\b|"
    # "Russia now controls all of the Luhansk region", "holds the whole of Luhansk"
    r"\b(?:control|controls|controlled|occupy|occupies|occupied|hold|holds|held) "
    r"(?:all|the whole|the entirety) of\b(?= (?:the )?[A-Z])",
    re.IGNORECASE,
)
SHARE_OF_UKRAINE = _rx(
    r"^\s*of (?:Ukraine|Ukraine['\u2019]s|its|the country['\u2019]s|which)\b|"
    r"^\s*of (?:its|Ukraine['\u2019]s) (?:sovereign )?(?:territory|land)",
    re.IGNORECASE,
)
SHARE_OF_REGION = _rx(
    r"\s*of (?P<each>both |each of |each of the )?(?:the )?"
    r"(?P<place>[A-Z][\w'\u2019-]+(?: (?:Oblast|region|Region|oblast))?)"
)
PASSIVE_HOLDER = _rx(
    r"(?:controlled|held|occupied) by (?P<h1>Russian|Ukrainian|Russia|Ukraine)|"
    r"under (?P<h2>Russian|Ukrainian) (?:control|occupation)",
    re.IGNORECASE,
)
ADVANCE = _rx(r"\b(?:advanc\w*|gain\w*|push\w*|mov\w*|lost|losing)\b", re.IGNORECASE)
_QUANTITY_WORDS = (
    "square",
    "sq",
    "km",
    "%",
    "percent",
    "per cent",
    "half",
    "third",
    "quarter",
    "fifth",
    "tenth",
    "fully",
    "completely",
    "entirely",
    "wholly",
    "all of",
    "whole of",
    "entirety of",
)
#: Any word a quantity needs; most sentences have none.
QUANTITY_KEYS = _rx("|".join(re.escape(k) for k in _QUANTITY_WORDS))
BOUNDS: dict[str, Bound] = {
    "only about": "about",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "nearly": "about",
    "almost": "about",
    "some": "about",
    "at least": "at_least",
    "more than": "at_least",
    "over": "at_least",
    "up to": "at_most",
    "at most": "at_most",
    "less than": "at_most",
}


def parse_number(text: str) -> float | None:
    """Parse a number written in digits (with thousands commas) or as a word; None if neither."""
    key = text.casefold()
    if key in NUMBER_WORDS:
        return float(NUMBER_WORDS[key])
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None
