"""Records in from spreadsheets: activities, CUF projects, grievances, places, organisations.

The file has the layout the export writes (`columns.layout`). A row without an id creates
a record, a row with an id updates it; a row equal to the stored record is left alone, so
re-importing a file changes nothing. Every row is checked with the domain rules and every
reference must point to an existing record (given by id, or by name: `ref_names.py`). If anything is wrong, the report names file,
sheet, row, column and reason and nothing is written; otherwise all rows are written in one
transaction through `CaDesktop.save_many`, each as a new revision by this laptop's user
(the history shows who, on which laptop, when). Columns the layout marks read-only (`id`
aside), and columns from a newer version, are ignored and listed in the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.records import FieldSpec, spec_for
from ca_desktop.domain.schema import unknown_fields
from ca_desktop.domain.validation import RuleBroken, ValidationError, check, fill
from ca_desktop.reports.columns import (
    ID,
    TITLE_SUFFIX,
    cell_in,
    csv_unescape,
    read_only_columns,
    writable_fields,
)
from ca_desktop.reports.import_report import ImportRejected, ImportReport, Problem
from ca_desktop.reports.ref_names import RefNames
from ca_desktop.reports.sheet_reader import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Table,
    UnreadableFile,
    file_kind,
    read_csv,
    read_xlsx,
    xlsx_sheet_names,
)
from ca_desktop.services import bulk
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import Change

# In the order they are written, so references between them read naturally.
IMPORTABLE = ("place", "organisation", "activity", "cuf_project", "grievance")
_BATCH = 2000


def import_spreadsheet(
    app: CaDesktop,
    path: Path,
    record_type: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check `path` and, unless `dry_run` or a problem was found, write its rows.

    `record_type` chooses the sheet of a workbook (default: every sheet named after an
    importable type) or the type of a CSV (default: guessed from its header).
    Raises `ImportRejected` (with the report) when anything is wrong and `dry_run` is off.
    """
    path = Path(path)
    if record_type is not None and record_type not in IMPORTABLE:
        raise ValueError(f"cannot import {record_type}: choose one of {', '.join(IMPORTABLE)}")
    result = ImportReport(dry_run)
    changes: list[Change] = []
    kind = file_kind(path)
    for table, closer in _tables(path, kind, record_type):
        try:
            type_ = record_type or _guess_type(table.header)
            if type_ is None:
                result.add(Problem(path.name, "", 1, "", _no_type_reason()))
                continue
            result.record_types.append(type_)
            changes += _SheetCheck(app, path.name, kind, table, type_, result).run(progress)
        finally:
            if closer is not None:
                closer.close()
    if result.problems or result.more_problems:
        if dry_run:
            return result
        raise ImportRejected(result)
    if not dry_run and changes:
        app.save_many(changes, validate=False)  # every body was checked and merged above
        result.written = True
    return result


def _no_type_reason() -> str:
    return "cannot tell which records this is: choose the record type"


def _tables(path: Path, kind: str, record_type: str | None) -> Iterator[tuple[Table, Any]]:
    if kind == "csv":
        yield read_csv(path), None
        return
    names = xlsx_sheet_names(path)
    if record_type is not None:
        wanted = [record_type] if record_type in names else []
        if not wanted and len([n for n in names if n != "README"]) == 1:
            wanted = [n for n in names if n != "README"]
    else:
        wanted = [t for t in IMPORTABLE if t in names]
    if not wanted:
        raise UnreadableFile(
            f"{path.name}: no sheet named {record_type or ' or '.join(IMPORTABLE)}"
        )
    for name in wanted:
        yield read_xlsx(path, name)


def _guess_type(header: Sequence[str]) -> str | None:
    """The importable type all of whose required fields, and most of whose fields, are here."""
    names = set(header)
    best, score = None, 0
    for type_ in IMPORTABLE:
        spec = spec_for(type_)
        if not all(f.name in names for f in spec.fields if f.required):
            continue
        hits = sum(f.name in names for f in spec.fields)
        if hits > score:
            best, score = type_, hits
    return best


class _SheetCheck:
    """Reads one sheet, checks every row, and gathers the changes to write."""

    def __init__(
        self,
        app: CaDesktop,
        file: str,
        kind: str,
        table: Table,
        record_type: str,
        result: ImportReport,
    ) -> None:
        self.app, self.file, self.kind, self.table = app, file, kind, table
        self.type, self.result = record_type, result
        self.spec = spec_for(record_type)
        self.seen_ids: set[str] = set()
        self.known: dict[str, set[str]] = {}
        self.names = RefNames(app)
        self.title_columns: dict[int, FieldSpec] = {}  # `<ref>.title` columns, by position

    def problem(self, row: int, column: str, reason: str) -> None:
        """`reason` in the user's language (the numbers already placed by the translation)."""
        self.result.add(Problem(self.file, self.table.name, row, column, reason))

    def run(self, progress: Progress | None) -> list[Change]:
        columns = self._columns()
        if columns is None:
            return []
        changes: list[Change] = []
        pending: list[tuple[int, str | None, dict[str, Any]]] = []
        count = 0
        for number, cells in self.table.rows:
            if number > 2 * MAX_ROWS:  # blank rows too cost time to read
                self.problem(
                    number, "", tr("more than {n} rows; split the file").format(n=MAX_ROWS)
                )
                break
            if not any(c not in (None, "") for c in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                self.problem(
                    number, "", tr("more than {n} rows; split the file").format(n=MAX_ROWS)
                )
                break
            parsed = self._parse(number, cells, columns)
            if parsed is not None:
                pending.append(parsed)
            if len(pending) >= _BATCH:
                changes += self._check_batch(pending)
                pending = []
                report(progress, self.table.position(), max(self.table.size_hint, 1))
        changes += self._check_batch(pending)
        report(progress, self.table.size_hint, max(self.table.size_hint, 1))
        return changes

    def _columns(self) -> dict[int, FieldSpec | None] | None:
        """{position: field} for the header; None (with problems) when it is unusable."""
        header = self.table.header
        while header and header[-1] == "":
            header.pop()
        if len(header) > MAX_COLUMNS:
            self.problem(1, "", tr("more than {n} columns").format(n=MAX_COLUMNS))
            return None
        writable = writable_fields(self.type)
        ignored = read_only_columns(self.type)
        out: dict[int, FieldSpec | None] = {}
        ok = True
        for i, name in enumerate(header):
            if name in [h for h in header[:i]]:
                self.problem(1, name, tr("the column appears twice"))
                ok = False
            elif name == ID:
                out[i] = None
            elif name in writable:
                out[i] = writable[name]
            elif name.endswith(TITLE_SUFFIX) and name[: -len(TITLE_SUFFIX)] in writable:
                self.title_columns[i] = writable[name[: -len(TITLE_SUFFIX)]]
            elif name not in ignored and name not in self.result.ignored_columns:
                self.result.ignored_columns.append(name)
        for fs in self.spec.fields:
            if fs.required and fs.name not in header:
                self.problem(1, fs.name, tr("required column is missing"))
                ok = False
        return out if ok else None

    def _parse(
        self, number: int, cells: list[Any], columns: dict[int, FieldSpec | None]
    ) -> tuple[int, str | None, dict[str, Any]] | None:
        data: dict[str, Any] = {}
        record_id: str | None = None
        bad = False
        if len(cells) > MAX_COLUMNS:
            self.problem(number, "", tr("more than {n} cells").format(n=MAX_COLUMNS))
            self.result.rejected += 1
            return None
        for i, fs in columns.items():
            raw = cells[i] if i < len(cells) else None
            name = fs.name if fs else ID
            if isinstance(raw, str):
                if len(raw) > MAX_CELL_CHARS:
                    self.problem(
                        number, name, tr("longer than {n} characters").format(n=MAX_CELL_CHARS)
                    )
                    bad = True
                    continue
                if self.kind == "csv":
                    raw = csv_unescape(raw)
            if fs is None:
                text = "" if raw is None else str(raw).strip().lower()
                if text and not is_uuid(text):
                    self.problem(
                        number, ID, tr("is not a record id (leave it empty for a new record)")
                    )
                    bad = True
                elif text in self.seen_ids:
                    self.problem(number, ID, tr("the same id appears on an earlier row"))
                    bad = True
                elif text:
                    self.seen_ids.add(text)
                    record_id = text
                continue
            try:
                value = cell_in(fs, raw)
                if fs.kind == "ref" and value and not is_uuid(value.strip()):
                    value = self.names.resolve(fs.ref or "", value)
                data[name] = value
            except ValueError as exc:
                self.problem(number, name, reason_text(exc))
                bad = True
        for i, fs in self.title_columns.items():
            raw = cells[i] if i < len(cells) else None
            if data.get(fs.name) is not None or raw is None or not str(raw).strip():
                continue  # the id column says which record: the name is only shown
            try:
                data[fs.name] = self.names.resolve(fs.ref or "", str(raw)[:MAX_CELL_CHARS])
            except ValueError as exc:
                self.problem(number, fs.name + TITLE_SUFFIX, reason_text(exc))
                bad = True
        if bad:
            self.result.rejected += 1
            return None
        return number, record_id, data

    def _check_batch(self, rows: list[tuple[int, str | None, dict[str, Any]]]) -> list[Change]:
        ids = [rid for _, rid, _ in rows if rid]
        stored = bulk.current_bodies(self.app, self.type, ids) if ids else {}
        changes = []
        for number, rid, data in rows:
            before = stored.get(rid) if rid else None
            if rid and before is None:
                self.problem(number, ID, fill("no {record} with this id", (("record", self.type),)))
                self.result.rejected += 1
                continue
            merged = {**before, **data} if before else data
            try:
                body = check(self.type, merged, keep=unknown_fields(self.type, before or {}))
            except ValidationError as exc:
                for issue in exc.issues:
                    self.problem(number, issue.field, issue.text())
                self.result.rejected += 1
                continue
            if not self._refs_exist(number, body):
                self.result.rejected += 1
                continue
            if before is not None:
                _keep_stored_precision(self.spec.fields, body, before)
            if before is not None and body == before:
                self.result.unchanged += 1
                continue
            if before is None:
                self.result.created += 1
            else:
                self.result.updated += 1
            changes.append(Change(self.type, rid, body))
        return changes

    def _refs_exist(self, number: int, body: dict[str, Any]) -> bool:
        ok = True
        for fs in self.spec.fields:
            value = body.get(fs.name)
            if fs.kind != "ref" or not value or not fs.ref:
                continue
            if fs.ref not in self.known:
                self.known[fs.ref] = set(self.app.titles(fs.ref))
            if value not in self.known[fs.ref]:
                self.problem(
                    number,
                    fs.name,
                    fill("no {record} with id {id}", (("record", fs.ref), ("id", value))),
                )
                ok = False
        return ok


def reason_text(exc: ValueError) -> str:
    """A refused cell's reason in the user's language."""
    return exc.text() if isinstance(exc, RuleBroken) else tr(str(exc))


def _keep_stored_precision(
    fields: Sequence[FieldSpec], body: dict[str, Any], before: dict[str, Any]
) -> None:
    """A number equal to the stored one to 15 significant digits keeps the stored value.

    Spreadsheets hold 15 to 16 significant digits (openpyxl writes `%.16g`), so a number
    read back may differ from the stored one in its last binary digits: that is no edit.
    """
    for fs in fields:
        new, old = body.get(fs.name), before.get(fs.name)
        if (
            fs.kind == "decimal"
            and isinstance(new, (int, float))
            and isinstance(old, (int, float))
            and new != old
            and math.isclose(new, old, rel_tol=1e-15)
        ):
            body[fs.name] = old
