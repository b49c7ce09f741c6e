"""Locking the screen after the idle time chosen in Settings (encrypted folders only).

No keyboard or mouse input for that long hides every window and asks for the passphrase.
Open editors write their draft first (sealed with the data key, like every draft); then,
once no background job is using it, the database is closed and the data key forgotten
(`CaDesktop.lock`), so a running but locked laptop holds no key. The passphrase derives
the key again and reopens the database; what was open shows again as it was, unsaved
work included; nothing is discarded.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.passphrase_dialog import UNLOCK, PassphraseDialog
from ca_desktop.gui.protection_settings import lock_minutes
from ca_desktop.services import protection

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow

_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
CHECK_MS = 15_000


class IdleLock(QObject):
    """Installed once per main window; `lock_now` is also what the timer calls."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.last_input = time.monotonic()
        self.locked = False
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT:
            self.last_input = time.monotonic()
        return False

    def _check(self) -> None:
        minutes = lock_minutes(self.window_)
        app = self.window_.app
        if self.locked or not minutes or app is None or not app.encrypted:
            return
        if time.monotonic() - self.last_input >= minutes * 60:
            self.lock_now()

    def lock_now(self) -> None:
        from ca_desktop.gui.editors.base import RecordEditor

        self.locked = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, RecordEditor) and widget.isVisible():
                widget.keep_draft()  # unsaved work goes to its (encrypted) draft now
        hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in hidden:
            widget.hide()
        self._close_when_idle()
        self._ask(hidden, "")

    def _close_when_idle(self) -> None:
        """Close the database and drop the key once no job uses it (an import may run
        on; its outcome reaches the pages before the database closes)."""
        app = self.window_.app
        if not self.locked or app is None or app.locked:
            return
        if self.window_.tasks.busy:
            QTimer.singleShot(200, self._close_when_idle)
            return
        app.lock()

    def _ask(self, hidden: list[QWidget], error: str) -> None:
        dialog = PassphraseDialog(UNLOCK, None, error)
        dialog.setWindowTitle(tr("CA Desktop is locked"))
        if dialog.forgot is not None:
            # Recovery replaces the key file and reopens the folder: offered at start only.
            dialog.forgot.hide()
        if dialog.exec() != PassphraseDialog.DialogCode.Accepted:
            # Closing the lock dialog never shows the data: it asks again.
            QTimer.singleShot(0, lambda: self._ask(hidden, ""))
            return
        phrase = dialog.passphrase
        app = self.window_.app
        if app is None:
            return

        def unlocked(_result: object) -> None:
            self.locked = False
            for widget in hidden:
                widget.show()
            self.last_input = time.monotonic()

        def wrong(exc: BaseException) -> None:
            if isinstance(exc, protection.WrongPassphrase):
                self._ask(hidden, tr("That passphrase is not right."))
            else:  # e.g. the database cannot be opened again: say why, and ask again
                self._ask(hidden, str(exc))

        # Derives the key again (scrypt) and reopens the database, off the GUI thread.
        self.window_.tasks.run(lambda _p: app.unlock(phrase), unlocked, wrong)
