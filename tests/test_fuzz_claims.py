"""Random and mutated claims files: load_claims loads them or raises ClaimsError, never crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fuzzing import FUZZ, json_values, loads_or_refuses, mutate
from hypothesis import given
from hypothesis import strategies as st

from mapdash.claims import load_claims
from mapdash.errors import ClaimsError, MapdashError
from mapdash.timeline import Timeline

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "geodata" / "claims.yaml").read_bytes()


def _load(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> object:
    path = tmp_path_factory.mktemp("fuzz") / "claims.yaml"
    path.write_bytes(content)
    result = loads_or_refuses(lambda: load_claims(path))
    if isinstance(result, MapdashError):
        assert isinstance(result, ClaimsError), f"{type(result).__name__}: {result}"
        assert str(path) in str(result)
    else:
        # What loads must also build a timeline the map can draw.
        Timeline.from_source(result)  # type: ignore[arg-type]
    return result


dates = st.one_of(st.dates().map(str), st.text(max_size=12), st.integers(), st.dates())
claims = st.fixed_dictionaries(
    {
        "id": st.text(max_size=8) | json_values,
        "date": dates,
        "actor": st.sampled_from(["russia", "ukraine", "united_states", "x"]) | json_values,
        "kind": st.sampled_from(["demand", "proposal", "position", "statement", "wish"]),
        "regions": st.dictionaries(
            st.sampled_from(["donetsk", "crimea", "*", "donbas", "atlantis"]),
            st.sampled_from(["to_russia", "frozen", "to_ukraine", "sideways"]) | json_values,
            max_size=3,
        ),
        "summary": st.text(max_size=30),
        "evidence": st.lists(
            st.fixed_dictionaries({"article": st.text(max_size=8), "quote": st.text(max_size=20)}),
            max_size=2,
        )
        | json_values,
    },
    optional={
        "date_precision": st.sampled_from(["day", "month", "year", "hour"]),
        "proposal": st.text(max_size=8) | st.none(),
        "status": st.sampled_from(["reviewed", "extracted", "maybe"]),
    },
)
files = st.fixed_dictionaries(
    {},
    optional={
        "claims": st.lists(claims, max_size=4) | json_values,
        "proposals": st.lists(
            st.fixed_dictionaries(
                {
                    "id": st.text(max_size=8),
                    "label": st.text(max_size=10),
                    "actor": st.text(max_size=8),
                    "date": dates,
                    "summary": st.text(max_size=10),
                }
            ),
            max_size=2,
        )
        | json_values,
        "control": json_values,
    },
)


@FUZZ
@given(data=files)
def test_structured_random_files(tmp_path_factory: pytest.TempPathFactory, data: dict) -> None:
    _load(tmp_path_factory, yaml.safe_dump(data, allow_unicode=True).encode())


@FUZZ
@given(data=json_values)
def test_any_yaml_value(tmp_path_factory: pytest.TempPathFactory, data: object) -> None:
    _load(tmp_path_factory, yaml.safe_dump(data).encode())


@FUZZ
@given(data=st.data())
def test_mutated_real_file(tmp_path_factory: pytest.TempPathFactory, data) -> None:
    _load(tmp_path_factory, mutate(REAL, data.draw))


@FUZZ
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    _load(tmp_path_factory, content)


def test_refusals_say_where_and_why(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text("claims: [\n", encoding="utf-8")
    with pytest.raises(ClaimsError, match=r"claims\.yaml: not valid YAML"):
        load_claims(path)
    path.write_bytes(b"\xff\xfe claims")
    with pytest.raises(ClaimsError, match=r"claims\.yaml: cannot read the claims file"):
        load_claims(path)


@FUZZ
@given(
    anchors=st.lists(st.from_regex(r"[a-z]{1,6}", fullmatch=True), min_size=1, max_size=6),
    fan_out=st.integers(1, 12),
)
def test_aliases_are_refused_before_anything_expands(
    tmp_path_factory: pytest.TempPathFactory, anchors: list[str], fan_out: int
) -> None:
    """Anchors chained by aliases (the billion laughs at any size) never expand."""
    lines = [f"{anchors[0]}0: &{anchors[0]}0 [lol]"]
    for i, name in enumerate(anchors[1:], start=1):
        previous = f"{anchors[i - 1]}{i - 1}"
        lines.append(f"{name}{i}: &{name}{i} [{', '.join([f'*{previous}'] * fan_out)}]")
    result = _load(tmp_path_factory, ("\n".join(lines) + "\n").encode())
    if len(anchors) > 1:
        assert isinstance(result, ClaimsError)
        assert "aliases (&name ... *name) are not allowed in a claims file" in str(result)
