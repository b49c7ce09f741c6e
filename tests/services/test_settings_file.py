"""The data folder's settings: declared defaults, checked values, a hostile file ignored,
and the automatic backup following the chosen schedule and folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import latest_backup, list_backups
from ca_desktop.services.settings import (
    Settings,
    SettingsError,
    export_folder,
    load_settings,
    save_settings,
    settings_path,
    update_settings,
)


def test_defaults_then_saved_values_come_back(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    chosen = Settings(
        language="fr", paper="letter", export_dir=str(tmp_path), backup_schedule="weekly"
    )
    save_settings(tmp_path, chosen)
    assert load_settings(tmp_path) == chosen
    assert export_folder(tmp_path) == tmp_path


@pytest.mark.parametrize(
    "changes",
    [
        {"paper": "a3"},
        {"backup_schedule": "hourly"},
        {"language": "de"},
        {"backup_dir": "relative/folder"},
        {"export_dir": "/no/such/folder/here"},
    ],
)
def test_a_value_not_allowed_is_refused_and_nothing_written(
    tmp_path: Path, changes: dict[str, str]
) -> None:
    with pytest.raises(SettingsError):
        update_settings(tmp_path, **changes)
    assert not settings_path(tmp_path).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[1, 2]",
        b'{"paper": "a0", "backup_dir": "../../etc", "language": {"x": 1}}',
        b'{"paper": "' + b"x" * 100_000 + b'"}',
    ],
)
def test_a_damaged_or_hostile_file_falls_back_to_defaults(tmp_path: Path, content: bytes) -> None:
    settings_path(tmp_path).write_bytes(content)
    assert load_settings(tmp_path) == Settings()


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_automatic_backup_follows_the_schedule_and_folder(tmp_path: Path) -> None:
    app = CaDesktop.open(tmp_path / "data")
    try:
        app.init_device("Amina", "officer")
        elsewhere = tmp_path / "usb"
        elsewhere.mkdir()
        update_settings(app.data_dir, backup_dir=str(elsewhere), backup_schedule="weekly")
        first = app.backup_if_due()
        assert first is not None and first.parent == elsewhere
        _age(first, 2)
        assert app.backup_if_due() is None  # weekly: two days old is recent enough
        _age(first, 8)
        second = app.backup_if_due()
        assert second is not None and second.parent == elsewhere
        # The chosen folder is where restore and the settings dialog look too.
        assert latest_backup(app.data_dir) == second
        assert {b.path for b in list_backups(app.data_dir)} == {first, second}
        update_settings(app.data_dir, backup_schedule="off")
        _age(second, 30)
        assert app.backup_if_due() is None
    finally:
        app.close()
