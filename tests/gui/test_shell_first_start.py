"""The first-start window: identity, language, "Start fresh" and practice mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import language, set_language
from ca_desktop.gui.first_start import FirstStartDialog
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.practice import practice_dir


def _fresh(data_dir: Path) -> CaDesktop:
    return CaDesktop.open(data_dir)


def test_start_fresh_with_the_keyboard(qtbot: QtBot, data_dir: Path) -> None:
    app = _fresh(data_dir)
    try:
        dialog = FirstStartDialog(app)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.name.hasFocus)
        qtbot.keyClicks(dialog.name, "Kwame Mensah")
        QTest.keyClick(dialog.name, Qt.Key.Key_Tab)
        assert dialog.role.hasFocus()
        QTest.keyClick(dialog.role, Qt.Key.Key_Down)  # officer -> coordinator
        QTest.keyClick(dialog.role, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.programme.lineEdit(), "GH-CP")
        with qtbot.waitSignal(dialog.accepted):
            QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
        info = app.device()
        assert info is not None
        assert (info.user_name, info.role, info.programme_code) == (
            "Kwame Mensah",
            "coordinator",
            "GH-CP",
        )
        assert app.meta("language") == "en"
        assert app.count("activity") == 0
    finally:
        app.close()


def test_a_name_is_needed(qtbot: QtBot, data_dir: Path) -> None:
    app = _fresh(data_dir)
    try:
        dialog = FirstStartDialog(app)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.fresh_button.click()
        assert dialog.isVisible() and not dialog.error.isHidden()
        assert "name" in dialog.error.text()
        assert app.device() is None
    finally:
        app.close()


def test_language_choice_is_kept(qtbot: QtBot, data_dir: Path) -> None:
    app = _fresh(data_dir)
    try:
        dialog = FirstStartDialog(app)
        qtbot.addWidget(dialog)
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        assert language() == "fr"
        dialog.name.setText("Awa Traoré")
        dialog.fresh_button.click()
        assert app.meta("language") == "fr"
    finally:
        set_language("en")
        app.close()


def test_first_start_never_loads_demo_data(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr(
        "ca_desktop.gui.practice.QProcess.startDetached",
        lambda program, args: (started.append(args) or True, 1),
    )
    app = _fresh(data_dir)
    try:
        dialog = FirstStartDialog(app)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.demo_button.click()  # "Try practice mode": another window, another folder
        assert len(started) == 1 and str(practice_dir(data_dir)) in started[0]
        assert dialog.isVisible() and app.device() is None and app.count("activity") == 0
    finally:
        app.close()
