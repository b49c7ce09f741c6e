"""The Activities table's queries on an open app's connection.

The SQL itself is built in `store/activity_sql.py` (shared with the lean start path,
`store/lean_reads.py`); this module runs it through SQLAlchemy and adds the queries only
an open app needs (the ids of a page, the place filter's choices). Plain tuples out; the
services layer (`services/activity_queries.py`) shapes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.store import activity_sql, backend
from ca_desktop.store.activity_sql import BOUNDED_MATCHES as BOUNDED_MATCHES
from ca_desktop.store.activity_sql import JOINS as _JOINS
from ca_desktop.store.activity_sql import ROW_COLUMNS as _ROW_COLUMNS
from ca_desktop.store.activity_sql import SORT_KEYS as SORT_KEYS
from ca_desktop.store.activity_sql import ActivityFilter as ActivityFilter
from ca_desktop.store.activity_sql import Run
from ca_desktop.store.activity_sql import search_query as search_query

NO_FILTER = ActivityFilter()


def runner(conn: Connection) -> Run:
    """`activity_sql`'s `run` over this connection."""
    return lambda sql, params: [tuple(r) for r in conn.execute(text(sql), params).all()]


def activity_keys(
    conn: Connection,
    filters: ActivityFilter = NO_FILTER,
    sort: str = "start_date",
    descending: bool = True,
) -> list[int]:
    """The `num` of every listed activity matching `filters`, in display order."""
    if backend.on_server(conn):
        return activity_sql.activity_keys(runner(conn), filters, sort, descending, server=True)
    # The driver's own cursor: 100,000 plain tuples cost half of what result rows do,
    # and this list is what the table waits for.
    driver = conn.connection.driver_connection
    assert driver is not None
    return activity_sql.activity_keys(
        lambda sql, params: driver.execute(sql, params).fetchall(), filters, sort, descending
    )


def count_activities(conn: Connection, filters: ActivityFilter = NO_FILTER) -> int:
    """How many activities match `filters`."""
    return activity_sql.count_activities(runner(conn), filters, backend.on_server(conn))


def activity_page(
    conn: Connection,
    filters: ActivityFilter,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """`limit` table lines from `offset` in display order (see `activity_sql`)."""
    server = backend.on_server(conn)
    return activity_sql.activity_page(
        runner(conn), filters, sort, descending, offset, limit, server
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
