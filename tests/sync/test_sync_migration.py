"""Migration 0002 upgrades an existing 0001 database, and matches the table models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import ca_desktop.store.sync_tables  # noqa: F401
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import migrate, sqlite
from ca_desktop.store.database import DB_NAME


def test_a_0001_database_with_data_upgrades_to_sync(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    data_dir.mkdir()
    path = data_dir / DB_NAME
    engine = sqlite.make_engine(path)
    migrate.upgrade(engine, path, data_dir / "backups", target="0001")
    with engine.connect() as conn:
        tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars())
    engine.dispose()
    assert "trusted_key" not in tables and "revision" in tables
    app = CaDesktop.open(data_dir)  # upgrades to head
    try:
        app.init_device("Amina", "officer", "UG-CP")
        app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"})
        assert migrate.current_revision(app.db.engine) == migrate.head_revision()
        with app.db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars())
        assert {"trusted_key", "sync_peer", "sync_import", "sync_export"} <= names
        ours = [d for d in diff if "sync" in repr(d) or "trusted_key" in repr(d)]
        assert ours == []
    finally:
        app.close()
