"""One storage API over the two backends: an SQLite file (a laptop) or a PostgreSQL server
(a programme office, docs/hub.md).

The rest of `store/` calls these functions, which choose by the engine's or connection's
dialect; what only one backend has stays in `store/sqlite.py` or `store/postgres.py`.
Queries written once for both keep to SQL the two share; the few SQLite functions they use
(`json_each`, `json_extract`, `instr`, `julianday`, `group_concat`, `SUM` of a condition)
exist on PostgreSQL as SQL functions of the same meaning, created by the first migration.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, text
from sqlalchemy.engine import Connection

from ca_desktop.store import postgres, sqlite

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class NotOnServer(Exception):
    """Something only a database file has (a file backup, SQLite's checks) was asked of a
    server database; the message names the server's own tool."""


def make_engine(target: Path | str, key: bytes | None = None) -> Engine:
    """An engine for a database file (`Path`, encrypted with `key`) or a server URL."""
    if postgres.is_server_url(target):
        return postgres.make_engine(str(target))
    return sqlite.make_engine(Path(target), key)


def dialect(handle: Connection | Engine) -> str:
    return str(handle.dialect.name)


def on_server(handle: Connection | Engine) -> bool:
    return dialect(handle) == POSTGRESQL


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One writer at a time, all-or-nothing: SQLite's `BEGIN IMMEDIATE`, or PostgreSQL's
    transaction-level advisory lock (docs/hub.md, "Concurrency")."""
    if on_server(engine):
        with postgres.write_transaction(engine) as conn:
            yield conn
    else:
        with sqlite.write_transaction(engine) as conn:
            yield conn


def driver_sql(conn: Connection, sql: str, params: Any = None) -> Any:
    """Run SQL with `?` placeholders at the driver level (the fast path for many rows)."""
    if on_server(conn):
        sql = postgres.driver_sql(sql)
    if params is None:
        return conn.exec_driver_sql(sql)
    return conn.exec_driver_sql(sql, params)


def upsert(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: str = "id",
    keep: tuple[str, ...] = ("num", "created_hlc"),
    defaults: dict[str, Any] | None = None,
) -> None:
    """Insert rows, or update every column but `key` and `keep` where `key` exists; a
    missing or None value becomes `defaults[column]` when given, else NULL."""
    if not on_server(conn):
        sqlite.upsert(conn, table, rows, key, keep, defaults)
        return
    if not rows:
        return
    columns = tuple(c.name for c in table.columns if c.name != "num")
    fill = defaults or {}
    values = [tuple(fill.get(c) if r.get(c) is None else r.get(c) for c in columns) for r in rows]
    postgres.upsert_rows(conn, table, columns, values, key, keep)


def upsert_rows(
    conn: Connection,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    key: str = "id",
    keep: tuple[str, ...] = ("num", "created_hlc"),
) -> None:
    """`upsert` for rows already built as tuples in `columns` order (the hot path)."""
    if not rows:
        return
    if on_server(conn):
        postgres.upsert_rows(conn, postgres.table_named(table), columns, rows, key, keep)
    else:
        sqlite.upsert_rows(conn, table, columns, rows, key, keep)


def insert_many(
    conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if on_server(conn):
        postgres.insert_rows(conn, postgres.table_named(table), columns, rows)
    else:
        sqlite.insert_many(conn, table, columns, rows)


def insert_ignore(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows; a row whose primary key exists already is left as it is."""
    if not rows:
        return
    if on_server(conn):
        postgres.insert_ignore(conn, table, columns, rows)
    else:
        sqlite.insert_ignore(conn, table, columns, rows)


def delete_many(conn: Connection, table: str, column: str, values: list[Any]) -> None:
    if values:
        driver_sql(conn, f'DELETE FROM "{table}" WHERE "{column}" = ?', [(v,) for v in values])


# -- search -----------------------------------------------------------------------------


def fts_query(conn: Connection, words: str) -> str:
    """The backend's safe search text for `words` ("" when nothing to search)."""
    return postgres.tsquery(words) if on_server(conn) else sqlite.fts_query(words)


def fts_matches(conn: Connection, limit: str = "") -> str:
    """SQL for the `num`s of activities matching the search text `:q` (from `fts_query`),
    `limit` appended (" LIMIT n") to bound a common word to its newest matches."""
    if on_server(conn):
        order = " ORDER BY num DESC" if limit else ""
        return (
            "SELECT num FROM activity_fts WHERE doc @@ to_tsquery('simple', unaccent(:q))"
            f"{order}{limit}"
        )
    order = " ORDER BY rowid DESC" if limit else ""
    return f"SELECT rowid FROM activity_fts WHERE activity_fts MATCH :q{order}{limit}"


def fts_search(conn: Connection, words: str, limit: int | None = None) -> list[str]:
    """Ids of live activities matching `words` (search as you type), best matches first."""
    if not on_server(conn):
        return sqlite.fts_search(conn, words, limit)
    query = postgres.tsquery(words)
    if not query:
        return []
    sql = (
        "SELECT a.id FROM activity_fts f JOIN activity a ON a.num = f.num "
        "WHERE f.doc @@ to_tsquery('simple', unaccent(:q)) AND a.deleted = FALSE "
        "ORDER BY ts_rank(f.doc, to_tsquery('simple', unaccent(:q))) DESC, a.num DESC"
    )
    params: dict[str, Any] = {"q": query}
    if limit:
        sql += " LIMIT :n"
        params["n"] = int(limit)
    return [row[0] for row in conn.execute(text(sql), params)]
