"""The registry of sides and speakers (``mapdash/data/speakers.yaml``), read once on first use."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import MapdashError


@dataclass(frozen=True)
class Side:
    """An actor of the negotiation and the words that name it."""

    id: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    bloc: str | None = None


@dataclass(frozen=True)
class Speaker:
    """An official and the side they speak for."""

    name: str
    side: str
    match: str


@dataclass(frozen=True)
class Registry:
    """Every side and speaker the extraction knows."""

    sides: tuple[Side, ...]
    speakers: tuple[Speaker, ...]

    @property
    def actors(self) -> tuple[str, ...]:
        """The actor ids, in the file's order."""
        return tuple(side.id for side in self.sides)


def parse_registry(data: Any, *, source: str = "speakers.yaml") -> Registry:
    """Build a registry from the parsed YAML, checking what a maintainer could get wrong.

    Raises
    ------
    MapdashError
        When a side or speaker lacks a field, names an unknown side or has a bad pattern.
    """
    if not isinstance(data, dict) or not isinstance(data.get("sides"), dict):
        raise MapdashError(f"{source}: expected a mapping with 'sides' and 'speakers'")
    sides = []
    for key, entry in data["sides"].items():
        entry = entry or {}
        sides.append(
            Side(
                id=str(key),
                names=tuple(str(n) for n in entry.get("names") or ()),
                adjectives=tuple(str(a) for a in entry.get("adjectives") or ()),
                bloc=entry.get("bloc"),
            )
        )
    known = {side.id for side in sides}
    speakers = []
    for number, entry in enumerate(data.get("speakers") or (), start=1):
        where = f"{source}: speaker {number}"
        if not isinstance(entry, dict) or not {"name", "side", "match"} <= set(entry):
            raise MapdashError(f"{where}: expected the fields name, side and match")
        if entry["side"] not in known:
            raise MapdashError(
                f"{where} ({entry['name']}): unknown side {entry['side']!r}; "
                f"expected one of {', '.join(sorted(known))} (add it under 'sides')"
            )
        try:
            re.compile(entry["match"])
        except re.error as error:
            raise MapdashError(f"{where} ({entry['name']}): bad match pattern: {error}") from None
        speakers.append(Speaker(str(entry["name"]), str(entry["side"]), str(entry["match"])))
    return Registry(tuple(sides), tuple(speakers))


@functools.cache
def load_registry() -> Registry:
    """Read the packaged registry of sides and speakers."""
    text = resources.files("mapdash").joinpath("data", "speakers.yaml").read_text("utf-8")
    return parse_registry(yaml.safe_load(text))
