"""The ``mapdash`` command line: a thin shell over the library API."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import MapdashError


class _Group(click.Group):
    """Turns a MapdashError into a clean message and exit code 1 (misuse stays exit code 2)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MapdashError as err:
            click.echo(f"Error: {err}", err=True)
            for problem in getattr(err, "problems", []):
                click.echo(f"  - {problem}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="mapdash")
def main() -> None:
    """Map the territory claimed and proposed in the Russia-Ukraine peace negotiations."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8050, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug/--no-debug", default=False, help="Dash debug mode (reloader, dev tools).")
def serve(host: str, port: int, debug: bool) -> None:
    """Start the dashboard web server."""
    from .web import create_app

    app = create_app()
    click.echo(f"mapdash: serving on http://{host}:{port}/", err=True)
    app.run(host=host, port=port, debug=debug)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output as a table or as a JSON list.",
)
@click.option(
    "--regions",
    "regions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A GeoJSON file of region boundaries (default: the committed full-resolution data).",
)
def areas(fmt: str, regions_file: Path | None) -> None:
    """Print each region's area in km2 (equal-area projection, full resolution)."""
    from .geodata import load_regions, read_geojson, region_areas

    if regions_file is None:
        gdf = load_regions(resolution="full")
    else:
        gdf = read_geojson(regions_file).regions
    km2 = region_areas(gdf)
    rows = [
        {"region": rid, "name": str(gdf.loc[rid, "name"]), "area_km2": round(km2[rid], 1)}
        for rid in gdf.index
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'region':<14}{'name':<14}{'area km2':>10}")
    for row in rows:
        click.echo(f"{row['region']:<14}{row['name']:<14}{row['area_km2']:>10,.0f}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as text or as JSON.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse files larger than this (default 64 MiB).",
)
def validate(file: Path, fmt: str, max_bytes: int | None) -> None:
    """Check a GeoJSON file of region boundaries; exit 1 when it is unusable."""
    from .errors import GeodataError
    from .geodata import DEFAULT_MAX_BYTES, validate_file

    try:
        report = validate_file(file, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    except GeodataError as err:
        if fmt != "json":
            raise
        failure = {"file": str(file), "usable": False, "error": str(err)}
        click.echo(json.dumps({**failure, "problems": err.problems}, indent=2))
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(report.describe()))
