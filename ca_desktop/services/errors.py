"""Errors the GUI and the command line may meet when opening or writing the data folder.

Re-exported from the storage layer so that nothing above services imports store.
`StorageOperationalError` is the database driver's failure (disk full, locked, read-only).
"""

from __future__ import annotations

from ca_desktop.store.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
    MigrationFailed,
    NotInitialised,
    StorageDatabaseError,
    StorageOperationalError,
)

__all__ = [
    "DatabaseDamaged",
    "DatabaseTooNew",
    "MigrationFailed",
    "NotInitialised",
    "StorageDatabaseError",
    "StorageOperationalError",
]
