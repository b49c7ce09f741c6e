"""Records out to spreadsheets: one CSV per record type, or one XLSX workbook.

Both stream: records are read a batch at a time and written as they come (openpyxl's
write-only mode), so 100,000 activities never sit in memory twice. Every write goes to a
temporary file renamed into place at the end, so a cancel or a failure leaves nothing.
The layout is `columns.layout`; the workbook adds a README sheet that explains every
column in English and in the chosen language.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.reports.columns import (
    TITLE_SUFFIX,
    Column,
    cell_out,
    csv_text,
    layout,
    updated_at,
)
from ca_desktop.reports.readme import readme_rows, set_readme_widths
from ca_desktop.services import bulk
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.atomic import atomic_output

# (sheet name, header, rows): extra sheets such as the indicator figures.
ExtraSheet = tuple[str, list[str], Iterable[Sequence[object]]]

# Attendance registers hold names and phone numbers: exported only when asked.
PERSONAL_TYPES = frozenset({"attendance_entry"})
BATCH = 2000
_BAD_SHEET_CHARS = set("[]:*?/\\")


def exported_types(with_registers: bool = False) -> list[str]:
    return [t for t in RECORD_SPECS if with_registers or t not in PERSONAL_TYPES]


class _Rows:
    """Builds the cells of one record type's rows, reference titles included."""

    def __init__(self, app: CaDesktop, record_type: str) -> None:
        self.record_type = record_type
        self.columns = layout(record_type, bulk.newer_field_names(app, record_type))
        refs = {c.field.ref for c in self.columns if c.field and c.field.kind == "ref"}
        self.titles = {ref: app.titles(ref) for ref in refs if ref}
        self.app = app

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def batches(self) -> Iterator[list[list[Any]]]:
        plan = [self._getter(c) for c in self.columns]
        for records in bulk.record_batches(self.app, self.record_type, BATCH):
            yield [[get(r) for get in plan] for r in records]

    def _getter(self, column: Column) -> Any:
        name, fs = column.name, column.field
        if name == "id":
            return lambda r: r.id
        if name == "updated_at":
            return lambda r: updated_at(r.updated_hlc)
        if name == "updated_by":
            return lambda r: r.updated_by or None
        if name.endswith(TITLE_SUFFIX):
            ref_field = spec_for(self.record_type).field(name[: -len(TITLE_SUFFIX)])
            titles = self.titles.get(ref_field.ref or "", {})
            return lambda r: titles.get(r.body.get(ref_field.name) or "")
        return lambda r: cell_out(fs, r.body.get(name))


def export_csv(
    app: CaDesktop, record_type: str, out: Path, progress: Progress | None = None
) -> int:
    """Write every live record of `record_type` to `out` (UTF-8 with a BOM, for Excel).

    One header row of field codes; text that a spreadsheet could run as a formula is
    neutralised (`columns.csv_text`). Returns the number of records written.
    """
    rows = _Rows(app, record_type)
    total = bulk.count_live(app, record_type)
    done = 0
    with atomic_output(out) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(rows.header)
        report(progress, 0, total)
        for batch in rows.batches():
            writer.writerows([csv_text(v) for v in row] for row in batch)
            done += len(batch)
            report(progress, min(done, total), total)
    return done


def export_workbook(
    app: CaDesktop,
    out: Path,
    with_registers: bool = False,
    lang: str = "en",
    extra_sheets: Sequence[ExtraSheet] = (),
    progress: Progress | None = None,
    record_types: Sequence[str] | None = None,
) -> dict[str, int]:
    """One XLSX workbook: a README sheet, one sheet per record type, then `extra_sheets`.

    `record_types` limits the sheets (attendance registers still need `with_registers`).
    Headers are frozen and filtered; dates are dates, numbers numbers, codes codes.
    Returns {record type: rows written}.
    """
    types = [t for t in exported_types(with_registers) if record_types is None or t in record_types]
    totals = {t: bulk.count_live(app, t) for t in types}
    grand = sum(totals.values())
    for name, _, _ in extra_sheets:
        _check_sheet_name(name, types)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("README")
    set_readme_widths(ws)
    for row in readme_rows(types, lang, dt.date.today()):
        ws.append(row)
    try:
        written: dict[str, int] = {}
        done = 0
        report(progress, 0, grand)
        for record_type in types:
            rows = _Rows(app, record_type)
            ws = _sheet(wb, record_type, rows.header)
            count = 0
            for batch in rows.batches():
                for row in batch:
                    ws.append(_safe_row(ws, row))
                count += len(batch)
                report(progress, min(done + count, grand), grand)
            done += count
            written[record_type] = count
            _finish(ws, len(rows.header), count)
        for name, header, body in extra_sheets:
            ws = _sheet(wb, name, header)
            count = 0
            for extra_row in body:
                _append(ws, list(extra_row))
                count += 1
            _finish(ws, len(header), count)
    except BaseException:
        _discard(wb)
        raise
    with atomic_output(out) as tmp:
        wb.save(tmp)
    return written


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook that will not be saved and remove its temporary files."""
    for ws in wb.worksheets:
        try:
            ws.close()
            ws._writer.cleanup()
        except Exception:  # noqa: BLE001, S110 - best effort: the export failed already
            pass


def _sheet(wb: Workbook, name: str, header: list[str]) -> Any:
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    for i, name_ in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name_) + 4))
    bold = Font(bold=True)
    cells = []
    for name_ in header:
        cell = WriteOnlyCell(ws, value=name_)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    return ws


def _finish(ws: Any, columns: int, rows: int) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(max(columns, 1))}{rows + 1}"


def _append(ws: Any, row: list[Any]) -> None:
    try:
        ws.append(_safe_row(ws, row))
    except IllegalCharacterError:
        # Control characters pasted into a text: XLSX cannot hold them, so they are dropped
        # from this export (the record keeps them; CSV carries them).
        clean = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        ws.append(_safe_row(ws, clean))


def _safe_row(ws: Any, row: list[Any]) -> list[Any]:
    """Text starting with '=' stays text: openpyxl would otherwise write it as a formula."""
    for i, value in enumerate(row):
        if type(value) is str and value.startswith("="):
            cell = WriteOnlyCell(ws, value=value)
            cell.data_type = "s"
            row[i] = cell
    return row


def _check_sheet_name(name: str, taken: Sequence[str]) -> None:
    if not name or len(name) > 31 or _BAD_SHEET_CHARS & set(name) or name in taken:
        raise ValueError(f"not a usable sheet name: {name!r}")
    if name == "README":
        raise ValueError("the README sheet name is taken")
