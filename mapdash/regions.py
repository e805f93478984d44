"""The region registry: the six regions, their codes, spellings and the groups articles use."""

from __future__ import annotations

import re
import unicodedata

from .errors import UnknownRegionError
from .types import Region, RegionId

REGIONS: dict[str, Region] = {
    region.id: region
    for region in (
        Region(
            id="crimea",
            name="Crimea",
            country="UA",
            iso_codes=("UA-43", "UA-40"),
            hasc_codes=("UA.KR", "UA.SC"),
            aliases=(
                "Crimea",
                "Autonomous Republic of Crimea",
                "Crimean peninsula",
                "Krym",
                "Krim",
                "Crimée",
                "Respublika Krym",
                "Avtonomna Respublika Krym",
                "Krymskaya Respublika",
                "Republic of Crimea",
                "Sevastopol",
                "Sevastopol'",
                "Sevastopol City",
                "Misto Sevastopol'",
                "Крым",
                "Крим",
                "Автономна Республіка Крим",
                "Республика Крым",
                "Севастополь",
            ),
        ),
        Region(
            id="donetsk",
            name="Donetsk",
            country="UA",
            iso_codes=("UA-14",),
            hasc_codes=("UA.DT",),
            aliases=(
                "Donetsk",
                "Donets'k",
                "Donetsk Oblast",
                "Donets'ka Oblast'",
                "Donetskaya Oblast'",
                "Donezk",
                "Donetsk People's Republic",
                "DPR",
                "DNR",
                "Донецька область",
                "Донецкая область",
                "Донецьк",
                "Донецк",
            ),
        ),
        Region(
            id="luhansk",
            name="Luhansk",
            country="UA",
            iso_codes=("UA-09",),
            hasc_codes=("UA.LH",),
            aliases=(
                "Luhansk",
                "Luhans'k",
                "Luhansk Oblast",
                "Luhans'ka Oblast'",
                "Lugansk",
                "Luganskaya Oblast'",
                "Voroshilovgrad",
                "Luhansk People's Republic",
                "LPR",
                "LNR",
                "Луганська область",
                "Луганская область",
                "Луганськ",
                "Луганск",
            ),
        ),
        Region(
            id="kherson",
            name="Kherson",
            country="UA",
            iso_codes=("UA-65",),
            hasc_codes=("UA.KS",),
            aliases=(
                "Kherson",
                "Kherson Oblast",
                "Khersons'ka Oblast'",
                "Khersonskaya Oblast'",
                "Cherson",
                "Херсонська область",
                "Херсонская область",
                "Херсон",
            ),
        ),
        Region(
            id="zaporizhzhia",
            name="Zaporizhzhia",
            country="UA",
            iso_codes=("UA-23",),
            hasc_codes=("UA.ZP",),
            aliases=(
                "Zaporizhzhia",
                "Zaporizhzhya",
                "Zaporizhia",
                "Zaporizhzhia Oblast",
                "Zaporozhye",
                "Zaporozh'ye",
                "Zaporiz'ka Oblast'",
                "Zaporozhskaya Oblast'",
                "Saporischschja",
                "Saporoshje",
                "Zaporojie",
                "Zaporožje",
                "Запорізька область",
                "Запорожская область",
                "Запоріжжя",
                "Запорожье",
            ),
        ),
        Region(
            id="kursk",
            name="Kursk",
            country="RU",
            iso_codes=("RU-KRS",),
            hasc_codes=("RU.KS",),
            aliases=(
                "Kursk",
                "Kursk Oblast",
                "Kursk Region",
                "Kurskaya oblast",
                "Kurskaya oblast'",
                "Курская область",
                "Курск",
            ),
        ),
    )
}

REGION_IDS: tuple[RegionId, ...] = (
    "crimea",
    "donetsk",
    "luhansk",
    "kherson",
    "zaporizhzhia",
    "kursk",
)

#: Named groups of regions as articles speak of them.
GROUPS: dict[str, tuple[RegionId, ...]] = {
    "donbas": ("donetsk", "luhansk"),
    "four_regions": ("donetsk", "luhansk", "kherson", "zaporizhzhia"),
    "five_regions": ("donetsk", "luhansk", "kherson", "zaporizhzhia", "crimea"),
}
GROUP_ALIASES: dict[str, str] = {
    "donbas": "donbas",
    "donbass": "donbas",
    "donbas region": "donbas",
    "донбас": "donbas",
    "донбасс": "donbas",
    "the four regions": "four_regions",
    "four regions": "four_regions",
    "the five regions": "five_regions",
    "five regions": "five_regions",
}

# Words that name the kind of unit rather than the unit; dropped before comparing names.
_UNIT_WORDS = re.compile(
    r"\b(oblast|oblast'|oblasti|region|province|republic|autonomous republic of|autonomous|"
    r"respublika|avtonomna|misto|city( of)?|municipality|kraj|krai|область|республика|"
    r"республіка|автономна|місто|город)\b"
)
_APOSTROPHES = str.maketrans({"'": "", "’": "", "ʼ": "", "ʹ": "", "`": "", "´": "", "‘": ""})


def normalize_name(name: str) -> str:
    """Fold a place name for comparison: case, accents, apostrophes, unit words, spacing.

    >>> normalize_name("Donets'ka Oblast'")
    'donetska'
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _UNIT_WORDS.sub(" ", text)
    text = text.translate(_APOSTROPHES)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _build_name_index() -> dict[str, RegionId]:
    index: dict[str, RegionId] = {}
    for region in REGIONS.values():
        for alias in (region.id, region.name, *region.aliases):
            key = normalize_name(alias)
            if key:
                index[key] = region.id
    return index


_NAME_INDEX = _build_name_index()
_CODE_INDEX: dict[str, RegionId] = {
    code.upper(): region.id
    for region in REGIONS.values()
    for code in (*region.iso_codes, *region.hasc_codes)
}


def match_name(name: str) -> RegionId | None:
    """Return the region id a place name stands for, or None.

    Suffix forms such as "Donets'ka" (Ukrainian adjectival) match their region too.
    """
    key = normalize_name(name)
    if not key:
        return None
    if key in _NAME_INDEX:
        return _NAME_INDEX[key]
    return None


def match_code(code: str) -> RegionId | None:
    """Return the region id for an ISO 3166-2 or HASC code (``UA-14``, ``UA.DT``), or None."""
    return _CODE_INDEX.get(code.strip().upper())


def get_region(region_id: str) -> Region:
    """Return the registered region with this id.

    Raises
    ------
    UnknownRegionError
        If the id is not one of the six.
    """
    try:
        return REGIONS[region_id]
    except KeyError:
        known = ", ".join(REGION_IDS)
        raise UnknownRegionError(
            f"unknown region id {region_id!r}; expected one of: {known}"
        ) from None


def expand_group(name: str) -> tuple[RegionId, ...] | None:
    """Return the regions of a group named as in articles ("Donbas", "the five regions")."""
    key = " ".join(name.casefold().replace("’", "'").split())
    group = GROUP_ALIASES.get(key) or (key if key in GROUPS else None)
    return GROUPS[group] if group else None
