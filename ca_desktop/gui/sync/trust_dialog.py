"""The trust prompt: the user types the fingerprint its owner reads out, and says whose key
it is.

Showing the file's fingerprint and asking "does it match?" invites a glance and a Yes; a
name drawn as markup could even paint a fake fingerprint. So the file's fingerprint is not
shown at all: the user types what the owner reads out (by phone or in person), and the
key is trusted only if it matches (dashes, spaces and case do not count). The role is the
user's choice too; the one written in the file is only a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.gui.widgets.plain import plain_label
from ca_desktop.sync.keys import ROLES, PublicKey, normalise_fingerprint


@dataclass(frozen=True)
class TrustChoice:
    """What the user typed and chose; the service checks the fingerprint again."""

    fingerprint: str
    role: str


class TrustDialog(QDialog):
    def __init__(
        self, pub: PublicKey, parent: QWidget | None = None, role: str = "officer"
    ) -> None:
        super().__init__(parent)
        self.pub = pub
        self.setWindowTitle(tr("Check the fingerprint"))
        layout = QVBoxLayout(self)
        self.name_label = plain_label(tr("Key file of: {name}").format(name=pub.user_name), self)
        self.help_label = plain_label(
            tr(
                "Call this person or meet them, and ask them to read the fingerprint shown on "
                "their Sync page. Type it below: the key is trusted only if it matches."
            ),
            self,
        )
        self.help_label.setWordWrap(True)
        self.name_label.setWordWrap(True)  # a name may be long (up to 200 characters)
        form = QFormLayout()
        self.fingerprint = QLineEdit(self)
        self.fingerprint.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX")
        self.fingerprint.setMaxLength(64)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.fingerprint.setFont(font)  # 0 and O, 1 and I told apart while typing
        self.fingerprint.setMinimumWidth(QFontMetrics(font).horizontalAdvance("X" * 28))
        self.fingerprint.setAccessibleName(tr("Fingerprint read out by its owner"))
        self.role = QComboBox(self)
        for code in ROLES:
            self.role.addItem(label(code), code)
        self.role.setCurrentIndex(ROLES.index(role))
        self.role.setAccessibleName(tr("Whose key this is"))
        form.addRow(tr("Fingerprint read out by its owner"), self.fingerprint)
        form.addRow(tr("Whose key this is"), self.role)
        self.error = plain_label("", self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(tr("Trust this key"))
        ok.setDefault(False)  # Enter by habit must not trust
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        for w in (self.name_label, self.help_label):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def matches(self) -> bool:
        typed = normalise_fingerprint(self.fingerprint.text())
        return typed == normalise_fingerprint(self.pub.fingerprint)

    def check_and_accept(self) -> None:
        if self.matches():
            self.accept()
            return
        self.error.setText(
            tr(
                "This is not the fingerprint of this key file. Do not trust it: check what you "
                "typed, or ask its owner to send the key file again."
            )
        )
        self.error.show()
        self.fingerprint.setFocus()

    def choice(self) -> TrustChoice:
        return TrustChoice(self.fingerprint.text(), str(self.role.currentData()))


def ask_trust(parent: QWidget | None, pub: PublicKey, role: str = "officer") -> TrustChoice | None:
    """Run the trust prompt; None when the user cancels."""
    dialog = TrustDialog(pub, parent, role)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
