"""Files that are wrong at a glance, or built to hurt: each refused with its message, nothing
changed on disk (the hash of every file under geodata/ is the same before and after)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from mapdash import geodata
from mapdash.claims import load_claims
from mapdash.cli import main
from mapdash.errors import ClaimsError, GeodataError, ImplausibleError
from mapdash.web.live import LiveGeodata

HOSTILE = Path(__file__).resolve().parent / "data" / "geojson" / "hostile"
CLAIMS = Path(__file__).resolve().parent / "data" / "claims"


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _nested(depth: int) -> bytes:
    return b'{"type": "FeatureCollection", "features": ' + b"[" * depth + b"]" * depth + b"}"


def _million_empty_features() -> bytes:
    feature = b'{"type":"Feature","properties":{},"geometry":null}'
    body = b",".join([feature] * 1_000_000)
    return b'{"type":"FeatureCollection","features":[' + body + b"]}"


# (file or generator, kind, error class, message pattern)
CASES = [
    (
        "swapped_lonlat.geojson",
        "regions",
        ImplausibleError,
        r"region donetsk lies at longitude 46\.9\.\.49\.2, latitude 36\.5\.\.39\.1, "
        r"outside the area of the six regions \(longitude 18\.\.52, latitude 38\.\.60\); "
        r"longitude and latitude look swapped - GeoJSON writes \[longitude, latitude\]",
    ),
    (
        "zero_area_donetsk.geojson",
        "regions",
        ImplausibleError,
        r"region donetsk covers 0 km2, 0% of the 26,599 km2 of Donetsk as shipped \(Natural "
        r"Earth\); expected between 50% and 200%",
    ),
    (
        "world_region.geojson",
        "regions",
        ImplausibleError,
        r"region luhansk lies at longitude -180\.0\.\.180\.0, latitude -90\.0\.\.90\.0, outside "
        r"the area of the six regions",
    ),
    (
        "ukraine_admin_2025-08-15.geojson",
        "control",
        ImplausibleError,
        r"the layer covers Kyiv \(30\.52, 50\.45\), which Russian forces have never held",
    ),
    (
        "world_ring_2025-08-15.geojson",
        "control",
        GeodataError,
        r"world_ring_2025-08-15\.geojson: the layer spans longitude -180\.0\.\.180\.0, latitude "
        r"-90\.0\.\.90\.0 - a world-sized ring, not the territory held in one war",
    ),
    (
        "control_1900-01-01.geojson",
        "control",
        ImplausibleError,
        r"dated 1900-01-01, before the war began \(2014-02-20, Crimea\)",
    ),
    (
        "control_2099-01-01.geojson",
        "control",
        ImplausibleError,
        r"dated 2099-01-01, in the future \(today is \d{4}-\d\d-\d\d\)",
    ),
    (
        "huge_number.geojson",
        None,
        GeodataError,
        r"huge_number\.geojson: a number starting 99999999999999999999\.\.\. has more than 40 "
        r"digits",
    ),
    (
        _nested(100_000),
        None,
        GeodataError,
        r"nested\.geojson: arrays or objects are nested too deeply to read \(over [\d,]+ "
        r"levels\)",
    ),
    (
        _million_empty_features,
        None,
        GeodataError,
        r"million\.geojson has 1,000,000 features, more than the 50,000 one file may hold",
    ),
]
IDS = [
    "swapped",
    "zero-area",
    "world-region",
    "country-wide",
    "world-ring",
    "1900",
    "2099",
    "5000-digits",
    "100k-nesting",
    "million-features",
]


def _source(case: object, tmp_path: Path) -> Path:
    if isinstance(case, str):
        return HOSTILE / case
    content = case() if callable(case) else case
    name = "million.geojson" if callable(case) else "nested.geojson"
    path = tmp_path / name
    path.write_bytes(content)  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize(("case", "kind", "error", "message"), CASES, ids=IDS)
def test_install_refuses_and_changes_nothing(geodata_copy, tmp_path, case, kind, error, message):
    source = _source(case, tmp_path)
    before = _tree(geodata_copy)
    started = time.monotonic()
    with pytest.raises(error) as refused:
        geodata.install_file(source, kind=kind, geodata_dir=geodata_copy)
    assert time.monotonic() - started < 30
    # The message, then the reasons (an implausible file's are its first problems).
    assert re.search(message, "\n".join([str(refused.value), *refused.value.problems]))
    assert type(refused.value) is error
    assert _tree(geodata_copy) == before
    assert len(refused.value.problems) <= geodata.MAX_PROBLEMS + 1


@pytest.mark.parametrize(("case", "kind", "error", "message"), CASES[:8], ids=IDS[:8])
def test_a_dropped_hostile_file_moves_to_rejected(
    geodata_copy, tmp_path, case, kind, error, message
):
    live = LiveGeodata(geodata_copy, min_interval=0)
    before = live.snapshot()
    source = _source(case, tmp_path)
    dropped = geodata_copy / source.name
    shutil.copy(source, dropped)
    os.utime(dropped, (0, 0))
    after = live.snapshot()
    assert not dropped.exists()
    (moved,) = (geodata_copy / "rejected").glob(f"*_{source.name}")
    notes = moved.with_name(moved.name + ".problems.txt").read_text("utf-8")
    assert "the current data stays live and the file was moved to rejected/" in notes
    assert after.layers == before.layers
    assert after.regions_version == before.regions_version


def test_the_cli_prints_the_message_not_a_traceback(runner, geodata_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("MAPDASH_GEODATA", str(geodata_copy))
    path = tmp_path / "nested.geojson"
    path.write_bytes(_nested(100_000))
    for command in (["swap", str(path)], ["validate", str(path)]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert result.output.startswith(
            "Error: nested.geojson: arrays or objects are nested too deeply to read"
        )


def test_a_country_wide_control_layer_lists_every_reason(geodata_copy):
    with pytest.raises(ImplausibleError) as refused:
        geodata.install_file(HOSTILE / "ukraine_admin_2025-08-15.geojson", geodata_dir=geodata_copy)
    reasons = refused.value.problems
    assert str(refused.value).startswith(
        "ukraine_admin_2025-08-15.geojson fails 3 plausibility check(s) and was not installed"
    )
    assert (
        "western oblasts (Chernivtsi, Ivano-Frankivsk, Khmelnytskyi, Lviv, Rivne, " in (reasons[1])
    )
    assert (
        "of Ukraine, under Russian control; no layer of this war can show more than 30%"
        in (reasons[2])
    )


def test_a_large_change_from_the_layer_before_is_a_warning_with_figures(geodata_copy, data_dir):
    layers = data_dir / "geojson" / "control"
    geodata.install_file(layers / "control_2025-08-15.geojson", geodata_dir=geodata_copy)
    # A layer of Crimea and Luhansk only, a month later: far less than the one before.
    installed = geodata.install_file(
        HOSTILE / "control_1900-01-01.geojson",
        date=dt.date(2025, 9, 15),
        geodata_dir=geodata_copy,
    )
    (warning,) = [p for p in installed.problems if "before it" in p]
    assert warning.startswith("control_1900-01-01.geojson: the layer holds ")
    assert "less than the layer of 2025-08-15 before it (67,728 km2)" in warning


def test_problem_lists_are_summarised(tmp_path):
    features = [
        {"type": "Feature", "properties": {"name": f"place {i}"}, "geometry": None}
        for i in range(500)
    ]
    features.append(
        {
            "type": "Feature",
            "properties": {"name": "Donetsk"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[37, 47], [38, 47], [38, 48], [37, 48], [37, 47]]],
            },
        }
    )
    path = tmp_path / "noisy.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = geodata.read_geojson(path)
    assert len(report.problems) == geodata.MAX_PROBLEMS + 1
    assert report.problems[-1] == (
        "... and 450 more problem(s) like these, not listed; fix the ones above and check the "
        "file again"
    )


def test_billion_laughs_in_a_claims_file_is_refused_at_the_first_alias():
    started = time.monotonic()
    with pytest.raises(
        ClaimsError,
        match=r"billion_laughs\.yaml: line 3, column 8: YAML alias \*a - aliases \(&name \.\.\. "
        r"\*name\) are not allowed in a claims file \(they can expand without bound\); write "
        r"each value out",
    ):
        load_claims(CLAIMS / "billion_laughs.yaml")
    assert time.monotonic() - started < 2


def test_a_million_features_are_refused_before_parsing(monkeypatch):
    """Counting in the bytes refuses the file without the seconds and memory of a parse."""

    def parse(name, raw):
        raise AssertionError("parsed a file its byte count already refuses")

    monkeypatch.setattr(geodata.read, "parse_json", parse)
    with pytest.raises(GeodataError, match=r"million\.geojson has 1,000,000 features"):
        geodata.read.read_features("million.geojson", content=_million_empty_features())


def test_the_word_feature_in_properties_does_not_count_as_a_feature():
    """Only a "type": "Feature" member counts; 60,000 property values "Feature" do not."""
    ring = [[37.5, 48.0], [37.6, 48.0], [37.6, 48.1], [37.5, 48.0]]
    feature = {
        "type": "Feature",
        "properties": {f"k{i}": "Feature" for i in range(60_000)},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    content = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    found = geodata.read.read_features("words.geojson", content=content)
    assert len(found.features) == 1
