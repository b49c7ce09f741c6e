"""The conflict comparison table: one row per field, the base and each version as columns.

A version cell whose value differs from the base is highlighted; in rows where versions
disagree with the base, each live version's cell is checkable and exactly one per row is
checked (radio semantics through check states, so Space and a click both choose, and
screen readers announce "checked"). The checked cells are the merge the coordinator saves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import FieldSpec, spec_for
from ca_desktop.gui.models.record_table import display_value
from ca_desktop.gui.widgets.plain import plain_tooltip
from ca_desktop.services.laptops import LaptopNames
from ca_desktop.sync.conflicts import Conflict, Version

_Index = QModelIndex | QPersistentModelIndex

CHANGED = QColor(255, 236, 179)  # amber: this version changed the field
CLASH = QColor(255, 205, 210)  # red: versions changed the field differently
FIELD_COLUMN, BASE_COLUMN, FIRST_VERSION = 0, 1, 2


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def version_caption(version: Version, names: Mapping[str, str] | None = None) -> str:
    """ "Amina · 27 Nov 2026 10:02" with a warning mark when its clock looked wrong."""
    when = version.when.replace("T", " ")[:16]
    who = version.author or (names or {}).get(version.device_id, "") or tr("unknown")
    text = f"{who} · {when}"
    if version.deleted:
        text += " · " + tr("deleted")
    if version.clock_flag:
        text = "⚠ " + text
    return text


def default_choices(conflict: Conflict, rows: list[str]) -> dict[str, int]:
    """For each field in `rows`, the version offered first: the proposed merge where there
    is one, otherwise the shown winner if it changed the field, else the first that did."""
    live = [i for i, v in enumerate(conflict.versions) if not v.deleted]
    out: dict[str, int] = {}
    for name in rows:
        changers = [i for i in live if name in conflict.versions[i].changed]
        if not changers:
            out[name] = live[0] if live else 0
        elif conflict.proposed is not None:
            proposed = conflict.proposed.get(name)
            out[name] = next(
                (i for i in changers if _same(conflict.versions[i].body.get(name), proposed)),
                changers[0],
            )
        else:
            out[name] = changers[0]  # versions come winner first
    return out


class ConflictTableModel(QAbstractTableModel):
    """Fields × (base, versions) of one conflict, with one chosen version per field."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.conflict: Conflict | None = None
        self._rows: list[FieldSpec] = []
        self._choosable: set[str] = set()
        self._chosen: dict[str, int] = {}
        self._titles: Mapping[str, Mapping[str, str]] = {}
        self.show_unchanged = False
        self.laptops = LaptopNames()  # set by the review with each reload

    # -- content --------------------------------------------------------------------------

    def set_conflict(
        self,
        conflict: Conflict | None,
        titles: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.beginResetModel()
        self.conflict = conflict
        self._titles = titles or {}
        self._rows, self._choosable, self._chosen = [], set(), {}
        if conflict is not None:
            spec = spec_for(conflict.record_type)
            changed = {f for v in conflict.versions for f in v.changed}
            self._choosable = changed
            bodies = [v.body for v in conflict.versions] + [
                conflict.base.body if conflict.base else {}
            ]
            present = {k for b in bodies for k in b}
            # Changed fields first (what the coordinator must look at), then, on request,
            # the rest in form order for context.
            first = [f for f in spec.fields if f.name in changed]
            rest = [f for f in spec.fields if f.name not in changed and f.name in present]
            self._rows = first + (rest if self.show_unchanged else [])
            self._chosen = default_choices(conflict, [f.name for f in first])
        self.endResetModel()

    def set_show_unchanged(self, show: bool) -> None:
        self.show_unchanged = show
        chosen = dict(self._chosen)
        self.set_conflict(self.conflict, self._titles)
        self._chosen.update(chosen)

    @property
    def choices(self) -> dict[str, int]:
        """Field name → index into `conflict.versions` for every field that differs."""
        return dict(self._chosen)

    def hard_rows(self) -> list[int]:
        hard = set(self.conflict.hard_fields) if self.conflict else set()
        return [i for i, f in enumerate(self._rows) if f.name in hard]

    def field_at(self, row: int) -> str:
        return self._rows[row].name

    def choose(self, row: int, version: int) -> bool:
        """Take field `row` from version `version`; False when that cell is not a choice."""
        if not self._checkable(row, FIRST_VERSION + version):
            return False
        name = self._rows[row].name
        self._chosen[name] = version
        self.dataChanged.emit(
            self.index(row, FIRST_VERSION),
            self.index(row, self.columnCount() - 1),
            [
                Qt.ItemDataRole.CheckStateRole,
                Qt.ItemDataRole.FontRole,
                Qt.ItemDataRole.AccessibleTextRole,
            ],
        )
        return True

    # -- Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        if parent.isValid() or self.conflict is None:
            return 0
        return FIRST_VERSION + len(self.conflict.versions)

    def _version(self, column: int) -> Version | None:
        if self.conflict is None or column < FIRST_VERSION:
            return None
        return self.conflict.versions[column - FIRST_VERSION]

    def _checkable(self, row: int, column: int) -> bool:
        version = self._version(column)
        if version is None or version.deleted or not 0 <= row < len(self._rows):
            return False
        return self._rows[row].name in self._choosable

    def _value(self, row: int, column: int) -> tuple[bool, Any]:
        """(exists, value) of the cell; a deleted version has no values."""
        assert self.conflict is not None
        name = self._rows[row].name
        if column == BASE_COLUMN:
            base = self.conflict.base
            return (base is not None, base.body.get(name) if base else None)
        version = self._version(column)
        assert version is not None
        return (not version.deleted, version.body.get(name))

    def _text(self, row: int, column: int) -> str:
        if column == FIELD_COLUMN:
            return field_label(self._rows[row].name)
        exists, value = self._value(row, column)
        if not exists:
            return tr("(deleted)") if column != BASE_COLUMN else tr("(no common version)")
        return display_value(self._rows[row], value, self._titles) or "—"

    def _differs(self, row: int, column: int) -> bool:
        version = self._version(column)
        return version is not None and self._rows[row].name in version.changed

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.conflict is None:
            return None
        row, column = index.row(), index.column()
        name = self._rows[row].name
        chosen = self._checkable(row, column) and self._chosen.get(name) == column - FIRST_VERSION
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # record values: never drawn as markup
            return plain_tooltip(self._text(row, column))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(row, column)
            if self._checkable(row, column):
                text += ", " + (tr("chosen") if chosen else tr("not chosen"))
            return text
        if role == Qt.ItemDataRole.CheckStateRole and self._checkable(row, column):
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and self._differs(row, column):
            clash = name in self.conflict.hard_fields
            return QBrush(CLASH if clash else CHANGED)
        if role == Qt.ItemDataRole.ForegroundRole and self._differs(row, column):
            return QBrush(QColor(33, 33, 33))  # dark text stays readable on the highlight
        if role == Qt.ItemDataRole.FontRole and (
            chosen or (column == FIELD_COLUMN and name in self._choosable)
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt API
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        if not self._checkable(index.row(), index.column()):
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        if state != Qt.CheckState.Checked:
            return False  # radio semantics: a choice is changed by checking another cell
        return self.choose(index.row(), index.column() - FIRST_VERSION)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._checkable(index.row(), index.column()):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.conflict is None:
            return None
        if not 0 <= section < self.columnCount():
            return None
        version = self._version(section)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if section == FIELD_COLUMN:
                return tr("Field")
            if section == BASE_COLUMN:
                return tr("Before (common version)")
            assert version is not None
            caption = version_caption(version)
            if role == Qt.ItemDataRole.DisplayRole:
                return caption.replace(" · ", "\n", 1)  # name above date: columns stay narrow
            return caption
        if role == Qt.ItemDataRole.ToolTipRole and version is not None:
            tip = tr("Laptop {id}, revision {rev}").format(
                id=self.laptops.of(version.device_id, version.author), rev=version.rev_id[:12]
            )
            if version.clock_flag:
                tip += "\n" + tr(
                    "This laptop's clock looked wrong when the change was made: its time may be off."
                )
            return plain_tooltip(tip)
        return None
