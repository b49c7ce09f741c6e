"""Full-page panels: an empty state with an action, and "coming with <feature>"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.resources import icon


def heading_font(widget: QWidget, scale: float = 1.5, bold: bool = True) -> QFont:
    """The widget's font, larger: sizes follow the system font instead of fixed pixels."""
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    else:
        font.setPixelSize(max(1, round(font.pixelSize() * scale)))
    font.setBold(bold)
    return font


class EmptyState(QFrame):
    """A calm, centred message for a list with nothing in it, with an optional action."""

    action_clicked = Signal()

    def __init__(
        self,
        title: str,
        text: str,
        action: str | None = None,
        icon_name: str = "empty",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        picture = QLabel(self)
        size = self.fontMetrics().height() * 4
        picture.setPixmap(icon(icon_name).pixmap(size, size))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        self.title = QLabel(title, self)
        self.title.setFont(heading_font(self, 1.4))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.text = QLabel(text, self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A wrapped, centred label collapses to its narrowest size hint and cuts its text
        # off: give it a reading width and the height that width needs.
        width = self.fontMetrics().averageCharWidth() * 64
        self.text.setMinimumWidth(width)
        self.text.setMaximumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.text.setMinimumHeight(self.text.heightForWidth(width))
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button: QPushButton | None = None
        if action:
            self.button = QPushButton(action, self)
            self.button.clicked.connect(self.action_clicked)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class ComingPanel(QWidget):
    """A page whose feature is not built yet: says what it will do, never looks broken.

    Follows the page contract (`refresh`, `data_changed`) so the window treats it like
    any other page. Each point reads "Title: what it does".
    """

    data_changed = Signal()

    def __init__(
        self,
        title: str,
        summary: str,
        points: Sequence[str] = (),
        icon_name: str = "empty",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        outer = QHBoxLayout(self)
        column = QWidget(self)
        char = self.fontMetrics().averageCharWidth()
        column.setFixedWidth(char * 76)
        outer.addStretch(1)
        outer.addWidget(column)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.addStretch(1)
        picture = QLabel(column)
        size = self.fontMetrics().height() * 5
        picture.setPixmap(icon(icon_name).pixmap(size, size))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        heading = QLabel(title, column)
        heading.setFont(heading_font(self, 1.6))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        badge = QLabel(tr("Coming in a next version"), column)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge.setFont(heading_font(self, 1.0))
        badge.setStyleSheet("color: palette(highlight);")
        layout.addWidget(badge)
        body = QLabel(summary, column)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(body)
        layout.addSpacing(self.fontMetrics().height())
        for point in points:
            name, _, text = point.partition(": ")
            card = QFrame(column)
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card_layout = QVBoxLayout(card)
            card_title = QLabel(name, card)
            card_title.setFont(heading_font(self, 1.05))
            card_text = QLabel(text[:1].upper() + text[1:], card)
            card_text.setWordWrap(True)
            card_layout.addWidget(card_title)
            card_layout.addWidget(card_text)
            layout.addWidget(card)
        layout.addStretch(2)

    def refresh(self) -> None:
        """Nothing to reload: the panel shows fixed text."""
