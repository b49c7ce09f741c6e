"""Blank import templates: one XLSX per record type, ready to fill in.

The sheet has the import layout's header (frozen, filtered), a drop-down of the allowed
codes on every code column (from a `codes` sheet, since Excel caps inline lists at 255
characters), and the README sheet explaining every column in English and the chosen
language, with each code's label.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.reports.columns import layout
from ca_desktop.reports.readme import code_labels, readme_rows, set_readme_widths
from ca_desktop.reports.spreadsheet_import import IMPORTABLE
from ca_desktop.services.atomic import atomic_output

TEMPLATE_ROWS = 5000  # how far down the drop-downs reach


def write_template(
    record_type: str, out: Path, lang: str = "en", progress: Progress | None = None
) -> Path:
    """Write the blank template for `record_type` to `out` (atomically)."""
    if record_type not in IMPORTABLE:
        raise ValueError(f"no template for {record_type}: choose one of {', '.join(IMPORTABLE)}")
    report(progress, 0, 1)
    wb = Workbook()
    ws = wb.active
    ws.title = record_type
    columns = layout(record_type)
    bold = Font(bold=True)
    codes = wb.create_sheet("codes")
    codes_col = 0
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.name)
        cell.font = bold
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, len(column.name) + 4))
        fs = column.field
        if fs is None or fs.enum is None:
            continue
        codes_col += 1
        code_letter = get_column_letter(codes_col)
        codes.cell(row=1, column=codes_col, value=fs.name).font = bold
        members = [m.value for m in fs.enum]
        for r, code in enumerate(members, start=2):
            codes.cell(row=r, column=codes_col, value=code)
        source = f"{quote_sheetname('codes')}!${code_letter}$2:${code_letter}${len(members) + 1}"
        # A multi-code column (themes) takes "a,b": a drop-down there would refuse it.
        dv = DataValidation(type="list", formula1=source, allow_blank=True)
        dv.showErrorMessage = fs.kind == "enum"
        dv.error = tr("Choose a code from the list", lang)
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    readme = wb.create_sheet("README")
    set_readme_widths(readme)
    for row in readme_rows([record_type], lang, dt.date.today()):
        readme.append(row)
    readme.append([])
    readme.append(["field", "code", tr("Label", lang)])
    for row in code_labels(record_type, lang):
        readme.append(row)
    codes.sheet_state = "hidden"
    with atomic_output(out) as tmp:
        wb.save(tmp)
    report(progress, 1, 1)
    return out
