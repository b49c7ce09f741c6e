"""Schema upgrades on open: checked, backed up, all-or-nothing.

Order of work when a database is opened:
1. integrity check of the existing file (a damaged file is refused, never "repaired");
2. a database stamped with a schema this build does not know is refused, untouched;
3. pending migrations: a verified backup first, then every step in one transaction
   (SQLite DDL is transactional because we send BEGIN ourselves); on failure the
   transaction rolls back, and if the file is still not healthy the backup is restored.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

from ca_desktop.store import backend, sqlite

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening an up-to-date database compares against this and never
# loads Alembic, which saves a noticeable part of a cold start on an old laptop; a test
# keeps it equal to the head of the migration scripts.
SCHEMA_HEAD = "0013"


class DatabaseTooNew(Exception):
    """Written by a newer CA Desktop; we must not touch it."""


class MigrationFailed(Exception):
    """A schema upgrade failed; the database was left as it was."""


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema version stamped in the database (None for an empty database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(
    engine: Engine, path: Path, backups: Path, target: str = "head", key: bytes | None = None
) -> bool:
    """Bring the schema to `target`; True when anything was applied."""
    if backend.on_server(engine):
        return upgrade_server(engine, target)
    current = current_revision(engine)
    if target == "head" and current == SCHEMA_HEAD:
        return False
    if current is not None and current not in known_revisions():
        raise DatabaseTooNew(
            f"{path} was written by a newer version of CA Desktop (schema {current}); "
            "install the newer version to open it. The file was not changed."
        )
    backup: Path | None = None
    if current is not None:
        sqlite.check_file(path, key=key)  # the thorough check, before anything is changed
        sqlite.gate_of(engine).mark_verified()  # it covers the quick check
        backup = backups / f"before-upgrade-{current}-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
        sqlite.backup_to(path, backup, key=key)
    from alembic import command

    cfg = alembic_config()
    try:
        with backend.write_transaction(engine) as conn:
            # Recreating tables in batch mode must not cascade deletes into child tables.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise MigrationFailed(f"the upgrade would break {len(broken)} references")
    except Exception as exc:
        engine.dispose()
        if backup is not None:
            try:
                sqlite.check_file(path, key=key)
            except sqlite.DatabaseDamaged:
                shutil.copyfile(backup, path)
        if isinstance(exc, MigrationFailed):
            raise
        raise MigrationFailed(
            f"upgrading the database failed ({exc}); it was left as it was"
        ) from exc
    return True


def upgrade_server(engine: Engine, target: str = "head") -> bool:
    """Bring a server database's schema to `target`, in one transaction; True when anything
    was applied.

    The writers' lock is taken first, so two desktops opening a new database at once apply
    the migrations once: the second finds them applied. Backups of a server database are
    the server's own (docs/hub.md); a failed step rolls the whole upgrade back.
    """
    if target == "head" and current_revision(engine) == SCHEMA_HEAD:
        return False
    from alembic import command

    cfg = alembic_config()
    try:
        with backend.write_transaction(engine) as conn:
            current = current_revision_in(conn)
            if target == "head" and current == SCHEMA_HEAD:
                return False
            if current is not None and current not in known_revisions():
                raise DatabaseTooNew(
                    f"the database was written by a newer version of CA Desktop (schema "
                    f"{current}); install the newer version to open it. It was not changed."
                )
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    except DatabaseTooNew:
        raise
    except Exception as exc:
        raise MigrationFailed(
            f"upgrading the database failed ({exc}); it was left as it was"
        ) from exc
    return True


def current_revision_in(conn: Connection) -> str | None:
    """`current_revision` on an open connection (inside a transaction)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None
