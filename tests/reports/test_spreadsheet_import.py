"""Spreadsheets in: create, update, unchanged, every problem named, nothing half-written."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ca_desktop.reports.columns import layout
from ca_desktop.reports.spreadsheet_export import export_csv, export_workbook
from ca_desktop.reports.spreadsheet_import import ImportRejected, import_spreadsheet
from ca_desktop.reports.templates import write_template
from ca_desktop.services.app import CaDesktop


def write_csv(
    path: Path, header: list[str], rows: list[list[Any]], encoding: str = "utf-8"
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_reimporting_an_export_changes_nothing(
    app: CaDesktop, activities: list[str], tmp_path: Path
) -> None:
    export_csv(app, "activity", tmp_path / "a.csv")
    export_workbook(app, tmp_path / "w.xlsx")
    revisions = [len(app.history(i)) for i in activities]
    for name in ("a.csv", "w.xlsx"):
        result = import_spreadsheet(app, tmp_path / name)
        assert (result.created, result.updated, result.rejected) == (0, 0, 0), result.problems
        assert result.unchanged >= 3 and not result.ignored_columns
    assert [len(app.history(i)) for i in activities] == revisions


def test_an_edit_round_trips_into_history(
    app: CaDesktop, activities: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "w.xlsx"
    export_workbook(app, path)
    wb = load_workbook(path)
    ws = wb["activity"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == activities[0]:
            row[header.index("female_other")].value = 12
    wb.save(path)
    dry = import_spreadsheet(app, path, "activity", dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (0, 1, 2) and not dry.written
    assert app.get("activity", activities[0]).body["female_other"] == 10  # type: ignore[union-attr]
    done = import_spreadsheet(app, path, "activity")
    assert done.written and done.updated == 1
    last = app.history(activities[0])[-1]
    assert last.author == "Amina Nakato"
    assert [(c.field, c.old, c.new) for c in last.changes] == [("female_other", 10, 12)]


def test_new_rows_from_french_labels_and_a_semicolon_cp1252_csv(
    app: CaDesktop, programme_id: str, settlement_id: str, tmp_path: Path
) -> None:
    header = ["programme_id", "level", "type", "title", "start_date", "status", "themes"]
    rows = [
        [
            programme_id,
            "Communautaire",
            "Forum de quartier",
            "Forum à Kisenyi",
            "2026-10-01",
            "Terminé",
            "genre; Resilience",
        ],
    ]
    path = tmp_path / "fr.csv"
    with open(path, "w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)
    from ca_desktop.domain.i18n import label

    # The labels above must be the catalog's: otherwise this test proves nothing.
    assert label("community", "fr") == "Communautaire", label("community", "fr")
    result = import_spreadsheet(app, path, "activity")
    assert result.created == 1, result.problems
    [activity] = app.list_records("activity")
    assert activity.body["title"] == "Forum à Kisenyi"
    assert activity.body["themes"] == ["resilience", "gender"]


def test_every_problem_is_named_and_nothing_is_written(
    app: CaDesktop, programme_id: str, tmp_path: Path
) -> None:
    header = [c.name for c in layout("activity")]
    good = {
        "programme_id": programme_id,
        "level": "local",
        "type": "training",
        "title": "Ok",
        "start_date": "2026-01-05",
        "status": "completed",
    }
    bad_date = {**good, "start_date": "05/01/2026"}
    bad_ref = {**good, "place_id": "01a22a18-e498-715f-9985-8ce8c00a92fe"}
    bad_end = {**good, "end_date": "2025-01-01"}
    unknown_id = {**good, "id": "01a22a18-e498-715f-9985-8ce8c00a92ff"}
    rows = [[r.get(h, "") for h in header] for r in (good, bad_date, bad_ref, bad_end, unknown_id)]
    path = write_csv(tmp_path / "bad.csv", header, rows)
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, path, "activity")
    report = caught.value.report
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(3, "start_date"), (4, "place_id"), (5, "end_date"), (6, "id")}
    assert str(report.problems[0]).startswith("bad.csv, row 3, column start_date: ")
    assert report.rejected == 4 and app.count("activity") == 0
    dry = import_spreadsheet(app, path, "activity", dry_run=True)
    assert (dry.created, dry.rejected) == (1, 4) and app.count("activity") == 0


def test_a_missing_required_column_and_a_duplicate_column(app: CaDesktop, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", ["name", "name", "kind"], [["A", "A", "country"]])
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, path, "place")
    assert [(p.row, p.column) for p in caught.value.report.problems] == [(1, "name")]
    path = write_csv(tmp_path / "g.csv", ["date_received", "channel"], [["2026-01-01", "sms"]])
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, path, "grievance")
    missing = {p.column for p in caught.value.report.problems}
    assert missing == {"category", "description", "status"}


def test_a_filled_template_imports(app: CaDesktop, settlement_id: str, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template("cuf_project", path, "pt")
    wb = load_workbook(path)
    assert {"cuf_project", "codes", "README"} <= set(wb.sheetnames)
    ws = wb["cuf_project"]
    header = [c.value for c in ws[1]]
    assert any(dv.type == "list" for dv in ws.data_validations.dataValidation)
    values = {
        "title": "Water kiosk",
        "type": "Água",
        "status": "proposed",
        "settlement_id": settlement_id,
        "beneficiaries_total": 300,
        "beneficiaries_women": 160,
    }
    for name, value in values.items():
        ws.cell(row=2, column=header.index(name) + 1, value=value)
    wb.save(path)
    result = import_spreadsheet(app, path)
    assert result.created == 1, result.problems
    [cuf] = app.list_records("cuf_project")
    assert cuf.body["type"] == "water" and cuf.body["beneficiaries_women"] == 160


def test_unknown_columns_are_reported_not_imported(app: CaDesktop, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "o.csv", ["name", "type", "colour"], [["Org", "ngo", "red"]])
    result = import_spreadsheet(app, path, "organisation", dry_run=True)
    assert result.ignored_columns == ["colour"] and result.created == 1


def test_xlsx_without_a_matching_sheet(app: CaDesktop, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.create_sheet("Other")
    wb.save(tmp_path / "x.xlsx")
    from ca_desktop.reports.sheet_reader import UnreadableFile

    with pytest.raises(UnreadableFile, match="no sheet named"):
        import_spreadsheet(app, tmp_path / "x.xlsx", "activity")


def test_cancel_writes_nothing(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ca_desktop.reports.spreadsheet_import as imp
    from ca_desktop.domain.jobs import Cancelled

    monkeypatch.setattr(imp, "_BATCH", 2)
    path = write_csv(tmp_path / "o.csv", ["name", "type"], [[f"Org {i}", "ngo"] for i in range(5)])
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 2

    with pytest.raises(Cancelled):
        import_spreadsheet(app, path, "organisation", progress=progress)
    assert app.count("organisation") == 0 and len(calls) == 2


def test_references_by_name_or_code(
    app: CaDesktop, programme_id: str, settlement_id: str, organisation_id: str, tmp_path: Path
) -> None:
    header = [
        "programme_id",
        "level",
        "type",
        "title",
        "start_date",
        "status",
        "place_id",
        "lead_organisation_id.title",
    ]
    base = ["community", "training", "T", "2026-02-01", "completed"]
    rows = [
        ["ug-cp", *base, "KISENYI", "Kisenyi Federation"],  # code, name, and a title column
        ["Uganda Country Programme", *base, "", ""],
    ]
    path = write_csv(tmp_path / "names.csv", header, rows)
    result = import_spreadsheet(app, path, "activity")
    assert result.created == 2, result.problems
    first, second = sorted(app.list_records("activity"), key=lambda r: r.body["place_id"] or "")
    assert {first.body["programme_id"], second.body["programme_id"]} == {programme_id}
    bodies = {r.body["place_id"]: r.body for r in (first, second)}
    assert bodies[settlement_id]["lead_organisation_id"] == organisation_id
    assert bodies[None]["lead_organisation_id"] is None
    # A second "Kisenyi" makes the name ambiguous; an unknown name is named as such.
    app.save("place", {"name": "Kisenyi", "kind": "country", "country": "UG"})
    rows = [["UG-CP", *base, "Kisenyi", ""], ["UG-CP", *base, "Atlantis", "Nobody"]]
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, write_csv(tmp_path / "bad.csv", header, rows), "activity")
    found = [(p.row, p.column, p.reason) for p in caught.value.report.problems]
    assert found == [
        (2, "place_id", "2 records are named 'Kisenyi': give the place's id"),
        (3, "place_id", "no place named 'Atlantis'"),
        (3, "lead_organisation_id.title", "no organisation named 'Nobody'"),
    ]
