"""The editor's layer panel and the layer API's form, without a browser."""

from __future__ import annotations

import hashlib

import pytest
from web_requests import smaller_layer

from mapdash.errors import ApiError
from mapdash.geodata import install_bytes, read_audit
from mapdash.web.layers_api import read_layer_form
from mapdash.web.layers_panel import layer_action, layer_rows

LAYER = "control_2025-08-15.geojson"


def _text(component) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, list | tuple):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return _text(children) if children is not None else ""


def _buttons(component) -> list[dict]:
    found = []
    if isinstance(component, list | tuple):
        for child in component:
            found += _buttons(child)
        return found
    if isinstance(getattr(component, "id", None), dict):
        found.append(component.id)
    children = getattr(component, "children", None)
    return found + (_buttons(children) if children is not None else [])


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "control", "colour": "red"}, r"unknown form field\(s\) colour; this endpoint"),
        ({}, r"no kind; expected kind=control \(a dated control layer\) or kind=regions"),
        ({"kind": "control", "source": "x" * 301}, r"source is 301 characters long; keep it"),
    ],
)
def test_bad_forms_are_named(form, message) -> None:
    with pytest.raises(ApiError, match=message):
        read_layer_form(form)


def test_the_form_reads_kind_date_and_source() -> None:
    kind, date, source = read_layer_form({"kind": "regions", "source": " GADM 4.1 "})
    assert (kind, date, source) == ("regions", None, "GADM 4.1")


def test_panel_lists_layers_and_restores_and_undoes(geodata_copy, data_dir) -> None:
    first = (data_dir / "geojson" / "control" / LAYER).read_bytes()
    install_bytes(LAYER, first, geodata_dir=geodata_copy, kind="control", actor="alice")
    live = geodata_copy / "control" / LAYER
    first_live = hashlib.sha256(live.read_bytes()).hexdigest()
    second = smaller_layer(first)
    install_bytes(LAYER, second, geodata_dir=geodata_copy, kind="control", actor="bob")
    rows = layer_rows(geodata_copy)
    text = _text(rows)
    assert "Control layer control_2025-08-15" in text and "installed by bob" in text
    assert "Recent changes" in text
    actions = {(b["action"], b["layer"]) for b in _buttons(rows)}
    assert actions == {
        ("restore", "control_2025-08-15"),
        ("remove", "control_2025-08-15"),
        ("undo", "last"),
    }
    message = layer_action(geodata_copy, "restore", "control_2025-08-15", actor="alice")
    assert message.className == "upload-ok" and "rolled back to" in _text(message)
    assert hashlib.sha256(live.read_bytes()).hexdigest() == first_live
    message = layer_action(geodata_copy, "remove", "control_2025-08-15", actor="alice")
    assert not live.exists()
    message = layer_action(geodata_copy, "undo", "last", actor="alice")
    assert hashlib.sha256(live.read_bytes()).hexdigest() == first_live
    assert [(e.action, e.actor) for e in read_audit(geodata_copy)] == [
        ("install", "alice"),
        ("install", "bob"),
        ("rollback", "alice"),
        ("remove", "alice"),
        ("rollback", "alice"),
    ]


def test_a_refused_action_changes_nothing_and_says_why(geodata_copy) -> None:
    message = layer_action(geodata_copy, "remove", "control_2031-01-01", actor="alice")
    assert message.className == "upload-error"
    assert _text(message).startswith("Nothing changed. ")
    message = layer_action(geodata_copy, "wipe", "boundaries", actor="alice")
    assert _text(message) == (
        "Nothing changed.  unknown action 'wipe'; expected remove, restore or undo"
    )
    assert read_audit(geodata_copy) == []
