"""Icons and fonts shipped in `resources/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ca_desktop.domain.i18n import resources_dir


def icons_dir() -> Path:
    return resources_dir() / "icons"


_ICON_COLOUR = "#3b82c4"


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `resources/icons/<name>.svg` (an empty icon when it is missing).

    Line icons are drawn in one blue; on a selected (highlighted) row they switch to
    white so they stay visible on the highlight colour.
    """
    path = icons_dir() / f"{name}.svg"
    if not path.exists():
        return QIcon()
    result = QIcon(str(path))
    svg = path.read_text(encoding="utf-8")
    if _ICON_COLOUR in svg:
        white = svg.replace(_ICON_COLOUR, "#ffffff").encode("utf-8")
        for size in (16, 24, 32, 48, 64):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            renderer = QSvgRenderer(white)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result


def app_icon() -> QIcon:
    return icon("app")


def load_bundled_fonts() -> list[str]:
    """Register the fonts in `resources/fonts/`; returns the families they provide.

    A bare system (a minimal Linux install, a CI container) may have no fonts at all, and
    Qt then draws empty boxes; the bundled DejaVu family guarantees readable text.
    """
    families: list[str] = []
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return sorted(set(families))
