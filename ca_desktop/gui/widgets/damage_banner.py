"""The strip above every page saying the database failed its check, with the way out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ca_desktop.domain.i18n import tr


class DamageBanner(QFrame):
    """Hidden until `show_damage`; then it stays: nothing can be saved until a restore."""

    restore_requested = Signal(Path)  # the backup to put in place

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damageBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#damageBanner { background: #fde7e9; border: 1px solid #c50f1f; }")
        row = QHBoxLayout(self)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the error quotes a file path
        self.text.setWordWrap(True)
        self.restore_button = QPushButton(tr("Restore the latest backup…"), self)
        row.addWidget(self.text, 1)
        row.addWidget(self.restore_button)
        self._backup: Path | None = None
        self.restore_button.clicked.connect(self._restore)
        self.hide()

    def show_damage(self, error: str, backup: Path | None) -> None:
        self._backup = backup
        if backup is None:
            message = tr(
                "The database is damaged ({error}) and there is no backup to restore. "
                "Nothing can be saved. Please contact your coordinator before doing anything "
                "else."
            )
        else:
            message = tr(
                "The database is damaged ({error}). Nothing can be saved until the latest "
                "backup ({backup}) is restored; the damaged file is kept aside, never deleted."
            )
        self.text.setText(message.format(error=error, backup=backup.name if backup else ""))
        self.restore_button.setVisible(backup is not None)
        self.show()

    def _restore(self) -> None:
        if self._backup is not None:
            self.restore_requested.emit(self._backup)
