"""Which of the six regions a feature names: the property schemas of the sources in use.

Natural Earth (name, iso_3166_2), geoBoundaries (shapeName, shapeISO), GADM (NAME_1, HASC_1) and
OpenStreetMap (name:en, ISO3166-2) name places differently; they are tried in the order they are
trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..regions import match_code, match_name
from ..types import RegionId

#: OpenStreetMap, geoBoundaries, GADM). Values may hold several names separated by "|".
NAME_PROPERTIES: tuple[str, ...] = (
    "name",
    "name:en",
    "name_en",
    "shapeName",
    "NAME_1",
    "NAME",
    "name_alt",
    "VARNAME_1",
    "NL_NAME_1",
    "name_local",
)
#: Property names that carry an ISO 3166-2 or HASC code. Natural Earth's ``hasc_maybe`` is left
#: out on purpose: it names neighbouring oblasts (Zaporizhzhya's is "UA.DP").
CODE_PROPERTIES: tuple[str, ...] = (
    "iso_3166_2",
    "ISO3166-2",
    "shapeISO",
    "ISO_1",
    "HASC_1",
    "code_hasc",
)
_LABEL_PROPERTIES = ("name", "name:en", "shapeName", "NAME_1", "NAME", "id")


@dataclass(frozen=True)
class Match:
    """Which region a feature's properties name, and the property that said so."""

    region: RegionId
    prop: str
    value: str


def _values(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split("|") if part.strip()]


def match_properties(properties: Mapping[str, Any]) -> tuple[Match | None, list[str]]:
    """Find which of the six regions a feature's properties name.

    Names are tried before codes, because some sources carry wrong codes (Natural Earth gives
    Kyiv City Khmelnytskyi's HASC code). A code naming another region than the name does is
    reported.

    Parameters
    ----------
    properties
        The feature's properties (any of NAME_PROPERTIES and CODE_PROPERTIES).

    Returns
    -------
    tuple
        The match (or None) and a list of conflicts found, as readable sentences.
    """
    by_name: Match | None = None
    for prop in NAME_PROPERTIES:
        for value in _values(properties.get(prop)):
            region = match_name(value)
            if region is not None:
                by_name = Match(region, prop, value)
                break
        if by_name:
            break
    by_code: Match | None = None
    for prop in CODE_PROPERTIES:
        for value in _values(properties.get(prop)):
            region = match_code(value)
            if region is not None:
                by_code = Match(region, prop, value)
                break
        if by_code:
            break
    conflicts: list[str] = []
    if by_name and by_code and by_name.region != by_code.region:
        conflicts.append(
            f"{by_name.prop}={by_name.value!r} names {by_name.region} but "
            f"{by_code.prop}={by_code.value!r} is the code of {by_code.region}; used the name"
        )
    return by_name or by_code, conflicts


def feature_label(properties: Mapping[str, Any]) -> str:
    """Return a short label for messages, e.g. ``name='Donets'k'``."""
    for prop in _LABEL_PROPERTIES:
        value = properties.get(prop)
        if isinstance(value, str | int) and str(value).strip():
            return f"{prop}={value!r}"
    return "no name"
