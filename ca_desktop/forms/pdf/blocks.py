"""Printed fields: each measures itself for a width and draws at a position.

Boxes are sized for handwriting (a line is 7.4 mm high); values from the database are
printed in blue inside the same boxes, so a filled form can still be corrected by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from ca_desktop.forms.expr_text import describe
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.pdf.fonts import BOLD, SANS
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import (
    BOX_H,
    FAINT,
    HELP_SIZE,
    HINT,
    INK,
    LABEL_SIZE,
    LINE_H,
    TEXT,
    VALUE_SIZE,
    box,
    fit,
    help_lines,
    label_lines,
    text_lines,
    tick,
    width_of,
    wrap,
)
from ca_desktop.forms.pdf.typed_blocks import typed_shape
from ca_desktop.forms.pdf.values_fmt import Titles, display

Draw = Callable[[Canvas, float, float], None]  # (canvas, x, top)


@dataclass(frozen=True)
class Ctx:
    form: FormDef
    lang: str
    titles: Titles
    rows: int = 0  # at least this many lines in each table (a 60-person forum's register)


@dataclass(frozen=True)
class Block:
    height: float
    draw: Draw


def caption(f: FieldDef, ctx: Ctx, width: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Label lines and grey hint lines (help, tick instructions, relevance)."""
    lang = ctx.lang
    hints = []
    if f.help:
        hints.append(f.help.get(lang))
    if f.type == "multichoice" and tr("tick_all", lang) not in hints:
        hints.append(tr("tick_all", lang))  # unless the form's own help already says it
    if f.relevant is not None:
        hints.append(relevance_hint(f, ctx))
    if f.relevant_expr is not None:
        condition = describe(f.relevant_expr, ctx.form, lang)
        hints.append(tr("only_if_expr", lang, condition=condition))
    if f.choice_filter is not None:
        condition = describe(f.choice_filter, ctx.form, lang)
        hints.append(tr("choices_if", lang, condition=condition))
    if f.constraint is not None and f.constraint_message is not None:
        hints.append(f.constraint_message.get(lang))
    labels = label_lines(f.label.get(lang), f.required, width)
    return labels, help_lines("  ".join(hints), width) if hints else ()


def relevance_hint(f: FieldDef, ctx: Ctx) -> str:
    rel = f.relevant
    assert rel is not None
    other = ctx.form.field(rel.field)
    name = other.label.get(ctx.lang)
    if rel.filled:
        return tr("only_if", ctx.lang, field=name, values=tr("filled", ctx.lang))
    shown = [display(other, v, ctx.lang, ctx.titles) for v in rel.values]
    return tr("only_if", ctx.lang, field=name, values=tr("or", ctx.lang).join(shown))


def caption_height(labels: tuple[str, ...], hints: tuple[str, ...]) -> float:
    return len(labels) * (LABEL_SIZE + 2) + len(hints) * (HELP_SIZE + 1.6) + 3


def draw_caption(
    c: Canvas, x: float, top: float, labels: tuple[str, ...], hints: tuple[str, ...]
) -> float:
    text_lines(c, x, top, labels, BOLD, LABEL_SIZE, TEXT, LABEL_SIZE + 2)
    top -= len(labels) * (LABEL_SIZE + 2)
    if hints:
        text_lines(c, x, top, hints, SANS, HELP_SIZE, HINT, HELP_SIZE + 1.6)
        top -= len(hints) * (HELP_SIZE + 1.6)
    return top - 3


def field_block(f: FieldDef, value: Any, ctx: Ctx, width: float) -> Block:
    """A whole field (caption and body) that is never split across pages."""
    labels, hints = caption(f, ctx, width)
    body = body_block(f, value, ctx, width)
    head = caption_height(labels, hints)

    def draw(c: Canvas, x: float, top: float) -> None:
        body.draw(c, x, draw_caption(c, x, top, labels, hints))

    return Block(head + body.height, draw)


def body_block(f: FieldDef, value: Any, ctx: Ctx, width: float) -> Block:
    kind = f.type
    if kind in ("choice", "multichoice", "yesno"):
        return _choices_block(f, value, ctx, width)
    if kind == "signature":
        return _signature_block(bool(value), width)
    if kind == "longtext":
        return lines_block(f, value, width)
    if kind in ("time", "datetime", "geopoint", "image"):
        return Block(*typed_shape(f, value, ctx.lang, width))
    text = display(f, value, ctx.lang, ctx.titles)
    unit = f.unit.get(ctx.lang) if f.unit else ""
    hint = tr("date_hint", ctx.lang) if kind == "date" and not text else ""

    def draw(c: Canvas, x: float, top: float) -> None:
        box(c, x, top - BOX_H, width, BOX_H)
        if hint:
            c.setFillColor(FAINT)
            c.setFont(SANS, 7.5)
            c.drawString(x + 6, top - BOX_H + 7, hint)
        if unit:
            c.setFillColor(HINT)
            c.setFont(SANS, 8)
            c.drawRightString(x + width - 5, top - BOX_H + 7, unit)
        if text:
            c.setFillColor(INK)
            c.setFont(SANS, VALUE_SIZE)
            room = width - 10 - (width_of(unit, SANS, 8) + 6 if unit else 0)
            c.drawString(x + 5, top - BOX_H + 6.5, fit(text, SANS, VALUE_SIZE, room))

    return Block(BOX_H, draw)


def value_lines(value: Any, width: float) -> tuple[str, ...]:
    return wrap(str(value), SANS, VALUE_SIZE, width - 10) if value else ()


def lines_block(
    f: FieldDef,
    value: Any,
    width: float,
    lines: tuple[str, ...] | None = None,
    first: int = 0,
    count: int | None = None,
) -> Block:
    """Ruled lines for long text; `first`/`count` print a slice when it runs over pages."""
    lines = value_lines(value, width) if lines is None else lines
    total = max(f.lines, len(lines))
    count = total - first if count is None else count

    def draw(c: Canvas, x: float, top: float) -> None:
        box(c, x, top - count * LINE_H, width, count * LINE_H)
        c.setStrokeColor(FAINT)
        c.setLineWidth(0.4)
        c.setDash(1, 2)
        for i in range(1, count):
            y = top - i * LINE_H
            c.line(x + 4, y, x + width - 4, y)
        c.setDash()
        c.setFillColor(INK)
        c.setFont(SANS, VALUE_SIZE)
        for i, line in enumerate(lines[first : first + count]):
            c.drawString(x + 5, top - (i + 1) * LINE_H + 5.5, line)

    return Block(count * LINE_H, draw)


def _options(f: FieldDef, value: Any, lang: str) -> list[tuple[str, bool]]:
    if f.type == "yesno":
        return [(tr("yes", lang), value is True), (tr("no", lang), value is False)]
    chosen = value if isinstance(value, list) else [value]
    return [(c.label.get(lang), c.value in chosen) for c in f.choices]


def _choices_block(f: FieldDef, value: Any, ctx: Ctx, width: float) -> Block:
    size, row_h, font_size = 8.5, 14.0, 8.0
    placed: list[tuple[float, int, str, bool]] = []  # x offset, row, label, checked
    x, row = 0.0, 0
    for label, checked in _options(f, value, ctx.lang):
        font = BOLD if checked else SANS
        label = fit(label, font, font_size, width - size - 6)
        w = size + 4 + width_of(label, font, font_size) + 14
        if x > 0 and x + w > width:
            x, row = 0.0, row + 1
        placed.append((x, row, label, checked))
        x += w
    height = (row + 1) * row_h + 2
    round_ = f.type != "multichoice"

    def draw(c: Canvas, x0: float, top: float) -> None:
        for dx, r, label, checked in placed:
            y = top - (r + 1) * row_h + 3
            tick(c, x0 + dx, y, size, checked, round_)
            c.setFillColor(INK if checked else TEXT)
            c.setFont(BOLD if checked else SANS, font_size)
            c.drawString(x0 + dx + size + 4, y + 1.2, label)

    return Block(height, draw)


def _signature_block(signed: bool, width: float) -> Block:
    height = 44.0

    def draw(c: Canvas, x: float, top: float) -> None:
        box(c, x, top - height, width, height)
        if signed:
            c.setFillColor(INK)
            c.setFont(SANS, VALUE_SIZE)
            c.drawString(x + 6, top - height + 6, "✓")

    return Block(height, draw)
