"""Keyboard focus helpers for fast data entry."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget


def _tab_target(start: QWidget, forward: bool) -> QWidget | None:
    widget: QWidget | None = start
    for _ in range(500):  # the focus chain is a ring; stop after one turn at most
        assert widget is not None
        widget = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
        if widget is None or widget is start:
            return None
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.window() is start.window()
            and (widget.focusProxy() is None)
        ):
            return widget
    return None


class TabLeavesField(QObject):
    """Tab and Shift+Tab leave the watched widgets instead of stepping inside them.

    A date box steps through its year, month and day on Tab, and while it shows "Not set"
    Tab never leaves it at all; someone typing a paper form expects Tab to go to the next
    field (the date box moves from year to month by itself as digits are typed).
    """

    def watch(self, widget: QWidget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and isinstance(obj, QWidget)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            target = _tab_target(obj, forward)
            if target is not None:
                target.setFocus(
                    Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
                )
                return True
        return super().eventFilter(obj, event)
