"""Shared pieces of the property tests that throw random input at the readers."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mapdash.errors import MapdashError

T = TypeVar("T")

#: Examples per property: enough to find crashes, few enough for a 2-core machine.
FUZZ = settings(
    max_examples=60,
    deadline=None,  # the hard time limit below interrupts a hang; a deadline only reports
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
#: A reader that takes longer than this on a small input is treated as hanging.
HANG_SECONDS = 10


class Hang(Exception):
    """A reader ran past HANG_SECONDS."""


@contextlib.contextmanager
def hard_time_limit(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Interrupt the block (SIGALRM) if it runs longer than ``seconds``."""

    def interrupt(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def loads_or_refuses(read: Callable[[], T]) -> T | MapdashError:
    """Run a reader: it must return, or raise the project's own error with a message.

    Any other exception (and a hang) propagates and fails the test.
    """
    with hard_time_limit():
        try:
            return read()
        except MapdashError as err:
            assert str(err).strip(), "a MapdashError without a message"
            return err


def mutate(data: bytes, draw: Callable[[st.SearchStrategy[Any]], Any]) -> bytes:
    """Apply one to four random edits: delete, duplicate, overwrite or insert bytes."""
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = min(len(data), start + draw(st.integers(1, 64)))
        kind = draw(st.sampled_from(["delete", "duplicate", "overwrite", "insert"]))
        if kind == "delete":
            data = data[:start] + data[end:]
        elif kind == "duplicate":
            data = data[:end] + data[start:end] + data[end:]
        else:
            noise = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=16),
                    st.sampled_from(
                        [b"{", b"}", b"[", b"]", b",", b":", b'"', b"null", b"-1e999", b"NaN"]
                    ),
                )
            )
            tail = data[end:] if kind == "overwrite" else data[start:]
            data = data[:start] + noise + tail
    return data


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
