"""The Activities page: filters and search, the 100k-row table, history, the editor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QItemSelectionModel, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui import bench_marks
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.models.activity_table import COLUMNS, ActivityTableModel
from ca_desktop.gui.pages.activity_captions import count_text, count_tip, empty_texts
from ca_desktop.gui.pages.activity_filters import FilterBar
from ca_desktop.gui.resources import icon
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.dialogs import ask_to_delete, delete_in_background
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.gui.widgets.only_bar import OnlyBar
from ca_desktop.gui.widgets.panels import EmptyState, heading_font
from ca_desktop.services.activity_queries import ActivityFilter, ActivityRow, listed
from ca_desktop.services.quick_reads import QuickReads

if TYPE_CHECKING:
    from ca_desktop.gui.editors.activity_editor import ActivityEditor
    from ca_desktop.services.app import CaDesktop

# A sample of typical content per column: widths follow the font, not fixed pixels.
_COLUMN_SAMPLES = (
    "2026-11-27",
    "Kisenyi settlement forum: water",
    "Settlement forum",
    "Community",
    "Sekondi-Takoradi",
    "People",
    "Women",
    "Youth",
    "Completed",
    "Programme",
)

_COLUMN_SIGNATURE = ",".join(key for key, _title in COLUMNS)


# A refresh (after an edit) fetches again as many rows as were loaded, up to this many, so
# the selection and the scroll position stay where they were.
REFRESH_ROWS = 3000
# The history panel follows the selection once it rests this long (ms): holding an arrow
# key through the list does not query every row's history on the way.
HISTORY_SETTLE_MS = 150

# What the page shows: activities, their registers (in the history) and the names of the
# programmes, places and organisations the filters offer.
SHOWS = ("activity", "attendance_entry", "programme", "place", "organisation")


class ActivitiesPage(QWidget):
    loaded = Signal(int)  # emitted with the result count after every (re)load
    rows_shown = Signal()  # the first page is in the table (the count may follow)

    def __init__(
        self, app: CaDesktop | QuickReads, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        """`app` may be the lean reads of a folder still opening (`QuickReads`): the page
        then lists, searches and sorts through them, and `attach` hands it the app."""
        super().__init__(parent)
        self.app = app
        self._wanted_editor: list[str | None] = []  # asked for before the folder was open
        self.tasks = tasks
        self.editor: ActivityEditor | None = None
        self._select_after: str | None = None  # selected by the next load
        self._filters = ActivityFilter()
        self._query: tuple[ActivityFilter, str, bool] | None = None  # of the rows shown
        self._count: int | None = None  # how many match it, once counted
        self._restoring = False
        self._marked = False  # the first rows drawn are marked for the start-up benchmark

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        title = QLabel(tr("Activities"), self)
        title.setFont(heading_font(self, 1.5))
        header.addWidget(title)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(tr("Number of activities shown"))
        header.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignBottom)
        self.new_button = QPushButton(icon("add"), tr("New activity (Ctrl+N)"), self)
        self.new_button.clicked.connect(lambda: self._edit(None))
        header.addWidget(self.new_button)
        layout.addLayout(header)

        self.follower = ChangeFollower(self, tasks, SHOWS, self.refresh)
        self.filters = FilterBar(app, self)
        self.filters.changed.connect(self.reload)
        self.filters.to_results.connect(self._focus_results)
        layout.addWidget(self.filters)
        # Shown while the list is limited to given activities (a report's drill-down).
        self._only_ids: tuple[str, ...] | None = None
        self.only_bar = OnlyBar(tr("Show all activities"), self)
        self.only_label = self.only_bar.label
        self.only_bar.show_all_requested.connect(self.show_all)
        layout.addWidget(self.only_bar)

        self.model = ActivityTableModel(app, self, tasks=tasks)
        self.model.fetch_failed.connect(self._failed)
        # Connected only once the header is set up: setting the initial sort indicator
        # must not start queries of its own.
        self.table = QTableView(self)
        self.table.setAccessibleName(tr("Activities"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view never measures 100,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._column_menu)
        char = self.fontMetrics().averageCharWidth()
        for col, sample in enumerate(_COLUMN_SAMPLES):
            self.table.setColumnWidth(col, self.fontMetrics().horizontalAdvance(sample) + char * 4)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.table.activated.connect(lambda _i: self.edit_current())
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(HISTORY_SETTLE_MS)
        self._history_timer.timeout.connect(self._show_history)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._history_timer.start()
        )
        self.model.sort_requested.connect(self._sort_requested)

        self.empty = EmptyState(
            tr("No activities yet"),
            tr(
                "Record your first forum, training or visit: press Ctrl+N. Participants are "
                "counted by sex and youth, and the paper attendance register can be typed in."
            ),
            tr("Record an activity"),
            "activities",
            self,
        )
        self.empty.action_clicked.connect(self._empty_action)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        # The register is shown here (in the activity editor): so are its personal fields.
        self.history = HistoryPanel(
            None if isinstance(app, QuickReads) else app, self, show_personal=True
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.history)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([char * 160, char * 36])
        layout.addWidget(self.splitter, 1)

        for keys, slot, widget, context in (
            (
                QKeySequence.StandardKey.New,
                lambda: self._edit(None),
                self,
                Qt.ShortcutContext.WindowShortcut,
            ),
            (
                QKeySequence(Qt.Key.Key_F2),
                self.edit_current,
                self.table,
                Qt.ShortcutContext.WidgetShortcut,
            ),
            (
                QKeySequence.StandardKey.Delete,
                self.delete_current,
                self.table,
                Qt.ShortcutContext.WidgetShortcut,
            ),
        ):
            shortcut = QShortcut(QKeySequence(keys), widget)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

    # -- loading ----------------------------------------------------------------------

    @property
    def attached(self) -> bool:
        """Whether the data folder is open (before, the lean reads show the list)."""
        return not isinstance(self.app, QuickReads)

    def attach(self, app: CaDesktop) -> None:
        """The data folder is open: from now on everything goes through `app`. The list is
        read again (the same rows, the selection kept), the filters get their choices, and
        an editor asked for meanwhile opens."""
        self.app = self.filters.app = self.model.app = app
        self.history.app = app
        self.refresh()
        self._history_timer.start()
        wanted, self._wanted_editor = self._wanted_editor[:1], []
        for record_id in wanted:
            self.open_editor(record_id)

    def _sort_requested(self, _key: str, _descending: bool) -> None:
        if self._restoring:
            return
        self.reload()

    def refresh(self) -> None:
        self.filters.reload_choices()
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        """Re-run the query off the GUI thread; the newest request wins.

        Only the first page and the count are fetched; the table asks for more as it
        scrolls. The same query again (a refresh after an edit) fetches as many rows as
        were loaded, so the selection and the scroll position survive it.
        """
        if select_id:
            self._select_after = select_id
        filters = replace(self.filters.value(), ids=self._only_ids)
        query = (filters, self.model.sort_key, self.model.descending)
        again = query == self._query
        limit = min(max(self.model.loaded_rows(), self.model.PAGE), REFRESH_ROWS) if again else None
        current = self._select_after or self.current_id()
        scroll = self.table.verticalScrollBar().value() if again else 0
        # Only the order changed: the same activities match, their count is known.
        known = self._count if self._query and self._query[0] == filters else None
        model = self.model

        def job(_progress: Any) -> tuple[list[ActivityRow], int | None]:
            return model.first_page(filters, limit)

        def done(result: tuple[list[ActivityRow], int | None]) -> None:
            if not shiboken6.isValid(self):
                return  # the page closed meanwhile
            rows, total = result
            self._select_after = None
            self._filters = filters
            self._query = query
            self._count = None
            self._apply(filters, rows, total if total is not None else known, current, scroll)
            if self._count is None:  # the rows are drawn first; the count follows
                self.tasks.run(
                    lambda _p: model.count(filters),
                    lambda n: self._counted(query, n) if shiboken6.isValid(self) else None,
                    self._failed,
                    key=job_key(self, "activities-count"),
                )

        self.tasks.run(job, done, self._failed, key=job_key(self, "activities"))

    def _counted(self, query: tuple[ActivityFilter, str, bool], n: int) -> None:
        if query != self._query:
            return  # a newer query was shown meanwhile
        self._count = n
        self.model.set_total(listed(self._filters, n))
        self.count_label.setText(count_text(self._filters, n))
        self.loaded.emit(n)

    def show_ids(self, ids: Sequence[str], caption: str) -> None:
        """List only these activities (the records behind a report's figure), under a
        caption saying where they come from, until "Show all activities" is pressed."""
        self._only_ids = tuple(ids)
        self.only_bar.narrow(caption)
        self.reload()

    def show_all(self) -> None:
        self._only_ids = None
        self.only_bar.hide()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText(tr("The list could not be loaded: {error}").format(error=exc))

    def _apply(
        self,
        filters: ActivityFilter,
        rows: list[ActivityRow],
        total: int | None,
        select_id: str | None,
        scroll: int,
    ) -> None:
        self.model.show(filters, rows, None if total is None else listed(filters, total))
        self._count = total
        self.count_label.setText(
            count_text(filters, total) if total is not None else tr("Counting…")
        )
        self.count_label.setToolTip(count_tip(filters))
        n = len(rows)
        if n == 0:
            title, text, action = empty_texts(self._filters)
            self.empty.title.setText(title)
            self.empty.text.setText(text)
            assert self.empty.button is not None
            self.empty.button.setText(action)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        row = self.model.row_of_id(select_id) if select_id else -1
        if row < 0 and n:
            row = 0
        if row >= 0:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.verticalScrollBar().setValue(scroll)
            self.table.scrollTo(index)  # only moves when the row is out of sight
        self._history_timer.start()  # after the rows are drawn, like a selection change
        if not self._marked:
            self._marked = True
            bench_marks.after_next_paint(self.table.viewport(), "rows-drawn")
        self.rows_shown.emit()
        if total is not None:
            self.loaded.emit(total)

    def _focus_results(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)

    def _empty_action(self) -> None:
        if self._filters.is_empty:
            self._edit(None)
        else:
            self.filters.clear()

    # -- selection and actions --------------------------------------------------------

    def current_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def _show_history(self) -> None:
        if self.attached:  # before, `attach` shows it
            self.history.show_record("activity", self.current_id())

    def edit_current(self) -> None:
        record_id = self.current_id()
        if record_id:
            self._edit(record_id)

    def _edit(self, record_id: str | None) -> None:
        """Open the editor, or once the data folder is open if it is still opening."""
        if self.attached:
            self.open_editor(record_id)
        else:
            self._wanted_editor = [record_id]

    def open_editor(self, record_id: str | None) -> ActivityEditor:
        app = self.app
        if isinstance(app, QuickReads):
            raise RuntimeError("the data folder is not open yet")
        if self.editor is not None and self.editor.isVisible():
            self.editor.raise_()
            self.editor.activateWindow()
            return self.editor
        # Imported on first use: the editor is not needed to show the list.
        from ca_desktop.gui.editors.activity_editor import ActivityEditor

        editor = ActivityEditor(app, record_id, self, tasks=self.tasks)
        editor.saved.connect(self._saved)
        editor.finished.connect(self._editor_closed)
        self.editor = editor
        editor.open()
        return editor

    def _editor_closed(self, _result: int) -> None:
        self.editor = None
        self.window().activateWindow()  # back to the list, ready for the next key
        self.table.setFocus()

    def _saved(self, record_id: str) -> None:
        # Known before the save announces the change, so the reload it causes selects it.
        self._select_after = record_id

    def confirm_delete(self, title: str) -> bool:
        return ask_to_delete(
            self,
            tr("Delete activity"),
            tr(
                "Delete “{title}”? Its history is kept and the deletion is sent with your "
                "next sync."
            ).format(title=title),
        )

    def delete_current(self) -> None:
        app = self.app
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if isinstance(app, QuickReads) or row is None or not self.confirm_delete(row.title):
            return
        next_row = min(index.row() + 1, self.model.rowCount() - 1)
        self._select_after = self.model.id_at(next_row) if next_row != index.row() else None
        delete_in_background(
            self, self.tasks, app, "activity", row.id, tr("Delete activity"),
            failed=self._forget_selection,
        )  # fmt: skip

    def _forget_selection(self) -> None:
        self._select_after = None

    def _column_menu(self, pos: QPoint) -> None:
        """Right-click on the header: choose the columns to show (kept with the layout)."""
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        menu = QMenu(self)
        header = self.table.horizontalHeader()
        visible = [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]
        for col, (_key, title) in enumerate(COLUMNS):
            action = menu.addAction(tr(title))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(col))
            # The title column always stays: a row must say what it is.
            action.setEnabled(col != 1 and not (len(visible) == 1 and col in visible))
            action.toggled.connect(lambda on, c=col: header.setSectionHidden(c, not on))
        return menu

    # -- layout persistence -----------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("activities/header", self.table.horizontalHeader().saveState())
        settings.setValue("activities/columns", _COLUMN_SIGNATURE)
        settings.setValue("activities/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        header = settings.value("activities/header")
        # A header saved by a version with other columns would put widths on wrong columns.
        same_columns = settings.value("activities/columns") == _COLUMN_SIGNATURE
        if same_columns and isinstance(header, QByteArray) and not header.isEmpty():
            self._restoring = True  # the page loads once it is shown, with this order
            try:
                self.table.horizontalHeader().restoreState(header)
            finally:
                self._restoring = False
            section = self.table.horizontalHeader().sortIndicatorSection()
            if 0 <= section < len(COLUMNS):
                self.model.sort_key = COLUMNS[section][0]
                self.model.descending = (
                    self.table.horizontalHeader().sortIndicatorOrder()
                    == Qt.SortOrder.DescendingOrder
                )
        splitter = settings.value("activities/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
