"""Helpers for driving record editors, whose saves run off the GUI thread."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication

from ca_desktop.gui.editors.base import RecordEditor


def wait_saved(editor: RecordEditor, timeout: float = 10.0) -> None:
    """Process events until the editor's save (if one runs) has ended, or fail."""
    deadline = time.monotonic() + timeout
    while editor.saving:
        if time.monotonic() > deadline:
            raise AssertionError("the save did not end in time")
        QApplication.processEvents()
        time.sleep(0.002)
    QApplication.processEvents()
