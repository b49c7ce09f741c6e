"""Spreadsheets out: layout from the declarations, real types, one header row, atomic."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Cancelled
from ca_desktop.domain.records import spec_for
from ca_desktop.reports.columns import layout
from ca_desktop.reports.spreadsheet_export import export_csv, export_workbook
from ca_desktop.services.app import CaDesktop


def test_columns_follow_the_declaration() -> None:
    names = [c.name for c in layout("activity")]
    declared = list(spec_for("activity").field_names)
    assert names[0] == "id" and names[-2:] == ["updated_at", "updated_by"]
    assert [n for n in names if n in declared] == declared
    assert names[names.index("programme_id") + 1] == "programme_id.title"
    assert [c.name for c in layout("activity", ["zeta", "alpha"])][-4:-2] == ["alpha", "zeta"]


def test_csv_has_one_header_row_and_neutralised_formulas(
    app: CaDesktop, activities: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "a.csv"
    assert export_csv(app, "activity", out) == 3
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [c.name for c in layout("activity")]
    assert len(rows) == 4 and sum(r[0] == "id" for r in rows) == 1
    titles = {r[rows[0].index("title")] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in titles
    first = next(r for r in rows if r[0] == activities[0])
    assert first[rows[0].index("programme_id.title")] == "Uganda Country Programme"
    assert first[rows[0].index("themes")] == "resilience,gender"
    assert first[rows[0].index("updated_by")] == "Amina Nakato"


def test_workbook_types_frozen_header_filter_and_registers_only_when_asked(
    app: CaDesktop, activities: list[str], tmp_path: Path
) -> None:
    app.save(
        "attendance_entry",
        {"activity_id": activities[0], "name": "Jane", "sex": "female", "age_band": "15_24"},
    )
    out = tmp_path / "w.xlsx"
    counts = export_workbook(
        app, out, lang="fr", extra_sheets=[("figures", ["code", "value"], [["people", 25]])]
    )
    assert counts["activity"] == 3 and "attendance_entry" not in counts
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "README" and "attendance_entry" not in wb.sheetnames
    ws = wb["activity"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == activities[0])
    assert row[header.index("start_date")] == dt.datetime(2026, 11, 2)
    assert row[header.index("female_youth")] == 5
    assert row[header.index("level")] == "community"
    title_column = ws[get_column_letter(header.index("title") + 1)]
    formula = next(c for c in title_column if c.value and str(c.value).startswith("="))
    assert formula.data_type == "s"  # text, never a formula
    assert [c.value for c in wb["figures"][2]] == ["people", 25]
    readme = [r for r in wb["README"].iter_rows(values_only=True)]
    [start] = [r for r in readme if r[:2] == ("activity", "start_date")]
    assert start[2] == "Start date" and start[3] == tr("Start date", "fr") != "Start date"
    with_registers = export_workbook(app, tmp_path / "r.xlsx", with_registers=True)
    assert with_registers["attendance_entry"] == 1


def test_cancel_leaves_no_file(app: CaDesktop, activities: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        export_workbook(app, folder / "w.xlsx", progress=lambda done, total: done == 0)
    with pytest.raises(Cancelled):
        export_csv(app, "activity", folder / "a.csv", progress=lambda done, total: done == 0)
    assert list(folder.iterdir()) == []


def test_fields_from_a_newer_version_become_extra_columns(
    app: CaDesktop, activity_body: dict[str, object], tmp_path: Path
) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
    from schema_versions import NEWER, running

    with running(NEWER):
        rid = app.save("activity", {**activity_body, "budget": 1500}).id
    out = tmp_path / "a.csv"
    export_csv(app, "activity", out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][-3:] == ["budget", "updated_at", "updated_by"]
    row = next(r for r in rows if r[0] == rid)
    assert row[-3] == "1500"
