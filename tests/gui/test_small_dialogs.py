"""A 1024×600 laptop: every editor and dialog opens within the screen in all four
languages, asks for no minimum size above it, and cuts no label or button."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QLabel,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import LANGUAGES, set_language
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.keys import PublicKey, parse_public_key
from ca_desktop.sync.service import SyncService

SCREEN_W, SCREEN_H = 1024, 600
TITLE_BAR = 40  # what the window manager takes above a dialog


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    set_language(request.param)
    yield request.param
    set_language("en")


def _inside_scrolling(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def cut_widgets(top: QWidget) -> list[str]:
    """Labels and buttons shown smaller than their text needs, or outside the dialog."""
    problems = []
    for w in top.findChildren(QWidget):
        if not isinstance(w, (QLabel, QAbstractButton)) or not w.isVisibleTo(top):
            continue
        if _inside_scrolling(w, top):
            continue  # a scroll area shows the rest when scrolled
        name = w.text()
        if not name:
            continue  # icon-only: Qt's own arrows (a tab bar's scroll buttons) included
        wraps = isinstance(w, QLabel) and w.wordWrap()
        need = w.minimumSizeHint()
        if (not wraps and w.width() < need.width() - 1) or w.height() < need.height() - 1:
            problems.append(f"{name!r} {w.width()}×{w.height()} < {need.width()}×{need.height()}")
        corner = w.mapTo(top, QPoint(w.width(), w.height()))
        if corner.x() > top.width() + 1 or corner.y() > top.height() + 1:
            problems.append(f"{name!r} outside the dialog")
    return problems


def check_fits(dialog: QDialog) -> None:
    dialog.show()
    QApplication.processEvents()
    least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    assert least.width() <= SCREEN_W and least.height() <= SCREEN_H - TITLE_BAR, least
    assert dialog.width() <= SCREEN_W and dialog.height() <= SCREEN_H - TITLE_BAR, dialog.size()
    tabs = dialog.findChildren(QTabWidget)
    pages: list[tuple[QTabWidget | None, int]] = [(t, i) for t in tabs for i in range(t.count())]
    for tab, i in pages or [(None, 0)]:
        if tab is not None:
            tab.setCurrentIndex(i)
            QApplication.processEvents()
        assert not cut_widgets(dialog), cut_widgets(dialog)
    dialog.done(0)


@pytest.fixture
def small(qtbot: QtBot, app: CaDesktop, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    """The main window on a 1024×600 screen (the offscreen one is 800×800)."""
    from ca_desktop.gui.widgets import screen_fit

    monkeypatch.setattr(screen_fit, "available_area", lambda _w: QRect(0, 0, SCREEN_W, SCREEN_H))
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.resize(SCREEN_W, SCREEN_H)
    window.show()
    yield window
    window.tasks.wait()


def _dialogs(
    app: CaDesktop, window: MainWindow, activity_id: str, pub: PublicKey
) -> list[Callable[[], QDialog]]:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.editors.activity_editor import ActivityEditor
    from ca_desktop.gui.editors.record_editor import RecordEditorDialog
    from ca_desktop.gui.first_start import FirstStartDialog
    from ca_desktop.gui.forms.dialogs import FormEntryDialog, TypeInDialog
    from ca_desktop.gui.reports.spreadsheets import ImportDialog
    from ca_desktop.gui.settings_dialog import SettingsDialog
    from ca_desktop.gui.sync.trust_dialog import TrustDialog

    made: list[Callable[[], QDialog]] = [
        lambda: ActivityEditor(app, activity_id, window, window.tasks),
        lambda: ActivityEditor(app, None, window, window.tasks),
        lambda: SettingsDialog(window),
        lambda: FirstStartDialog(app, window),
        lambda: ImportDialog(app, window.tasks, window),
        lambda: TypeInDialog(app, get_form("CA-F02"), window),
        lambda: FormEntryDialog(
            app, load_form(app, get_form("CA-F02"), activity_id), "en", app.titles, parent=window
        ),
        lambda: FormEntryDialog(
            app, load_form(app, get_form("CA-F01"), None), "en", app.titles, parent=window
        ),
        lambda: TrustDialog(pub, window),
    ]
    for record_type, spec in RECORD_SPECS.items():
        if spec.editor == "dialog":
            made.append(partial(RecordEditorDialog, app, record_type, None, window))
    return made


def _key_with_a_long_name(app: CaDesktop, folder: Path) -> PublicKey:
    """A key file as another laptop sends it, its owner's name as long as names may be."""
    SyncService(app).export_public_key(folder / "key.pub")
    pub = parse_public_key((folder / "key.pub").read_bytes())
    return dataclasses.replace(pub, user_name="Nakato-Ssebunya " * 12)


def test_every_dialog_fits_a_small_screen(
    lang: str,
    small: MainWindow,
    app: CaDesktop,
    activity_body: dict[str, object],
    tmp_path: Path,
) -> None:
    activity_id = app.save("activity", activity_body).id
    pub = _key_with_a_long_name(app, tmp_path)
    for make in _dialogs(app, small, activity_id, pub):
        dialog = make()
        check_fits(dialog)
        dialog.deleteLater()
