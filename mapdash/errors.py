"""Errors raised by mapdash; the CLI and the web app turn them into readable messages."""

from __future__ import annotations

from collections.abc import Iterable


class MapdashError(Exception):
    """Base class of every error mapdash raises on purpose; ``problems`` lists what is wrong."""

    def __init__(self, message: str = "", problems: Iterable[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


class GeodataError(MapdashError):
    """A GeoJSON file cannot be read or used; the message lists what is wrong."""


class CorpusError(MapdashError):
    """An article file or the seeds manifest cannot be read."""


class ClaimsError(MapdashError):
    """The claims file is malformed or fails its checks."""


class ReviewError(MapdashError):
    """An article or a review of its claims cannot be added or saved; ``problems`` says why."""


class UnknownRegionError(MapdashError):
    """A name or code does not match any of the six regions."""


class SelectionError(MapdashError, ValueError):
    """A selection is malformed or names no known actor or proposal (also the compared one)."""


class DateError(MapdashError, ValueError):
    """A date cannot be read (not YYYY-MM-DD) or lies outside the range it must fall in."""


class ExportError(MapdashError):
    """A figure cannot be exported (bad path, bad option, no Chromium)."""


class UsersError(MapdashError):
    """The users file or a user command is unusable (bad name, role, password or file)."""


class AccessDenied(MapdashError):
    """A request lacks the role it needs; ``status`` is 401 (not logged in) or 403."""

    def __init__(self, message: str, *, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


class ApiError(MapdashError):
    """An HTTP API request that cannot be answered; ``parameter`` names the culprit, ``status``."""

    def __init__(self, message: str, *, parameter: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.status = status


class ImplausibleError(GeodataError):
    """A usable GeoJSON file fails a plausibility check; an editor may install it with force."""


class PullError(MapdashError):
    """A public source cannot be reached or read, or a pull installed nothing for some dates."""
