"""Settings → Data protection: whether the data is encrypted, the passphrase, the idle lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui.passphrase_dialog import CHANGE, PassphraseDialog
from ca_desktop.services import protection

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow

LOCK_SETTING = "security/lock_minutes"
LOCK_CHOICES = (0, 5, 15, 30, 60)
DEFAULT_LOCK_MINUTES = 15


def lock_minutes(window: MainWindow) -> int:
    value = window.settings.value(LOCK_SETTING, DEFAULT_LOCK_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return minutes if minutes in LOCK_CHOICES else DEFAULT_LOCK_MINUTES


class ProtectionBox(QGroupBox):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(tr("Data protection"), parent)
        self.window_ = window
        encrypted = window.app is not None and window.app.encrypted
        form = QFormLayout(self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setText(
            tr("Everything in the data folder is encrypted with your passphrase.")
            if encrypted
            else tr("This data folder is not encrypted (made for tests or demos).")
        )
        form.addRow(self.state)
        self.change = QPushButton(tr("Change the &passphrase…"), self)
        self.change.setAutoDefault(False)
        self.change.setEnabled(encrypted)
        self.change.clicked.connect(self.change_passphrase)
        form.addRow("", self.change)
        self.lock = QComboBox(self)
        for minutes in LOCK_CHOICES:
            text = (
                tr("Never")
                if minutes == 0
                else tr_n("After {n} minute", "After {n} minutes", minutes)
            )
            self.lock.addItem(text, minutes)
        self.lock.setCurrentIndex(LOCK_CHOICES.index(lock_minutes(window)))
        self.lock.setEnabled(encrypted)
        self.lock.activated.connect(
            lambda _i: window.settings.setValue(LOCK_SETTING, self.lock.currentData())
        )
        form.addRow(tr("&Lock when idle"), self.lock)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(self.status)

    def change_passphrase(self, error: str = "") -> None:
        dialog = PassphraseDialog(CHANGE, self, error)
        if not dialog.exec():
            return
        old, new = dialog.old_passphrase, dialog.passphrase
        folder = self.window_.data_dir
        self.status.setText(tr("Saving the new passphrase…"))

        def done(_result: object) -> None:
            self.status.setText(tr("The passphrase was changed."))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, protection.WrongPassphrase):
                self.status.setText("")
                self.change_passphrase(tr("The current passphrase is not right."))
            else:
                self.status.setText(tr("The passphrase was not changed: {error}").format(error=exc))

        self.window_.tasks.run(
            lambda _p: protection.change_passphrase(folder, old, new), done, failed
        )
