"""The quick check after the window is up: a damaged file gets the banner, writes stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ca_desktop.gui import app as gui_app
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.errors import DatabaseDamaged
from ca_desktop.store.database import DB_NAME
from tests.store.damage import damage_a_middle_page


def _damaged(data_dir: Path, activity_body: dict, backup: bool) -> CaDesktop:
    app = CaDesktop.open(data_dir)
    for i in range(300):
        app.save("activity", {**activity_body, "title": f"Settlement forum number {i} " * 3})
    if backup:
        app.db.backup_now("auto")
    app.close()
    damage_a_middle_page(data_dir / DB_NAME)
    return CaDesktop.open(data_dir)  # the bounded check at open does not see the page


def _window(qtbot: QtBot, app: CaDesktop) -> MainWindow:
    win = MainWindow(app)
    qtbot.addWidget(win)
    win.show()
    return win


def test_the_banner_offers_the_backup_and_writes_wait_then_fail(
    qtbot: QtBot, data_dir: Path, activity_body: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _damaged(data_dir, activity_body, backup=True)
    win = _window(qtbot, app)
    assert win.damage_banner.isHidden()
    gui_app.verify_in_background(win, app)
    failures: list[BaseException] = []
    # Asked for while the check runs: it waits for the check, then is refused.
    win.tasks.run(
        lambda _p: app.save("activity", activity_body), on_error=failures.append, write=True
    )
    qtbot.waitUntil(lambda: win.damage_banner.isVisible() and bool(failures), timeout=20_000)
    assert isinstance(failures[0], DatabaseDamaged)
    assert win.damage_banner.text.textFormat() == Qt.TextFormat.PlainText
    assert "damaged" in win.damage_banner.text.text()
    assert win.damage_banner.restore_button.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    win.damage_banner.restore_button.click()
    assert win.restore_on_exit is not None and win.restore_on_exit.name.startswith("auto-")
    app.close()


def test_without_a_backup_the_banner_says_whom_to_ask(
    qtbot: QtBot, data_dir: Path, activity_body: dict
) -> None:
    app = _damaged(data_dir, activity_body, backup=False)
    win = _window(qtbot, app)
    gui_app.verify_in_background(win, app)
    qtbot.waitUntil(win.damage_banner.isVisible, timeout=20_000)
    assert not win.damage_banner.restore_button.isVisible()
    assert "coordinator" in win.damage_banner.text.text()
    win.tasks.wait()
    app.close()


def test_a_healthy_file_shows_no_banner(qtbot: QtBot, app: CaDesktop) -> None:
    win = _window(qtbot, app)
    gui_app.verify_in_background(win, app)
    win.tasks.wait()
    qtbot.wait(50)
    assert win.damage_banner.isHidden()
    assert app.db.damage is None
