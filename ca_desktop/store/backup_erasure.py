"""An erasure applied to a backup file kept in the data folder (issue 14 item 5)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from ca_desktop.store import sqlite
from ca_desktop.store.erasure import erase_fields
from ca_desktop.store.revisions import refresh_records


def scrub_pages(engine: Engine) -> None:
    """No copy left in the WAL or in free pages: checkpoint, vacuum, truncate the WAL.

    Connections run with `secure_delete` (`sqlite.make_engine`), so freed space is zeroed
    too; the vacuum rewrites the file without its free pages.

    Not on a PostgreSQL server: its dead row versions, WAL and backups are its
    administration's (docs/hub.md, "Erasure on a server")."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM needs none
    try:
        for statement in (
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "VACUUM",
            "PRAGMA wal_checkpoint(TRUNCATE)",
        ):
            raw.driver_connection.execute(statement)  # type: ignore[union-attr]
    finally:
        raw.close()


def erase_in_backup(
    path: Path, key: bytes | None, record_type: str, record_id: str, fields: Sequence[str]
) -> bool:
    """Erase `fields` of `record_id` in the backup at `path`, in place, in one transaction.

    False when the file cannot be changed (damaged, or older than the tables it needs):
    the caller names it to the user."""
    engine = sqlite.make_engine(path, key)
    failures: tuple[type[BaseException], ...] = (DBAPIError, *sqlite.driver_errors())
    try:
        with sqlite.write_transaction(engine) as conn:
            if erase_fields(conn, record_id, fields):
                refresh_records(conn, {record_id: record_type})
        scrub_pages(engine)
        return True
    except failures:
        return False
    finally:
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{path}{suffix}").unlink()
