"""Every page at 1024 px in the longest language: no label, button or column header cut."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import LANGUAGES, resources_dir, set_language
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.navigation import PAGES
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo


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
    try:
        for entry in PAGES:
            page = window.show_page(entry.key)
            for _ in range(20):
                QApplication.processEvents()
                qtbot.wait(20)
            problems += [f"{entry.key}: {p}" for p in clipped(page)]
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
