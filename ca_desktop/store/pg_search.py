"""The Activities search on a PostgreSQL server: a keystroke's newest matches and count.

A search lists the newest BOUNDED_MATCHES activities that match it and counts its matches
up to COUNTED_MATCHES + 1 (`store/activity_sql.py`). SQLite's FTS5 walks a word's match
list from its newest end. A GIN index has no order: the planner either gathers every
match and sorts them (a second for a word in one activity of five, at a million), or
walks the newest rows and tests each, which stops early only when the words are common —
and it guesses how common two words are together as if they were independent, so for
"kiosk school" (each in one activity of five, never together) it would walk and test
every row. Neither is left to that guess:

1. `walk`: the newest WALKED_ROWS rows of the index are tested one by one (a backward scan
   of its primary key; a row that matches is looked up in `activity` for the other
   filters). When BOUNDED_MATCHES of them match, they are the newest matches: done.
2. `gather`: otherwise fewer than one row in WALKED_ROWS / BOUNDED_MATCHES of the newest
   matches; every match is gathered through the GIN index and the newest are kept.

A materialized CTE is planned for all of its rows and run only as far as its reader
pulls: the gathering is planned as what it is (every match, from the index), and a count
stops at its bound. No SQLAlchemy here: `activity_sql` runs this SQL (`Run`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Run = Callable[[str, dict[str, Any]], list[tuple[Any, ...]]]

# How many of the newest index rows a search tests one by one before it reads the index
# (2-4 µs a row): a word in one activity of WALKED_ROWS / BOUNDED_MATCHES or more fills
# the list from the walk alone.
WALKED_ROWS = 20_000
MATCH = "doc @@ CAST(:q AS tsquery)"  # `:q`: the tsquery as text (`activity_sql`)


def folded(run: Run, query: str) -> str:
    """The tsquery for `query` (`postgres.tsquery`) as the server folds it (accents:
    `unaccent`), as text. Passed on as a constant, so the planner sees how common its words
    are and no row folds it again. The same round trip makes this transaction's plans
    custom ones: a statement psycopg has prepared gets a generic plan after a few
    keystrokes otherwise, one blind to the words."""
    rows = run(
        "SELECT CAST(to_tsquery('simple', unaccent(:q)) AS text), "
        "set_config('plan_cache_mode', 'force_custom_plan', true)",
        {"q": query},
    )
    return str(rows[0][0])


def newest_matches(
    run: Run, where: str, params: dict[str, Any], search_alone: bool, bound: int
) -> list[int]:
    """The `num` of the newest `bound` live activities matching `:q` (in `params`) and
    `where` (over `activity a`), newest first. `search_alone`: `where` filters nothing
    but deleted rows, which the index never holds, so `activity` is not read."""
    # A LATERAL subquery with a LIMIT is never flattened into a join: each matching row
    # is one primary-key lookup, whatever the planner guesses of how many match.
    other = (
        ""
        if search_alone
        else f"CROSS JOIN LATERAL (SELECT 1 FROM activity a WHERE "
        f"a.num = f.num AND {where} LIMIT 1) o "
    )
    walked = run(
        f"SELECT f.num FROM (SELECT num, doc FROM activity_fts ORDER BY num DESC "
        f"LIMIT {WALKED_ROWS}) f {other}WHERE f.{MATCH} ORDER BY f.num DESC LIMIT {bound}",
        params,
    )
    if len(walked) >= bound:
        return [row[0] for row in walked]
    source = "m" if search_alone else f"m JOIN activity a ON a.num = m.num WHERE {where}"
    gathered = run(
        f"WITH m AS MATERIALIZED (SELECT num FROM activity_fts WHERE {MATCH}) "
        f"SELECT m.num FROM {source} ORDER BY m.num DESC LIMIT {bound}",
        params,
    )
    return [row[0] for row in gathered]


def count_matches(run: Run, q: str, bound: int) -> int:
    """How many live activities match `q`, counted up to `bound`."""
    rows = run(
        f"WITH m AS MATERIALIZED (SELECT 1 FROM activity_fts WHERE {MATCH}) "
        f"SELECT count(*) FROM (SELECT 1 FROM m LIMIT {bound}) c",
        {"q": q},
    )
    return int(rows[0][0] or 0)
