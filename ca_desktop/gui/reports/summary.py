"""The headline figures as a row of tiles; clicking one lists the records behind it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.reports.formatting import format_number
from ca_desktop.reports.indicators import HEADLINE, Figures

COLUMNS = 6  # at most; fewer when the page is narrow (a 1024-pixel laptop)
TILE_WIDTH = 150  # what a tile needs for a figure such as "43 675,00" and its button


class FigureTile(QFrame):
    def __init__(self, code: str, text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.code = code
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 4)
        layout.setSpacing(0)
        top = QHBoxLayout()
        self.value = QLabel("–", self)
        self.value.setFont(heading_font(self, 1.3))
        self.button = QToolButton(self)
        self.button.setText(tr("Show"))
        self.button.setAutoRaise(True)
        top.addWidget(self.value, 1)
        top.addWidget(self.button)
        self.caption = QLabel(text, self)
        self.caption.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.caption)


class FigureSummary(QWidget):
    """Emits `drill(code)` when the user asks for the records behind a figure."""

    drill = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.columns = COLUMNS
        self.tiles: dict[str, FigureTile] = {}
        for n, ind in enumerate(HEADLINE):
            tile = FigureTile(ind.code, tr(ind.label), self)
            tile.setToolTip(tr(ind.definition))
            tile.button.setAccessibleName(
                tr("Show the records behind: {figure}").format(figure=tr(ind.label))
            )
            tile.button.clicked.connect(lambda _c=False, code=ind.code: self.drill.emit(code))
            tile.setMinimumWidth(TILE_WIDTH // 2)  # the caption wraps; the page never widens
            self.tiles[ind.code] = tile
            grid.addWidget(tile, n // COLUMNS, n % COLUMNS)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Reflow the tiles into as many columns as fit (two rows of six on a wide screen)."""
        super().resizeEvent(event)
        columns = max(2, min(COLUMNS, event.size().width() // TILE_WIDTH))
        if columns == self.columns:
            return
        self.columns = columns
        for n, tile in enumerate(self.tiles.values()):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, n // columns, n % columns)

    def show_figures(self, figures: Figures) -> None:
        for ind in HEADLINE:
            decimals = 2 if ind.unit == "money" else 0
            self.tiles[ind.code].value.setText(
                format_number(figures.value(ind.code), decimals=decimals)
            )
