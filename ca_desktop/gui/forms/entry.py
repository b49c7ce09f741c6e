"""A form on screen, generated from its definition: sections, fields, relevance, checks.

`FormEntry` knows nothing of the database: it takes values, gives values back, shows the
issues a save raised next to their fields, and highlights fields whose value differs from
what was printed on the paper being typed in.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.validation import FieldIssue
from ca_desktop.forms.calculations import with_calculations
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.printed import differences
from ca_desktop.forms.values import relevant_fields
from ca_desktop.gui.forms.editors import AnyEditor, RecordChoices, make_editor
from ca_desktop.gui.forms.register_table import RegisterTableEditor, fits_register
from ca_desktop.gui.forms.table import TableEditor
from ca_desktop.gui.forms.typed_editors import StorePhoto


class FieldRow(QFrame):
    """Label, editor, help and the error line of one field."""

    def __init__(
        self, f: FieldDef, editor: AnyEditor, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.f, self.editor = f, editor
        self.setObjectName("fieldRow")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        # Form definitions travel in bundles: their wording is shown as text, never markup.
        self.label = QLabel(
            f"<b>{html.escape(f.label.get(lang))}</b>"
            + (" <span style='color:#B3261E'>*</span>" if f.required else ""),
            self,
        )
        self.label.setWordWrap(True)
        self.label.setBuddy(editor)
        layout.addWidget(self.label)
        if f.help:
            hint = QLabel(f.help.get(lang), self)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #5F6B73;")
            layout.addWidget(hint)
        layout.addWidget(editor)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #B3261E;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.changed_mark = False

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_changed(self, on: bool) -> None:
        """Yellow: the typed value differs from the printed paper form."""
        self.changed_mark = on
        self.setStyleSheet(
            "QFrame#fieldRow { background: #FFF1B8; border-radius: 4px; }" if on else ""
        )


class FormEntry(QScrollArea):
    changed = Signal()

    def __init__(
        self,
        form: FormDef,
        lang: str,
        records: RecordChoices,
        parent: QWidget | None = None,
        store_photo: StorePhoto | None = None,
    ) -> None:
        super().__init__(parent)
        self.form, self.lang = form, lang
        self.rows: dict[str, FieldRow] = {}
        self.sections: list[tuple[QGroupBox, list[str]]] = []
        self._printed: Mapping[str, Any] | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        if form.intro:
            intro = QLabel(form.intro.get(lang), body)
            intro.setTextFormat(Qt.TextFormat.PlainText)
            intro.setWordWrap(True)
            intro.setStyleSheet("background: #E4EFF1; padding: 8px; border-radius: 4px;")
            layout.addWidget(intro)
        for section in form.sections:
            box = QGroupBox(section.title.get(lang), body)
            box_layout = QVBoxLayout(box)
            if section.help:
                hint = QLabel(section.help.get(lang), box)
                hint.setTextFormat(Qt.TextFormat.PlainText)
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #5F6B73;")
                box_layout.addWidget(hint)
            names = []
            for f in section.fields:
                editor: AnyEditor
                if f.type == "table" and fits_register(f):
                    editor = RegisterTableEditor(f, lang, box)
                elif f.type == "table":
                    editor = TableEditor(f, lang, box)
                else:
                    editor = make_editor(f, lang, records, box, store_photo)
                if f.calculate is not None or f.read_only:
                    _read_only(editor)  # computed as the form is filled, or shown only
                row = FieldRow(f, editor, lang, box)
                editor.changed.connect(self._on_change)
                box_layout.addWidget(row)
                self.rows[f.name] = row
                names.append(f.name)
            layout.addWidget(box)
            self.sections.append((box, names))
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self._loading = False
        self._apply_relevance()

    # -- values -------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {name: row.editor.value() for name, row in self.rows.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for name, row in self.rows.items():
                row.editor.set_value(values.get(name))
        finally:
            self._loading = False
        self._on_change()

    def set_value(self, name: str, value: Any) -> None:
        """Set one field as if typed: relevance and differences follow."""
        self.rows[name].editor.set_value(value)
        self._on_change()

    def editor(self, name: str) -> AnyEditor:
        return self.rows[name].editor

    def show_issues(self, issues: Iterable[FieldIssue]) -> None:
        """Put each issue under its field (table cells under the table); first one in view."""
        messages: dict[str, list[str]] = {}
        for issue in issues:
            name, _, rest = issue.field.partition(".")
            text = issue.text() if not rest else f"{rest.replace('.', ' · ')}: {issue.text()}"
            messages.setdefault(name, []).append(text)
        first = None
        for name, row in self.rows.items():
            row.set_error("\n".join(messages.get(name, [])))
            if name in messages and first is None:
                first = row
        if first is not None:
            self.ensureWidgetVisible(first)

    # -- relevance and differences ------------------------------------------------------

    def set_printed(self, printed: Mapping[str, Any] | None) -> None:
        """Compare from now on with the values printed on the paper being typed in."""
        self._printed = printed
        self._mark_differences()

    def changed_fields(self) -> set[str]:
        if self._printed is None:
            return set()
        return differences(self.form, self._printed, self.values())

    def _on_change(self) -> None:
        if self._loading:
            return
        self._calculate()
        self._apply_relevance()
        self._mark_differences()
        self.changed.emit()

    def _calculate(self) -> None:
        """Show each calculation's result as the fields it reads change."""
        calculated = [n for n, row in self.rows.items() if row.f.calculate is not None]
        if not calculated:
            return
        results = with_calculations(self.form, self.values())
        self._loading = True  # the results' own change signals must not compute again
        try:
            for name in calculated:
                self.rows[name].editor.set_value(results.get(name))
        finally:
            self._loading = False

    def _apply_relevance(self) -> None:
        values = self.values()
        shown = {f.name for f in relevant_fields(self.form, values)}
        for name, row in self.rows.items():
            row.setVisible(name in shown)
            if isinstance(row.editor, TableEditor):
                row.editor.show_row_relevance(values)
        for box, names in self.sections:
            box.setVisible(any(n in shown for n in names))

    def _mark_differences(self) -> None:
        changed = self.changed_fields()
        for name, row in self.rows.items():
            row.set_changed(name in changed)
            if isinstance(row.editor, (TableEditor, RegisterTableEditor)):
                row.editor.mark_cells(changed)


def _read_only(editor: AnyEditor) -> None:
    target = editor.focus_widget() if hasattr(editor, "focus_widget") else editor
    if hasattr(target, "setReadOnly"):
        target.setReadOnly(True)
    else:
        target.setEnabled(False)
