"""Random and mutated article text: the corpus loads it or raises CorpusError; extraction
returns candidates for any text, never crashes or hangs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fuzzing import FUZZ, hard_time_limit, loads_or_refuses, mutate
from hypothesis import given
from hypothesis import strategies as st

from mapdash.corpus import load_article, read_manifest
from mapdash.errors import CorpusError, MapdashError
from mapdash.extract import extract_article
from mapdash.types import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MANIFEST = (ROOT / "seeds" / "articles.toml").read_bytes()

words = st.sampled_from(
    [
        "Russia",
        "Ukraine",
        "Donbas",
        "Donetsk",
        "Crimea",
        "Kherson",
        "Zaporizhzhia",
        "Kursk",
        "Putin",
        "Zelensky",
        "Trump",
        "Witkoff",
        "cede",
        "freeze",
        "recognise",
        "the line",
        "of contact",
        "\u201c",
        "\u201d",
        '"',
        "August 6",
        "Friday",
        "2025",
        "last week",
        "square kilometers",
        "about four square miles",
        "percent",
        "half of",
        "no",
        "not",
        ".",
        ",",
        "?",
        "\n\n",
        "Published February 19, 2023",
        "Title:",
        "Date:",
        "U.S.",
    ]
)
texts = st.one_of(
    st.lists(words, max_size=80).map(" ".join),
    st.text(max_size=400),
)


def _article_file(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "article.txt"
    path.write_bytes(content)
    return path


def _read(path: Path) -> object:
    result = loads_or_refuses(lambda: load_article(path, published=dt.date(2025, 8, 9)))
    if isinstance(result, MapdashError):
        assert isinstance(result, CorpusError), f"{type(result).__name__}: {result}"
        assert str(path) in str(result)
    else:
        assert isinstance(result, Article)
        with hard_time_limit():
            extraction = extract_article(result)
        for candidate in extraction.claims:
            for evidence in candidate.claim.evidence:
                # Every quote is a span of the article it came from.
                assert evidence.quote and evidence.quote in result.text
    return result


@FUZZ
@given(text=texts)
def test_random_articles(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    _read(_article_file(tmp_path_factory, text.encode("utf-8")))


@FUZZ
@given(seed=st.sampled_from(SEEDS), data=st.data())
def test_mutated_seed_articles(tmp_path_factory: pytest.TempPathFactory, seed: Path, data) -> None:
    _read(_article_file(tmp_path_factory, mutate(seed.read_bytes(), data.draw)))


@FUZZ
@given(content=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    _read(_article_file(tmp_path_factory, content))


@FUZZ
@given(text=texts)
def test_extraction_takes_any_text(text: str) -> None:
    article = Article(id="fuzz", title="t", outlet="o", published=dt.date(2025, 8, 9), text=text)
    with hard_time_limit():
        extraction = extract_article(article)
    assert extraction.article == "fuzz"


@FUZZ
@given(data=st.data())
def test_mutated_manifest(tmp_path_factory: pytest.TempPathFactory, data) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "articles.toml"
    path.write_bytes(mutate(MANIFEST, data.draw))
    result = loads_or_refuses(lambda: read_manifest(path))
    if isinstance(result, MapdashError):
        assert isinstance(result, CorpusError), f"{type(result).__name__}: {result}"


def test_refusals_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(CorpusError, match=r"empty\.txt: the article file is empty"):
        load_article(path)
    path.write_bytes(b"\x00\x01binary")
    with pytest.raises(CorpusError, match=r"looks like a binary file \(NUL bytes\)"):
        load_article(path)
