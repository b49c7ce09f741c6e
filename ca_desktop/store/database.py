"""The local database: where it lives, opening it safely, backups."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import Engine, text

from ca_desktop.store import migrate, sqlite

DB_NAME = "ca-desktop.sqlite"
APP_NAME = "CA Desktop"
APP_AUTHOR = "Cities Alliance"
KEEP_BACKUPS = 10


def default_data_dir() -> Path:
    override = os.environ.get("CA_DESKTOP_DATA_DIR")
    if override:
        return Path(override)
    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


@dataclass
class Database:
    data_dir: Path
    engine: Engine

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
    def open(cls, data_dir: Path) -> Database:
        """Open (creating if needed) and upgrade the database.

        Raises sqlite.DatabaseDamaged, migrate.DatabaseTooNew or migrate.MigrationFailed,
        each leaving the file untouched.
        """
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / DB_NAME
        if path.exists() and path.stat().st_size > 0:
            sqlite.check_file(path, thorough=False)
        engine = sqlite.make_engine(path)
        db = cls(data_dir, engine)
        try:
            migrate.upgrade(engine, path, db.backups_dir)
        except Exception:
            engine.dispose()
            raise
        return db

    def close(self) -> None:
        self.engine.dispose()

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity and foreign-key checks (empty when healthy)."""
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

    def backup(self, target: Path) -> Path:
        sqlite.backup_to(self.path, target)
        return target

    def backup_now(self, reason: str = "manual") -> Path:
        """A dated backup in the data folder; old ones beyond KEEP_BACKUPS are pruned."""
        target = self.backups_dir / f"{reason}-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
        n = 1
        while target.exists():
            n += 1
            target = target.with_name(f"{reason}-{time.strftime('%Y%m%d-%H%M%S')}-{n}.sqlite")
        self.backup(target)
        backups = sorted(
            self.backups_dir.glob(f"{reason}-*.sqlite"), key=lambda p: p.stat().st_mtime
        )
        for old in backups[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target


def latest_backup(data_dir: Path) -> Path | None:
    backups = sorted((data_dir / "backups").glob("*.sqlite"), key=lambda p: p.stat().st_mtime)
    return backups[-1] if backups else None


def restore(data_dir: Path, source: Path) -> Path:
    """Replace the database with a checked copy of `source`; the old file is kept aside.

    Returns where the previous database was saved.
    """
    sqlite.check_file(source)
    probe = sqlite.make_engine(source)
    try:
        version = migrate.current_revision(probe)
    finally:
        probe.dispose()
    if version is not None and version not in migrate.known_revisions():
        raise migrate.DatabaseTooNew(f"{source} was written by a newer version of CA Desktop")
    if version is None:
        raise sqlite.DatabaseDamaged(f"{source} is not a CA Desktop database")
    path = data_dir / DB_NAME
    data_dir.mkdir(parents=True, exist_ok=True)
    aside = data_dir / "backups" / f"replaced-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
    staged = data_dir / (DB_NAME + ".restoring")
    sqlite.backup_to(source, staged)
    if path.exists():
        aside.parent.mkdir(parents=True, exist_ok=True)
        try:
            sqlite.backup_to(path, aside)
        except sqlite.DatabaseDamaged:
            os.replace(path, aside)  # keep the damaged file for the record, never delete it
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(staged, path)
    sqlite.fsync_dir(data_dir)
    return aside


def _fts_problems(conn: object) -> list[str]:
    try:
        conn.execute(text("INSERT INTO activity_fts(activity_fts) VALUES('integrity-check')"))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - any failure here is the problem to report
        return [str(exc).splitlines()[0]]
    return []
