"""The error classes: problems on the base, narrow classes for selection, date and API errors."""

from __future__ import annotations

import pytest

from mapdash.config import Paths
from mapdash.errors import (
    AccessDenied,
    ApiError,
    ClaimsError,
    DateError,
    GeodataError,
    MapdashError,
    PullError,
    ReviewError,
    SelectionError,
)
from mapdash.timeline import Selection
from mapdash.web.api import parse_api_date, parse_api_selection
from mapdash.web.data import AppData
from mapdash.web.layers_api import read_layer_form
from mapdash.web.view import parse_date, parse_query


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData.load(Paths.default())


@pytest.mark.parametrize("cls", [MapdashError, GeodataError, ClaimsError, ReviewError, PullError])
def test_problems_on_every_error(cls: type[MapdashError]) -> None:
    assert cls("x").problems == []
    err = cls("the claims file has 2 problem(s)", ("a", "b"))
    assert err.problems == ["a", "b"]
    assert cls("x", problems=["c"]).problems == ["c"]
    assert str(err) == "the claims file has 2 problem(s)"
    assert AccessDenied("no").problems == []


def test_selection_errors_are_value_errors() -> None:
    with pytest.raises(SelectionError, match=r"selection 'russia' not understood; expected"):
        Selection.parse("russia")
    with pytest.raises(ValueError, match=r"selection 'actor:' not understood"):
        Selection.parse("actor:")


def test_unknown_selection_and_compare(data: AppData) -> None:
    with pytest.raises(SelectionError, match=r"unknown selection 'actor:kremlin'; choose one of: "):
        data.timeline.check(Selection("actor", "kremlin"))
    with pytest.raises(SelectionError, match=r"unknown selection 'proposal:nope'; choose one of"):
        parse_query("?compare=proposal:nope", data.timeline)


def test_date_errors() -> None:
    with pytest.raises(DateError, match=r"URL parameter date2='soon' is not a date; expected YYYY"):
        parse_date("soon", name="date2")
    with pytest.raises(ValueError, match=r"URL parameter date='2025-02-30' is not a date"):
        parse_date("2025-02-30")


def test_api_errors_carry_parameter_and_status(data: AppData) -> None:
    with pytest.raises(ApiError, match=r"parameter date='tomorrow' is not a date") as caught:
        parse_api_date("tomorrow")
    assert (caught.value.parameter, caught.value.status) == ("date", 400)
    with pytest.raises(ApiError, match=r"parameter selection: unknown selection 'actor:mars'"):
        parse_api_selection("actor:mars", data.timeline)
    with pytest.raises(
        ApiError, match=r"date='15/08/2025' is not a date; expected YYYY-MM-DD"
    ) as c:
        read_layer_form({"kind": "control", "date": "15/08/2025"})
    assert (c.value.parameter, c.value.status) == ("date", 400)
    assert isinstance(c.value, MapdashError)
