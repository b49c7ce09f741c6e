"""A damaged database at start: the GUI offers the latest backup, through services only."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ca_desktop.gui.app import recover
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import database_file
from ca_desktop.services.errors import DatabaseDamaged

UGANDA = {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"}


def _damage(folder: Path) -> DatabaseDamaged:
    path = database_file(folder)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"not a database at all " * 200)
    with pytest.raises(DatabaseDamaged) as caught:
        CaDesktop.open(folder)
    return caught.value


@pytest.fixture
def said(qapp: object, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    titles: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, _text, *a: titles.append(title))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    return titles


def test_the_latest_backup_is_restored_when_the_file_is_damaged(
    tmp_path: Path, said: list[str]
) -> None:
    app = CaDesktop.open(tmp_path)
    app.init_device("Amina", "officer")
    app.save("programme", UGANDA)
    assert app.backup_if_due(max_age_hours=0) is not None
    app.close()
    restored = recover(tmp_path, _damage(tmp_path))
    assert restored is not None and said == []
    try:
        assert [p.body["code"] for p in restored.list_records("programme")] == ["UG-CP"]
    finally:
        restored.close()


def test_without_a_backup_the_user_is_told_and_nothing_opens(
    tmp_path: Path, said: list[str]
) -> None:
    CaDesktop.open(tmp_path).close()
    assert recover(tmp_path, _damage(tmp_path)) is None
    assert said == ["The database is damaged"]
