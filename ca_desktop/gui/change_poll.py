"""Show changes made by others: a short poll feeding `TaskManager.records_changed`.

Another coordinator's desktop on the same hub, or a command-line import into this laptop's
file while the window is open, changes records this window shows. Every few seconds a
worker asks the database for the newest change (`services/change_watch.py`, one index
probe); when records changed, the pages that show them reload through the usual
follow mechanism (`gui/follow.py`). Nothing runs on the GUI thread but the timer, and a
poll never starts while the previous one is still out.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.change_watch import ChangeWatch

INTERVAL_MS = 3000


class ChangePoller(QObject):
    def __init__(
        self, app: CaDesktop, tasks: TaskManager, parent: QObject | None = None,
        interval_ms: int = INTERVAL_MS,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.tasks = tasks
        self.watch = ChangeWatch(app)
        self.pending: TaskHandle | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()  # the baseline: what is there now is not news

    def poll(self) -> None:
        if self.pending is not None and not self.pending.done:
            return
        watch = self.watch
        self.pending = self.tasks.run(lambda _p: watch.poll(), self._done, self._failed, quiet=True)

    def _done(self, types: frozenset[str]) -> None:
        if types:
            self.tasks.notify_changed(types)

    def _failed(self, _exc: BaseException) -> None:
        # A dropped connection to the hub: the next tick tries again (the pool reconnects).
        pass

    def stop(self) -> None:
        self.timer.stop()
