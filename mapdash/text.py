"""Plain-text helpers shared by the corpus, extraction and the claims check (pure functions)."""

from __future__ import annotations

import re

from .types import Sentence

# Typographic characters the seeds use, folded to what a person types into a YAML file.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)
_SPACE = re.compile(r"\s+")

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before a space and
# an upper-case letter, digit or opening quote, or at a line break. Titles such as "Mr" and
# initials are protected so that "Mr Putin" stays inside its sentence.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "u.s", "u.k", "u.n", "jan", "feb", "aug", "sept", "oct"}
    | {"nov", "dec", "gen", "lt", "col", "no", "vs", "inc", "jr", "sr", "prof", "rep", "sen"}
)
_BOUNDARY = re.compile(r"[.!?…][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])|\n")


def normalize_quote(text: str) -> str:
    """Fold typographic quotes, apostrophes and whitespace so quotes compare as people read them.

    Curly quotes become straight ones, no-break spaces plain ones, and runs of whitespace collapse
    to a single space.
    """
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split text into sentences with offsets; blank stretches are skipped.

    Parameters
    ----------
    text
        The article text.

    Returns
    -------
    tuple of Sentence
        Sentences in order; ``text[s.start:s.end] == s.text`` for each.
    """
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group() != "\n":
            word = text[start : match.start()].rsplit(None, 1)
            last = word[-1].casefold().lstrip("(\"'\u201c") if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    sentences.append(Sentence(begin, begin + len(stripped), stripped))
