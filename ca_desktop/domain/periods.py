"""Reporting periods and the scope of a report: plain values shared by store and reports.

A period is typed by people ("2026Q3", "2026", "2026-08", "2026-07..2026-09"), so parsing
refuses anything else with one clear message and never guesses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$", re.ASCII)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)


@dataclass(frozen=True)
class Period:
    """Dates from `start` to `end`, both included (ISO strings)."""

    start: str
    end: str
    text: str  # as the user typed it, normalised: "2026Q3", "2026", "2026-08", "a..b"

    def contains(self, iso_date: str) -> bool:
        return self.start <= iso_date[:10] <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _bound(text: str, end: bool) -> dt.date:
    """A range end: a day, a month (its first or last day) or a year."""
    if m := _DAY.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        return _month_end(year, month) if end else dt.date(year, month, 1)
    if m := _YEAR.match(text):
        return dt.date(int(m[1]), 12, 31) if end else dt.date(int(m[1]), 1, 1)
    raise ValueError(text)


def parse_period(text: str) -> Period:
    """ "2026Q3", "2026", "2026-08" or a range "2026-07..2026-09" (days, months or years).

    Raises ValueError with a sentence a person can act on.
    """
    raw = text.strip()
    if len(raw) > 40:  # typed by a person; anything longer is not a period
        raise ValueError(
            f"not a period: {raw[:40]!r}… (use 2026Q3, 2026, 2026-08 or 2026-07..2026-09)"
        )
    try:
        if m := _QUARTER.match(raw):
            year, q = int(m[1]), int(m[2])
            start = dt.date(year, 3 * q - 2, 1)
            return Period(start.isoformat(), _month_end(year, 3 * q).isoformat(), f"{year}Q{q}")
        if _YEAR.match(raw):
            return Period(f"{raw}-01-01", f"{raw}-12-31", raw)
        if _MONTH.match(raw):
            first = _bound(raw, end=False)
            return Period(first.isoformat(), _bound(raw, end=True).isoformat(), raw)
        if ".." in raw:
            left, right = (part.strip() for part in raw.split("..", 1))
            start, end = _bound(left, end=False), _bound(right, end=True)
            if end < start:
                raise ValueError(f"period {raw!r} ends before it starts")
            return Period(start.isoformat(), end.isoformat(), f"{left}..{right}")
    except ValueError as exc:
        if "ends before" in str(exc):
            raise
    raise ValueError(f"not a period: {raw[:40]!r} (use 2026Q3, 2026, 2026-08 or 2026-07..2026-09)")


def quarter_of(iso_date: str) -> str:
    """ "2026-08-14" -> "2026Q3"."""
    return f"{iso_date[:4]}Q{(int(iso_date[5:7]) + 2) // 3}"


@dataclass(frozen=True)
class Scope:
    """Which records a report counts. None means "any"; ids are record ids.

    `place_ids` is the resolved set of places (a city or settlement filter, or a country,
    expanded through `place.parent_id` by the reports layer); None means any place.
    """

    period: Period | None = None
    programme_id: str | None = None
    place_ids: frozenset[str] | None = None
    level: str | None = None
    theme: str | None = None
    type: str | None = None
