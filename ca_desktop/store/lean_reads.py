"""Reads through the bare DB-API driver, for the paths a user waits on at start-up.

Importing SQLAlchemy, SQLModel and pydantic and building the record tables costs a cold
process more than a second on an old laptop (`bench/RESULTS.md`); the window's first rows,
`history ID` and other single-record reads need none of it. This module opens a SQLite
file with `sqlite.connect` (the standard library, or SQLCipher with the folder's key) and
reads it as it is, returning the same plain values as the ORM-backed queries
(`StoredRevision`, `StoredRecord`; the Activities SQL is `activity_sql`'s, shared).

It only reads, and only a file that needs nothing done on open: `open_reader` returns None
when the file is missing, fails the bounded check, carries another schema version, has
erasures still to finish or a search index to rebuild. Callers then take the normal path,
which does that work (or reports the problem). Only for a SQLite file: a server database
always takes the normal path.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ca_desktop.domain.personal import RESERVED_KEYS
from ca_desktop.domain.records import spec_for
from ca_desktop.domain.schema import upgrade_body
from ca_desktop.store import health, sqlite
from ca_desktop.store.activity_sql import Run
from ca_desktop.store.migrate import SCHEMA_HEAD
from ca_desktop.store.rows import row_to_body

T = TypeVar("T")

# meta keys written by the full stack (`store/erasure.py`, `store/search_index.py`,
# `store/sync_queries.py`); a test keeps them equal.
ERASURES_DUE_KEY = "erasures_due"
SEARCH_FIELDS_KEY = "search_fields"
DEVICE_KEY_PREFIX = "device_key:"


@dataclass(frozen=True)
class StoredRevision:
    """A frozen copy of a `revision` row (JSON columns left as text, for the caller to
    parse only what it needs)."""

    rev_id: str
    record_id: str
    record_type: str
    parents: str  # JSON list, sorted
    device_id: str
    device_seq: int
    hlc: str
    author: str
    deleted: bool
    body: str  # canonical JSON
    local_seq: int
    clock_flag: bool
    schema_version: int  # the record schema the body was written under


class StoredRecord(NamedTuple):
    record_type: str
    id: str
    rev_id: str
    body: dict[str, Any]
    deleted: bool
    heads: int
    updated_hlc: str
    updated_by: str


class LeanReader:
    """One read-only connection to a data folder's database, shared by threads in turn."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self._lock:
            yield self._con

    def read(self, query: Callable[[Run], T]) -> T:
        """`query(run)` with `run` over this connection (see `activity_sql.Run`)."""
        with self._lock:
            return query(runner(self._con))

    def close(self) -> None:
        with self._lock:
            self._con.close()


def open_reader(path: Path, key: bytes | None = None) -> LeanReader | None:
    """A reader of the SQLite file at `path` when it can be read as it is, else None."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        if sqlite.is_plain_file(path) != (key is None):
            return None  # locked, or a conversion to finish: the normal path does it
        health.check_bounded(path, key)
        con = sqlite.connect(path, key, readonly=True)
    except (OSError, ValueError, sqlite.DatabaseDamaged, sqlite.driver(key).Error):
        return None  # the normal path opens it again and says what is wrong
    try:
        ready = _needs_nothing(con)
    except sqlite.driver(key).Error:
        ready = False
    if not ready:
        con.close()
        return None
    return LeanReader(con)


def _needs_nothing(con: Any) -> bool:
    """The schema is this build's, no erasure waits to be finished, the index is current."""
    version = con.execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(SCHEMA_HEAD,)]:
        return False
    if _meta(con, ERASURES_DUE_KEY) not in (None, "{}"):
        return False
    columns = {row[1] for row in con.execute("PRAGMA table_info(activity)")}
    searched = [f for f in spec_for("activity").searchable if f in columns]
    return _meta(con, SEARCH_FIELDS_KEY) == ",".join(searched)


def _meta(con: Any, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def runner(con: Any) -> Run:
    return lambda sql, params: [tuple(r) for r in con.execute(sql, params).fetchall()]


def _quoted(name: str) -> str:
    # Table and column names come from the declarations (`domain/records.py`), never from
    # outside; quoted all the same.
    return '"' + name.replace('"', '""') + '"'


def revisions_of(con: Any, record_id: str) -> list[StoredRevision]:
    """Every revision of the record, oldest first (by clock, then arrival here)."""
    rows = con.execute(
        "SELECT rev_id, record_id, record_type, parents, device_id, device_seq, hlc, author, "
        "deleted, body, local_seq, clock_flag, schema_version FROM revision "
        "WHERE record_id = ? ORDER BY hlc, local_seq",
        (record_id,),
    ).fetchall()
    return [
        StoredRevision(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            bool(r[8]),
            r[9],
            r[10],
            bool(r[11]),
            r[12],
        )  # fmt: skip
        for r in rows
    ]


def record_type_of(con: Any, record_id: str) -> str | None:
    """The type of the record with this id, from its revisions (None: unknown id)."""
    row = con.execute(
        "SELECT record_type FROM revision WHERE record_id = ? LIMIT 1", (record_id,)
    ).fetchone()
    return str(row[0]) if row is not None and row[0] is not None else None


def read_record(
    con: Any, record_type: str, record_id: str, include_deleted: bool = False
) -> StoredRecord | None:
    """One record as `record_reads.read_record` returns it: the row, then the winning
    revision's body over it (fields from newer versions included)."""
    spec = spec_for(record_type)
    cur = con.execute(f"SELECT * FROM {_quoted(spec.name)} WHERE id = ?", (record_id,))
    found = cur.fetchone()
    if found is None:
        return None
    row = dict(zip((d[0] for d in cur.description), found, strict=True))
    if row["deleted"] and not include_deleted:
        return None
    record = StoredRecord(
        record_type,
        row["id"],
        row["rev_id"],
        row_to_body(record_type, row),
        bool(row["deleted"]),
        row["heads"],
        row["updated_hlc"],
        row["updated_by"],
    )
    if row["deleted"]:
        return record  # a tombstone's row keeps the last content; its revision has none
    rev = con.execute(
        "SELECT record_type, body, schema_version FROM revision WHERE rev_id = ?",
        (row["rev_id"],),
    ).fetchone()
    if rev is None:
        return record
    full = upgrade_body(rev[0], json.loads(rev[1]), rev[2])
    body = {k: v for k, v in full.items() if k not in RESERVED_KEYS}
    return record._replace(body={**record.body, **body}) if body else record


def part_ids(con: Any, part_type: str, link: str, record_id: str) -> list[str]:
    """Ids of the `part_type` records whose `link` is `record_id`, deleted ones included,
    in `record_reads.list_records` order (title field, then arrival)."""
    spec = spec_for(part_type)
    sql = (
        f"SELECT id FROM {_quoted(spec.name)} WHERE {_quoted(link)} = ? "
        f"ORDER BY {_quoted(spec.title_field)}, num"
    )
    return [row[0] for row in con.execute(sql, (record_id,))]


def device_row(con: Any) -> dict[str, Any] | None:
    """This laptop's identity row, or None before setup."""
    cur = con.execute("SELECT * FROM local_device")
    found = cur.fetchone()
    return dict(zip((d[0] for d in cur.description), found, strict=True)) if found else None


def predecessors(con: Any) -> tuple[str, ...]:
    """This laptop's earlier device ids (one per restore), as `device_queries` reads them."""
    value = _meta(con, "predecessors")
    try:
        ids = json.loads(value) if value else []
    except ValueError:
        return ()
    return tuple(str(i) for i in ids) if isinstance(ids, list) else ()


def device_owners(con: Any) -> dict[str, tuple[str, str]]:
    """{device id: (user name, fingerprint)}, as `sync_queries.device_owners` reads it."""
    keys = {
        key_id: (device_id, user_name, fingerprint)
        for key_id, device_id, user_name, fingerprint in con.execute(
            "SELECT key_id, device_id, user_name, fingerprint FROM trusted_key"
        )
    }
    owners = {device: (name, fp) for device, name, fp in keys.values()}
    bound = con.execute(
        "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
        (len(DEVICE_KEY_PREFIX), DEVICE_KEY_PREFIX),
    ).fetchall()
    for meta_key, key_id in bound:
        if key_id in keys:
            _device, name, fp = keys[key_id]
            owners.setdefault(meta_key.removeprefix(DEVICE_KEY_PREFIX), (name, fp))
    return owners
