"""The attendance register grid, built for typing a paper register in.

Enter moves to the next cell and, after the last column, to the next row; a new empty row
appears at the end, so a whole register is typed without the mouse. Sex letters as printed
on the paper (`domain.sex_codes`: "M" is a woman on a Spanish register, a man on an English
one), ages as numbers and "x" ticks are understood (`activity_register_parse`). A letter
whose meaning depends on the paper's language asks once which paper it is. Rows copied from a
spreadsheet paste in (tab-separated). Each row is checked with the domain's rules; cells at
fault turn red with the message as tooltip and accessible description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ca_desktop.domain.i18n import LANGUAGE_NAMES, field_label, label, language, tr
from ca_desktop.domain.sex_codes import PAPER_LETTERS, letters_hint, sex_for_letter
from ca_desktop.domain.validation import FieldIssue, ValidationError, check
from ca_desktop.gui.editors.activity_register_parse import (
    COLUMNS,
    cell_text,
    cell_value,
    has_ambiguous_letter,
    parse_age_band,
    parse_bool,
    parse_sex,
)
from ca_desktop.services.views import RecordView

ID_ROLE = Qt.ItemDataRole.UserRole + 1
ORIGINAL_ROLE = Qt.ItemDataRole.UserRole + 2
_PARSED = {"sex", "age_band", "consent", "signed"}
HEADERS = {
    "name": "Name",
    "sex": "Sex ({letters})",
    "age_band": "Age",
    "organisation": "Organisation",
    "role": "Role",
    "phone": "Phone",
    "consent": "Consent (x)",
    "signed": "Signed (x)",
}


class RegisterGrid(QTableWidget):
    """Rows of attendance entries; `entries()` gives what to save."""

    changed = Signal()
    paper_language_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, paper_lang: str | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setAccessibleName(tr("Attendance register"))
        # Which paper the letters come from; until someone says so, a letter that means
        # different things on different papers is asked about, never guessed.
        self.paper_lang = paper_lang if paper_lang in PAPER_LETTERS else language()
        self.paper_confirmed = paper_lang in PAPER_LETTERS
        self.ask_paper_language: Callable[[str], str | None] = self._ask_paper_language
        self._update_headers()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        metrics = self.fontMetrics()
        samples = (
            "Nguyễn Thị Lan Adébáyọ̀",
            "Not recorded",
            "15–24 (youth)",
            "Women's savings group",
            "Forum chair",
            "+256 700 000000",
            "Consent (x)",
            "Signed (x)",
        )
        header_metrics = header.fontMetrics()
        for col, sample in enumerate(samples):
            # Wide enough for a typical value and for the translated heading, whichever
            # is longer ("Consentimiento (x)" is twice "Consent (x)").
            item = self.horizontalHeaderItem(col)
            heading = item.text() if item is not None else ""
            self.setColumnWidth(
                col,
                max(
                    metrics.horizontalAdvance(sample) + metrics.averageCharWidth() * 3,
                    header_metrics.horizontalAdvance(heading) + metrics.averageCharWidth() * 2,
                ),
            )
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self._removed: list[str] = []
        self._loading = False
        self.itemChanged.connect(self._item_changed)
        self.add_row()

    def _update_headers(self) -> None:
        self.setHorizontalHeaderLabels(
            [tr(HEADERS[c]).format(letters=letters_hint(self.paper_lang)) for c in COLUMNS]
        )

    def set_paper_language(self, lang: str) -> None:
        """Read sex letters as printed on `lang`'s paper from now on (said by the user)."""
        if lang not in PAPER_LETTERS:
            return
        self.paper_lang, self.paper_confirmed = lang, True
        self._update_headers()
        # Letters not understood until now may mean something on this paper.
        col = COLUMNS.index("sex")
        self._loading = True
        for row in range(self.rowCount()):
            item = self._cell(row, col)
            item.setText(display_text("sex", item.text(), lang))
        self._loading = False
        self.paper_language_changed.emit(lang)
        self.changed.emit()

    def _confirm_paper(self, texts: list[str], typed: bool = False) -> bool:
        """Ask which paper the letters come from when one of `texts` needs it; False when
        the user cancels.

        Pasted rows come from a sheet of unknown origin, so any ambiguous letter asks. A
        typed letter is read with the paper named in the header and shown as a word at
        once; it asks only when it means nothing on that paper ("M" on a French one)."""
        if self.paper_confirmed or not has_ambiguous_letter(texts):
            return True
        if typed and all(sex_for_letter(t, self.paper_lang) for t in texts):
            return True
        answer = self.ask_paper_language(self.paper_lang)
        if answer is None:
            return False
        self.set_paper_language(answer)
        return True

    def _ask_paper_language(self, current: str) -> str | None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr("Which paper register?"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            tr(
                'On Spanish and Portuguese registers "M" means a woman (mujer, mulher); on '
                "English registers it means a man. Which paper are you copying?"
            )
        )
        woman_lang = current if current in ("es", "pt") else "es"
        woman = box.addButton(
            tr('"M" = woman ({language})').format(language=LANGUAGE_NAMES[woman_lang]),
            QMessageBox.ButtonRole.AcceptRole,
        )
        man = box.addButton(
            tr('"M" = man ({language})').format(language=LANGUAGE_NAMES["en"]),
            QMessageBox.ButtonRole.AcceptRole,
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        # Neither meaning is safe to take on Enter: Cancel is the default.
        box.setDefaultButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is woman:
            return woman_lang
        if clicked is man:
            return "en"
        return None

    def _cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.item(row, col)
        if item is None:  # every row gets its items when it is created; keep it that way
            item = QTableWidgetItem("")
            self.setItem(row, col, item)
        return item

    # -- loading and reading ----------------------------------------------------------

    def set_entries(self, entries: list[RecordView]) -> None:
        # An erased row has no name (domain/personal.py).
        ordered = sorted(entries, key=lambda v: (v.body.get("line") or 0, v.body.get("name") or ""))
        self.load_rows([(view.id, view.body) for view in ordered])

    def load_rows(self, rows: list[tuple[str | None, dict[str, Any]]]) -> None:
        """Show these (record id, body) rows in this order, plus the empty row to type in."""
        self._loading = True
        self.setUpdatesEnabled(False)
        self.setRowCount(0)
        self._removed = []
        for rid, body in rows:
            row = self.add_row()
            for col, column in enumerate(COLUMNS):
                self._set_cell(row, col, body.get(column))
            first = self._cell(row, 0)
            first.setData(ID_ROLE, rid)
            first.setData(ORIGINAL_ROLE, _comparable(body))
        self.add_row()
        self.setUpdatesEnabled(True)
        self._loading = False

    def mark_cells(self, cells: set[tuple[int, str]], brush: QBrush) -> None:
        """Paint (grid row, column) cells with `brush`, the others plain; changes nothing."""
        self._loading = True
        for row in range(self.rowCount()):
            for col, column in enumerate(COLUMNS):
                item = self._cell(row, col)
                if item.toolTip():
                    continue  # a cell at fault keeps its red
                item.setBackground(brush if (row, column) in cells else QBrush())
        self._loading = False

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Rows from a draft: {"id": ..., "original": ..., "cells": {column: text}}."""
        self._loading = True
        self.setRowCount(0)
        for saved in rows:
            row = self.add_row()
            for col, column in enumerate(COLUMNS):
                self._cell(row, col).setText(str(saved.get("cells", {}).get(column, "")))
            self._cell(row, 0).setData(ID_ROLE, saved.get("id"))
            self._cell(row, 0).setData(ORIGINAL_ROLE, saved.get("original"))
        self._ensure_trailing_row()
        self._loading = False

    def draft_rows(self) -> list[dict[str, Any]]:
        rows = []
        for row in range(self.rowCount()):
            cells = {c: self._cell(row, col).text() for col, c in enumerate(COLUMNS)}
            rid = self._cell(row, 0).data(ID_ROLE)
            if rid or any(t.strip() for t in cells.values()):
                rows.append(
                    {"id": rid, "original": self._cell(row, 0).data(ORIGINAL_ROLE), "cells": cells}
                )
        return rows

    def entries(self) -> list[tuple[int, str | None, dict[str, Any]]]:
        """(grid row, record id or None, body without activity_id) of every non-blank row."""
        found: list[tuple[int, str | None, dict[str, Any]]] = []
        for row in range(self.rowCount()):
            texts = {c: self._cell(row, col).text() for col, c in enumerate(COLUMNS)}
            rid = self._cell(row, 0).data(ID_ROLE)
            if not any(t.strip() for t in texts.values()):
                if rid:
                    continue  # an emptied existing row counts as removed, see removed_ids
                continue
            body = {c: cell_value(c, texts[c], self.paper_lang) for c in COLUMNS}
            body["line"] = len(found) + 1
            found.append((row, rid, body))
        return found

    def original(self, row: int) -> dict[str, Any] | None:
        value = self._cell(row, 0).data(ORIGINAL_ROLE)
        return value if isinstance(value, dict) else None

    def row_id(self, row: int) -> str | None:
        """The saved record shown in `row` (None for a row typed since loading)."""
        value = self._cell(row, 0).data(ID_ROLE) if 0 <= row < self.rowCount() else None
        return value if isinstance(value, str) and value else None

    def consent_withdrawn(self, item: QTableWidgetItem) -> bool:
        """The user just emptied the consent cell of a saved row that had consent."""
        if self._loading or COLUMNS[item.column()] != "consent" or item.text().strip():
            return False
        original = self.original(item.row())
        return bool(self.row_id(item.row()) and original and original.get("consent"))

    def forget_row(self, record_id: str, stored: dict[str, Any]) -> None:
        """After an erasure: the row's personal cells (and consent) as stored now; the
        row's other unsaved edits stay."""
        for row in range(self.rowCount()):
            if self.row_id(row) != record_id:
                continue
            self._loading = True
            original = dict(self.original(row) or {})
            for col, column in enumerate(COLUMNS):
                if column in stored and stored[column] != original.get(column):
                    self._set_cell(row, col, stored[column])
                    original[column] = stored[column]
            self._cell(row, 0).setData(ORIGINAL_ROLE, _comparable(original))
            self._loading = False

    def removed_ids(self) -> list[str]:
        emptied = [
            self._cell(row, 0).data(ID_ROLE)
            for row in range(self.rowCount())
            if self._cell(row, 0).data(ID_ROLE)
            and not any(self._cell(row, c).text().strip() for c in range(len(COLUMNS)))
        ]
        return self._removed + emptied

    # -- validation display -----------------------------------------------------------

    def check_rows(self, activity_id: str) -> dict[int, list[FieldIssue]]:
        """Check every row with the domain rules, mark the cells at fault; {row: issues}."""
        problems: dict[int, list[FieldIssue]] = {}
        for row, rid, body in self.entries():
            if rid and self.original(row) == _comparable(body):
                continue  # unchanged since loaded (an erased row has no name, and keeps none)
            try:
                check("attendance_entry", {**body, "activity_id": activity_id})
            except ValidationError as exc:
                problems[row] = exc.issues
        self.show_issues(problems)
        return problems

    def show_issues(self, problems: dict[int, list[FieldIssue]]) -> None:
        self._loading = True
        bad = QBrush(QColor(230, 80, 80, 90))
        for row in range(self.rowCount()):
            messages = {i.field: i.text() for i in problems.get(row, [])}
            for col, column in enumerate(COLUMNS):
                item = self._cell(row, col)
                if column in messages:
                    text = f"{field_label(column)}: {messages[column]}"
                    item.setBackground(bad)
                    item.setToolTip(text)
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, text)
                elif item.toolTip():
                    item.setBackground(QBrush())
                    item.setToolTip("")
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, None)
        self._loading = False

    # -- editing ----------------------------------------------------------------------

    def add_row(self) -> int:
        row = self.rowCount()
        was_loading, self._loading = self._loading, True
        self.insertRow(row)
        for col in range(len(COLUMNS)):
            self.setItem(row, col, QTableWidgetItem(""))
        self._loading = was_loading
        return row

    def _ensure_trailing_row(self) -> None:
        last = self.rowCount() - 1
        if last < 0 or any(self._cell(last, c).text().strip() for c in range(len(COLUMNS))):
            self.add_row()

    def _set_cell(self, row: int, col: int, value: Any) -> None:
        self._cell(row, col).setText(cell_text(COLUMNS[col], value))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        column = COLUMNS[item.column()]
        if column == "sex" and not self._confirm_paper([item.text()], typed=True):
            self._loading = True
            item.setText("")
            self._loading = False
            return
        # Show what was understood ("f" becomes "Female") so mistakes are seen at once.
        shown = display_text(column, item.text(), self.paper_lang)
        if shown != item.text():
            self._loading = True
            item.setText(shown)
            self._loading = False
        self._ensure_trailing_row()
        self.changed.emit()

    def advance(self) -> None:
        """The next cell; after the last column the first cell of the next row."""
        row, col = self.currentRow(), self.currentColumn()
        if row < 0:
            row, col = 0, -1
        col += 1
        if col >= len(COLUMNS):
            row, col = row + 1, 0
        if row >= self.rowCount():
            self.add_row()
        self.setCurrentCell(row, col)

    def next_row(self) -> None:
        row = self.currentRow() + 1
        if row >= self.rowCount():
            self.add_row()
        self.setCurrentCell(row, 0)

    def closeEditor(  # noqa: N802 - Qt override
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        super().closeEditor(editor, hint)
        # Enter in a cell editor ends with SubmitModelCache: carry on to the next cell.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.advance()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        mods = event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            if mods & Qt.KeyboardModifier.ControlModifier:
                self.next_row()
            else:
                self.advance()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if key == Qt.Key.Key_Delete and mods & Qt.KeyboardModifier.ControlModifier:
            self.remove_current_rows()
            return
        if (
            key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.state() != self.State.EditingState
        ):
            for item in self.selectedItems():
                item.setText("")
            return
        super().keyPressEvent(event)

    def paste(self, text: str | None = None) -> int:
        """Paste tab-separated rows at the current cell; returns how many rows came in."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
        if not lines:
            return 0
        start_row = max(self.currentRow(), 0)
        start_col = max(self.currentColumn(), 0)
        sex_col = COLUMNS.index("sex") - start_col
        sex_cells = [
            cells[sex_col]
            for cells in (line.split("\t") for line in lines)
            if 0 <= sex_col < len(cells)
        ]
        if not self._confirm_paper(sex_cells):
            return 0
        self.blockSignals(True)
        try:
            for offset, line in enumerate(lines):
                row = start_row + offset
                while row >= self.rowCount():
                    self.add_row()
                for j, cell in enumerate(line.split("\t")):
                    col = start_col + j
                    if col < len(COLUMNS):
                        shown = display_text(COLUMNS[col], cell, self.paper_lang)
                        self._cell(row, col).setText(shown)
        finally:
            self.blockSignals(False)
        self._ensure_trailing_row()
        self.changed.emit()
        return len(lines)

    def remove_current_rows(self) -> None:
        rows = sorted(
            {i.row() for i in self.selectedIndexes()} or {self.currentRow()}, reverse=True
        )
        for row in rows:
            if row < 0:
                continue
            rid = self._cell(row, 0).data(ID_ROLE)
            if rid:
                self._removed.append(rid)
            self.removeRow(row)
        self._ensure_trailing_row()
        self.changed.emit()


def display_text(column: str, text: str, paper_lang: str) -> str:
    """The cell text once understood: a label for sex and age, a tick for yes.

    Text that is not understood stays as typed; the row check names the problem.
    """
    if column not in _PARSED:
        return text
    stripped = text.strip()
    if not stripped:
        return ""
    if column == "sex":
        code = parse_sex(stripped, paper_lang)
        return label(code) if code else stripped
    if column == "age_band":
        code = parse_age_band(stripped)
        return label(code) if code else stripped
    flag = parse_bool(stripped)
    return stripped if flag is None else ("✓" if flag else "")


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {c: body.get(c) for c in (*COLUMNS, "line")}
