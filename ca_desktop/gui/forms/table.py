"""The repeating-table editor: one row per line of the paper table.

Enter moves to the next cell and adds a row after the last one, so a register is typed
in without touching the mouse. Rows that stand for existing records keep their id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.forms.mapping import ROW_ID
from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.strings import tr as form_tr
from ca_desktop.forms.repeat_rows import has_row_relevance, relevant_columns
from ca_desktop.forms.typed_values import normal_datetime, normal_time
from ca_desktop.gui.forms.editors import FieldEditor
from ca_desktop.gui.widgets.locale_format import date_text

CHANGED = QColor("#FFF1B8")
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HIDDEN = QColor("#E3E7EA")  # a cell this row's relevance hides
HIDDEN_ROLE = Qt.ItemDataRole.UserRole + 2


class TableEditor(FieldEditor):
    def __init__(self, f: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.f, self.lang = f, lang
        self.table = QTableWidget(0, len(f.columns), self)
        self.table.setHorizontalHeaderLabels([c.label.get(lang) for c in f.columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, col in enumerate(f.columns):
            self.table.setColumnWidth(i, int(70 * col.col_width) + 30)
        self.table.setMinimumHeight(200)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        add = QPushButton(tr("Add row"), self)
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton(tr("Remove row"), self)
        remove.clicked.connect(self.remove_current_row)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.setFocusProxy(self.table)
        self.table.installEventFilter(self)

    # -- rows ---------------------------------------------------------------------------

    def add_row(self, row: dict[str, Any] | None = None) -> int:
        r = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(r)
        for c, col in enumerate(self.f.columns):
            value = (row or {}).get(col.name)
            if col.type in ("choice", "yesno"):
                combo = QComboBox(self.table)
                combo.addItem("—", None)
                if col.type == "yesno":
                    combo.addItem(form_tr("yes", self.lang), True)
                    combo.addItem(form_tr("no", self.lang), False)
                else:
                    for choice in col.choices:
                        combo.addItem(choice.label.get(self.lang), choice.value)
                index = combo.findData(value) if value is not None else 0
                combo.setCurrentIndex(max(index, 0))
                combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
                self.table.setCellWidget(r, c, combo)
                self.table.setItem(r, c, QTableWidgetItem())
            elif col.type == "signature":
                item = QTableWidgetItem(tr("signed"))
                item.setFlags(
                    Qt.ItemFlag.ItemIsUserCheckable
                    | Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                self.table.setItem(r, c, item)
            else:
                self.table.setItem(r, c, QTableWidgetItem(_text(col, value)))
        if row and row.get(ROW_ID):
            first = self.table.item(r, 0)
            if first is not None:
                first.setData(ROW_ID_ROLE, row[ROW_ID])
        self.table.blockSignals(False)
        self.changed.emit()
        return r

    def remove_current_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self.changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.state() != QAbstractItemView.State.EditingState
        ):
            self._next_cell()
            return True
        return super().eventFilter(watched, event)

    def _next_cell(self) -> None:
        r, c = self.table.currentRow(), self.table.currentColumn()
        if c + 1 < self.table.columnCount():
            self.table.setCurrentCell(r, c + 1)
        else:
            if r + 1 >= self.table.rowCount():
                self.add_row()
            self.table.setCurrentCell(r + 1, 0)

    # -- values -------------------------------------------------------------------------

    def value(self) -> Any:
        rows = []
        for r in range(self.table.rowCount()):
            row: dict[str, Any] = {}
            for c, col in enumerate(self.f.columns):
                row[col.name] = self._cell_value(r, c, col)
            if all(v in (None, "") for v in row.values()):
                continue  # an empty line of the paper table
            first = self.table.item(r, 0)
            row_id = first.data(ROW_ID_ROLE) if first is not None else None
            if row_id:
                row[ROW_ID] = row_id
            rows.append(row)
        return rows

    def _cell_value(self, r: int, c: int, col: FieldDef) -> Any:
        widget = self.table.cellWidget(r, c)
        if isinstance(widget, QComboBox):
            return widget.currentData()
        item = self.table.item(r, c)
        if item is None:
            return None
        if col.type == "signature":
            return True if item.checkState() == Qt.CheckState.Checked else None
        return _parse(col, item.text())

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for row in value or []:
            self.add_row(row)
        if not value:
            self.add_row()

    def show_row_relevance(self, outer: Mapping[str, Any]) -> None:
        """Grey out, and close to typing, the cells a row's relevance hides: they are not
        required there and not kept (`forms/repeat_rows.py`)."""
        if not has_row_relevance(self.f):
            return
        self.table.blockSignals(True)
        try:
            for r in range(self.table.rowCount()):
                row = {
                    col.name: self._cell_value(r, c, col) for c, col in enumerate(self.f.columns)
                }
                shown = {col.name for col in relevant_columns(self.f, row, outer)}
                for c, col in enumerate(self.f.columns):
                    self._enable(r, c, col.name in shown)
        finally:
            self.table.blockSignals(False)

    def _enable(self, r: int, c: int, on: bool) -> None:
        widget = self.table.cellWidget(r, c)
        if widget is not None:
            widget.setEnabled(on)
        item = self.table.item(r, c)
        if item is None:
            return
        flags = item.flags()
        editable = Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsEnabled
        item.setFlags(flags | editable if on else flags & ~editable)
        item.setData(HIDDEN_ROLE, not on)
        item.setBackground(QBrush() if on else QBrush(HIDDEN))

    def mark_cells(self, changed: set[str]) -> None:
        """Highlight cells whose value differs from the printed form (`name.row.col`)."""
        # Painting a cell emits itemChanged; without the block that would recompute the
        # differences and paint again, forever.
        self.table.blockSignals(True)
        try:
            self._paint(changed)
        finally:
            self.table.blockSignals(False)

    def _paint(self, changed: set[str]) -> None:
        for r in range(self.table.rowCount()):
            for c, col in enumerate(self.f.columns):
                item = self.table.item(r, c)
                if item is None:
                    continue
                on = f"{self.f.name}.{r + 1}.{col.name}" in changed
                hidden = QBrush(HIDDEN) if item.data(HIDDEN_ROLE) else QBrush()
                item.setBackground(QBrush(CHANGED) if on else hidden)
                widget = self.table.cellWidget(r, c)
                if widget is not None:
                    widget.setStyleSheet("background: #FFF1B8;" if on else "")


def _text(col: FieldDef, value: Any) -> str:
    if value is None:
        return ""
    if col.type == "date":
        return date_text(str(value))
    return str(value)


def _parse(col: FieldDef, text: str) -> Any:
    """Typed cell text as a value; text that does not parse is kept, so the check names it."""
    text = text.strip()
    if not text:
        return None
    if col.type == "integer":
        return int(text) if text.lstrip("-").isdigit() else text
    if col.type == "decimal":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if col.type == "date":
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        return text
    if col.type == "time":
        return normal_time(text) or text
    if col.type == "datetime":
        return normal_datetime(text) or text
    return text
