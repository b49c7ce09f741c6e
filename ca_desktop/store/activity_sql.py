"""The Activities table's SQL, built once and run by either read path.

`ActivityFilter` describes what the user narrowed the list to; the functions here turn it
into SQL text and run it through `run(sql, params) -> rows`, a plain callable: the
SQLAlchemy connection of an open app (`store/activity_queries.py`) or a bare DB-API
connection of the lean start path (`store/lean_reads.py`). One text for both, so the
rows the window shows before the storage stack is loaded are the rows it shows after.
No SQLAlchemy here: this module is on the start path.

The SQL is SQLite's; on a PostgreSQL server (`server=True`) only the search index differs
(a `tsvector` table, `store/postgres.py`) and the newest matches are fetched with
`= ANY(:nums)`; the functions the SQL names (`json_each`, `COLLATE NOCASE`) exist there
too (migration 0001).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
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


# A search lists the newest BOUNDED_MATCHES activities that match it (and the other
# filters), in the order chosen; the count says how many match (up to COUNTED_MATCHES).
# A common word or one letter ("w", "forum") matches most of the database: gathering
# 100,000 matches to sort them cost a keystroke 100-200 ms at 300,000 activities, reading
# the newest thousand costs 1-20 ms. The FTS rowid is the activity's `num`: newest is a
# walk down the word's match list from its end, which stops once the list is full (on a
# server: `pg_search.py`).
BOUNDED_MATCHES = 1000
# A search's count stops past COUNTED_MATCHES (never fewer than BOUNDED_MATCHES): counting
# every match of a common word costs a pass over all of them (200,000 of a million
# activities: a quarter of a second on a server), and "more than 10,000" tells the user as
# much as the exact figure would. `count_activities` then says COUNTED_MATCHES + 1.
COUNTED_MATCHES = 10_000


def search_query(words: str, server: bool = False) -> str:
    """The search text for what the user typed: every word, the last one as a prefix
    (FTS5's syntax; on a server, PostgreSQL's tsquery)."""
    if server:
        from ca_desktop.store.postgres import tsquery  # a server's reads load the stack

        return tsquery(words)
    return fts_query(words)


def _matching(server: bool) -> tuple[str, str]:
    """(the search index's key column, its condition for the search text `:q`, from
    `_search_text`)."""
    if server:
        return "num", "doc @@ CAST(:q AS tsquery)"
    return "rowid", "activity_fts MATCH :q"


def _search_text(run: Run, words: str, server: bool) -> str:
    """What the search index is asked for `words` (`:q`; "" for no search): on a server,
    the tsquery as the server folds it (`pg_search.folded`)."""
    query = search_query(words, server)
    if not server or not query:
        return query
    from ca_desktop.store import pg_search

    return pg_search.folded(run, query)


def listed(filters: ActivityFilter, matches: int) -> int:
    """How many of `matches` the list holds (a search: the newest BOUNDED_MATCHES)."""
    return min(matches, BOUNDED_MATCHES) if search_query(filters.search) else matches


def lists_every_match(filters: ActivityFilter, n_listed: int) -> bool:
    """Whether a list of `n_listed` rows (all the list holds) is every match: true unless
    a search filled its bound (more may match; `count_activities` says how many)."""
    return not search_query(filters.search) or n_listed < BOUNDED_MATCHES


def counted_every_match(filters: ActivityFilter, matches: int) -> bool:
    """Whether `matches` (from `count_activities`) is the exact count: false when a search
    stopped counting past COUNTED_MATCHES (more than that match)."""
    return not search_query(filters.search) or matches <= COUNTED_MATCHES


def where_clause(
    f: ActivityFilter, server: bool = False, q: str = ""
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause for `f`; its search only with `q`, the text `_search_text` made of
    it (every match, for counting them)."""
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
    if q:
        key, match = _matching(server)
        clauses.append(f"a.num IN (SELECT {key} FROM activity_fts WHERE {match})")
        params["q"] = q
    return " AND ".join(clauses), params


def newest_matches(run: Run, filters: ActivityFilter, server: bool = False) -> list[int]:
    """The `num` of the newest BOUNDED_MATCHES live activities matching the search and the
    other filters, newest first: the search index's matches walked from the newest, each
    looked up by `num` and tested, until the list is full."""
    where, params = where_clause(replace(filters, search=""), server)
    params["q"] = _search_text(run, filters.search, server)
    if server:  # no order in a GIN index: walk the newest rows, else read it (`pg_search`)
        from ca_desktop.store import pg_search

        alone = filters == ActivityFilter(search=filters.search)
        return pg_search.newest_matches(run, where, params, alone, BOUNDED_MATCHES)
    rows = run(
        "SELECT a.num FROM activity_fts f JOIN activity a ON a.num = f.rowid "
        f"WHERE activity_fts MATCH :q AND {where} ORDER BY f.rowid DESC "
        f"LIMIT {BOUNDED_MATCHES}",
        params,
    )
    return [row[0] for row in rows]


def _listed_sql(
    run: Run, columns: str, filters: ActivityFilter, sort: str, descending: bool, server: bool
) -> tuple[str, dict[str, Any]]:
    """The SELECT of `columns` of the listed activities in display order (no LIMIT)."""
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY {SORT_KEYS[sort]} {direction}, a.num {direction}"
    if search_query(filters.search, server):
        newest = newest_matches(run, filters, server)
        if server:
            return f"{columns} FROM activity a {JOINS} WHERE a.num = ANY(:nums) {order}", {
                "nums": newest
            }
        # At most BOUNDED_MATCHES rows, each fetched by `num` (CROSS JOIN keeps that order
        # of the loops) and sorted: a millisecond or two, in any order.
        source = f"json_each(:nums) m CROSS JOIN activity a ON a.num = m.value {JOINS}"
        return f"{columns} FROM {source} {order}", {"nums": json.dumps(newest)}
    where, params = where_clause(filters, server)
    return f"{columns} FROM activity a {JOINS} WHERE {where} {order}", params


def activity_keys(
    run: Run, filters: ActivityFilter, sort: str, descending: bool, server: bool = False
) -> list[int]:
    """The `num` of every listed activity in display order (what the pages hold)."""
    sql, params = _listed_sql(run, "SELECT a.num", filters, sort, descending, server)
    return [row[0] for row in run(sql, params)]


def search_matches(run: Run, words: str, server: bool = False) -> int:
    """How many live activities the search index matches for `words`, counted up to
    COUNTED_MATCHES + 1 (0 for no search)."""
    query = _search_text(run, words, server)
    if not query:
        return 0
    if server:  # read the index, not the newest rows, whatever the planner guesses
        from ca_desktop.store import pg_search

        return pg_search.count_matches(run, query, COUNTED_MATCHES + 1)
    rows = run(
        f"SELECT count(*) FROM (SELECT 1 FROM activity_fts WHERE {_matching(server)[1]} "
        f"LIMIT {COUNTED_MATCHES + 1}) m",
        {"q": query},
    )
    return int(rows[0][0] or 0)


def count_activities(
    run: Run, filters: ActivityFilter = ActivityFilter(), server: bool = False
) -> int:
    """How many activities match `filters` (a search lists the newest BOUNDED_MATCHES, see
    `listed`, and counts up to COUNTED_MATCHES + 1, see `counted_every_match`)."""
    if not search_query(filters.search):
        where, params = where_clause(filters, server)
        return int(run(f"SELECT count(*) FROM activity a WHERE {where}", params)[0][0] or 0)
    if filters == ActivityFilter(search=filters.search):
        # Search alone: the index holds exactly the live activities (its triggers add a
        # row only while deleted = 0), so counting its matches is enough — 2-30 ms where
        # joining them to the table took 100-460 ms for a common word at 300,000.
        return search_matches(run, filters.search, server)
    where, params = where_clause(filters, server, _search_text(run, filters.search, server))
    sql = f"SELECT 1 FROM activity a WHERE {where} LIMIT {COUNTED_MATCHES + 1}"
    return int(run(f"SELECT count(*) FROM ({sql}) m", params)[0][0] or 0)


def activity_page(
    run: Run,
    filters: ActivityFilter,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
    server: bool = False,
) -> list[tuple[Any, ...]]:
    """`limit` table lines from `offset` in display order: (num, id, start_date, title,
    type, level, status, place name, programme code, themes text, people, women, youth,
    updated_by, heads).

    Without a search, every sort key but place and programme (names in other tables) has
    an index that matches its order (0012), so a page is a short index walk, not a sort of
    every match; those two are walked one name at a time (`activity_grouped.py`). With a
    search, the newest matches are sorted (`newest_matches`).
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    if sort in UNINDEXED_SORTS and not search_query(filters.search):
        from ca_desktop.store.activity_grouped import grouped_page

        where, params = where_clause(filters, server)
        select = f"{ROW_COLUMNS} FROM activity a {JOINS}"
        return grouped_page(run, select, where, params, sort, descending, offset, limit)
    sql, params = _listed_sql(run, ROW_COLUMNS, filters, sort, descending, server)
    return run(
        f"{sql} LIMIT :limit OFFSET :offset", {**params, "limit": int(limit), "offset": int(offset)}
    )
