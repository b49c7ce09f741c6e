"""A practice window is marked as such in its title and status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ca_desktop.gui.main_window import MainWindow
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.practice import fill_practice, prepare_practice


@pytest.fixture
def practice(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CaDesktop:
    monkeypatch.setattr("ca_desktop.services.practice.PRACTICE_ACTIVITIES", 20)
    app = CaDesktop.open(prepare_practice(data_dir))
    fill_practice(app)
    return app


def test_the_window_says_practice_in_title_and_status_bar(
    qtbot: QtBot, practice: CaDesktop, app: CaDesktop
) -> None:
    try:
        window = MainWindow(practice)
        qtbot.addWidget(window)
        window.show()
        assert "PRACTICE" in window.windowTitle()
        assert window.practice_label.isVisible() and "PRACTICE" in window.practice_label.text()
        real = MainWindow(app)
        qtbot.addWidget(real)
        real.show()
        QApplication.processEvents()
        assert "PRACTICE" not in real.windowTitle() and not real.practice_label.isVisible()
    finally:
        window.tasks.wait()
        practice.close()


def test_a_practice_window_fills_itself_without_asking(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.gui.app import _ready

    monkeypatch.setattr("ca_desktop.services.practice.PRACTICE_ACTIVITIES", 15)
    app = CaDesktop.open(prepare_practice(data_dir))
    try:
        window = MainWindow(None, data_dir=app.data_dir)
        qtbot.addWidget(window)
        window.show()
        assert _ready(window, app, "en")  # no first-start dialog in a practice folder
        qtbot.waitUntil(lambda: window.app is app, timeout=30_000)
        assert app.count("activity") == 15 and app.device() is not None
    finally:
        window.tasks.wait()
        app.close()
