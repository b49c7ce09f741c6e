"""One editor widget per form field type, each with `value()`, `set_value()` and `changed`.

Empty is a real state everywhere (a count not filled in is not zero, a yes/no not answered
is not "no"), because paper forms come back with blanks and the record must show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import PARTICIPANT_FIELDS, participant_field
from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.strings import tr as form_tr

RecordChoices = Callable[[str], dict[str, str]]  # record type -> {id: title}
EMPTY_DATE = QDate(1900, 1, 1)


class FieldEditor(QWidget):
    changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class TextEditor(FieldEditor):
    def __init__(self, f: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        if f.max_length:
            self.edit.setMaxLength(f.max_length)
        _single(self, self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class LongTextEditor(FieldEditor):
    def __init__(self, f: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(max(3, min(f.lines, 8)) * 20 + 12)
        _single(self, self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        return self.edit.toPlainText().rstrip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class NumberEditor(FieldEditor):
    def __init__(self, f: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.integer = f.type == "integer"
        self.edit = QLineEdit(self)
        pattern = r"-?\d{0,12}" if self.integer else r"-?\d{0,15}([.,]\d{0,6})?"
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaximumWidth(180)
        _single(self, self.edit, f.unit.get(lang) if f.unit else "")
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        text = self.edit.text().strip().replace(",", ".")
        if text in ("", "-", "."):
            return None
        number = float(text)
        return int(number) if self.integer or number.is_integer() else number

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class DateEditor(FieldEditor):
    """A date picker whose lowest date stands for "not filled in"."""

    def __init__(self, f: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setMinimumDate(EMPTY_DATE)
        self.edit.setSpecialValueText(tr("(not filled in)"))
        self.edit.setDate(EMPTY_DATE)
        self.edit.setMaximumWidth(180)
        _single(self, self.edit)
        self.edit.dateChanged.connect(self.changed)

    def value(self) -> Any:
        d = self.edit.date()
        return None if d == EMPTY_DATE else d.toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        if not value:
            self.edit.setDate(EMPTY_DATE)
            return
        day = dt.date.fromisoformat(str(value))
        self.edit.setDate(QDate(day.year, day.month, day.day))


class ComboEditor(FieldEditor):
    """Single choice, yes/no and record pickers: a list with an empty first entry."""

    def __init__(
        self, options: list[tuple[Any, str]], parent: QWidget | None = None, search: bool = False
    ) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.addItem("—", None)
        for value, text in options:
            self.combo.addItem(text, value)
        if search:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            if completer is not None:
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setMinimumWidth(220)
        _single(self, self.combo)
        self.combo.currentIndexChanged.connect(self.changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0 and isinstance(value, str):  # a record not on this laptop's lists
            self.combo.addItem(value, value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class MultiChoiceEditor(FieldEditor):
    def __init__(self, f: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for i, choice in enumerate(f.choices):
            box = QCheckBox(choice.label.get(lang), self)
            box.toggled.connect(self.changed)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes.append((choice.value, box))

    def value(self) -> Any:
        return [v for v, box in self.boxes if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for v, box in self.boxes:
            box.setChecked(v in chosen)


class SignatureEditor(FieldEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(tr("Signed or thumbprinted on paper"), self)
        _single(self, self.box)
        self.box.toggled.connect(self.changed)

    def value(self) -> Any:
        return True if self.box.isChecked() else None

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class ParticipantsEditor(FieldEditor):
    """Counts by sex and youth, with the totals a reader checks against the paper."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QLineEdit] = {}
        heads = (form_tr("youth", lang), form_tr("other_ages", lang), form_tr("total", lang))
        for col, text in enumerate(heads, start=1):
            grid.addWidget(QLabel(f"<b>{text}</b>", self), 0, col)
        self.totals: list[QLabel] = []
        sexes = [(sex, form_tr(sex.value, lang)) for sex in Sex]
        for row, (sex, text) in enumerate(sexes, start=1):
            grid.addWidget(QLabel(text, self), row, 0)
            for col, youth in enumerate((True, False), start=1):
                edit = QLineEdit(self)
                edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,7}"), edit))
                edit.setAlignment(Qt.AlignmentFlag.AlignRight)
                edit.setMaximumWidth(90)
                edit.setAccessibleName(f"{text} {heads[col - 1]}")
                edit.textChanged.connect(self._update)
                grid.addWidget(edit, row, col)
                self.edits[participant_field(sex, youth)] = edit
            total = QLabel(self)
            grid.addWidget(total, row, 3)
            self.totals.append(total)
        grid.addWidget(QLabel(f"<b>{form_tr('total', lang)}</b>", self), 4, 0)
        self.grand = QLabel(self)
        grid.addWidget(self.grand, 4, 3)
        grid.setColumnStretch(4, 1)
        self._update()

    def _update(self) -> None:
        values = self.value()
        for i, sex in enumerate(Sex):
            cells = [values.get(participant_field(sex, y)) for y in (True, False)]
            self.totals[i].setText(str(sum(c or 0 for c in cells)))
        self.grand.setText(f"<b>{sum(v or 0 for v in values.values())}</b>")
        self.changed.emit()

    def value(self) -> Any:
        return {k: (int(e.text()) if e.text() else None) for k, e in self.edits.items()}

    def set_value(self, value: Any) -> None:
        value = value or {}
        for k in PARTICIPANT_FIELDS:
            v = value.get(k)
            self.edits[k].setText("" if v is None else str(v))


def make_editor(
    f: FieldDef, lang: str, records: RecordChoices, parent: QWidget | None = None
) -> FieldEditor:
    """The editor for a (non-table) field; tables are built by `table.TableEditor`."""
    kind = f.type
    if kind == "text":
        return TextEditor(f, parent)
    if kind == "longtext":
        return LongTextEditor(f, parent)
    if kind in ("integer", "decimal"):
        return NumberEditor(f, lang, parent)
    if kind == "date":
        return DateEditor(f, parent)
    if kind == "choice":
        return ComboEditor([(c.value, c.label.get(lang)) for c in f.choices], parent)
    if kind == "yesno":
        return ComboEditor([(True, _yes_no(True, lang)), (False, _yes_no(False, lang))], parent)
    if kind == "multichoice":
        return MultiChoiceEditor(f, lang, parent)
    if kind == "signature":
        return SignatureEditor(parent)
    if kind == "record":
        options = sorted(records(f.record_type or "").items(), key=lambda item: item[1].lower())
        return ComboEditor(list(options), parent, search=True)
    if kind == "participants":
        return ParticipantsEditor(lang, parent)
    raise ValueError(f"no editor for {kind}")


def _yes_no(value: bool, lang: str) -> str:
    return form_tr("yes" if value else "no", lang)


def _single(owner: QWidget, widget: QWidget, suffix: str = "") -> None:
    layout = QHBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    if suffix:
        layout.addWidget(QLabel(suffix, owner))
    if not isinstance(widget, (QPlainTextEdit,)) and widget.maximumWidth() < 10000:
        layout.addStretch(1)
    owner.setFocusProxy(widget)
