"""Reading CSV and XLSX files from outside, which are treated as hostile.

Everything is bounded before it is used: the file's size, an XLSX's uncompressed size and
member count (a zip bomb is refused before openpyxl opens it), XML declarations that could
expand entities, rows, columns and the length of every cell. Formula cells are read as
their text and never evaluated. A CSV may be UTF-8 (with or without the BOM Excel writes)
or, failing that, Windows-1252 (what Excel's plain "CSV" saves on Windows); the
delimiter is a comma or, as French and Spanish Excel write it, a semicolon.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED = 600 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
_XML_PREFIX = 64 * 1024


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: one line saying why."""


@dataclass
class Table:
    """One sheet: its name, header and rows as (row number as the user sees it, cells)."""

    name: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    size_hint: int  # rows expected, or 0 when unknown
    position: Any  # () -> rows read so far, for progress


def file_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise UnreadableFile(f"{path.name}: not a .csv or .xlsx file")


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path.name}: larger than {MAX_FILE_BYTES // 2**20} MB")


# -- CSV -------------------------------------------------------------------------------


def read_csv(path: Path) -> Table:
    _check_size(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableFile(f"{path.name}: not UTF-8 or Windows-1252 text") from None
    del raw
    if "\x00" in text:
        raise UnreadableFile(f"{path.name}: contains NUL characters (not a text file)")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    lines = text.count("\n")
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise UnreadableFile(f"{path.name}: row 1: {exc}") from None
    state = {"row": 1}

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for cells in reader:
                state["row"] = reader.line_num
                yield reader.line_num, list(cells)
        except csv.Error as exc:
            raise UnreadableFile(f"{path.name}: row {reader.line_num}: {exc}") from None

    return Table("", [h.strip() for h in header], rows(), lines, lambda: state["row"])


# -- XLSX ------------------------------------------------------------------------------


def check_xlsx_container(path: Path) -> None:
    """Refuse what could exhaust memory or time before openpyxl sees the file."""
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise UnreadableFile(f"{path.name}: too many parts ({len(infos)})")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise UnreadableFile(f"{path.name}: duplicate parts in the file")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise UnreadableFile(
                    f"{path.name}: unpacks to more than {MAX_UNCOMPRESSED // 2**20} MB"
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as fh:
                        _check_xml_prologue(path, info.filename, fh.read(_XML_PREFIX))
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{path.name}: not an XLSX file (damaged or another format)") from None


def _check_xml_prologue(path: Path, member: str, head: bytes) -> None:
    """No DTD (entity expansion) and UTF-8 only: what Excel and LibreOffice write."""
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise UnreadableFile(f"{path.name}: {member} declares a DTD, which is not allowed")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise UnreadableFile(f"{path.name}: {member} is not UTF-8")


def xlsx_sheet_names(path: Path) -> list[str]:
    check_xlsx_container(path)
    wb = _open_workbook(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet; data_only=False gives formulas as their text.
        return load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise UnreadableFile(
            f"{path.name}: cannot be read as XLSX ({type(exc).__name__})"
        ) from None


def read_xlsx(path: Path, sheet: str) -> tuple[Table, Any]:
    """The sheet as a Table, and the workbook to close once the rows have been read."""
    check_xlsx_container(path)
    wb = _open_workbook(path)
    if sheet not in wb.sheetnames:
        wb.close()
        raise UnreadableFile(f"{path.name}: no sheet named {sheet!r}")
    ws = wb[sheet]
    state = {"row": 1}
    source = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)

    def strip(cells: tuple[Any, ...]) -> list[Any]:
        out = list(cells)
        while out and out[-1] is None:
            out.pop()
        return out

    try:
        header_cells = strip(next(source, ()))
    except Exception as exc:  # noqa: BLE001
        wb.close()
        raise UnreadableFile(
            f"{path.name}: sheet {sheet}: unreadable ({type(exc).__name__})"
        ) from None
    header = ["" if h is None else str(h).strip() for h in header_cells]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for cells in source:
                number += 1
                state["row"] = number
                yield number, strip(cells)
        except UnreadableFile:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part
            raise UnreadableFile(
                f"{path.name}: sheet {sheet}: row {number}: unreadable ({type(exc).__name__})"
            ) from None

    hint = ws.max_row if isinstance(ws.max_row, int) and ws.max_row <= MAX_ROWS else 0
    return Table(sheet, header, rows(), hint, lambda: state["row"]), wb
