"""Icons and fonts shipped in `resources/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QIcon

from ca_desktop.domain.i18n import resources_dir


def icons_dir() -> Path:
    return resources_dir() / "icons"


@cache
def icon(name: str) -> QIcon:
    """The SVG icon `resources/icons/<name>.svg` (an empty icon when it is missing)."""
    path = icons_dir() / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


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
