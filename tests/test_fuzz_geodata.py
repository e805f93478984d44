"""Random and mutated GeoJSON: the readers load it or refuse it with GeodataError, never crash."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from fuzzing import FUZZ, json_values, loads_or_refuses, mutate
from hypothesis import given
from hypothesis import strategies as st

from mapdash.control import read_control
from mapdash.errors import GeodataError, MapdashError
from mapdash.geodata import read_geojson

DATA = Path(__file__).resolve().parent / "data" / "geojson"
SAMPLES = sorted(p for p in DATA.glob("*.geojson"))
NAMES = ["Donetsk", "Donets'k", "Luhansk", "Krym", "Kherson Oblast", "Kursk", "UA-14", "RU-KRS"]


def _write(tmp_path: Path, data: bytes, name: str = "fuzz.geojson") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _check(result: object) -> None:
    if isinstance(result, MapdashError):
        assert isinstance(result, GeodataError), f"{type(result).__name__}: {result}"
        return
    # A loaded file gives regions with real, finite geometry.
    regions = result.regions  # type: ignore[attr-defined]
    for geometry in regions.geometry:
        assert geometry.is_valid and not geometry.is_empty
        assert all(math.isfinite(v) for v in geometry.bounds)


coordinates = st.floats(-200, 200) | st.sampled_from([math.nan, math.inf, -math.inf, 1e300])
rings = st.lists(st.tuples(coordinates, coordinates), min_size=0, max_size=8).map(
    lambda pts: [list(p) for p in pts] + ([list(pts[0])] if pts else [])
)
geometries = st.one_of(
    st.builds(lambda r: {"type": "Polygon", "coordinates": r}, st.lists(rings, max_size=3)),
    st.builds(
        lambda p: {"type": "MultiPolygon", "coordinates": p},
        st.lists(st.lists(rings, max_size=2), max_size=3),
    ),
    st.builds(
        lambda t, c: {"type": t, "coordinates": c},
        st.sampled_from(["Point", "LineString", "GeometryCollection", "Polygon", "Nonsense"]),
        json_values,
    ),
    json_values,
)
properties = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "name": st.sampled_from(NAMES) | st.text(max_size=10),
            "shapeISO": st.sampled_from(NAMES) | json_values,
            "NAME_1": json_values,
            "date": st.text(max_size=12) | st.integers(),
        },
    ),
    json_values,
)
features = st.fixed_dictionaries(
    {"type": st.sampled_from(["Feature", "feature", "Polygon"])},
    optional={"properties": properties, "geometry": geometries},
)
crs_members = st.one_of(
    st.none(),
    st.just({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
    st.builds(lambda n: {"type": "name", "properties": {"name": n}}, st.text(max_size=15)),
    json_values,
)
collections = st.builds(
    lambda fs, crs: (
        {"type": "FeatureCollection", "features": fs} | ({"crs": crs} if crs is not None else {})
    ),
    st.lists(features, max_size=6),
    crs_members,
)


@FUZZ
@given(data=json_values)
def test_any_json_value(tmp_path_factory: pytest.TempPathFactory, data: object) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), json.dumps(data).encode())
    _check(loads_or_refuses(lambda: read_geojson(path)))


@FUZZ
@given(data=collections)
def test_random_feature_collections(tmp_path_factory: pytest.TempPathFactory, data: dict) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), json.dumps(data).encode())
    _check(loads_or_refuses(lambda: read_geojson(path)))
    layer = loads_or_refuses(lambda: read_control(path, date=None))
    if isinstance(layer, MapdashError):
        assert isinstance(layer, GeodataError), f"{type(layer).__name__}: {layer}"


@FUZZ
@given(sample=st.sampled_from(SAMPLES), data=st.data())
def test_mutated_real_files(tmp_path_factory: pytest.TempPathFactory, sample: Path, data) -> None:
    content = mutate(sample.read_bytes(), data.draw)
    path = _write(tmp_path_factory.mktemp("fuzz"), content, sample.name)
    _check(loads_or_refuses(lambda: read_geojson(path)))


@FUZZ
@given(content=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), content)
    _check(loads_or_refuses(lambda: read_geojson(path)))


def test_refusals_name_the_file_and_what_was_expected(tmp_path: Path) -> None:
    path = _write(tmp_path, b'{"type": "FeatureCollection", "features": [', "cut.geojson")
    with pytest.raises(GeodataError, match=r"^cut\.geojson is not valid JSON: .* at line 1"):
        read_geojson(path)
    path = _write(tmp_path, b"[1, 2, 3]", "list.geojson")
    with pytest.raises(
        GeodataError, match=r"list\.geojson: top-level type is 'list'; expected a FeatureCollection"
    ):
        read_geojson(path)


def test_nan_and_infinite_coordinates_are_refused_by_feature(tmp_path: Path) -> None:
    # JSON readers accept NaN and 1e999 (infinity); found by the properties above.
    ring = "[[30, 48], [31, NaN], [31, 49], [30, 48]]"
    content = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "Donetsk"}, "geometry": {"type": "Polygon", "coordinates": [' + ring + "]}}]}"
    )
    path = _write(tmp_path, content.encode(), "nan.geojson")
    with pytest.raises(GeodataError, match="no usable Polygon") as caught:
        read_geojson(path)
    assert caught.value.problems == [
        "nan.geojson feature 0 (name='Donetsk'): Polygon coordinates include NaN or infinity; "
        "every coordinate must be a finite number - fix or remove those points"
    ]


@FUZZ
@given(
    depth=st.integers(1, 5000),
    digits=st.integers(1, 200),
    features=st.integers(0, 3),
)
def test_nesting_and_number_size_are_bounded(
    tmp_path_factory: pytest.TempPathFactory, depth: int, digits: int, features: int
) -> None:
    """Any nesting depth and integer length is read or refused by name, in bounded time."""
    square = '{"type":"Polygon","coordinates":[[[37,47],[38,47],[38,48],[37,48],[37,47]]]}'
    feature = f'{{"type":"Feature","properties":{{"name":"Donetsk"}},"geometry":{square}}}'
    text = (
        '{"type":"FeatureCollection","extra":'
        + "[" * depth
        + "7" * digits
        + "]" * depth
        + ',"features":['
        + ",".join([feature] * features)
        + "]}"
    )
    path = _write(tmp_path_factory.mktemp("fuzz"), text.encode())
    result = loads_or_refuses(lambda: read_geojson(path))
    if digits > 40:
        assert isinstance(result, GeodataError)
        message = str(result)
        assert (
            "digits; GeoJSON coordinates and properties need ordinary numbers" in message
            or "nested too deeply to read" in message
        ), message
    elif isinstance(result, MapdashError):
        assert isinstance(result, GeodataError)
        message = str(result)
        assert (
            "nested too deeply to read" in message
            or "no usable Polygon or MultiPolygon feature" in message
        ), message
    else:
        _check(result)


@FUZZ
@given(count=st.integers(0, 120))
def test_problem_lists_stay_short(tmp_path_factory: pytest.TempPathFactory, count: int) -> None:
    """However many features are broken, at most MAX_PROBLEMS are listed, then one summary."""
    from mapdash.geodata import MAX_PROBLEMS

    broken = {"type": "Feature", "properties": {"name": "x"}, "geometry": {"type": "Point"}}
    square = {
        "type": "Feature",
        "properties": {"name": "Donetsk"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[37, 47], [38, 47], [38, 48], [37, 48], [37, 47]]],
        },
    }
    data = {"type": "FeatureCollection", "features": [broken] * count + [square]}
    path = _write(tmp_path_factory.mktemp("fuzz"), json.dumps(data).encode())
    report = read_geojson(path)
    assert len(report.problems) == min(count, MAX_PROBLEMS + 1)
    if count > MAX_PROBLEMS:
        assert report.problems[-1].startswith(f"... and {count - MAX_PROBLEMS:,} more problem(s)")
