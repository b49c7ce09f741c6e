"""Paper shapes of the XLSForm types: a time or a date and time as one cell per digit
(`HH:MM`, `DD/MM/YYYY HH:MM`), a GPS point as latitude and longitude boxes, a photo as a
box for its number or file name (the photo itself is attached in CA Desktop).

Values from the database print in blue in the same shapes, one digit per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.fonts import SANS
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import BOX_H, FAINT, HINT, INK, VALUE_SIZE, box, fit
from ca_desktop.forms.typed_values import GEO_KEYS, degrees, show

CELL_W = 14.0  # one handwritten digit


Draw = Callable[[Canvas, float, float], None]  # (canvas, x, top)
Shape = tuple[float, Draw]  # height and drawing: what `blocks.Block` is made of


def typed_shape(f: FieldDef, value: Any, lang: str, width: float) -> Shape:
    if f.type == "time":
        return _cells(tr("time_cells", lang), _digits(value), width)
    if f.type == "datetime":
        return _cells(tr("datetime_cells", lang), _digits(show("datetime", value)), width)
    if f.type == "geopoint":
        return _geopoint(value, lang, width)
    return _photo(show("image", value), lang, width)


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def _cells(pattern: str, digits: str, width: float) -> Shape:
    """A box per letter of `pattern` (its letters faint inside), separators between."""
    letters = sum(1 for ch in pattern if ch.isalpha())
    cell = min(CELL_W, max(8.0, (width - 6 * len(pattern)) / max(letters, 1)))

    def draw(c: Canvas, x: float, top: float) -> None:
        y = top - BOX_H
        filled = iter(digits)
        for ch in pattern:
            if ch.isalpha():
                box(c, x, y, cell, BOX_H)
                digit = next(filled, "")
                c.setFont(SANS, VALUE_SIZE if digit else 6.5)
                c.setFillColor(INK if digit else FAINT)
                c.drawCentredString(x + cell / 2, y + (6.5 if digit else 7.5), digit or ch)
                x += cell
            else:
                c.setFillColor(HINT)
                c.setFont(SANS, 10)
                gap = 8.0 if ch != " " else 10.0
                c.drawCentredString(x + gap / 2, y + 7, ch.strip())
                x += gap

    return BOX_H, draw


def _geopoint(value: Any, lang: str, width: float) -> Shape:
    point = value if isinstance(value, dict) else {}
    half = (width - 10) / 2
    labels = (tr("latitude", lang), tr("longitude", lang))
    texts = [degrees(point.get(k)) if point.get(k) is not None else "" for k in GEO_KEYS[:2]]
    height = BOX_H + 10

    def draw(c: Canvas, x: float, top: float) -> None:
        for i, (label, text) in enumerate(zip(labels, texts, strict=True)):
            left = x + i * (half + 10)
            box(c, left, top - BOX_H, half, BOX_H)
            c.setFillColor(HINT)
            c.setFont(SANS, 7)
            c.drawString(left + 4, top - 8, label)
            if text:
                c.setFillColor(INK)
                c.setFont(SANS, VALUE_SIZE)
                c.drawRightString(left + half - 5, top - BOX_H + 6.5, text)
        c.setFillColor(FAINT)
        c.setFont(SANS, 6.5)
        c.drawString(x + 2, top - BOX_H - 8, fit(tr("geo_hint", lang), SANS, 6.5, width))

    return height, draw


def _photo(name: str, lang: str, width: float) -> Shape:
    def draw(c: Canvas, x: float, top: float) -> None:
        box(c, x, top - BOX_H, width, BOX_H)
        c.setFont(SANS, VALUE_SIZE if name else 7.5)
        c.setFillColor(INK if name else FAINT)
        text = name or tr("photo_hint", lang)
        c.drawString(
            x + 6, top - BOX_H + 7, fit(text, SANS, VALUE_SIZE if name else 7.5, width - 12)
        )

    return BOX_H, draw
