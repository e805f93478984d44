"""What the dashboard shows, as one value that round-trips through the URL's query string.

``?date=2025-08-10&sel=actor:russia&compare=proposal:us-april-2025&date2=2025-02-18``: the left
map shows ``sel`` at ``date``; in compare mode the right map shows ``compare`` (or ``sel``) at
``date2`` (or ``date``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import parse_qs, urlencode

from ..errors import DateError, MapdashError
from ..timeline import Selection, Timeline

Step = Literal["previous", "next"]


@dataclass(frozen=True)
class View:
    """The state of the dashboard: date, selection, and what it is compared with."""

    date: dt.date
    selection: Selection
    compare: Selection | None = None
    compare_date: dt.date | None = None

    @property
    def comparing(self) -> bool:
        """Whether two maps are shown."""
        return self.compare is not None or self.compare_date is not None

    @property
    def right(self) -> tuple[Selection, dt.date]:
        """Selection and date of the second map."""
        return self.compare or self.selection, self.compare_date or self.date

    def query(self) -> str:
        """Return the query string (with its leading ``?``) that reopens this view."""
        params = {"date": self.date.isoformat(), "sel": self.selection.token}
        if self.compare is not None:
            params["compare"] = self.compare.token
        if self.compare_date is not None:
            params["date2"] = self.compare_date.isoformat()
        return "?" + urlencode(params, safe=":")


def default_view(timeline: Timeline) -> View:
    """Russia's latest position at the last event: the question most users open with."""
    return View(date=timeline.span[1], selection=Selection("actor", "russia"))


def parse_date(value: str, *, name: str = "date") -> dt.date:
    """Read a YYYY-MM-DD date given as the URL parameter ``name``.

    Raises
    ------
    DateError
        If it is not such a date.
    """
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DateError(
            f"URL parameter {name}={value!r} is not a date; expected YYYY-MM-DD, e.g. 2025-08-10"
        ) from None


def parse_query(search: str | None, timeline: Timeline) -> View:
    """Read a view from a query string; missing parameters take the default view's values.

    Raises
    ------
    DateError
        If a date parameter is malformed.
    SelectionError
        If a selection parameter is malformed or names an unknown actor or proposal.
    """
    view = default_view(timeline)
    params = {key: values[-1] for key, values in parse_qs((search or "").lstrip("?")).items()}
    if "date" in params:
        view = replace(view, date=parse_date(params["date"]))
    # ``selection`` is the JSON API's name for it: an API query opens the same view here.
    selection = params.get("sel", params.get("selection"))
    if selection is not None:
        view = replace(view, selection=timeline.check(Selection.parse(selection)))
    if "compare" in params:
        view = replace(view, compare=timeline.check(Selection.parse(params["compare"])))
    if "date2" in params:
        view = replace(view, compare_date=parse_date(params["date2"], name="date2"))
    return view


def read_query(search: str | None, timeline: Timeline) -> tuple[View, str | None]:
    """Like :func:`parse_query`, but a bad URL gives the default view and the reason."""
    try:
        return parse_query(search, timeline), None
    except MapdashError as err:
        return default_view(timeline), f"{err}. Showing the default view instead."


def step(view: View, timeline: Timeline, direction: Step) -> View:
    """Move to the previous or next event; stays put at either end."""
    dates = [event.date for event in timeline.events]
    if direction == "next":
        later = [d for d in dates if d > view.date]
        return replace(view, date=later[0]) if later else view
    earlier = [d for d in dates if d < view.date]
    return replace(view, date=earlier[-1]) if earlier else view


def at_event(view: View, timeline: Timeline, index: int) -> View:
    """Move to the event with this slider index (clamped to the events there are)."""
    events = timeline.events
    index = min(max(index, 0), len(events) - 1)
    return replace(view, date=events[index].date)


def is_last(view: View, timeline: Timeline) -> bool:
    """Whether no event comes after the view's date (the play control stops there)."""
    return all(event.date <= view.date for event in timeline.events)
