"""The attendance register of a paper form (CA-F02) typed in the activity editor's grid.

A register is typed fastest in `RegisterGrid`: Enter moves on, letters and ages are read as
printed on the paper of the form's language, ticks are "x". This editor adapts the grid to
the form entry's contract (`value()`, `set_value()`, `changed`, `mark_cells()`), mapping
the form's columns to the register's fields through their `maps_to`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ca_desktop.forms.mapping import ROW_ID
from ca_desktop.forms.model import FieldDef
from ca_desktop.gui.editors.activity_register import RegisterGrid
from ca_desktop.gui.editors.activity_register_parse import COLUMNS, cell_text
from ca_desktop.gui.forms.editors import FieldEditor

CHANGED = QColor("#FFF1B8")


def fits_register(f: FieldDef) -> bool:
    """Whether a table field is an attendance register the grid can type in."""
    return f.rows_record == "attendance_entry" and all(
        (c.maps_to or c.name) in COLUMNS for c in f.columns
    )


class RegisterTableEditor(FieldEditor):
    def __init__(self, f: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.f = f
        # The paper being typed was printed in `lang`: its letters are the ones circled.
        self.grid = RegisterGrid(self, paper_lang=lang)
        self.grid.setMinimumHeight(240)
        self.grid.changed.connect(self.changed.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid)
        self.setFocusProxy(self.grid)
        self._fields = {c.name: c.maps_to or c.name for c in f.columns}

    def set_value(self, value: Any) -> None:
        rows = []
        for row in value or []:
            body = {self._fields[name]: v for name, v in row.items() if name in self._fields}
            rows.append((row.get(ROW_ID), body))
        self.grid.load_rows(rows)

    def value(self) -> list[dict[str, Any]]:
        out = []
        for grid_row, rid, body in self.grid.entries():
            original = self.grid.original(grid_row) or {}
            row: dict[str, Any] = {}
            for name, field in self._fields.items():
                value = body.get(field)
                # A cell left as shown keeps the stored value: a blank tick shown for "not
                # answered" must not come back as "no".
                if field in original and cell_text(field, original[field]) == cell_text(
                    field, value
                ):
                    value = original[field]
                row[name] = value
            if rid:
                row[ROW_ID] = rid
            out.append(row)
        return out

    def mark_cells(self, changed: set[str]) -> None:
        """Highlight cells whose value differs from the printed form (`name.row.col`)."""
        cells = set()
        for index, (grid_row, _rid, _body) in enumerate(self.grid.entries(), start=1):
            for name, field in self._fields.items():
                if f"{self.f.name}.{index}.{name}" in changed:
                    cells.add((grid_row, field))
        self.grid.mark_cells(cells, QBrush(CHANGED))
