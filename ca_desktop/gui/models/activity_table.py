"""The Activities table model: pages of rows in the order SQL keeps, fetched as the view
scrolls.

A query (filters and sort) shows its first page and the match count, both found off the
GUI thread by the page (`show`); scrolling near the end asks for the next page
(`canFetchMore`/`fetchMore`, Qt's own protocol, as in `QSqlQueryModel`), also off the GUI
thread when a TaskManager is given, and the rows are inserted when they arrive. The model
never holds every matching key: a keystroke or a sort costs one page, not 100,000 keys.
Sorting happens in SQL: `sort()` only records the wish and emits `sort_requested`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.gui.models.conflict_badge import badge
from ca_desktop.gui.widgets.locale_format import date_text, number
from ca_desktop.gui.widgets.plain import plain_tooltip
from ca_desktop.services.activity_queries import (
    NO_FILTER,
    ActivityFilter,
    ActivityRow,
    activity_page,
    count_activities,
    lists_every_match,
)
from ca_desktop.services.quick_reads import QuickReads

if TYPE_CHECKING:
    from ca_desktop.gui.tasks import TaskManager
    from ca_desktop.services.app import CaDesktop

Index = QModelIndex | QPersistentModelIndex

# (sort key in activity_queries.SORT_KEYS, English header)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("start_date", "Date"),
    ("title", "Title"),
    ("type", "Type"),
    ("level", "Level"),
    ("place", "Place"),
    ("people", "People"),
    ("women", "Women"),
    ("youth", "Youth"),
    ("status", "Status"),
    ("programme", "Programme"),
)
_NUMERIC = {"people", "women", "youth"}
_CODED = {"type", "level", "status"}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Computed once: `data` and `flags` run for every cell of every repaint, and each `|` of
# two Qt flags builds a new Python enum value (a fifth of a repaint's Python time).
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ID = int(ID_ROLE)
# The roles this model answers; a paint asks each cell for seven or so.
_SERVED = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _ALIGNMENT, _ID})


class ActivityTableModel(QAbstractTableModel):
    PAGE = 300  # rows per fetch: a few screens, one short index walk

    sort_requested = Signal(str, bool)  # sort key, descending
    fetch_failed = Signal(object)  # the exception of a page that could not be fetched

    def __init__(
        self, app: CaDesktop | QuickReads, parent: Any = None, tasks: TaskManager | None = None
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self._rows: list[ActivityRow] = []
        self._shown: dict[int, tuple[Any, ...]] = {}  # row -> its cells' texts, made once
        self._total = 0
        self._filters = NO_FILTER
        self._generation = 0  # bumped by every `show`: a late page of an older query is dropped
        self._fetching = False
        self.sort_key = "start_date"
        self.descending = True

    # -- content ----------------------------------------------------------------------

    def first_page(
        self, filters: ActivityFilter, limit: int | None = None
    ) -> tuple[list[ActivityRow], int | None]:
        """(the first `limit` rows in the current order, the match count when these are all
        of them, else None: `count` finds it); any thread. A `limit` larger than a page
        keeps what a refresh had loaded."""
        wanted = limit or self.PAGE
        rows = activity_page(self.app, filters, self.sort_key, self.descending, 0, wanted)
        every = len(rows) < wanted and lists_every_match(filters, len(rows))
        return rows, (len(rows) if every else None)

    def count(self, filters: ActivityFilter) -> int:
        """How many activities match `filters` (any thread)."""
        return count_activities(self.app, filters)

    def show(self, filters: ActivityFilter, rows: Sequence[ActivityRow], total: int | None) -> None:
        """Show a query's first rows (found by `first_page`) and how many match in all,
        None while that is being counted (`set_total` follows)."""
        self.beginResetModel()
        self._generation += 1
        self._fetching = False
        self._filters = filters
        self._rows = list(rows)
        self._shown = {}
        # Not counted yet: at least one more, so the view may ask for the next page.
        self._total = len(self._rows) + 1 if total is None else max(total, len(self._rows))
        self.endResetModel()

    def set_total(self, total: int) -> None:
        self._total = max(total, len(self._rows))

    def load(self, filters: ActivityFilter = NO_FILTER) -> None:
        """`first_page`, `count` and `show` on this thread (tests, screenshots)."""
        rows, total = self.first_page(filters)
        self.show(filters, rows, self.count(filters) if total is None else total)

    def total(self) -> int:
        """How many activities match: rows shown and rows still to fetch."""
        return self._total

    def loaded_rows(self) -> int:
        return len(self._rows)

    def row_of_id(self, record_id: str) -> int:
        """The row of an activity among the rows fetched so far, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def row_at(self, row: int) -> ActivityRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.id if found else None

    # -- paging (Qt calls these as the view scrolls) -------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        app, filters, offset = self.app, self._filters, len(self._rows)
        sort, descending, generation, page = (
            self.sort_key,
            self.descending,
            self._generation,
            self.PAGE,
        )

        def job(_progress: Any) -> list[ActivityRow]:
            return activity_page(app, filters, sort, descending, offset, page)

        if self.tasks is None:
            self._append(generation, offset, job(None))
            return
        self._fetching = True

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._fetching = False
                self.fetch_failed.emit(exc)

        self.tasks.run(job, lambda rows: self._append(generation, offset, rows), failed)

    def _append(self, generation: int, offset: int, rows: list[ActivityRow]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return  # a newer query was shown meanwhile
        self._fetching = False
        if not rows:  # fewer matches than counted (deleted meanwhile): stop asking
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
        self._rows.extend(rows)
        self._total = max(self._total, len(self._rows))
        self.endInsertRows()

    # -- Qt model API -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = int(role)
        if r not in _SERVED or not index.isValid():
            return None
        column = index.column()
        key = COLUMNS[column][0]
        if r == _ALIGNMENT:
            return _RIGHT if key in _NUMERIC else _LEFT
        at = index.row()
        row = self.row_at(at)
        if row is None:
            return None
        if key == "title" and row.heads > 1:
            marked = badge(role, row.heads)
            if marked is not None:
                return marked
        if r == _DECORATION:
            return None
        if r == _ID:
            return row.id
        if r == _TOOLTIP:
            if key != "title":
                return None
            themes = ", ".join(label(t) for t in row.themes)
            return plain_tooltip(  # record text: never markup
                tr("{title} — themes: {themes}; last changed by {who}").format(
                    title=row.title, themes=themes or tr("none"), who=row.updated_by or "?"
                )
            )
        shown = self._shown.get(at)
        if shown is None:  # each repaint asks again: a row's texts are made once
            shown = self._shown[at] = tuple(_text(row, k) for k, _title in COLUMNS)
        return shown[column]

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(self.sort_key, self.descending)

    def sort_column(self) -> int:
        return [c[0] for c in COLUMNS].index(self.sort_key)


def _text(row: ActivityRow, key: str) -> Any:
    """What a cell of `row` shows in column `key`."""
    value = getattr(row, key)
    if key in _CODED:
        return label(value)
    if key in _NUMERIC:
        return number(value)
    if key == "start_date" and value:
        return date_text(value)
    return value
