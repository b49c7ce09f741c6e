"""The local database: where it lives, opening it safely, backups."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.store import backend, health, migrate, search_index, server_checks, sqlite
from ca_desktop.store.backend import NotOnServer
from ca_desktop.store.locations import default_data_dir  # noqa: F401  (re-exported)

DB_NAME = "ca-desktop.sqlite"
KEEP_BACKUPS = 10


class DatabaseLocked(Exception):
    """The database is encrypted and no key was given (or a plain one was given a key)."""


@dataclass
class Database:
    data_dir: Path
    engine: Engine
    key: bytes | None = None  # the raw SQLCipher key; None for a plain folder
    # A PostgreSQL server's URL when the records live there (docs/hub.md); None: the file.
    url: str | None = None

    @property
    def on_server(self) -> bool:
        return self.url is not None

    @property
    def path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @classmethod
    def open(cls, data_dir: Path, key: bytes | None = None, url: str | None = None) -> Database:
        """Open (creating if needed) and upgrade the database, encrypted with `key` if given.

        Raises sqlite.DatabaseDamaged, migrate.DatabaseTooNew, migrate.MigrationFailed or
        DatabaseLocked (key missing, or a key for a plain file: convert it first), each
        leaving the file untouched. Only the bounded check runs here (`store/health.py`);
        the quick check follows in `verify` or before the first write.

        With `url`, the records are in that PostgreSQL database instead (created schema
        and upgrades in one locked transaction); the folder keeps keys and attachments.
        """
        private_folder(data_dir)
        if url is not None:
            return cls._open_server(data_dir, url)
        path = data_dir / DB_NAME
        if path.exists() and path.stat().st_size > 0:
            if key is not None and sqlite.is_plain_file(path):
                raise DatabaseLocked(f"{path} is not encrypted yet")
            # Without a key, an encrypted file reads as damaged: the caller knows from the
            # folder's key file whether to ask for the passphrase first (services/protection).
            health.check_bounded(path, key)
        engine = sqlite.make_engine(path, key)
        db = cls(data_dir, engine, key)
        try:
            migrate.upgrade(engine, path, db.backups_dir, key=key)
            private_files(data_dir)
            with engine.connect() as conn:
                current = search_index.is_current(conn)
            if not current:  # a field was marked searchable since the index was built
                with backend.write_transaction(engine) as conn:
                    search_index.install(conn)
        except Exception:
            engine.dispose()
            raise
        return db

    @classmethod
    def _open_server(cls, data_dir: Path, url: str) -> Database:
        engine = backend.make_engine(url)
        db = cls(data_dir, engine, None, url)
        try:
            migrate.upgrade_server(engine)
            with engine.connect() as conn:
                current = search_index.is_current(conn)
            if not current:
                with backend.write_transaction(engine) as conn:
                    search_index.install(conn)
        except Exception:
            engine.dispose()
            raise
        return db

    def verify(self, progress: Progress | None = None) -> None:
        """SQLite's quick check of the whole file, once; writes wait for it meanwhile.

        Raises DatabaseDamaged (and every later write is refused), or `Cancelled` from
        `progress` (the check runs again before the first write).
        A server database checks its own pages: nothing to do here.
        """
        if self.on_server:
            return
        sqlite.gate_of(self.engine).verify(progress)

    @property
    def damage(self) -> str | None:
        """Why writes are refused (the quick check failed), or None."""
        if self.on_server:
            return None
        return sqlite.gate_of(self.engine).damage

    def close(self) -> None:
        if self.on_server:  # the server's autovacuum keeps its statistics
            self.engine.dispose()
            return
        # Fresh planner statistics for the next start (cheap: SQLite only analyses the
        # tables whose size changed enough since the last time).
        with contextlib.suppress(Exception), self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks (empty when healthy).

        On a server (which checks its own pages and references) the consistency of what
        CA Desktop keeps beside the revisions: current rows and heads, the search index."""
        if self.on_server:
            with self.engine.connect() as conn:
                return server_checks.problems(conn)
        problems: list[str] = []
        with self.engine.connect() as conn:
            rows = conn.execute(text("PRAGMA integrity_check")).scalars().all()
            if rows != ["ok"]:
                problems += [f"integrity: {r}" for r in rows]
            problems += [
                f"broken reference in {r[0]} row {r[1]} to {r[2]}"
                for r in conn.execute(text("PRAGMA foreign_key_check")).all()
            ]
            problems += [f"search index: {r}" for r in _fts_problems(conn)]
        return problems

    def backup(self, target: Path, progress: Progress | None = None) -> Path:
        """A checked copy at `target`; `Cancelled` (from `progress`) leaves nothing there.

        NotOnServer for a server database (its backups are the server's: pg_dump)."""
        self._file_only("backup")
        sqlite.backup_to(self.path, target, progress, key=self.key)
        return target

    def backup_now(self, reason: str = "manual", folder: Path | None = None) -> Path:
        """A dated backup in `folder` (the data folder's `backups/` by default); old ones
        of the same reason beyond KEEP_BACKUPS are pruned there."""
        folder = folder or self.backups_dir
        private_folder(folder)  # backups hold what the database holds: owner only
        target = folder / f"{reason}-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
        n = 1
        while target.exists():
            n += 1
            target = target.with_name(f"{reason}-{time.strftime('%Y%m%d-%H%M%S')}-{n}.sqlite")
        self.backup(target)
        backups = sorted(folder.glob(f"{reason}-*.sqlite"), key=lambda p: p.stat().st_mtime)
        for old in backups[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target

    def _file_only(self, what: str) -> None:
        if self.on_server:
            raise NotOnServer(
                "the records are on a PostgreSQL server: back it up with pg_dump (docs/hub.md)"
                if what == "backup"
                else "the records are on a PostgreSQL server: check it with 'hub check'"
            )


def latest_backup(data_dir: Path, extra: Path | None = None) -> Path | None:
    """The newest backup in the data folder's `backups/` or in `extra` (a chosen folder)."""
    folders = [data_dir / "backups"] + ([extra] if extra is not None else [])
    backups = sorted(
        (p for folder in folders for p in folder.glob("*.sqlite")), key=lambda p: p.stat().st_mtime
    )
    return backups[-1] if backups else None


def private_folder(data_dir: Path) -> None:
    """Create the data folder if needed; either way only its owner may enter it."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt":
        os.chmod(data_dir, 0o700)


def private_files(data_dir: Path) -> None:
    """The database files `0600` and the folders beside it `0700` (older versions left them
    readable by all; SQLite gives its WAL the database file's mode)."""
    if os.name == "nt":
        return  # the user profile's access list protects the folder there
    for entry in data_dir.iterdir():
        with contextlib.suppress(OSError):
            if entry.is_dir():
                os.chmod(entry, 0o700)
            elif entry.name.startswith(DB_NAME):
                os.chmod(entry, 0o600)


def restore(
    data_dir: Path, source: Path, progress: Progress | None = None, key: bytes | None = None
) -> Path:
    """Replace the database with a checked copy of `source`; the old file is kept aside.

    Returns where the previous database was saved. `progress` gets (percent, 100) and may
    cancel while the copies are made (after them nothing is left to wait for): `Cancelled`
    then leaves the database untouched and no copy behind. With `key`, a plain `source` (a
    backup from before the folder was encrypted) is restored encrypted.
    """
    report(progress, 0, 100)
    plain_source = key is not None and source.is_file() and sqlite.is_plain_file(source)
    source_key = None if plain_source else key
    sqlite.check_file(source, key=source_key)
    probe = sqlite.make_engine(source, source_key)
    try:
        version = migrate.current_revision(probe)
    finally:
        probe.dispose()
    if version is not None and version not in migrate.known_revisions():
        raise migrate.DatabaseTooNew(f"{source} was written by a newer version of CA Desktop")
    if version is None:
        raise sqlite.DatabaseDamaged(f"{source} is not a CA Desktop database")
    path = data_dir / DB_NAME
    private_folder(data_dir)
    aside = data_dir / "backups" / f"replaced-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
    staged = data_dir / (DB_NAME + ".restoring")
    if plain_source:
        assert key is not None
        sqlite.encrypt_copy(source, staged, key, _part(progress, 0))
    else:
        sqlite.backup_to(source, staged, _part(progress, 0), key=key)
    try:
        _new_incarnation(path, staged, key)
        if path.exists():
            aside.parent.mkdir(parents=True, exist_ok=True)
            try:
                sqlite.backup_to(path, aside, _part(progress, 50), key=key)
            except (sqlite.DatabaseDamaged, *sqlite.driver_errors()):  # type: ignore[misc]
                os.replace(path, aside)  # keep the damaged file for the record, never delete it
    except BaseException:
        staged.unlink(missing_ok=True)  # a cancelled copy of `path` removed itself
        raise
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(staged, path)
    sqlite.fsync_dir(data_dir)
    return aside


PREDECESSORS_KEY = "predecessors"  # meta: JSON list of this laptop's earlier device ids
SENT_KEY = "sent_seq"  # meta: the highest own sequence number a peer acknowledged


def _read_identity(path: Path, key: bytes | None) -> tuple[str, str, list[str]] | None:
    """(device id, clock, predecessors) from a database file, or None when unreadable."""
    try:
        con = sqlite.connect(path, key, readonly=True)
        try:
            row = con.execute("SELECT device_id, clock FROM local_device").fetchone()
            meta = con.execute(
                "SELECT value FROM meta WHERE key = ?", (PREDECESSORS_KEY,)
            ).fetchone()
        finally:
            con.close()
    except sqlite.driver_errors():
        return None  # damaged or missing: the backup's identity is all there is to go on
    if not row:
        return None
    try:
        earlier = [str(d) for d in json.loads(meta[0])] if meta else []
    except (ValueError, TypeError):
        earlier = []
    return str(row[0]), str(row[1]), earlier


def _new_incarnation(current: Path, staged: Path, key: bytes | None) -> None:
    """Give the restored database a new device id, its old ones kept as predecessors.

    Sequence numbers, bundle counters and receipts all belong to one incarnation, so a
    restore (from a healthy or an unreadable database alike) can never hand out a number
    that was already used: the new incarnation starts at 1 and what the old one sent stays
    its own. The signing key (outside the database) is unchanged; peers bind the new id to
    it when its first bundle arrives (docs/sync-bundle-format.md, "Incarnations").
    """
    restored = _read_identity(staged, key)
    if restored is None:
        return  # a backup taken before the laptop was set up: nothing to renew
    old = _read_identity(current, key) if current.exists() else None
    clock = max(restored[1], old[1]) if old else restored[1]
    earlier = {restored[0], *restored[2], *((old[0], *old[2]) if old else ())}
    new_id = uuid7()
    con = sqlite.connect(staged, key)
    try:
        con.execute(
            "UPDATE local_device SET device_id = ?, next_seq = 1, clock = ?", (new_id, clock)
        )
        for name, value in (
            (PREDECESSORS_KEY, json.dumps(sorted(earlier - {new_id}))),
            (SENT_KEY, "0"),
        ):
            con.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (name, value),
            )
        con.commit()
    finally:
        con.close()


def _fts_problems(conn: object) -> list[str]:
    try:
        conn.execute(text("INSERT INTO activity_fts(activity_fts) VALUES('integrity-check')"))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - any failure here is the problem to report
        return [str(exc).splitlines()[0]]
    return []


def _part(progress: Progress | None, start: int) -> Progress | None:
    """One of restore's two copies as half of its 0-100 progress, starting at `start`."""
    if progress is None:
        return None
    return lambda done, total: progress(start + 50 * done // max(total, 1), 100)
