"""One editing widget per record field, built from its `FieldSpec`.

Every editor in the app (records, activities, forms) uses these, so they share one
contract: `value()` returns what the domain's `normalise` accepts (None for empty),
`set_value()` takes a normalised body value, `set_error()` shows a domain message under the
field, `changed` fires on every user edit, and `focus_widget()` is what the tab order links.
Values the widget cannot make sense of (e.g. "12a" in a number) are returned as typed, so
the domain reports them with its usual message instead of the widget losing them silently.
`make_field_widget` is the one place that decides which widget a field kind gets; form
entry (`gui/forms/editors.py`) calls it too, passing the form's own choices.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import FieldSpec
from ca_desktop.gui.widgets.action_list_field import ActionListField
from ca_desktop.gui.widgets.date_field import DateField
from ca_desktop.gui.widgets.field_base import Choices, FieldWidget, code_label, error_color
from ca_desktop.gui.widgets.ref_field import RefField

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop

__all__ = [
    "ActionListField",
    "BoolField",
    "Choices",
    "DateField",
    "EnumField",
    "EnumsField",
    "FieldWidget",
    "LongTextField",
    "NumberField",
    "RefField",
    "TextField",
    "code_label",
    "error_color",
    "make_field_widget",
]


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


# One or two digits after a lone comma read as decimals; three are a thousands group.
_DECIMAL_COMMA = re.compile(r"-?[0-9]*,[0-9]{1,2}")


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
        raw = self.edit.text().replace(" ", "")
        if self.spec.kind == "decimal" and _DECIMAL_COMMA.fullmatch(raw):
            raw = raw.replace(",", ".")  # "3,5" (fr, es, pt); "1,500" stays thousands
        raw = raw.replace(",", "")
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


def enum_options(spec: FieldSpec) -> Choices:
    """(code, translated label) for each member of the field's enum."""
    assert spec.enum is not None, f"{spec.name} has no enum"
    return [(member.value, code_label(member.value)) for member in spec.enum]


class EnumField(FieldWidget):
    """A combo of translated labels; the codes stay in the item data."""

    def __init__(
        self, spec: FieldSpec, parent: QWidget | None = None, options: Choices | None = None
    ) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        # Optional fields offer an explicit empty choice; required ones start unset with a
        # prompt, so nobody saves a default they never chose.
        if not spec.required:
            self.combo.addItem(tr("(none)"), None)
        self.combo.setPlaceholderText(tr("Choose…"))
        for code, text in options if options is not None else enum_options(spec):
            self.combo.addItem(text, code)
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

    def __init__(
        self, spec: FieldSpec, parent: QWidget | None = None, options: Choices | None = None
    ) -> None:
        super().__init__(spec, parent)
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, text) in enumerate(options if options is not None else enum_options(spec)):
            check = QCheckBox(text, box)
            check.toggled.connect(lambda _c: self.changed.emit())
            grid.addWidget(check, i // 2, i % 2)
            self.boxes[code] = check
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


def make_field_widget(
    app: CaDesktop | None,
    spec: FieldSpec,
    parent: QWidget | None = None,
    choices: Choices | None = None,
    options: Choices | None = None,
) -> FieldWidget:
    """The editor for one field. `choices` narrows a ref field (default: every record, so
    `app` is needed); `options` replaces an enum's (code, label) pairs (forms bring theirs)."""
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
        return EnumField(spec, parent, options)
    if kind == "enums":
        return EnumsField(spec, parent, options)
    if kind == "ref":
        if choices is None:
            assert app is not None and spec.ref is not None
            choices = list(app.titles(spec.ref).items())
        return RefField(spec, choices, parent)
    if kind == "bool":
        return BoolField(spec, parent)
    if kind == "list":
        return ActionListField(spec, parent)
    raise ValueError(f"no widget for field kind {kind!r}")
