"""The date field: a date edit with a real "not set" state and a calendar that opens on today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QHBoxLayout,
    QToolButton,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import FieldSpec
from ca_desktop.gui.widgets.field_base import FieldWidget
from ca_desktop.gui.widgets.locale_format import date_pattern

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
        # As the user's language writes a date, with the whole year (never "02/11/26").
        self.edit.setDisplayFormat(date_pattern())
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
