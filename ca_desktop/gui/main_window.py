"""The main window: navigation on the left, the current page on the right, status below.

The window can be shown before the data folder is open (`MainWindow(None, data_dir=...)`,
then `attach(app)`): the frame appears at once on an old laptop while the database opens
in the background, and nothing here imports the storage layer at module level.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop import __version__
from ca_desktop.domain.i18n import label, tr
from ca_desktop.gui.navigation import PAGES, PageEntry, build_page
from ca_desktop.gui.resources import app_icon, icon
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.gui.widgets.busy import BusyBar
from ca_desktop.gui.widgets.damage_banner import DamageBanner
from ca_desktop.gui.widgets.panels import EmptyState
from ca_desktop.gui.widgets.send_status import detail_line, status_line
from ca_desktop.services.practice import is_practice

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.services.quick_reads import QuickReads

SHORTCUTS_HELP = (
    ("Ctrl+1 … Ctrl+9", "Go to a page (in the order of the list on the left)"),
    ("Ctrl+\\", "Show or hide the page list"),
    ("Ctrl+N", "New activity"),
    ("Enter / F2", "Open the selected activity"),
    ("Delete", "Delete the selected activity"),
    ("Ctrl+F", "Search"),
    ("Ctrl+S", "Save in an editor"),
    ("Esc", "Close an editor (asks before losing changes)"),
    ("Enter (register)", "Next cell, then next row; a new row appears at the end"),
    ("Ctrl+V (register)", "Paste rows copied from a spreadsheet"),
)


def gui_settings(data_dir: Path) -> QSettings:
    """Window layout settings, kept inside the data folder so data folders never mix."""
    return QSettings(str(data_dir / "gui.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(
        self,
        app: CaDesktop | None,
        parent: QWidget | None = None,
        data_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.app: CaDesktop | None = None
        folder = app.data_dir if app is not None else data_dir
        if folder is None:
            raise ValueError("MainWindow needs an open app or the data folder it will open")
        self.data_dir = folder
        self.tasks = TaskManager(self)
        self.settings = gui_settings(folder)
        # Practice data is marked everywhere it shows, so nobody mistakes it for real work.
        self.practice = is_practice(folder)
        self.discard_practice = False  # set by "Delete practice data": run_gui removes it
        self.restore_on_exit: Path | None = None  # a backup chosen in Settings: see run_gui
        self.cancel_on_close: list[TaskHandle] = []  # background checks not worth waiting for
        self.setWindowTitle(self._title())
        self.setWindowIcon(app_icon())
        self._pages: dict[str, QWidget] = {}
        self._frames: dict[str, QScrollArea] = {}
        self._stale: set[str] = set()  # pages built but not loaded yet: loaded when shown

        self.nav = QListWidget(self)
        self.nav.setAccessibleName(tr("Pages"))
        size = self.fontMetrics().height() + 6
        self.nav.setIconSize(QSize(size, size))
        self.nav.setSpacing(2)
        for i, page in enumerate(PAGES):
            item = QListWidgetItem(icon(page.icon), tr(page.title))
            if i < 9:
                item.setToolTip(tr("{page} (Ctrl+{n})").format(page=tr(page.title), n=i + 1))
            self.nav.addItem(item)
        width = max(self.nav.sizeHintForColumn(0), 0) + self.fontMetrics().averageCharWidth() * 4
        self.nav.setMinimumWidth(width)
        self.stack = QStackedWidget(self)
        self.opening = EmptyState(
            tr("Opening your data…"),
            tr("Checking the database in {folder}.").format(folder=folder),
            None,
            "app",
            self.stack,
        )
        self.stack.addWidget(self.opening)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.damage_banner = DamageBanner(self)
        self.damage_banner.restore_requested.connect(self.restore_damaged)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.damage_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_row)

        self._build_status_bar()
        self._build_menus()
        self.tasks.busy_changed.connect(self.busy.set_busy)
        # Pages reload themselves from the same signal (`gui/follow.py`); the window only
        # updates the status bar (the count of changes waiting to be sent).
        self.tasks.records_changed.connect(lambda _types: self.refresh_status())
        self._restore_layout()
        start = self.settings.value("window/page", "home")
        keys = [p.key for p in PAGES]
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(keys.index(start) if start in keys else 0)
        self.nav.blockSignals(False)
        if app is not None:
            self.attach(app)

    def attach(self, app: CaDesktop) -> None:
        """The data folder is open: fill the status bar and show the current page."""
        self.app = app
        # Changes made by others (the hub's other desktops, a command-line import) reach
        # the pages through the same signal as this window's own writes.
        from ca_desktop.gui.change_poll import ChangePoller  # after the window: storage stack

        self.change_poll = ChangePoller(app, self.tasks, self)
        # A folder made with `init --no-encryption` says so (practice data has its own mark).
        self.plain_label.setVisible(not app.encrypted and not self.practice)
        self.refresh_status()
        for widget in self._pages.values():  # pages shown from the lean reads meanwhile
            attach = getattr(widget, "attach", None)
            if callable(attach):
                attach(app)
        self._show_row(max(self.nav.currentRow(), 0))

    def preview(self, reads: QuickReads) -> QWidget | None:
        """Show the start page from the lean reads while the data folder opens, when it can
        (`PageEntry.preview`): its first rows come without the storage stack. Returns the
        page (its `rows_shown` tells when they are), or None."""
        entry = PAGES[max(self.nav.currentRow(), 0)]
        if self.app is not None or not entry.preview or entry.key in self._pages:
            return None
        widget = self._build(entry, reads)
        self.stack.setCurrentWidget(self._frames[entry.key])
        reload = getattr(widget, "reload", None)
        if callable(reload):
            reload()
        return widget

    def retranslate(self) -> None:
        """Texts after a language change (the saved language is known once data is open)."""
        for i, page in enumerate(PAGES):
            item = self.nav.item(i)
            if item is not None:
                item.setText(tr(page.title))
        self.menuBar().clear()
        self._build_menus()
        self.setWindowTitle(self._title())
        self.practice_label.setText(tr("PRACTICE MODE: demo data, never sent"))
        self.plain_label.setText(tr("NOT ENCRYPTED"))

    def _title(self) -> str:
        if self.practice:
            return tr("CA Desktop — PRACTICE MODE (demo data, not real)")
        return tr("CA Desktop")

    # -- building ---------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.practice_label = QLabel(tr("PRACTICE MODE: demo data, never sent"), self)
        self.practice_label.setStyleSheet(
            "background: #B3261E; color: white; font-weight: bold; padding: 1px 6px;"
        )
        self.practice_label.setVisible(self.practice)
        bar.addWidget(self.practice_label)
        self.plain_label = QLabel(tr("NOT ENCRYPTED"), self)
        self.plain_label.setToolTip(
            tr("This data folder was created without encryption, for tests and demos only.")
        )
        self.plain_label.setStyleSheet(
            "background: #7A4F01; color: white; font-weight: bold; padding: 1px 6px;"
        )
        self.plain_label.setVisible(False)
        bar.addWidget(self.plain_label)
        self.user_label = QLabel(self)
        self.device_label = QLabel(self)
        self.unsent_label = QLabel(self)
        self.busy = BusyBar(self)
        for widget in (self.user_label, self.device_label, self.unsent_label):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.busy)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        backup = QAction(tr("&Backup…"), self)
        backup.triggered.connect(self.backup)
        file_menu.addAction(backup)
        settings = QAction(tr("&Settings…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.show_settings)
        file_menu.addAction(settings)
        if self.practice:
            leave = QAction(tr("&Delete practice data and close"), self)
            leave.triggered.connect(self.delete_practice)
            file_menu.addAction(leave)
        file_menu.addSeparator()
        quit_action = QAction(tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(tr("&Go"))
        for i, page in enumerate(PAGES):
            action = QAction(icon(page.icon), tr(page.title), self)
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            go_menu.addAction(action)
        go_menu.addSeparator()
        # On a 1024-pixel screen the page needs the room: the page list folds away (the
        # Go menu and Ctrl+1…9 still reach every page) and the choice is kept.
        self.nav_action = QAction(tr("Show the &page list"), self)
        self.nav_action.setCheckable(True)
        self.nav_action.setChecked(not self.nav.isHidden())
        self.nav_action.setShortcut(QKeySequence("Ctrl+\\"))
        self.nav_action.toggled.connect(self.set_navigation_shown)
        go_menu.addAction(self.nav_action)

        help_menu = self.menuBar().addMenu(tr("&Help"))
        guide = QAction(tr("&User guide"), self)
        guide.triggered.connect(self.show_user_guide)
        help_menu.addAction(guide)
        keys = QAction(tr("&Keyboard shortcuts"), self)
        keys.setShortcut(QKeySequence.StandardKey.HelpContents)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = QAction(tr("&About CA Desktop"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # -- pages ------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page widget for `key`, built on first use (the data folder must be open)."""
        if self.app is None:
            raise RuntimeError("the data folder is not open yet")
        if key not in self._pages:
            self._build(next(p for p in PAGES if p.key == key), self.app)
            self._stale.add(key)
        return self._pages[key]

    def _build(self, entry: PageEntry, app: CaDesktop | QuickReads) -> QWidget:
        widget = build_page(entry, app, self.tasks, self.stack)
        self._pages[entry.key] = widget
        # Each page sits in a scroll area: a page wider or taller than a 1024×600
        # screen (long translations) scrolls instead of growing the window off-screen.
        frame = QScrollArea(self.stack)
        frame.setWidgetResizable(True)
        frame.setFrameShape(QFrame.Shape.NoFrame)
        frame.setWidget(widget)
        self._frames[entry.key] = frame
        self.stack.addWidget(frame)
        restore = getattr(widget, "restore_state", None)
        if callable(restore):
            restore(self.settings)
        return widget

    def show_page(self, key: str) -> QWidget:
        keys = [p.key for p in PAGES]
        self.nav.setCurrentRow(keys.index(key))
        return self.page(key)

    def review_conflict(self, record_id: str) -> None:
        """Show the conflict review with `record_id` selected (an editor's banner asks)."""
        page = self.show_page("sync")
        show = getattr(page, "show_review", None)
        if callable(show):
            show(record_id)

    def set_navigation_shown(self, shown: bool) -> None:
        self.nav.setVisible(shown)
        self.settings.setValue("window/navigation", shown)

    def current_page(self) -> QWidget | None:
        """The page on screen (inside its scroll frame), None before the data is open."""
        frame = self.stack.currentWidget()
        return frame.widget() if isinstance(frame, QScrollArea) else None

    def current_key(self) -> str:
        return PAGES[max(self.nav.currentRow(), 0)].key

    def _show_row(self, row: int) -> None:
        if row < 0 or self.app is None:
            return  # shown once the data folder is open
        key = PAGES[row].key
        widget = self.page(key)
        self.stack.setCurrentWidget(self._frames[key])
        if key in self._stale:
            self._stale.discard(key)
            refresh = getattr(widget, "refresh", None)
            if callable(refresh):
                refresh()

    # -- status -----------------------------------------------------------------------

    def refresh_status(self) -> None:
        if self.app is None:
            return
        info = self.app.device()
        if info is None:
            self.user_label.setText("")
            self.device_label.setText("")
        else:
            self.user_label.setText(
                tr("{name} · {role}").format(name=info.user_name, role=label(info.role))
            )
            self.device_label.setText(
                tr("Laptop {device}").format(device=info.device_id.split("-")[-1][-8:])
            )
            self.device_label.setToolTip(
                tr("This laptop's identity: {device}").format(device=info.device_id)
            )
        from ca_desktop.sync.send_state import send_state  # storage stack: after the start

        sending = send_state(self.app)
        self.unsent_label.setText(status_line(sending))
        self.unsent_label.setToolTip(detail_line(sending))

    # -- actions ----------------------------------------------------------------------

    def backup(self) -> None:
        app = self.app
        if app is None:
            return
        suggested = str(Path.home() / "ca-desktop-backup.sqlite")
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save a backup"), suggested, tr("Database backups (*.sqlite)")
        )
        if not path:
            return
        target = Path(path)

        def done(_result: object) -> None:
            self.statusBar().showMessage(
                tr("Backup written and verified: {path}").format(path=target), 8000
            )

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(
                self,
                tr("Backup failed"),
                tr("The backup could not be written: {error}").format(error=exc),
            )

        self.tasks.run(lambda _p: app.backup(target), done, failed)

    def restore_damaged(self, backup: Path) -> None:
        """The banner's restore: close, then `run_gui` puts the backup in place."""
        answer = QMessageBox.question(
            self,
            tr("Restore the latest backup"),
            tr(
                "CA Desktop will close and restore {backup}; the damaged database is kept "
                "aside, never deleted. Start CA Desktop again afterwards. Continue?"
            ).format(backup=backup.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore_on_exit = backup
        self.close()

    def show_settings(self) -> None:
        from ca_desktop.gui.settings_dialog import SettingsDialog

        SettingsDialog(self).exec()

    def show_user_guide(self) -> None:
        from ca_desktop.gui.user_guide import UserGuideDialog

        UserGuideDialog(self).exec()

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{tr(v)}</td></tr>" for k, v in SHORTCUTS_HELP
        )
        QMessageBox.information(self, tr("Keyboard shortcuts"), f"<table>{rows}</table>")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            tr("About CA Desktop"),
            tr(
                "CA Desktop {version}: offline programme data for Cities Alliance teams. "
                "Data folder: {folder}"
            ).format(version=__version__, folder=self.data_dir),
        )

    # -- layout persistence -----------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:
                area = screen.availableGeometry()
                self.resize(min(1280, area.width()), min(800, area.height()))
        shown = self.settings.value("window/navigation", True)
        self.nav.setVisible(shown not in (False, "false"))
        self.nav_action.setChecked(not self.nav.isHidden())
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([self.nav.minimumWidth(), 1000])

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/page", self.current_key())
        for widget in self._pages.values():
            save = getattr(widget, "save_state", None)
            if callable(save):
                save(self.settings)
        self.settings.sync()

    def delete_practice(self) -> None:
        """Close this practice window and delete its folder: one step, nothing left."""
        answer = QMessageBox.question(
            self,
            tr("Leave practice mode"),
            tr("Delete all practice data and close this window? Your real data is not touched."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,  # deleting is never the default
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.discard_practice = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for widget in self._pages.values():
            can_close = getattr(widget, "can_close", None)
            if callable(can_close) and not can_close():
                event.ignore()
                return
        self.save_layout()
        if getattr(self, "change_poll", None) is not None:
            self.change_poll.stop()
        for handle in self.cancel_on_close:
            handle.cancel()
        # Reads stop, writes finish: no job outlives the window and the data it reads.
        self.tasks.shutdown(30_000)
        event.accept()
