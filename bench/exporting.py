"""Export timings: one briefing PNG cold (Chromium starting) and warm, and a batch of all events.

Through the library the ``mapdash export`` command uses: ``make_briefing`` and
``briefing_figure`` build the figure, ``Exporter`` (kaleido with Debian's Chromium) draws it at
the default 1920x1080, scale 2. The batch mirrors ``--all-events``: one browser, two tabs, every
figure submitted before waiting.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from mapdash.briefing import BriefingData, make_briefing
from mapdash.briefing_page import briefing_figure
from mapdash.export import Exporter, default_size
from mapdash.timeline import Selection

SELECTION = Selection("proposal", "ru-2025-08-06-donbas")
WARM_REPEATS = 3


def run_export() -> dict[str, Any]:
    data = BriefingData.load()
    timeline = data.timeline
    size = default_size("png")
    selection = timeline.check(SELECTION)

    def figure(day: Any) -> Any:
        briefing = make_briefing(timeline, data.articles, selection, day)
        return briefing_figure(
            briefing, data.regions, data.context, width=size.width, height=size.height
        )

    last = timeline.span[1]
    start = time.perf_counter()
    with Exporter() as exporter:
        cold_png = exporter.render(figure(last), "png", size)
        cold = time.perf_counter() - start
        warm = []
        for _ in range(WARM_REPEATS):
            t = time.perf_counter()
            exporter.render(figure(last), "png", size)
            warm.append(time.perf_counter() - t)
    days = [event.date for event in timeline.events]
    start = time.perf_counter()
    with Exporter(tabs=2) as exporter:
        pending = [exporter.submit(figure(day), "png", size) for day in days]
        files = [exporter.result(future) for future in pending]
    batch = time.perf_counter() - start
    return {
        "png_size": f"{size.width}x{size.height}@{size.scale:g}",
        "png_bytes": len(cold_png),
        "cold_seconds": round(cold, 2),
        "warm_seconds": round(statistics.median(warm), 2),
        "batch_files": len(files),
        "batch_seconds": round(batch, 2),
        "batch_seconds_per_file": round(batch / len(files), 2),
    }
