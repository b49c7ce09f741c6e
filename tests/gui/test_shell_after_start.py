"""What follows a successful start: the daily backup and bundles given on the command line."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ca_desktop.gui import app as gui_app
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.services.app import CaDesktop


def test_a_daily_backup_is_taken_in_the_background(qtbot: QtBot, window: MainWindow, app: CaDesktop) -> None:
    backups = app.db.backups_dir
    assert not list(backups.glob("auto-*.sqlite"))
    gui_app.after_start(window, app, [])
    qtbot.waitUntil(lambda: bool(list(backups.glob("auto-*.sqlite"))), timeout=10_000)
    window.tasks.wait()


def test_bundles_given_at_start_are_imported_on_the_sync_page(
    qtbot: QtBot, window: MainWindow, app: CaDesktop, tmp_path: Path
) -> None:
    page = window.page("sync")
    received: list[list[Path]] = []
    page.import_files = lambda paths: received.append(list(paths)) or True  # type: ignore[attr-defined]
    bundle = tmp_path / "from-amina.cabundle"
    bundle.write_bytes(b"not really a bundle")
    gui_app.after_start(window, app, [bundle])
    assert window.current_key() == "sync"
    assert received == [[bundle]]
    window.tasks.wait()
