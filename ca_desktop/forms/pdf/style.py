"""Colours, sizes and the small drawing helpers every printed element shares."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from ca_desktop.forms.pdf.fonts import BOLD, SANS

TEAL = HexColor("#0B5563")
TEAL_LIGHT = HexColor("#E4EFF1")
ROW_SHADE = HexColor("#F5F8F9")
BORDER = HexColor("#7D8B94")
HINT = HexColor("#6A7780")
FAINT = HexColor("#B4BEC4")
# Letters and bands to circle in register cells: read after a photocopy of a photocopy,
# which drops light greys, so as dark as the hint text (luminance under 0.45).
CIRCLE_HINT = HexColor("#59656D")
TEXT = HexColor("#1E272C")
INK = HexColor("#163A8C")  # values printed from the database: "typed", not handwritten
WHITE = HexColor("#FFFFFF")

LABEL_SIZE = 8.4
HELP_SIZE = 7.0
VALUE_SIZE = 9.4
BOX_H = 21.0  # one handwriting line: 7.4 mm
LINE_H = 19.0  # ruled lines of long text
GAP = 14.0  # between half-width columns
FIELD_SPACE = 7.0  # below each field


@lru_cache(maxsize=4096)
def wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(simpleSplit(para, font, size, width) or [""])
    return tuple(lines)


def width_of(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def fit(text: str, font: str, size: float, width: float) -> str:
    """Cut a one-line text to fit a width, with an ellipsis."""
    if width_of(text, font, size) <= width:
        return text
    while text and width_of(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def box(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    c.setStrokeColor(BORDER)
    c.setLineWidth(0.6)
    c.rect(x, y, w, h, stroke=1, fill=0)


def tick(c: Canvas, x: float, y: float, size: float, checked: bool, round_: bool) -> None:
    """A tick box at (x, y) bottom-left; round for one-of-many, square for many."""
    c.setStrokeColor(BORDER)
    c.setLineWidth(0.7)
    if round_:
        c.circle(x + size / 2, y + size / 2, size / 2, stroke=1, fill=0)
        if checked:
            c.setFillColor(INK)
            c.circle(x + size / 2, y + size / 2, size / 2 - 2, stroke=0, fill=1)
    else:
        c.rect(x, y, size, size, stroke=1, fill=0)
        if checked:
            c.setStrokeColor(INK)
            c.setLineWidth(1.4)
            path = c.beginPath()
            path.moveTo(x + 1.8, y + size * 0.5)
            path.lineTo(x + size * 0.42, y + 1.8)
            path.lineTo(x + size - 1.5, y + size - 1.5)
            c.drawPath(path, stroke=1, fill=0)


def text_lines(
    c: Canvas,
    x: float,
    top: float,
    lines: tuple[str, ...],
    font: str,
    size: float,
    color: object,
    leading: float,
) -> None:
    c.setFillColor(color)
    c.setFont(font, size)
    y = top - size
    for line in lines:
        c.drawString(x, y, line)
        y -= leading


def label_lines(label: str, required: bool, width: float) -> tuple[str, ...]:
    return wrap(label + (" *" if required else ""), BOLD, LABEL_SIZE, width)


def help_lines(text: str, width: float) -> tuple[str, ...]:
    return wrap(text, SANS, HELP_SIZE, width)
