"""Load test: simulated users driving the slider callbacks of a gunicorn server on loopback.

Each user replays slider steps recorded from the real page in headless Chromium: the exact
``/_dash-update-component`` requests a key press caused, in order, each after the previous one
answered (as the browser does, since one callback's output feeds the next). Between steps a user
pauses about a second, as a person stepping through dates would. The run is bounded in time and
in requests. Latency is measured per request and per step; an error is any answer but 200, a
timeout or a connection failure.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from .browser import percentile

THINK_SECONDS = (0.5, 1.5)
REQUEST_TIMEOUT = 10.0


@dataclass
class Tally:
    request_ms: list[float] = field(default_factory=list)
    step_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0


async def _user(
    client: httpx.AsyncClient,
    url: str,
    steps: list[list[str]],
    tally: Tally,
    *,
    deadline: float,
    max_requests: int,
    rng: random.Random,
) -> None:
    # Users start spread over the first think time, not all in the same millisecond.
    await asyncio.sleep(rng.uniform(0, THINK_SECONDS[1]))
    while time.monotonic() < deadline and tally.requests < max_requests:
        bodies = rng.choice(steps)
        step_start = time.perf_counter()
        ok = True
        for body in bodies:
            tally.requests += 1
            start = time.perf_counter()
            try:
                response = await client.post(
                    url,
                    content=body,
                    headers={"Content-Type": "application/json", "Accept-Encoding": "gzip"},
                )
                await response.aread()
                if response.status_code not in (200, 204):
                    tally.errors.append(f"HTTP {response.status_code}")
                    ok = False
            except httpx.HTTPError as err:
                tally.errors.append(type(err).__name__)
                ok = False
            tally.request_ms.append((time.perf_counter() - start) * 1000)
            if not ok:
                break
        if ok:
            tally.step_ms.append((time.perf_counter() - step_start) * 1000)
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))


async def _run(
    base_url: str, steps: list[list[str]], *, users: int, seconds: float, max_requests: int
) -> tuple[Tally, float]:
    tally = Tally()
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    timeout = httpx.Timeout(REQUEST_TIMEOUT)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(
                _user(
                    client,
                    base_url + "/_dash-update-component",
                    steps,
                    tally,
                    deadline=deadline,
                    max_requests=max_requests,
                    rng=random.Random(seed),
                )
                for seed in range(users)
            )
        )
        elapsed = time.monotonic() - started
    return tally, elapsed


def load_test(
    base_url: str,
    steps: list[list[str]],
    *,
    users: int = 50,
    seconds: float = 20.0,
    max_requests: int = 20_000,
) -> dict[str, Any]:
    """Run ``users`` simulated users for ``seconds``; return latency percentiles and errors."""
    usable = [bodies for bodies in steps if bodies]
    if not usable:
        raise RuntimeError("no recorded slider steps to replay")
    tally, elapsed = asyncio.run(
        _run(base_url, usable, users=users, seconds=seconds, max_requests=max_requests)
    )
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(tally.request_ms),
        "requests_per_second": round(len(tally.request_ms) / elapsed, 1),
        "steps": len(tally.step_ms),
        "callbacks_per_step": round(statistics.fmean(len(b) for b in usable), 2),
        "request_p50_ms": round(percentile(tally.request_ms, 50), 1),
        "request_p95_ms": round(percentile(tally.request_ms, 95), 1),
        "step_p50_ms": round(percentile(tally.step_ms, 50), 1) if tally.step_ms else None,
        "step_p95_ms": round(percentile(tally.step_ms, 95), 1) if tally.step_ms else None,
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors)),
    }
