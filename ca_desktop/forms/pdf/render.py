"""Laying out whole forms on pages and writing the PDF.

One `FormCopy` is one paper form: a definition, the values to print in it (none for a blank
form) and the reference its QR code carries. A batch is many copies in one file; each copy
numbers its own pages ("page 2 of 3"), because each is handed out on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reportlab.pdfgen.canvas import Canvas

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.forms.model import FieldDef, FormDef, Section
from ca_desktop.forms.pdf.blocks import (
    Block,
    Ctx,
    caption,
    caption_height,
    draw_caption,
    field_block,
    lines_block,
    value_lines,
)
from ca_desktop.forms.pdf.fonts import BOLD, SANS, register_fonts
from ca_desktop.forms.pdf.page import Flow, Geometry, Header, draw_footer, draw_header
from ca_desktop.forms.pdf.slip import place_slip, receipt_field
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import (
    FIELD_SPACE,
    GAP,
    HINT,
    TEAL,
    TEAL_LIGHT,
    TEXT,
    WHITE,
    fit,
    wrap,
)
from ca_desktop.forms.pdf.tables import participants_block, place_table
from ca_desktop.forms.pdf.values_fmt import Titles
from ca_desktop.forms.qr import FormRef

SECTION_H = 17.0
FULL_ONLY = ("longtext", "table", "participants", "multichoice")


@dataclass(frozen=True)
class FormCopy:
    form: FormDef
    ref: FormRef
    values: Mapping[str, Any] = field(default_factory=dict)
    subtitle: str = ""  # e.g. the record's title, printed beside the code
    programme: str = ""


def _no_titles(record_type: str, record_id: str) -> str:
    return record_id


def render_pdf(
    copies: Iterable[FormCopy],
    out: Path | IO[bytes],
    lang: str = "en",
    paper: str = "a4",
    titles: Titles = _no_titles,
    printed_on: dt.date | None = None,
    progress: Progress | None = None,
    total: int = 0,
    rows: int = 0,
    continuous: bool = False,
) -> int:
    """Write the copies to one PDF; returns the number of pages. `progress` may cancel
    (`Cancelled`), leaving whatever `out` is half-written: callers write to a temporary file.

    `continuous`: the copies are one long document (blank registers for a big meeting):
    table rows number on from copy to copy and pages read "page 3 of 6"."""
    register_fonts()
    printed_on = printed_on or dt.date.today()
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pageCompression=1, initialFontName=SANS)  # type: ignore[arg-type]
    c.setCreator("CA Desktop")
    c.setAuthor("Cities Alliance")
    pages = 0
    first_title = ""

    def laid_out(copy: FormCopy, first_row: int) -> tuple[Geometry, Flow]:
        geo = Geometry.for_paper(paper, copy.form.orientation)
        ctx = Ctx(copy.form, lang, titles, rows)
        flow = layout(copy.form, copy.values, ctx, geo, first_row)
        receipt = receipt_field(copy.form)
        number = copy.values.get(receipt.name) if receipt is not None else None
        if number:  # the slip the complainant keeps, with the form's own number
            place_slip(
                flow, copy.form, str(number), lang, copy.programme, geo.left, geo.content_width
            )
        return geo, flow

    if continuous:
        # Laid out first, to know the last row's number and the page count of the whole.
        plans, next_row = [], 1
        for copy in copies:
            geo, flow = laid_out(copy, next_row)
            next_row = flow.next_row
            plans.append((copy, geo, flow))
        whole = sum(len(flow.pages) for _, _, flow in plans)
        for i, (copy, geo, flow) in enumerate(plans):
            first_title = first_title or _title(copy, lang)
            pages += _draw_copy(c, copy, geo, flow, lang, printed_on, pages, whole)
            report(progress, i + 1, total)
    else:
        for i, copy in enumerate(copies):
            geo, flow = laid_out(copy, 1)
            first_title = first_title or _title(copy, lang)
            pages += _draw_copy(c, copy, geo, flow, lang, printed_on, 0, len(flow.pages))
            report(progress, i + 1, total)
    c.setTitle(first_title)
    c.save()
    return pages


def _title(copy: FormCopy, lang: str) -> str:
    return f"{copy.form.code} {copy.form.title.get(lang)}"


def _draw_copy(
    c: Canvas,
    copy: FormCopy,
    geo: Geometry,
    flow: Flow,
    lang: str,
    printed_on: dt.date,
    before: int,
    whole: int,
) -> int:
    """Draw one laid-out copy; its pages are numbered from `before + 1` of `whole`."""
    header = Header(
        copy.form.title.get(lang), copy.form.code, copy.form.version, lang,
        copy.programme, copy.subtitle, copy.ref, printed_on,
    )  # fmt: skip
    for page_no, ops in enumerate(flow.pages, start=before + 1):
        c.setPageSize((geo.width, geo.height))
        draw_header(c, geo, header)
        for op in ops:
            op(c)
        draw_footer(c, geo, header, page_no, whole)
        c.showPage()
    return len(flow.pages)


def layout(
    form: FormDef, values: Mapping[str, Any], ctx: Ctx, geo: Geometry, first_row: int = 1
) -> Flow:
    """All the form's pages as drawing operations, in order; table rows numbered from
    `first_row`."""
    flow = Flow(geo, next_row=first_row)
    x, width = geo.left, geo.content_width
    if form.intro:
        _place_intro(flow, form.intro.get(ctx.lang), ctx.lang, x, width)
    last = list(form.fields())[-1]
    for section in form.sections:
        # Keep a short section on one page: a lone field at the top of a page reads badly.
        height = _section_height(section, values, ctx, geo, last)
        if height <= flow.page_height / 3:
            flow.ensure(height)
        _place_section(flow, section, values, ctx, x, width, last)
    return flow


def _section_height(
    section: Section, values: Mapping[str, Any], ctx: Ctx, geo: Geometry, last: FieldDef
) -> float:
    if any(f is last and f.type == "table" for f in section.fields):
        return float("inf")  # a table that fills its last page runs over pages anyway
    scratch = Flow(Geometry(geo.width, 100_000.0))
    _place_section(scratch, section, values, ctx, geo.left, geo.content_width, last)
    return scratch.geo.top - scratch.y


def _place_intro(flow: Flow, text: str, lang: str, x: float, width: float) -> None:
    lines = wrap(text, SANS, 8, width - 16)
    height = len(lines) * 10.5 + 17

    def draw(c: Canvas, top: float) -> None:
        c.setFillColor(TEAL_LIGHT)
        c.rect(x, top - height, width, height, stroke=0, fill=1)
        c.setFillColor(TEXT)
        c.setFont(SANS, 8)
        y = top - 13
        for line in lines:
            c.drawString(x + 8, y, line)
            y -= 10.5
        c.setFillColor(HINT)
        c.setFont(SANS, 6.8)
        c.drawRightString(x + width - 6, top - height + 3.5, tr("required", lang))

    flow.place(height + 8, draw)


def _place_section(
    flow: Flow,
    section: Section,
    values: Mapping[str, Any],
    ctx: Ctx,
    x: float,
    width: float,
    last: FieldDef,
) -> None:
    title = section.title.get(ctx.lang)
    help_lines = wrap(section.help.get(ctx.lang), SANS, 7.4, width) if section.help else ()
    band = SECTION_H + 5 + len(help_lines) * 9.2

    def draw_band(c: Canvas, top: float) -> None:
        c.setFillColor(TEAL)
        c.rect(x, top - SECTION_H, width, SECTION_H, stroke=0, fill=1)
        c.setFillColor(WHITE)
        c.setFont(BOLD, 9.6)
        c.drawString(x + 7, top - SECTION_H + 5, fit(title.upper(), BOLD, 9.6, width - 14))
        c.setFillColor(HINT)
        c.setFont(SANS, 7.4)
        y = top - SECTION_H - 9
        for line in help_lines:
            c.drawString(x, y, line)
            y -= 9.2

    rows = _rows(section.fields)
    first = _row_height(rows[0], values, ctx, width) if rows else 0.0
    flow.ensure(band + 6 + min(first, flow.page_height / 3))
    flow.place(band + 4, draw_band)
    for row in rows:
        if len(row) == 2:
            half = (width - GAP) / 2
            left, right = (field_block(f, values.get(f.name), ctx, half) for f in row)
            height = max(left.height, right.height) + FIELD_SPACE
            flow.place(height, _pair(left, right, x, x + half + GAP))
            continue
        f = row[0]
        value = values.get(f.name)
        if f.type == "table":
            place_table(flow, f, value, ctx, x, width, fill_page=f is last)
        elif f.type == "longtext":
            _place_longtext(flow, f, value, ctx, x, width)
        elif f.type == "participants":
            block = participants_block(f, value, ctx, width)
            flow.place(block.height + FIELD_SPACE, _at(block, x))
        else:
            w = (width - GAP) / 2 if f.width == "half" and f.type not in FULL_ONLY else width
            block = field_block(f, value, ctx, w)
            flow.place(block.height + FIELD_SPACE, _at(block, x))


def _rows(fields: tuple[FieldDef, ...]) -> list[tuple[FieldDef, ...]]:
    """Pair consecutive half-width fields side by side."""
    rows: list[tuple[FieldDef, ...]] = []
    pending: FieldDef | None = None
    for f in fields:
        if f.calculate is not None:
            continue  # computed, never written by hand
        half = f.width == "half" and f.type not in FULL_ONLY
        if half and pending is not None:
            rows.append((pending, f))
            pending = None
        elif half:
            pending = f
        else:
            if pending is not None:
                rows.append((pending,))
                pending = None
            rows.append((f,))
    if pending is not None:
        rows.append((pending,))
    return rows


def _row_height(
    row: tuple[FieldDef, ...], values: Mapping[str, Any], ctx: Ctx, width: float
) -> float:
    f = row[0]
    if f.type in ("table", "participants", "longtext"):
        return 80.0
    w = (width - GAP) / 2 if len(row) == 2 else width
    return max(field_block(g, values.get(g.name), ctx, w).height for g in row)


def _at(block: Block, x: float) -> Callable[[Canvas, float], None]:
    return lambda c, top: block.draw(c, x, top)


def _pair(left: Block, right: Block, x1: float, x2: float) -> Callable[[Canvas, float], None]:
    def draw(c: Canvas, top: float) -> None:
        left.draw(c, x1, top)
        right.draw(c, x2, top)

    return draw


def _place_longtext(flow: Flow, f: FieldDef, value: Any, ctx: Ctx, x: float, width: float) -> None:
    block = field_block(f, value, ctx, width)
    if block.height + FIELD_SPACE <= flow.page_height * 0.8:
        flow.place(block.height + FIELD_SPACE, _at(block, x))
        return
    # Too long for one page (a long typed-in text): caption, then lines in page-sized runs.
    labels, hints = caption(f, ctx, width)
    lines = value_lines(value, width)
    total = max(f.lines, len(lines))
    flow.ensure(caption_height(labels, hints) + 3 * 19.0)
    flow.place(caption_height(labels, hints), lambda c, top: draw_caption(c, x, top, labels, hints))
    first = 0
    while first < total:
        fit_lines = max(1, int(flow.room // 19.0))
        if fit_lines < 2 and flow.y < flow.geo.top:
            flow.new_page()
            continue
        count = min(fit_lines, total - first)
        part = lines_block(f, value, width, lines, first, count)
        flow.place(part.height, _at(part, x))
        first += count
    flow.y -= FIELD_SPACE
