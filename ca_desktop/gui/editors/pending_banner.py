"""The strip at the top of an editor saying the officer's change waits for the coordinator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ca_desktop.domain.i18n import tr


class PendingBanner(QWidget):
    """Hidden unless `show_for(True)`: the version shown is this officer's own change of a
    record only a coordinator may change (issue 11)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(
            tr(
                "Pending coordinator review: this record was created on another laptop or is "
                "reference data, so your change is a proposal. Other laptops keep the earlier "
                "version until your coordinator accepts it; if it is rejected, the "
                "coordinator's version comes back here."
            ),
            self,
        )
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.text, 1)
        self.setStyleSheet("QWidget { background: #fff3e0; }")
        self.hide()

    def show_for(self, pending: bool) -> None:
        self.setVisible(pending)
