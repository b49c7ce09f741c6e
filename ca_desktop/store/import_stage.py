"""What an import has read so far, in TEMP tables: the checks that need the whole bundle.

A bundle's revisions are read and written in bounded batches; whatever a check must know
about the batches before it (duplicate ids, a record's type, its number of versions, whose
parent a revision is) is kept here, on the import's own connection, instead of in memory.
TEMP tables live in SQLite's temporary file (PostgreSQL's session-private temporary
schema) and vanish with the connection: nothing in the database, no migration. Only ids and
numbers are staged, never record content.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.store import backend

_TABLES = ("import_rev", "import_parent", "import_record")


def _server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def create(conn: Connection) -> None:
    """Empty staging tables (a pooled connection may still hold an earlier import's)."""
    drop(conn)
    # SQLite names the temporary schema `temp` and keys small tables best without a rowid;
    # PostgreSQL puts a temporary table's indexes beside it by itself, and drops the
    # tables with the transaction that made them, however it ends.
    rowid, schema = (" ON COMMIT DROP", "") if _server(conn) else (" WITHOUT ROWID", "temp.")
    for sql in (
        "CREATE TEMP TABLE import_rev (rev_id TEXT PRIMARY KEY, record_id TEXT NOT NULL,"
        " record_type TEXT NOT NULL, device_id TEXT NOT NULL, device_seq INTEGER NOT NULL,"
        f" new INTEGER NOT NULL DEFAULT 0){rowid}",
        f"CREATE INDEX {schema}ix_import_rev_record ON import_rev(record_id)",
        f"CREATE TEMP TABLE import_parent (parent TEXT NOT NULL, record_id TEXT NOT NULL)"
        f"{rowid if _server(conn) else ''}",
        f"CREATE INDEX {schema}ix_import_parent ON import_parent(parent)",
        "CREATE TEMP TABLE import_record (record_id TEXT PRIMARY KEY, existed INTEGER NOT NULL,"
        f" stale INTEGER NOT NULL DEFAULT 0){rowid}",
    ):
        conn.exec_driver_sql(sql)


# The tables an import's checks query batch after batch, by ids: without statistics, a
# server's planner takes `record_id = x` to match 0.5 % of the rows and scans the table
# for every batch instead of looking a thousand ids up (quadratic: a fifth of an import
# of 100,000 revisions into a new hub). Our own TEMP tables are never analysed otherwise.
_LOOKED_UP = ("revision", "record_head", "import_rev", "import_parent", "import_record")


def refresh_statistics(conn: Connection) -> None:
    """Let a server's planner see the tables as the import has grown them (it sees this
    transaction's own rows). A small sample: only how many rows, and that ids are unique,
    matter here. Nothing to do on SQLite, whose planner takes the index on its own."""
    if not _server(conn):
        return
    conn.exec_driver_sql("SELECT set_config('default_statistics_target', '10', true)")
    conn.exec_driver_sql(f"ANALYZE {', '.join(_LOOKED_UP)}")


def drop(conn: Connection) -> None:
    if _server(conn):
        if _failed(conn):
            return  # the rollback to come drops them (a failed PostgreSQL transaction
            # accepts no statement, and this one must not hide the error that failed it)
        schema = "pg_temp"
    else:
        schema = "temp"
    for table in _TABLES:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {schema}.{table}")


def _among(conn: Connection, column: str) -> str:
    """`column` is one of the JSON array of ids `:ids`. On a server, as an array the index
    is searched for: joined with the function's rows instead, the planner merges them with
    the whole index, walked from its start (ids made by time sort last), batch after batch.
    """
    if _server(conn):
        return f"{column} = ANY(ARRAY(SELECT json_array_elements_text(CAST(:ids AS json))))"
    return f"{column} IN (SELECT value FROM json_each(:ids))"


def _failed(conn: Connection) -> bool:
    from psycopg.pq import TransactionStatus

    raw = conn.connection.driver_connection
    return raw is not None and raw.info.transaction_status == TransactionStatus.INERROR


def already_staged(conn: Connection, rev_ids: Sequence[str]) -> str | None:
    """One of `rev_ids` an earlier batch already held, if any."""
    row = conn.execute(
        text(f"SELECT rev_id FROM import_rev WHERE {_among(conn, 'rev_id')}"),
        {"ids": json.dumps(list(rev_ids))},
    ).first()
    return row[0] if row else None


def stage(
    conn: Connection,
    revisions: Sequence[tuple[str, str, str, str, int]],
    parents: Sequence[tuple[str, str]],
) -> None:
    """(rev_id, record_id, record_type, device_id, device_seq) rows; (parent, record_id)."""
    if _server(conn):  # COPY: the import's hot path on a hub (`pg_copy.py`)
        from ca_desktop.store import pg_copy

        columns = ("rev_id", "record_id", "record_type", "device_id", "device_seq")
        pg_copy.copy_into(conn, "import_rev", columns, revisions)
        pg_copy.copy_into(conn, "import_parent", ("parent", "record_id"), parents)
        return
    backend.driver_sql(
        conn,
        "INSERT INTO import_rev(rev_id, record_id, record_type, device_id, device_seq)"
        " VALUES (?, ?, ?, ?, ?)",
        list(revisions),
    )
    if parents:
        backend.driver_sql(
            conn, "INSERT INTO import_parent(parent, record_id) VALUES (?, ?)", list(parents)
        )


def record_with_two_types(conn: Connection, record_ids: Sequence[str]) -> str | None:
    row = conn.execute(
        text(
            f"SELECT record_id FROM import_rev WHERE {_among(conn, 'record_id')}"
            " GROUP BY record_id HAVING COUNT(DISTINCT record_type) > 1 LIMIT 1"
        ),
        {"ids": json.dumps(list(record_ids))},
    ).first()
    return row[0] if row else None


def record_over(conn: Connection, record_ids: Sequence[str], cap: int) -> tuple[str, int] | None:
    """A record of `record_ids` with more than `cap` staged versions, and how many."""
    row = conn.execute(
        text(
            f"SELECT record_id, COUNT(*) FROM import_rev WHERE {_among(conn, 'record_id')}"
            " GROUP BY record_id HAVING COUNT(*) > :cap"
            " LIMIT 1"
        ),
        {"ids": json.dumps(list(record_ids)), "cap": cap},
    ).first()
    return (row[0], int(row[1])) if row else None


def staged_records(conn: Connection, rev_ids: Sequence[str]) -> dict[str, str]:
    """{rev_id: record_id} for those of `rev_ids` staged so far."""
    rows = conn.execute(
        text(f"SELECT rev_id, record_id FROM import_rev WHERE {_among(conn, 'rev_id')}"),
        {"ids": json.dumps(list(rev_ids))},
    ).all()
    return {r[0]: r[1] for r in rows}


def child_of_another_record(conn: Connection, revisions: Sequence[tuple[str, str]]) -> str | None:
    """A staged revision naming one of `revisions` ((rev_id, record_id)) as its parent
    while it belongs to another record: the parent arrived after its child."""
    row = conn.execute(
        text(
            "SELECT p.parent FROM json_each(:pairs) AS j JOIN import_parent AS p"
            " ON p.parent = json_extract(j.value, '$[0]')"
            " WHERE p.record_id != json_extract(j.value, '$[1]') LIMIT 1"
        ),
        {"pairs": json.dumps([list(r) for r in revisions])},
    ).first()
    return row[0] if row else None


def note_records(conn: Connection, record_ids: Sequence[str]) -> None:
    """Remember whether each record had revisions here before this import touched it."""
    conn.execute(
        text(
            "INSERT INTO import_record(record_id, existed)"
            " SELECT value, CASE WHEN EXISTS (SELECT 1 FROM revision WHERE record_id = value)"
            " THEN 1 ELSE 0 END FROM json_each(:ids) WHERE true ON CONFLICT DO NOTHING"
        ),
        {"ids": json.dumps(list(record_ids))},
    )


def mark_new(conn: Connection, rev_ids: Sequence[str]) -> None:
    conn.execute(
        text(f"UPDATE import_rev SET new = 1 WHERE {_among(conn, 'rev_id')}"),
        {"ids": json.dumps(list(rev_ids))},
    )


def mark_stale(conn: Connection, record_ids: Sequence[str]) -> None:
    """Records whose heads and current state are to be refreshed once, at the end."""
    if record_ids:
        conn.execute(
            text(f"UPDATE import_record SET stale = 1 WHERE {_among(conn, 'record_id')}"),
            {"ids": json.dumps(list(record_ids))},
        )


def stale_records(conn: Connection, after: str, limit: int) -> list[tuple[str, str, int]]:
    """The next `limit` stale (record_id, record_type, revisions staged) in id order,
    after id `after`."""
    rows = conn.execute(
        text(
            "SELECT r.record_id, (SELECT x.record_type FROM import_rev AS x"
            " WHERE x.record_id = r.record_id LIMIT 1), (SELECT COUNT(*) FROM import_rev AS x"
            " WHERE x.record_id = r.record_id) FROM import_record AS r"
            " WHERE r.stale = 1 AND r.record_id > :after ORDER BY r.record_id LIMIT :limit"
        ),
        {"after": after, "limit": limit},
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def sequences(conn: Connection) -> Iterator[tuple[str, int]]:
    """Every staged (device_id, device_seq), once each, in order (streamed)."""
    result = conn.exec_driver_sql(
        "SELECT DISTINCT device_id, device_seq FROM import_rev ORDER BY device_id, device_seq"
    )
    for row in result:
        yield row[0], int(row[1])


def newest_new_by_device(conn: Connection) -> list[tuple[str, int]]:
    rows = conn.exec_driver_sql(
        "SELECT device_id, MAX(device_seq) FROM import_rev WHERE new = 1 GROUP BY device_id"
    ).all()
    return [(r[0], int(r[1])) for r in rows]


def record_counts(conn: Connection) -> tuple[int, int, int, int]:
    """(records in the bundle, new records, updated records, of those in conflict)."""
    total = conn.exec_driver_sql("SELECT COUNT(DISTINCT record_id) FROM import_rev").scalar()
    touched: dict[int, int] = dict(
        conn.exec_driver_sql(  # type: ignore[arg-type]
            "SELECT r.existed, COUNT(*) FROM import_record AS r WHERE EXISTS"
            " (SELECT 1 FROM import_rev AS x WHERE x.record_id = r.record_id AND x.new = 1)"
            " GROUP BY r.existed"
        ).all()
    )
    conflicts = conn.exec_driver_sql(
        "SELECT COUNT(*) FROM (SELECT h.record_id FROM record_head AS h WHERE h.record_id"
        " IN (SELECT record_id FROM import_rev WHERE new = 1) GROUP BY h.record_id"
        " HAVING COUNT(*) > 1) AS c"
    ).scalar()
    return int(total or 0), int(touched.get(0, 0)), int(touched.get(1, 0)), int(conflicts or 0)
