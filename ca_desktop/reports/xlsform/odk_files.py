"""The CSV files of an ODK Central or KoboToolbox export: a main CSV and one per repeat,
given as the main `.csv` (its repeat CSVs beside it, `<main>-<repeat>.csv`) or the `.zip`
they are downloaded in.

Everything is bounded before use (sizes, member count, rows, columns, cell length); zip
member names only name tables, they are never used as paths.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ca_desktop.reports.sheet_reader import UnreadableFile

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TOTAL = 400 * 1024 * 1024  # all CSVs of a zip, unpacked
MAX_MEMBERS = 200
MAX_ROWS = 200_000
MAX_COLUMNS = 2000
MAX_CELL = 32_767
PARENT_COLUMNS = ("PARENT_KEY", "_parent_index", "_submission__uuid")


@dataclass
class CsvTable:
    name: str  # file name without .csv
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number as the file numbers it, cells)

    @property
    def is_repeat(self) -> bool:
        return any(c in self.header for c in PARENT_COLUMNS)


def read_export(path: Path) -> list[CsvTable]:
    """The tables of the export, the main one first; UnreadableFile when it is not one."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        tables = _from_zip(path)
    elif suffix == ".csv":
        tables = [_table(path.stem, _read_bytes(path), path.name)]
        for sibling in sorted(path.parent.glob(f"{path.stem}-*.csv")):
            if sibling.is_file() and len(tables) < MAX_MEMBERS:
                tables.append(_table(sibling.stem, _read_bytes(sibling), sibling.name))
    else:
        raise UnreadableFile(f"{path.name}: not a .csv or .zip file")
    mains = [t for t in tables if not t.is_repeat]
    if len(mains) != 1:
        raise UnreadableFile(f"{path.name}: needs exactly one main CSV, found {len(mains)}")
    return mains + [t for t in tables if t.is_repeat]


def _read_bytes(path: Path) -> bytes:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path.name}: larger than {MAX_FILE_BYTES // 2**20} MB")
    return path.read_bytes()


def _from_zip(path: Path) -> list[CsvTable]:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path.name}: larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if i.filename.lower().endswith(".csv")]
            if len(zf.infolist()) > 10 * MAX_MEMBERS or len(infos) > MAX_MEMBERS:
                raise UnreadableFile(f"{path.name}: too many files in the zip")
            names = [i.filename for i in infos]
            if len(set(names)) != len(names):
                raise UnreadableFile(f"{path.name}: the same file twice in the zip")
            if sum(i.file_size for i in infos) > MAX_TOTAL:
                raise UnreadableFile(f"{path.name}: unpacks to more than {MAX_TOTAL // 2**20} MB")
            tables = []
            for info in infos:
                stem = PurePosixPath(info.filename).stem
                with zf.open(info) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)  # the declared size may lie
                if len(data) > MAX_FILE_BYTES:
                    raise UnreadableFile(f"{path.name}: {stem}.csv is too large")
                tables.append(_table(stem, data, f"{stem}.csv"))
            return tables
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{path.name}: not a zip file (damaged or another format)") from None


def _table(name: str, data: bytes, shown: str) -> CsvTable:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(f"{shown}: not UTF-8 text (ODK and Kobo write UTF-8)") from None
    if "\x00" in text:
        raise UnreadableFile(f"{shown}: contains NUL characters (not a text file)")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Kobo's default is ;
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        if len(header) > MAX_COLUMNS:
            raise UnreadableFile(f"{shown}: more than {MAX_COLUMNS} columns")
        rows: list[tuple[int, list[str]]] = []
        for cells in reader:
            # Whole-row tests in C (`join`, `map`): they run on every row of big exports.
            if not "".join(cells).strip():
                continue
            if len(rows) >= MAX_ROWS:
                raise UnreadableFile(f"{shown}: more than {MAX_ROWS} rows")
            if max(map(len, cells)) > MAX_CELL:
                raise UnreadableFile(f"{shown}: row {reader.line_num}: a cell is too long")
            rows.append((reader.line_num, cells[: len(header)]))
    except csv.Error as exc:
        raise UnreadableFile(f"{shown}: row {reader.line_num}: {exc}") from None
    return CsvTable(name, header, rows)
