"""A progress bar with a Cancel button, shown while an export or import runs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from ca_desktop.domain.i18n import tr


class ProgressRow(QWidget):
    """Hidden when idle; busy (indeterminate) until the job reports a total."""

    cancel_clicked = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(what)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setAccessibleName(tr("Cancel: {what}").format(what=what))
        self.cancel_button.clicked.connect(self._cancel)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self) -> None:
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(tr("Cancel"))
        self.show()

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))

    def stop(self) -> None:
        self.hide()

    def _cancel(self) -> None:
        # The job stops at its next safe point; until then the button says so.
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(tr("Cancelling…"))
        self.cancel_clicked.emit()
