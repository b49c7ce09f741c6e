"""Reading the survey, choices and settings sheets of an XLSForm, bounded.

The container is checked by `sheet_reader` (size, zip bomb, DTDs) before openpyxl opens
it; then rows, columns, cell lengths and the time spent are bounded here. Formula cells are
never evaluated: they are reported and read as empty.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ca_desktop.reports.import_report import Problem
from ca_desktop.reports.sheet_reader import UnreadableFile, check_xlsx_container
from ca_desktop.reports.xlsform.headers import Header, parse_header

MAX_SURVEY_ROWS = 5000
MAX_CHOICE_ROWS = 20_000
MAX_COLUMNS = 100
MAX_CELL = 4000
MAX_SECONDS = 30.0
MAX_FILE_BYTES = 20 * 1024 * 1024
# Sheets often claim a million formatted but empty rows: that many blank rows in a row
# means the sheet has ended.
MAX_BLANK_RUN = 500


@dataclass
class Row:
    number: int  # as the spreadsheet numbers it
    cells: dict[Header, str]
    letters: dict[Header, str]  # header -> column letter, for messages

    def get(self, column: str, lang: str | None = None) -> str:
        return self.cells.get(Header(column, lang), "")

    def texts(self, column: str) -> dict[str | None, str]:
        """A translatable column in every language present: {lang or None: text}."""
        return {h.lang: v for h, v in self.cells.items() if h.column == column and v}

    def letter(self, column: str) -> str:
        return next((v for h, v in self.letters.items() if h.column == column), column)


@dataclass
class Sheets:
    survey: list[Row]
    choices: list[Row]
    settings: dict[str, str]
    problems: list[Problem] = field(default_factory=list)  # unsupported things, reported


def read_xlsform(path: Path) -> Sheets:
    """The three sheets as rows of text; UnreadableFile when the file cannot be one."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UnreadableFile(f"{path.name}: not an .xlsx file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path.name}: larger than {MAX_FILE_BYTES // 2**20} MB")
    check_xlsx_container(path)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UnreadableFile(
            f"{path.name}: cannot be read as XLSX ({type(exc).__name__})"
        ) from None
    try:
        by_name = {str(n).strip().lower(): n for n in wb.sheetnames}
        if "survey" not in by_name:
            raise UnreadableFile(f"{path.name}: no sheet named survey (is it an XLSForm?)")
        out = Sheets([], [], {})
        deadline = time.monotonic() + MAX_SECONDS
        out.survey = _rows(wb[by_name["survey"]], "survey", MAX_SURVEY_ROWS, out, path, deadline)
        if "choices" in by_name:
            sheet = wb[by_name["choices"]]
            out.choices = _rows(sheet, "choices", MAX_CHOICE_ROWS, out, path, deadline)
        if "settings" in by_name:
            rows = _rows(wb[by_name["settings"]], "settings", 50, out, path, deadline)
            if rows:
                out.settings = {h.column: v for h, v in rows[0].cells.items() if v}
        return out
    finally:
        wb.close()


def _rows(ws: Any, sheet: str, limit: int, out: Sheets, path: Path, deadline: float) -> list[Row]:
    rows: list[Row] = []
    headers: list[Header | None] = []
    letters: list[str] = []
    number = 0
    blank = 0
    try:
        for cells in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            number += 1
            if all(c is None or str(c).strip() == "" for c in cells):
                blank += 1
                if blank > MAX_BLANK_RUN:
                    break
                continue
            blank = 0
            if time.monotonic() > deadline:
                raise UnreadableFile(
                    f"{path.name}: takes too long to read (over {MAX_SECONDS:.0f} s)"
                )
            if len(cells) > MAX_COLUMNS and any(c is not None for c in cells[MAX_COLUMNS:]):
                raise UnreadableFile(
                    f"{path.name}: sheet {sheet} has more than {MAX_COLUMNS} columns"
                )
            if not headers:
                headers, letters = _header(cells)
                continue
            if len(rows) >= limit:
                raise UnreadableFile(f"{path.name}: sheet {sheet} has more than {limit} rows")
            rows.append(_row(cells, headers, letters, number, sheet, out, path))
    except UnreadableFile:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet part
        raise UnreadableFile(
            f"{path.name}: sheet {sheet}: row {number}: unreadable ({type(exc).__name__})"
        ) from None
    return rows


def _header(cells: tuple[Any, ...]) -> tuple[list[Header | None], list[str]]:
    from openpyxl.utils import get_column_letter

    headers: list[Header | None] = []
    letters = []
    for i, c in enumerate(cells[:MAX_COLUMNS]):
        text = "" if c is None else str(c)[:200].strip()
        headers.append(parse_header(text) if text else None)
        letters.append(get_column_letter(i + 1))
    return headers, letters


def _row(
    cells: tuple[Any, ...],
    headers: list[Header | None],
    letters: list[str],
    number: int,
    sheet: str,
    out: Sheets,
    path: Path,
) -> Row:
    values: dict[Header, str] = {}
    where: dict[Header, str] = {}
    for i, c in enumerate(cells[: len(headers)]):
        h = headers[i]
        if h is None or c is None:
            continue
        text = str(int(c)) if isinstance(c, float) and c.is_integer() else str(c).strip()
        if text.startswith("=") and len(text) > 1:
            out.problems.append(
                Problem(path.name, sheet, number, letters[i], "a formula; type the value itself")
            )
            continue
        if len(text) > MAX_CELL:
            raise UnreadableFile(
                f"{path.name}: sheet {sheet} row {number} column {letters[i]}: "
                f"longer than {MAX_CELL} characters"
            )
        values[h] = text
        where[h] = letters[i]
    return Row(number, values, where)
