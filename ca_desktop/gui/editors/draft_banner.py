"""The strip at the top of an editor offering back a draft kept from an earlier session."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.widgets.locale_format import local_time
from ca_desktop.services import drafts
from ca_desktop.services.app import CaDesktop


def _local_time(saved_at: str) -> str:
    return local_time(saved_at)


class DraftBanner(QWidget):
    """Hidden unless a draft exists for the key given to `offer`."""

    restore_requested = Signal(dict)  # the draft's data
    closed = Signal()  # restored or discarded: the editor takes the focus back

    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._key = ""
        self._data: dict[str, Any] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.restore_button = QPushButton(tr("Bring the draft &back"), self)
        self.discard_button = QPushButton(tr("D&iscard it"), self)
        for button in (self.restore_button, self.discard_button):
            button.setAutoDefault(False)
        row.addWidget(self.text, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.restore_button.clicked.connect(self._restore)
        self.discard_button.clicked.connect(self._discard)
        self.setStyleSheet("QWidget { background: palette(alternate-base); }")
        self.hide()

    def offer(self, key: str) -> bool:
        """Show the banner when a draft is kept under `key`; True when one is."""
        self._key = key
        self._data = drafts.load_draft(self.app, key) or {}
        if not self._data:
            self.hide()
            return False
        when = _local_time(drafts.draft_saved_at(self.app, key) or "")
        self.text.setText(
            tr("Changes you had not saved ({when}) were kept. Restore them?").format(when=when)
        )
        self.show()
        return True

    def _restore(self) -> None:
        self.hide()
        self.restore_requested.emit(self._data)
        self.closed.emit()

    def _discard(self) -> None:
        drafts.discard_draft(self.app, self._key)
        self.hide()
        self.closed.emit()
