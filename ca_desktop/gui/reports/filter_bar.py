"""The Reports page's filters: period, programme, place and activity kind."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from ca_desktop.domain.enums import ActivityType, Level, PlaceKind, Theme
from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.periods import parse_period
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


class ReportFilterBar(QWidget):
    """Emits `changed` when a filter changes (typing a period waits for a pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self.changed)
        self.period = QComboBox(self)
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
        for n, (text, widget) in enumerate(cells):
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, n)
            grid.addWidget(widget, 1, n)
            grid.setColumnStretch(n, 1)
        grid.addWidget(self.problem, 2, 0, 1, len(cells))
        self.problem.hide()

    def _combo(self) -> QComboBox:
        combo = QComboBox(self)
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
