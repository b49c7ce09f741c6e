"""The Activities table's SQL: filtered, sorted key lists, batched rows, the place filter.

`ActivityFilter` describes what the user narrowed the list to; these functions turn it into
one SQL statement each (full-text search through the FTS5 index `activity_fts` included)
and return plain tuples. The services layer (`services/activity_queries.py`) shapes them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.store import backend, sqlite

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
UNINDEXED_SORTS = ("place", "programme")  # names in other tables: no index on activity
# From this many search matches on, a page walks the sort index and keeps the rows that
# match (it meets 300 of them soon) instead of fetching and sorting every match: 5-7x
# faster for a common word at 100,000 activities, slower for a rare one.
WALK_ORDER_MATCHES = 3000
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
    # Only these activities (a report's drill-down); None: no such limit.
    ids: tuple[str, ...] | None = None

    @property
    def is_empty(self) -> bool:
        return self == ActivityFilter()


# A search whose last word is one letter ("w") matches it as a prefix, like any other,
# but only among the newest BOUNDED_MATCHES activities that match: "w*" alone matches most
# of the database, and gathering 200,000 matches to sort them would cost every keystroke
# half a second. A second letter searches everything again.
BOUNDED_MATCHES = 1000


def search_query(words: str, conn: Connection | None = None) -> str:
    """The search text for what the user typed: every word, the last one as a prefix
    (FTS5's syntax, or on a server `conn` PostgreSQL's tsquery)."""
    return backend.fts_query(conn, words) if conn is not None else sqlite.fts_query(words)


def search_is_bounded(words: str) -> bool:
    """Whether a search looks only at the newest BOUNDED_MATCHES matches (see above)."""
    tokens = words.split()
    return bool(tokens) and len(tokens[-1]) < 2


def _where(
    conn: Connection, f: ActivityFilter, walk_order: bool = False
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause for `f`. `walk_order`: test the search matches while walking the
    sort index (see `activity_page`) instead of fetching each match by rowid."""
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
    if f.ids is not None:
        clauses.append("a.id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = json.dumps(list(f.ids))
    query = search_query(f.search, conn)
    if query:
        # The FTS rowid is the activity's num: newest first is a walk down its doclists.
        bound = f" LIMIT {BOUNDED_MATCHES}" if search_is_bounded(f.search) else ""
        plus = "+" if walk_order else ""  # unary +: not a rowid lookup, a filter
        clauses.append(f"{plus}a.num IN ({backend.fts_matches(conn, bound)})")
        params["q"] = query
    return " AND ".join(clauses), params


def activity_keys(
    conn: Connection,
    filters: ActivityFilter = ActivityFilter(),
    sort: str = "start_date",
    descending: bool = True,
) -> list[int]:
    """The `num` of every activity matching `filters`, in display order."""
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    where, params = _where(conn, filters)
    direction = "DESC" if descending else "ASC"
    needs_join = sort in ("place", "programme")
    sql = (
        f"SELECT a.num FROM activity a {_JOINS if needs_join else ''} WHERE {where} "
        f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction}"
    )
    if backend.on_server(conn):
        return [row[0] for row in conn.execute(text(sql), params)]
    # The driver's own cursor: 100,000 plain tuples cost half of what result rows do,
    # and this list is what the table waits for.
    driver = conn.connection.driver_connection
    assert driver is not None
    return [row[0] for row in driver.execute(sql, params)]


def count_activities(conn: Connection, filters: ActivityFilter = ActivityFilter()) -> int:
    """How many activities match `filters`."""
    query = search_query(filters.search, conn)
    if query and filters == ActivityFilter(search=filters.search):
        # Search alone: the index holds exactly the live activities (its triggers add a
        # row only while deleted = 0), so counting its matches is enough — 2-30 ms where
        # joining them to the table took 100-460 ms for a common word at 300,000.
        matches = conn.execute(
            text(f"SELECT count(*) FROM ({backend.fts_matches(conn)}) m"), {"q": query}
        ).scalar()
        n = int(matches or 0)
        return min(n, BOUNDED_MATCHES) if search_is_bounded(filters.search) else n
    where, params = _where(conn, filters)
    return int(
        conn.execute(text(f"SELECT count(*) FROM activity a WHERE {where}"), params).scalar() or 0
    )


def activity_page(
    conn: Connection,
    filters: ActivityFilter,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """`limit` table lines from `offset` in display order (the columns of `activity_rows`).

    Every sort key but place and programme (names in other tables) has an index that
    matches its order (0012), so a page is a short index walk, not a sort of every match;
    those two are walked one name at a time (`activity_grouped.py`).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    where, params = _where(conn, filters, _walk_order(conn, filters, sort))
    if sort in UNINDEXED_SORTS:  # by a name in another table: walked name by name
        from ca_desktop.store.activity_grouped import grouped_page

        select = f"{_ROW_COLUMNS} FROM activity a {_JOINS}"
        return grouped_page(conn, select, where, params, sort, descending, offset, limit)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"{_ROW_COLUMNS} FROM activity a {_JOINS} WHERE {where} "
        f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction} "
        "LIMIT :limit OFFSET :offset"
    )
    params.update(limit=int(limit), offset=int(offset))
    return [tuple(r) for r in conn.execute(text(sql), params).all()]


def _walk_order(conn: Connection, f: ActivityFilter, sort: str) -> bool:
    query = search_query(f.search, conn)
    if not query or search_is_bounded(f.search) or sort in UNINDEXED_SORTS:
        return False
    matches = conn.execute(
        text(f"SELECT count(*) FROM ({backend.fts_matches(conn)}) m"), {"q": query}
    ).scalar()
    return int(matches or 0) >= WALK_ORDER_MATCHES


_ROW_COLUMNS = (
    "SELECT a.num, a.id, a.start_date, a.title, a.type, a.level, a.status, "
    f"COALESCE(p.name, ''), COALESCE(g.code, ''), a.themes, {_PEOPLE}, {_WOMEN}, {_YOUTH}, "
    "a.updated_by, a.heads"
)


def activity_rows(conn: Connection, keys: Sequence[int]) -> list[tuple[Any, ...]]:
    """For each of `keys` still present: (num, id, start_date, title, type, level, status,
    place name, programme code, themes text, people, women, youth, updated_by, heads)."""
    if not keys:
        return []
    binds = ", ".join(f":k{i}" for i in range(len(keys)))
    sql = f"{_ROW_COLUMNS} FROM activity a {_JOINS} WHERE a.num IN ({binds})"
    rows = conn.execute(text(sql), {f"k{i}": k for i, k in enumerate(keys)}).all()
    return [tuple(r) for r in rows]


def activity_key(conn: Connection, record_id: str) -> int | None:
    """The table key (`num`) of an activity id."""
    value = conn.execute(
        text("SELECT num FROM activity WHERE id = :id"), {"id": record_id}
    ).scalar()
    return int(value) if value is not None else None


def live_places(conn: Connection) -> list[tuple[str, str, str, str | None]]:
    """(id, name, kind, parent's name) of every live place."""
    rows = conn.execute(
        text(
            "SELECT c.id, c.name, c.kind, p.name FROM place c "
            "LEFT JOIN place p ON p.id = c.parent_id WHERE c.deleted = 0"
        )
    ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def fullest_activity_id(conn: Connection) -> str | None:
    """The live activity with the longest attendance register, else the newest one."""
    value = (
        conn.execute(
            text(
                "SELECT a.id FROM activity a JOIN attendance_entry e ON e.activity_id = a.id "
                "WHERE a.deleted = 0 AND e.deleted = 0 GROUP BY a.id ORDER BY count(*) DESC "
                "LIMIT 1"
            )
        ).scalar()
        or conn.execute(
            text("SELECT id FROM activity WHERE deleted = 0 ORDER BY start_date DESC LIMIT 1")
        ).scalar()
    )
    return str(value) if value else None
