"""The quarterly report's charts, drawn as vector graphics with `reportlab.graphics`."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color, HexColor

from ca_desktop.domain.i18n import label, tr
from ca_desktop.forms.pdf.fonts import BOLD, SANS
from ca_desktop.forms.pdf.style import TEAL, TEXT
from ca_desktop.reports.formatting import format_number

# Sex colours, the same in every chart: female, male, not recorded.
SEX_COLOURS = (HexColor("#B5446E"), HexColor("#2E6F95"), HexColor("#A0A8AD"))
WIDTH = 480.0


def _title(d: Drawing, text: str) -> None:
    d.add(String(0, d.height - 12, text, fontName=BOLD, fontSize=10, fillColor=TEXT))


def people_by_level_chart(people_by_level: dict[str, dict[str, int]], levels: list[str]) -> Drawing:
    """Grouped bars: people reached per level, one bar per sex."""
    d = Drawing(WIDTH, 200)
    _title(d, tr("People reached by level and sex"))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 300, 140
    sexes = ("female", "male", "not_recorded")
    chart.data = [
        [
            sum(people_by_level.get(lv, {}).get(f"{s}_{a}", 0) for a in ("youth", "other"))
            for lv in levels
        ]
        for s in sexes
    ] or [[0]]
    chart.categoryAxis.categoryNames = [label(lv) for lv in levels]
    _style_axes(chart)
    for i, colour in enumerate(SEX_COLOURS):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = format_number
    _whole_steps(chart, max((max(row) for row in chart.data), default=0))
    d.add(chart)
    d.add(_legend([(c, label(s)) for c, s in zip(SEX_COLOURS, sexes, strict=True)], 360, 150))
    return d


def counts_chart(title: str, counts: dict[str, int]) -> Drawing:
    """Horizontal bars, one per code, largest first."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    height = 40 + 16 * max(len(items), 1)
    d = Drawing(WIDTH, height)
    _title(d, title)
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 10
    chart.width, chart.height = 280, height - 34
    chart.data = [[n for _, n in reversed(items)] or [0]]
    chart.categoryAxis.categoryNames = [label(k) if k else tr("(none)") for k, _ in reversed(items)]
    _style_axes(chart)
    chart.bars[0].fillColor = TEAL
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = format_number
    _whole_steps(chart, max((n for _, n in items), default=0))
    chart.barLabelFormat = format_number
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def _whole_steps(chart: VerticalBarChart | HorizontalBarChart, largest: float) -> None:
    """Counts are whole numbers: a step of at least 1, so no tick reads "1, 1, 2, 2"."""
    if largest <= 10:
        chart.valueAxis.valueStep = 1 if largest <= 5 else 2
        chart.valueAxis.valueMax = max(1, largest)


def _style_axes(chart: VerticalBarChart | HorizontalBarChart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = SANS
        axis.labels.fontSize = 7.5
        axis.strokeColor = HexColor("#7D8B94")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#E1E6E9")
    chart.valueAxis.forceZero = True


def _legend(items: list[tuple[Color, str]], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = SANS
    legend.fontSize = 8
    legend.colorNamePairs = items
    legend.alignment = "right"
    legend.strokeColor = None
    return legend
