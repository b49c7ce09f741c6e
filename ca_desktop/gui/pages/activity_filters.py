"""The filter bar above the Activities table: search box and one control per filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from ca_desktop.domain.enums import ActivityStatus, ActivityType, Level, Theme
from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.records import FieldSpec
from ca_desktop.gui.resources import icon
from ca_desktop.gui.widgets.fields import make_field_widget
from ca_desktop.gui.widgets.focus import TabLeavesField
from ca_desktop.services.activity_queries import ActivityFilter, place_choices
from ca_desktop.services.quick_reads import QuickReads

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop

SEARCH_DEBOUNCE_MS = 150


class FilterBar(QWidget):
    """Emits `changed` (debounced for typing) whenever the filter changes."""

    changed = Signal()
    to_results = Signal()  # Enter or Down in the search box: go to the list

    def __init__(self, app: CaDesktop | QuickReads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Search titles, descriptions and notes (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search activities"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self.focus_search
        )
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)

        self.programme = self._combo(tr("Programme"))
        self.level = self._combo(tr("Level"), [(m.value, label(m)) for m in Level])
        self.type = self._combo(tr("Type"), [(m.value, label(m)) for m in ActivityType])
        self.theme = self._combo(tr("Theme"), [(m.value, label(m)) for m in Theme])
        self.status = self._combo(tr("Status"), [(m.value, label(m)) for m in ActivityStatus])
        self.place = self._combo(tr("Place"))
        self.date_from = make_field_widget(None, FieldSpec("date_from", "date"), self)
        self.date_to = make_field_widget(None, FieldSpec("date_to", "date"), self)
        self.date_from.focus_widget().setAccessibleName(tr("From date"))
        self.date_to.focus_widget().setAccessibleName(tr("To date"))
        self._tab_leaves = TabLeavesField(self)
        self._tab_leaves.watch(self.date_from.focus_widget())
        self._tab_leaves.watch(self.date_to.focus_widget())
        self.date_from.changed.connect(self.changed)
        self.date_to.changed.connect(self.changed)
        self.clear_button = QPushButton(tr("Clear filters"), self)
        self.clear_button.clicked.connect(self.clear)

        grid.addWidget(self.search, 0, 0, 1, 6)
        grid.addWidget(self.clear_button, 0, 6)
        for col, widget in enumerate((self.programme, self.level, self.type, self.theme)):
            grid.addWidget(widget, 1, col)
        grid.addWidget(self.status, 1, 4)
        grid.addWidget(self.place, 1, 5, 1, 2)
        dates = QWidget(self)
        line = QGridLayout(dates)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(QLabel(tr("From"), dates), 0, 0)
        line.addWidget(self.date_from, 0, 1)
        line.addWidget(QLabel(tr("to"), dates), 0, 2)
        line.addWidget(self.date_to, 0, 3)
        line.setColumnStretch(4, 1)
        grid.addWidget(dates, 2, 0, 1, 7)
        self.reload_choices()

    def _combo(self, name: str, items: list[tuple[str, str]] | None = None) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        # Long programme and place names must not widen the whole window.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.setProperty("all_label", tr("All: {what}").format(what=name.lower()))
        combo.addItem(combo.property("all_label"), None)
        for code, text in items or []:
            combo.addItem(text, code)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def _refill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(combo.property("all_label"), None)
        for code, text in items:
            combo.addItem(text, code)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def reload_choices(self) -> None:
        """Programmes and places may have changed (sync, another page)."""
        app = self.app
        if isinstance(app, QuickReads):
            return  # the folder is still opening: the choices come with the app
        programmes = [
            (v.id, f"{v.body['code']} — {v.body['name']}")
            for v in app.list_records("programme", order_by="code")
        ]
        self._refill(self.programme, programmes)
        self._refill(self.place, place_choices(app))

    def _search_entered(self) -> None:
        if self._debounce.isActive():  # apply what was typed now, not 150 ms later
            self._debounce.stop()
            self.changed.emit()
        self.to_results.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            obj is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.to_results.emit()
            return True
        return super().eventFilter(obj, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def value(self) -> ActivityFilter:
        return ActivityFilter(
            programme_id=self.programme.currentData(),
            level=self.level.currentData(),
            type=self.type.currentData(),
            theme=self.theme.currentData(),
            status=self.status.currentData(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            place_id=self.place.currentData(),
            search=self.search.text(),
        )

    def clear(self) -> None:
        for combo in (self.programme, self.level, self.type, self.theme, self.status, self.place):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.changed.emit()
