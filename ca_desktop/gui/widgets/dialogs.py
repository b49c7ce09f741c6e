"""Small questions asked the same way everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


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
