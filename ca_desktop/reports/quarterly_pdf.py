"""The quarterly results report as a PDF a coordinator can send as it is.

Cover, headline figures, charts, sex × youth tables for every count of people, the CUF
projects, grievances, and the activities as an annex. Text from records is escaped before
it reaches reportlab's paragraph markup. The file is written beside the target under a
temporary name and renamed when complete: a failure or a cancel leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ca_desktop.domain.i18n import label, language, tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.forms.pdf.fonts import BOLD, SANS, register_fonts
from ca_desktop.forms.pdf.style import ROW_SHADE, TEAL, TEAL_LIGHT, TEXT, WHITE
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.formatting import format_date, format_number, format_short_date
from ca_desktop.reports.indicators import HEADLINE, indicator
from ca_desktop.reports.pdf_charts import counts_chart, people_by_level_chart
from ca_desktop.reports.quarterly_data import QuarterlyData, gather
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.atomic import atomic_output

_STYLES = {
    "title": ParagraphStyle("t", fontName=BOLD, fontSize=24, leading=30, textColor=TEAL),
    "subtitle": ParagraphStyle("s", fontName=SANS, fontSize=14, leading=20, textColor=TEXT),
    "h1": ParagraphStyle("h1", fontName=BOLD, fontSize=14, leading=18, textColor=TEAL, spaceBefore=6, spaceAfter=6),
    "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=10.5, leading=14, textColor=TEXT, spaceBefore=8, spaceAfter=4),
    "body": ParagraphStyle("b", fontName=SANS, fontSize=9, leading=12, textColor=TEXT),
    "small": ParagraphStyle("sm", fontName=SANS, fontSize=7.5, leading=9.5, textColor=TEXT),
    "note": ParagraphStyle("n", fontName=SANS, fontSize=8, leading=10.5, textColor=HexColor("#5A6870")),
}  # fmt: skip


PAPERS = {"a4": A4, "letter": LETTER}


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text), _STYLES[style])


def write_quarterly_pdf(
    app: CaDesktop,
    filters: ReportFilters,
    target: Path,
    lang: str | None = None,
    progress: Progress | None = None,
    paper: str = "a4",
) -> Path:
    """Compute the figures for `filters` and write the report to `target` (atomically),
    on `paper` ("a4" or "letter", the setting of the data folder for the GUI and CLI)."""
    lang = lang or language()
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}")
    data = gather(app, filters, progress)
    register_fonts()
    target = Path(target)
    with atomic_output(target) as tmp:
        _build(data, filters, tmp, lang, progress, PAPERS[paper])
    report(progress, 10, 10)
    return target


def _build(
    data: QuarterlyData,
    filters: ReportFilters,
    path: Path,
    lang: str,
    progress: Progress | None,
    pagesize: tuple[float, float] = A4,
) -> None:
    from ca_desktop.domain import i18n

    before = i18n.language()
    i18n.set_language(lang)  # label() and tr() inside the charts follow the report's language
    # reportlab.graphics starts every drawing in its default font (Helvetica, Latin-1 only,
    # not embedded): point it at DejaVu for this build so the file embeds one font family.
    graphics_font = rl_config.defaultGraphicsFontName
    rl_config.defaultGraphicsFontName = SANS
    try:
        story = _story(data, filters, lang)
        report(progress, 7, 10)
        pages = [0]

        def page_done(canvas: Canvas, doc: SimpleDocTemplate) -> None:
            pages[0] += 1
            report(progress, 8, 10)  # a cancel stops the layout between two pages
            _footer(canvas, doc, data, lang)

        doc = SimpleDocTemplate(
            str(path), pagesize=pagesize, leftMargin=18 * mm, rightMargin=18 * mm,
            topMargin=18 * mm, bottomMargin=18 * mm, title=tr("Quarterly results report", lang),
            author="CA Desktop", lang=lang, initialFontName=SANS, initialFontSize=9,
        )  # fmt: skip
        doc.build(story, onFirstPage=page_done, onLaterPages=page_done)
    finally:
        i18n.set_language(before)
        rl_config.defaultGraphicsFontName = graphics_font


def _footer(canvas: Canvas, doc: SimpleDocTemplate, data: QuarterlyData, lang: str) -> None:
    canvas.saveState()
    canvas.setFont(SANS, 7.5)
    canvas.setFillColor(HexColor("#5A6870"))
    left = tr("Cities Alliance · quarterly results report", lang)
    canvas.drawString(18 * mm, 10 * mm, left)
    canvas.drawRightString(
        doc.pagesize[0] - 18 * mm, 10 * mm, tr("Page {n}", lang).format(n=doc.page)
    )
    canvas.restoreState()


def _period_text(filters: ReportFilters, lang: str) -> str:
    if filters.period is None:
        return tr("All dates", lang)
    start, end = format_date(filters.period.start, lang), format_date(filters.period.end, lang)
    return f"{filters.period.text} ({start} – {end})"


def _story(data: QuarterlyData, filters: ReportFilters, lang: str) -> list[Any]:
    f = data.figures
    programme = (
        f"{data.programme[1]} ({data.programme[0]})"
        if data.programme
        else tr("All programmes", lang)
    )
    story: list[Any] = [
        Spacer(1, 60 * mm),
        _p(tr("Quarterly results report", lang), "title"),
        Spacer(1, 8 * mm),
        _p(programme, "subtitle"),
        _p(_period_text(filters, lang), "subtitle"),
        Spacer(1, 12 * mm),
        _p(tr("Produced on {date} with CA Desktop.", lang).format(date=format_date(data.produced, lang))),
        Spacer(1, 3 * mm),
        _p(tr("Every count of people is split by sex and by youth (15–24). Each figure is defined in the CA Desktop guide (docs/indicators.md).", lang), "note"),
        PageBreak(),
        _p(tr("Headline figures", lang), "h1"),
        _table(
            [[tr("Figure", lang), tr("Value", lang)]]
            + [[tr(i.label, lang), _value(f.value(i.code), i.unit, lang)] for i in HEADLINE],
            [120 * mm, 40 * mm], numeric_from=1,
        ),
        Spacer(1, 6 * mm),
        people_by_level_chart(f.people_by_level, [lv for lv in ("community", "local", "national")]),
        counts_chart(tr("Activities by type", lang), f.by_type),
        counts_chart(tr("Activities by theme", lang), f.by_theme),
        CondPageBreak(120 * mm),
        _p(tr("People reached by sex and age", lang), "h1"),
        _p(tr("People reached counts participants of activities that took place (ongoing or completed).", lang), "note"),
        _p(tr("All levels", lang), "h2"),
        _sex_youth_table(f.cells(), lang),
    ]  # fmt: skip
    for level in ("community", "local", "national"):
        cells = f.people_by_level.get(level, dict.fromkeys(PARTICIPANT_FIELDS, 0))
        story += [
            KeepTogether(
                [
                    _p(tr("Level: {level}", lang).format(level=label(level, lang)), "h2"),
                    _sex_youth_table(cells, lang),
                ]
            )
        ]
    story += _cuf_section(data, lang) + _grievance_section(data, lang) + _annex(data, lang)
    return story


def _value(value: float | None, unit: str, lang: str) -> str:
    return format_number(value, lang, 1 if unit == "days" else (2 if unit == "money" else 0))


def _sex_youth_table(cells: dict[str, int], lang: str) -> Table:
    rows: list[list[str]] = [
        [tr("Sex", lang), tr("15–24 (youth)", lang), tr("Other ages", lang), tr("Total", lang)]
    ]
    col_totals = [0, 0]
    for sex in ("female", "male", "not_recorded"):
        youth, other = cells.get(f"{sex}_youth", 0), cells.get(f"{sex}_other", 0)
        col_totals[0] += youth
        col_totals[1] += other
        rows.append(
            [label(sex, lang), *(format_number(n, lang) for n in (youth, other, youth + other))]
        )
    rows.append(
        [tr("Total", lang), *(format_number(n, lang) for n in (*col_totals, sum(col_totals)))]
    )
    return _table(rows, [60 * mm, 35 * mm, 35 * mm, 35 * mm], numeric_from=1, total_row=True)  # fmt: skip


def _cuf_section(data: QuarterlyData, lang: str) -> list[Any]:
    f = data.figures
    out: list[Any] = [PageBreak(), _p(tr("Community Upgrading Fund projects", lang), "h1"),
                      _p(tr("CUF projects are counted as they stand on the day of the report, whatever the period.", lang), "note")]  # fmt: skip
    rows = [[tr("Status", lang), tr("Projects", lang), tr("Beneficiaries", lang), tr("Women", lang), tr("Youth", lang)]]  # fmt: skip
    for line in f.cuf:
        rows.append([label(line.status, lang), *(format_number(n, lang) for n in (line.projects, line.beneficiaries, line.women, line.youth))])  # fmt: skip
    if len(rows) > 1:
        out.append(_table(rows, [55 * mm, 25 * mm, 30 * mm, 25 * mm, 25 * mm], numeric_from=1))
    money = [
        [
            tr("Currency", lang),
            tr("Cities Alliance funds", lang),
            tr("Community contribution", lang),
        ]
    ]
    money += [[cur or "–", format_number(a, lang, 2), format_number(b, lang, 2)] for cur, (a, b) in sorted(f.money.items())]  # fmt: skip
    out += [_p(tr("Money committed (projects approved or further along)", lang), "h2")]
    out.append(_table(money, [30 * mm, 60 * mm, 60 * mm], numeric_from=1) if len(money) > 1 else _p(tr("None recorded.", lang)))  # fmt: skip
    if data.cuf_projects:
        out.append(_p(tr("Projects", lang), "h2"))
        if data.cuf_total > len(data.cuf_projects):
            note = tr(
                "The first {shown} of {total} projects; the spreadsheet export lists them all.",
                lang,
            )
            out.append(_p(note.format(shown=format_number(len(data.cuf_projects), lang), total=format_number(data.cuf_total, lang)), "note"))  # fmt: skip
        rows = [[tr("Project", lang), tr("Settlement", lang), tr("Status", lang), tr("Cities Alliance funds", lang), tr("Community contribution", lang), tr("Beneficiaries", lang)]]  # fmt: skip
        for title, _type, status, settlement, cur, funds, contrib, ben, _w, _y in data.cuf_projects:
            money_text = [f"{format_number(v, lang, 0)} {cur or ''}".strip() if v is not None else "–" for v in (funds, contrib)]  # fmt: skip
            rows.append([_p(title or "", "small"), _p(settlement, "small"), label(status, lang), *money_text, format_number(ben, lang)])  # fmt: skip
        out.append(_table(rows, [46 * mm, 26 * mm, 22 * mm, 26 * mm, 28 * mm, 26 * mm], numeric_from=3, small=True))  # fmt: skip
    return out


def _grievance_section(data: QuarterlyData, lang: str) -> list[Any]:
    f = data.figures
    codes = (
        "grievances_received",
        "grievances_resolved",
        "grievances_open",
        "grievance_median_days",
    )
    rows = [[tr("Figure", lang), tr("Value", lang)]]
    rows += [[tr(indicator(c).label, lang), _value(f.value(c), indicator(c).unit, lang)] for c in codes]  # fmt: skip
    return [CondPageBreak(60 * mm), _p(tr("Grievances", lang), "h1"),
            _p(tr("Grievances received in the period, and what has become of them since.", lang), "note"),
            _table(rows, [120 * mm, 40 * mm], numeric_from=1),
            Spacer(1, 4 * mm), _p(tr("Attendance registers", lang), "h2"),
            _table([[tr(indicator(c).label, lang), _value(f.value(c), "count", lang)] for c in ("registers_typed", "registers_matching")], [120 * mm, 40 * mm], numeric_from=1, header=False)]  # fmt: skip


def _annex(data: QuarterlyData, lang: str) -> list[Any]:
    out: list[Any] = [PageBreak(), _p(tr("Annex: activities", lang), "h1")]
    if data.annex_total > len(data.annex):
        note = tr(
            "The first {shown} of {total} activities; the spreadsheet export lists them all.", lang
        )
        out.append(_p(note.format(shown=format_number(len(data.annex), lang), total=format_number(data.annex_total, lang)), "note"))  # fmt: skip
    rows: list[list[Any]] = [[tr("Date", lang), tr("Activity", lang), tr("Place", lang), tr("Level", lang), tr("Status", lang), tr("Women", lang), tr("Men", lang), tr("Total", lang)]]  # fmt: skip
    for row in data.annex:
        cells = dict(zip(PARTICIPANT_FIELDS, (c or 0 for c in row[7:13]), strict=True))
        women = cells["female_youth"] + cells["female_other"]
        men = cells["male_youth"] + cells["male_other"]
        rows.append([format_short_date(row[1], lang), _p(row[2] or "", "small"), _p(row[13], "small"), _p(label(row[3], lang), "small"), _p(label(row[5], lang), "small"),
                     *(format_number(n, lang) for n in (women, men, sum(cells.values())))])  # fmt: skip
    if len(rows) == 1:
        return [*out, _p(tr("No activities match the filters.", lang))]
    out.append(_table(rows, [17 * mm, 40 * mm, 26 * mm, 24 * mm, 19 * mm, 16 * mm, 16 * mm, 13 * mm], numeric_from=5, small=True))  # fmt: skip
    return out


def _table(
    rows: list[list[Any]],
    widths: list[float],
    numeric_from: int,
    total_row: bool = False,
    small: bool = False,
    header: bool = True,
) -> Table:
    size = 7.5 if small else 9
    if header:
        head = ParagraphStyle(
            "th", fontName=BOLD, fontSize=size, leading=size * 1.2, textColor=TEXT
        )
        right = ParagraphStyle("thr", parent=head, alignment=2)
        rows = [
            [Paragraph(escape(c), right if i >= numeric_from else head) if isinstance(c, str) else c
             for i, c in enumerate(rows[0])],
            *rows[1:],
        ]  # fmt: skip
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), SANS, size),
        ("TEXTCOLOR", (0, 0), (-1, -1), TEXT),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, HexColor("#D5DCE0")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ROW_SHADE]),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if small:  # many columns: narrower padding keeps words such as "Communautaire" whole
        style += [("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), BOLD, size),
            ("BACKGROUND", (0, 0), (-1, 0), TEAL_LIGHT),
        ]
    if total_row:
        style += [
            ("FONT", (0, -1), (-1, -1), BOLD, size),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, TEAL),
        ]
    t.setStyle(TableStyle(style))
    return t
