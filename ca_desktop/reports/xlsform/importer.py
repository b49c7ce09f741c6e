"""`import_xlsform`: read, convert, check and write an XLSForm as a data-folder form.

All or nothing: the definition is checked with the same loader and checks as the shipped
forms before it is saved as one `form_version` record (one transaction); a failed import
leaves the data folder as it was. Importing the
same form again replaces it with the next version (1.0 -> 1.1) if anything changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.forms.loader import get_form, parse_definition
from ca_desktop.forms.local import read_local_definition, save_local_form
from ca_desktop.reports.import_report import Problem
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.xlsform.convert import convert, form_code
from ca_desktop.reports.xlsform.reader import read_xlsform
from ca_desktop.services.app import CaDesktop


class XlsFormRejected(ValueError):
    """Nothing was imported; `result` says why (problems, or strict mode and what is missing)."""

    def __init__(self, message: str, result: XlsFormImport | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class XlsFormImport:
    code: str
    version: str = ""
    title: str = ""
    questions: int = 0
    unchanged: bool = False
    written: bool = False
    unsupported: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def import_xlsform(
    app: CaDesktop,
    path: Path,
    code: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> XlsFormImport:
    """Import one XLSForm file; XlsFormRejected (nothing written) when it cannot be used."""
    report(progress, 0, 3)
    try:
        sheets = read_xlsform(path)
    except UnreadableFile as exc:
        raise XlsFormRejected(str(exc)) from None
    report(progress, 1, 3)
    wanted = code or sheets.settings.get("form_id") or path.stem
    the_code = form_code(wanted)
    try:
        builtin = get_form(the_code)
    except KeyError:
        builtin = None
    if builtin is not None and builtin.origin != "xlsform":
        raise XlsFormRejected(f"{the_code} is a built-in form; choose another code with --code")
    try:
        conversion = convert(sheets, path.name, the_code)
    except UnreadableFile as exc:
        raise XlsFormRejected(str(exc)) from None
    definition = conversion.definition
    result = XlsFormImport(
        the_code,
        title=definition["title"][definition["languages"][0]],
        questions=sum(len(s["fields"]) for s in definition["sections"]),
        unsupported=conversion.unsupported,
        notes=conversion.notes,
    )
    if strict and result.unsupported:
        raise XlsFormRejected(
            f"{len(result.unsupported)} thing(s) in {path.name} are not supported (--strict)",
            result,
        )
    previous = read_local_definition(app, the_code)
    definition["version"] = _version(previous, definition)
    result.version = definition["version"]
    result.unchanged = previous is not None and previous == definition
    form, problems = parse_definition(definition, path.name)
    if form is None or problems:
        raise XlsFormRejected(
            f"{path.name}: the converted form is not sound: {problems[0]}", result
        )
    report(progress, 2, 3)
    if not dry_run and not result.unchanged:
        save_local_form(app, definition)
        result.written = True
    report(progress, 3, 3)
    return result


def _version(previous: dict[str, Any] | None, definition: dict[str, Any]) -> str:
    if previous is None:
        return "1.0"
    old = str(previous.get("version", "1.0"))
    same = {**previous, "version": ""} == {**definition, "version": ""}
    if same:
        return old
    major, _, minor = old.partition(".")
    try:
        return f"{int(major)}.{int(minor) + 1}"
    except ValueError:
        return "1.0"
