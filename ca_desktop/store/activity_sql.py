"""The Activities table's SQL, built once and run by either read path.

`ActivityFilter` describes what the user narrowed the list to; the functions here turn it
into SQL text and run it through `run(sql, params) -> rows`, a plain callable: the
SQLAlchemy connection of an open app (`store/activity_queries.py`) or a bare DB-API
connection of the lean start path (`store/lean_reads.py`). One text for both, so the
rows the window shows before the storage stack is loaded are the rows it shows after.
No SQLAlchemy here: this module is on the start path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.store.sqlite import fts_query

# Runs one SELECT with named parameters (`:name`) and returns every row as a tuple.
Run = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]

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
JOINS = "LEFT JOIN place p ON p.id = a.place_id LEFT JOIN programme g ON g.id = a.programme_id"
ROW_COLUMNS = (
    "SELECT a.num, a.id, a.start_date, a.title, a.type, a.level, a.status, "
    f"COALESCE(p.name, ''), COALESCE(g.code, ''), a.themes, {_PEOPLE}, {_WOMEN}, {_YOUTH}, "
    "a.updated_by, a.heads"
)


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


def search_query(words: str) -> str:
    """The FTS5 query for what the user typed: every word, the last one as a prefix."""
    return fts_query(words)


def search_is_bounded(words: str) -> bool:
    """Whether a search looks only at the newest BOUNDED_MATCHES matches (see above)."""
    tokens = words.split()
    return bool(tokens) and len(tokens[-1]) < 2


def where_clause(f: ActivityFilter, walk_order: bool = False) -> tuple[str, dict[str, Any]]:
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
    query = search_query(f.search)
    if query:
        # The FTS rowid is the activity's num: newest first is a walk down its doclists.
        bound = (
            f" ORDER BY rowid DESC LIMIT {BOUNDED_MATCHES}" if search_is_bounded(f.search) else ""
        )
        plus = "+" if walk_order else ""  # unary +: not a rowid lookup, a filter
        clauses.append(
            f"{plus}a.num IN (SELECT rowid FROM activity_fts WHERE activity_fts MATCH :q{bound})"
        )
        params["q"] = query
    return " AND ".join(clauses), params


def keys_sql(filters: ActivityFilter, sort: str, descending: bool) -> tuple[str, dict[str, Any]]:
    """The SELECT of every matching `num` in display order."""
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    where, params = where_clause(filters)
    direction = "DESC" if descending else "ASC"
    needs_join = sort in UNINDEXED_SORTS
    sql = (
        f"SELECT a.num FROM activity a {JOINS if needs_join else ''} WHERE {where} "
        f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction}"
    )
    return sql, params


def search_matches(run: Run, words: str) -> int:
    """How many live activities the search index matches for `words` (0 for no search)."""
    query = search_query(words)
    if not query:
        return 0
    rows = run("SELECT count(*) FROM activity_fts WHERE activity_fts MATCH :q", {"q": query})
    return int(rows[0][0] or 0)


def count_activities(run: Run, filters: ActivityFilter = ActivityFilter()) -> int:
    """How many activities match `filters`."""
    if search_query(filters.search) and filters == ActivityFilter(search=filters.search):
        # Search alone: the index holds exactly the live activities (its triggers add a
        # row only while deleted = 0), so counting its matches is enough — 2-30 ms where
        # joining them to the table took 100-460 ms for a common word at 300,000.
        n = search_matches(run, filters.search)
        return min(n, BOUNDED_MATCHES) if search_is_bounded(filters.search) else n
    where, params = where_clause(filters)
    return int(run(f"SELECT count(*) FROM activity a WHERE {where}", params)[0][0] or 0)


def activity_page(
    run: Run,
    filters: ActivityFilter,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """`limit` table lines from `offset` in display order: (num, id, start_date, title,
    type, level, status, place name, programme code, themes text, people, women, youth,
    updated_by, heads).

    Every sort key but place and programme (names in other tables) has an index that
    matches its order (0012), so a page is a short index walk, not a sort of every match;
    those two are walked one name at a time (`activity_grouped.py`).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    where, params = where_clause(filters, _walk_order(run, filters, sort))
    if sort in UNINDEXED_SORTS:  # by a name in another table: walked name by name
        from ca_desktop.store.activity_grouped import grouped_page

        select = f"{ROW_COLUMNS} FROM activity a {JOINS}"
        return grouped_page(run, select, where, params, sort, descending, offset, limit)
    direction = "DESC" if descending else "ASC"
    sql = (
        f"{ROW_COLUMNS} FROM activity a {JOINS} WHERE {where} "
        f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction} "
        "LIMIT :limit OFFSET :offset"
    )
    params.update(limit=int(limit), offset=int(offset))
    return run(sql, params)


def _walk_order(run: Run, f: ActivityFilter, sort: str) -> bool:
    if not search_query(f.search) or search_is_bounded(f.search) or sort in UNINDEXED_SORTS:
        return False
    return search_matches(run, f.search) >= WALK_ORDER_MATCHES
