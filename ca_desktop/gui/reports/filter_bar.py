"""The Reports page's filters: period, programme, place and activity kind."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from ca_desktop.domain.enums import ActivityType, Level, PlaceKind, Theme
from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.periods import parse_period
from ca_desktop.gui.widgets.narrow import narrow_combo
from ca_desktop.reports.filters import PlaceIndex, ReportFilters


def period_suggestions(today: dt.date) -> list[str]:
    """This quarter and the four before it, this year and last year."""
    quarter = (today.month - 1) // 3
    out = []
    for back in range(5):
        q = quarter - back
        year = today.year + q // 4
        out.append(f"{year}Q{q % 4 + 1}")
    return [*out, str(today.year), str(today.year - 1)]


FILTER_WIDTH = 110  # what one filter needs to read well


class ReportFilterBar(QWidget):
    """Emits `changed` when a filter changes (typing a period waits for a pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.changed)
        self.period = narrow_combo(self)
        self.period.setEditable(True)
        self.period.addItem(tr("All dates"), "")
        for text in period_suggestions(dt.date.today()):
            self.period.addItem(text, text)
        self.period.setToolTip(
            tr("A quarter (2026Q3), a year (2026), a month (2026-08) or a range (2026-07..2026-09)")
        )
        self.period.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.period.editTextChanged.connect(lambda _t: self._debounce.start())
        self.programme = self._combo()
        self.country = self._combo()
        self.city = self._combo()
        self.settlement = self._combo()
        self.level = self._enum_combo(Level)
        self.theme = self._enum_combo(Theme)
        self.type = self._enum_combo(ActivityType)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        cells = [
            (tr("Period"), self.period), (tr("Programme"), self.programme),
            (tr("Country"), self.country), (tr("City"), self.city),
            (tr("Settlement"), self.settlement), (tr("Level"), self.level),
            (tr("Theme"), self.theme), (tr("Type"), self.type),
        ]  # fmt: skip
        self.grid = grid
        self.cells: list[tuple[QLabel, QWidget]] = []
        for text, widget in cells:
            caption = QLabel(text, self)
            caption.setWordWrap(True)  # a long translation wraps instead of widening the page
            caption.setBuddy(widget)
            self.cells.append((caption, widget))
        self.columns = 0
        self._place(len(cells))
        self.problem.hide()

    def _place(self, columns: int) -> None:
        """Lay the filters out in `columns` columns (one row on a wide screen, two on a
        1024-pixel laptop, so the page never needs more width than the screen has)."""
        if columns == self.columns:
            return
        self.columns = columns
        for caption, widget in self.cells:
            self.grid.removeWidget(caption)
            self.grid.removeWidget(widget)
        for n, (caption, widget) in enumerate(self.cells):
            row, column = divmod(n, columns)
            self.grid.addWidget(caption, 2 * row, column)
            self.grid.addWidget(widget, 2 * row + 1, column)
        for column in range(len(self.cells)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.grid.removeWidget(self.problem)
        self.grid.addWidget(self.problem, 2 * -(-len(self.cells) // columns), 0, 1, columns)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As narrow as two rows of filters allow."""
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), FILTER_WIDTH * len(self.cells) // 2), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wide = event.size().width() >= FILTER_WIDTH * len(self.cells)
        self._place(len(self.cells) if wide else -(-len(self.cells) // 2))

    def _combo(self) -> QComboBox:
        combo = narrow_combo(self)
        combo.addItem(tr("All"), None)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def _enum_combo(self, enum: type[StrEnum]) -> QComboBox:
        combo = self._combo()
        for member in enum:
            combo.addItem(label(member), member.value)
        return combo

    def set_choices(
        self, programmes: list[tuple[str, str, str, str | None]], places: PlaceIndex
    ) -> None:
        """Fill the programme and place lists, keeping what was chosen."""
        self.blockSignals(True)
        try:
            self._fill(
                self.programme, [(pid, f"{code} – {name}") for pid, code, name, _c in programmes]
            )
            countries = sorted({c for c in (places.country_of(p) for p in places.parent) if c})
            self._fill(self.country, [(c, c) for c in countries])
            by_kind = {
                kind: sorted(((p, places.name[p]) for p, k in places.kind.items() if k == kind), key=lambda x: x[1].casefold())
                for kind in (PlaceKind.CITY.value, PlaceKind.SETTLEMENT.value)
            }  # fmt: skip
            self._fill(self.city, by_kind[PlaceKind.CITY.value])
            self._fill(self.settlement, by_kind[PlaceKind.SETTLEMENT.value])
        finally:
            self.blockSignals(False)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, text in items:
            combo.addItem(text, value)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def value(self) -> ReportFilters | None:
        """The filters, or None (with the reason shown) when the period cannot be read."""
        text = self.period.currentText().strip()
        period = None
        if text and text != tr("All dates"):
            try:
                period = parse_period(text)
            except ValueError:
                self.problem.setText(
                    tr("Not a period: use 2026Q3, 2026, 2026-08 or 2026-07..2026-09.")
                )
                self.problem.show()
                return None
        self.problem.hide()
        return ReportFilters(
            period=period,
            programme=self.programme.currentData(),
            country=self.country.currentData(),
            city=self.city.currentData(),
            settlement=self.settlement.currentData(),
            level=self.level.currentData(),
            theme=self.theme.currentData(),
            type=self.type.currentData(),
        )
