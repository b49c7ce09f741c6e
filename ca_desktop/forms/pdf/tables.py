"""Grids on paper: the participants grid (sex by youth) and repeating tables.

Repeating tables run over as many pages as their rows need, repeat their header on each
page and close each page with that page's totals, so a stack of register sheets can be
added up by hand and checked against the typed-in figures.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.records import participant_field
from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.blocks import Block, Ctx, caption, caption_height, draw_caption
from ca_desktop.forms.pdf.fonts import BOLD, SANS
from ca_desktop.forms.pdf.page import Flow
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import (
    BORDER,
    CIRCLE_HINT,
    HINT,
    INK,
    ROW_SHADE,
    TEAL_LIGHT,
    TEXT,
    VALUE_SIZE,
    box,
    fit,
    tick,
    width_of,
    wrap,
)
from ca_desktop.forms.pdf.values_fmt import display, number

CELL_H = 20.0
SEXES = (Sex.FEMALE, Sex.MALE, Sex.NOT_RECORDED)


def participants_block(f: FieldDef, value: Any, ctx: Ctx, width: float) -> Block:
    labels, hints = caption(f, ctx, width)
    head = caption_height(labels, hints)
    counts = value if isinstance(value, dict) else {}
    known = any(v is not None for v in counts.values())
    lang = ctx.lang
    grid_w = min(width, 400.0)
    label_w = grid_w * 0.37
    col_w = (grid_w - label_w) / 3
    header_h = 15.0
    rows = [tr(s.value, lang) for s in SEXES] + [tr("total", lang)]
    cols = [tr("youth", lang), tr("other_ages", lang), tr("total", lang)]

    def cell(sex_i: int, col: int) -> str:
        if not known:
            return ""
        sexes = SEXES if sex_i == 3 else (SEXES[sex_i],)
        youths = (True, False) if col == 2 else (col == 0,)
        total = sum(int(counts.get(participant_field(s, y)) or 0) for s in sexes for y in youths)
        return number(total, lang)

    def draw(c: Canvas, x: float, top: float) -> None:
        top = draw_caption(c, x, top, labels, hints)
        c.setFillColor(TEAL_LIGHT)
        c.rect(x + label_w, top - header_h, col_w * 3, header_h, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.setFont(BOLD, 7.6)
        for i, name in enumerate(cols):
            c.drawCentredString(x + label_w + col_w * (i + 0.5), top - header_h + 4.5, name)
        y = top - header_h
        for r, name in enumerate(rows):
            y -= CELL_H
            c.setFillColor(TEXT)
            c.setFont(BOLD if r == 3 else SANS, 8)
            c.drawString(x + 2, y + 6.5, fit(name, SANS, 8, label_w - 4))
            for col in range(3):
                cx = x + label_w + col * col_w
                if r == 3 or col == 2:
                    c.setFillColor(ROW_SHADE)
                    c.rect(cx, y, col_w, CELL_H, stroke=0, fill=1)
                box(c, cx, y, col_w, CELL_H)
                text = cell(r, col)
                if text:
                    c.setFillColor(INK)
                    c.setFont(BOLD if r == 3 or col == 2 else SANS, VALUE_SIZE)
                    c.drawCentredString(cx + col_w / 2, y + 6.5, text)

    return Block(head + header_h + 4 * CELL_H, draw)


def place_table(
    flow: Flow, f: FieldDef, value: Any, ctx: Ctx, x: float, width: float, fill_page: bool
) -> None:
    rows: list[dict[str, Any]] = [r for r in (value or []) if isinstance(r, dict)]
    lang = ctx.lang
    labels, hints = caption(f, ctx, width)
    head = caption_height(labels, hints)
    no_w = 22.0
    unit = (width - no_w) / sum(col.col_width for col in f.columns)
    widths = [col.col_width * unit for col in f.columns]
    col_labels = [
        wrap(col.label.get(lang), BOLD, 7.0, w - 4)[:3]
        for col, w in zip(f.columns, widths, strict=True)
    ]
    header_h = max(len(lines) for lines in col_labels) * 8.2 + 7
    totals_h = CELL_H + 4 if f.totals else 0.0
    # Numbered on from page to page, so a long register reads as one list.
    wanted = max(f.rows, ctx.rows, len(rows) + (3 if rows else 0))
    printed: list[dict[str, Any] | None] = list(rows) + [None] * (wanted - len(rows))

    def draw_header(c: Canvas, top: float) -> None:
        c.setFillColor(TEAL_LIGHT)
        c.rect(x, top - header_h, width, header_h, stroke=0, fill=1)
        box(c, x, top - header_h, width, header_h)
        c.setFillColor(TEXT)
        c.setFont(BOLD, 7.0)
        c.drawString(x + 3, top - 10, tr("no_col", lang))
        cx = x + no_w
        for lines, w in zip(col_labels, widths, strict=True):
            c.setStrokeColor(BORDER)
            c.line(cx, top, cx, top - header_h)
            yy = top - 10
            for line in lines:
                c.drawString(cx + 3, yy, line)
                yy -= 8.2
            cx += w

    def draw_row(c: Canvas, top: float, n: int, row: dict[str, Any] | None) -> None:
        if n % 2 == 0:
            c.setFillColor(ROW_SHADE)
            c.rect(x, top - CELL_H, width, CELL_H, stroke=0, fill=1)
        box(c, x, top - CELL_H, width, CELL_H)
        c.setFillColor(HINT)
        c.setFont(SANS, 7)
        c.drawRightString(x + no_w - 4, top - CELL_H + 7, str(n))
        cx = x + no_w
        for col, w in zip(f.columns, widths, strict=True):
            c.setStrokeColor(BORDER)
            c.setLineWidth(0.6)
            c.line(cx, top, cx, top - CELL_H)
            _cell(c, col, None if row is None else row.get(col.name), cx, top, w, lang, ctx)
            cx += w

    def close_part(part: list[dict[str, Any] | None]) -> None:
        if not f.totals:
            return
        filled = [r for r in part if r is not None]

        def draw(c: Canvas, top: float) -> None:
            _draw_totals(c, f, filled if rows else None, x, top - 4, width, lang)

        flow.place(totals_h, draw)

    whole = head + header_h + CELL_H * len(printed) + totals_h
    # A short table moves to the next page whole rather than leaving two rows behind.
    flow.ensure(whole if whole <= flow.page_height / 3 else head + header_h + CELL_H * 2 + totals_h)
    flow.place(head, lambda c, top: draw_caption(c, x, top, labels, hints))
    flow.place(header_h, draw_header)
    part: list[dict[str, Any] | None] = []
    n = flow.next_row - 1

    def add_row(row: dict[str, Any] | None) -> None:
        nonlocal n, part
        if flow.room < CELL_H + totals_h:
            close_part(part)
            part = []
            flow.new_page()
            flow.place(header_h, draw_header)
        n += 1
        number_ = n
        flow.place(CELL_H, lambda c, top: draw_row(c, top, number_, row))
        part.append(row)

    for row in printed:
        add_row(row)
    if fill_page:
        while flow.room >= CELL_H + totals_h:
            add_row(None)
    close_part(part)
    flow.next_row = n + 1
    flow.y -= 6


def _cell(
    c: Canvas, col: FieldDef, value: Any, x: float, top: float, w: float, lang: str, ctx: Ctx
) -> None:
    base = top - CELL_H + 6.5
    if col.type == "yesno":
        size = 8.0
        tick(c, x + (w - size) / 2, top - CELL_H + 6, size, value is True, False)
        return
    if col.type == "choice" and value in (None, ""):
        shorts = [
            (ch.short or ch.label).get(lang) for ch in col.choices if ch.value != "not_recorded"
        ]
        c.setFillColor(CIRCLE_HINT)
        c.setFont(SANS, 7.0)
        step = w / len(shorts)
        for i, s in enumerate(shorts):
            c.drawCentredString(x + step * (i + 0.5), base + 0.5, s)
        return
    text = display(col, value, lang, ctx.titles, short=True)
    if text:
        c.setFillColor(INK)
        c.setFont(SANS, 8.6)
        c.drawString(x + 3, base, fit(text, SANS, 8.6, w - 6))


def _draw_totals(
    c: Canvas,
    f: FieldDef,
    rows: list[dict[str, Any]] | None,
    x: float,
    top: float,
    width: float,
    lang: str,
) -> None:
    c.setFillColor(TEXT)
    c.setFont(BOLD, 7.8)
    label = tr("page_totals", lang)
    c.drawString(x, top - CELL_H + 7, label)
    cx = x + width_of(label, BOLD, 7.8) + 14
    for t in f.totals:
        name = t.label.get(lang)
        c.setFillColor(TEXT)
        c.setFont(SANS, 7.8)
        c.drawString(cx, top - CELL_H + 7, name)
        cx += width_of(name, SANS, 7.8) + 5
        box(c, cx, top - CELL_H + 1, 38, CELL_H - 2)
        if rows is not None:
            c.setFillColor(INK)
            c.setFont(BOLD, VALUE_SIZE)
            c.drawCentredString(cx + 19, top - CELL_H + 7, number(t.compute(rows), lang))
        cx += 38 + 14
