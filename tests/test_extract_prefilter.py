"""The literal prefilter: a pattern is skipped only on text it cannot match.

Extraction runs each rule's pattern only on sentences that hold the literals every match of it
contains (read off the pattern's parse tree, found with one Aho-Corasick pass). These tests pin
what is read off a pattern and check, on the seed articles and on generated text, that a filtered
pattern answers exactly as the pattern itself.
"""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from fuzzing import FUZZ
from hypothesis import given
from hypothesis import strategies as st

from mapdash.corpus import load_corpus
from mapdash.extract import extract_article
from mapdash.extract.prefilter import (
    _OTHER_CASES,
    Filtered,
    FilteredGroup,
    factored,
    literal_alternation,
    registered,
    required_literals,
)


def _sets(pattern: str, flags: int = 0) -> tuple[bool, list[list[str]]]:
    folded, sets = required_literals(re.compile(pattern, flags))
    return folded, [sorted(s) for s in sets]


def test_literals_of_a_case_insensitive_alternation():
    assert _sets(r"\b(?:cede[sd]?|ceding|hand(?:s|ed)? over)\b", re.I) == (
        True,
        [["cede", "ceded", "cedes", "ceding", "hand over", "handed over", "hands over"]],
    )


def test_literals_of_a_case_sensitive_pattern_keep_their_case():
    assert _sets(r"\b(?:In|Since) (?:May|June) \d{4}") == (
        False,
        [["In June ", "In May ", "Since June ", "Since May "]],
    )


def test_unbounded_parts_split_a_pattern_into_sets_all_of_which_are_needed():
    folded, sets = _sets(r"\bstop\w* (?:\w+ ){0,3}at the (?:\w+ ){0,2}lines?\b", re.I)
    assert folded and sets == [["stop"], ["line", "lines"]]  # not "at the ": in most texts


def test_a_case_insensitive_group_makes_the_literals_case_folded():
    assert _sets(r"(?=[A-Z])(?:US|Russian) (?i:(?:Envoy|Leader))\b") == (
        True,
        [["russian envoy", "russian leader", "us envoy", "us leader"]],
    )


def test_a_pattern_that_needs_no_literal_is_always_run():
    assert _sets(r"\w+ \d+") == (False, [])
    pattern = Filtered(r"\w+ \d+")
    assert pattern.possible("no digits here") is True
    assert pattern.search("no digits here") is None


def test_a_sentence_without_the_words_is_not_scanned():
    pattern = Filtered(r"\b(?:buffer|demilitari[sz]ed) zones?\b", re.I)
    assert not pattern.possible("Talks resumed in Geneva on Monday.")
    assert pattern.possible("Kyiv proposed a Demilitarised Zone.")
    assert pattern.search("Kyiv proposed a Demilitarised Zone.").group() == "Demilitarised Zone"


def test_dotted_i_falls_back_to_scanning():
    # re.IGNORECASE equates "i" with the dotted capital I, which str.casefold does not.
    pattern = Filtered(r"\bistanbul\b", re.I)
    assert pattern.search("Talks in \u0130STANBUL resumed.") is not None


def test_a_non_ascii_letter_in_a_case_insensitive_pattern_is_not_taken_as_a_literal():
    # "\u0130" (dotted capital I) matches a plain "i" under re.IGNORECASE; casefolded it is
    # two characters, so it cannot be looked for as it stands.
    assert Filtered("\u0130stanbul", re.I).search("talks in istanbul").group() == "istanbul"


def test_a_group_answers_in_order_and_a_late_pattern_joins_the_sieve():
    group = FilteredGroup(
        [Filtered(r"\bsouth\w*", re.I), Filtered(r"\bnorth\w*", re.I), Filtered(r"\w+")]
    )
    assert group.possible("Northern and Southern fronts") == (0, 1, 2)
    assert group.possible("the eastern front") == (2,)
    late = Filtered(r"\bwestern\b", re.I)  # made after the sieve was built
    assert late.search("the Western front").group() == "Western"
    assert group.possible("Northern lines") == (1, 2)


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    articles = load_corpus(ROOT / "seeds").values()
    for article in articles:
        extract_article(article)  # makes every pattern the extraction uses
    return [s.text for a in articles for s in a.sentences]


def test_every_extraction_pattern_answers_as_itself_on_the_seeds(seed_sentences):
    patterns = registered()
    assert len(patterns) > 60
    for pattern in patterns:
        for text in seed_sentences:
            expected = [(m.span(), m.groups()) for m in pattern.pattern.finditer(text)]
            found = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert found == expected, pattern.pattern
            if expected:
                assert pattern.possible(text), (pattern.pattern, text)


_WORDS = (
    "cede",
    "ceded",
    "Donbas",
    "line of contact",
    "frozen",
    "said",
    "SAID",
    "Putin",
    "Kyiv",
    "recognise",
    "recognized",
    "withdraw from",
    "buffer zone",
    "May",
    "may",
    "Monday",
    "2014",
    "in",
    " ",
    ", ",
    ".",
    "\u2019s",
    "\u201c",
    "\u201d",
    "square miles",
    "%",
    "percent",
    "\u00df",
    "\u0130",
    "\u0131",
    "K",
    "\u212a",
    "\u017f",
    "territory",
    "regions",
    "five",
    "four",
)


@FUZZ
@given(st.lists(st.sampled_from(_WORDS), max_size=30))
def test_filtered_patterns_find_the_same_matches_on_any_text(words):
    text = "".join(words)
    for pattern in registered():
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == [
            (m.span(), m.groups()) for m in pattern.pattern.finditer(text)
        ], (pattern.pattern, text)


_TRICKY = (
    # the shorter word first wins where nothing follows: "say" in "says", as before
    (r"\b(?:say|says|said|stated)", re.IGNORECASE, "He SAYS, she Said, it stated"),
    # a branch that does not start with a character keeps its place between the others
    (r"(?:sa\w|\w+d|said)", 0, "said sad s\u00e4d"),
    # named groups keep their numbers and names
    (r"(?P<verb>cede|ceded|cedes)(?P<s>s)?\b", 0, "cedes ceded cede"),
    # IGNORECASE relates the Kelvin sign to k and the long s to s
    (r"\b(?:kept|keep|surrender|said)\b", re.IGNORECASE, "\u212aEPT \u017fAID keep"),
    # a case-sensitive group inside a case-insensitive pattern
    (r"(?:US (?-i:Envoy|Enemy)|us envoy)", re.IGNORECASE, "us envoy US Envoy US ENVOY"),
    # look-behind and look-ahead around the alternatives
    (r"(?<![\w.])(?:U\.S\.|US|USA)(?![\w]|\.\w)", 0, "US USA U.S. XUS U.S.A"),
)


@pytest.mark.parametrize(("pattern", "flags", "text"), _TRICKY)
def test_factored_alternatives_match_as_the_pattern_does(pattern, flags, text):
    plain = re.compile(pattern, flags)
    fast = factored(plain)
    assert fast.pattern == plain.pattern and fast.groupindex == plain.groupindex
    assert [(m.span(), m.groups()) for m in fast.finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]


def test_factored_examples_find_what_a_reader_expects():
    fast = factored(re.compile(r"\b(?:say|says|said)\b", re.IGNORECASE))
    assert fast.findall("He SAYS she said they say") == ["SAYS", "said", "say"]
    assert factored(re.compile(r"(?P<verb>cede|ceded)\b")).search("ceded").group("verb") == "ceded"


@FUZZ
@given(
    st.lists(st.sampled_from(_WORDS), max_size=20), st.lists(st.sampled_from(_WORDS), max_size=30)
)
def test_a_prefix_tree_of_words_matches_the_words_longest_first(words, text_words):
    words = [w for w in words if w]
    if not words:
        return
    text = "".join(text_words)
    longest_first = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    tree = re.compile(literal_alternation(words))
    assert [m.span() for m in tree.finditer(text)] == [
        m.span() for m in re.finditer(f"(?:{longest_first})", text)
    ]


def test_a_prefix_tree_names_each_word_once():
    assert literal_alternation(["Russians", "Russia", "Kyiv", "Kiev"]) == (
        "(?:Russia(?:ns)?|K(?:yiv|iev))"
    )


def test_ignorecase_relates_an_ascii_letter_only_to_its_cases_and_the_listed_characters():
    # The start sets of case-insensitive patterns hold these characters and no others.
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        found = set(re.findall(letter, every, re.IGNORECASE))
        assert found == {letter, letter.upper(), *_OTHER_CASES.get(letter, ())}, letter


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"\b(?:in|it|is)\b", re.IGNORECASE, "\u0130N \u0131t IS in, kin"),
        (r"(?=[A-Z])(?<![\w.])(?:Kyiv|Kiev|Russia)\b", 0, "Kyiv, xRussia Russia. Kiev"),
        (r"\b(?:(?:Vladimir )?Putin)\b", 0, "Vladimir Putin and Putin, not Putins"),
        (r"(?:['\u2019]s?)? (?:own )?plan\b", re.IGNORECASE, "Putin's plan, the ' PLAN"),
    ],
)
def test_patterns_that_start_with_an_assertion_match_as_before(pattern, flags, text):
    plain = re.compile(pattern, flags)
    assert [(m.span(), m.groups()) for m in factored(plain).finditer(text)] == [
        (m.span(), m.groups()) for m in plain.finditer(text)
    ]
