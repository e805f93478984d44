"""Pulling control layers from the public sources, against a local server in their shapes.

The server on 127.0.0.1 serves the fixtures of tests/data/sources (DeepStateMap's history list
and map versions, the daily archive); a guard refuses any connection that would leave
127.0.0.1, and every test fails if one was tried.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

import mapdash.cli
from mapdash import sources
from mapdash.cli import main
from mapdash.errors import PullError
from mapdash.geodata import read_audit, read_control
from mapdash.geodata.layers import area_km2

SOURCES = Path(__file__).resolve().parent / "data" / "sources"
#: The versions with a map file: the last of 1, 8 and 15 August 2025 (Kyiv time).
AUG_1, AUG_8, AUG_15 = 1754071500, 1754680200, 1755288600
#: Published at 15:30 UTC on 15 August, before AUG_15: never the map of that day.
AUG_15_EARLIER = 1755271800
LOOPBACK = ("127.0.0.1", "::1")


# -- the local server -------------------------------------------------------------------------


@dataclass
class Site:
    """A local HTTP server: what it answers at each path, and every path asked for."""

    url: str
    routes: dict[str, bytes] = field(default_factory=dict)
    #: Paths to answer 503 for, and how many more times.
    failing: dict[str, int] = field(default_factory=dict)
    #: Paths answered without a Content-Length (streamed until the connection closes).
    unsized: set[str] = field(default_factory=set)
    #: Paths answered only after this many seconds.
    slow: dict[str, float] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    @property
    def deepstate(self) -> str:
        return f"{self.url}/api"

    @property
    def archive(self) -> str:
        return f"{self.url}/data"

    def serve_deepstate(self) -> None:
        self.routes["/api/history/public"] = (
            SOURCES / "deepstate" / "history_public.json"
        ).read_bytes()
        for path in (SOURCES / "deepstate").glob("[0-9]*.geojson"):
            self.routes[f"/api/history/{path.stem}/geojson"] = path.read_bytes()

    def serve_archive(self) -> None:
        for path in (SOURCES / "archive").glob("*.geojson"):
            self.routes[f"/data/{path.name}"] = path.read_bytes()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.hits.append(self.path)
            time.sleep(site.slow.get(self.path, 0))
            if site.failing.get(self.path, 0) > 0:
                site.failing[self.path] -= 1
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = site.routes.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if self.path not in site.unsized:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (a timeout, or past its size limit)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    holder = Site(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Refuse, and record, any connection or name lookup that would leave 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    for spec in sources.SOURCES.values():
        monkeypatch.delenv(spec.env, raising=False)
    tried: list[object] = []
    connect = socket.socket.connect
    lookup = socket.getaddrinfo

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            tried.append(address)
            raise ConnectionRefusedError(f"test guard: {address} is outside 127.0.0.1")
        connect(sock, address)  # type: ignore[arg-type]

    def guarded_lookup(host: object, *args: object, **kwargs: object) -> object:
        if host not in (*LOOPBACK, "localhost"):
            tried.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return lookup(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    yield tried
    assert tried == [], f"a test tried to leave 127.0.0.1: {tried}"


@pytest.fixture
def geodata_env(geodata_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    return geodata_copy


def _pull(runner, *args: str):
    return runner.invoke(main, ["control", "pull", *args])


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _nothing_installed(folder: Path) -> bool:
    control = folder / "control"
    return not (folder / "audit.log").exists() and not (control.is_dir() and any(control.iterdir()))


def _meta(folder: Path, layer: str) -> dict[str, object]:
    [version] = sorted((folder / "versions" / layer).iterdir())
    return json.loads((version / "meta.json").read_text())


# -- one date, a range ------------------------------------------------------------------------


def test_pull_one_date_installs_the_occupied_territory_with_its_attribution(
    runner, site, geodata_env
):
    site.serve_deepstate()
    result = _pull(
        runner, "--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate
    )
    assert result.exit_code == 0, result.output

    url = f"{site.deepstate}/history/{AUG_15}/geojson"
    assert site.hits == ["/api/history/public", f"/api/history/{AUG_15}/geojson"]
    assert f"2025-08-15: snapshot of 2025-08-15 ({url})" in result.stdout
    assert "3 of 11 features are occupied territory" in result.stdout
    assert "installed control_2025-08-15 version" in result.stdout

    layer = read_control(geodata_env / "control" / "control_2025-08-15.geojson")
    assert layer.date == dt.date(2025, 8, 15)
    # Occupied since 2022, the areas held since 2014, Crimea; not the rest of the map.
    assert layer.geometry.contains(Point(37.80, 48.00))  # Donetsk
    assert layer.geometry.contains(Point(39.30, 48.57))  # Luhansk
    assert layer.geometry.contains(Point(34.10, 45.00))  # Crimea
    assert layer.geometry.contains(Point(35.37, 46.85))  # Melitopol
    assert not layer.geometry.contains(Point(37.30, 49.30))  # liberated (Izium)
    assert not layer.geometry.contains(Point(29.50, 47.20))  # Transnistria
    assert not layer.geometry.contains(Point(37.18, 48.28))  # Pokrovsk, grey zone
    assert 100_000 < area_km2(layer.geometry) < 125_000
    assert not shapely.has_z(layer.geometry)

    meta = _meta(geodata_env, "control_2025-08-15")
    assert meta["source"] == "DeepStateMap.live"
    assert "deepstatemap.live/license-en.html" in str(meta["licence"])
    assert meta["url"] == url
    assert meta["actor"] == "pull"
    retrieved = dt.datetime.fromisoformat(str(meta["retrieved_at"]))
    assert abs(dt.datetime.now(dt.UTC) - retrieved) < dt.timedelta(minutes=5)
    [entry] = read_audit(geodata_env)
    assert (entry.action, entry.layer, entry.actor) == ("install", "control_2025-08-15", "pull")
    # What the map's legend and footer name.
    assert layer.source == "DeepStateMap.live" and layer.url == url


def test_a_range_every_week_installs_one_layer_per_date_oldest_first(runner, site, geodata_env):
    site.serve_deepstate()
    result = _pull(
        runner,
        "--source", "deepstate",
        "--since", "2025-08-01",
        "--until", "2025-08-15",
        "--every", "week",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert site.hits[1:] == [f"/api/history/{i}/geojson" for i in (AUG_1, AUG_8, AUG_15)]
    assert "3 date(s): 3 installed" in result.stderr
    areas = [
        area_km2(read_control(geodata_env / "control" / f"control_2025-08-{day}.geojson").geometry)
        for day in ("01", "08", "15")
    ]
    # The front near Pokrovsk moves west every week in the fixtures.
    assert areas[0] < areas[1] < areas[2]
    assert [e.layer for e in read_audit(geodata_env)] == [
        "control_2025-08-01",
        "control_2025-08-08",
        "control_2025-08-15",
    ]


def test_the_archive_gives_the_nearest_daily_file(runner, site, geodata_env):
    site.serve_archive()
    result = _pull(
        runner, "--source", "archive", "--date", "2025-08-10", "--base-url", site.archive
    )
    assert result.exit_code == 0, result.output
    # 10, 9, 11 August have no file; 8 August is two days away, before 12 August (missing too).
    assert site.hits == [
        "/data/deepstatemap_data_20250810.geojson",
        "/data/deepstatemap_data_20250809.geojson",
        "/data/deepstatemap_data_20250811.geojson",
        "/data/deepstatemap_data_20250808.geojson",
    ]
    meta = _meta(geodata_env, "control_2025-08-08")
    assert meta["source_file"] == "deepstatemap_data_20250808.geojson"
    assert meta["url"] == f"{site.archive}/deepstatemap_data_20250808.geojson"
    assert "GPL-3.0" in str(meta["licence"])
    layer = read_control(geodata_env / "control" / "control_2025-08-08.geojson")
    assert layer.geometry.contains(Point(34.10, 45.00))


def test_an_archive_range_every_week(runner, site, geodata_env):
    site.serve_archive()
    result = _pull(
        runner,
        "--source", "archive",
        "--since", "2025-08-01",
        "--until", "2025-08-20",
        "--every", "week",
        "--base-url", site.archive,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (geodata_env / "control").iterdir()) == [
        "control_2025-08-01.geojson",
        "control_2025-08-08.geojson",
        "control_2025-08-15.geojson",
    ]


def test_two_dates_served_by_one_snapshot_pull_it_once(runner, site, geodata_env):
    site.serve_deepstate()
    result = _pull(
        runner,
        "--source", "deepstate",
        "--since", "2025-08-14",
        "--until", "2025-08-15",
        "--every", "day",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert site.hits.count(f"/api/history/{AUG_15}/geojson") == 1
    assert "2025-08-15: snapshot of 2025-08-15" in result.stdout
    assert "the same snapshot as for 2025-08-14; not pulled again" in result.stdout


def test_a_progress_bar_in_a_terminal(runner, site, geodata_env, monkeypatch):
    monkeypatch.setattr(mapdash.cli, "_stderr_is_terminal", lambda: True)
    site.serve_deepstate()
    result = _pull(
        runner,
        "--source", "deepstate",
        "--since", "2025-08-01",
        "--until", "2025-08-15",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Pulling" in result.stderr
    assert "Pulling" not in result.stdout


# -- what is refused --------------------------------------------------------------------------


def test_an_unreachable_server_is_one_clear_line_and_installs_nothing(runner, geodata_env):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port once the socket is closed.
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-08-15",
        "--retries", "1",
        "--base-url", f"http://127.0.0.1:{port}/api",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()[1:]
    assert line == (
        f"Error: cannot reach 127.0.0.1:{port} (connection refused; 2 attempt(s)); nothing was "
        f"installed from http://127.0.0.1:{port}/api/history/public - check the network "
        "connection, or pull from a mirror with --base-url (or MAPDASH_DEEPSTATE_URL)"
    )
    assert _nothing_installed(geodata_env)


def test_offline_the_default_source_says_its_name_cannot_be_resolved(
    runner, geodata_env, only_loopback
):
    result = _pull(runner, "--source", "deepstate", "--date", "2025-08-15", "--retries", "0")
    assert result.exit_code == 1
    assert "Error: cannot reach deepstatemap.live (the name deepstatemap.live cannot be " in (
        result.stderr
    )
    assert "offline, or no DNS" in result.stderr
    assert "Traceback" not in result.output
    # The only way out was the name lookup, and the guard refused it.
    assert set(only_loopback) == {"deepstatemap.live"}
    only_loopback.clear()
    assert _nothing_installed(geodata_env)


def test_a_mirror_from_the_environment(runner, site, geodata_env, monkeypatch):
    site.serve_archive()
    monkeypatch.setenv("MAPDASH_ARCHIVE_URL", site.archive)
    result = _pull(runner, "--source", "archive", "--date", "2025-08-15")
    assert result.exit_code == 0, result.output
    named = sources.SOURCES["archive"].name
    assert f"pulling 1 date(s) from {named} at {site.archive}" in result.stderr
    assert (geodata_env / "control" / "control_2025-08-15.geojson").is_file()


def test_a_server_that_does_not_answer_in_time(runner, site, geodata_env):
    site.serve_deepstate()
    site.slow["/api/history/public"] = 1.5
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-08-15",
        "--timeout", "0.3",
        "--retries", "0",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"Error: cannot reach {site.url[7:]} (no answer within 0.3 s; 1 attempt(s))" in (
        result.stderr
    )
    assert _nothing_installed(geodata_env)


def test_a_listed_version_whose_map_is_missing(runner, site, geodata_env):
    site.serve_deepstate()
    del site.routes[f"/api/history/{AUG_15}/geojson"]
    result = _pull(
        runner, "--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate
    )
    assert result.exit_code == 1
    assert f"Error: {site.deepstate}/history/{AUG_15}/geojson answered HTTP 404 Not Found" in (
        result.stderr
    )
    assert _nothing_installed(geodata_env)


def test_a_base_url_that_is_not_http_is_refused(runner, geodata_env):
    result = _pull(runner, "--source", "archive", "--date", "2025-08-15", "--base-url", "ftp://x")
    assert result.exit_code == 1
    assert "Error: base URL 'ftp://x' for archive is not an http(s) URL" in result.stderr


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # Malformed: the pipeline's parser and validation say why.
        ("truncated.geojson", r"is not valid JSON: .* at line 1, column \d+"),
        (
            "broken_polygons.geojson",
            r"feature 0 \(name='Окуповано /// Occupied .*'\): Polygon coordinates are malformed",
        ),
        # Implausible: the plausibility checks say why.
        ("in_the_sea.geojson", "of the layer .* lies outside Ukraine and Kursk"),
        ("all_of_ukraine.geojson", "the layer covers Kyiv"),
        ("all_of_ukraine.geojson", r"km2, 100% of Ukraine, under Russian control"),
    ],
)
def test_a_refused_snapshot_installs_nothing(runner, site, geodata_env, fixture, expected):
    import re

    site.serve_deepstate()
    site.routes[f"/api/history/{AUG_15}/geojson"] = (SOURCES / "bad" / fixture).read_bytes()
    result = _pull(
        runner, "--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate
    )
    assert result.exit_code == 1
    assert re.search(expected, result.stdout), result.stdout
    assert "refused, nothing installed" in result.stdout
    assert "Error: nothing installed for 1 of 1 date(s): 2025-08-15 (refused)" in result.stderr
    assert _nothing_installed(geodata_env)


def test_broken_polygons_are_refused_with_the_pipelines_reasons(site, geodata_copy):
    site.serve_deepstate()
    site.routes[f"/api/history/{AUG_15}/geojson"] = (
        SOURCES / "bad" / "broken_polygons.geojson"
    ).read_bytes()
    [outcome] = sources.pull(
        "deepstate", [dt.date(2025, 8, 15)], base_url=site.deepstate, geodata_dir=geodata_copy
    )
    assert outcome.kind == "refused"
    text = "\n".join([outcome.reason or "", *outcome.problems])
    assert "Polygon coordinates are malformed" in text
    assert "has no geometry (null or missing)" in text
    assert _nothing_installed(geodata_copy)


def test_a_map_without_occupied_territory_is_refused(runner, site, geodata_env):
    site.serve_deepstate()
    only_points = json.loads(site.routes[f"/api/history/{AUG_15}/geojson"])
    only_points["features"] = only_points["features"][3:]
    site.routes[f"/api/history/{AUG_15}/geojson"] = json.dumps(only_points).encode()
    result = _pull(
        runner, "--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate
    )
    assert result.exit_code == 1
    assert "none of the map's 8 features is occupied territory" in result.stdout
    assert _nothing_installed(geodata_env)


def test_an_answer_past_the_size_limit_is_dropped_part_way(runner, site, geodata_env):
    site.serve_deepstate()
    path = f"/api/history/{AUG_15}/geojson"
    site.unsized.add(path)
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-08-15",
        "--max-bytes", "5000",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{site.deepstate}/history/{AUG_15}/geojson: the answer went past 5,000 bytes" in (
        result.stdout
    )
    assert "stopped reading, nothing installed from it" in result.stdout
    assert _nothing_installed(geodata_env)


def test_an_answer_declared_larger_than_the_limit_is_not_read(runner, site, geodata_env):
    site.serve_archive()
    size = len(site.routes["/data/deepstatemap_data_20250815.geojson"])
    result = _pull(
        runner,
        "--source", "archive",
        "--date", "2025-08-15",
        "--max-bytes", "1000",
        "--base-url", site.archive,
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"the answer is {size:,} bytes, more than the limit of 1,000 bytes" in result.stdout
    assert _nothing_installed(geodata_env)


def test_no_snapshot_near_the_date(runner, site, geodata_env):
    site.serve_deepstate()
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-06-01",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        "2025-06-01: no DeepStateMap.live snapshot within 7 day(s) of 2025-06-01 (raise "
        "--max-gap to take one farther away); nothing installed"
    ) in result.stdout
    assert _nothing_installed(geodata_env)


def test_a_history_that_is_not_a_list_of_versions(runner, site, geodata_env):
    site.routes["/api/history/public"] = b'{"error": "rate limited"}'
    result = _pull(
        runner, "--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate
    )
    assert result.exit_code == 1
    assert "Error: cannot read DeepStateMap's history: " in result.stderr
    assert "expected a JSON list of map versions" in result.stderr
    assert _nothing_installed(geodata_env)


# -- again, dry run, retries --------------------------------------------------------------------


def test_a_second_pull_of_the_same_date_installs_nothing_new(runner, site, geodata_env):
    site.serve_deepstate()
    args = ["--source", "deepstate", "--date", "2025-08-15", "--base-url", site.deepstate]
    first = _pull(runner, *args)
    assert first.exit_code == 0, first.output
    before = _tree(geodata_env)

    again = _pull(runner, *args)
    assert again.exit_code == 0, again.output
    assert "control_2025-08-15: identical to the live version" in again.stdout
    assert "unchanged" in again.stdout
    assert "1 date(s): 1 unchanged" in again.stderr
    assert _tree(geodata_env) == before
    assert len(list((geodata_env / "versions" / "control_2025-08-15").iterdir())) == 1
    assert len(read_audit(geodata_env)) == 1


def test_a_dry_run_fetches_and_checks_but_writes_nothing(runner, site, geodata_env):
    site.serve_deepstate()
    before = _tree(geodata_env)
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-08-15",
        "--dry-run",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "would install control_2025-08-15 (nothing written: dry run)" in result.stdout
    assert "1 date(s): 1 dry run" in result.stderr
    assert site.hits[-1] == f"/api/history/{AUG_15}/geojson"
    assert _tree(geodata_env) == before


def test_a_server_that_fails_twice_then_answers(site, geodata_copy):
    site.serve_deepstate()
    path = f"/api/history/{AUG_15}/geojson"
    site.failing[path] = 2
    settings = sources.PullSettings(retries=3, backoff=0.01)
    [outcome] = sources.pull(
        "deepstate",
        [dt.date(2025, 8, 15)],
        base_url=site.deepstate,
        settings=settings,
        geodata_dir=geodata_copy,
    )
    assert outcome.kind == "installed", outcome.describe()
    assert site.hits.count(path) == 3
    assert (geodata_copy / "control" / "control_2025-08-15.geojson").is_file()


def test_a_server_that_keeps_failing_gives_up_after_the_retries(site, geodata_copy):
    site.serve_deepstate()
    site.failing["/api/history/public"] = 10
    settings = sources.PullSettings(retries=2, backoff=0.01)
    with pytest.raises(PullError, match=r"history/public answered HTTP 503 Service Unavailable"):
        sources.pull(
            "deepstate",
            [dt.date(2025, 8, 15)],
            base_url=site.deepstate,
            settings=settings,
            geodata_dir=geodata_copy,
        )
    assert site.hits == ["/api/history/public"] * 3
    assert _nothing_installed(geodata_copy)


# -- reading the sources ------------------------------------------------------------------------


def _versions() -> list[sources.Version]:
    raw = (SOURCES / "deepstate" / "history_public.json").read_bytes()
    return sources.read_history(raw, url="history_public.json")


@pytest.mark.parametrize(
    ("wanted", "version"),
    [
        (dt.date(2025, 8, 15), AUG_15),  # the day's last version, not AUG_15_EARLIER
        (dt.date(2025, 8, 16), 1755297000),  # 22:30 UTC on the 15th is the 16th in Kyiv
        (dt.date(2025, 8, 10), AUG_8),  # two days either side: the earlier
        (dt.date(2025, 8, 2), AUG_1),
        (dt.date(2025, 7, 21), 1753719600),  # 28 July, seven days later
    ],
)
def test_the_version_nearest_a_date(wanted, version):
    found = sources.nearest_version(_versions(), wanted, max_gap_days=7)
    assert found is not None and found.id == version


def test_no_version_farther_than_the_gap():
    assert sources.nearest_version(_versions(), dt.date(2025, 7, 20), max_gap_days=7) is None


def test_the_history_is_read_from_datetime_then_created_at_then_the_id():
    raw = json.dumps(
        [
            {"id": 1755288600, "datetime": "2025-08-15T20:10:00.000Z"},
            {"id": 1754680200, "datetime": "8.08 o 22:10", "createdAt": "2025-08-08T19:10:00Z"},
            {"id": 1754071500},
            {"id": "x"},
            "not an entry",
        ]
    ).encode()
    versions = sources.read_history(raw, url="list")
    assert [(v.id, v.date.isoformat()) for v in versions] == [
        (1754071500, "2025-08-01"),
        (1754680200, "2025-08-08"),
        (1755288600, "2025-08-15"),
    ]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Окуповано /// Occupied /// geoJSON.status.occupied\n", "geoJSON.status.occupied"),
        ("ОРДЛО /// CADR and CALR\u00a0/// geoJSON.territories.ordlo", "geoJSON.territories.ordlo"),
        (
            "Звільнено 25.03 /// Liberated 25.03\u00a0/// geoJSON.status.dismissed_at",
            "geoJSON.status.dismissed_at",
        ),
        ("Окупований Крим /// Occupied Crimea", "geoJSON.territories.crimea"),
        ("150 мсд /// 150th Motorized Rifle Division", None),
        (None, None),
    ],
)
def test_status_keys_of_deepstate_names(name, key):
    assert sources.status_key(name) == key


def test_the_occupied_features_are_kept_without_heights():
    raw = (SOURCES / "deepstate" / f"{AUG_15}.geojson").read_bytes()
    kept = sources.occupied_collection(raw, url="map")
    assert (kept.kept, kept.total) == (3, 11)
    assert kept.keys == (
        "geoJSON.status.occupied",
        "geoJSON.territories.ordlo",
        "geoJSON.territories.crimea",
    )
    data = json.loads(kept.content)

    def positions(coords):
        if coords and isinstance(coords[0], float | int):
            return [coords]
        return [p for item in coords for p in positions(item)]

    found = [p for f in data["features"] for p in positions(f["geometry"]["coordinates"])]
    assert found and {len(p) for p in found} == {2}
    assert [f["properties"]["status"] for f in data["features"]] == list(kept.keys)
    # A mirror that answers the map wrapped as {"map": ...}, like /history/last.
    wrapped = json.dumps({"id": AUG_15, "map": json.loads(raw)}).encode()
    assert sources.occupied_collection(wrapped, url="map").content == kept.content


def test_a_map_that_is_no_feature_collection():
    with pytest.raises(Exception, match=r"expected the map as a GeoJSON FeatureCollection"):
        sources.occupied_collection(b'{"type": "Topology"}', url="map")


# -- dates --------------------------------------------------------------------------------------


def test_dates_of_a_range():
    today = dt.date(2025, 3, 31)
    assert sources.wanted_dates(since=dt.date(2025, 1, 31), every="month", today=today) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]
    assert sources.wanted_dates(
        since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 20), every="week", today=today
    ) == [dt.date(2025, 3, 1), dt.date(2025, 3, 8), dt.date(2025, 3, 15)]
    assert len(sources.wanted_dates(since=dt.date(2025, 3, 1), every="day", today=today)) == 31


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": dt.date(2025, 4, 1)}, r"2025-04-01 is in the future \(today is 2025-03-31\)"),
        ({"since": dt.date(2025, 3, 2), "until": dt.date(2025, 3, 1)}, "the range is empty"),
        ({"since": dt.date(2023, 1, 1), "every": "day"}, "is more than 400 dates"),
        ({}, "give one date, or the start of a range"),
    ],
)
def test_dates_that_cannot_be_pulled(kwargs, message):
    with pytest.raises(PullError, match=message):
        sources.wanted_dates(today=dt.date(2025, 3, 31), **kwargs)


@pytest.mark.parametrize(
    "args",
    [
        ["--source", "deepstate"],
        ["--source", "deepstate", "--date", "2025-08-15", "--since", "2025-08-01"],
        ["--source", "deepstate", "--date", "2025-08-15", "--every", "week"],
    ],
)
def test_misuse_is_exit_code_2(runner, args):
    result = _pull(runner, *args)
    assert result.exit_code == 2
    assert "--since" in result.output


def test_settings_come_from_the_command_line(runner, site, geodata_env, monkeypatch):
    seen: list[sources.PullSettings] = []
    real: Callable[..., object] = sources.open_session

    def spy(settings: sources.PullSettings):
        seen.append(settings)
        return real(settings)

    monkeypatch.setattr(sources, "open_session", spy)
    site.serve_deepstate()
    result = _pull(
        runner,
        "--source", "deepstate",
        "--date", "2025-08-15",
        "--timeout", "5",
        "--retries", "1",
        "--max-gap", "2",
        "--base-url", site.deepstate,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [settings] = seen
    assert (settings.timeout, settings.retries, settings.max_gap_days) == (5.0, 1, 2)
