"""Bulk writes on PostgreSQL through `COPY`: the import's hot path on a hub.

Row-by-row `INSERT`s (even pipelined by psycopg) cost a bundle import of 100,000
activities over four times a `COPY` of the same rows (bench/bench_hub.py). Batches above
`MIN_ROWS` are copied instead: straight into the table for plain inserts, or into a
temporary table (private to the session, emptied at commit) and merged with one
`INSERT ... SELECT ... ON CONFLICT` for inserts that skip or update existing keys. The
result is the same as the row-by-row statements: a batch whose keys repeat (where the
order of updates would matter) keeps the row-by-row path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

MIN_ROWS = 200


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)  # our own column names, from the tables


def _copy(
    conn: Connection, target: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {target} ({_quoted(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def copy_into(
    conn: Connection, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """COPY rows into one of our own tables named `name` (a temporary one included)."""
    if rows:
        _copy(conn, name, columns, rows)


def insert(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    _copy(conn, f'"{table.name}"', columns, rows)


def _stage(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> str:
    """A session's temporary twin of `table` (columns only, no constraints), filled."""
    stage = f"_ca_copy_{table.name}"
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS "
        f'SELECT {_quoted(columns)} FROM "{table.name}" WITH NO DATA'
    )
    conn.exec_driver_sql(f"TRUNCATE {stage}")
    _copy(conn, stage, columns, rows)
    return stage


def unique_keys(columns: Sequence[str], rows: Sequence[Sequence[Any]], key: Sequence[str]) -> bool:
    at = [columns.index(k) for k in key]
    seen = {tuple(r[i] for i in at) for r in rows}
    return len(seen) == len(rows)


def merge(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]],
    key: Sequence[str], update: Sequence[str],
) -> None:  # fmt: skip
    """Insert rows; on a key that exists, update `update` (none: leave the row as it is)."""
    stage = _stage(conn, table, columns, rows)
    if update:
        action = "DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update)
    else:
        action = "DO NOTHING"
    conflict = f"({_quoted(key)})" if key else ""
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({_quoted(columns)}) SELECT {_quoted(columns)} '
        f"FROM {stage} ON CONFLICT {conflict} {action}"
    )
    conn.exec_driver_sql(f"TRUNCATE {stage}")
