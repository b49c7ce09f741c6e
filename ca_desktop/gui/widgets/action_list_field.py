"""The follow-up actions field: a small table of what / who / by when / done."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import FieldSpec
from ca_desktop.gui.widgets.field_base import FieldWidget


class ActionListField(FieldWidget):
    """Follow-up actions: what / who / due (YYYY-MM-DD) / done, one row each."""

    COLUMNS = ("what", "who", "due", "done")

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4, box)
        self.table.setHorizontalHeaderLabels(
            [tr("What"), tr("Who"), tr("Due (YYYY-MM-DD)"), tr("Done")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        lines = self.table.fontMetrics().lineSpacing()
        self.table.setMinimumHeight(lines * 7)
        self.table.itemChanged.connect(self._item_changed)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("Add action"), box)
        self.remove_button = QPushButton(tr("Remove action"), box)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._loading = False
        self._set_editor(box)

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self.changed.emit()

    def _add_clicked(self) -> None:
        row = self.add_row({})
        self.changed.emit()
        self.table.setCurrentCell(row, 0)
        self.table.setFocus()
        first = self.table.item(row, 0)
        if first is not None:
            self.table.editItem(first)

    def add_row(self, action: dict[str, Any]) -> int:
        """Append a row showing `action` (no `changed`: callers decide); its index."""
        self._loading = True
        try:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, key in enumerate(self.COLUMNS[:3]):
                value = action.get(key)
                self.table.setItem(row, col, QTableWidgetItem("" if value is None else str(value)))
            done = QTableWidgetItem()
            done.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if action.get("done") else Qt.CheckState.Unchecked
            done.setCheckState(checked)
            self.table.setItem(row, 3, done)
        finally:
            self._loading = False
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def value(self) -> list[dict[str, Any]]:
        actions = []
        for row in range(self.table.rowCount()):
            texts = [
                (self.table.item(row, c) or QTableWidgetItem()).text().strip() for c in range(3)
            ]
            done_item = self.table.item(row, 3)
            done = bool(done_item and done_item.checkState() == Qt.CheckState.Checked)
            if not any(texts) and not done:
                continue  # a blank row someone added and never filled
            what, who, due = texts
            actions.append({"what": what, "who": who or None, "due": due or None, "done": done})
        return actions

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for action in value or []:
            self.add_row(dict(action) if isinstance(action, dict) else {"what": str(action)})

    def focus_widget(self) -> QWidget:
        return self.table
