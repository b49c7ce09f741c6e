"""Labels, message boxes and tooltips that show outside text literally.

Qt guesses whether a label's text is HTML (`Qt.AutoText`): a name such as
`<b>FAKE</b><img src=x>` in a key file would be drawn as markup, able to fake a
fingerprint or hide the real one. Anything that can hold a string from outside (key
names, bundle senders, record text, file names, form titles) goes through these helpers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

_Button = QMessageBox.StandardButton


def plain(*labels: QLabel) -> None:
    """Show these labels' text literally, never as markup."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    plain(label)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` literally (tooltips are markup whenever they look like it)."""
    return QtGui.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal) if text else ""


def message_box(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
    buttons: _Button = _Button.Ok,
    default: _Button = _Button.Ok,
) -> QMessageBox:
    """A message box whose text is plain (the static QMessageBox helpers guess markup)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDefaultButton(default)
    return box


def ask_plain(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No with No as the default, the text shown literally."""
    box = message_box(
        parent, title, text, QMessageBox.Icon.Question, _Button.Yes | _Button.No, _Button.No
    )
    return box.exec() == _Button.Yes


def tell_plain(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> None:
    message_box(parent, title, text, icon).exec()
