"""The bar above a list narrowed to given records (the ones behind a report's figure):
where they come from, and the way back to the whole list."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ca_desktop.gui.widgets.plain import plain_label


class OnlyBar(QWidget):
    """Hidden until `narrow`; its button asks the page to show everything again."""

    show_all_requested = Signal()

    def __init__(self, show_all_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = plain_label("", self)  # captions name records
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.button = QPushButton(show_all_text, self)
        self.button.clicked.connect(self.show_all_requested)
        layout.addWidget(self.button)
        self.hide()

    def narrow(self, caption: str) -> None:
        """Say what the list is limited to."""
        self.label.setText(caption)
        self.show()
