"""Pages of the Activities table in place or programme order, walked one name at a time.

The order is by a name held in another table, so no index on `activity` gives it, and a
plain ORDER BY reads and sorts every live activity for each page (0.4-2 s at 300,000).
The names are few (tens to a few thousand rows), so the page is put together here: the
names in order, and for each the activities with it, newest `num` first or last, through
the index on `place_id` / `programme_id` until the page is full. Activities without one
(or naming a place this laptop does not have yet) come first going up and last going
down, where SQLite puts NULL. A page further down counts the groups it skips.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

# sort key -> (table, the ORDER BY of its names as in SORT_KEYS, the activity column)
GROUPED = {
    "place": ("place", "name COLLATE NOCASE", "place_id"),
    "programme": ("programme", "code", "programme_id"),
}


def grouped_page(
    conn: Connection,
    select: str,
    where: str,
    params: dict[str, Any],
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> list[tuple[Any, ...]]:
    """`limit` rows from `offset`: `select` (columns and joins) filtered by `where`."""
    table, name, column = GROUPED[sort]
    direction = "DESC" if descending else "ASC"
    # One group per name as SQLite compares it (same-name places sort as one).
    named = [
        row[0].split("\x1f")
        for row in conn.execute(
            text(
                f"SELECT group_concat(id, :sep) FROM {table} "
                f"GROUP BY {name} ORDER BY {name} {direction}"
            ),
            {"sep": "\x1f"},
        )
    ]
    # Ids no row of the table has: one index seek per distinct value (a loose index scan),
    # not a pass over every activity.
    orphans = [
        row[0]
        for row in conn.execute(
            text(
                f"WITH RECURSIVE seen(v) AS (SELECT min({column}) FROM activity UNION ALL "
                f"SELECT (SELECT min({column}) FROM activity WHERE {column} > seen.v) FROM seen "
                f"WHERE seen.v IS NOT NULL) "
                f"SELECT v FROM seen WHERE v IS NOT NULL AND v NOT IN (SELECT id FROM {table})"
            )
        )
    ]
    inside = f"a.{column} IN (SELECT value FROM json_each(:group))"
    # One id (the usual case): the index on the column hands its rows over in `num` order,
    # so the page stops after `limit` rows instead of sorting the whole group.
    one = f"a.{column} = json_extract(:group, '$[0]')"
    unnamed = (f"(a.{column} IS NULL OR {inside})" if orphans else f"a.{column} IS NULL", orphans)
    groups = [(one if len(ids) == 1 else inside, ids) for ids in named]
    groups = [unnamed, *groups] if not descending else [*groups, unnamed]
    rows: list[tuple[Any, ...]] = []
    skip = offset
    for condition, ids in groups:
        bound = {**params, "group": json.dumps(ids)}
        if skip:
            n = conn.execute(
                text(f"SELECT count(*) FROM activity a WHERE {where} AND {condition}"), bound
            ).scalar()
            if int(n or 0) <= skip:
                skip -= int(n or 0)
                continue
        found = conn.execute(
            text(
                f"{select} WHERE {where} AND {condition} ORDER BY a.num {direction} "
                "LIMIT :limit OFFSET :skip"
            ),
            {**bound, "limit": limit - len(rows), "skip": skip},
        ).all()
        skip = 0
        rows += [tuple(r) for r in found]
        if len(rows) >= limit:
            break
    return rows
