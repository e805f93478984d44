"""The corpus: seeds + manifest, header lines, datelines, warnings, and malformed files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mapdash.cli import main
from mapdash.corpus import (
    article_warnings,
    corpus_warnings,
    load_article,
    load_corpus,
    parse_header,
    read_manifest,
)
from mapdash.errors import CorpusError

SEED_DATES = {
    "000_0585ae3e958fa332": dt.date(2025, 8, 17),
    "001_b05852728fcba114": dt.date(2025, 8, 19),
    "002_c345c335f8d1f17f": dt.date(2025, 8, 9),
    "003_5861c99586ffce41": dt.date(2025, 12, 3),
    "004_697425ad9d472758": dt.date(2025, 2, 18),
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_seeds_load_in_id_order_with_manifest_dates(corpus):
    assert list(corpus) == sorted(SEED_DATES)
    assert {a.id: a.published for a in corpus.values()} == SEED_DATES
    reuters = corpus["004_697425ad9d472758"]
    assert reuters.title == "US and Russia forge ahead on peace talks, without Ukraine"
    assert reuters.outlet.startswith("Reuters")
    assert any("2023" in defect for defect in reuters.defects)


def test_sentences_carry_offsets_into_the_text(corpus):
    article = corpus["002_c345c335f8d1f17f"]
    assert len(article.sentences) > 40
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    texts = [s.text for s in article.sentences]
    assert "Meanwhile, Russia occupies roughly a fifth of Ukraine\u2019s sovereign land." in texts
    # "Mr Putin" and "U.S." do not end a sentence.
    assert not any(t.endswith(("Mr.", " U.S.")) for t in texts)


def test_the_wrong_year_in_004_is_reported_not_hidden(corpus):
    warnings = corpus_warnings(corpus)
    assert len(warnings) == 1
    assert "004_697425ad9d472758 line 4" in warnings[0]
    assert "Published February 19, 2023" in warnings[0]
    assert "2025-02-18" in warnings[0]
    # The other datelines of 004 ("Published February 18, 2025") agree with the manifest.
    assert article_warnings(corpus["001_b05852728fcba114"]) == []


def test_header_lines_supply_the_metadata(tmp_path):
    path = tmp_path / "kyiv_report.txt"
    path.write_text(
        "title: Kyiv rejects land swap\nDATE: 2025-08-20\nURL: https://example.org/a\n"
        "Outlet: Example Wire\n\nKYIV — Ukraine rejected any land swap on Tuesday.\n",
        encoding="utf-8",
    )
    article = load_article(path)
    assert article.id == "kyiv_report"
    assert article.title == "Kyiv rejects land swap"
    assert article.published == dt.date(2025, 8, 20)
    assert article.url == "https://example.org/a"
    assert article.outlet == "Example Wire"
    assert article.text.startswith("KYIV")  # the header is not part of the text


def test_header_date_may_be_written_out(tmp_path):
    header = parse_header("Date: August 9, 2025\n\nText.")
    assert header.date == dt.date(2025, 8, 9)
    assert parse_header("Title: only a title line\nand text right after").title is None


def test_a_dateline_or_a_given_date_dates_an_article_without_metadata(tmp_path):
    dated = tmp_path / "dated.txt"
    dated.write_text("19 August, 2025\nsome-slug\n\nRussia said nothing new.\n", encoding="utf-8")
    assert load_article(dated).published == dt.date(2025, 8, 19)
    undated = tmp_path / "undated.txt"
    undated.write_text("Russia said nothing new.\n", encoding="utf-8")
    assert load_article(undated, published=dt.date(2025, 9, 1)).published == dt.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 21, 2025 10:15 AM GMT", dt.date(2025, 11, 21)),
        ("Updated: 21 November 2025 at 14:05 GMT+1", dt.date(2025, 11, 21)),
        ("Wed 3 Dec 2025 18.02 CET", dt.date(2025, 12, 3)),
    ],
)
def test_a_dateline_with_a_time_of_day_dates_the_article(tmp_path, line, expected):
    path = tmp_path / "timed.txt"
    path.write_text(f"{line}\n\nRussia said nothing new.\n", encoding="utf-8")
    assert load_article(path).published == expected


def test_the_manifest_wins_over_a_header(tmp_path):
    (tmp_path / "articles.toml").write_text(
        '[[article]]\nid = "a"\ntitle = "Manifest title"\noutlet = "Wire"\n'
        "published = 2025-08-09\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("Date: 2024-01-01\n\nText of a.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus["a"].published == dt.date(2025, 8, 9)
    assert corpus["a"].title == "Manifest title"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"empty\.txt: the article file is empty; expected the text of a news report"),
        (b"  \n\n\t", r"the article file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"looks like a binary file \(NUL bytes\)"),
        (
            "Date: 2025-08-09\n\nKiev \u2013 caf\u00e9".encode("cp1252"),
            r"not UTF-8 text \(byte 0x96 at offset 23\); re-save the article as UTF-8",
        ),
        (
            b"Russia proposed that Kyiv cede Donbas.\n",
            r"no publication date anywhere .*add a 'Date: YYYY-MM-DD' header line.*--published",
        ),
        (b"Date: sometime soon\n\nText.\n", r"header 'Date: sometime soon' is not a date"),
        (b"Title: T\nDate: 2025-08-09\n\n\n", r"has header lines but no text after them"),
    ],
    ids=["empty", "blank", "binary", "cp1252", "no-date", "bad-header-date", "header-only"],
)
def test_malformed_articles_raise_a_clear_error(tmp_path, content, message):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        load_article(path)


def test_a_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffDate: 2025-08-09\n\nText.\n".encode())
    assert load_article(path).published == dt.date(2025, 8, 9)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('[[article]]\nid = "a"\ntitle = "T"\noutlet = "O"\n', r"#1: field 'published' is missing"),
        (
            '[[article]]\nid = "a"\ntitle = "T"\noutlet = "O"\npublished = "soon"\n',
            r"field 'published' is 'soon'; expected a date such as published = 2025-08-09",
        ),
        ("[[article]\n", r"articles\.toml: not valid TOML"),
        (
            '[[article]]\nid = "a"\ntitle = "T"\noutlet = "O"\npublished = 2025-01-01\n'
            '[[article]]\nid = "a"\ntitle = "T"\noutlet = "O"\npublished = 2025-01-01\n',
            r"#2: id 'a' is listed twice",
        ),
    ],
)
def test_a_bad_manifest_names_the_entry_and_field(tmp_path, manifest, message):
    (tmp_path / "articles.toml").write_text(manifest, encoding="utf-8")
    with pytest.raises(CorpusError, match=message):
        read_manifest(tmp_path / "articles.toml")


def test_a_manifest_entry_without_its_file_is_an_error(tmp_path):
    (tmp_path / "articles.toml").write_text(
        '[[article]]\nid = "gone"\ntitle = "T"\noutlet = "O"\npublished = 2025-01-01\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"lists gone but there is no such \.txt file"):
        load_corpus(tmp_path)


def test_missing_seeds_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"seeds folder not found"):
        load_corpus(tmp_path / "nowhere")


def test_cli_extract_reports_a_malformed_file_and_exits_1(runner, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(main, ["extract", str(empty)])
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output
    assert "the article file is empty" in result.output
    binary = Path(tmp_path / "blob.txt")
    binary.write_bytes(b"\x00\x01\x02" * 10)
    result = runner.invoke(main, ["extract", str(binary)])
    assert result.exit_code == 1
    assert "looks like a binary file" in result.output
