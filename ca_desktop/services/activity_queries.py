"""Queries behind the Activities table: pages of rows in SQL order, counts, keys.

The table asks for a page of rows at a time as the user scrolls, so 100,000 activities
cost a few hundred rows, not 100,000 objects. Full-text search goes through the FTS5
index (`activity_fts`, the same one `CaDesktop.search_activity_ids` uses) and combines
with the filters and the chosen sort order in one SQL statement (`store/activity_sql.py`).

Pages and counts are read from an open app, or, before the storage stack is loaded, from
the lean read path (`QuickReads`): the same SQL either way. This module imports neither
SQLAlchemy nor the app, so the window's first rows need neither.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ca_desktop.services.quick_reads import QuickReads
from ca_desktop.store import activity_sql
from ca_desktop.store.activity_sql import BOUNDED_MATCHES as BOUNDED_MATCHES
from ca_desktop.store.activity_sql import COUNTED_MATCHES as COUNTED_MATCHES
from ca_desktop.store.activity_sql import SORT_KEYS as SORT_KEYS
from ca_desktop.store.activity_sql import ActivityFilter as ActivityFilter
from ca_desktop.store.activity_sql import Run
from ca_desktop.store.activity_sql import counted_every_match as counted_every_match
from ca_desktop.store.activity_sql import listed as listed
from ca_desktop.store.activity_sql import lists_every_match as lists_every_match
from ca_desktop.store.activity_sql import search_query as search_query

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop

T = TypeVar("T")

NO_FILTER = ActivityFilter()  # every live activity


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
    heads: int = 1  # more than one: two versions wait in conflict review


def _read(app: CaDesktop | QuickReads, query: Callable[[Run, bool], T]) -> T:
    """`query(run, server)` through the lean reads (a laptop's file) or the open app's
    connection (`server`: the records live on a PostgreSQL server)."""
    if isinstance(app, QuickReads):
        return app.read(lambda run: query(run, False))
    from ca_desktop.store.activity_queries import runner

    with app.db.engine.connect() as conn:
        return query(runner(conn), app.on_server)


def activity_keys(
    app: CaDesktop,
    filters: ActivityFilter = NO_FILTER,
    sort: str = "start_date",
    descending: bool = True,
) -> list[int]:
    """The `num` of every activity matching `filters`, in display order."""
    from ca_desktop.store import activity_queries as sql

    with app.db.engine.connect() as conn:
        return sql.activity_keys(conn, filters, sort, descending)


def count_activities(app: CaDesktop | QuickReads, filters: ActivityFilter = NO_FILTER) -> int:
    """How many activities match `filters`."""
    return _read(app, lambda run, server: activity_sql.count_activities(run, filters, server))


def activity_page(
    app: CaDesktop | QuickReads,
    filters: ActivityFilter = NO_FILTER,
    sort: str = "start_date",
    descending: bool = True,
    offset: int = 0,
    limit: int = 300,
) -> list[ActivityRow]:
    """`limit` table lines from `offset`, in display order: what the table fetches as the
    user scrolls, instead of every matching key at once."""
    rows = _read(
        app,
        lambda run, server: activity_sql.activity_page(
            run, filters, sort, descending, offset, limit, server
        ),
    )
    return [_row(r) for r in rows]


def fetch_rows(app: CaDesktop, keys: Sequence[int]) -> dict[int, ActivityRow]:
    """The table lines for `keys` (deleted or missing ones are left out)."""
    if not keys:
        return {}
    from ca_desktop.store import activity_queries as sql

    with app.db.engine.connect() as conn:
        rows = sql.activity_rows(conn, keys)
    return {r[0]: _row(r) for r in rows}


def _row(r: Sequence[Any]) -> ActivityRow:
    return ActivityRow(
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
        int(r[14] or 1),
    )


def key_of(app: CaDesktop, record_id: str) -> int | None:
    """The table key of an activity id (to select a row after saving)."""
    from ca_desktop.store import activity_queries as sql

    with app.db.engine.connect() as conn:
        return sql.activity_key(conn, record_id)


def place_choices(app: CaDesktop) -> list[tuple[str, str]]:
    """(id, "Settlement, City") for every place, for the place filter, sorted by label."""
    from ca_desktop.store import activity_queries as sql

    with app.db.engine.connect() as conn:
        rows = sql.live_places(conn)
    choices = [
        (rid, f"{name}, {parent}" if parent and kind != "country" else name)
        for rid, name, kind, parent in rows
    ]
    return sorted(choices, key=lambda c: c[1].casefold())


def fullest_activity_id(app: CaDesktop) -> str | None:
    """An activity that shows the editor well (the longest register), for screenshots."""
    from ca_desktop.store import activity_queries as sql

    with app.db.engine.connect() as conn:
        return sql.fullest_activity_id(conn)
