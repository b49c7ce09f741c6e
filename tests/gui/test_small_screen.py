"""A 1024×600 laptop: showing any page, in any language, never grows the window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import LANGUAGES, set_language
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.navigation import PAGES
from ca_desktop.services.app import CaDesktop


@pytest.fixture(params=LANGUAGES)
def small_window(
    request: pytest.FixtureRequest, qtbot: QtBot, app: CaDesktop
) -> Iterator[MainWindow]:
    """The main window at 1024×600, in each language in turn."""
    set_language(request.param)
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.resize(1024, 600)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.tasks.wait()
    set_language("en")


def test_no_page_grows_the_window(small_window: MainWindow) -> None:
    window = small_window
    for entry in PAGES:
        window.show_page(entry.key)
        QApplication.processEvents()
        assert (window.width(), window.height()) == (1024, 600), entry.key
        assert window.minimumSizeHint().width() <= 1024, entry.key


def test_the_page_list_folds_away_and_stays_folded(qtbot: QtBot, app: CaDesktop) -> None:
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.show()
    assert window.nav.isVisible()
    window.nav_action.trigger()
    assert not window.nav.isVisible()
    window.show_page("sync")  # pages still open from the Go menu and Ctrl+1…9
    window.save_layout()
    again = MainWindow(app)
    qtbot.addWidget(again)
    again.show()
    assert not again.nav.isVisible() and not again.nav_action.isChecked()
    again.nav_action.trigger()
    assert again.nav.isVisible()
    window.tasks.wait()
    again.tasks.wait()


def test_every_page_fits_without_scrolling_sideways(small_window: MainWindow) -> None:
    """Beside the page list, each page's own minimum width fits a 1024-pixel screen, so
    nothing needs a horizontal scroll bar (Sync and Reports reflow their columns)."""
    window = small_window
    for entry in PAGES:
        window.show_page(entry.key)
        QApplication.processEvents()
        page = window.current_page()
        frame = window.stack.currentWidget()
        assert page is not None and isinstance(frame, QScrollArea)
        room = frame.viewport().width()
        assert page.minimumSizeHint().width() <= room, (entry.key, room)
