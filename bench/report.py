"""The short Markdown table the README quotes."""

from __future__ import annotations

from typing import Any


def _kb(value: float) -> str:
    return f"{value / 1024:,.1f} KiB"


def _x(value: float | None) -> str:
    return f"{value:.2f}x" if value is not None else "n/a"


def _redrawn(slider: dict[str, Any]) -> str:
    """How many steps plotly redrew the map on (the others were painted in place)."""
    redrawn = slider.get("steps_redrawn")
    return "n/a" if redrawn is None else f"{redrawn} of {slider['steps']}"


def _slider_rows(s: dict[str, Any], r: dict[str, Any]) -> list[str]:
    a, b = s["mapdash"], s["baseline"]
    return [
        f"| slider step to redraw, p50 ({a['steps']} / {b['steps']} steps) "
        f"| {a['p50_ms']:.0f} ms | {b['p50_ms']:.0f} ms | {_x(r.get('slider_p50_ms'))} |",
        f"| slider step to redraw, p95 | {a['p95_ms']:.0f} ms | {b['p95_ms']:.0f} ms "
        f"| {_x(r.get('slider_p95_ms'))} |",
        f"| bytes received per step (gzip) | {_kb(a['bytes_down_per_step'])} "
        f"| {_kb(b['bytes_down_per_step'])} | {_x(r.get('bytes_per_step'))} |",
        f"| callbacks per step; steps that resent geometry | {a['callbacks_per_step']:g}; "
        f"{a['steps_with_geometry']} | {b['callbacks_per_step']:g}; "
        f"{b['steps_with_geometry']} | |",
        f"| steps on which plotly redrew the map | {_redrawn(a)} | {_redrawn(b)} | |",
    ]


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Run {results['when']} on {m['cpu']}, {m['cores_usable']} cores, {m['memory_gb']} GB, "
        f"Python {m['python']}, dash {m['packages']['dash']}, plotly {m['packages']['plotly']}"
        + (f", Chromium {results['browser']['chromium']}" if "browser" in results else "")
        + f"; load average at start {m['load_average_1_5_15'][0]}"
        + (f", at end {results['load_average_end']}" if "load_average_end" in results else "")
        + " (shared machine).",
        "",
        "| benchmark | mapdash | baseline (plain Dash) | baseline / mapdash |",
        "| --- | --- | --- | --- |",
    ]
    r = results.get("ratios", {})
    browser = results.get("browser")
    if browser:
        s, f = browser.get("slider"), browser["first_load"]
        if s:
            lines += _slider_rows(s, r)
        lines += [
            f"| first page load, bytes as sent | {_kb(f['mapdash']['first_load_bytes'])} "
            f"| {_kb(f['baseline']['first_load_bytes'])} | {_x(r.get('first_load_bytes'))} |",
        ]
        if "map_on_screen_ms_p50" in f["mapdash"]:
            lines.append(
                f"| navigation to first map on screen, p50 "
                f"| {f['mapdash']['map_on_screen_ms_p50']:.0f} ms "
                f"| {f['baseline']['map_on_screen_ms_p50']:.0f} ms "
                f"| {_x(r.get('map_on_screen_ms'))} |"
            )
        lines.append(
            f"| navigation to map drawn (Dash's, interactive), p50 "
            f"| {f['mapdash']['map_drawn_ms_p50']:.0f} ms "
            f"| {f['baseline']['map_drawn_ms_p50']:.0f} ms | {_x(r.get('map_drawn_ms'))} |"
        )
    load = results.get("load")
    if load:
        a, b = load.get("mapdash"), load.get("baseline")
        if a and b:
            lines += [
                f"| load: {a['users']} users, gunicorn 2 workers, request p50 / p95 "
                f"| {a['request_p50_ms']:.0f} / {a['request_p95_ms']:.0f} ms "
                f"| {b['request_p50_ms']:.0f} / {b['request_p95_ms']:.0f} ms "
                f"| {_x(r.get('load_request_p50_ms'))} / {_x(r.get('load_request_p95_ms'))} |",
                f"| load: requests, rate, errors | {a['requests']:,} in {a['seconds']:g} s "
                f"({a['requests_per_second']:g}/s), {a['errors']} errors "
                f"| {b['requests']:,} in {b['seconds']:g} s ({b['requests_per_second']:g}/s), "
                f"{b['errors']} errors | |",
            ]
    export = results.get("export")
    if export:
        lines += [
            f"| export PNG {export['png_size']}: cold / warm "
            f"| {export['cold_seconds']:.1f} s / {export['warm_seconds']:.2f} s | | |",
            f"| export batch, all {export['batch_files']} events "
            f"| {export['batch_seconds']:.1f} s ({export['batch_seconds_per_file']:.2f} s each) "
            "| | |",
        ]
    geo = results.get("geojson")
    if geo:
        lines.append(
            f"| load + validate {geo['bytes'] / 1e6:.0f} MB GeoJSON "
            f"({geo['vertices'] / 1e6:.1f} M vertices) | {geo['seconds']:.1f} s, peak RSS "
            f"{geo['peak_rss_mb']:.0f} MB | | |"
        )
    ext = results.get("extraction")
    if ext:
        cpu = ext.get("extract_articles_per_cpu_second")
        lines.append(
            f"| extraction, {ext['articles']:,} generated articles "
            f"| {ext['extract_articles_per_second']:.0f} articles/s "
            f"({ext['end_to_end_articles_per_second']:.0f}/s with loading"
            + (f"; {cpu:.0f}/s of CPU time" if cpu else "")
            + ") | | |"
        )
        dev = (ext.get("dev_corpus") or {}).get("total")
        if dev:
            lines.append(
                f"| extraction, dev corpus ({len(ext['dev_corpus']['articles'])} real articles, "
                f"{dev['gold']} gold claims, {dev['core']} core) "
                f"| precision {dev['precision']:.2f} ({dev['matched']}/{dev['candidates']}), "
                f"recall {dev['recall']:.2f}, core recall {dev['core_recall']:.2f} "
                f"({dev['core_matched']}/{dev['core']}) | | |"
            )
    carried = results.get("carried_over")
    if carried:
        lines += [
            "",
            "Rows of "
            + ", ".join(sorted(carried))
            + " are from the run of "
            + ", ".join(sorted(set(carried.values())))
            + ".",
        ]
    return "\n".join(lines) + "\n"
