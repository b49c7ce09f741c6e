"""The mark a record in conflict carries in every list: an icon and a tooltip that say so.

One helper for every table model, so a record with more than one head looks the same on
every page (the same rule `RecordView.heads > 1` the conflict review lists).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle

from ca_desktop.domain.i18n import tr


def conflict_tooltip() -> str:
    return tr(
        "In conflict: two people changed this record. Open Sync › Review conflicts to decide."
    )


def badge(role: int, heads: int) -> Any:
    """What the badged column returns for `role`, or None when the role is not the badge's."""
    if heads <= 1:
        return None
    if role == Qt.ItemDataRole.DecorationRole:
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    if role == Qt.ItemDataRole.ToolTipRole:
        return conflict_tooltip()
    return None


def pending_tooltip() -> str:
    return tr(
        "Pending coordinator review: your change of this record is a proposal until your "
        "coordinator accepts it."
    )


def pending_badge(role: int) -> Any:
    """The mark of an officer's change waiting for the coordinator (issue 11)."""
    if role == Qt.ItemDataRole.DecorationRole:
        return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
    if role == Qt.ItemDataRole.ToolTipRole:
        return pending_tooltip()
    return None
