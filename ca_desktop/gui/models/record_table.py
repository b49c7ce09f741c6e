"""A table of records of one type, generic over `RecordSpec`.

The record pages hold at most a few thousand rows, so the model keeps the whole list and
sorts in memory; references show the referenced record's name, enum codes their label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ca_desktop.domain.i18n import field_label
from ca_desktop.domain.records import FieldSpec, RecordSpec
from ca_desktop.gui.models.conflict_badge import badge
from ca_desktop.gui.widgets.fields import code_label
from ca_desktop.gui.widgets.plain import plain_tooltip
from ca_desktop.services.views import RecordView

RecordIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def display_value(
    spec: FieldSpec, value: Any, titles: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """How a body value reads in a list: labels for codes, names for references."""
    if value is None or value == "" or value == []:
        return ""
    kind = spec.kind
    if kind == "enum":
        return code_label(str(value))
    if kind == "enums":
        return ", ".join(code_label(str(v)) for v in value)
    if kind == "ref":
        assert spec.ref is not None
        return (titles or {}).get(spec.ref, {}).get(str(value), "")
    if kind == "int":
        return f"{int(value):,}"
    if kind == "decimal":
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    if kind == "bool":
        return "✓" if value else ""
    if kind == "longtext":
        first = str(value).strip().splitlines()[0] if str(value).strip() else ""
        return first if len(first) <= 120 else first[:119] + "…"
    return str(value)


class RecordTableModel(QAbstractTableModel):
    def __init__(
        self,
        spec: RecordSpec,
        columns: Sequence[str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        # The declared list columns: what someone scanning the list needs to tell records
        # apart, not every field.
        names = columns or spec.list_columns
        self.columns: tuple[FieldSpec, ...] = tuple(spec.field(n) for n in names)
        self._records: list[RecordView] = []
        self._titles: dict[str, dict[str, str]] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- loading ------------------------------------------------------------------------

    def set_records(
        self, records: Sequence[RecordView], titles: Mapping[str, Mapping[str, str]]
    ) -> None:
        """Replace the rows; `titles` maps each referenced type to {id: name}."""
        self.beginResetModel()
        self._records = list(records)
        self._titles = {k: dict(v) for k, v in titles.items()}
        if self._sort is not None:
            self._sort_in_place(*self._sort)
        self.endResetModel()

    def record(self, row: int) -> RecordView:
        return self._records[row]

    def row_of(self, record_id: str) -> int:
        for row, record in enumerate(self._records):
            if record.id == record_id:
                return row
        return -1

    def ref_types(self) -> set[str]:
        return {c.ref for c in self.columns if c.kind == "ref" and c.ref}

    # -- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        spec = self.columns[index.column()]
        value = record.body.get(spec.name)
        if index.column() == 0 and record.heads > 1:
            marked = badge(role, record.heads)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(spec, value, self._titles)
        if role == Qt.ItemDataRole.ToolTipRole and spec.kind == "longtext" and value:
            return plain_tooltip(str(value)[:2000])  # record text: never markup
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.kind in ("int", "decimal"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == RecordIdRole:
            return record.id
        if role == SortRole:
            return self._sort_key(spec, value)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return field_label(self.columns[section].name)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].kind in (
            "int",
            "decimal",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        old = [r.id for r in self._records]
        self._sort = (column, order)
        self._sort_in_place(column, order)
        # Keep selections and the current row on the same records after sorting.
        where = {r.id: i for i, r in enumerate(self._records)}
        for persistent in self.persistentIndexList():
            if persistent.isValid():
                new_row = where[old[persistent.row()]]
                self.changePersistentIndex(persistent, self.index(new_row, persistent.column()))
        self.layoutChanged.emit()

    def _sort_in_place(self, column: int, order: Qt.SortOrder) -> None:
        spec = self.columns[column]
        present = [r for r in self._records if r.body.get(spec.name) not in (None, "", [])]
        missing = [r for r in self._records if r.body.get(spec.name) in (None, "", [])]
        present.sort(
            key=lambda r: self._sort_key(spec, r.body.get(spec.name)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self._records = present + missing  # blanks last either way: they are rarely sought

    def _sort_key(self, spec: FieldSpec, value: Any) -> Any:
        if spec.kind in ("int", "decimal"):
            return float(value) if value is not None else 0.0
        return display_value(spec, value, self._titles).casefold()
