"""The CUF projects, grievances and programmes pages: one generic record list each.

A page shows a searchable, sortable table of one record type with a result count, New
(Ctrl+N), Edit (Enter or double-click) and Delete, and the selected record's history: who
changed what, when, on which laptop. Lists load on a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr, tr_n
from ca_desktop.domain.records import spec_for
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.models.record_table import RecordTableModel, display_value
from ca_desktop.gui.resources import icon
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.dialogs import ask_to_delete, delete_in_background
from ca_desktop.gui.widgets.fields import code_label
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.gui.widgets.only_bar import OnlyBar
from ca_desktop.gui.widgets.panels import EmptyState, heading_font
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.record_queries import search_records
from ca_desktop.services.review_state import pending_review

SEARCH_DELAY_MS = 250


class RecordListPage(QWidget):
    """The list page of one record type, worded and laid out as its declaration says
    (`RecordSpec.page`; columns from the fields)."""

    loaded = Signal()  # a list load finished (tests and the window wait on it)

    def __init__(
        self,
        app: CaDesktop,
        tasks: TaskManager,
        parent: QWidget | None = None,
        record_type: str = "",
    ) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.record_type = record_type
        self.spec = spec_for(record_type)
        page = self.spec.page
        if page is None:
            raise ValueError(f"{record_type} has no list page of its own")
        self.title, self.new_label = self.spec.plural, self.spec.new_title
        self.empty_title, self.empty_text = page.empty_title, page.empty_text
        self.icon_name, self.filter_field = page.icon, page.filter_field
        self.newest_first = page.newest_first
        self.model = RecordTableModel(self.spec, parent=self)
        # Its own type, and the types its references show by title.
        refs = {f.ref for f in self.spec.fields if f.kind == "ref" and f.ref}
        self.follower = ChangeFollower(self, tasks, {self.record_type, *refs}, self.refresh)
        self._total = 0
        self._select_after_load: str | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = QLabel(tr(self.title), self)
        self.heading.setFont(heading_font(self, 1.5))
        top.addWidget(self.heading)
        top.addStretch(1)
        self.new_button = QPushButton(icon("add"), tr(self.new_label), self)
        self.new_button.setToolTip(tr("{action} (Ctrl+N)").format(action=tr(self.new_label)))
        self.edit_button = QPushButton(tr("Edit"), self)
        self.edit_button.setToolTip(tr("Edit the selected record (Enter)"))
        self.delete_button = QPushButton(tr("Delete"), self)
        self.delete_button.setToolTip(tr("Delete the selected record (Delete)"))
        for button in (self.new_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)
        # Shown while the list is limited to given records (a report's drill-down).
        self._only_ids: frozenset[str] | None = None
        self.only_bar = OnlyBar(tr("Show all records"), self)
        self.only_label = self.only_bar.label
        self.only_bar.show_all_requested.connect(self.show_all)
        layout.addWidget(self.only_bar)

        self.stack = QStackedWidget(self)
        self.empty = EmptyState(
            tr(self.empty_title), tr(self.empty_text), tr(self.new_label), self.icon_name, self
        )
        self.empty.action_clicked.connect(self.new_record)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._build_content())
        layout.addWidget(self.stack, 1)

        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(
            self.new_record
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self.search.setFocus
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._update_buttons()

    def _build_content(self) -> QWidget:
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit(content)
        self.search.setPlaceholderText(tr("Search (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        bar.addWidget(self.search, 2)
        self.filter = QComboBox(content)
        self.filter.setAccessibleName(tr("Filter"))
        if self.filter_field:
            fs = self.spec.field(self.filter_field)
            self.filter.addItem(tr("Any {field}").format(field=field_label(fs.name).lower()), None)
            assert fs.enum is not None
            for member in fs.enum:
                self.filter.addItem(code_label(member.value), member.value)
            self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
            bar.addWidget(self.filter)
        else:
            self.filter.hide()
        self.count_label = QLabel(content)
        self.count_label.setAccessibleName(tr("Number of results"))
        bar.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(bar)

        splitter = QSplitter(Qt.Orientation.Horizontal, content)
        self.table = QTableView(splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr(self.title))
        self.table.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(
            0, Qt.SortOrder.DescendingOrder if self.newest_first else Qt.SortOrder.AscendingOrder
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.activated.connect(lambda _i: self.edit_selected())  # Enter, double-click
        selection = self.table.selectionModel()
        selection.selectionChanged.connect(self._selection_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)  # not while typing a search
        delete.activated.connect(self.delete_selected)
        self.history = HistoryPanel(self.app, splitter)
        splitter.addWidget(self.table)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        return content

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list (search and filter applied) on a worker thread; a newer
        reload supersedes one still running."""
        words = self.search.text()
        code = self.filter.currentData()
        where = {self.filter_field: str(code)} if self.filter_field and code else {}
        record_type, app, ref_types = self.record_type, self.app, self.model.ref_types()
        only = self._only_ids

        def job(_progress: Any) -> tuple[list[Any], dict[str, dict[str, str]], int, frozenset[str]]:
            records = search_records(app, record_type, words, where)
            if only is not None:
                records = [r for r in records if r.id in only]
            titles = {t: app.titles(t) for t in ref_types}
            pending = frozenset(pending_review(app, [r.id for r in records]))
            return records, titles, app.count(record_type), pending

        def done(result: tuple[list[Any], dict[str, dict[str, str]], int, frozenset[str]]) -> None:
            if shiboken6.isValid(self):  # the page may have closed meanwhile
                self._show(*result)

        self.tasks.run(job, done, self._failed, key=job_key(self, "list"))

    def show_ids(self, ids: Sequence[str], caption: str) -> None:
        """List only these records (the ones behind a report's figure) under `caption`,
        until "Show all records" is pressed."""
        self._only_ids = frozenset(ids)
        self.only_bar.narrow(caption)
        self.refresh()

    def show_all(self) -> None:
        self._only_ids = None
        self.only_bar.hide()
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        # The database is readable again on the next refresh; say so instead of going blank.
        self.count_label.setText(tr("The list could not be loaded: {reason}").format(reason=exc))
        self.loaded.emit()

    def _show(
        self,
        records: list[Any],
        titles: dict[str, dict[str, str]],
        total: int,
        pending: frozenset[str] = frozenset(),
    ) -> None:
        keep = self._select_after_load or self.selected_id()
        self._select_after_load = None
        self._total = total
        self.model.set_records(records, titles, pending)
        self.stack.setCurrentIndex(0 if total == 0 else 1)
        shown = len(records)
        if shown == total:
            text = tr_n("{n} record", "{n} records", total, shown=number(total))
        else:
            text = tr("{shown} of {total} records").format(shown=number(shown), total=number(total))
        self.count_label.setText(text)
        if shown:
            self._fit_columns()
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.history.show_record(None, None)
        self._update_buttons()
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Columns as wide as their contents; the title column takes the rest of the width
        (and gives way first), so every column stays in view."""
        header = self.table.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        header.setMaximumSectionSize(char * 40)
        names = [c.name for c in self.model.columns]
        title = names.index(self.spec.title_field) if self.spec.title_field in names else 0
        header.setStretchLastSection(False)
        for col in range(len(names)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if col == title
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(col, mode)

    # -- selection and actions ----------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()).id if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self.history.show_record(self.record_type, self.selected_id())
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def open_editor(self, record_id: str | None) -> bool:
        dialog = RecordEditorDialog(self.app, self.record_type, record_id, self, tasks=self.tasks)
        # Known before the save announces the change, so the reload it causes selects it.
        dialog.saved.connect(self._select_when_loaded)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _select_when_loaded(self, record_id: str) -> None:
        self._select_after_load = record_id

    def new_record(self) -> bool:
        return self.open_editor(None)

    def edit_selected(self, _index: QModelIndex | None = None) -> bool:
        record_id = self.selected_id()
        return self.open_editor(record_id) if record_id else False

    def confirm_delete(self, name: str) -> bool:
        return ask_to_delete(
            self,
            tr("Delete record"),
            tr(
                "Delete “{name}”? It disappears from lists and reports; its history is kept "
                "and the deletion reaches other laptops with the next sync."
            ).format(name=name),
        )

    def delete_selected(self) -> bool:
        record_id = self.selected_id()
        if not record_id:
            return False
        record = self.model.record(self.model.row_of(record_id))
        name = display_value(
            self.spec.field(self.spec.title_field), record.body.get(self.spec.title_field)
        )
        if not self.confirm_delete(name):
            return False
        delete_in_background(
            self, self.tasks, self.app, self.record_type, record_id, tr("Delete record")
        )
        return True
