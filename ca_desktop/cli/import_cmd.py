"""`import csv|xlsx FILE [--records TYPE] [--dry-run]`: records in from spreadsheets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ca_desktop.cli.common import EXIT_BAD_INPUT, UserError, open_app
from ca_desktop.domain.printable import printable
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.spreadsheet_import import (
    IMPORTABLE,
    ImportRejected,
    ImportReport,
    import_spreadsheet,
)

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


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"no such file: {path}")
    if path.suffix.lower().lstrip(".") != args.import_format:
        raise UserError(f"{path.name}: not a .{args.import_format} file")
    app = open_app(args)
    try:
        result = import_spreadsheet(app, path, args.records, dry_run=args.dry_run)
    except ImportRejected as exc:
        _problems(exc.report)
        return EXIT_BAD_INPUT
    except UnreadableFile as exc:
        raise UserError(str(exc)) from None
    finally:
        app.close()
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


def _problems(result: ImportReport) -> None:
    for problem in result.problems[:SHOWN_PROBLEMS]:
        print(f"ca-desktop: {printable(problem)}", file=sys.stderr)  # names cells' text
    more = len(result.problems) - SHOWN_PROBLEMS + result.more_problems
    if more > 0:
        print(f"ca-desktop: ... and {more} more problem(s)", file=sys.stderr)
    print(f"ca-desktop: {result.rejected} row(s) rejected; nothing was imported", file=sys.stderr)
