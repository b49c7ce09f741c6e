"""Every page at 1024 px in the longest language: no label, button or column header cut."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLabel,
    QListView,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import LANGUAGES, resources_dir, set_language
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.navigation import PAGES
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from tests.gui.jobs_left import wait_for_jobs


def longest_language() -> str:
    def total(lang: str) -> int:
        path = resources_dir() / "translations" / f"{lang}.json"
        return sum(len(v) for v in json.loads(path.read_text("utf-8")).values())

    return max((lang for lang in LANGUAGES if lang != "en"), key=total)


@pytest.fixture
def long_language() -> Iterator[str]:
    lang = longest_language()
    set_language(lang)
    yield lang
    set_language("en")


def clipped(root: QWidget) -> list[str]:
    """Texts shown narrower than they need, with where they are."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        metrics = widget.fontMetrics()
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.pixmap() is not None and not widget.pixmap().isNull():
                continue
            text = widget.text().replace("&", "") if widget.buddy() else widget.text()
            if "<" in text:
                continue  # rich text lays itself out
            need = max(metrics.horizontalAdvance(line) for line in text.splitlines() or [""])
            if need > widget.contentsRect().width() + 1:
                found.append(f"label {text!r}: {widget.contentsRect().width()} < {need}")
        elif isinstance(widget, QAbstractButton) and widget.text():
            if widget.width() + 1 < widget.minimumSizeHint().width():
                found.append(f"button {widget.text()!r}: {widget.width()}")
        elif isinstance(widget, QListView) and not widget.wordWrap():
            model = widget.model()
            room = widget.viewport().width() - 2 * widget.spacing()
            for row in range(model.rowCount() if model is not None else 0):
                text = str(model.index(row, 0).data() or "")
                need = metrics.horizontalAdvance(text) + 12  # the item's own margins
                if need > room:
                    found.append(f"list item {text!r}: {room} < {need}")
        elif isinstance(widget, QChartView):
            found += chart_clipped(widget)
        elif isinstance(widget, QTableView):
            header: QHeaderView = widget.horizontalHeader()
            model = widget.model()
            if model is None or header.isHidden():
                continue
            for col in range(model.columnCount()):
                if header.isSectionHidden(col) or header.sectionSize(col) == 0:
                    continue
                text = str(model.headerData(col, header.orientation()) or "")
                # the text plus the header's own margins (style-dependent, about 2×3 px)
                need = header.fontMetrics().horizontalAdvance(text) + 6
                if need > header.sectionSize(col) and header.sectionViewportPosition(col) < (
                    header.viewport().width()
                ):
                    found.append(f"column {text!r}: {header.sectionSize(col)} < {need}")
    return found


def chart_clipped(view: QChartView) -> list[str]:
    """Category labels QtCharts would shorten with "...": wider than the room the axis has."""
    chart = view.chart()
    found = []
    for axis in chart.axes():
        if not isinstance(axis, QBarCategoryAxis):
            continue
        metrics = QFontMetrics(axis.labelsFont())
        plot = chart.plotArea()
        # QtCharts breaks a label only at "<br>", and shows "..." for a label (or a stack
        # of lines) larger than its room.
        band = (plot.height() if axis.alignment() == Qt.AlignmentFlag.AlignLeft else 0) / max(
            axis.count(), 1
        )
        for text in axis.categories():
            lines = text.split("<br>")
            need = max(metrics.horizontalAdvance(line) for line in lines)
            if axis.alignment() == Qt.AlignmentFlag.AlignLeft:
                room = plot.left() - chart.margins().left() - 8
                if len(lines) * metrics.height() > band:
                    found.append(f"chart label {text!r}: {len(lines)} lines in {band:.0f} px")
            else:
                room = plot.width() / max(axis.count(), 1)
            if need > room:
                found.append(f"chart label {text!r}: {room:.0f} < {need}")
    return found


def test_every_page_at_1024_in_the_longest_language(
    qtbot: QtBot, app: CaDesktop, long_language: str
) -> None:
    generate_demo(app, 30)
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    problems = []

    def settle() -> None:
        for _ in range(20):
            QApplication.processEvents()
            qtbot.wait(20)

    try:
        for entry in PAGES:
            page = window.show_page(entry.key)
            settle()
            problems += [f"{entry.key}: {p}" for p in clipped(page)]
        reports: Any = window.page("reports")
        window.show_page("reports")
        reports.tabs.setCurrentWidget(reports.charts)  # the charts' tab
        settle()
        problems += [f"charts: {p}" for p in clipped(reports.charts)]
    finally:
        window.tasks.wait()
    assert not problems, f"{long_language}:\n" + "\n".join(problems)


def test_the_register_grid_at_1024_in_every_language(qtbot: QtBot, app: CaDesktop) -> None:
    from ca_desktop.gui.editors.activity_editor import ActivityEditor

    problems = []
    try:
        for lang in LANGUAGES:
            set_language(lang)
            editor = ActivityEditor(app)
            qtbot.addWidget(editor)
            editor.resize(1000, 600)
            editor.show()
            editor.tabs.setCurrentWidget(editor.people)
            QApplication.processEvents()
            problems += [f"{lang}: {p}" for p in clipped(editor.people)]
            editor.close()
    finally:
        set_language("en")
    assert not problems, "\n".join(problems)


def test_the_conflict_review_at_1024_in_the_longest_language(
    qtbot: QtBot, tmp_path: Path, long_language: str
) -> None:
    from ca_desktop.gui.sync.conflicts import ConflictReview
    from ca_desktop.gui.tasks import TaskManager
    from tests.gui.test_sync_conflicts import Office

    office = Office(tmp_path)
    try:
        office.conflict(
            {"title": "Forum du quartier de Kisenyi (procès-verbal)", "female_youth": 6},
            {"title": "Forum de quartier — version de Brian", "notes": "Kiosque à eau"},
        )
        review = ConflictReview(office.apps["coord"], TaskManager())
        qtbot.addWidget(review, before_close_func=wait_for_jobs)
        review.resize(1024 - 200, 560)  # beside the page list
        review.show()
        with qtbot.waitSignal(review.loaded, timeout=10_000):
            review.refresh()
        for _ in range(10):
            QApplication.processEvents()
        problems = clipped(review)
    finally:
        for app in office.apps.values():
            app.close()
    assert not problems, f"{long_language}:\n" + "\n".join(problems)
