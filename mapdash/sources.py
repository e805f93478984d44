"""Control layers from the public sources: DeepStateMap's history, and a daily archive of it.

This is the one part of mapdash that goes online, and only when ``mapdash control pull`` runs.
Two sources publish dated snapshots of the territory Russian forces hold:

- ``deepstate``, DeepStateMap.live's own history API: ``GET {base}/history/public`` lists every
  published version of the map (``id``, the Unix time of the version; ``datetime``; the change
  log in Ukrainian and English), and ``GET {base}/history/{id}/geojson`` answers one version's
  whole map. That map has many kinds of feature (see :func:`occupied_collection`); a reader of
  the territory held keeps only the occupied-territory polygons.
- ``archive``, a community archive of that map with one file a day,
  ``{base}/deepstatemap_data_YYYYMMDD.geojson``: one MultiPolygon of all occupied territory,
  empty properties, the legacy ``crs`` member, the date only in the file name.

Each snapshot goes through the install pipeline every upload goes through
(:func:`mapdash.geodata.install_bytes`: bounded parse, validation, plausibility, one atomic
version switch, an audit entry), with the source, its licence note, the URL and the time of
retrieval recorded in the version. Requests have a timeout and retries with exponential
backoff (urllib3's ``Retry``); every answer is read in chunks and dropped past a size limit.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError
from urllib3.util.retry import Retry

from .errors import GeodataError, PullError
from .geodata import DEFAULT_MAX_BYTES, Installed, install_bytes
from .geodata.read import parse_json

SourceId = Literal["deepstate", "archive"]
SOURCE_IDS: tuple[SourceId, ...] = ("deepstate", "archive")
#: How far apart the dates of a range are.
Every = Literal["day", "week", "month"]
EVERY: tuple[Every, ...] = ("day", "week", "month")
#: What became of one wanted date.
OutcomeKind = Literal["installed", "unchanged", "dry run", "same snapshot", "refused", "not found"]

#: DeepState's status keys (the last part of a feature's name) of territory Russia holds:
#: occupied since 2022, the areas of Donetsk and Luhansk held since 2014, Crimea, Tuzla island.
OCCUPIED_KEYS = frozenset(
    {
        "geoJSON.status.occupied",
        "geoJSON.territories.ordlo",
        "geoJSON.territories.crimea",
        "geoJSON.territories.tuzla",
    }
)
#: Older names without a key, by their English part.
_OCCUPIED_LABELS = {
    "occupied": "geoJSON.status.occupied",
    "cadr and calr": "geoJSON.territories.ordlo",
    "occupied crimea": "geoJSON.territories.crimea",
}
_NOT_AREAS = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString"})
#: Most dates one pull may ask for (a year of days); a longer range is refused up front.
MAX_DATES = 400
#: Longest a server's Retry-After may make a pull wait, in seconds.
MAX_RETRY_WAIT = 60.0
_CHUNK = 64 * 1024


def _kyiv() -> dt.tzinfo:
    # DeepState works in Kyiv: a version published at 22:30 UTC in summer is the next day's map.
    for name in ("Europe/Kyiv", "Europe/Kiev"):
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:
            continue
    return dt.UTC


KYIV = _kyiv()


@dataclass(frozen=True)
class Source:
    """A public source of dated control layers, and what is recorded with its layers."""

    id: SourceId
    #: Recorded as the layer's source (legends, page footer, exports).
    name: str
    #: Recorded as the layer's licence: the terms that apply, and where to read them.
    licence: str
    default_url: str
    #: The environment variable that names a mirror (the --base-url default).
    env: str


SOURCES: dict[SourceId, Source] = {
    "deepstate": Source(
        id="deepstate",
        name="DeepStateMap.live",
        licence="DeepStateMap.live licence agreement, deepstatemap.live/license-en.html; "
        "credit DeepStateMap.live",
        default_url="https://deepstatemap.live/api",
        env="MAPDASH_DEEPSTATE_URL",
    ),
    "archive": Source(
        id="archive",
        name="DeepStateMap.live, daily archive github.com/cyterat/deepstate-map-data",
        licence="DeepStateMap.live licence agreement, deepstatemap.live/license-en.html; "
        "archive repository GPL-3.0",
        default_url="https://raw.githubusercontent.com/cyterat/deepstate-map-data/main/data",
        env="MAPDASH_ARCHIVE_URL",
    ),
}


def _user_agent() -> str:
    try:
        version = metadata.version("mapdash")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"mapdash/{version} (control layer pull)"


@dataclass(frozen=True)
class PullSettings:
    """How a pull talks to a source: patience, persistence and the size it accepts."""

    #: Seconds to wait for a connection, and then for each part of the answer.
    timeout: float = 30.0
    #: Retries after a failed request (refused or dropped connection, timeout, HTTP 429/5xx).
    retries: int = 3
    #: Exponential backoff: waits of 0, 2x, 4x, ... this many seconds between retries.
    backoff: float = 1.0
    #: Largest answer read, in bytes; a longer one is dropped part way.
    max_bytes: int = DEFAULT_MAX_BYTES
    #: Farthest a snapshot may be from the date asked for, in days.
    max_gap_days: int = 7
    user_agent: str = field(default_factory=_user_agent)


def resolve_base_url(source: SourceId, given: str | None = None) -> str:
    """Return where to fetch from: ``given``, else the source's environment variable or default.

    Raises
    ------
    PullError
        When the URL is not an http(s) URL.
    """
    spec = SOURCES[source]
    chosen = given or os.environ.get(spec.env) or spec.default_url
    parts = urlsplit(chosen)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PullError(
            f"base URL {chosen!r} for {source} is not an http(s) URL; expected e.g. "
            f"{spec.default_url} (from --base-url or {spec.env})"
        )
    return chosen.rstrip("/")


def _month_later(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def wanted_dates(
    *,
    date: dt.date | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    every: Every = "week",
    today: dt.date | None = None,
) -> list[dt.date]:
    """Return the dates a pull asks for: one ``date``, or ``since`` to ``until`` at a step.

    Parameters
    ----------
    date
        One date.
    since, until
        A range (``until`` default today); the first date is ``since``.
    every
        "day", "week" or "month" (the same day of each month, or the month's last).
    today
        The latest date a source can have a snapshot of; default today (UTC).

    Raises
    ------
    PullError
        When neither or both of ``date`` and ``since`` are given, a date is in the future, the
        range is empty, or it holds more than MAX_DATES dates.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    if (date is None) == (since is None):
        raise PullError("give one date, or the start of a range (--date or --since)")
    if date is not None:
        if date > today:
            raise PullError(f"{date.isoformat()} is in the future (today is {today.isoformat()})")
        return [date]
    assert since is not None
    end = until or today
    if end > today:
        raise PullError(f"--until {end.isoformat()} is in the future (today is {today})")
    if since > end:
        raise PullError(f"the range is empty: {since.isoformat()} is after {end.isoformat()}")
    if every not in EVERY:
        raise PullError(f"unknown step {every!r}; expected one of {', '.join(EVERY)}")
    dates: list[dt.date] = []
    step = 0
    while True:
        if every == "month":
            day = _month_later(since, step)
        else:
            day = since + dt.timedelta(days=step * (7 if every == "week" else 1))
        if day > end:
            break
        dates.append(day)
        step += 1
        if len(dates) > MAX_DATES:
            raise PullError(
                f"{since.isoformat()} to {end.isoformat()} every {every} is more than "
                f"{MAX_DATES} dates; pull a shorter range, or every week or month"
            )
    return dates


# -- fetching ---------------------------------------------------------------------------------


class _Retry(Retry):
    """urllib3's Retry, waiting at most MAX_RETRY_WAIT for a server's Retry-After."""

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, MAX_RETRY_WAIT)


def open_session(settings: PullSettings) -> requests.Session:
    """Return an HTTP session that retries failed GETs with exponential backoff."""
    retry = _Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        other=0,
        backoff_factor=settings.backoff,
        backoff_max=30.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update(
        {"User-Agent": settings.user_agent, "Accept": "application/json, application/geo+json"}
    )
    # Proxies come from the environment as for any HTTP client, but a password in ~/.netrc
    # must never go to a public source: an explicit no-op auth keeps requests from adding it.
    session.auth = _no_credentials
    return session


def _no_credentials(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


def _causes(err: BaseException) -> Iterator[BaseException]:
    """Yield the exception and everything it wraps (urllib3 nests the reason several deep)."""
    seen: set[int] = set()
    stack = [err]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        nested = (item.__cause__, item.__context__, getattr(item, "reason", None), *item.args)
        stack.extend(x for x in nested if isinstance(x, BaseException))


def _reason(err: requests.RequestException, host: str, settings: PullSettings) -> str:
    causes = list(_causes(err))
    if any(isinstance(c, NameResolutionError | socket.gaierror) for c in causes):
        return f"the name {host} cannot be resolved: offline, or no DNS"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused"
    if isinstance(err, requests.Timeout) or any(isinstance(c, TimeoutError) for c in causes):
        return f"no answer within {settings.timeout:g} s"
    if isinstance(err, requests.exceptions.SSLError):
        return "the TLS handshake failed (a proxy or a wrong clock?)"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "the connection was reset"
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:200]


def fetch(
    session: requests.Session,
    url: str,
    *,
    source: Source,
    settings: PullSettings,
    missing_ok: bool = False,
) -> bytes | None:
    """GET ``url`` with retries and return the body, read in chunks up to the size limit.

    Parameters
    ----------
    session
        From :func:`open_session`.
    url
        What to fetch.
    source
        The source, for the hints in messages.
    settings
        Timeout, retries and size limit.
    missing_ok
        Return None for HTTP 404 (a day the archive has no file for).

    Raises
    ------
    PullError
        When the server cannot be reached, answers an HTTP error after the retries, or the
        transfer breaks off: the pull cannot go on.
    GeodataError
        When the answer is larger than ``settings.max_bytes`` (this snapshot is refused).
    """
    host = urlsplit(url).netloc
    attempts = settings.retries + 1
    try:
        with session.get(url, timeout=settings.timeout, stream=True) as response:
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code != 200:
                raise PullError(
                    f"{url} answered HTTP {response.status_code} {response.reason or ''}".rstrip()
                    + f" (after up to {attempts} attempt(s)); nothing was installed from it - "
                    f"check the address, or pull from a mirror with --base-url (or {source.env})"
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise _too_large(url, int(declared), settings.max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=_CHUNK):
                size += len(chunk)
                if size > settings.max_bytes:
                    raise _too_large(url, None, settings.max_bytes)
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as err:
        raise PullError(
            f"cannot reach {host} ({_reason(err, urlsplit(url).hostname or host, settings)}; "
            f"{attempts} attempt(s)); nothing was installed from {url} - check the network "
            f"connection, or pull from a mirror with --base-url (or {source.env})"
        ) from None


def _too_large(url: str, size: int | None, limit: int) -> GeodataError:
    said = f"is {size:,} bytes" if size is not None else f"went past {limit:,} bytes"
    return GeodataError(
        f"{url}: the answer {said}, more than the limit of {limit:,} bytes "
        f"({limit / 2**20:.1f} MiB); stopped reading, nothing installed from it - raise the limit "
        "with --max-bytes if the source really is that large"
    )


# -- DeepStateMap's history --------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One published version of DeepStateMap's map (an entry of ``/history/public``)."""

    id: int
    #: When it was published (UTC).
    published: dt.datetime

    @property
    def date(self) -> dt.date:
        """The day of the map: the publication date in Kyiv."""
        return self.published.astimezone(KYIV).date()


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def read_history(raw: bytes, *, url: str) -> list[Version]:
    """Read DeepStateMap's list of map versions, oldest first.

    Each entry is an object with an integer ``id`` (the version's Unix time) and its
    ``datetime`` (ISO 8601); ``createdAt``, then the id itself, stand in for a missing or
    unreadable ``datetime``. Other members (the change log) are not needed.

    Raises
    ------
    GeodataError
        When the answer is not a JSON list or names no version.
    """
    data = parse_json(url, raw)
    if not isinstance(data, list):
        raise GeodataError(
            f"{url}: expected a JSON list of map versions "
            '([{"id": 1755288600, "datetime": "2025-08-15T20:10:00.000Z", ...}, ...]), got '
            f"a JSON {type(data).__name__}; is this DeepStateMap's /history/public?"
        )
    versions = []
    for entry in data:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, int) or isinstance(ident, bool) or ident <= 0:
            continue
        published = _instant(entry.get("datetime")) or _instant(entry.get("createdAt"))
        if published is None:
            try:
                published = dt.datetime.fromtimestamp(ident, dt.UTC)
            except (OverflowError, OSError, ValueError):
                continue
        versions.append(Version(ident, published))
    if not versions:
        raise GeodataError(
            f"{url}: none of its {len(data)} entries names a map version (an integer 'id' and "
            "a 'datetime'); is this DeepStateMap's /history/public?"
        )
    return sorted(versions, key=lambda v: (v.published, v.id))


def nearest_version(
    versions: Sequence[Version], wanted: dt.date, *, max_gap_days: int
) -> Version | None:
    """Return the version of the day nearest ``wanted``, within ``max_gap_days``, or None.

    A day's map is its last version; at equal distance the earlier day wins (what was known
    by the date, not after it).
    """
    by_day: dict[dt.date, Version] = {}
    for version in sorted(versions, key=lambda v: (v.published, v.id)):
        by_day[version.date] = version
    close = [
        (abs((day - wanted).days), day > wanted, day)
        for day in by_day
        if abs((day - wanted).days) <= max_gap_days
    ]
    return by_day[min(close)[2]] if close else None


def status_key(name: object) -> str | None:
    """Return the status key of a DeepState feature name, or None.

    Names read ``Ukrainian /// English /// key``, e.g. ``Окуповано /// Occupied ///
    geoJSON.status.occupied`` (with stray newlines and no-break spaces); an older name without
    a key is known by its English part.
    """
    if not isinstance(name, str):
        return None
    parts = [part.strip(" \t\r\n\u00a0") for part in name.split("///")]
    if parts[-1].startswith("geoJSON."):
        return parts[-1]
    if len(parts) >= 2:
        return _OCCUPIED_LABELS.get(parts[1].lower())
    return None


def _flat(value: Any) -> Any:
    """Drop heights from positions (DeepState writes [lon, lat, 0]); leave the rest as it is."""
    if isinstance(value, list):
        if value and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return value[:2]
        return [_flat(item) for item in value]
    return value


def _flat_geometry(geometry: Any) -> Any:
    if not isinstance(geometry, dict):
        return geometry
    flat = dict(geometry)
    if "coordinates" in flat:
        flat["coordinates"] = _flat(flat["coordinates"])
    if isinstance(flat.get("geometries"), list):
        flat["geometries"] = [_flat_geometry(g) for g in flat["geometries"]]
    return flat


@dataclass(frozen=True)
class Kept:
    """The occupied-territory features of a DeepState map, as a GeoJSON file to install."""

    content: bytes
    kept: int
    total: int
    keys: tuple[str, ...]


def occupied_collection(raw: bytes, *, url: str) -> Kept:
    """Keep the occupied-territory polygons of one version of DeepStateMap's map.

    A version's map (``/history/{id}/geojson``; some mirrors wrap it as ``{"map": ...}``) is a
    FeatureCollection of everything the site draws: polygons for each status - occupied since
    2022 (``geoJSON.status.occupied``), the areas of Donetsk and Luhansk held since 2014
    (``geoJSON.territories.ordlo``), Crimea (``geoJSON.territories.crimea``) and Tuzla
    (``geoJSON.territories.tuzla``), which are kept; liberated (``geoJSON.status.dismissed``),
    the grey zone (``geoJSON.status.unknown``) and the "territories" the site marks outside
    Ukraine (Transnistria, Abkhazia, ...), which are not - plus Points for units,
    headquarters, airfields and attack arrows, and lines, also dropped. Kept features keep
    their name (in a property ``status``, the key) and lose the heights of their positions;
    broken geometry is passed on as it came, for the install pipeline to report.

    Raises
    ------
    GeodataError
        When the answer is not a map (a FeatureCollection), or holds no occupied territory.
    """
    data = parse_json(url, raw)
    if (
        isinstance(data, dict)
        and data.get("type") != "FeatureCollection"
        and isinstance(data.get("map"), dict)
    ):
        data = data["map"]
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        got = data.get("type") if isinstance(data, dict) else f"a JSON {type(data).__name__}"
        raise GeodataError(
            f"{url}: expected the map as a GeoJSON FeatureCollection "
            f'({{"type": "FeatureCollection", "features": [...]}}), got {got!r}; is this a '
            "DeepStateMap /history/<id>/geojson answer?"
        )
    kept = []
    keys: list[str] = []
    for feature in features:
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties")
        name = properties.get("name") if isinstance(properties, dict) else None
        key = status_key(name)
        geometry = feature.get("geometry")
        if key not in OCCUPIED_KEYS:
            continue
        if isinstance(geometry, dict) and geometry.get("type") in _NOT_AREAS:
            continue
        assert key is not None
        keys.append(key)
        kept.append(
            {
                "type": "Feature",
                "properties": {"name": str(name).strip(), "status": key},
                "geometry": _flat_geometry(geometry),
            }
        )
    if not kept:
        raise GeodataError(
            f"{url}: none of the map's {len(features)} features is occupied territory "
            f"(polygons named ... /// {', '.join(sorted(OCCUPIED_KEYS))}); nothing to install"
        )
    collection = {"type": "FeatureCollection", "features": kept}
    content = (json.dumps(collection, ensure_ascii=False) + "\n").encode()
    return Kept(content, len(kept), len(features), tuple(dict.fromkeys(keys)))


# -- planning and pulling ---------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A snapshot that may serve a wanted date: its date, URL and the name it is installed by."""

    date: dt.date
    url: str
    name: str


@dataclass(frozen=True)
class Wanted:
    """One date asked for, and the snapshots that may serve it, best first."""

    date: dt.date
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Outcome:
    """What a pull did for one wanted date."""

    wanted: dt.date
    kind: OutcomeKind
    source: Source
    candidate: Candidate | None = None
    installed: Installed | None = None
    #: Why nothing was installed (refused, not found), or which date had the same snapshot.
    reason: str | None = None
    problems: tuple[str, ...] = ()
    #: What was kept of the snapshot (DeepState's map has many kinds of feature).
    kept: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the date got no layer (refused, or no snapshot near it)."""
        return self.kind not in ("refused", "not found")

    def describe(self) -> list[str]:
        """Return the outcome as lines of text (what ``mapdash control pull`` prints)."""
        head = f"{self.wanted.isoformat()}: "
        found = self.candidate
        what = f"snapshot of {found.date.isoformat()} ({found.url})" if found else ""
        if self.kind == "not found":
            return [head + (self.reason or "no snapshot found") + "; nothing installed"]
        if self.kind == "same snapshot":
            return [head + f"{what}: {self.reason}; not pulled again"]
        if self.kind == "refused":
            lines = [head + f"{what} refused, nothing installed: {self.reason}"]
            return lines + [f"  - {problem}" for problem in self.problems]
        lines = [head + what + (f": {self.kept}" if self.kept else "")]
        if self.installed is not None:
            lines.extend(f"  {line}" for line in self.installed.describe())
        return lines


class Puller:
    """Pulls dated snapshots from one source into a geodata folder (use as a context manager).

    Parameters
    ----------
    source
        "deepstate" or "archive".
    base_url
        Where to fetch from (default: the source's environment variable, else its default).
    settings
        Timeout, retries, size limit and how far a snapshot may be from a date.
    geodata_dir
        The live geodata folder; default the configured one.
    dry_run
        Fetch and check everything, install nothing.
    actor
        Who pulls, for the audit log.
    today
        The latest date a snapshot can have; default today (UTC).

    Raises
    ------
    PullError
        When the base URL is not an http(s) URL.
    """

    def __init__(
        self,
        source: SourceId,
        *,
        base_url: str | None = None,
        settings: PullSettings | None = None,
        geodata_dir: Path | None = None,
        dry_run: bool = False,
        actor: str = "pull",
        today: dt.date | None = None,
    ) -> None:
        if source not in SOURCES:
            raise PullError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
        self.source = SOURCES[source]
        self.base = resolve_base_url(source, base_url)
        self.settings = settings or PullSettings()
        self.geodata_dir = geodata_dir
        self.dry_run = dry_run
        self.actor = actor
        self.today = today or dt.datetime.now(dt.UTC).date()
        self._session: requests.Session | None = None
        #: URL of each snapshot pulled, and the wanted date it was pulled for.
        self._pulled: dict[str, dt.date] = {}
        #: Archive URLs that answered 404.
        self._missing: set[str] = set()

    def __enter__(self) -> Puller:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            self._session.close()
            self._session = None

    @property
    def session(self) -> requests.Session:
        """The HTTP session, opened on first use."""
        if self._session is None:
            self._session = open_session(self.settings)
        return self._session

    def describe(self) -> str:
        """Name the source and where it is fetched from."""
        return f"{self.source.name} at {self.base}"

    def _get(self, url: str, *, missing_ok: bool = False) -> bytes | None:
        return fetch(
            self.session, url, source=self.source, settings=self.settings, missing_ok=missing_ok
        )

    def plan(self, dates: Sequence[dt.date]) -> list[Wanted]:
        """Say which snapshots may serve each date (DeepState: one request for its history).

        Raises
        ------
        PullError
            When the history cannot be fetched or read.
        """
        if self.source.id == "archive":
            return [Wanted(date, self._archive_candidates(date)) for date in dates]
        url = f"{self.base}/history/public"
        raw = self._get(url)
        assert raw is not None
        try:
            versions = read_history(raw, url=url)
        except GeodataError as err:
            raise PullError(f"cannot read DeepStateMap's history: {err}", err.problems) from None
        planned = []
        for date in dates:
            version = nearest_version(versions, date, max_gap_days=self.settings.max_gap_days)
            candidates: tuple[Candidate, ...] = ()
            if version is not None:
                candidates = (
                    Candidate(
                        version.date,
                        f"{self.base}/history/{version.id}/geojson",
                        f"deepstate_{version.date.isoformat()}.geojson",
                    ),
                )
            planned.append(Wanted(date, candidates))
        return planned

    def _archive_candidates(self, date: dt.date) -> tuple[Candidate, ...]:
        days = [date]
        for gap in range(1, self.settings.max_gap_days + 1):
            days += [date - dt.timedelta(days=gap), date + dt.timedelta(days=gap)]
        return tuple(
            Candidate(
                day,
                f"{self.base}/deepstatemap_data_{day:%Y%m%d}.geojson",
                f"deepstatemap_data_{day:%Y%m%d}.geojson",
            )
            for day in days
            if day <= self.today
        )

    def pull(self, wanted: Wanted) -> Outcome:
        """Fetch the first snapshot there is for one date and install it (unless a dry run).

        Returns
        -------
        Outcome
            Installed, unchanged (identical to the live layer), dry run, the same snapshot as
            an earlier date, refused (with the pipeline's reasons) or not found.

        Raises
        ------
        PullError
            When the source cannot be reached: the pull cannot go on.
        """
        for candidate in wanted.candidates:
            earlier = self._pulled.get(candidate.url)
            if earlier is not None:
                return Outcome(
                    wanted.date,
                    "same snapshot",
                    self.source,
                    candidate,
                    reason=f"the same snapshot as for {earlier.isoformat()}",
                )
            if candidate.url in self._missing:
                continue
            try:
                raw = self._get(candidate.url, missing_ok=self.source.id == "archive")
            except GeodataError as err:
                return self._refused(wanted, candidate, err)
            if raw is None:
                self._missing.add(candidate.url)
                continue
            self._pulled[candidate.url] = wanted.date
            return self._install(wanted, candidate, raw)
        return Outcome(
            wanted.date,
            "not found",
            self.source,
            reason=f"no {self.source.name} snapshot within {self.settings.max_gap_days} day(s) "
            f"of {wanted.date.isoformat()} (raise --max-gap to take one farther away)",
        )

    def _install(self, wanted: Wanted, candidate: Candidate, raw: bytes) -> Outcome:
        retrieved = dt.datetime.now(dt.UTC).replace(microsecond=0)
        kept_note = None
        try:
            content = raw
            if self.source.id == "deepstate":
                kept = occupied_collection(raw, url=candidate.url)
                content = kept.content
                kept_note = (
                    f"{kept.kept} of {kept.total} features are occupied territory "
                    f"({', '.join(kept.keys)})"
                )
            installed = install_bytes(
                candidate.name,
                content,
                geodata_dir=self.geodata_dir,
                kind="control",
                date=candidate.date,
                source=self.source.name,
                licence=self.source.licence,
                url=candidate.url,
                retrieved_at=retrieved,
                actor=self.actor,
                max_bytes=self.settings.max_bytes,
                dry_run=self.dry_run,
            )
        except GeodataError as err:
            return self._refused(wanted, candidate, err)
        kind: OutcomeKind = (
            "dry run" if installed.dry_run else "unchanged" if installed.unchanged else "installed"
        )
        return Outcome(
            wanted.date, kind, self.source, candidate, installed=installed, kept=kept_note
        )

    def _refused(self, wanted: Wanted, candidate: Candidate, err: GeodataError) -> Outcome:
        return Outcome(
            wanted.date,
            "refused",
            self.source,
            candidate,
            reason=str(err),
            problems=tuple(err.problems),
        )


def pull(
    source: SourceId,
    dates: Sequence[dt.date],
    *,
    base_url: str | None = None,
    settings: PullSettings | None = None,
    geodata_dir: Path | None = None,
    dry_run: bool = False,
    actor: str = "pull",
) -> list[Outcome]:
    """Pull the snapshot nearest each date from a public source and install it.

    The parameters are those of :class:`Puller`, and ``dates``, the dates wanted (see
    :func:`wanted_dates`).

    Returns
    -------
    list of Outcome
        One per date, in order.

    Raises
    ------
    PullError
        When the source cannot be reached or its history read; layers installed before the
        failure stay installed.
    """
    with Puller(
        source,
        base_url=base_url,
        settings=settings,
        geodata_dir=geodata_dir,
        dry_run=dry_run,
        actor=actor,
    ) as puller:
        return [puller.pull(wanted) for wanted in puller.plan(dates)]


def failures(outcomes: Sequence[Outcome]) -> PullError | None:
    """Return the error to end a pull with when some dates got no layer, else None."""
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if not failed:
        return None
    listed = ", ".join(f"{o.wanted.isoformat()} ({o.kind})" for o in failed)
    return PullError(
        f"nothing installed for {len(failed)} of {len(outcomes)} date(s): {listed}; the reasons "
        "are listed above"
    )
