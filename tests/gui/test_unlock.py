"""Opening from the GUI: unlock (a wrong passphrase asks again), first passphrase, plain mark."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.gui import passphrase_dialog
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.passphrase_dialog import CHANGE, CREATE, PassphraseDialog
from ca_desktop.gui.unlock import open_protected
from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop


def typed(monkeypatch: pytest.MonkeyPatch, answers: list[str], seen: list[str]) -> None:
    """Each dialog shown gets the next answer typed (twice where it asks twice)."""

    def exec_(self: PassphraseDialog) -> int:
        seen.append(self.error.text())
        while answers and not self.result():  # the dialog stays open on a refused answer
            phrase = answers.pop(0)
            self.first.setText(phrase)
            self.second.setText(phrase)
            self._accept()
        return int(self.result())

    monkeypatch.setattr(passphrase_dialog.PassphraseDialog, "exec", exec_)


def open_window(qtbot: QtBot, data_dir: Path) -> tuple[MainWindow, list[object]]:
    window = MainWindow(None, data_dir=data_dir)
    qtbot.addWidget(window)
    outcome: list[object] = []
    open_protected(window, data_dir, outcome.append, outcome.append, lambda: outcome.append("cancelled"))
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    return window, outcome


def test_a_wrong_passphrase_asks_again_then_opens(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protection.create_encrypted(data_dir, "the right passphrase")
    CaDesktop.open(data_dir).close()
    protection.lock(data_dir)
    seen: list[str] = []
    typed(monkeypatch, ["a wrong one", "the right passphrase"], seen)
    window, outcome = open_window(qtbot, data_dir)
    app = outcome[0]
    assert isinstance(app, CaDesktop) and app.encrypted
    assert seen == ["", "That passphrase is not right."]
    window.attach(app)
    assert not window.plain_label.isVisible()
    app.close()


def test_first_start_asks_for_a_passphrase_encrypts_and_shows_the_code_once(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from ca_desktop.gui.recovery_dialogs import RecoveryCodeDialog

    monkeypatch.delenv(protection.NO_ENCRYPTION_ENV)
    typed(monkeypatch, ["short", "three unrelated words"], [])
    codes: list[str] = []

    def shown(self: RecoveryCodeDialog) -> int:
        codes.append(self.code_label.text())
        self.save_sheet(tmp_path / "sheet.pdf")
        return 1

    monkeypatch.setattr(RecoveryCodeDialog, "exec", shown)
    window, outcome = open_window(qtbot, data_dir)
    app = outcome[0]
    assert isinstance(app, CaDesktop) and app.encrypted
    assert protection.state(data_dir).encrypted
    app.close()
    assert len(codes) == 1 and len(codes[0]) == 35
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "sheet.pdf").pages)
    assert codes[0] in text and "recovery sheet" in text

    # Forgot the passphrase: the code from the sheet sets a new one.
    protection.lock(data_dir)

    def forgot(self: PassphraseDialog) -> int:
        if self.mode == "unlock":
            return passphrase_dialog.FORGOT
        self.old.setText(codes[0].lower())
        self.first.setText("a new passphrase")
        self.second.setText("a new passphrase")
        self._accept()
        return int(self.result())

    monkeypatch.setattr(passphrase_dialog.PassphraseDialog, "exec", forgot)
    window, outcome = open_window(qtbot, data_dir)
    assert isinstance(outcome[0], CaDesktop)
    outcome[0].close()
    protection.lock(data_dir)
    protection.unlock(data_dir, "a new passphrase")


def test_a_plain_folder_is_marked_in_the_status_bar(qtbot: QtBot, data_dir: Path) -> None:
    window, outcome = open_window(qtbot, data_dir)  # the suite's folders are plain
    app = outcome[0]
    assert isinstance(app, CaDesktop) and not app.encrypted
    window.show()
    window.attach(app)
    assert window.plain_label.isVisible() and window.plain_label.text() == "NOT ENCRYPTED"
    app.close()


def test_the_new_passphrase_dialog_hints_and_refuses_a_mismatch(qtbot: QtBot) -> None:
    dialog = PassphraseDialog(CREATE)
    qtbot.addWidget(dialog)
    dialog.first.setText("abc")
    assert "Too short" in dialog.hint.text()
    dialog.first.setText("river mango lantern bicycle")
    assert dialog.hint.text() == "Strong."
    dialog.second.setText("river mango lantern")
    dialog._accept()
    assert dialog.result() == 0 and "differ" in dialog.error.text()
    change = PassphraseDialog(CHANGE)
    qtbot.addWidget(change)
    assert change.old.isVisibleTo(change)


def test_the_idle_lock_hides_the_windows_until_the_passphrase(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.gui.idle_lock import IdleLock

    protection.create_encrypted(data_dir, "the right passphrase")
    app = CaDesktop.open(data_dir)
    app.init_device("Amina Nakato", "officer")
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window)
    typed(monkeypatch, ["a wrong one", "the right passphrase"], [])
    lock.lock_now()
    assert not window.isVisible() or lock.locked
    qtbot.waitUntil(lambda: not lock.locked, timeout=20_000)
    assert window.isVisible()
    app.close()


def test_changing_the_passphrase_from_settings(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.gui.protection_settings import ProtectionBox

    protection.create_encrypted(data_dir, "the right passphrase")
    app = CaDesktop.open(data_dir)
    window = MainWindow(app)
    qtbot.addWidget(window)
    box = ProtectionBox(window)

    def exec_(self: PassphraseDialog) -> int:
        self.old.setText("the right passphrase")
        self.first.setText("a new passphrase")
        self.second.setText("a new passphrase")
        self._accept()
        return int(self.result())

    monkeypatch.setattr(passphrase_dialog.PassphraseDialog, "exec", exec_)
    box.change_passphrase()
    qtbot.waitUntil(lambda: box.status.text() == "The passphrase was changed.", timeout=20_000)
    protection.lock(data_dir)
    protection.unlock(data_dir, "a new passphrase")
    app.close()
