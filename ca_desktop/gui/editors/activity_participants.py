"""The participant grid: female / male / not recorded × youth (15–24) / other ages.

Every count of people is split by sex and youth; the grid shows the six cells with live
row, column and grand totals, so the officer sees at once whether the split adds up to the
headcount on the paper.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.records import ACTIVITY, participant_field
from ca_desktop.gui.widgets.fields import FieldWidget, make_field_widget
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.services.app import CaDesktop

_SEX_ROWS = (Sex.FEMALE, Sex.MALE, Sex.NOT_RECORDED)
_AGE_COLUMNS = (True, False)  # youth, other ages


class ParticipantGrid(QGroupBox):
    changed = Signal()

    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(tr("Participants"), parent)
        grid = QGridLayout(self)
        grid.addWidget(QLabel(tr("15–24 (youth)"), self), 0, 1)
        grid.addWidget(QLabel(tr("Other ages"), self), 0, 2)
        total_head = QLabel(tr("Total"), self)
        total_head.setFont(heading_font(self, 1.0))
        grid.addWidget(total_head, 0, 3)
        self.fields: dict[str, FieldWidget] = {}
        self._row_totals: dict[Sex, QLabel] = {}
        self._col_totals: dict[bool, QLabel] = {}
        for r, sex in enumerate(_SEX_ROWS, start=1):
            grid.addWidget(QLabel(label(sex), self), r, 0)
            for c, youth in enumerate(_AGE_COLUMNS, start=1):
                name = participant_field(sex, youth)
                widget = make_field_widget(app, ACTIVITY.field(name), self)
                widget.changed.connect(self._update)
                self.fields[name] = widget
                grid.addWidget(widget, r, c, Qt.AlignmentFlag.AlignTop)
            total = QLabel("0", self)
            total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self._row_totals[sex] = total
            grid.addWidget(total, r, 3)
        last = len(_SEX_ROWS) + 1
        total_row = QLabel(tr("Total"), self)
        total_row.setFont(heading_font(self, 1.0))
        grid.addWidget(total_row, last, 0)
        for c, youth in enumerate(_AGE_COLUMNS, start=1):
            total = QLabel("0", self)
            total.setAlignment(Qt.AlignmentFlag.AlignRight)
            self._col_totals[youth] = total
            grid.addWidget(total, last, c)
        self.grand_total = QLabel("0", self)
        self.grand_total.setFont(heading_font(self, 1.0))
        self.grand_total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.grand_total.setAccessibleName(tr("Total participants"))
        grid.addWidget(self.grand_total, last, 3)
        grid.setColumnMinimumWidth(3, self.fontMetrics().horizontalAdvance("Total 00,000"))
        grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth() * 3)
        grid.setColumnStretch(4, 1)

    def focus_order(self) -> list[QWidget]:
        """Row by row, as the numbers appear on a paper summary."""
        return [
            self.fields[participant_field(s, y)].focus_widget()
            for s in _SEX_ROWS
            for y in _AGE_COLUMNS
        ]

    @staticmethod
    def _number(widget: FieldWidget) -> int:
        value = widget.value()
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).replace(",", "").strip())
        except (TypeError, ValueError):
            return 0

    def counts(self) -> dict[str, int]:
        return {name: self._number(w) for name, w in self.fields.items()}

    def set_counts(self, counts: dict[str, int | None]) -> None:
        for name, widget in self.fields.items():
            if name in counts:
                widget.set_value(counts[name])
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        counts = self.counts()
        for sex, lbl in self._row_totals.items():
            lbl.setText(number(sum(counts[participant_field(sex, y)] for y in _AGE_COLUMNS)))
        for youth, lbl in self._col_totals.items():
            lbl.setText(number(sum(counts[participant_field(s, youth)] for s in _SEX_ROWS)))
        self.grand_total.setText(number(sum(counts.values())))
        self.changed.emit()
