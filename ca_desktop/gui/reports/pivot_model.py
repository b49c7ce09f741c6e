"""The pivot as a table model: one row per row key, one column per column key, totals last."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ca_desktop.domain.i18n import tr
from ca_desktop.reports.formatting import format_number
from ca_desktop.reports.pivot import Pivot

Index = QModelIndex | QPersistentModelIndex


class PivotTableModel(QAbstractTableModel):
    """Read-only; `keys_at` tells which cell (or total) an index stands for."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pivot: Pivot | None = None

    def set_pivot(self, pivot: Pivot | None) -> None:
        self.beginResetModel()
        self.pivot = pivot
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if self.pivot is None or parent.isValid() else len(self.pivot.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        if self.pivot is None or parent.isValid():
            return 0
        return len(self.pivot.columns) + (1 if self.pivot.col_dim else 0)

    def keys_at(self, index: Index) -> tuple[str | None, str | None]:
        """(row key, column key) of a cell; None stands for "all" (a total)."""
        assert self.pivot is not None
        p = self.pivot
        row = p.rows[index.row()] if index.row() < len(p.rows) else None
        if not p.col_dim:
            return row, None
        column = p.columns[index.column()] if index.column() < len(p.columns) else None
        return row, column

    def value_at(self, index: Index) -> float:
        assert self.pivot is not None
        p = self.pivot
        row, column = self.keys_at(index)
        if row is None and column is None:
            return p.total
        if row is None:
            return p.column_totals.get(column or "", 0)
        if column is None:
            return p.row_totals.get(row, 0)
        return p.cells.get((row, column), 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.pivot is None or not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(self.value_at(index))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and None in self.keys_at(index):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Double-click to see the activities behind this number")
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.pivot is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self.pivot
        if orientation == Qt.Orientation.Vertical:
            return p.label(p.row_dim, p.rows[section]) if section < len(p.rows) else tr("Total")
        if not p.col_dim:
            return tr("Value")
        return p.label(p.col_dim, p.columns[section]) if section < len(p.columns) else tr("Total")
