"""`import csv|xlsx FILE [--records TYPE] [--dry-run]`: records in from spreadsheets;
`import odk-csv FILE [--form CODE] [--dry-run]`: ODK Central / KoboToolbox submissions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ca_desktop.cli.common import EXIT_BAD_INPUT, UserError, open_app
from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.domain.printable import printable
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.spreadsheet_import import (
    IMPORTABLE,
    ImportRejected,
    ImportReport,
    import_spreadsheet,
)
from ca_desktop.services.app import CaDesktop

SHOWN_PROBLEMS = 20


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help="add or update records from a CSV or XLSX file")
    isub = p.add_subparsers(dest="import_format", metavar="FORMAT", required=True)
    for fmt in ("csv", "xlsx"):
        q = isub.add_parser(fmt, help=f"import a .{fmt} file")
        q.add_argument("file", help=f"the .{fmt} file")
        q.add_argument("--records", choices=IMPORTABLE, help="record type (default: guessed)")
        q.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        q.set_defaults(handler=cmd_import)
    o = isub.add_parser("odk-csv", help="form submissions from an ODK Central or Kobo CSV export")
    o.add_argument("file", help="the main .csv (repeat CSVs beside it) or the export's .zip")
    o.add_argument("--form", help="the form's code (default: from the file name)")
    o.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    o.set_defaults(handler=cmd_import_odk)


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(tr("no such file: {path}").format(path=path))
    if path.suffix.lower().lstrip(".") != args.import_format:
        raise UserError(
            tr("{name}: not a .{kind} file").format(name=path.name, kind=args.import_format)
        )
    result = _run(
        args, lambda app: import_spreadsheet(app, path, args.records, dry_run=args.dry_run)
    )
    if result is None:
        return EXIT_BAD_INPUT
    if result.problems:
        _problems(result)
    if result.ignored_columns:
        print(f"ignored columns: {printable(', '.join(result.ignored_columns))}")
    c, u, same = result.created, result.updated, result.unchanged
    if args.dry_run:
        print(
            f"dry run: {c} would be created, {u} updated, {same} unchanged, "
            f"{result.rejected} rejected; nothing was written"
        )
    else:
        print(f"{c} created, {u} updated, {same} unchanged")
    return EXIT_BAD_INPUT if result.problems else 0


def cmd_import_odk(args: argparse.Namespace) -> int:
    from ca_desktop.reports.xlsform.odk_csv import import_odk_csv

    path = Path(args.file)
    if not path.is_file():
        raise UserError(tr("no such file: {path}").format(path=path))
    result = _run(args, lambda app: import_odk_csv(app, path, args.form, dry_run=args.dry_run))
    if result is None:
        return EXIT_BAD_INPUT
    if result.ignored_columns:
        columns = printable(", ".join(result.ignored_columns[:50]))
        print(tr("ignored columns: {columns}").format(columns=columns))
    here = tr("{n} already here").format(n=result.unchanged)  # the same in every number
    if args.dry_run:
        created = tr_n(
            "{n} submission would be created", "{n} submissions would be created", result.created
        )
        print(
            tr("dry run: {created}, {here}; nothing was written").format(created=created, here=here)
        )
    else:
        created = tr_n("{n} submission created", "{n} submissions created", result.created)
        print(f"{created}, {here}")
    return 0


def _run(args: argparse.Namespace, job: Callable[[CaDesktop], ImportReport]) -> ImportReport | None:
    """Open the data folder, run one import, close it: the report, or None when the file
    was rejected (its problems printed, nothing written). A file that cannot be read or
    names no known form is one line, exit 2 (`UserError`)."""
    from ca_desktop.reports.xlsform.odk_csv import UnknownForm

    app = open_app(args)
    try:
        return job(app)
    except ImportRejected as exc:
        _problems(exc.report)
        return None
    except (UnreadableFile, UnknownForm) as exc:
        raise UserError(str(exc)) from None
    finally:
        app.close()


def _problems(result: ImportReport) -> None:
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"ca-desktop: {printable(problem)}", file=sys.stderr)  # names cells' text
    more = len(result.problems) - SHOWN_PROBLEMS + result.more_problems
    if more > 0:
        print(
            "ca-desktop: " + tr_n("... and {n} more problem", "... and {n} more problems", more),
            file=sys.stderr,
        )
    print(
        "ca-desktop: "
        + tr_n(
            "{n} row rejected; nothing was imported",
            "{n} rows rejected; nothing was imported",
            result.rejected,
        ),
        file=sys.stderr,
    )
