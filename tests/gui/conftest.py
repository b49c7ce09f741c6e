"""GUI fixtures: the Fusion style and bundled fonts, a main window, the Activities page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.gui.resources import load_bundled_fonts
from ca_desktop.services.app import CaDesktop
from tests.gui.jobs_left import no_jobs_left  # noqa: F401  (autouse: no job outlives its test)


@pytest.fixture(scope="session", autouse=True)
def _gui_look(qapp: object) -> None:
    qapp.setStyle("Fusion")  # type: ignore[attr-defined]
    load_bundled_fonts()


@pytest.fixture(autouse=True)
def _editors_never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-qt closes leftover widgets after each test; a dirty editor would then wait
    for an answer to "save changes?" forever. Tests of the guard patch the instance."""
    from PySide6.QtWidgets import QMessageBox

    from ca_desktop.gui.editors.activity_editor import ActivityEditor

    monkeypatch.setattr(
        ActivityEditor, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard
    )


@pytest.fixture
def window(qtbot: QtBot, app: CaDesktop) -> Iterator[MainWindow]:
    win = MainWindow(app)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.tasks.wait()


@pytest.fixture
def activities(qtbot: QtBot, window: MainWindow) -> ActivitiesPage:
    page = window.page("activities")
    assert isinstance(page, ActivitiesPage)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page("activities")
    return page
