"""The Sync page: send and receive bundles, manage keys, see history, review conflicts.

Everything slow (reading the overview, export, import, resolving) runs through the
`TaskManager`; the page only shows plain data the `SyncService` returns. The conflict
review replaces the overview inside the page (no modal dialog), with a Back button.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.sync.conflicts import ConflictReview
from ca_desktop.gui.sync.export_panel import ExportPanel
from ca_desktop.gui.sync.history import HistoryTabs
from ca_desktop.gui.sync.import_panel import ImportPanel
from ca_desktop.gui.sync.jobs import Overview, bundle_paths, load_overview
from ca_desktop.gui.sync.keys_panel import KeysPanel
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.narrow import ReflowColumns
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.gui.widgets.plain import plain_label
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService


def conflicts_text(n: int) -> str:
    if n == 0:
        return tr("No open conflicts: every record has a single version.")
    if n == 1:
        return tr("1 record was changed on two laptops and needs your review.")
    return tr("{n} records were changed on two laptops and need your review.").format(n=n)


class SyncPage(QWidget):
    loaded = Signal()  # the overview finished loading (tests and screenshots wait on it)

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.sync = SyncService(app)
        self.overview: Overview | None = None
        # Imports, resolved conflicts and local edits all change what the overview counts.
        self.follower = ChangeFollower(self, tasks, None, self.refresh)
        self.setAcceptDrops(True)

        outer = QVBoxLayout(self)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        main = QWidget(self.stack)
        self.stack.addWidget(main)
        self.review = ConflictReview(app, tasks, self.stack)
        self.review.back_requested.connect(self.show_overview_page)
        self.stack.addWidget(self.review)
        # Only the page on screen sets the minimum size: the wide conflict review must not
        # make the overview need a wider window.
        self.stack.currentChanged.connect(self._size_by_current)
        self._size_by_current(self.stack.currentIndex())

        layout = QVBoxLayout(main)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        heading = QLabel(tr("Sync"), main)
        heading.setFont(heading_font(self, 1.5))
        intro = QLabel(
            tr("Hand your work over on a USB stick or by email, and receive the work of others."),
            main,
        )
        intro.setWordWrap(True)
        top.addWidget(heading)
        top.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        top.addWidget(intro, 1)
        layout.addLayout(top)

        self.banner = QFrame(main)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        banner_layout = QHBoxLayout(self.banner)
        self.conflicts_label = QLabel(tr("Counting open conflicts…"), self.banner)
        self.conflicts_label.setWordWrap(True)
        self.review_button = QPushButton(tr("Review conflicts"), self.banner)
        self.review_button.clicked.connect(lambda: self.show_review())
        banner_layout.addWidget(self.conflicts_label, 1)
        banner_layout.addWidget(self.review_button)
        layout.addWidget(self.banner)

        columns = ReflowColumns(main)
        left = QVBoxLayout()
        self.export_panel = ExportPanel(self.sync, tasks, main)
        self.export_panel.exported.connect(lambda _r: self.refresh())
        self.import_panel = ImportPanel(self.sync, tasks, main)
        left.addWidget(self.export_panel)
        left.addWidget(self.import_panel, 1)
        right = QVBoxLayout()
        self.keys_panel = KeysPanel(self.sync, tasks, main)
        self.keys_panel.changed.connect(self.refresh)
        self.keys_panel.message.connect(self.show_message)
        self.history = HistoryTabs(main)
        right.addWidget(self.keys_panel)
        right.addWidget(self.history, 1)
        columns.add_column(left)
        columns.add_column(right)
        layout.addWidget(columns, 1)
        self.status = plain_label("", main)  # messages name keys, files and people
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Sync messages"))
        layout.addWidget(self.status)

    # -- page contract --------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload keys, history, devices and the conflict count in the background."""
        sync = self.sync

        def done(overview: Overview) -> None:
            if shiboken6.isValid(self):
                self._show(overview)

        self.tasks.run(
            lambda _p: load_overview(sync), done, self._failed, key=job_key(self, "overview")
        )
        if self.stack.currentWidget() is self.review:
            self.review.refresh()

    def _show(self, o: Overview) -> None:
        self.overview = o
        self.keys_panel.show_keys(o.own, o.trusted)
        self.export_panel.show_overview(o)
        self.history.show_overview(o)
        self.conflicts_label.setText(conflicts_text(o.conflicts))
        self.review_button.setText(
            tr("Review {n} conflicts").format(n=o.conflicts)
            if o.conflicts > 1
            else tr("Review conflicts")
        )
        self.banner.setStyleSheet("QFrame { background: #fff3e0; }" if o.conflicts else "")
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.show_message(
            tr("Could not read the sync state: {reason}").format(
                reason=str(exc) or type(exc).__name__
            )
        )

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    # -- conflicts ------------------------------------------------------------------------

    def show_review(self, record_id: str | None = None) -> None:
        self.stack.setCurrentWidget(self.review)
        if record_id is not None:
            self.review.select_record(record_id)
        else:
            self.review.refresh()
        self.review.setFocus()

    def _size_by_current(self, index: int) -> None:
        for i in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            page = self.stack.widget(i)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.updateGeometry()

    def show_overview_page(self) -> None:
        self.stack.setCurrentIndex(0)
        self.refresh()

    # -- importing ------------------------------------------------------------------------

    def import_files(self, paths: list[Path]) -> bool:
        return self.import_panel.start_import(paths)

    def _dropped_paths(self, event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return bundle_paths([Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_paths(event) and self.stack.currentIndex() == 0:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = self._dropped_paths(event)
        if paths and self.import_files(paths):
            event.acceptProposedAction()
        else:
            event.ignore()
