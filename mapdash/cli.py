"""The ``mapdash`` command line: a thin shell over the library API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from click._termui_impl import ProgressBar

from .errors import MapdashError

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


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


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _progress(items: Sequence[T], *, label: str) -> ProgressBar[T]:
    """Wrap a long loop in a progress bar on stderr, drawn in a terminal only (logs stay clean)."""
    return click.progressbar(
        items,
        label=label,
        file=sys.stderr,
        hidden=not _stderr_is_terminal(),
        show_pos=True,
    )


@click.group(cls=_Group)
@click.version_option(package_name="mapdash")
def main() -> None:
    """Map the territory claimed and proposed in the Russia-Ukraine peace negotiations."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8050, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug/--no-debug", default=False, help="Dash debug mode (reloader, dev tools).")
@click.option(
    "--production",
    is_flag=True,
    help="Serve with gunicorn worker processes (debug off, gzip, cached assets).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes with --production (about one per core).",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Threads per worker with --production.",
)
@click.option("--access-log", is_flag=True, help="Log every request (with --production).")
@click.option(
    "--private",
    is_flag=True,
    help="Ask for a login to view the dashboard too (needs a users file).",
)
def serve(
    host: str,
    port: int,
    debug: bool,
    production: bool,
    workers: int,
    threads: int,
    access_log: bool,
    private: bool,
) -> None:
    """Start the dashboard web server (Flask's for development, gunicorn with --production)."""
    from .web import create_app
    from .web.auth import decide_policy, is_loopback
    from .web.first_image import cache_dir

    if production and debug:
        raise click.UsageError("--debug cannot be combined with --production")
    if debug and not is_loopback(host):
        raise click.UsageError(
            "--debug serves Werkzeug's debugger, which runs code for whoever reaches it; "
            "use it only with --host 127.0.0.1"
        )
    policy = decide_policy(host=host, production=production, private=private)
    app = create_app(access=policy, watch=True, first_map_images=cache_dir())
    click.echo(f"mapdash: serving on http://{host}:{port}/ - {policy.describe()}", err=True)
    if production:
        from .web.serving import run_production

        run_production(
            app.server,
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            access_log=access_log,
        )
        return
    app.run(host=host, port=port, debug=debug)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output as a table, a JSON list or CSV.",
)
@click.option(
    "--regions",
    "regions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A GeoJSON file of region boundaries (default: the committed full-resolution data).",
)
@click.option(
    "--control",
    "control_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A control layer: adds occupied_km2 and occupied_share (0-1) per region.",
)
@click.option(
    "--control-all",
    is_flag=True,
    help="Every installed control layer: one row per layer date and region.",
)
@click.option(
    "--date",
    "layer_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The control layer's date, when neither its properties nor its name carry one.",
)
def areas(
    fmt: str,
    regions_file: Path | None,
    control_file: Path | None,
    control_all: bool,
    layer_date: object,
) -> None:
    """Print each region's area in km2 (equal-area projection, full resolution)."""
    from .config import Paths
    from .geodata import load_regions, read_geojson, region_areas

    if control_all and (control_file is not None or layer_date is not None):
        raise click.UsageError(
            "--control-all measures the installed layers; leave out --control and --date"
        )
    geodata = Paths.default().geodata
    if regions_file is None:
        gdf = load_regions(resolution="full", geodata_dir=geodata)
    else:
        gdf = read_geojson(regions_file).regions
    if control_all:
        _control_all(gdf, geodata, fmt)
        return
    km2 = region_areas(gdf)
    rows: list[dict[str, object]] = [
        {"region": rid, "name": str(gdf.loc[rid, "name"]), "area_km2": round(km2[rid], 1)}
        for rid in gdf.index
    ]
    if control_file is not None:
        from .control import occupied, read_control

        layer = read_control(control_file, date=_day(layer_date))
        for problem in layer.problems:
            click.echo(f"warning: {problem}", err=True)
        for row, held in zip(rows, occupied(gdf, layer.geometry), strict=True):
            row.update(
                control_date=layer.date.isoformat(),
                occupied_km2=round(held.occupied_km2, 1),
                occupied_share=round(held.occupied_share, 4),
            )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
        return
    header = f"{'region':<14}{'name':<14}{'area km2':>10}"
    if control_file is not None:
        header += f"{'occupied km2':>14}{'share':>8}"
    click.echo(header)
    for row in rows:
        line = f"{row['region']:<14}{row['name']:<14}{row['area_km2']:>10,.0f}"
        if "occupied_km2" in row:
            line += f"{row['occupied_km2']:>14,.0f}{row['occupied_share']:>8.0%}"
        click.echo(line)


def _control_all(regions: Any, geodata: Path, fmt: str) -> None:
    """Print what every installed control layer measures per region (``areas --control-all``)."""
    from .control_chart import control_csv, control_rows, load_measures

    measures, warnings = load_measures(geodata, regions)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if not measures:
        click.echo(
            f"note: no control layer is installed in {geodata / 'control'}; add one with "
            "'mapdash swap FILE --kind control --date YYYY-MM-DD'",
            err=True,
        )
    rows = control_rows(measures)
    if fmt == "csv":
        click.echo(control_csv(rows), nl=False)
        return
    if fmt == "json":
        data = [
            {
                "date": r.date.isoformat(),
                "region": r.region,
                "name": r.name,
                "occupied_km2": round(r.occupied_km2, 1),
                "occupied_share": round(r.occupied_share, 4),
                "source": r.source,
            }
            for r in rows
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'date':<12}{'region':<14}{'occupied km2':>14}{'share':>8}  source")
    for r in rows:
        click.echo(
            f"{r.date.isoformat():<12}{r.region:<14}{r.occupied_km2:>14,.0f}"
            f"{r.occupied_share:>8.0%}  {r.source}"
        )


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


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output as a table, a JSON list of claims, or CSV.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Verify every quote, region, actor, proposal and date against the articles; "
    "exit 1 listing what is wrong.",
)
@click.option(
    "--file",
    "claims_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The claims file (default: claims.yaml in the geodata folder).",
)
def claims(fmt: str, check: bool, claims_file: Path | None) -> None:
    """Print the reviewed claims file, or check it against the articles."""
    from .claims import check_claims, check_passed, load_claims, render_claims
    from .corpus import corpus_warnings, load_corpus
    from .errors import ClaimsError

    claim_set = load_claims(claims_file)
    if not check:
        click.echo(render_claims(claim_set.claims, fmt=fmt))  # type: ignore[arg-type]
        return
    corpus = load_corpus()
    for warning in corpus_warnings(corpus):
        click.echo(f"warning: {warning}", err=True)
    problems = check_claims(claim_set, corpus)
    if problems:
        raise ClaimsError(f"the claims file has {len(problems)} problem(s)", problems)
    click.echo(check_passed(claim_set, articles=len(corpus)))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output as a table (with the rules that fired) or a JSON list of candidate claims.",
)
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Publication date (YYYY-MM-DD) for files with no manifest entry, header or dateline.",
)
@click.option(
    "--merge",
    is_flag=True,
    help="Add new candidates to the claims file as 'extracted', leaving reviewed entries alone.",
)
@click.option(
    "--claims-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The claims file --merge writes to (default: claims.yaml in the geodata folder).",
)
def extract(
    files: tuple[Path, ...],
    fmt: str,
    published: object,
    merge: bool,
    claims_file: Path | None,
) -> None:
    """Print candidate claims found in article files (rule-based; explains each one)."""
    import datetime as dt

    from .claims import (
        ClaimSet,
        default_path,
        load_claims,
        merge_claims,
        render_claims,
        save_claims,
    )
    from .config import Paths
    from .corpus import MANIFEST_NAME, article_warnings, load_article, read_manifest
    from .extract import extract_article, render_candidates

    seeds = Paths.default().seeds
    manifest = read_manifest(seeds / MANIFEST_NAME)
    date = published.date() if isinstance(published, dt.datetime) else None
    extractions = []
    with _progress(files, label="Extracting") as bar:
        for path in bar:
            in_seeds = path.resolve().parent == seeds.resolve()
            entry = manifest.get(path.stem) if in_seeds else None
            article = load_article(path, manifest=entry, published=date)
            for warning in article_warnings(article):
                click.echo(f"warning: {warning}", err=True)
            if merge and not in_seeds:
                click.echo(
                    f"note: {path} is not in the seeds folder ({seeds}); copy it there so that "
                    "'mapdash claims --check' can verify its quotes",
                    err=True,
                )
            extractions.append(extract_article(article))
    candidates = [c for e in extractions for c in e.claims]
    if merge:
        target = claims_file or default_path()
        # Merging into a claims file that does not exist yet starts one.
        existing = load_claims(target) if target.exists() else ClaimSet()
        facts = [f.fact for e in extractions for f in e.control]
        result = merge_claims(existing, (c.claim for c in candidates), facts)
        if result.added:
            save_claims(result.claim_set, target)
        new_claims = len(result.claim_set.claims) - len(existing.claims)
        new_facts = len(result.claim_set.control) - len(existing.control)
        click.echo(
            f"added {new_claims} new candidate claim(s) and {new_facts} control fact(s) as "
            f"'extracted'; {len(candidates) - new_claims} claim(s) and "
            f"{len(facts) - new_facts} control fact(s) already in the claims file",
            err=True,
        )
        return
    if fmt == "json":
        records = []
        for candidate in candidates:
            record = json.loads(render_claims([candidate.claim], fmt="json"))[0]
            records.append({**record, "rules": list(candidate.rules)})
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    click.echo(render_candidates(extractions))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(["regions", "control"]),
    default=None,
    help="Region boundaries or a dated control layer (default: a date or 'control' in the "
    "file name means a control layer).",
)
@click.option(
    "--date",
    "layer_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="A control layer's date, when neither its properties nor its name carry one.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse files larger than this (default 64 MiB).",
)
@click.option("--dry-run", is_flag=True, help="Only check the file and say what would change.")
@click.option(
    "--force",
    is_flag=True,
    help="Install even when plausibility checks fail (the override is recorded in the audit log).",
)
@click.option("--source", default=None, help="Who made the file, for legends and the audit log.")
@click.option("--licence", default=None, help="The file's licence, e.g. 'CC BY 4.0'.")
def swap(
    file: Path,
    kind: str | None,
    layer_date: object,
    max_bytes: int | None,
    dry_run: bool,
    force: bool,
    source: str | None,
    licence: str | None,
) -> None:
    """Check FILE and install it into the live geodata folder (atomic, versioned, logged)."""
    import datetime as dt

    from .geodata import DEFAULT_MAX_BYTES, install_file

    given = layer_date.date() if isinstance(layer_date, dt.datetime) else None
    installed = install_file(
        file,
        kind="control" if kind == "control" else "regions" if kind == "regions" else None,
        date=given,
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
        dry_run=dry_run,
        force=force,
        source=source,
        licence=licence,
        actor=_actor(),
    )
    click.echo("\n".join(installed.describe()))


def _actor() -> str:
    """Name the person at the command line for the audit log (their login name)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output as text or as JSON.",
)
def history(fmt: str) -> None:
    """List every install, removal, review and rollback, oldest first, and what is live."""
    from .config import Paths
    from .geodata import list_installed, read_audit

    folder = Paths.default().geodata
    entries = read_audit(folder)
    if fmt == "json":
        data = {
            "entries": [entry.as_json() for entry in entries],
            "live": [layer.as_json() for layer in list_installed(folder)],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo("no changes yet: the geodata is as shipped")
    for entry in entries:
        click.echo(entry.describe())
    click.echo("live now:")
    for layer in list_installed(folder):
        click.echo(
            f"  {layer.layer}: version {layer.version} ({layer.source or 'source unknown'}; "
            f"{len(layer.versions)} version(s) kept)"
        )


@main.command()
@click.argument("version", required=False)
def rollback(version: str | None) -> None:
    """Undo the last change, or restore VERSION (a version id, a layer id, 'claims' or 'shipped').

    'claims' undoes the last review of an article; a review's version id (after 'undo:' in
    mapdash history) undoes that review.
    """
    from .config import Paths
    from .geodata import rollback as restore

    entry = restore(version, geodata_dir=Paths.default().geodata, actor=_actor())
    click.echo(entry.describe())


def _options(*options: Callable[[F], F]) -> Callable[[F], F]:
    """Apply several click options as one decorator, in the order listed (for --help)."""

    def apply(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


#: The page size of any export: ``mapdash export`` and commands that draw charts share these.
size_options = _options(
    click.option(
        "--width",
        type=click.IntRange(min=320, max=8000),
        default=None,
        help="Width in CSS pixels (default 1920; PDF 1123, an A4 landscape page; GIF 1280).",
    ),
    click.option(
        "--height",
        type=click.IntRange(min=240, max=8000),
        default=None,
        help="Height in CSS pixels (default 1080; PDF 794; GIF 720).",
    ),
    click.option(
        "--scale",
        type=click.FloatRange(min=0.1, max=8),
        default=None,
        help="Pixel density (default 2 for PNG, 1 for GIF; a PDF page is width x scale).",
    ),
)

#: Where an export goes and in which format.
output_options = _options(
    click.option(
        "--format",
        "fmt",
        type=click.Choice(["png", "svg", "pdf"]),
        default=None,
        help="Output format (default: from --out's extension; png with --out-dir).",
    ),
    click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The file to write (.png, .svg, .pdf; .gif with --animate).",
    ),
)

#: Whose map, at which date, compared with what, and the words on the page.
briefing_options = _options(
    click.option(
        "--date",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The as-of date, YYYY-MM-DD (default: the latest event).",
    ),
    click.option(
        "--proposal", default=None, help="A named proposal's id, e.g. ru-2025-08-06-donbas."
    ),
    click.option(
        "--actor",
        default=None,
        help="An actor's latest position: russia, ukraine, ... (default: russia).",
    ),
    click.option(
        "--compare",
        default=None,
        help="A second map side by side: actor:<id> or proposal:<id> (default: the same one).",
    ),
    click.option(
        "--compare-date",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The second map's date, YYYY-MM-DD (turns compare mode on; the earlier date is left).",
    ),
    click.option("--title", default=None, help="Replace the generated title."),
    click.option("--note", default=None, help="A note printed under the map."),
    click.option(
        "--control/--no-control",
        default=True,
        show_default=True,
        help="Draw the installed control layer of the date on its map, as the app does.",
    ),
)


def _day(value: object) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else None


def _counter(total: int, *, label: str) -> ProgressBar[int]:
    """Return a progress bar of ``total`` files on stderr, drawn in a terminal only."""
    return click.progressbar(
        length=total, label=label, file=sys.stderr, hidden=not _stderr_is_terminal(), show_pos=True
    )


@main.command()
@briefing_options
@output_options
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --all-events: the folder to write one file per event date into.",
)
@click.option("--all-events", is_flag=True, help="One file per event date, in one browser session.")
@click.option("--animate", is_flag=True, help="An animated GIF with one frame per event date.")
@click.option(
    "--chart",
    type=click.Choice(["control"]),
    default=None,
    help="A chart instead of a map: 'control', the Russian-held share of each region at every "
    "installed control layer, with the claims on the same time axis (--date marks a date).",
)
@click.option(
    "--frame-ms",
    type=click.IntRange(min=100, max=60000),
    default=1500,
    show_default=True,
    help="With --animate: how long each frame shows, in milliseconds (the last, 3x).",
)
@size_options
def export(
    as_of: object,
    proposal: str | None,
    actor: str | None,
    compare: str | None,
    compare_date: object,
    title: str | None,
    note: str | None,
    control: bool,
    fmt: str | None,
    out: Path | None,
    out_dir: Path | None,
    all_events: bool,
    animate: bool,
    chart: str | None,
    frame_ms: int,
    width: int | None,
    height: int | None,
    scale: float | None,
) -> None:
    """Export a briefing map (title, date, legend, sources) as PNG, SVG, PDF or animated GIF.

    With neither --actor nor --proposal, the map shows Russia's latest position, as the
    dashboard opens. With --chart control, the chart of control over time instead.
    """
    import time

    from .briefing import BriefingData, select
    from .export import (
        BriefingRequest,
        animation,
        briefing_page,
        check_gif_path,
        check_writable,
        default_size,
        event_pages,
        format_of,
        open_exporter,
        write_bytes,
        write_pages,
    )
    from .timeline import Selection

    if chart is not None:
        map_only = {
            "--proposal": proposal,
            "--actor": actor,
            "--compare": compare,
            "--compare-date": compare_date,
            "--out-dir": out_dir,
            "--all-events": all_events or None,
            "--animate": animate or None,
        }
        given = [name for name, value in map_only.items() if value is not None]
        if given:
            raise click.UsageError(f"--chart draws no map; leave out {', '.join(given)}")
        if out is None:
            raise click.UsageError("give --out FILE (.png, .svg or .pdf) for the chart")
        _export_chart(
            out,
            fmt,
            date=_day(as_of),
            title=title,
            note=note,
            width=width,
            height=height,
            scale=scale,
        )
        return
    if all_events and animate:
        raise click.UsageError("choose one of --all-events (files) and --animate (a GIF)")
    if all_events:
        if out_dir is None or out is not None:
            raise click.UsageError("--all-events writes into a folder: give --out-dir DIR")
    elif out is None or out_dir is not None:
        raise click.UsageError("give --out FILE (or --all-events with --out-dir DIR)")
    if animate and fmt is not None:
        raise click.UsageError("--animate writes a GIF; leave out --format")
    started = time.perf_counter()
    data = BriefingData.load()
    timeline = data.timeline
    request = BriefingRequest(
        selection=select(timeline, proposal=proposal, actor=actor),
        date=_day(as_of) or timeline.span[1],
        compare=timeline.check(Selection.parse(compare)) if compare else None,
        compare_date=_day(compare_date),
        title=title,
        note=note,
        control=control,
    )
    count = 1
    if animate:
        assert out is not None
        check_gif_path(out)
        size = default_size("gif", width=width, height=height, scale=scale)
        count = len(timeline.events)
        with open_exporter(tabs=2) as exporter, _counter(count, label="Drawing frames") as bar:
            content = animation(
                data,
                request,
                exporter=exporter,
                size=size,
                frame_ms=frame_ms,
                progress=lambda done, total: bar.update(1),
            )
        write_bytes(out, content)
        click.echo(str(out))
    elif all_events:
        assert out_dir is not None
        chosen = format_of(Path(f"x.{fmt or 'png'}"))
        size = default_size(chosen, width=width, height=height, scale=scale)
        out_dir.mkdir(parents=True, exist_ok=True)
        check_writable(out_dir / request.batch_name(chosen))
        count = len(timeline.events)
        with open_exporter(tabs=2) as exporter, _counter(count, label="Drawing") as bar:
            for path in write_pages(
                exporter,
                event_pages(data, request, chosen, size),
                out_dir,
                chosen,
                size,
                total=count,
                progress=lambda done, total: bar.update(1),
            ):
                click.echo(str(path))
    else:
        assert out is not None
        chosen = format_of(out, fmt)
        check_writable(out)
        size = default_size(chosen, width=width, height=height, scale=scale)
        page = briefing_page(data, request, size, name=out.name)
        with open_exporter() as exporter:
            write_bytes(out, exporter.render(page.figure, chosen, size, metadata=page.metadata))
        click.echo(str(out))
    elapsed = time.perf_counter() - started
    unit = "frames" if animate else "file(s)"
    click.echo(f"wrote {count} {unit} in {elapsed:.1f} s", err=True)


def _export_chart(
    out: Path,
    fmt: str | None,
    *,
    date: dt.date | None,
    title: str | None,
    note: str | None,
    width: int | None,
    height: int | None,
    scale: float | None,
) -> None:
    """Write the chart of control over time (``export --chart control``)."""
    import time

    from .briefing import BriefingData, credits
    from .control_chart import (
        CHART_SUBTITLE,
        CHART_TITLE,
        chart_subject,
        control_chart,
        layer_credits,
        load_measures,
        no_chart_reason,
    )
    from .errors import ExportError
    from .export import Metadata, default_size, export_figure, format_of, open_exporter
    from .geodata import load_regions

    started = time.perf_counter()
    chosen = format_of(out, fmt)
    size = default_size(chosen, width=width, height=height, scale=scale)
    data = BriefingData.load()
    regions = load_regions(resolution="full", geodata_dir=data.geodata_dir)
    assert data.geodata_dir is not None
    measures, warnings = load_measures(data.geodata_dir, regions)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    reason = no_chart_reason(measures)
    if reason is not None:
        raise ExportError(f"no chart written: {reason}")
    sources = [*credits(data.boundaries(), None), *layer_credits(measures)]
    said = [
        *([note] if note else []),
        "Shares measured in an equal-area projection on the region boundaries; claims from "
        "the reviewed claims file.",
        *sources,
    ]
    figure = control_chart(
        measures,
        data.timeline.events,
        date=date,
        title=title or CHART_TITLE,
        subtitle=None if title else CHART_SUBTITLE,
        footer=said,
        width=size.width,
        height=size.height,
    )
    metadata = Metadata(
        title=title or CHART_TITLE, subject=chart_subject(measures), credits=" ".join(sources)
    )
    with open_exporter() as exporter:
        export_figure(figure, out, exporter=exporter, metadata=metadata, fmt=chosen, size=size)
    click.echo(str(out))
    click.echo(f"wrote 1 file(s) in {time.perf_counter() - started:.1f} s", err=True)


@main.group()
def users() -> None:
    """Manage who may view and edit: the users file (MAPDASH_USERS or instance/users.toml)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["editor", "viewer"]),
    required=True,
    help="editor: may change the layers; viewer: may only look (with serve --private).",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of a prompt.",
)
def users_add(name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME, or set the role and password of an existing one."""
    from .users import add_user, check_name, users_path

    check_name(name)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Password for {name}", hide_input=True, confirmation_prompt=True, err=True
        )
    record = add_user(name, role=role, password=password)
    click.echo(f"{record.name}: {record.role} in {users_path()}")


@users.command("list")
def users_list() -> None:
    """List the users, their roles and whether they have an API token."""
    from .users import load_users, users_path

    found = load_users()
    if found is None or not found.records:
        click.echo(
            f"no users in {users_path()}; add one with 'mapdash users add NAME --role editor'",
            err=True,
        )
        return
    click.echo(f"{'name':<24}{'role':<8}{'token':<7}created")
    for record in sorted(found.records.values(), key=lambda r: r.name):
        token = "yes" if record.token_hash else "no"
        click.echo(f"{record.name:<24}{record.role:<8}{token:<7}{record.created}")


@users.command("remove")
@click.argument("name")
def users_remove(name: str) -> None:
    """Remove user NAME (and their API token)."""
    from .users import remove_user, users_path

    remove_user(name)
    click.echo(f"removed {name} from {users_path()}")


@users.command("token")
@click.argument("name")
def users_token(name: str) -> None:
    """Issue a bearer token for the API to user NAME (replacing an earlier one); shown once."""
    from .users import issue_token

    click.echo(issue_token(name))
    click.echo(
        "This token is shown once and stored only as a hash; send it as "
        "'Authorization: Bearer TOKEN'.",
        err=True,
    )


@main.command()
@click.option(
    "--loglevel",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="How much the worker logs.",
)
def worker(loglevel: str) -> None:
    """Run a Celery worker for the app's background exports (needs MAPDASH_REDIS_URL)."""
    import os

    from .web import create_app
    from .web.batch import REDIS_ENV, celery_app

    redis_url = os.environ.get(REDIS_ENV)
    if not redis_url:
        raise click.UsageError(
            f"set {REDIS_ENV} to the Redis the web app uses, e.g. "
            f"{REDIS_ENV}=redis://127.0.0.1:6379/0 mapdash worker"
        )
    # Building the app registers its background callbacks as this Celery app's tasks.
    create_app()
    # One job at a time per worker process: each draws with its own headless Chromium.
    celery_app(redis_url).worker_main(["worker", f"--loglevel={loglevel}", "--pool=solo"])


@main.group()
def control() -> None:
    """Control layers from the public sources (the one command that goes online)."""


@control.command("pull")
@click.option(
    "--source",
    type=click.Choice(["deepstate", "archive"]),
    required=True,
    help="deepstate: DeepStateMap.live's history API; archive: the daily archive of its map.",
)
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pull the snapshot nearest this date, YYYY-MM-DD.",
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pull a range: from this date, YYYY-MM-DD, up to --until (default today).",
)
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="With --since: the last date of the range (default today).",
)
@click.option(
    "--every",
    type=click.Choice(["day", "week", "month"]),
    default=None,
    help="With --since: one date a day, a week or a month (default week).",
)
@click.option(
    "--base-url",
    default=None,
    help="Fetch from a mirror (default $MAPDASH_DEEPSTATE_URL or $MAPDASH_ARCHIVE_URL, "
    "else the source itself).",
)
@click.option("--dry-run", is_flag=True, help="Fetch and check, and say what would be installed.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for a connection and for each part of an answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=3,
    show_default=True,
    help="Retries of a failed request, with exponential backoff.",
)
@click.option(
    "--max-gap",
    type=click.IntRange(min=0, max=60),
    default=7,
    show_default=True,
    help="Days a snapshot may be away from the date asked for.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse answers larger than this (default 64 MiB).",
)
def control_pull(
    source: str,
    on: object,
    since: object,
    until: object,
    every: str | None,
    base_url: str | None,
    dry_run: bool,
    timeout: float,
    retries: int,
    max_gap: int,
    max_bytes: int | None,
) -> None:
    """Fetch the control layer nearest each date from a public source and install it.

    Every snapshot goes through the checks of an upload (validation, plausibility) and is
    installed as a new version, with its source, licence, URL and retrieval time recorded.
    """
    from .geodata import DEFAULT_MAX_BYTES
    from .sources import Every, Puller, PullSettings, SourceId, failures, wanted_dates

    if (on is None) == (since is None):
        raise click.UsageError("give --date DATE, or a range with --since DATE")
    if on is not None and (until is not None or every is not None):
        raise click.UsageError("--until and --every go with --since, not with --date")
    step: Every = "day" if every == "day" else "month" if every == "month" else "week"
    dates = wanted_dates(date=_day(on), since=_day(since), until=_day(until), every=step)
    settings = PullSettings(
        timeout=timeout,
        retries=retries,
        max_gap_days=max_gap,
        max_bytes=max_bytes or DEFAULT_MAX_BYTES,
    )
    chosen: SourceId = "deepstate" if source == "deepstate" else "archive"
    outcomes = []
    with Puller(chosen, base_url=base_url, settings=settings, dry_run=dry_run) as puller:
        click.echo(f"pulling {len(dates)} date(s) from {puller.describe()}", err=True)
        plan = puller.plan(dates)
        try:
            with _progress(plan, label="Pulling") as bar:
                for wanted in bar:
                    outcomes.append(puller.pull(wanted))
        finally:
            for outcome in outcomes:
                click.echo("\n".join(outcome.describe()))
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
    click.echo(
        f"{len(outcomes)} date(s): " + ", ".join(f"{n} {kind}" for kind, n in counts.items()),
        err=True,
    )
    failed = failures(outcomes)
    if failed is not None:
        raise failed
