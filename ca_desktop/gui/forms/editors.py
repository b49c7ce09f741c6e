"""The editor widget of each form field type, each with `value()`, `set_value()` and `changed`.

The kinds a record field also has (text, numbers, dates, choices, record links) get the
very widget a record editor shows, from `make_field_widget`; only what exists on forms
alone (yes/no with a blank, signatures, participant grids) is built here. Empty is a real
state everywhere (a count not filled in is not zero, a yes/no not answered is not "no"),
because paper forms come back with blanks and the record must show them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import PARTICIPANT_FIELDS, FieldKind, FieldSpec, participant_field
from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.strings import tr as form_tr
from ca_desktop.gui.widgets.fields import FieldWidget, make_field_widget

RecordChoices = Callable[[str], dict[str, str]]  # record type -> {id: title}


class FieldEditor(QWidget):
    """A form-only editor; shared kinds are `FieldWidget`s with the same contract."""

    changed = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


AnyEditor = FieldEditor | FieldWidget

# Form field type -> record field kind, for the types both share.
SHARED_KINDS: dict[str, FieldKind] = {
    "text": "text",
    "longtext": "longtext",
    "integer": "int",
    "decimal": "decimal",
    "date": "date",
    "choice": "enum",
    "multichoice": "enums",
    "record": "ref",
}


class WithUnit(FieldEditor):
    """A shared widget with the unit the paper prints after it ("m²", "USD")."""

    def __init__(self, inner: FieldWidget, unit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner = inner
        inner.setParent(self)
        _single(self, inner, unit)
        inner.changed.connect(self.changed)

    def value(self) -> Any:
        return self.inner.value()

    def set_value(self, value: Any) -> None:
        self.inner.set_value(value)


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
    f: FieldDef,
    lang: str,
    records: RecordChoices,
    parent: QWidget | None = None,
    store_photo: Callable[[str, bytes], dict[str, Any]] | None = None,
) -> AnyEditor:
    """The editor for a (non-table) field; tables are built by `table.TableEditor`.
    `store_photo` keeps a chosen photo (`forms/photos.store_photo`); without it an image
    field shows its photo but cannot take another."""
    kind = f.type
    shared = SHARED_KINDS.get(kind)
    if shared is not None:
        spec = FieldSpec(
            f.name, shared, required=f.required, ref=f.record_type, max_length=f.max_length or 500
        )
        options = [(c.value, c.label.get(lang)) for c in f.choices]
        choices = None
        if kind == "record":
            titles = records(f.record_type or "")
            choices = sorted(titles.items(), key=lambda item: item[1].lower())
        widget = make_field_widget(None, spec, parent, choices=choices, options=options)
        widget.focus_widget().setAccessibleName(f.label.get(lang))
        if f.unit and kind in ("integer", "decimal"):
            return WithUnit(widget, f.unit.get(lang), parent)
        return widget
    if kind == "yesno":
        return ComboEditor([(True, _yes_no(True, lang)), (False, _yes_no(False, lang))], parent)
    if kind == "signature":
        return SignatureEditor(parent)
    if kind == "participants":
        return ParticipantsEditor(lang, parent)
    if kind in ("time", "datetime", "geopoint", "image"):
        from ca_desktop.gui.forms.typed_editors import GeopointEditor, PatternEditor, PhotoEditor

        if kind == "geopoint":
            return GeopointEditor(parent)
        if kind == "image":
            return PhotoEditor(store_photo, parent)
        return PatternEditor(kind, parent)
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
