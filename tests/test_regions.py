import pytest

from mapdash.errors import UnknownRegionError
from mapdash.regions import (
    GROUPS,
    REGION_IDS,
    REGIONS,
    expand_group,
    get_region,
    match_code,
    match_name,
    normalize_name,
)


def test_six_regions_with_their_iso_codes():
    assert REGION_IDS == ("crimea", "donetsk", "luhansk", "kherson", "zaporizhzhia", "kursk")
    assert {rid: REGIONS[rid].iso_codes for rid in REGION_IDS} == {
        "crimea": ("UA-43", "UA-40"),
        "donetsk": ("UA-14",),
        "luhansk": ("UA-09",),
        "kherson": ("UA-65",),
        "zaporizhzhia": ("UA-23",),
        "kursk": ("RU-KRS",),
    }
    assert REGIONS["kursk"].country == "RU"
    assert {REGIONS[rid].country for rid in REGION_IDS if rid != "kursk"} == {"UA"}


@pytest.mark.parametrize(
    ("spelling", "region"),
    [
        ("Donets'k", "donetsk"),
        ("Donetsk Oblast", "donetsk"),
        ("Donezk", "donetsk"),
        ("Донецкая область", "donetsk"),
        ("Донецька область", "donetsk"),
        ("Luhans'k", "luhansk"),
        ("Lugansk", "luhansk"),
        ("LUHANSK OBLAST", "luhansk"),
        ("Луганская область", "luhansk"),
        ("Zaporizhzhya", "zaporizhzhia"),
        ("Zaporizhia", "zaporizhzhia"),
        ("Zaporozhye", "zaporizhzhia"),
        ("Zaporozh’ye", "zaporizhzhia"),
        ("Запорізька область", "zaporizhzhia"),
        ("Kherson Oblast", "kherson"),
        ("Херсонская область", "kherson"),
        ("Autonomous Republic of Crimea", "crimea"),
        ("Krym", "crimea"),
        ("Sevastopol'", "crimea"),
        ("Sevastopol", "crimea"),
        ("Республика Крым", "crimea"),
        ("Kurskaya oblast", "kursk"),
        ("Kursk Oblast", "kursk"),
        ("Курская область", "kursk"),
    ],
)
def test_spellings_real_files_and_articles_use(spelling, region):
    assert match_name(spelling) == region


@pytest.mark.parametrize("name", ["Kharkiv", "Dnipropetrovs'k", "Belgorod", "", "Oblast"])
def test_other_places_match_nothing(name):
    assert match_name(name) is None


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("UA-14", "donetsk"),
        ("ua-09", "luhansk"),
        ("UA-40", "crimea"),
        ("UA.ZP", "zaporizhzhia"),
        (" RU-KRS ", "kursk"),
        ("UA.KS", "kherson"),
    ],
)
def test_codes(code, region):
    assert match_code(code) == region


def test_broken_source_code_matches_nothing():
    assert match_code("UA-") is None


def test_groups():
    assert GROUPS["donbas"] == ("donetsk", "luhansk")
    assert expand_group("Donbas") == ("donetsk", "luhansk")
    assert expand_group("Donbass") == ("donetsk", "luhansk")
    assert expand_group("the four regions") == ("donetsk", "luhansk", "kherson", "zaporizhzhia")
    assert set(expand_group("The five regions")) == {*GROUPS["four_regions"], "crimea"}
    assert expand_group("Galicia") is None


def test_unknown_region_id_lists_the_valid_ones():
    assert get_region("donetsk").name == "Donetsk"
    with pytest.raises(
        UnknownRegionError, match=r"unknown region id 'donbas'; expected one of: crimea, donetsk"
    ):
        get_region("donbas")


def test_normalize_name_folds_case_accents_apostrophes_and_unit_words():
    assert normalize_name("  Zaporožje ") == "zaporozje"
    assert normalize_name("Luhans’ka Oblast’") == "luhanska"
