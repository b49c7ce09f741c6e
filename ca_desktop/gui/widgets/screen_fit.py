"""Dialogs open within the screen: a 1024×600 netbook must see the buttons at the bottom.

A dialog states the size it would like (`fit_to_screen(dialog, w, h)`); it gets that much
of the screen it is on, less room for the window manager's title bar and a panel.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR = 40  # above a dialog; not part of the size Qt gives it
MARGIN = 16


def available_area(widget: QWidget) -> QRect:
    """The free part of the screen `widget` is on (the primary screen before it is shown)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 600)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to `width`×`height`, or less when the screen is smaller."""
    area = available_area(widget)
    widget.resize(min(width, area.width() - MARGIN), min(height, area.height() - TITLE_BAR))
