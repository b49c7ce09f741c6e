"""Small questions asked the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.tasks import TaskManager

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop


def ask_to_delete(parent: QWidget, title: str, text: str) -> bool:
    """Yes/No, with No as the default: Enter pressed by habit must not delete anything."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def delete_in_background(
    parent: QWidget,
    tasks: TaskManager,
    app: CaDesktop,
    record_type: str,
    record_id: str,
    title: str,
    failed: Callable[[], None] | None = None,
) -> None:
    """Write the deletion on the writer thread; say so in a box titled `title` if it fails.

    Pages refresh from the runner's `records_changed` once it is written."""

    def tell(exc: BaseException) -> None:
        if failed is not None:
            failed()
        if shiboken6.isValid(parent):
            reason = str(exc) or type(exc).__name__
            QMessageBox.warning(parent, title, tr("Not done: {reason}").format(reason=reason))

    tasks.run(
        lambda _progress: app.delete(record_type, record_id),
        on_error=tell,
        write=True,
        changes={record_type},
    )
