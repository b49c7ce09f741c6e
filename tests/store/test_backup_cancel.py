"""Cancelling a backup or a restore: no copy left behind, the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from jobs_helpers import StopAfter

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import database, sqlite

pytestmark = pytest.mark.sqlite_only(
    "backups and restores of the SQLite file; a server's backups are pg_dump's"
)


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few pages per step, so a test database takes several steps to copy."""
    monkeypatch.setattr(sqlite, "BACKUP_PAGES", 2)


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.encrypted_too
@pytest.mark.usefixtures("small_steps")
def test_backup_cancelled_midway_leaves_no_file(
    app: CaDesktop, tmp_path: Path, activity_body: dict
) -> None:
    app.save("activity", activity_body)
    target = tmp_path / "out" / "copy.sqlite"
    progress = StopAfter(3)
    with pytest.raises(Cancelled):
        app.backup(target, progress)
    assert len(progress.seen) == 4 and progress.seen[-1][0] < progress.seen[-1][1]
    assert list(target.parent.iterdir()) == []
    app.backup(target, StopAfter(10**6))
    assert target.exists()


@pytest.mark.encrypted_too
@pytest.mark.usefixtures("small_steps")
def test_restore_cancelled_leaves_the_database_as_it_was(
    data_dir: Path, tmp_path: Path, app: CaDesktop, activity_body: dict
) -> None:
    first = app.save("activity", activity_body)
    backup = app.backup(tmp_path / "old.sqlite")
    app.save("activity", {**activity_body, "title": "After the backup"})
    app.close()
    db_bytes = (data_dir / database.DB_NAME).read_bytes()
    key = protection.key_for(data_dir)
    files = _files(data_dir)
    for calls in (0, 2, 60):  # before, during the staging copy, during the copy kept aside
        with pytest.raises(Cancelled):
            database.restore(data_dir, backup, StopAfter(calls), key)
        assert (data_dir / database.DB_NAME).read_bytes() == db_bytes
        assert _files(data_dir) == files
    database.restore(data_dir, backup, StopAfter(10**6), key)
    again = CaDesktop.open(data_dir)
    try:
        assert again.count("activity") == 1 and again.get("activity", first.id) is not None
    finally:
        again.close()
