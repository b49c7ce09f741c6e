"""Widgets that never make a window wider than a small laptop screen."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

MIN_CHARACTERS = 6


def narrow_combo(parent: QWidget | None = None) -> QComboBox:
    """A drop-down sized by a few characters, not by its longest (translated) item; the
    open list still shows items whole."""
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(MIN_CHARACTERS)
    return combo
