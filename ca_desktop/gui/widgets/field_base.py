"""The base of every field editor: the shared contract and its error line (see `fields.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, label, tr
from ca_desktop.domain.records import FieldSpec

Choices = Sequence[tuple[str, str]]  # (record id, display title)


# Codes that are also field names with their own label ("country" reads "Country (ISO
# code)" as a field): as a code they read plainly.
_CODE_CLASHES = {"country": "Country"}


def code_label(code: str) -> str:
    """The label of an enum code, for lists and pickers."""
    plain = _CODE_CLASHES.get(code)
    return tr(plain) if plain else label(code)


def error_color(widget: QWidget) -> str:
    """A red that stays readable on both light and dark palettes."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b00020"


class FieldWidget(QWidget):
    """Base: an editor with an error line under it."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._error: str | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._error_label = QLabel(self)
        self._error_label.setWordWrap(True)
        self._error_label.setVisible(False)
        self._error_label.setObjectName("fieldError")
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _set_editor(self, editor: QWidget) -> None:
        self._layout.addWidget(editor)
        self._layout.addWidget(self._error_label)
        focus = self.focus_widget()
        focus.setAccessibleName(field_label(self.spec.name))
        self.setFocusProxy(focus)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        raise NotImplementedError

    def error(self) -> str | None:
        return self._error

    def set_error(self, message: str | None) -> None:
        """Show `message` in red under the field (None clears it); screen readers hear it."""
        self._error = message or None
        self._error_label.setText(message or "")
        self._error_label.setStyleSheet(f"color: {error_color(self)};")
        self._error_label.setVisible(bool(message))
        self.focus_widget().setAccessibleDescription(message or "")
        self.setAccessibleDescription(message or "")
