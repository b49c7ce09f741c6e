"""One editing widget per record field, built from its `FieldSpec`.

Every editor in the app (records, activities, forms) uses these, so they share one
contract: `value()` returns what the domain's `normalise` accepts (None for empty),
`set_value()` takes a normalised body value, `set_error()` shows a domain message under the
field, `changed` fires on every user edit, and `focus_widget()` is what the tab order links.
Values the widget cannot make sense of (e.g. "12a" in a number) are returned as typed, so
the domain reports them with its usual message instead of the widget losing them silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QPalette, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, label, tr
from ca_desktop.domain.records import FieldSpec
from ca_desktop.services.app import CaDesktop

Choices = Sequence[tuple[str, str]]  # (record id, display title)


# Codes that are also field names with their own label ("country" reads "Country (ISO
# code)" as a field): as a code they read plainly.
_CODE_CLASHES = {"country": "Country"}


def code_label(code: str) -> str:
    """The label of an enum code, for lists and pickers."""
    plain = _CODE_CLASHES.get(code)
    return tr(plain) if plain else label(code)


def error_color(widget: QWidget) -> str:
    """A red that stays readable on both light and dark palettes."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return "#ff8a80" if dark else "#b00020"


class FieldWidget(QWidget):
    """Base: an editor with an error line under it."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._error: str | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._error_label = QLabel(self)
        self._error_label.setWordWrap(True)
        self._error_label.setVisible(False)
        self._error_label.setObjectName("fieldError")
        self._error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _set_editor(self, editor: QWidget) -> None:
        self._layout.addWidget(editor)
        self._layout.addWidget(self._error_label)
        focus = self.focus_widget()
        focus.setAccessibleName(field_label(self.spec.name))
        self.setFocusProxy(focus)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        raise NotImplementedError

    def error(self) -> str | None:
        return self._error

    def set_error(self, message: str | None) -> None:
        """Show `message` in red under the field (None clears it); screen readers hear it."""
        self._error = message or None
        self._error_label.setText(message or "")
        self._error_label.setStyleSheet(f"color: {error_color(self)};")
        self._error_label.setVisible(bool(message))
        self.focus_widget().setAccessibleDescription(message or "")
        self.setAccessibleDescription(message or "")


class TextField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.setMaxLength(spec.max_length)
        if spec.max_length <= 40:  # codes (country, currency, programme code) stay compact
            chars = max(spec.max_length, 6) + 4
            self.edit.setMaximumWidth(self.edit.fontMetrics().averageCharWidth() * chars)
        self.edit.textEdited.connect(self.changed)
        self._set_editor(self.edit)

    def value(self) -> str | None:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class LongTextField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)  # keyboard users must be able to leave the box
        lines = self.edit.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(lines * 4 + 12)
        self.edit.setMaximumHeight(lines * 10)
        self.edit.textChanged.connect(self._text_changed)
        self._loading = False
        self._set_editor(self.edit)

    def _text_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def value(self) -> str | None:
        return self.edit.toPlainText().rstrip() or None

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self.edit.setPlainText("" if value is None else str(value))
        finally:
            self._loading = False

    def focus_widget(self) -> QWidget:
        return self.edit


class NumberField(FieldWidget):
    """int and decimal: a line edit (a spin box has no empty state, and empty ≠ 0)."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        pattern = r"[0-9 ,]{0,20}" if spec.kind == "int" else r"-?[0-9 ,]{0,20}(\.[0-9]{0,8})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        width = self.edit.fontMetrics().horizontalAdvance("0") * 18
        self.edit.setMaximumWidth(width)
        self.edit.textEdited.connect(self.changed)
        self._set_editor(self.edit)

    def value(self) -> int | float | str | None:
        raw = self.edit.text().replace(",", "").replace(" ", "")
        if not raw:
            return None
        try:
            number = float(raw) if self.spec.kind == "decimal" else int(raw)
        except ValueError:
            return raw  # e.g. "-": the domain says "must be a number"
        if isinstance(number, float) and number.is_integer():
            return int(number)
        return number

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.edit.setText("")
        elif isinstance(value, float):
            self.edit.setText(f"{value:.8f}".rstrip("0").rstrip("."))
        else:
            self.edit.setText(str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


_EMPTY_DATE = QDate(1900, 1, 1)  # the sentinel shown as "not set"


class _Calendar(QCalendarWidget):
    """Opens on this month, not on the 1900 sentinel, when the date is empty."""

    def __init__(self, edit: _DateEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self.setGridVisible(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._edit.date() == _EMPTY_DATE:
            today = QDate.currentDate()
            self.setCurrentPage(today.year(), today.month())


class _DateEdit(QDateEdit):
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if self.date() == _EMPTY_DATE:
            # Typing or stepping into an empty date starts from today, not from 1900.
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.setDate(QDate.currentDate())
                return
            if event.text().isdigit():
                self.setDate(QDate.currentDate())
                self.setCurrentSectionIndex(0)
                self.setSelectedSection(self.currentSection())
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.setDate(_EMPTY_DATE)
            return
        super().keyPressEvent(event)


class DateField(FieldWidget):
    """A date with a calendar popup, an explicit empty state and a clear button."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.edit = _DateEdit(row)
        self.edit.setCalendarPopup(True)
        self.edit.setCalendarWidget(_Calendar(self.edit))
        self.edit.setDisplayFormat("yyyy-MM-dd")  # unambiguous in every language
        self.edit.setMinimumDate(_EMPTY_DATE)
        self.edit.setMaximumDate(QDate(2999, 12, 31))
        self.edit.setSpecialValueText(tr("Not set"))
        self.edit.setDate(_EMPTY_DATE)
        self.edit.dateChanged.connect(self._date_changed)
        self.clear_button = QToolButton(row)
        self.clear_button.setText(tr("Clear"))
        self.clear_button.setAccessibleName(
            tr("Clear {field}").format(field=field_label(spec.name))
        )
        self.clear_button.setToolTip(tr("Clear the date (Ctrl+Delete)"))
        self.clear_button.clicked.connect(lambda: self.set_value(None, notify=True))
        box.addWidget(self.edit)
        box.addWidget(self.clear_button)
        box.addStretch(1)
        self._loading = False
        self._set_editor(row)
        self._update_clear()

    def _date_changed(self) -> None:
        self._update_clear()
        if not self._loading:
            self.changed.emit()

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.edit.date() != _EMPTY_DATE)

    def value(self) -> str | None:
        date = self.edit.date()
        return None if date == _EMPTY_DATE else date.toString("yyyy-MM-dd")

    def set_value(self, value: Any, notify: bool = False) -> None:
        self._loading = not notify
        try:
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    value = None
            if isinstance(value, dt.date):
                self.edit.setDate(QDate(value.year, value.month, value.day))
            else:
                self.edit.setDate(_EMPTY_DATE)
        finally:
            self._loading = False

    def focus_widget(self) -> QWidget:
        return self.edit


class EnumField(FieldWidget):
    """A combo of translated labels; the codes stay in the item data."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.enum is not None
        self.combo = QComboBox(self)
        # Optional fields offer an explicit empty choice; required ones start unset with a
        # prompt, so nobody saves a default they never chose.
        if not spec.required:
            self.combo.addItem(tr("(none)"), None)
        self.combo.setPlaceholderText(tr("Choose…"))
        for member in spec.enum:
            self.combo.addItem(code_label(member.value), member.value)
        self.combo.setCurrentIndex(-1 if spec.required else 0)
        self.combo.activated.connect(lambda _i: self.changed.emit())
        self._set_editor(self.combo)

    def value(self) -> str | None:
        index = self.combo.currentIndex()
        return None if index < 0 else self.combo.itemData(index)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value else -1
        if index < 0 and value:  # an unknown code (newer version, bad import): keep it
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        if index < 0 and not self.spec.required:
            index = 0
        self.combo.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.combo


class EnumsField(FieldWidget):
    """Several codes: one check box each, two columns."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.enum is not None
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, member in enumerate(spec.enum):
            check = QCheckBox(code_label(member.value), box)
            check.toggled.connect(lambda _c: self.changed.emit())
            grid.addWidget(check, i // 2, i % 2)
            self.boxes[member.value] = check
        self._set_editor(box)
        first = next(iter(self.boxes.values()))
        first.setAccessibleName(
            tr("{field}: {option}").format(field=field_label(spec.name), option=first.text())
        )

    def value(self) -> list[str]:
        return [code for code, check in self.boxes.items() if check.isChecked()]

    def set_value(self, value: Any) -> None:
        codes = set(value or [])
        for code, check in self.boxes.items():
            check.blockSignals(True)
            check.setChecked(code in codes)
            check.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


class _SearchCombo(QComboBox):
    """An editable combo that reports losing focus (except to its own popups)."""

    focus_left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_left.emit()


class RefField(FieldWidget):
    """Pick a record by typing part of its name; the empty choice means no link."""

    def __init__(self, spec: FieldSpec, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = _SearchCombo(self)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(15)
        # Long names (programmes, forums) must stay readable: grow with the form.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.addItem("", None)
        for rid, title in choices:
            self.combo.addItem(title, rid)
        line = self.combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(tr("Type to search…"))
        line.setClearButtonEnabled(True)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        completer.activated[str].connect(self._pick_text)  # type: ignore[index]
        self.combo.activated.connect(self._picked)
        # Settle on focus loss, not `editingFinished`: that also fires while the completer
        # popup takes the Return key, and would revert the pick before it lands.
        self.combo.focus_left.connect(self._settle)
        self._index = 0
        self._set_editor(self.combo)

    def _pick_text(self, text: str) -> None:
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self._picked(index)

    def _picked(self, index: int) -> None:
        if index != self._index:
            self._index = index
            self.changed.emit()

    def _settle(self) -> None:
        """Leaving the box: an exact name picks it, blank clears, anything else reverts."""
        text = self.combo.currentText().strip()
        if not text:
            index = 0
        else:
            index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
            if index < 0:
                index = self._index
        self.combo.setCurrentIndex(index)
        self.combo.setEditText(self.combo.itemText(index))
        line = self.combo.lineEdit()
        if line is not None:
            line.setCursorPosition(0)
        self._picked(index)

    def value(self) -> str | None:
        return self.combo.itemData(self._index)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value else 0
        if index < 0:
            # A link to a record not here (deleted, or not synced yet): keep it visible.
            short = str(value)[:8]
            self.combo.addItem(tr("Unknown record {id}…").format(id=short), value)
            index = self.combo.count() - 1
        self._index = index
        self.combo.setCurrentIndex(index)
        line = self.combo.lineEdit()
        if line is not None:
            line.setCursorPosition(0)  # show a long name from its start

    def focus_widget(self) -> QWidget:
        return self.combo


class BoolField(FieldWidget):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.check = QCheckBox(tr("Yes"), self)
        self.check.toggled.connect(lambda _c: self.changed.emit())
        self._set_editor(self.check)

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.blockSignals(True)
        self.check.setChecked(bool(value))
        self.check.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.check


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


def make_field_widget(
    app: CaDesktop,
    spec: FieldSpec,
    parent: QWidget | None = None,
    choices: Choices | None = None,
) -> FieldWidget:
    """The editor for one field. `choices` narrows a ref field (default: every record)."""
    kind = spec.kind
    if kind == "text":
        return TextField(spec, parent)
    if kind == "longtext":
        return LongTextField(spec, parent)
    if kind in ("int", "decimal"):
        return NumberField(spec, parent)
    if kind == "date":
        return DateField(spec, parent)
    if kind == "enum":
        return EnumField(spec, parent)
    if kind == "enums":
        return EnumsField(spec, parent)
    if kind == "ref":
        assert spec.ref is not None
        if choices is None:
            choices = list(app.titles(spec.ref).items())
        return RefField(spec, choices, parent)
    if kind == "bool":
        return BoolField(spec, parent)
    if kind == "list":
        return ActionListField(spec, parent)
    raise ValueError(f"no widget for field kind {kind!r}")
