"""Editors of the XLSForm types: time, date and time, GPS point, photo.

Empty is a real state (a time not written on the paper is not midnight): the editors are
line edits with a pattern, not spin boxes. A value that does not match yet is returned as
typed, so the form's check names it ("must be a time (HH:MM)") instead of losing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.forms.photos import NotAPhoto, read_photo
from ca_desktop.forms.typed_values import GEO_KEYS, degrees, normal_datetime, normal_time
from ca_desktop.gui.forms.editors import FieldEditor

# (file name, bytes) -> the image field's value, the photo stored (`forms/photos.py`)
StorePhoto = Callable[[str, bytes], dict[str, Any]]


class PatternEditor(FieldEditor):
    """A time (`HH:MM`) or a date and time (`YYYY-MM-DD HH:MM`) typed as text."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.edit = QLineEdit(self)
        hint, pattern, width = (
            ("HH:MM", r"[0-9:]{0,8}", 90)
            if kind == "time"
            else ("YYYY-MM-DD HH:MM", r"[0-9: T-]{0,19}", 200)
        )
        self.edit.setPlaceholderText(hint)
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self.edit))
        self.edit.setFixedWidth(width)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.changed)

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None
        normal = normal_time(text) if self.kind == "time" else normal_datetime(text)
        return normal or text

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class GeopointEditor(FieldEditor):
    """Latitude, longitude (decimal degrees), altitude and accuracy (metres)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        names = (tr("Latitude"), tr("Longitude"), tr("Altitude (m)"), tr("Accuracy (m)"))
        self.edits: dict[str, QLineEdit] = {}
        number = QRegularExpression(r"-?[0-9]{0,5}([.,][0-9]{0,9})?")
        for key, name in zip(GEO_KEYS, names, strict=True):
            edit = QLineEdit(self)
            edit.setAccessibleName(name)
            edit.setValidator(QRegularExpressionValidator(number, edit))
            edit.setMaximumWidth(110)
            edit.textChanged.connect(self.changed)
            label = QLabel(name, self)  # stays in view once the box is filled
            label.setStyleSheet("color: #5F6B73;")
            label.setBuddy(edit)
            layout.addWidget(label)
            layout.addWidget(edit)
            self.edits[key] = edit
        layout.addStretch(1)
        self.setFocusProxy(self.edits["lat"])

    def value(self) -> Any:
        point: dict[str, Any] = {}
        for key, edit in self.edits.items():
            text = edit.text().strip().replace(",", ".")
            try:
                point[key] = float(text) if text not in ("", "-", ".") else None
            except ValueError:
                point[key] = None
        return point if any(v is not None for v in point.values()) else None

    def set_value(self, value: Any) -> None:
        point = value if isinstance(value, dict) else {}
        for key, edit in self.edits.items():
            v = point.get(key)
            edit.setText("" if v is None else degrees(v))


class PhotoEditor(FieldEditor):
    """The photo's file name, a button to choose it (stored at once), one to remove it."""

    def __init__(self, store: StorePhoto | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._value: dict[str, Any] | None = None
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # a name from a phone or a disk
        self.choose = QPushButton(tr("Choose photo…"), self)
        self.choose.setEnabled(store is not None)
        self.remove = QPushButton(tr("Remove"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.name, self.choose, self.remove):
            layout.addWidget(w)
        layout.addStretch(1)
        self.choose.clicked.connect(self._choose)
        self.remove.clicked.connect(lambda: self._set(None))
        self._set(None)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("Choose photo…"),
            "",
            tr("Photos (*.jpg *.jpeg *.png *.gif *.webp *.tif *.tiff);;All files (*)"),  # fmt: skip
        )
        if name and self.store is not None:
            self.attach(Path(name))

    def attach(self, path: Path) -> None:
        """Store the photo at `path` and show it as this field's value."""
        assert self.store is not None
        try:
            stored = self.store(path.name, read_photo(path))
        except (NotAPhoto, OSError) as exc:
            self.name.setText(str(exc))
            return
        self._set(stored)

    def _set(self, value: dict[str, Any] | None) -> None:
        self._value = value
        self.name.setText(str(value.get("filename")) if value else tr("No photo"))
        self.remove.setEnabled(value is not None)
        self.changed.emit()

    def value(self) -> Any:
        return dict(self._value) if self._value else None

    def set_value(self, value: Any) -> None:
        self._set(dict(value) if isinstance(value, dict) and value.get("filename") else None)
