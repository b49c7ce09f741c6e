"""Pages follow `TaskManager.records_changed` instead of telling each other to reload.

A page names the record types it shows; when a finished write changed one of them, the
page reloads at once if it is on screen, or the next time it is shown, so pages hidden
behind others do no work for changes nobody sees yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from ca_desktop.gui.tasks import TaskManager


class ChangeFollower(QObject):
    """Calls `refresh` when records of the types in `shows` changed (None: any type)."""

    def __init__(
        self,
        page: QWidget,
        tasks: TaskManager,
        shows: Iterable[str] | None,
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(page)  # dies with the page, which disconnects it
        self.page, self.refresh = page, refresh
        self.shows = None if shows is None else frozenset(shows)
        self.stale = False
        tasks.records_changed.connect(self.changed)
        page.installEventFilter(self)

    def concerns(self, record_types: frozenset[str]) -> bool:
        return self.shows is None or bool(self.shows & record_types)

    def changed(self, record_types: frozenset[str]) -> None:
        if not shiboken6.isValid(self.page) or not self.concerns(record_types):
            return
        if self.page.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.page and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False


def job_key(owner: object, what: str) -> str:
    """A `TaskManager.run` key private to one widget, so two pages never supersede each
    other's loads (a page shown twice, e.g. in a test and in the window, stays correct)."""
    return f"{what}@{id(owner):x}"
