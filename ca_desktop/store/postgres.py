"""Everything specific to a PostgreSQL server lives here (`store/sqlite.py` is its twin).

A programme office shares one server (docs/hub.md). The data folder still holds the keys,
the settings and the attachments; the records live in the server database named by a URL
(`postgresql://user@host:port/db?sslmode=verify-full`), reached through psycopg 3.

The password is never stored by CA Desktop: libpq reads `.pgpass` (or `PGPASSFILE`) by
itself, and otherwise the OS keychain is asked (`keyring`, service `ca-desktop`, user
`user@host:port/db`). TLS options in the URL (`sslmode`, `sslrootcert`, ...) pass to libpq
unchanged.

Writers take one transaction-level advisory lock (`WRITER_LOCK`), the analogue of SQLite's
`BEGIN IMMEDIATE`: two imports at once run one after the other, each all-or-nothing, with
no serialization failures to retry (docs/hub.md, "Concurrency").
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Table, create_engine, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.engine.url import URL

from ca_desktop.store import pg_copy

KEYRING_SERVICE = "ca-desktop"
# One lock id for every writer of a CA Desktop database: the first 8 bytes of a hash of a
# fixed name, so no other application's advisory locks on the same server are likely to
# collide with it.
WRITER_LOCK = int.from_bytes(hashlib.sha256(b"ca-desktop writer").digest()[:8], "big", signed=True)
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


class DatabaseUrlError(ValueError):
    """A database URL that cannot be used (the message says why, without the password)."""


def is_server_url(target: object) -> bool:
    """Whether `target` names a server database rather than a file."""
    return isinstance(target, str) and target.split(":", 1)[0].lower() in SCHEMES


def parse_url(raw: str) -> URL:
    """The SQLAlchemy URL for `raw` (psycopg 3 as the driver); DatabaseUrlError if unusable."""
    try:
        url = make_url(raw)
    except Exception:  # noqa: BLE001 - SQLAlchemy raises several kinds for a bad URL
        raise DatabaseUrlError("the database URL is not a valid postgresql:// URL") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise DatabaseUrlError("the database URL must start with postgresql://")
    if not url.database:
        raise DatabaseUrlError("the database URL names no database (postgresql://user@host/db)")
    return url.set(drivername="postgresql+psycopg")


def keyring_user(url: URL) -> str:
    """The keychain entry's user name for `url`: `user@host:port/db`."""
    host = url.host or str(url.query.get("host") or "localhost")
    return f"{url.username or ''}@{host}:{url.port or 5432}/{url.database}"


def password_from_keyring(url: URL) -> str | None:
    """The password kept in the OS keychain for this URL, if keyring and an entry exist."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except (KeyringError, RuntimeError, OSError):
        return None  # no keychain on this machine (a server, CI): libpq's .pgpass remains


def make_engine(raw_url: str) -> Engine:
    """An engine for the server database at `raw_url` (nothing is connected yet)."""
    url = parse_url(raw_url)
    if url.password is None:
        password = password_from_keyring(url)
        if password is not None:
            url = url.set(password=password)
    # The server's administrator sees who is connected (pg_stat_activity).
    connect_args = {} if "application_name" in url.query else {"application_name": "ca-desktop"}
    # pre-ping: a laptop's connection to the office server drops often (sleep, Wi-Fi).
    return create_engine(
        url, pool_pre_ping=True, pool_size=4, max_overflow=8, connect_args=connect_args
    )


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One writer transaction, after every earlier writer's: commits or rolls back whole.

    The advisory lock is held until the transaction ends, so two importers never interleave
    (docs/hub.md, "Concurrency"). Readers are not blocked.

    Its statements are planned for the tables as they are when each runs: a writer's
    statements repeat (an import's checks, batch after batch), psycopg prepares them, and
    a generic plan made while the import's first batches were all the tables held (a scan
    of a few rows) would then scan the whole of them for every batch — a quarter of an
    import of 100,000 revisions, growing with its square.
    """
    with engine.connect() as conn, conn.begin():
        conn.execute(
            text(
                "SELECT pg_advisory_xact_lock(:k), "
                "set_config('plan_cache_mode', 'force_custom_plan', true)"
            ),
            {"k": WRITER_LOCK},
        )
        yield conn


def table_named(name: str) -> Table:
    from sqlmodel import SQLModel

    import ca_desktop.store.sync_tables  # noqa: F401  (registers the sync tables)
    import ca_desktop.store.tables  # noqa: F401

    return SQLModel.metadata.tables[name]


def upsert_rows(
    conn: Connection,
    table: Table,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    key: str,
    keep: tuple[str, ...],
) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE of every column but `key` and `keep`."""
    if len(rows) >= pg_copy.MIN_ROWS and pg_copy.unique_keys(columns, rows, (key,)):
        update = [c for c in columns if c not in (key, *keep)]
        pg_copy.merge(
            conn, table, columns, [_bools(table, columns, r) for r in rows], (key,), update
        )
        return
    stmt = pg_insert(table)
    updates = {c: stmt.excluded[c] for c in columns if c not in (key, *keep)}
    stmt = (
        stmt.on_conflict_do_update(index_elements=[key], set_=updates)
        if updates
        else stmt.on_conflict_do_nothing(index_elements=[key])
    )
    conn.execute(stmt, [dict(zip(columns, _bools(table, columns, r), strict=True)) for r in rows])


def insert_ignore(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows; a row whose key exists already is left as it is."""
    if len(rows) >= pg_copy.MIN_ROWS:  # through COPY (`pg_copy.py`): the import's hot path
        pg_copy.merge(conn, table, columns, [_bools(table, columns, r) for r in rows], (), ())
        return
    conn.execute(
        pg_insert(table).on_conflict_do_nothing(),
        [dict(zip(columns, _bools(table, columns, r), strict=True)) for r in rows],
    )


def insert_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if len(rows) >= pg_copy.MIN_ROWS:  # through COPY (`pg_copy.py`): the import's hot path
        pg_copy.insert(conn, table, columns, [_bools(table, columns, r) for r in rows])
        return
    conn.execute(
        table.insert(), [dict(zip(columns, _bools(table, columns, r), strict=True)) for r in rows]
    )


def _bools(table: Table, columns: tuple[str, ...], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite takes 0/1 for a boolean column; PostgreSQL wants True/False."""
    flags = _bool_positions(table.name, columns)
    if not flags:
        return row
    # Only the flagged places are touched: this runs for every row an import writes.
    out = list(row)
    for i in flags:
        if out[i] is not None:
            out[i] = bool(out[i])
    return tuple(out)


@functools.cache
def _bool_positions(table: str, columns: tuple[str, ...]) -> frozenset[int]:
    from sqlalchemy import Boolean
    from sqlmodel import SQLModel

    found = SQLModel.metadata.tables[table].columns
    return frozenset(i for i, c in enumerate(columns) if isinstance(found[c].type, Boolean))


def driver_sql(sql: str) -> str:
    """SQLite-style `?` placeholders as psycopg's `%s` (and literal `%` doubled)."""
    return _driver_sql(sql)


@functools.cache
def _driver_sql(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


# -- search -----------------------------------------------------------------------------

# What a word is, on both sides: letters and digits (the SQLite index's unicode61 rule).
_WORD_SPLIT = re.compile(r"[\W_]+")


def tsquery(words: str) -> str:
    """A safe `to_tsquery('simple', ...)` text: every word required, the last one a prefix.

    A typed token with punctuation inside ("water-kiosk") is one phrase of its parts, as
    FTS5 reads a quoted token. Only letters and digits survive: nothing to inject.
    """
    terms = []
    for token in words.split():
        parts = [p for p in _WORD_SPLIT.split(token) if p]
        if parts:
            terms.append(parts)
    if not terms:
        return ""
    *rest, last = terms
    phrases = [" <-> ".join(parts) for parts in rest]
    phrases.append(" <-> ".join([*last[:-1], f"{last[-1]}:*"]))
    return " & ".join(f"({p})" for p in phrases)
