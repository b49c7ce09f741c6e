"""Page geometry, the flow that fills pages, and the header and footer of every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from ca_desktop.forms.pdf.fonts import BOLD, MONO, SANS
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import BORDER, HINT, TEAL, TEXT, fit, wrap
from ca_desktop.forms.qr import FormRef, qr_matrix

Op = Callable[[Canvas], object]

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 34.0
QR_SIZE = (
    64.0  # decodes from a 200 dpi photo blurred by 2 px (tests/forms/test_paper_legibility.py)
)
HEADER_H = 72.0
FOOTER_H = 26.0


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float

    @classmethod
    def for_paper(cls, paper: str, orientation: str = "portrait") -> Geometry:
        size = PAPERS[paper]
        w, h = landscape(size) if orientation == "landscape" else size
        return cls(float(w), float(h))

    @property
    def left(self) -> float:
        return MARGIN

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def top(self) -> float:
        return self.height - MARGIN - HEADER_H

    @property
    def bottom(self) -> float:
        return MARGIN + FOOTER_H


@dataclass
class Flow:
    """Places blocks top to bottom, starting a new page when one does not fit."""

    geo: Geometry
    pages: list[list[Op]] = field(default_factory=lambda: [[]])
    y: float = 0.0
    next_row: int = 1  # the number of the next table row (blank copies number on)

    def __post_init__(self) -> None:
        self.y = self.geo.top

    @property
    def room(self) -> float:
        return self.y - self.geo.bottom

    @property
    def page_height(self) -> float:
        return self.geo.top - self.geo.bottom

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.geo.top

    def ensure(self, height: float) -> None:
        if height > self.room and self.y < self.geo.top:
            self.new_page()

    def place(self, height: float, draw: Callable[[Canvas, float], object]) -> None:
        """Reserve `height` at the cursor (new page if needed) and draw there later."""
        self.ensure(height)
        top = self.y
        self.pages[-1].append(lambda c: draw(c, top))
        self.y -= height


@dataclass(frozen=True)
class Header:
    title: str
    code: str
    version: str
    lang: str
    programme: str
    subtitle: str
    ref: FormRef
    printed_on: dt.date


def draw_header(c: Canvas, geo: Geometry, h: Header) -> None:
    x, top, w = geo.left, geo.height - MARGIN, geo.content_width
    text_w = w - QR_SIZE - 14
    c.setFillColor(TEAL)
    c.setFont(BOLD, 7.6)
    c.drawString(x, top - 8, "CITIES ALLIANCE")
    if h.programme:
        c.setFillColor(HINT)
        c.setFont(SANS, 7.6)
        c.drawString(x + 78, top - 8, fit(h.programme, SANS, 7.6, text_w - 78))
    title_lines = wrap(h.title, BOLD, 15, text_w)[:2]
    size = 15.0 if len(title_lines) == 1 else 12.5
    title_lines = wrap(h.title, BOLD, size, text_w)[:2]
    c.setFillColor(TEXT)
    c.setFont(BOLD, size)
    y = top - 13 - size
    for line in title_lines:
        c.drawString(x, y, line)
        y -= size + 2
    meta = f"{h.code}  ·  {tr('version', h.lang, v=h.version)}  ·  {_language(h.lang)}"
    c.setFont(BOLD, 8)
    c.setFillColor(TEAL)
    c.drawString(x, top - 58, meta)
    if h.subtitle:
        meta_w = c.stringWidth(meta, BOLD, 8)
        c.setFont(SANS, 8)
        c.setFillColor(TEXT)
        c.drawString(x + meta_w + 14, top - 58, fit(h.subtitle, SANS, 8, text_w - meta_w - 14))
    draw_qr(c, x + w - QR_SIZE, top - QR_SIZE, QR_SIZE, h.ref.payload())
    c.setStrokeColor(TEAL)
    c.setLineWidth(1.6)
    c.line(x, top - HEADER_H + 6, x + w, top - HEADER_H + 6)


def draw_footer(c: Canvas, geo: Geometry, h: Header, page: int, total: int) -> None:
    x, w, y = geo.left, geo.content_width, MARGIN
    c.setStrokeColor(BORDER)
    c.setLineWidth(0.5)
    c.line(x, y + 19, x + w, y + 19)
    c.setFillColor(TEXT)
    c.setFont(MONO, 7.2)
    ident = (
        f"{tr('record', h.lang)} ID: {h.ref.record_id}" if h.ref.record_id else tr("blank", h.lang)
    )
    c.drawString(x, y + 9, ident)
    c.setFillColor(HINT)
    c.setFont(SANS, 6.6)
    printed = tr("printed", h.lang, date=h.printed_on.strftime("%d/%m/%Y"))
    c.drawString(x, y, f"{h.code} v{h.version}  ·  {printed}  ·  {tr('type_in', h.lang)}")
    c.setFillColor(TEXT)
    c.setFont(BOLD, 8)
    c.drawRightString(x + w, y + 5, tr("page", h.lang, n=page, total=total))


def draw_qr(c: Canvas, x: float, y: float, size: float, payload: str) -> None:
    """Vector QR, sharp at any printer resolution: one filled rectangle per run of dark
    modules, in module units, written as raw path operators (cached per payload) because
    a batch of a thousand forms draws hundreds of thousands of them."""
    n = len(qr_matrix(payload))
    quiet = 2  # modules of white around it (the page margin adds more)
    cell = size / (n + 2 * quiet)
    c.saveState()
    c.setFillColor(TEXT)
    c.transform(cell, 0, 0, cell, x + quiet * cell, y + quiet * cell)
    c.addLiteral(_qr_path(payload))
    c.restoreState()


@lru_cache(maxsize=64)
def _qr_path(payload: str) -> str:
    matrix = qr_matrix(payload)
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        yy = n - 1 - r
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                # 1.02 high: neighbouring rows overlap a hair, so no white seams at any zoom
                ops.append(f"{start} {yy} {col - start} 1.02 re")
            else:
                col += 1
    return "\n".join(ops) + "\nf"


def _language(lang: str) -> str:
    """The language's own name, or the code of a form language the app does not speak."""
    return tr("language", lang) if lang in ("en", "fr", "es", "pt") else lang.upper()
