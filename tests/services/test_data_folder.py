"""The data folder through services: backups found and restored, damage reported with the
storage layer's own error classes (re-exported, so callers never import store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.services import errors
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import (
    check_database_file,
    database_file,
    latest_backup,
    restore_backup,
)
from ca_desktop.store import migrate, revisions, sqlite


def test_errors_are_the_storage_layers_own_classes() -> None:
    # `except errors.DatabaseDamaged` must catch what the store raises.
    assert errors.DatabaseDamaged is sqlite.DatabaseDamaged
    assert errors.DatabaseTooNew is migrate.DatabaseTooNew
    assert errors.MigrationFailed is migrate.MigrationFailed
    assert errors.NotInitialised is revisions.NotInitialised


def test_latest_backup_is_restored(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    app = CaDesktop.open(folder)
    app.init_device("Amina", "officer")
    app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"})
    assert latest_backup(folder) is None
    app.backup_if_due(max_age_hours=0)
    app.save("programme", {"code": "GH-CP", "name": "Ghana", "kind": "country_programme"})
    app.close()
    backup = latest_backup(folder)
    assert backup is not None and backup.name.startswith("auto-")
    aside = restore_backup(folder, backup)
    assert aside.exists() and database_file(folder).exists()
    again = CaDesktop.open(folder)
    try:
        assert [p.body["code"] for p in again.list_records("programme")] == ["UG-CP"]
    finally:
        again.close()


def test_a_damaged_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(errors.DatabaseDamaged):
        check_database_file(junk)
    with pytest.raises(errors.DatabaseDamaged):
        restore_backup(tmp_path / "data", junk)
    assert not database_file(tmp_path / "data").exists()
