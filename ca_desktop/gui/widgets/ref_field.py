"""The reference field: a searchable pick list of other records, shown by name."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QSizePolicy,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import FieldSpec, spec_for
from ca_desktop.gui.widgets.field_base import Choices, FieldWidget


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
        if spec.required and not choices and spec.ref:
            # A required pick list with nothing in it is a dead end unless it says why and
            # what to do (a first day without a coordinator's setup bundle).
            self.empty_hint = QLabel(
                tr(
                    "Nothing to choose yet ({what}): create one first, or import your "
                    "coordinator's setup bundle on the Sync page."
                ).format(what=tr(spec_for(spec.ref).label)),
                self,
            )
            self.empty_hint.setTextFormat(Qt.TextFormat.PlainText)
            self.empty_hint.setWordWrap(True)
            self._layout.addWidget(self.empty_hint)

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
