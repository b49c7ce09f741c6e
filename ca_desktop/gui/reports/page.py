"""The Reports page: filters, headline figures, a pivot table, charts, the quarterly PDF.

Every computation runs off the GUI thread through the task manager, keyed so that a newer
request supersedes an older one; the page recomputes when records change. Double-clicking a
pivot cell (or "Show" on a figure) opens the activities behind it on the Activities page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.file_names import safe_file_name
from ca_desktop.domain.i18n import language, tr
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.reports.charts import ReportCharts
from ca_desktop.gui.reports.data_menu import data_menu_button
from ca_desktop.gui.reports.filter_bar import ReportFilterBar
from ca_desktop.gui.reports.pivot_model import PivotTableModel
from ca_desktop.gui.reports.summary import FigureSummary
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.gui.widgets.narrow import narrow_combo
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.reports.filters import ReportFilters, place_choices, programme_choices
from ca_desktop.reports.indicators import INDICATORS, compute_figures, drill_down, indicator
from ca_desktop.reports.pivot import DIMENSION_LABELS, DIMENSIONS, Pivot, compute_pivot, drill_cell
from ca_desktop.reports.quarterly_pdf import write_quarterly_pdf
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.settings import export_folder, load_settings

# The page that lists each record type a figure can drill down to.
PAGE_OF = {"activity": "activities", "cuf_project": "cuf", "grievance": "grievances"}
SHOWS = ("activity", "attendance_entry", "cuf_project", "grievance", "programme", "place")


class ReportsPage(QWidget):
    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.tasks = tasks
        self.filters_value = ReportFilters()
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        title = QLabel(tr("Reports"), self)
        title.setFont(heading_font(self, 1.5))
        header.addWidget(title)
        # Export, spreadsheet import and IATI buttons are added here with `add_action`.
        self.actions_bar = QHBoxLayout()
        header.addLayout(self.actions_bar)
        self.pdf_button = QPushButton(tr("Quarterly report (PDF)…"), self)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.add_action(self.pdf_button)
        self.data_button = data_menu_button(app, tasks, self)
        self.add_action(self.data_button)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        header.insertWidget(1, self.status, 2)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        header.insertWidget(2, self.progress)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.hide()
        self._pdf_job: Any = None
        self.cancel_button.clicked.connect(lambda: self._pdf_job and self._pdf_job.cancel())
        header.insertWidget(3, self.cancel_button)
        layout.addLayout(header)

        self.filters = ReportFilterBar(self)
        self.filters.changed.connect(self.recompute)
        layout.addWidget(self.filters)
        self.summary = FigureSummary(self)
        self.summary.drill.connect(self.drill_figure)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._pivot_tab(), tr("Pivot table"))
        self.charts = ReportCharts(self)
        self.tabs.addTab(self.charts, tr("Charts"))
        self.follower = ChangeFollower(self, tasks, SHOWS, self.refresh)
        self.refresh()

    def add_action(self, button: QWidget) -> None:
        """Put a button in the page's toolbar (exports and imports plug in here)."""
        self.actions_bar.addWidget(button)

    def _pivot_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        choosers = QHBoxLayout()
        self.row_dim = self._dim_combo(tab, "programme", with_none=False)
        self.col_dim = self._dim_combo(tab, "quarter", with_none=True)
        self.measure = narrow_combo(tab)
        for ind in INDICATORS:
            if ind.pivot:
                self.measure.addItem(tr(ind.label), ind.code)
        self.measure.currentIndexChanged.connect(lambda _i: self.recompute_pivot())
        for text, widget in (
            (tr("Rows"), self.row_dim),
            (tr("Columns"), self.col_dim),
            (tr("Figure"), self.measure),
        ):
            caption = QLabel(text, tab)
            caption.setBuddy(widget)
            choosers.addWidget(caption)
            choosers.addWidget(widget, 1)
        layout.addLayout(choosers)
        self.pivot_model = PivotTableModel(self)
        self.table = QTableView(tab)
        self.table.setAccessibleName(tr("Pivot table"))
        self.table.setModel(self.pivot_model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self.drill_pivot)
        self.table.activated.connect(self.drill_pivot)
        layout.addWidget(self.table, 1)
        hint = QLabel(tr("Double-click a number to see the activities behind it."), tab)
        layout.addWidget(hint)
        return tab

    def _dim_combo(self, parent: QWidget, default: str, with_none: bool) -> QComboBox:
        combo = narrow_combo(parent)
        if with_none:
            combo.addItem(tr("(none)"), None)
        for dim in DIMENSIONS:
            combo.addItem(tr(DIMENSION_LABELS[dim]), dim)
        combo.setCurrentIndex(combo.findData(default))
        combo.currentIndexChanged.connect(lambda _i: self.recompute_pivot())
        return combo

    # -- computing ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the filter choices, then every figure (records changed somewhere)."""
        app = self.app

        def job(_progress: Any) -> tuple[Any, Any]:
            return programme_choices(app), place_choices(app)

        def done(result: tuple[Any, Any]) -> None:
            if shiboken6.isValid(self):
                self.filters.set_choices(*result)
                self.recompute()

        self.tasks.run(job, done, self._failed, key=job_key(self, "report-choices"))

    def recompute(self) -> None:
        filters = self.filters.value()
        if filters is None:
            return
        self.filters_value = filters
        app = self.app
        self.status.setText(tr("Counting…"))

        def job(progress: Any) -> Any:
            return compute_figures(app, filters, progress)

        def done(figures: Any) -> None:
            if shiboken6.isValid(self):
                self.progress.hide()
                self.summary.show_figures(figures)
                self.charts.show_figures(figures)
                self.status.setText("")

        self.tasks.run(
            job, done, self._failed, on_progress=self._progress, key=job_key(self, "report-figures")
        )
        self.recompute_pivot()

    def recompute_pivot(self) -> None:
        filters, app = self.filters_value, self.app
        row, col, measure = (
            self.row_dim.currentData(),
            self.col_dim.currentData(),
            self.measure.currentData(),
        )

        def job(progress: Any) -> Pivot:
            return compute_pivot(app, filters, row, col, measure, progress)

        def done(pivot: Pivot) -> None:
            if shiboken6.isValid(self):
                self.pivot_model.set_pivot(pivot)
                self.table.resizeColumnsToContents()

        self.tasks.run(job, done, self._failed, key=job_key(self, "report-pivot"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(done < total)

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.progress.hide()
            self.status.setText(tr("The figures could not be computed: {error}").format(error=exc))

    # -- drilling down ------------------------------------------------------------------

    def drill_figure(self, code: str) -> None:
        filters, app = self.filters_value, self.app
        caption = tr("Behind the figure: {figure}").format(figure=tr(indicator(code).label))
        self.tasks.run(
            lambda _p: drill_down(app, filters, code),
            lambda r: self._open(r[0], r[1], caption),
            self._failed,
        )

    def drill_pivot(self, index: QModelIndex) -> None:
        pivot = self.pivot_model.pivot
        if pivot is None or not index.isValid():
            return
        row, column = self.pivot_model.keys_at(index)
        parts = [pivot.label(pivot.row_dim, row) if row is not None else tr("Total")]
        if pivot.col_dim:
            parts.append(pivot.label(pivot.col_dim, column) if column is not None else tr("Total"))
        caption = tr("Behind the figure: {figure}").format(
            figure=f"{tr(indicator(pivot.measure).label)} — {' × '.join(parts)}"
        )
        app = self.app
        self.tasks.run(
            lambda _p: drill_cell(app, pivot, row, column),
            lambda ids: self._open("activity", ids, caption),
            self._failed,
        )

    def _open(self, record_type: str, ids: list[str], caption: str) -> None:
        if not shiboken6.isValid(self):
            return
        show_page = getattr(self.window(), "show_page", None)
        if show_page is None:
            return
        page = show_page(PAGE_OF[record_type])
        noun = tr("activities") if record_type == "activity" else tr("records")
        page.show_ids(
            ids,
            tr("{caption} ({n} {records})").format(
                caption=caption, n=number(len(ids)), records=noun
            ),
        )

    # -- the PDF ------------------------------------------------------------------------

    def save_pdf(self) -> None:
        filters = self.filters.value()
        if filters is None:
            return
        period = filters.period.text.replace("..", "-") if filters.period else tr("all periods")
        name = safe_file_name(f"{tr('Quarterly results report')} {period}", ".pdf")
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Save the quarterly report"),
            str(export_folder(self.app.data_dir) / name),
            tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        app, lang, target = self.app, language(), Path(path)
        paper = load_settings(app.data_dir).paper
        self.status.setText(tr("Writing the report…"))
        self.cancel_button.show()

        def done(out: Path) -> None:
            if shiboken6.isValid(self):
                self.cancel_button.hide()
                self.progress.hide()
                self.status.setText(tr("Report saved: {path}").format(path=str(out)))

        def cancelled(_exc: Any) -> None:
            if shiboken6.isValid(self):
                self.cancel_button.hide()
                self.progress.hide()
                self.status.setText(tr("Cancelled; no file was written."))

        self._pdf_job = self.tasks.run(
            lambda progress: write_quarterly_pdf(app, filters, target, lang, progress, paper),
            done, self._failed, on_progress=self._progress, on_cancel=cancelled,
        )  # fmt: skip
