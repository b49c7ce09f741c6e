"""Photos and files attached to an activity: thumbnails, add, open, save a copy.

Files picked for an activity that is not saved yet wait in the list and are stored when
the activity is saved, so cancelling a new activity leaves no orphan attachment behind.
Names and hashes come from other laptops: names are shown cleaned, only images, PDFs and
office documents are handed to the system viewer (a program or script never is: save a
copy instead), and the viewer's copies are removed when the app closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.attachment_names import clean_file_name, opens_directly
from ca_desktop.domain.i18n import tr
from ca_desktop.gui.widgets.panels import EmptyState
from ca_desktop.gui.widgets.plain import ask_plain, plain_tooltip, tell_plain
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import (
    attach_file,
    attachments_of,
    copy_for_opening,
    export_blob,
    open_blob,
)
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
        # Dialog steps as attributes, so tests answer them instead of facing a modal box.
        self.refuse_open: Callable[[str], None] = self._refuse_open
        self.confirm_risky_copy: Callable[[str], bool] = self._confirm_risky_copy
        self.choose_copy_path: Callable[[str], str] = self._ask_copy_path
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
                self._add_item(clean_file_name(view.body.get("filename")), view=view)
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
            except (FileNotFoundError, ValueError):  # missing, or not a hash at all
                blob = None
        media = view.body.get("media_type") if view else None
        icon = _thumbnail(blob, self.thumb, media, name) if blob else None
        if icon is None:
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        text = name if view else tr("{name} (saved with the activity)").format(name=name)
        item = QListWidgetItem(icon, text)
        item.setData(PATH_ROLE, str(path) if path else None)
        item.setData(VIEW_ROLE, view)
        item.setToolTip(plain_tooltip(name))
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

    @staticmethod
    def _name(item: QListWidgetItem) -> str:
        view: RecordView | None = item.data(VIEW_ROLE)
        if view is not None:
            return clean_file_name(view.body.get("filename"))
        return clean_file_name(Path(str(item.data(PATH_ROLE) or "")).name)

    def _local_copy(self, item: QListWidgetItem) -> Path | None:
        if item.data(PATH_ROLE):
            return Path(item.data(PATH_ROLE))
        view: RecordView | None = item.data(VIEW_ROLE)
        if view is None:
            return None
        # Blobs are stored by hash without a name; copy out under the (cleaned) file name
        # so the system opens it with the right program.
        return copy_for_opening(self.app, view.body["sha256"], self._name(item))

    def open_selected(self) -> None:
        item = self._selected()
        if item is None:
            return
        name = self._name(item)
        if not opens_directly(name):
            self.refuse_open(
                tr(
                    "{name} is not opened: only photos, PDFs and office documents open from "
                    "here, since other files can run programs. Use Save a copy if you need it, "
                    "and open it only if you trust where it comes from."
                ).format(name=name)
            )
            return
        try:
            path = self._local_copy(item)
        except (OSError, ValueError) as exc:
            tell_plain(
                self, tr("Cannot open"), tr("The file cannot be opened: {error}").format(error=exc)
            )
            return
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _refuse_open(self, text: str) -> None:
        tell_plain(self, tr("Not opened"), text)

    def save_copy(self) -> None:
        item = self._selected()
        view: RecordView | None = item.data(VIEW_ROLE) if item else None
        if view is None:
            return
        clean = self._name(item)  # type: ignore[arg-type]
        if not opens_directly(clean) and not self.confirm_risky_copy(
            tr(
                "{name} may be a program or a script. Save a copy only if you trust where it "
                "comes from, and do not open it otherwise."
            ).format(name=clean)
        ):
            return
        name = self.choose_copy_path(str(Path.home() / clean))
        if name:
            try:
                export_blob(self.app, view.body["sha256"], Path(name))
            except (OSError, ValueError) as exc:
                tell_plain(
                    self,
                    tr("Cannot save"),
                    tr("The copy could not be saved: {error}").format(error=exc),
                )

    def _ask_copy_path(self, suggested: str) -> str:
        name, _ = QFileDialog.getSaveFileName(self, tr("Save a copy"), suggested)
        return name

    def _confirm_risky_copy(self, text: str) -> bool:
        return ask_plain(self, tr("Save a copy"), text)


def store_files(app: CaDesktop, record_id: str, paths: list[Path]) -> int:
    """Attach files to an activity; safe off the GUI thread (no widget is touched)."""
    for path in paths:
        attach_file(app, "activity", record_id, path)
    return len(paths)
