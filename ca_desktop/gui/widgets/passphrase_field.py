"""One passphrase row: a hidden-text field and, for a new passphrase, its strength hint.

Used wherever a passphrase is typed (unlocking, choosing one, changing it, recovering), so
each dialog lays out rows instead of repeating the field, its echo mode and the hint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.passphrase import FAIR, GOOD, MIN_LENGTH, STRONG, strength


def _hints() -> dict[int, str]:
    return {
        FAIR: tr("Fair. A few more words make it much harder to guess."),
        GOOD: tr("Good."),
        STRONG: tr("Strong."),
    }


def hint_for(text: str) -> str:
    """What the hint under a new passphrase says: length first, then strength (no rules)."""
    if not text:
        return tr("At least {n} characters; a few unrelated words work best.").format(n=MIN_LENGTH)
    if len(text) < MIN_LENGTH:
        return tr("Too short: at least {n} characters.").format(n=MIN_LENGTH)
    return _hints().get(strength(text), _hints()[FAIR])


class PassphraseField(QWidget):
    """`edit` holds the text; with `hinted`, `hint` (plain text) follows each keystroke."""

    textChanged = Signal(str)  # noqa: N815 - the name QLineEdit's users know

    def __init__(self, parent: QWidget | None = None, hinted: bool = False) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setVisible(hinted)
        layout.addWidget(self.hint)
        self.hinted = hinted
        self.edit.textChanged.connect(self._changed)
        self._changed(self.edit.text())

    def _changed(self, text: str) -> None:
        if self.hinted:
            self.hint.setText(hint_for(text))
        self.textChanged.emit(text)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name
        self.edit.setText(text)

    def show_typed(self) -> None:
        """Show what is typed (a recovery code is not secret from the person typing it)."""
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal)

    def setPlaceholderText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name
        self.edit.setPlaceholderText(text)
