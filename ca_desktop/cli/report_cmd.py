"""`report` (the quarterly PDF) and `figures` (the results-framework figures)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ca_desktop.cli.common import UserError, open_app, paper_size
from ca_desktop.domain.i18n import language, tr
from ca_desktop.domain.periods import parse_period
from ca_desktop.reports.filters import ReportFilters, programme_by_code
from ca_desktop.services.app import CaDesktop


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rp = sub.add_parser("report", help="write the quarterly results report as a PDF")
    _filters(rp)
    rp.add_argument(
        "--paper", choices=("a4", "letter"), help="default: the paper size in the settings"
    )
    rp.add_argument("--out", required=True, help="the PDF file to write")
    rp.set_defaults(handler=cmd_report)

    fp = sub.add_parser("figures", help="print the results-framework figures")
    _filters(fp)
    fp.add_argument("--json", action="store_true", help="one JSON object: {code: value}")
    fp.set_defaults(handler=cmd_figures)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", help="2026Q3, 2026, 2026-08 or 2026-07..2026-09 (default: all)")
    p.add_argument("--programme", metavar="CODE", help="one programme, by its code")


def _read_filters(app: CaDesktop, args: argparse.Namespace) -> ReportFilters:
    try:
        period = parse_period(args.period) if args.period else None
        programme = programme_by_code(app, args.programme) if args.programme else None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    return ReportFilters(period=period, programme=programme)


def cmd_report(args: argparse.Namespace) -> int:
    from ca_desktop.reports.quarterly_pdf import write_quarterly_pdf

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UserError(
            tr("the report is a PDF: give a file name ending in .pdf, not {name}").format(
                name=repr(out.name)
            )
        )
    if not out.parent.is_dir():
        raise UserError(tr("no such folder: {path}").format(path=out.parent))
    app = open_app(args)
    try:
        filters = _read_filters(app, args)
        write_quarterly_pdf(app, filters, out, lang=language(), paper=paper_size(args))
    finally:
        app.close()
    print(out)
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from ca_desktop.reports.indicators import INDICATORS, compute_figures

    app = open_app(args)
    try:
        figures = compute_figures(app, _read_filters(app, args))
    finally:
        app.close()
    if args.json:
        print(json.dumps({i.code: figures.value(i.code) for i in INDICATORS}, indent=1))
        return 0
    for i in INDICATORS:
        value = figures.value(i.code)
        shown = (
            "–"
            if value is None
            else (f"{value:.1f}" if i.unit in ("days", "money") else f"{value:.0f}")
        )
        print(f"{i.code}\t{shown}\t{tr(i.label)}")
    return 0
