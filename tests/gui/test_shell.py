"""The shell: text renders, navigation and shortcuts, status bar, layout kept, fallbacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from ca_desktop.gui import app as gui_app
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.navigation import PAGES, PageEntry, build_page
from ca_desktop.gui.resources import app_icon, icon
from ca_desktop.gui.widgets.panels import ComingPanel
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.database import DB_NAME
from ca_desktop.sync.service import SyncService


def test_text_actually_renders(qtbot: QtBot) -> None:
    assert QFontInfo(QApplication.font()).family()
    label = QLabel("Kisenyi settlement forum")
    qtbot.addWidget(label)
    label.setStyleSheet("background: white; color: black;")
    label.resize(label.sizeHint())
    label.show()
    image = label.grab().toImage()
    background = QColor("white").rgb()
    inked = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixel(x, y) != background
    )
    assert inked > 50  # glyphs, not empty boxes or nothing


def test_icons_load() -> None:
    assert not app_icon().isNull()
    for page in PAGES:
        assert not icon(page.icon).isNull(), page.icon


def test_every_page_opens_with_its_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    for n, page in enumerate(PAGES[:9], start=1):
        QTest.keyClick(window, getattr(Qt.Key, f"Key_{n}"), Qt.KeyboardModifier.ControlModifier)
        assert window.current_key() == page.key
        assert window.current_page() is window.page(page.key)
        assert window.nav.currentItem().text()
    # Every page is built now: none shows the "coming" placeholder.
    assert not [p.key for p in PAGES if isinstance(window.page(p.key), ComingPanel)]


def test_status_bar_shows_user_device_and_unsent(
    qtbot: QtBot, window: MainWindow, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    info = app.device()
    assert info is not None
    assert "Amina Nakato" in window.user_label.text()
    assert info.device_id.split("-")[-1][-8:] in window.device_label.text()
    before = app.unsent_changes()
    app.save("activity", activity_body)
    window.refresh_status()
    assert f"{before + 1:,} changes not exported yet" == window.unsent_label.text()
    out = app.data_dir.parent / "amina-to-coordinator.cabundle"
    SyncService(app).export(out, plain=True)
    window.refresh_status()
    # A successful export never reads as "not sent": it waits for the coordinator's receipt.
    assert window.unsent_label.text() == "Exported, waiting for the coordinator's receipt"
    assert "amina-to-coordinator.cabundle" in window.unsent_label.toolTip()


def test_layout_is_kept_in_the_data_folder(qtbot: QtBot, app: CaDesktop) -> None:
    first = MainWindow(app)
    qtbot.addWidget(first)
    first.show()
    first.resize(QSize(720, 520))
    first.show_page("programmes")
    first.close()
    assert (app.data_dir / "gui.ini").exists()
    second = MainWindow(app)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == QSize(720, 520)
    assert second.current_key() == "programmes"
    second.close()


def test_missing_page_module_shows_a_coming_panel(
    qtbot: QtBot, window: MainWindow, app: CaDesktop
) -> None:
    entry = PageEntry("x", "Maps", "places", "ca_desktop.gui.no_such_page", "MapsPage", "Maps.")
    panel = build_page(entry, app, window.tasks)
    qtbot.addWidget(panel)
    assert isinstance(panel, ComingPanel)
    panel.refresh()


def test_a_broken_page_module_is_not_hidden(
    qtbot: QtBot,
    window: MainWindow,
    app: CaDesktop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "broken_page.py").write_text("import no_such_dependency_anywhere\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = PageEntry("x", "Broken", "places", "broken_page", "BrokenPage", "Broken.")
    with pytest.raises(ModuleNotFoundError):
        build_page(entry, app, window.tasks)


def test_damaged_database_offers_the_latest_backup(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = CaDesktop.open(data_dir)
    app.init_device("Amina Nakato", "officer")
    app.db.backup_now("manual")
    app.close()
    path = data_dir / DB_NAME
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)  # damaged pages, readable header
    path.write_bytes(bytes(data))
    asked: list[str] = []

    def yes(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    reopened = gui_app.open_data_folder(data_dir)
    assert asked and reopened is not None
    assert reopened.device() is not None and reopened.device().user_name == "Amina Nakato"  # type: ignore[union-attr]
    reopened.close()


def test_damaged_database_without_backup_says_so(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"garbage" * 1000)
    shown: list[str] = []

    def critical(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert gui_app.open_data_folder(data_dir) is None
    assert "no backup" in shown[0]


class _LocalLoop:
    """Stands in for the QApplication inside `run_gui`: a nested loop, so the test
    session's application is never quit."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEventLoop

        self.loop = QEventLoop()

    def exec(self) -> int:
        return self.loop.exec()

    def exit(self, code: int) -> None:
        self.loop.exit(code)


@pytest.fixture
def local_loop(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[_LocalLoop]:
    loop = _LocalLoop()
    monkeypatch.setattr(gui_app, "make_qapplication", lambda: loop)
    before = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)
    yield loop
    qapp.setQuitOnLastWindowClosed(before)


def test_run_gui_shows_the_window_then_opens_the_data(
    qtbot: QtBot, app: CaDesktop, data_dir: Path, local_loop: _LocalLoop
) -> None:
    from PySide6.QtCore import QTimer

    seen: dict[str, object] = {}

    def check() -> None:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if not windows or windows[0].app is None:
            QTimer.singleShot(20, check)
            return
        window = windows[0]
        seen["user"] = window.user_label.text()
        seen["page"] = window.current_key()
        window.close()
        window.deleteLater()
        local_loop.exit(0)

    QTimer.singleShot(0, check)
    assert gui_app.run_gui(data_dir, None) == 0
    assert "Amina Nakato" in str(seen["user"])
    assert seen["page"] == "home"


def test_run_gui_previews_the_activities_then_hands_the_page_the_app(
    qtbot: QtBot,
    app: CaDesktop,
    activity_body: dict[str, object],
    data_dir: Path,
    local_loop: _LocalLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last-used Activities page lists from the lean reads while the folder opens,
    then reads and writes through the app: same rows, an editor asked for meanwhile opens."""
    from PySide6.QtCore import QTimer

    from ca_desktop.gui.pages.activities import ActivitiesPage

    ids = {app.save("activity", {**activity_body, "title": f"Forum {n}"}).id for n in range(4)}
    app.close()
    (data_dir / "gui.ini").write_text("[window]\npage=activities\n")
    seen: dict[str, object] = {}
    real_preview = MainWindow.preview

    def preview(window: MainWindow, reads: object) -> object:
        page = real_preview(window, reads)  # type: ignore[arg-type]
        assert isinstance(page, ActivitiesPage) and not page.attached

        def first_rows() -> None:
            if "preview" not in seen:
                seen["preview"] = (window.app, {page.model.id_at(r) for r in range(4)})
                page.edit_current()  # Enter before the folder is open: queued
                page.delete_current()  # nothing to delete with yet: ignored

        page.rows_shown.connect(first_rows)
        return page

    monkeypatch.setattr(MainWindow, "preview", preview)

    def check() -> None:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        page = windows[0].current_page() if windows and windows[0].app is not None else None
        if (
            not isinstance(page, ActivitiesPage)
            or page.editor is None
            or not page.history.text().startswith("History")  # follows the selection
        ):
            QTimer.singleShot(20, check)
            return
        seen["attached"] = (page.attached, page.app is windows[0].app, page.model.rowCount())
        seen["editor"] = page.editor.record_id
        seen["history"] = page.history.text()
        page.editor.done(0)
        windows[0].close()
        windows[0].deleteLater()
        local_loop.exit(0)

    QTimer.singleShot(0, check)
    assert gui_app.run_gui(data_dir, None) == 0
    assert seen["preview"] == (None, ids)  # drawn before the app was open
    assert seen["attached"] == (True, True, 4)
    assert seen["editor"] in ids
    assert "Forum" in str(seen["history"])


def test_run_gui_exits_2_when_the_data_cannot_be_opened(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, local_loop: _LocalLoop
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"garbage" * 1000)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: QMessageBox.StandardButton.Ok)
    assert gui_app.run_gui(data_dir, None) == 2
