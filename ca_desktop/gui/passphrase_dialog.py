"""Asking for the data folder's passphrase: to unlock, to choose one, or to change it.

The dialog only collects text; unwrapping the key (scrypt, about half a second) runs on a
worker thread in the caller (`gui/unlock.py`, the Settings dialog).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.passphrase import MIN_LENGTH
from ca_desktop.gui.resources import app_icon
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.gui.widgets.passphrase_field import PassphraseField

FORGOT = 2  # the unlock dialog's result when "Forgot the passphrase?" was chosen
UNLOCK, CREATE, CONVERT, CHANGE, RECOVER = "unlock", "create", "convert", "change", "recover"


class PassphraseDialog(QDialog):
    """Accepted with `passphrase` (and `old` in CHANGE mode) filled in."""

    def __init__(self, mode: str, parent: QWidget | None = None, error: str = "") -> None:
        super().__init__(parent)
        self.mode = mode
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        titles = {
            UNLOCK: tr("Unlock CA Desktop"),
            CREATE: tr("Choose a passphrase"),
            CONVERT: tr("Protect your data with a passphrase"),
            CHANGE: tr("Change the passphrase"),
            RECOVER: tr("Forgot the passphrase?"),
        }
        intros = {
            UNLOCK: tr("Your data is encrypted. Type your passphrase to open it."),
            CREATE: tr(
                "Everything CA Desktop keeps on this laptop is encrypted with this "
                "passphrase: names and phone numbers of community members stay private if "
                "the laptop is lost. Choose a few words you will remember; you will type "
                "them each time CA Desktop starts."
            ),
            CONVERT: tr(
                "This version encrypts everything CA Desktop keeps on this laptop. Choose a "
                "passphrase; your data is then encrypted, and the unencrypted copies in the "
                "data folder are removed. Copies made earlier on USB sticks or other "
                "computers cannot be reached from here."
            ),
            CHANGE: tr("Your data stays as it is; only the passphrase that opens it changes."),
            RECOVER: tr(
                "Type the recovery code from your recovery sheet, then choose a new "
                "passphrase. Without the code, your coordinator can recover your data."
            ),
        }
        self.setWindowTitle(titles[mode])
        heading = QLabel(titles[mode], self)
        heading.setFont(heading_font(self, 1.3))
        layout.addWidget(heading)
        intro = QLabel(intros[mode], self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        # Wide enough for the longest intro in any language without a tall narrow box.
        intro.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        layout.addWidget(intro)

        form = QFormLayout()
        self.old = PassphraseField(self)
        self.first = PassphraseField(self, hinted=mode != UNLOCK)  # a new one: its strength
        self.second = PassphraseField(self)
        self.hint = self.first.hint
        if mode == CHANGE:
            form.addRow(tr("Current passphrase"), self.old)
        elif mode == RECOVER:
            self.old.show_typed()
            self.old.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
            form.addRow(tr("Recovery code"), self.old)
        else:
            self.old.hide()  # unused: kept so that callers read one set of fields
        label = tr("Passphrase") if mode == UNLOCK else tr("New passphrase")
        form.addRow(label, self.first)
        if mode != UNLOCK:
            form.addRow(tr("The same again"), self.second)
        else:
            self.second.hide()
        layout.addLayout(form)
        self.error = QLabel(error, self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # may quote a file name
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok_text = tr("Unlock") if mode == UNLOCK else tr("Save the passphrase")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.old if mode in (CHANGE, RECOVER) else self.first).setFocus()
        self.forgot: QPushButton | None = None
        if mode == UNLOCK:
            self.forgot = QPushButton(tr("&Forgot the passphrase?"), self)
            self.forgot.setAutoDefault(False)
            self.forgot.setFlat(True)
            buttons.addButton(self.forgot, QDialogButtonBox.ButtonRole.HelpRole)
            self.forgot.clicked.connect(lambda: self.done(FORGOT))

    @property
    def passphrase(self) -> str:
        return self.first.text()

    @property
    def old_passphrase(self) -> str:
        return self.old.text()

    def _accept(self) -> None:
        if self.mode == RECOVER and not self.old.text().strip():
            self.error.setText(tr("Type the recovery code."))
            return
        if not self.first.text():
            self.error.setText(tr("Type the passphrase."))
            return
        if self.mode != UNLOCK:
            if len(self.first.text()) < MIN_LENGTH:
                self.error.setText(tr("Too short: at least {n} characters.").format(n=MIN_LENGTH))
                return
            if self.first.text() != self.second.text():
                self.error.setText(tr("The two passphrases differ."))
                return
        self.accept()
