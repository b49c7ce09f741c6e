"""What the conflict and the proposal reviews share: a coordinator's queue of items waiting
for a decision, on the left, and the selected one on the right.

The frame is one: a "Back to Sync" bar with a heading and a count, an explanation when the
queue is empty, the queue as a list, a reload in the background whenever records change
(an import may bring items of any type; answering one removes it), the selection kept
across reloads. Each review builds its own right-hand side and says how its items read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.panels import EmptyState, heading_font
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService

KeyRole = Qt.ItemDataRole.UserRole + 1


class ReviewQueue(QWidget):
    """The frame of a review; subclasses give `_build_review`, `refresh` and `_on_current`."""

    loaded = Signal()  # the queue was (re)loaded
    back_requested = Signal()

    def __init__(
        self,
        app: CaDesktop,
        tasks: TaskManager,
        parent: QWidget | None,
        *,
        heading: str,
        empty_title: str,
        empty_text: str,
    ) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.sync = SyncService(app)
        self.follower = ChangeFollower(self, tasks, None, self.refresh)
        self._saving = False

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(tr("← Back to Sync"), self)
        self.back_button.setAccessibleName(tr("Back to the Sync page"))
        self.back_button.clicked.connect(self.back_requested)
        title = QLabel(heading, self)
        title.setFont(heading_font(self, 1.5))
        self.count_label = QLabel(self)
        top.addWidget(self.back_button)
        top.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout.addLayout(top)

        self.stack = QStackedWidget(self)
        self.empty = EmptyState(empty_title, empty_text, None, "sync", self.stack)
        # A wrapped label centred in a layout gets squeezed to its shortest line; give it
        # a reading width so the explanation shows whole.
        text = self.empty.text
        text.setMinimumWidth(text.maximumWidth())
        text.setMinimumHeight(text.heightForWidth(text.maximumWidth()))
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_review())
        layout.addWidget(self.stack, 1)

    def _build_review(self) -> QWidget:
        raise NotImplementedError  # each review builds its own right-hand side

    def refresh(self) -> None:
        raise NotImplementedError

    def _on_current(self) -> None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        raise NotImplementedError

    def _new_queue(self, splitter: QSplitter, name: str) -> QListWidget:
        """The list on the left; its items carry their key in `KeyRole`."""
        self.queue = QListWidget(splitter)
        self.queue.setAccessibleName(name)
        self.queue.setWordWrap(True)
        self.queue.currentItemChanged.connect(lambda *_: self._on_current())
        return self.queue

    def _load(self, job: Callable[[Progress], Any], fill: Callable[[Any], None], what: str) -> None:
        """Run `job` in the background; a newer load supersedes one still running."""

        def done(result: Any) -> None:
            if shiboken6.isValid(self):
                fill(result)

        self.tasks.run(job, done, self._failed, key=job_key(self, what))

    def _fill_queue(self, items: Sequence[tuple[str, str]], count: str, keep: str | None) -> None:
        """Show `(key, text)` items, selecting `keep` when it is still there (else the
        first), then the selected one; `count` goes beside the heading."""
        self.queue.blockSignals(True)
        self.queue.clear()
        for key, text in items:
            item = QListWidgetItem(text)
            item.setData(KeyRole, key)
            self.queue.addItem(item)
        self.queue.blockSignals(False)
        self.count_label.setText(count if items else "")
        self.stack.setCurrentIndex(1 if items else 0)
        keys = [key for key, _ in items]
        self.queue.setCurrentRow(keys.index(keep) if keep in keys else (0 if items else -1))
        self._on_current()
        self.loaded.emit()

    def current_key(self) -> str | None:
        item = self.queue.currentItem()
        return str(item.data(KeyRole)) if item is not None else None
