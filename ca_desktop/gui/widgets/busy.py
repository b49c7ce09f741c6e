"""A slim progress bar for the status bar, shown only while background work runs."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar, QWidget

from ca_desktop.domain.i18n import tr


class BusyBar(QProgressBar):
    """Indeterminate while busy without a known total; hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Work in progress"))
        self.setTextVisible(False)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 18)
        self.setMaximumHeight(self.fontMetrics().height())
        self.setRange(0, 0)
        self.hide()

    def set_busy(self, busy: bool) -> None:
        self.setRange(0, 0)
        self.setVisible(busy)

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.setRange(0, total)
            self.setValue(done)
        self.show()
