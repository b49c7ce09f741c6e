"""Icons and fonts shipped in `resources/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontDatabase, QIcon

from ca_desktop.domain.i18n import resources_dir


def icons_dir() -> Path:
    return resources_dir() / "icons"


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `resources/icons/<name>.svg` (an empty icon when it is missing).

    Line icons are drawn in one blue; `<name>-selected.svg`, when present, is the white
    variant shown on a selected (highlighted) row, where blue would vanish.
    """
    path = icons_dir() / f"{name}.svg"
    if not path.exists():
        return QIcon()
    result = QIcon()
    result.addFile(str(path), QSize(), QIcon.Mode.Normal)
    selected = icons_dir() / f"{name}-selected.svg"
    if selected.exists():
        result.addFile(str(selected), QSize(), QIcon.Mode.Selected)
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
