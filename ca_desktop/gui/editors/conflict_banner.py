"""The strip at the top of an editor saying the record is in conflict, with a way to review it.

An edit saved here descends from the version shown and keeps the conflict open (issue 10):
the banner says so, so nobody believes saving settles the other person's change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ca_desktop.domain.i18n import tr


class ConflictBanner(QWidget):
    """Hidden unless `show_for(heads)` is given more than one head."""

    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.review_button = QPushButton(tr("&Review the conflict"), self)
        self.review_button.setAutoDefault(False)
        row.addWidget(self.text, 1)
        row.addWidget(self.review_button)
        self.review_button.clicked.connect(self.review_requested)
        self.setStyleSheet("QWidget { background: palette(alternate-base); }")
        self.hide()

    def show_for(self, heads: int) -> None:
        if heads <= 1:
            self.hide()
            return
        self.text.setText(
            tr(
                "This record is in conflict: {n} versions were saved on different laptops. "
                "You are editing the one shown; the others stay in the conflict review "
                "until someone resolves it there."
            ).format(n=heads)
        )
        self.show()
