"""The data folder without opening it: where it is, its database file, backups and restore.

These work when the database cannot be opened (damaged, too new), which is when they are
needed, so they are functions of the folder and not methods of `CaDesktop`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.services import protection
from ca_desktop.services.settings import backup_folder
from ca_desktop.store import database, sqlite


def default_data_dir() -> Path:
    """The folder used when none is given (CA_DESKTOP_DATA_DIR overrides the platform's)."""
    return database.default_data_dir()


def database_file(data_dir: Path) -> Path:
    """The database file inside a data folder (it may not exist yet)."""
    return data_dir / database.DB_NAME


def check_database_file(path: Path) -> None:
    """Raise DatabaseDamaged unless the file passes SQLite's integrity and reference checks.

    A file of an encrypted folder (its database, its backups) is read with that folder's
    unlocked key; `path` is taken to live in the folder or in its `backups`.
    """
    folder = path.parent.parent if path.parent.name == "backups" else path.parent
    sqlite.check_file(path, key=protection.key_for(folder))


def check_database_key(data_dir: Path, key: bytes) -> None:
    """Raise DatabaseDamaged unless `key` opens the folder's database (a recovered key)."""
    sqlite.check_file(database_file(data_dir), thorough=False, key=key)


def latest_backup(data_dir: Path) -> Path | None:
    """The newest backup in the data folder or the backup folder of the settings, or None."""
    return database.latest_backup(data_dir, _chosen_folder(data_dir))


def _chosen_folder(data_dir: Path) -> Path | None:
    chosen = backup_folder(data_dir)
    return None if chosen == data_dir / "backups" else chosen


def restore_backup(data_dir: Path, source: Path) -> Path:
    """Replace the database with a checked copy of `source`; returns where the old one was kept."""
    return database.restore(data_dir, source, key=protection.key_for(data_dir))


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    modified: str  # UTC, ISO 8601
    size: int  # bytes


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The backups kept in the data folder and in the backup folder of the settings, newest
    first (automatic, manual, replaced ones)."""
    found = []
    folders = [data_dir / "backups", _chosen_folder(data_dir)]
    paths = [p for folder in folders if folder is not None for p in folder.glob("*.sqlite")]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while listing
        when = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")
        found.append(BackupInfo(path, when, stat.st_size))
    return sorted(found, key=lambda b: b.modified, reverse=True)
