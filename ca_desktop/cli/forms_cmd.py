"""`forms list`, `forms print` and `forms validate`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ca_desktop.cli.common import UserError, data_dir, open_app
from ca_desktop.domain.printable import printable
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import database_file


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("forms", help="SOP forms: list, print to PDF, check definitions")
    forms_sub = p.add_subparsers(dest="forms_command", metavar="SUBCOMMAND", required=True)

    lp = forms_sub.add_parser("list", help="one form per line: code, version, record, title")
    lp.set_defaults(handler=cmd_list)

    pp = forms_sub.add_parser("print", help="print a blank or filled form to a PDF file")
    pp.add_argument("code", help="form code, e.g. CA-F02 (see 'forms list')")
    which = pp.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--record", action="append", metavar="ID", help="record to print (repeat for a batch)"
    )
    which.add_argument("--blank", action="store_true", help="a blank form to fill by hand")
    pp.add_argument("--copies", type=int, default=1, help="blank copies (default 1)")
    pp.add_argument("--paper", choices=("a4", "letter"), default="a4")
    pp.add_argument(
        "--rows",
        type=int,
        default=0,
        metavar="N",
        help="at least N numbered lines in the form's table, across pages (e.g. 60)",
    )
    pp.add_argument("--out", required=True, help="the PDF file to write")
    pp.set_defaults(handler=cmd_print)

    vp = forms_sub.add_parser("validate", help="check a folder of form definitions")
    vp.add_argument("directory")
    vp.set_defaults(handler=cmd_validate)


def cmd_list(args: argparse.Namespace) -> int:
    from ca_desktop.forms.loader import DefinitionError, all_forms

    lang = args.lang or "en"
    try:
        forms = all_forms()
    except DefinitionError as exc:
        raise UserError(f"broken form definitions: {exc.problems[0]}") from None
    for form in forms:
        saves = form.record_type or f"form_submission → {form.link_type}"
        print(f"{form.code}\tv{form.version}\t{saves}\t{printable(form.title.get(lang))}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from ca_desktop.domain.ids import is_uuid
    from ca_desktop.forms.loader import DefinitionError, get_form
    from ca_desktop.forms.printing import print_forms

    lang = args.lang or "en"
    try:
        form = get_form(args.code)
    except KeyError:
        raise UserError(f"no form with code {args.code!r}; see 'ca-desktop forms list'") from None
    except DefinitionError as exc:
        raise UserError(f"broken form definitions: {exc.problems[0]}") from None
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no such folder: {out.parent}")
    if not 1 <= args.copies <= 1000:
        raise UserError("--copies must be between 1 and 1000")
    if not 0 <= args.rows <= 2000:
        raise UserError("--rows must be between 0 and 2000")
    if args.rows and not any(f.type == "table" for f in form.fields()):
        raise UserError(f"{form.code} has no table of rows; --rows does not apply")
    record_ids: list[str | None]
    if args.blank:
        record_ids = [None] * args.copies
    else:
        record_ids = [r.strip().lower() for r in args.record]
        bad = [r for r in record_ids if not is_uuid(r)]
        if bad:
            raise UserError(f"not a record id: {bad[0]!r}")
    app = _maybe_app(args) if args.blank else open_app(args)
    try:
        try:
            pages = print_forms(
                app, form, record_ids, out, lang=lang, paper=args.paper, rows=args.rows
            )
        except KeyError as exc:
            raise UserError(str(exc.args[0] if exc.args else exc)) from None
    finally:
        if app is not None:
            app.close()
    copies = len(record_ids)
    print(
        f"Wrote {out} ({copies} form{'s' if copies != 1 else ''}, {pages} page{'s' if pages != 1 else ''})."
    )
    return 0


def _maybe_app(args: argparse.Namespace) -> CaDesktop | None:
    """The data folder (for the programme name on blank forms), only if it exists already."""
    if not database_file(data_dir(args)).exists():
        return None
    return open_app(args)


def cmd_validate(args: argparse.Namespace) -> int:
    from ca_desktop.forms.loader import load_directory

    forms, problems = load_directory(Path(args.directory))
    if problems:
        for line in problems:
            print(line)
        raise UserError(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {args.directory}"
        )
    print(f"{len(forms)} form definitions are valid: {', '.join(sorted(forms))}")
    return 0
