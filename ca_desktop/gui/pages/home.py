"""Home: where the programme stands at a glance.

Headline figures, people reached by sex and youth, activities by level, theme and status,
the latest changes (open one by double-clicking it) and what waits to be sent. Figures are
SQL aggregates loaded on a worker thread (`services/dashboard.py`).
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.enums import ActivityStatus, Level, Sex, Theme
from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.domain.records import participant_field, spec_for
from ca_desktop.gui.editors.dispatch import editor_for
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.practice import launch_practice
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.fields import code_label
from ca_desktop.gui.widgets.locale_format import local_time
from ca_desktop.gui.widgets.panels import EmptyState, heading_font
from ca_desktop.gui.widgets.send_status import detail_line, number, short_state, status_line
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.dashboard import Dashboard, RecentChange, load_dashboard
from ca_desktop.services.practice import PRACTICE_ACTIVITIES
from ca_desktop.sync.send_state import SendState, send_state

YOUTH_COLOUR = "#e07b39"
OTHER_COLOUR = "#3a7ca5"
ACTIONS = {
    "created": "{who} created the {type} “{title}”",
    "edited": "{who} changed the {type} “{title}”",
    "deleted": "{who} deleted the {type} “{title}”",
}


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def wrap_label(text: str, width: int = 12) -> str:
    """Break a long axis label into short lines so it is not cut to "Equitable …"."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)  # chart axis labels are rich text


class FigureCard(QFrame):
    """One headline number with what it means underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        self.caption = QLabel(caption, self)
        self.value = QLabel("—", self)
        self.value.setFont(heading_font(self, 2.0))
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        for widget in (self.caption, self.value, self.detail):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setAccessibleName(caption)

    def set(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value}. {detail}")


class ChartBox(QChartView):
    """A bar chart that follows the system palette (light or dark)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(self.fontMetrics().height() * 15)
        self.setAccessibleName(title)
        self.title = title

    def show_bars(
        self, categories: list[str], sets: list[tuple[str, list[int], str]], stacked: bool
    ) -> None:
        chart = QChart()
        chart.setTitle(self.title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        series = QStackedBarSeries() if stacked else QBarSeries()
        for name, values, colour in sets:
            bar = QBarSet(name)
            bar.append([float(v) for v in values])
            bar.setColor(QColor(colour))
            bar.setBorderColor(QColor(colour))
            series.append(bar)
        series.setLabelsVisible(not stacked)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(categories)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        top = max(
            [sum(col) for col in zip(*(s[1] for s in sets), strict=True)]
            if stacked
            else [max(s[1], default=0) for s in sets],
            default=0,
        )
        axis_y.setRange(0, max(1, top) * 1.15)
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        chart.legend().setVisible(len(sets) > 1)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._follow_palette(chart, axis_x, axis_y, series)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _follow_palette(self, chart: QChart, *parts: Any) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        chart.setBackgroundBrush(palette.brush(QPalette.ColorRole.Base))
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        grid = palette.color(QPalette.ColorRole.Mid)
        for part in parts:
            if isinstance(part, (QBarCategoryAxis, QValueAxis)):
                part.setLabelsColor(text)
                part.setGridLineColor(grid)
                part.setLinePenColor(grid)
            elif isinstance(part, QBarSeries):
                part.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
                for bar in part.barSets():
                    bar.setLabelColor(text)


class HomePage(QWidget):
    loaded = Signal()

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.follower = ChangeFollower(self, tasks, None, self.refresh)  # figures of every type
        self.dashboard: Dashboard | None = None
        self.sending: SendState | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.stack.addWidget(self._build_empty())
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._build_content())
        self.stack.addWidget(scroll)

    # -- building -----------------------------------------------------------------------

    def _build_empty(self) -> QWidget:
        self.empty = EmptyState(
            tr("No activities yet"),
            tr(
                "No activities yet — create one, or try practice mode: a separate window "
                "with {n} demo activities, CUF projects and grievances, kept apart from "
                "your data, never sent, and deleted in one step."
            ).format(n=number(PRACTICE_ACTIVITIES)),
            tr("Create an activity"),
            "home",
            self,
        )
        self.empty.action_clicked.connect(self.create_activity)
        self.demo_button = QPushButton(tr("Try practice mode"), self.empty)
        self.demo_button.clicked.connect(self.load_demo)
        layout = self.empty.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.count() - 1, self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.demo_status = QLabel(self.empty)
        self.demo_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.insertWidget(layout.count() - 1, self.demo_status)
        return self.empty

    def _build_content(self) -> QWidget:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        heading = QLabel(tr("Home"), body)
        heading.setFont(heading_font(self, 1.5))
        layout.addWidget(heading)
        self.greeting = QLabel(body)
        layout.addWidget(self.greeting)

        cards = QHBoxLayout()
        self.activities_card = FigureCard(tr("Activities"), body)
        self.people_card = FigureCard(tr("People reached"), body)
        self.cuf_card = FigureCard(tr("CUF projects delivered"), body)
        self.grievance_card = FigureCard(tr("Grievances open"), body)
        self.unsent_card = FigureCard(tr("Your changes"), body)
        for card in (
            self.activities_card,
            self.people_card,
            self.cuf_card,
            self.grievance_card,
            self.unsent_card,
        ):
            cards.addWidget(card, 1)
        layout.addLayout(cards)

        charts = QGridLayout()
        self.people_chart = ChartBox(tr("People reached by sex and age"), body)
        self.level_chart = ChartBox(tr("Activities by level"), body)
        self.theme_chart = ChartBox(tr("Activities by theme"), body)
        self.status_chart = ChartBox(tr("Activities by status"), body)
        charts.addWidget(self.people_chart, 0, 0)
        charts.addWidget(self.level_chart, 0, 1)
        charts.addWidget(self.theme_chart, 1, 0)
        charts.addWidget(self.status_chart, 1, 1)
        layout.addLayout(charts)

        recent_title = QLabel(tr("Recent changes"), body)
        recent_title.setFont(heading_font(self, 1.15))
        layout.addWidget(recent_title)
        self.recent = QTreeWidget(body)
        self.recent.setAccessibleName(tr("Recent changes"))
        self.recent.setRootIsDecorated(False)
        self.recent.setAlternatingRowColors(True)
        self.recent.setHeaderLabels([tr("When"), tr("What")])
        self.recent.setToolTip(tr("Double-click or press Enter to open the record"))
        self.recent.itemActivated.connect(lambda item, _c: self.open_change(item))
        lines = self.fontMetrics().lineSpacing()
        self.recent.setMinimumHeight(lines * 14)
        layout.addWidget(self.recent)
        return body

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the figures on a worker thread; a newer refresh supersedes this one."""
        app = self.app

        def done(result: tuple[Dashboard, SendState]) -> None:
            if shiboken6.isValid(self):
                self.sending = result[1]
                self._show(result[0])

        def failed(exc: BaseException) -> None:
            self.greeting.setText(
                tr("The figures could not be loaded: {reason}").format(reason=exc)
            )
            self.stack.setCurrentIndex(1)
            self.loaded.emit()

        self.tasks.run(
            lambda progress: (load_dashboard(app, progress=progress), send_state(app)),
            done,
            failed,
            key=job_key(self, "dashboard"),
        )

    def _show(self, d: Dashboard) -> None:
        self.dashboard = d
        self.stack.setCurrentIndex(0 if d.empty else 1)
        device = self.app.device()
        if device is not None:
            self.greeting.setText(
                tr("Signed in as {name} ({role}) on this laptop.").format(
                    name=device.user_name, role=code_label(device.role).lower()
                )
            )
        completed = d.by_status.get(ActivityStatus.COMPLETED.value, 0)
        self.activities_card.set(
            number(d.activities),
            tr_n(
                "{n} activity completed",
                "{n} activities completed",
                completed,
                shown=number(completed),
            ),
        )
        people = d.people
        total = people.total()
        self.people_card.set(
            number(total),
            tr("{women} women · {youth} youth (15–24)").format(
                women=percent(people.by_sex(Sex.FEMALE), total),
                youth=percent(people.youth(), total),
            ),
        )
        self.cuf_card.set(
            number(d.cuf_delivered),
            tr("of {total} projects · {people} beneficiaries").format(
                total=number(d.cuf_projects), people=number(d.cuf_beneficiaries_delivered)
            ),
        )
        self.grievance_card.set(
            number(d.grievances_open + d.grievances_in_progress),
            tr("{open} new · {progress} being handled · {total} received").format(
                open=d.grievances_open, progress=d.grievances_in_progress, total=d.grievances
            ),
        )
        sending = self.sending or SendState(d.unsent, d.unsent)
        self.unsent_card.set(
            short_state(sending), f"{status_line(sending)}. {detail_line(sending)}"
        )
        self._show_charts(d)
        self._show_recent(d.recent)
        self.loaded.emit()

    def _show_charts(self, d: Dashboard) -> None:
        sexes = list(Sex)
        self.people_chart.show_bars(
            [code_label(s.value) for s in sexes],
            [
                (
                    tr("Youth (15–24)"),
                    [d.people.cells[participant_field(s, True)] for s in sexes],
                    YOUTH_COLOUR,
                ),
                (
                    tr("Other ages"),
                    [d.people.cells[participant_field(s, False)] for s in sexes],
                    OTHER_COLOUR,
                ),
            ],
            stacked=True,
        )
        for chart, codes, counts in (
            (self.level_chart, [m.value for m in Level], d.by_level),
            (self.theme_chart, [m.value for m in Theme], d.by_theme),
            (self.status_chart, [m.value for m in ActivityStatus], d.by_status),
        ):
            chart.show_bars(
                [wrap_label(code_label(c)) for c in codes],
                [(tr("Activities"), [counts.get(c, 0) for c in codes], OTHER_COLOUR)],
                stacked=False,
            )

    def _show_recent(self, changes: list[RecentChange]) -> None:
        self.recent.clear()
        for change in changes:
            what = tr(ACTIONS[change.action]).format(
                who=change.author,
                type=tr(spec_for(change.record_type).label),
                title=change.title or tr("(no title)"),
            )
            item = QTreeWidgetItem([local_time(change.when), what])
            item.setData(0, Qt.ItemDataRole.UserRole, (change.record_type, change.record_id))
            self.recent.addTopLevelItem(item)
        self.recent.resizeColumnToContents(0)
        if not changes:
            item = QTreeWidgetItem(["", tr("Nothing has been recorded yet.")])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addTopLevelItem(item)

    # -- actions ------------------------------------------------------------------------

    def open_change(self, item: QTreeWidgetItem) -> bool:
        """Open the changed record in its editor (deleted records have nothing to open)."""
        ref = item.data(0, Qt.ItemDataRole.UserRole)
        if not ref:
            return False
        record_type, record_id = ref
        if self.app.get(record_type, record_id) is None:
            return False
        editor = editor_for(self.app, record_type, record_id, self, tasks=self.tasks)
        if editor is None:
            return False
        # The editor's save announces the change through the runner.
        return editor.exec() == QDialog.DialogCode.Accepted

    def create_activity(self) -> None:
        from ca_desktop.gui.editors.activity_editor import ActivityEditor

        editor = ActivityEditor(self.app, None, self, tasks=self.tasks)
        editor.exec()  # its save announces the change through the runner

    def load_demo(self) -> None:
        """Open practice mode: demo data in a separate, marked window, never in this one."""
        if launch_practice(self.app.data_dir):
            self.demo_status.setText(tr("Practice mode opens in a separate window."))
        else:
            self.demo_status.setText(tr("Practice mode could not be started."))
