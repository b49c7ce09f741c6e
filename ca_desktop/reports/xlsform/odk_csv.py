"""`import_odk_csv`: submissions collected with ODK Collect or KoboCollect, from the CSV
export of ODK Central or KoboToolbox, as `form_submission` records of the form they were
collected with (a form CA Desktop exported, so column names are the CA field names).

Idempotent: a submission's id derives from its `instanceID` (`meta-instanceID`, `KEY`,
Kobo's `_uuid`), and one already here is left as it is. Every row is checked with the
form's own rules; all or nothing, with row and column for each problem, as in spreadsheet
import (`import_report.py`).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from ca_desktop.domain.gc_pause import gc_paused
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.validation import FieldIssue, ValidationError
from ca_desktop.forms.loader import all_forms, get_form
from ca_desktop.forms.mapping import submission_change
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.photos import photo_changes, store_photo
from ca_desktop.forms.row_check import RowChecker
from ca_desktop.forms.typed_values import GEO_COLUMNS
from ca_desktop.reports.import_report import ImportRejected, ImportReport, Problem
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.xlsform.convert import form_code
from ca_desktop.reports.xlsform.odk_cells import Converter, convert_column, converter
from ca_desktop.reports.xlsform.odk_files import CsvTable, read_export
from ca_desktop.reports.xlsform.odk_media import check_photos, photos
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.revisions import Change

ID_COLUMNS = ("meta-instanceID", "meta/instanceID", "instanceID", "_uuid", "KEY")
_NAMESPACE = uuid.UUID("0f8e3c55-52b1-4c8e-bb0e-2d6f1f4f9a70")


class UnknownForm(ValueError):
    """The export does not say which form it is for, or names one CA Desktop lacks."""


def submission_id(instance_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, instance_id.strip()))


def import_odk_csv(
    app: CaDesktop,
    path: Path,
    code: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the submissions of one export; ImportRejected (nothing written) on problems."""
    with gc_paused():
        return _import(app, path, code, dry_run, progress)


def _import(
    app: CaDesktop, path: Path, code: str | None, dry_run: bool, progress: Progress | None
) -> ImportReport:
    try:
        tables = read_export(path)
    except UnreadableFile as exc:
        raise ImportRejected(_whole(path, str(exc), dry_run)) from None
    main, repeats = tables[0], tables[1:]
    form = _form(app, code, main.name)
    result = ImportReport(dry_run, record_types=["form_submission"])
    reader = _Reader(form, result, f"{main.name}.csv")
    nested = {t.name: t for t in repeats}
    rows = reader.rows(main, nested)
    report(progress, 1, 4)
    changes: list[Change] = []
    lines: list[int] = []  # the CSV line of each change
    ids = [rid for rid, _line, _values in rows]
    existing = _existing(app, ids)
    # Record fields (the CUF project a visit belongs to) must name records that are here.
    known = {
        f.name: set(app.titles(f.record_type or "")) for f in form.fields() if f.type == "record"
    }
    checker = RowChecker(form)
    lang = form.languages[0]
    for rid, line, values in rows:
        items: list[dict[str, Any]] = []
        kept, issues = checker.check_row(values, items)
        for name, here in known.items():
            value = values.get(name)
            if value and value not in here and not any(i.field == name for i in issues):
                issues.append(FieldIssue(name, "no such record on this laptop (not synced yet?)"))
        for issue in issues:
            result.add(Problem(reader.file, "", line, issue.field, issue.message))
        if issues:
            result.rejected += 1
        elif rid in existing:
            result.unchanged += 1
        else:
            try:
                changes.append(submission_change(form, kept, rid, lang, items=items))
                lines.append(line)
            except ValidationError as exc:
                for issue in exc.issues:
                    result.add(Problem(reader.file, "", line, issue.field, issue.message))
                result.rejected += 1
    report(progress, 2, 4)
    if result.problems:
        raise ImportRejected(result)
    result.created = len(changes)
    pictures = _pictures(form, changes, lines)
    if pictures and path.suffix.lower() == ".zip":
        for name, reason in check_photos(path, set(pictures)).items():
            for line, field, _value in pictures[name]:
                result.add(Problem(reader.file, "", line, field, f"{name}: {reason}"))
        if result.problems:
            raise ImportRejected(result)
    if not dry_run and changes:
        if pictures and path.suffix.lower() == ".zip":
            changes += _attach(app, form, path, pictures, changes, lang)
        app.save_many(changes, validate=False)
        result.written = True
    report(progress, 4, 4)
    return result


# file name -> [(CSV line, field, the image value naming it)]
_Pictures = dict[str, list[tuple[int, str, dict[str, Any]]]]


def _pictures(form: FormDef, changes: list[Change], lines: list[int]) -> _Pictures:
    """The photos the new submissions name, by file name (image fields only)."""
    images = {f.name for f in form.fields() if f.type == "image"}
    out: _Pictures = {}
    if not images:
        return out
    for change, line in zip(changes, lines, strict=True):
        for item in (change.body or {}).get("values", []):
            value = item["value"]
            if item["field"] in images and isinstance(value, dict):
                out.setdefault(value["filename"], []).append((line, item["field"], value))
    return out


def _attach(
    app: CaDesktop,
    form: FormDef,
    path: Path,
    pictures: _Pictures,
    changes: list[Change],
    lang: str,
) -> list[Change]:
    """Store the zip's photos (checked already); an attachment write for each submission's
    photo, its image value now naming the stored file."""
    for name, data in photos(path, set(pictures)):
        stored = store_photo(app, name, data)
        for _line, _field, value in pictures[name]:
            value.update(sha256=stored["sha256"], size=stored["size"])
    out: list[Change] = []
    for change in changes:
        if change.record_id is None or change.body is None:
            continue
        values = {item["field"]: item["value"] for item in change.body["values"]}
        out += photo_changes(form, values, change.record_id, lang)
    return out


def _whole(path: Path, reason: str, dry_run: bool) -> ImportReport:
    result = ImportReport(dry_run)
    result.add(Problem(path.name, "", 0, "", reason.removeprefix(f"{path.name}: ")))
    return result


def _form(app: CaDesktop, code: str | None, table_name: str) -> FormDef:
    if code:
        try:
            return get_form(code, app)
        except KeyError:
            raise UnknownForm(tr("no form with code {code}").format(code=repr(code))) from None
    guess = form_code(table_name)
    for form in all_forms(app):
        if form.code == guess:
            return form
    raise UnknownForm(
        tr("which form is {file} for? Name it with --form CODE").format(file=f"{table_name}.csv")
    )


def _existing(app: CaDesktop, ids: list[str]) -> set[str]:
    """Which of these submissions are here already (one query for all of them)."""
    return set(ids) & set(app.titles("form_submission"))


# (index in the row, field name, converter, participant count or None)
_Column = tuple[int, str, Converter, str | None]


class _Reader:
    """Cells to form values, field by field, with a problem for each cell that cannot be."""

    def __init__(self, form: FormDef, result: ImportReport, file: str) -> None:
        self.form, self.result, self.file = form, result, file
        self.fields = {f.name: f for f in form.fields()}

    def rows(
        self, main: CsvTable, repeats: dict[str, CsvTable]
    ) -> list[tuple[str, int, dict[str, Any]]]:
        columns = self._columns(main.header, self.fields, main.name)
        id_col = next((main.header.index(c) for c in ID_COLUMNS if c in main.header), None)
        if id_col is None:
            self.result.add(Problem(self.file, "", 1, "", "no instanceID, KEY or _uuid column"))
            raise ImportRejected(self.result)
        key_col = _index(main.header, ("KEY", "_index"))
        children = self._children(repeats)
        converted = self._table_values(main, columns, self.file)
        out = []
        seen: set[str] = set()
        for (line, cells), values in zip(main.rows, converted, strict=True):
            instance = _cell(cells, id_col)
            if not instance:
                self.result.add(Problem(self.file, "", line, main.header[id_col], "is empty"))
                continue
            if instance in seen:
                self.result.add(Problem(self.file, "", line, main.header[id_col], "repeats"))
                continue
            seen.add(instance)
            key = _cell(cells, key_col) if key_col is not None else instance
            for name, rows_of in children.items():
                values[name] = rows_of.get(key, [])
            out.append((submission_id(instance), line, values))
        return out

    def _children(self, repeats: dict[str, CsvTable]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        out: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for table in repeats.values():
            name = table.name.rsplit("-", 1)[-1]
            f = self.fields.get(name)
            file = f"{table.name}.csv"
            if f is None or f.type != "table":
                self.result.ignored_columns.append(file)
                continue
            columns = self._columns(table.header, {c.name: c for c in f.columns}, table.name)
            parent = _index(table.header, ("PARENT_KEY", "_parent_index"))
            by_parent: dict[str, list[dict[str, Any]]] = {}
            converted = self._table_values(table, columns, file)
            for (_line, cells), row in zip(table.rows, converted, strict=True):
                # An empty cell is no key in the stored row (the main row's are left out
                # of the submission's values likewise).
                cells_kept = {k: v for k, v in row.items() if v is not None}
                by_parent.setdefault(_cell(cells, parent), []).append(cells_kept)
            out[f.name] = by_parent
        return out

    def _columns(self, header: list[str], fields: dict[str, FieldDef], table: str) -> list[_Column]:
        """Which columns hold which field, each with its converter: planned once per file.
        A second column for the same field (or count) is ignored, not merged."""
        out: list[_Column] = []
        taken: set[tuple[str, str]] = set()
        for i, h in enumerate(header):
            parts = h.replace("/", "-").split("-")
            name = parts[-1]
            base, _, count = name.partition("__")
            f = fields.get(name) or fields.get(base)
            geo = fields.get(parts[-2]) if len(parts) > 1 else None
            if f is None and geo is not None and geo.type == "geopoint":
                # ODK Central: `loc-Latitude`, `loc-Longitude`, `loc-Altitude`, `loc-Accuracy`
                count = GEO_COLUMNS.get(name.lower(), "")
                f = geo if count else None
            parted = ("participants", "geopoint")
            bad = f is None or f.type == "table" or (count and f.type not in parted)
            if bad or f is None or (f.name, count) in taken:
                if h not in ID_COLUMNS and not h.startswith("_"):
                    self.result.ignored_columns.append(f"{table}: {h}")
                continue
            taken.add((f.name, count))
            out.append((i, f.name, converter(f, count or None), count or None))
        return out

    def _table_values(
        self, table: CsvTable, columns: list[_Column], file: str
    ) -> list[dict[str, Any]]:
        """Each row's values, converted column by column (`odk_cells.convert_column`)."""
        width = len(table.header)
        grid = [c if len(c) == width else (c + [""] * width)[:width] for _line, c in table.rows]
        cols = list(zip(*grid, strict=True)) if grid else [() for _ in range(width)]
        names: list[str] = []
        plain: list[list[Any]] = []
        counts: list[tuple[str, str, list[Any]]] = []
        for i, name, convert, count in columns:
            values, problems = convert_column(cols[i], convert)
            for row, message in problems:
                self.result.add(Problem(file, "", table.rows[row][0], name, message))
            if count is None:
                names.append(name)
                plain.append(values)
            else:
                counts.append((name, count, values))
        # An empty cell reads as None, as a missing one does (`values.get`).
        out = [dict(zip(names, row, strict=True)) for row in zip(*plain, strict=True)]
        if not plain:
            out = [{} for _ in grid]
        for name, count, values in counts:
            for row_values, value in zip(out, values, strict=True):
                row_values.setdefault(name, {})[count] = value
        return out


def _index(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""
