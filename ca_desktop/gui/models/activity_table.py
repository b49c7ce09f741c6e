"""The Activities table model: integer keys in display order plus a bounded row cache.

Rows are fetched from SQLite a batch at a time around the row the view asks for, so
scrolling through 100,000 activities keeps a few thousand rows in memory at most. Sorting
happens in SQL: `sort()` only records the wish and emits `sort_requested`; the page runs
the query (off the GUI thread) and hands the new key list back with `set_keys`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.gui.models.conflict_badge import badge
from ca_desktop.gui.widgets.plain import plain_tooltip
from ca_desktop.services.activity_queries import ActivityRow, fetch_rows
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


class ActivityTableModel(QAbstractTableModel):
    BATCH = 200
    CACHE_LIMIT = 3000

    sort_requested = Signal(str, bool)  # sort key, descending

    def __init__(self, app: CaDesktop, parent: Any = None) -> None:
        super().__init__(parent)
        self.app = app
        self._keys: list[int] = []
        self._cache: OrderedDict[int, ActivityRow | None] = OrderedDict()
        self.sort_key = "start_date"
        self.descending = True

    # -- content ----------------------------------------------------------------------

    def set_keys(self, keys: Sequence[int]) -> None:
        self.beginResetModel()
        self._keys = list(keys)
        self._cache.clear()
        self.endResetModel()

    def keys(self) -> list[int]:
        return self._keys

    def row_of_key(self, key: int) -> int:
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def invalidate(self) -> None:
        """Forget cached rows (after an edit) and repaint; keys stay."""
        self._cache.clear()
        if self._keys:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._keys) - 1, len(COLUMNS) - 1)
            )

    def row_at(self, row: int) -> ActivityRow | None:
        if not 0 <= row < len(self._keys):
            return None
        key = self._keys[row]
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        # Fetch a batch around the row, mostly below it: views scroll down more often.
        start = max(0, row - self.BATCH // 4)
        batch = [k for k in self._keys[start : start + self.BATCH] if k not in self._cache]
        fetched = fetch_rows(self.app, batch)
        for k in batch:
            self._cache[k] = fetched.get(k)  # None: deleted meanwhile
        while len(self._cache) > self.CACHE_LIMIT:
            self._cache.popitem(last=False)
        return self._cache.get(key)

    def cached_rows(self) -> int:
        return len(self._cache)

    def id_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.id if found else None

    # -- Qt model API -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if key in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        badged = (Qt.ItemDataRole.DecorationRole,) if key == "title" else ()
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ID_ROLE, *badged):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if key == "title" and row.heads > 1:
            marked = badge(role, row.heads)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DecorationRole:
            return None
        if role == ID_ROLE:
            return row.id
        value = getattr(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key != "title":
                return None
            themes = ", ".join(label(t) for t in row.themes)
            return plain_tooltip(  # record text: never markup
                tr("{title} — themes: {themes}; last changed by {who}").format(
                    title=row.title, themes=themes or tr("none"), who=row.updated_by or "?"
                )
            )
        if key in _CODED:
            return label(value)
        if key in _NUMERIC:
            return f"{value:,}"
        return value

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._keys):
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.sort_requested.emit(self.sort_key, self.descending)

    def sort_column(self) -> int:
        return [c[0] for c in COLUMNS].index(self.sort_key)
