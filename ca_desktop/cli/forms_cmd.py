"""`forms list`, `forms print` and `forms validate`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ca_desktop.cli.common import UserError, data_dir, open_app, output_file, paper_size
from ca_desktop.domain.i18n import language, tr, tr_n
from ca_desktop.domain.printable import printable
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import database_file

if TYPE_CHECKING:
    from ca_desktop.forms.model import FormDef


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
    pp.add_argument(
        "--paper", choices=("a4", "letter"), help="default: the paper size in the settings"
    )
    pp.add_argument(
        "--rows",
        type=int,
        default=0,
        metavar="N",
        help="at least N numbered lines in the form's table, across pages (e.g. 60)",
    )
    pp.add_argument("--out", required=True, help="the PDF file to write")
    pp.add_argument(
        "--form-lang",
        metavar="LANG",
        help="print in one of the form's own languages, e.g. sw for an imported form",
    )
    pp.set_defaults(handler=cmd_print)

    ip = forms_sub.add_parser("import-xlsform", help="import an XLSForm (.xlsx) as a form")
    ip.add_argument("file", help="the XLSForm .xlsx file")
    ip.add_argument("--code", help="the form code to use (default: the form_id setting)")
    ip.add_argument(
        "--strict", action="store_true", help="refuse the file if anything is not supported"
    )
    ip.set_defaults(handler=cmd_import_xlsform)

    ep = forms_sub.add_parser("export-xlsform", help="write a form as an XLSForm (.xlsx)")
    ep.add_argument("code", help="form code, e.g. CA-F07")
    ep.add_argument("--out", required=True, help="the .xlsx file to write")
    ep.set_defaults(handler=cmd_export_xlsform)

    vp = forms_sub.add_parser("validate", help="check a folder of form definitions")
    vp.add_argument("directory")
    vp.set_defaults(handler=cmd_validate)


def cmd_list(args: argparse.Namespace) -> int:
    from ca_desktop.forms.loader import DefinitionError, all_forms

    lang = language()
    app = _maybe_app(args)
    try:
        forms = all_forms(app)
    except DefinitionError as exc:
        raise UserError(
            tr("broken form definitions: {problem}").format(problem=exc.problems[0])
        ) from None
    finally:
        if app is not None:
            app.close()
    for form in forms:
        saves = form.record_type or "form_submission"
        if form.link_type:
            saves += f" → {form.link_type}"
        print(f"{form.code}\tv{form.version}\t{saves}\t{printable(form.title.get(lang))}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    app = _maybe_app(args) if args.blank else open_app(args)
    try:
        return _print(args, app)
    finally:
        if app is not None:
            app.close()


def _print(args: argparse.Namespace, app: CaDesktop | None) -> int:
    from ca_desktop.domain.ids import is_uuid
    from ca_desktop.forms.printing import print_forms

    form = _form(args.code, app)
    lang = args.form_lang or language()
    if lang not in form.languages and lang not in ("en", "fr", "es", "pt"):
        raise UserError(
            tr("{form} is not written in {lang}: {languages}").format(
                form=form.code, lang=repr(lang), languages=", ".join(form.languages)
            )
        )
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(tr("no such folder: {path}").format(path=out.parent))
    if not 1 <= args.copies <= 1000:
        raise UserError(
            tr("{option} must be between {low} and {high}").format(
                option="--copies", low=1, high=1000
            )
        )
    if not 0 <= args.rows <= 2000:
        raise UserError(
            tr("{option} must be between {low} and {high}").format(
                option="--rows", low=0, high=2000
            )
        )
    if args.rows and not any(f.type == "table" for f in form.fields()):
        raise UserError(
            tr("{form} has no table of rows; --rows does not apply").format(form=form.code)
        )
    record_ids: list[str | None]
    if args.blank:
        record_ids = [None] * args.copies
    else:
        record_ids = [r.strip().lower() for r in args.record]
        bad = [r for r in record_ids if not is_uuid(r)]
        if bad:
            raise UserError(tr("not a record id: {id}").format(id=repr(bad[0])))
    try:
        pages = print_forms(
            app, form, record_ids, out, lang=lang, paper=paper_size(args), rows=args.rows
        )
    except KeyError as exc:
        raise UserError(str(exc.args[0] if exc.args else exc)) from None
    copies = len(record_ids)
    print(
        tr("Wrote {path} ({forms}, {pages}).").format(
            path=out,
            forms=tr_n("{n} form", "{n} forms", copies),
            pages=tr_n("{n} page", "{n} pages", pages),
        )
    )
    return 0


def _form(code: str, app: CaDesktop | None) -> FormDef:
    """The form with this code (the data folder's imported ones too), or one clear line."""
    from ca_desktop.forms.loader import DefinitionError, get_form

    try:
        return get_form(code, app)
    except KeyError:
        raise UserError(
            tr("no form with code {code}; see 'ca-desktop forms list'").format(code=repr(code))
        ) from None
    except DefinitionError as exc:
        raise UserError(
            tr("broken form definitions: {problem}").format(problem=exc.problems[0])
        ) from None


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
            tr("{problems} in {path}").format(
                problems=tr_n("{n} problem", "{n} problems", len(problems)), path=args.directory
            )
        )
    print(
        tr("{n} form definitions are valid: {codes}").format(
            n=len(forms), codes=", ".join(sorted(forms))
        )
    )
    return 0


def cmd_import_xlsform(args: argparse.Namespace) -> int:
    from ca_desktop.reports.xlsform.importer import XlsFormRejected, import_xlsform

    path = Path(args.file)
    if not path.is_file():
        raise UserError(tr("no such file: {path}").format(path=path))
    app = open_app(args)
    try:
        result = import_xlsform(app, path, code=args.code, strict=args.strict)
    except XlsFormRejected as exc:
        if exc.result is not None:
            for problem in exc.result.unsupported:
                print(tr("not supported: {problem}").format(problem=problem))
        raise UserError(str(exc)) from None
    finally:
        app.close()
    for problem in result.unsupported:
        print(tr("not imported: {problem}").format(problem=problem))
    for problem in result.notes:
        print(tr("note: {problem}").format(problem=problem))
    if result.unchanged:
        print(
            tr("{code} v{version} is already up to date; nothing changed.").format(
                code=result.code, version=result.version
            )
        )
    else:
        print(
            tr(
                "Imported {code} v{version} ({fields} fields); {unsupported} not imported, "
                "{notes} notes."
            ).format(
                code=result.code,
                version=result.version,
                fields=result.questions,
                unsupported=len(result.unsupported),
                notes=len(result.notes),
            )
        )
    return 0


def cmd_export_xlsform(args: argparse.Namespace) -> int:
    from ca_desktop.reports.xlsform.export import export_xlsform

    out = output_file(args.out, ".xlsx")
    app = _maybe_app(args)
    try:
        form = _form(args.code, app)
    finally:
        if app is not None:
            app.close()
    export_xlsform(form, out)
    print(
        tr("Wrote {path} ({code} v{version}).").format(
            path=out, code=form.code, version=form.version
        )
    )
    return 0
