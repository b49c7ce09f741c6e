"""Everything specific to SQLite lives here, so a shared server database can come later.

An encrypted data folder's files are SQLCipher databases (`sqlcipher3`) opened with a raw
256-bit key (`key`): every connection, backup and check below takes it, and `None` means a
plain SQLite file through the standard library, exactly as before encryption existed. The
raw key skips SQLCipher's own passphrase KDF, which would otherwise run on every connect.

Connections run in autocommit mode at the driver level (`isolation_level=None`) and we
issue BEGIN ourselves: `BEGIN IMMEDIATE` for writers, so concurrent writers queue on the
busy timeout instead of failing half-way, and DDL in migrations is transactional.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ca_desktop.domain.jobs import Cancelled, Progress, report

if TYPE_CHECKING:
    # SQLAlchemy is imported where an engine is made, not here: the lean reads
    # (`store/lean_reads.py`) open files with `connect` below without loading it.
    from sqlalchemy import Engine, Table
    from sqlalchemy.engine import Connection

BUSY_TIMEOUT_MS = 30_000
# Pages copied per backup step: small enough to report progress and stop within a moment.
BACKUP_PAGES = 1024


PLAIN_HEADER = b"SQLite format 3\x00"
ENCRYPTED_CACHE_KIB = 128 * 1024  # per connection, filled only as pages are read
KEY_BYTES = 32


class DatabaseDamaged(Exception):
    """The file is not a healthy SQLite database."""


def driver(key: bytes | None) -> ModuleType:
    """The DB-API module for a plain (`None`) or an encrypted database."""
    if key is None:
        return sqlite3
    import sqlcipher3.dbapi2  # only encrypted folders load SQLCipher

    return sqlcipher3.dbapi2


def driver_errors() -> tuple[type[Exception], ...]:
    """The database errors of both drivers (SQLCipher's are not sqlite3's classes)."""
    try:
        import sqlcipher3.dbapi2
    except ImportError:  # pragma: no cover - a build without SQLCipher
        return (sqlite3.Error,)
    return (sqlite3.Error, sqlcipher3.dbapi2.Error)


def driver_operational_errors() -> tuple[type[Exception], ...]:
    """Both drivers' OperationalError (a full disk, a lock, a read-only folder)."""
    try:
        import sqlcipher3.dbapi2
    except ImportError:  # pragma: no cover - a build without SQLCipher
        return (sqlite3.OperationalError,)
    return (sqlite3.OperationalError, sqlcipher3.dbapi2.OperationalError)


def is_plain_file(path: Path) -> bool:
    """Whether `path` starts like an unencrypted SQLite database (SQLCipher's look random)."""
    with open(path, "rb") as f:
        return f.read(len(PLAIN_HEADER)) == PLAIN_HEADER


def connect(path: Path, key: bytes | None, readonly: bool = False) -> Any:
    """A driver connection to `path`, keyed when `key` is given (nothing read yet)."""
    # A URI for read-only: the path percent-encoded (`as_uri`), or a folder named with "?",
    # "#" or "%" would open another file than the one meant.
    target = f"{Path(path).absolute().as_uri()}?mode=ro" if readonly else str(path)
    con = driver(key).connect(
        target, uri=readonly, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    if key is not None:
        _apply_key(con, key)
        # SQLCipher decrypts a page each time it enters SQLite's own cache (the OS cache
        # holds only ciphertext), so queries and checks need a cache that holds their pages:
        # 128 MiB keeps the Activities page, Home and integrity checks on 100k activities
        # near plain speed. It fills only as pages are read.
        con.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
    return con


def _apply_key(con: Any, key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")  # hex of our own bytes: nothing to inject


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    from sqlalchemy import URL, create_engine, event

    # The path as the URL's database, taken literally: parsed from "sqlite:///..." text, a
    # folder named with "?" or "#" would put the file somewhere else (outside the folder).
    url = URL.create("sqlite", database=str(path))
    if key is None:
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
    else:
        # The stock pysqlite dialect over SQLCipher's module: a file URL keeps the queue
        # pool, `module` makes SQLAlchemy wrap SQLCipher's errors like sqlite3's, and the
        # creator keys each connection before the dialect's first query.
        engine = create_engine(
            url,
            creator=lambda: connect(path, key),
            module=driver(key),
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: an officer's last saved record must survive a power cut.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        # Freed space is zeroed: an erased name leaves no copy in a free page (issue 14).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("ca_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    _gates[engine] = WriteGate(path, key)  # the first write waits for the quick check
    return engine


@contextlib.contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One writer transaction; commits on success, rolls back on any exception.

    The first write of an engine waits for the file's quick check (see `WriteGate`).
    """
    gate_of(engine).before_write()
    with engine.connect().execution_options(ca_write=True) as conn, conn.begin():
        yield conn


class WriteGate:
    """Nothing is written to a file that has not passed SQLite's quick check.

    Opening only runs a bounded check (`store/health.py`), so the start never waits for a
    pass over the whole file; the full quick check runs once per engine, either in the
    background after the GUI window is up (`verify`) or, at the latest, before the first
    write. A write that arrives while the check runs waits for it; once the check failed
    every write is refused with the same message, so nothing is added to a damaged file
    before the user restores a backup.
    """

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self.path = path
        self.key = key
        self._lock = threading.Lock()
        self.verified = False
        self.damage: str | None = None

    def verify(self, progress: Progress | None = None) -> None:
        """Run the quick check now unless it already ran; raises DatabaseDamaged."""
        with self._lock:
            self._check(progress)

    def mark_verified(self) -> None:
        """A thorough check of the same file just passed (before a migration)."""
        with self._lock:
            if self.damage is None:
                self.verified = True

    def before_write(self) -> None:
        with self._lock:
            self._check(None)

    def _check(self, progress: Progress | None) -> None:
        if self.damage is not None:
            raise DatabaseDamaged(self.damage)
        if self.verified or not self.path.exists() or self.path.stat().st_size == 0:
            return
        try:
            check_file(self.path, thorough=False, progress=progress, key=self.key)
        except DatabaseDamaged as exc:
            self.damage = str(exc)
            raise
        self.verified = True


_gates: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


def gate_of(engine: Engine) -> WriteGate:
    gate = _gates.get(engine)
    if gate is None:
        database = engine.url.database
        gate = _gates[engine] = WriteGate(Path(database or ""))
    return gate


def upsert(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: str = "id",
    keep: tuple[str, ...] = ("num", "created_hlc"),
    defaults: dict[str, Any] | None = None,
) -> None:
    """Insert rows, or update every column but `key` and `keep` where `key` exists.

    Every column of the table but `num` is written; a missing or None value becomes
    `defaults[column]` when given, else NULL. Plain driver-level executemany: this runs for
    every record written, and building SQLAlchemy statements per row costs more than the
    insert itself.
    """
    if not rows:
        return
    columns = tuple(c.name for c in table.columns if c.name != "num")
    fill = defaults or {}
    sql = _upsert_sql(table.name, columns, key, keep)
    values = []
    for r in rows:
        get = r.get
        values.append(tuple(fill.get(c) if get(c) is None else get(c) for c in columns))
    conn.exec_driver_sql(sql, values)


def upsert_rows(
    conn: Connection,
    table: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    key: str = "id",
    keep: tuple[str, ...] = ("num", "created_hlc"),
) -> None:
    """`upsert` for rows already built as tuples in `columns` order (the hot path)."""
    if rows:
        conn.exec_driver_sql(_upsert_sql(table, columns, key, keep), rows)


@functools.cache
def _upsert_sql(table: str, columns: tuple[str, ...], key: str, keep: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in (key, *keep))
    return (
        f'INSERT INTO "{table}" ({names}) VALUES ({marks}) '
        f'ON CONFLICT("{key}") DO UPDATE SET {updates}'
    )


def insert_many(
    conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if rows:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


# SQLite virtual-machine steps between two calls of a check's progress handler.
CHECK_STEPS = 100_000


def check_file(
    path: Path,
    thorough: bool = True,
    progress: Progress | None = None,
    key: bytes | None = None,
) -> None:
    """Raise DatabaseDamaged unless the file opens and passes SQLite's checks.

    `thorough` runs integrity_check and foreign_key_check (before migrations, backups and
    restores); otherwise quick_check, which finds damaged pages and b-trees in a fraction of
    the time (before the first write, see `WriteGate`). Both read every page: `progress`
    is called as (0, 0) every so often and may cancel (`Cancelled`; nothing was written).
    """
    errors = driver_errors()
    try:
        con = connect(path, key, readonly=True)
    except errors as exc:
        raise DatabaseDamaged(f"{path} cannot be opened: {exc}") from None
    stopped: list[bool] = []
    if progress is not None:

        def handler() -> int:
            if not progress(0, 0):
                stopped.append(True)
                return 1  # interrupts the statement
            return 0

        con.set_progress_handler(handler, CHECK_STEPS)
    try:
        try:
            rows = con.execute(
                f"PRAGMA {'integrity_check' if thorough else 'quick_check'}"
            ).fetchall()
        except driver_operational_errors():
            if stopped:
                raise Cancelled("cancelled") from None
            raise
        if rows != [("ok",)]:
            raise DatabaseDamaged(f"{path} failed its integrity check: {_first_problem(rows)}")
        # (Encrypted: SQLCipher checks each page's HMAC as it reads it, so the integrity check
        # above has authenticated every page in use; free pages hold nothing to restore.)
        bad_fk = con.execute("PRAGMA foreign_key_check").fetchall() if thorough else []
        if bad_fk:
            raise DatabaseDamaged(f"{path} has {len(bad_fk)} broken references")
    except errors as exc:
        if key is not None and "not a database" in str(exc):
            raise DatabaseDamaged(
                f"{path} cannot be read with this data folder's key (damaged, or another laptop's)"
            ) from None
        raise DatabaseDamaged(f"{path} is not a readable database: {exc}") from None
    finally:
        con.close()


def _first_problem(rows: list[Any]) -> str:
    """One line for the message (SQLite lists every damaged cell, one per line)."""
    lines = [ln for row in rows for ln in str(row[0]).splitlines() if not ln.startswith("***")]
    return lines[0] if lines else "unknown damage"


def backup_to(
    source: Path, target: Path, progress: Progress | None = None, key: bytes | None = None
) -> None:
    """A consistent copy via SQLite's online backup, written beside the target then renamed.

    The copy is checked before it takes the final name, so a backup that exists is a good one.
    `progress` gets (pages copied, pages in all); `Cancelled` removes the partial copy. With
    `key`, source and copy are both encrypted with it (the copy is never in clear).
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)

    def step(_status: int, remaining: int, total: int) -> None:
        report(progress, total - remaining, total)  # raising here aborts the copy

    try:
        src = connect(source, key)
        try:
            dst = connect(tmp, key)
            try:
                report(progress, 0, 1)
                if progress is None:
                    src.backup(dst)  # one step: a busy writer cannot make it start over
                else:
                    src.backup(dst, pages=BACKUP_PAGES, progress=step)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        check_file(tmp, key=key)
        private_file(tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def encrypt_copy(source: Path, target: Path, key: bytes, progress: Progress | None = None) -> None:
    """An encrypted copy of the plain database `source` at `target` (checked, then renamed).

    `sqlcipher_export` copies schema and rows in one statement: the fastest way SQLCipher
    offers, and nothing of the copy exists in clear on disk. `progress` can only cancel
    before the copy starts and after it ends (the statement cannot report on its way).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    for old in (tmp, Path(f"{tmp}-journal")):
        old.unlink(missing_ok=True)
    try:
        report(progress, 0, 2)
        con = driver(key).connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # Commits still in the plain WAL go into the database file (and the copy).
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(tmp),))
            # A scratch file until it is checked, synced and renamed: no journal needed.
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                f"cache_size = -{ENCRYPTED_CACHE_KIB}",
            ):
                con.execute(f"PRAGMA encrypted.{pragma}")
            con.execute("SELECT sqlcipher_export('encrypted')")
            _same_rows(con)
            con.execute("DETACH DATABASE encrypted")
        finally:
            con.close()
        report(progress, 1, 2)
        # Rows counted above, structure checked here: a thorough check of a copy SQLite has
        # just written would decrypt every page several times over for nothing more.
        check_file(tmp, thorough=False, key=key)
        private_file(tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_dir(target.parent)
        report(progress, 2, 2)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _same_rows(con: Any) -> None:
    """Every table of the copy (`encrypted`) holds as many rows as the original's."""
    tables = [
        name
        for (name,) in con.execute(
            # Virtual tables (the search index) are counted through their shadow tables.
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    for name in tables:
        quoted = '"' + name.replace('"', '""') + '"'
        theirs = con.execute(f"SELECT count(*) FROM main.{quoted}").fetchone()[0]
        ours = con.execute(f"SELECT count(*) FROM encrypted.{quoted}").fetchone()[0]
        if theirs != ours:
            raise DatabaseDamaged(f"the encrypted copy of {name} has {ours} rows, not {theirs}")


def private_file(path: Path) -> None:
    """Readable by this user only (a no-op where the file system has no such modes)."""
    if os.name != "nt":
        os.chmod(path, 0o600)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def insert_ignore(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows; a row whose primary key exists already is left as it is."""
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    conn.execute(
        sqlite_insert(table).on_conflict_do_nothing(),
        [dict(zip(columns, r, strict=True)) for r in rows],
    )


def delete_many(conn: Connection, table: str, column: str, values: list[Any]) -> None:
    if values:
        conn.exec_driver_sql(f'DELETE FROM "{table}" WHERE "{column}" = ?', [(v,) for v in values])


def fts_search(conn: Connection, words: str, limit: int | None = None) -> list[str]:
    """Ids of live activities matching `words` (search as you type), best matches first."""
    query = fts_query(words)
    if not query:
        return []
    sql = (
        "SELECT a.id FROM activity_fts f JOIN activity a ON a.num = f.rowid "
        "WHERE activity_fts MATCH ? AND a.deleted = 0 ORDER BY rank"
    )
    params: tuple[Any, ...] = (query,)
    if limit:
        sql += " LIMIT ?"
        params += (int(limit),)
    return [row[0] for row in conn.exec_driver_sql(sql, params)]


def fts_query(words: str) -> str:
    """A safe FTS5 query: each word quoted, the last one as a prefix (search as you type)."""
    tokens = [t.replace('"', '""') for t in words.split() if t.strip()]
    if not tokens:
        return ""
    parts = [f'"{t}"' for t in tokens[:-1]] + [f'"{tokens[-1]}"*']
    return " ".join(parts)
