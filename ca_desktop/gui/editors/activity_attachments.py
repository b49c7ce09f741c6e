"""Photos and files attached to an activity: thumbnails, add, open, save a copy.

Files picked for an activity that is not saved yet wait in the list and are stored when
the activity is saved, so cancelling a new activity leaves no orphan attachment behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.widgets.panels import EmptyState
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import attach_file, attachments_of, export_blob, open_blob
from ca_desktop.services.scratch import view_folder
from ca_desktop.services.views import RecordView

_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"}
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
VIEW_ROLE = Qt.ItemDataRole.UserRole + 2


def _thumbnail(path: Path, size: int, media_type: str | None, name: str) -> QIcon | None:
    if not (
        (media_type or "").startswith("image/") or Path(name).suffix.lower() in _IMAGE_SUFFIXES
    ):
        return None
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return QIcon(QPixmap.fromImage(image)) if not image.isNull() else None


class AttachmentsPanel(QWidget):
    changed = Signal()

    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.pending: list[Path] = []
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            tr(
                "Photos of the meeting, the signed register, minutes: anything that shows what happened."
            ),
            self,
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.list = QListWidget(self)
        self.list.setAccessibleName(tr("Attachments"))
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.thumb = self.fontMetrics().height() * 6
        self.list.setIconSize(QSize(self.thumb, self.thumb))
        self.list.setGridSize(
            QSize(self.thumb + self.thumb // 2, self.thumb + self.fontMetrics().height() * 3)
        )
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.currentItemChanged.connect(lambda _c, _p: self._update_buttons())
        self.empty = EmptyState(
            tr("No photos or files yet"),
            tr(
                "Add photos of the meeting, the signed paper register or the minutes. Photos "
                "show as thumbnails; any other file can be attached too."
            ),
            None,
            "attachment",
            self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        layout.addWidget(self.stack, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(tr("&Add photo or file…"), self)
        self.open_button = QPushButton(tr("&Open"), self)
        self.save_button = QPushButton(tr("Save a &copy…"), self)
        for button in (self.add_button, self.open_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_copy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self._selected()
        self.open_button.setEnabled(item is not None)
        self.save_button.setEnabled(item is not None and item.data(VIEW_ROLE) is not None)
        self.stack.setCurrentWidget(self.list if self.list.count() else self.empty)

    def load(self, record_id: str | None) -> None:
        self.list.clear()
        if record_id:
            for view in attachments_of(self.app, record_id):
                self._add_item(view.body["filename"], view=view)
        for path in self.pending:
            self._add_item(path.name, path=path)
        self._update_buttons()

    def _add_item(
        self, name: str, view: RecordView | None = None, path: Path | None = None
    ) -> None:
        blob: Path | None = path
        if view is not None:
            try:
                blob = open_blob(self.app, view.body["sha256"])
            except FileNotFoundError:
                blob = None
        media = view.body.get("media_type") if view else None
        icon = _thumbnail(blob, self.thumb, media, name) if blob else None
        if icon is None:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        text = name if view else tr("{name} (saved with the activity)").format(name=name)
        item = QListWidgetItem(icon, text)
        item.setData(PATH_ROLE, str(path) if path else None)
        item.setData(VIEW_ROLE, view)
        item.setToolTip(name)
        self.list.addItem(item)

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            if path.is_file() and path not in self.pending:
                self.pending.append(path)
                self._add_item(path.name, path=path)
        self._update_buttons()
        self.changed.emit()

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            tr("Add photos or files"),
            str(Path.home()),
            tr("Photos (*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff);;All files (*)"),
        )
        self.add_files([Path(n) for n in names])

    def store_pending(self, record_id: str) -> int:
        """Store the files picked before the activity existed; returns how many."""
        stored = store_files(self.app, record_id, self.pending)
        self.pending = []
        return stored

    def _selected(self) -> QListWidgetItem | None:
        items = self.list.selectedItems()
        return items[0] if items else self.list.currentItem()

    def _local_copy(self, item: QListWidgetItem) -> Path | None:
        if item.data(PATH_ROLE):
            return Path(item.data(PATH_ROLE))
        view: RecordView | None = item.data(VIEW_ROLE)
        if view is None:
            return None
        # Blobs are stored by hash without a name; copy out under the real file name so
        # the system opens it with the right program.
        folder = view_folder(self.app.data_dir)  # inside the private data folder
        target = folder / Path(view.body["filename"]).name
        export_blob(self.app, view.body["sha256"], target)
        return target

    def open_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        try:
            path = self._local_copy(item)
        except OSError as exc:
            QMessageBox.warning(
                self, tr("Cannot open"), tr("The file cannot be opened: {error}").format(error=exc)
            )
            return
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def save_copy(self) -> None:
        item = self._selected()
        view: RecordView | None = item.data(VIEW_ROLE) if item else None
        if view is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Save a copy"), str(Path.home() / view.body["filename"])
        )
        if name:
            try:
                export_blob(self.app, view.body["sha256"], Path(name))
            except OSError as exc:
                QMessageBox.warning(
                    self,
                    tr("Cannot save"),
                    tr("The copy could not be saved: {error}").format(error=exc),
                )


def store_files(app: CaDesktop, record_id: str, paths: list[Path]) -> int:
    """Attach files to an activity; safe off the GUI thread (no widget is touched)."""
    for path in paths:
        attach_file(app, "activity", record_id, path)
    return len(paths)
