"""The storage layer's expected errors in one place, so callers above never name SQLAlchemy."""

from __future__ import annotations

from sqlalchemy.exc import DatabaseError as StorageDatabaseError
from sqlalchemy.exc import OperationalError as StorageOperationalError

from ca_desktop.store.backend import NotOnServer
from ca_desktop.store.database import DatabaseLocked
from ca_desktop.store.migrate import DatabaseTooNew, MigrationFailed
from ca_desktop.store.postgres import DatabaseUrlError
from ca_desktop.store.revisions import NotInitialised
from ca_desktop.store.sqlite import DatabaseDamaged

__all__ = [
    "DatabaseDamaged",
    "DatabaseUrlError",
    "NotOnServer",
    "DatabaseLocked",
    "DatabaseTooNew",
    "MigrationFailed",
    "NotInitialised",
    "StorageDatabaseError",
    "StorageOperationalError",
]
