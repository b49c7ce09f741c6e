"""The embedded Unicode fonts (DejaVu, shipped in resources/fonts).

The PDF core fonts cover Latin-1 only; names such as Ọlọ́runfẹ́mi or Nguyễn need a TrueType
font embedded in the file, so every form uses DejaVu and nothing else.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ca_desktop.forms.resources import fonts_dir

SANS = "CADejaVuSans"
BOLD = "CADejaVuSans-Bold"
MONO = "CADejaVuSansMono"

_FILES = {SANS: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}


@cache
def register_fonts() -> None:
    """Register the fonts with reportlab once per process (they are parsed on first use)."""
    directory = fonts_dir()
    for name, filename in _FILES.items():
        path = directory / filename
        if not path.exists():
            raise FileNotFoundError(2, "form font missing", str(path))
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=BOLD, italic=SANS, boldItalic=BOLD)
