"""Requests the dashboard's page sends, built by hand, and a digest of a geodata folder."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

UPLOAD_OUTPUT = (
    "..geodata-upload-result.children...geodata-uploaded.data...geodata-upload-force.hidden.."
)


def upload_body(
    filename: str, content: bytes, *, kind: str = "control", date: str | None = None
) -> dict[str, Any]:
    """The body dcc.Upload's callback request carries for a file."""
    url = "data:application/geo+json;base64," + base64.b64encode(content).decode()
    return {
        "output": UPLOAD_OUTPUT,
        "outputs": [
            {"id": "geodata-upload-result", "property": "children"},
            {"id": "geodata-uploaded", "property": "data"},
            {"id": "geodata-upload-force", "property": "hidden"},
        ],
        "inputs": [
            {"id": "geodata-upload", "property": "contents", "value": url},
            {"id": "geodata-upload-force", "property": "n_clicks", "value": None},
        ],
        "changedPropIds": ["geodata-upload.contents"],
        "state": [
            {"id": "geodata-upload", "property": "filename", "value": filename},
            {"id": "geodata-upload-kind", "property": "value", "value": kind},
            {"id": "geodata-upload-date", "property": "value", "value": date},
            {"id": "geodata-uploaded", "property": "data", "value": 0},
        ],
    }


def folder_digest(folder: Path) -> str:
    """sha256 over every file's name and bytes under ``folder`` (the lock file aside)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".lock":
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def basic(name: str, password: str) -> dict[str, str]:
    """An HTTP basic-auth header."""
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def smaller_layer(content: bytes) -> bytes:
    """The same control layer cut at 37.5 E: less of Donetsk held (a different version)."""
    import shapely

    data = json.loads(content)
    geometry = shapely.from_geojson(json.dumps(data["features"][0]["geometry"]))
    cut = shapely.intersection(geometry, shapely.box(20, 40, 37.5, 55))
    feature = {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(cut))}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
