"""The Reports page's charts (QtCharts): people reached by level and sex, activities by type."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QWidget

from ca_desktop.domain.enums import Level
from ca_desktop.domain.i18n import label, tr
from ca_desktop.reports.indicators import Figures

SEX_COLOURS = {"female": "#B5446E", "male": "#2E6F95", "not_recorded": "#A0A8AD"}


def _view(chart: QChart, parent: QWidget) -> QChartView:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view


class ReportCharts(QWidget):
    """Two charts side by side on a wide screen, one above the other on a narrow one (a
    chart gives its axis labels about a third of its width: long French and Portuguese
    activity types would be cut to "…" beside each other at 1024 px)."""

    SIDE_BY_SIDE = 1200  # px of this widget's width

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.people = QChart()
        self.types = QChart()
        self.people_view = _view(self.people, self)
        self.types_view = _view(self.types, self)
        layout.addWidget(self.people_view, 1)
        layout.addWidget(self.types_view, 1)
        self.box = layout

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        wide = event.size().width() >= self.SIDE_BY_SIDE
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
        super().resizeEvent(event)

    def show_figures(self, figures: Figures) -> None:
        self._people(figures)
        self._types(figures)

    def _people(self, f: Figures) -> None:
        chart = self.people
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(tr("People reached by level and sex"))
        levels = [lv.value for lv in Level]
        series = QBarSeries()
        top = 0
        for sex, colour in SEX_COLOURS.items():
            bar = QBarSet(label(sex))
            bar.setColor(QColor(colour))
            for lv in levels:
                cells = f.people_by_level.get(lv, {})
                n = cells.get(f"{sex}_youth", 0) + cells.get(f"{sex}_other", 0)
                bar.append(n)
                top = max(top, n)
            series.append(bar)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([label(lv) for lv in levels])
        values = QValueAxis()
        values.setRange(0, max(top, 1))
        values.applyNiceNumbers()  # round ticks (0, 5000, 10000...) rather than 24759
        values.setLabelFormat("%d")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)

    def _types(self, f: Figures) -> None:
        chart = self.types
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(tr("Activities by type"))
        chart.legend().hide()
        items = sorted(f.by_type.items(), key=lambda kv: (kv[1], kv[0]))[-8:]
        bar = QBarSet(tr("Activities"))
        bar.setColor(QColor("#0B5563"))
        for _code, n in items:
            bar.append(n)
        series = QHorizontalBarSeries()
        series.append(bar)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        # One line each: a second line does not fit a bar's height and QtCharts then shows
        # "..." instead; the room comes from the chart's width (see `resizeEvent`).
        categories.append([label(code) for code, _ in items] or [""])
        values = QValueAxis()
        values.setRange(0, max([n for _, n in items] + [1]))
        values.applyNiceNumbers()
        values.setLabelFormat("%d")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
