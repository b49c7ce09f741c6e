"""`export csv|xlsx|iati` and `template`: spreadsheets and open data out."""

from __future__ import annotations

import argparse

from ca_desktop.cli.common import UserError, open_app, output_file
from ca_desktop.domain.i18n import language, tr, tr_n
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.reports.figures_sheet import figures_sheet
from ca_desktop.reports.iati import IatiError, export_iati
from ca_desktop.reports.spreadsheet_export import PERSONAL_TYPES, export_csv, export_workbook
from ca_desktop.reports.spreadsheet_import import IMPORTABLE
from ca_desktop.reports.templates import write_template


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="write records to CSV, XLSX or IATI XML")
    esub = p.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    c = esub.add_parser("csv", help="one record type as CSV")
    c.add_argument("--records", required=True, choices=sorted(RECORD_SPECS), help="record type")
    c.add_argument("--out", required=True, help="the CSV file to write")
    c.add_argument(
        "--with-registers",
        action="store_true",
        help="needed for attendance_entry (personal data: names, phone numbers)",
    )
    c.set_defaults(handler=cmd_csv)
    x = esub.add_parser("xlsx", help="every record type in one workbook")
    x.add_argument("--out", required=True, help="the XLSX file to write")
    x.add_argument(
        "--with-registers",
        action="store_true",
        help="include attendance registers (personal data: names, phone numbers)",
    )
    x.set_defaults(handler=cmd_xlsx)
    i = esub.add_parser("iati", help="IATI 2.03 activity XML (validated against the schema)")
    i.add_argument("--out", required=True, help="the XML file to write")
    i.add_argument("--programme", help="programme code (default: every programme)")
    i.add_argument("--org-id", help="IATI organisation identifier, e.g. XM-DAC-41301 (saved)")
    i.set_defaults(handler=cmd_iati)
    t = sub.add_parser("template", help="a blank XLSX import template for one record type")
    t.add_argument("--records", required=True, choices=IMPORTABLE, help="record type")
    t.add_argument("--out", required=True, help="the XLSX file to write")
    t.set_defaults(handler=cmd_template)


def cmd_csv(args: argparse.Namespace) -> int:
    if args.records in PERSONAL_TYPES and not args.with_registers:
        raise UserError(
            tr("attendance registers hold personal data: add --with-registers to export them")
        )
    out = output_file(args.out, ".csv")
    app = open_app(args)
    try:
        n = export_csv(app, args.records, out)
    finally:
        app.close()
    print(tr("{n} {type} record(s) written to {path}").format(n=n, type=args.records, path=out))
    return 0


def cmd_xlsx(args: argparse.Namespace) -> int:
    out = output_file(args.out, ".xlsx")
    app = open_app(args)
    try:
        lang = language()
        counts = export_workbook(
            app, out, args.with_registers, lang, extra_sheets=[figures_sheet(app, lang)]
        )
    finally:
        app.close()
    counted = ", ".join(f"{n} {t}" for t, n in counts.items())
    print(tr("{counts} written to {path}").format(counts=counted, path=out))
    return 0


def cmd_iati(args: argparse.Namespace) -> int:
    out = output_file(args.out, ".xml")
    app = open_app(args)
    try:
        try:
            n = export_iati(
                app, out, programme_code=args.programme, org_id=args.org_id, lang=language()
            )
        except IatiError as exc:
            raise UserError(str(exc)) from None
    finally:
        app.close()
    activities = tr_n("{n} IATI activity", "{n} IATI activities", n)
    print(
        tr("{activities} written to {path} (schema-valid)").format(activities=activities, path=out)
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    out = output_file(args.out, ".xlsx")
    write_template(args.records, out, language())
    print(tr("Template for {type} written to {path}").format(type=args.records, path=out))
    return 0
