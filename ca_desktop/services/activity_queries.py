"""Queries behind the Activities table: filtered, SQL-sorted key lists and batched rows.

The table holds only the integer keys (`activity.num`) of the rows that match, in display
order, and asks for the content of a few hundred rows at a time as the user scrolls, so
100,000 activities cost one list of integers, not 100,000 objects. Full-text search goes
through the FTS5 index (`activity_fts`, the same one `CaDesktop.search_activity_ids` uses)
and combines with the filters and the chosen sort order in one SQL statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import sqlite

_PEOPLE = " + ".join(f"COALESCE(a.{f}, 0)" for f in PARTICIPANT_FIELDS)
_WOMEN = "COALESCE(a.female_youth, 0) + COALESCE(a.female_other, 0)"
_YOUTH = " + ".join(f"COALESCE(a.{f}, 0)" for f in PARTICIPANT_FIELDS if f.endswith("_youth"))

# Sort keys the table offers, each an SQL expression; `a.num` breaks ties so the order is
# stable (rows do not jump between two refreshes).
SORT_KEYS: dict[str, str] = {
    "start_date": "a.start_date",
    "title": "a.title COLLATE NOCASE",
    "type": "a.type",
    "level": "a.level",
    "place": "p.name COLLATE NOCASE",
    "programme": "g.code",
    "status": "a.status",
    "people": f"({_PEOPLE})",
    "women": f"({_WOMEN})",
    "youth": f"({_YOUTH})",
    "updated": "a.updated_hlc",
}
_JOINS = "LEFT JOIN place p ON p.id = a.place_id LEFT JOIN programme g ON g.id = a.programme_id"


@dataclass(frozen=True)
class ActivityFilter:
    """What the user narrowed the list to; empty fields do not filter."""

    programme_id: str | None = None
    level: str | None = None
    type: str | None = None
    theme: str | None = None
    status: str | None = None
    date_from: str | None = None  # ISO dates, inclusive
    date_to: str | None = None
    place_id: str | None = None  # includes places inside it (a city's settlements)
    search: str = ""

    @property
    def is_empty(self) -> bool:
        return self == ActivityFilter()


@dataclass(frozen=True)
class ActivityRow:
    """One line of the Activities table."""

    num: int
    id: str
    start_date: str
    title: str
    type: str
    level: str
    status: str
    place: str
    programme: str
    themes: tuple[str, ...]
    people: int
    women: int
    youth: int
    updated_by: str


def search_query(words: str) -> str:
    """The FTS5 query for what the user typed: every word, the last one as a prefix.

    A last "word" of one character is matched whole, not as a prefix: "w" would match
    most of the database (slow, and useless as a search) while the user is still typing.
    """
    query = sqlite.fts_query(words)
    if query.endswith("*") and len(words.split()[-1]) < 2:
        query = query[:-1]
    return query


def _where(f: ActivityFilter) -> tuple[str, dict[str, Any]]:
    clauses = ["a.deleted = 0"]
    params: dict[str, Any] = {}
    for column in ("programme_id", "level", "type", "status"):
        value = getattr(f, column)
        if value:
            clauses.append(f"a.{column} = :{column}")
            params[column] = value
    if f.theme:
        # themes are stored comma-separated; pad with commas so "gender" never matches a
        # longer code that merely contains it.
        clauses.append("(',' || a.themes || ',') LIKE :theme")
        params["theme"] = f"%,{f.theme},%"
    if f.date_from:
        clauses.append("a.start_date >= :date_from")
        params["date_from"] = f.date_from
    if f.date_to:
        clauses.append("a.start_date <= :date_to")
        params["date_to"] = f.date_to
    if f.place_id:
        clauses.append(
            "a.place_id IN (WITH RECURSIVE inside(id) AS (SELECT :place_id UNION "
            "SELECT c.id FROM place c JOIN inside ON c.parent_id = inside.id) "
            "SELECT id FROM inside)"
        )
        params["place_id"] = f.place_id
    query = search_query(f.search)
    if query:
        clauses.append("a.num IN (SELECT rowid FROM activity_fts WHERE activity_fts MATCH :q)")
        params["q"] = query
    return " AND ".join(clauses), params


def activity_keys(
    app: CaDesktop,
    filters: ActivityFilter = ActivityFilter(),
    sort: str = "start_date",
    descending: bool = True,
) -> list[int]:
    """The `num` of every activity matching `filters`, in display order."""
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    where, params = _where(filters)
    direction = "DESC" if descending else "ASC"
    needs_join = sort in ("place", "programme")
    sql = (
        f"SELECT a.num FROM activity a {_JOINS if needs_join else ''} WHERE {where} "
        f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction}"
    )
    with app.db.engine.connect() as conn:
        # The driver's own cursor: 100,000 plain tuples cost half of what result rows do,
        # and this list is what the table waits for.
        driver = conn.connection.driver_connection
        assert driver is not None
        return [row[0] for row in driver.execute(sql, params)]


def count_activities(app: CaDesktop, filters: ActivityFilter = ActivityFilter()) -> int:
    """How many activities match `filters`."""
    where, params = _where(filters)
    with app.db.engine.connect() as conn:
        return int(
            conn.execute(text(f"SELECT count(*) FROM activity a WHERE {where}"), params).scalar()
            or 0
        )


def fetch_rows(app: CaDesktop, keys: Sequence[int]) -> dict[int, ActivityRow]:
    """The table lines for `keys` (deleted or missing ones are left out)."""
    if not keys:
        return {}
    binds = ", ".join(f":k{i}" for i in range(len(keys)))
    sql = (
        "SELECT a.num, a.id, a.start_date, a.title, a.type, a.level, a.status, "
        f"COALESCE(p.name, ''), COALESCE(g.code, ''), a.themes, {_PEOPLE}, {_WOMEN}, {_YOUTH}, "
        f"a.updated_by FROM activity a {_JOINS} WHERE a.num IN ({binds})"
    )
    with app.db.engine.connect() as conn:
        rows = conn.execute(text(sql), {f"k{i}": k for i, k in enumerate(keys)}).all()
    return {
        r[0]: ActivityRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            tuple(t for t in (r[9] or "").split(",") if t),
            r[10],
            r[11],
            r[12],
            r[13] or "",
        )
        for r in rows
    }


def key_of(app: CaDesktop, record_id: str) -> int | None:
    """The table key of an activity id (to select a row after saving)."""
    with app.db.engine.connect() as conn:
        value = conn.execute(
            text("SELECT num FROM activity WHERE id = :id"), {"id": record_id}
        ).scalar()
    return int(value) if value is not None else None


def place_choices(app: CaDesktop) -> list[tuple[str, str]]:
    """(id, "Settlement, City") for every place, for the place filter, sorted by label."""
    with app.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.id, c.name, c.kind, p.name FROM place c "
                "LEFT JOIN place p ON p.id = c.parent_id WHERE c.deleted = 0"
            )
        ).all()
    choices = [
        (rid, f"{name}, {parent}" if parent and kind != "country" else name)
        for rid, name, kind, parent in rows
    ]
    return sorted(choices, key=lambda c: c[1].casefold())
