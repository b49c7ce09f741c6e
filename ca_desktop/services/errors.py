"""Errors the GUI and the command line may meet when opening or writing the data folder.

Re-exported from the storage layer so that nothing above services imports store.
`StorageOperationalError` is the database driver's failure (disk full, locked, read-only).
"""

from __future__ import annotations

from ca_desktop.services.at_rest import SealedFileError
from ca_desktop.services.database_choice import DatabaseChoiceError
from ca_desktop.services.protection import ProtectionError, WrongPassphrase
from ca_desktop.store import sqlite
from ca_desktop.store.errors import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseTooNew,
    MigrationFailed,
    NotInitialised,
    NotOnServer,
    StorageDatabaseError,
    StorageOperationalError,
)

# The database drivers' own errors, met outside SQLAlchemy (checks, backups): plain SQLite's
# and SQLCipher's are different classes.
DRIVER_OPERATIONAL_ERRORS = sqlite.driver_operational_errors()
DRIVER_ERRORS = sqlite.driver_errors()

__all__ = [
    "DatabaseChoiceError",
    "NotOnServer",
    "DRIVER_ERRORS",
    "DRIVER_OPERATIONAL_ERRORS",
    "DatabaseDamaged",
    "DatabaseLocked",
    "ProtectionError",
    "SealedFileError",
    "WrongPassphrase",
    "DatabaseTooNew",
    "MigrationFailed",
    "NotInitialised",
    "StorageDatabaseError",
    "StorageOperationalError",
]
