"""Widgets that never make a window wider than a small laptop screen."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QComboBox, QLayout, QWidget

MIN_CHARACTERS = 6


def narrow_combo(parent: QWidget | None = None) -> QComboBox:
    """A drop-down sized by a few characters, not by its longest (translated) item; the
    open list still shows items whole."""
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(MIN_CHARACTERS)
    return combo


class ReflowColumns(QWidget):
    """Two or more columns side by side on a wide screen, one above the other when the
    width does not allow them (a 1024-pixel laptop), so a page never needs more width
    than the screen has. Columns are layouts added with `add_column`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self._columns: list[QWidget] = []

    def add_column(self, layout: QLayout, stretch: int = 1) -> None:
        holder = QWidget(self)
        layout.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(layout)
        self._columns.append(holder)
        self.box.addWidget(holder, stretch)

    def _side_by_side_width(self) -> int:
        widths = [c.minimumSizeHint().width() for c in self._columns]
        return sum(widths) + self.box.spacing() * max(len(widths) - 1, 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        narrowest = max((c.minimumSizeHint().width() for c in self._columns), default=0)
        return QSize(narrowest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wide = event.size().width() >= self._side_by_side_width()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.box.direction() != direction:
            self.box.setDirection(direction)
