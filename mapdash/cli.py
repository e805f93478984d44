"""The ``mapdash`` command line: a thin shell over the library API."""

from __future__ import annotations

import sys

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
