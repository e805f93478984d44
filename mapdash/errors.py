"""Errors raised by mapdash; the CLI and the web app turn them into readable messages."""

from __future__ import annotations


class MapdashError(Exception):
    """Base class of every error mapdash raises on purpose."""


class GeodataError(MapdashError):
    """A GeoJSON file cannot be read or used; the message lists what is wrong."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


class CorpusError(MapdashError):
    """An article file or the seeds manifest cannot be read."""


class ClaimsError(MapdashError):
    """The claims file is malformed or fails its checks."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


class UnknownRegionError(MapdashError):
    """A name or code does not match any of the six regions."""


class ExportError(MapdashError):
    """A figure cannot be exported (bad path, bad option, no Chromium)."""


class ImplausibleError(GeodataError):
    """A usable GeoJSON file fails a plausibility check; an editor may install it with force."""
