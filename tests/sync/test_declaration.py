"""Adding a field is its declaration, a migration and translations — nothing else.

A throw-away field is declared on CUF projects (edited in the generic dialog) and on
activities (their own editor), its column added as a migration would, and then seen in
the list, the editor, search, history, a bundle and the CSV/XLSX exports, with no other
code knowing its name.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Column, Float, String
from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.domain.records import RECORD_SPECS, F, FieldSpec
from ca_desktop.reports.spreadsheet_export import export_csv, export_workbook
from ca_desktop.store import backend, search_index
from ca_desktop.store.tables import RECORD_TABLES

Declare = Callable[[str, FieldSpec], None]


@pytest.fixture
def declare(monkeypatch: pytest.MonkeyPatch, laptops: dict[str, Laptop]) -> Iterator[Declare]:
    """Declare a field and add its column to every laptop's database (the migration)."""
    added: list[tuple[Any, Column[Any]]] = []

    def add(record_type: str, field: FieldSpec) -> None:
        spec = RECORD_SPECS[record_type]
        monkeypatch.setitem(RECORD_SPECS, record_type, replace(spec, fields=(*spec.fields, field)))
        sql_type = Float() if field.kind == "decimal" else String()
        table = RECORD_TABLES[record_type].__table__  # type: ignore[attr-defined]
        column: Column[Any] = Column(field.name, sql_type, nullable=True)
        table.append_column(column)
        added.append((table, column))
        for lab in laptops.values():
            with backend.write_transaction(lab.app.db.engine) as conn:
                conn.exec_driver_sql(f"ALTER TABLE {record_type} ADD COLUMN {field.name}")
                search_index.install(conn)

    yield add
    for table, column in added:
        table._columns.remove(column)  # the declaration is undone by monkeypatch


def test_a_declared_field_reaches_every_screen_search_history_bundles_and_exports(
    qtbot: Any, declare: Declare, laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt

    from ca_desktop.gui.editors.activity_editor import ActivityEditor
    from ca_desktop.gui.editors.record_editor import RecordEditorDialog
    from ca_desktop.gui.models.record_table import RecordTableModel

    declare("cuf_project", F("contractor", "text", label="Contractor", group="Project", column=7))
    declare("activity", F("funder", "text", search=True))
    amina, coord = laptops["amina"], laptops["coord"]
    app = amina.app
    pid = app.save("programme", PROGRAMME).id
    place = app.save("place", {"name": "Kenya", "kind": "country", "country": "KE"}).id
    cuf = app.save(
        "cuf_project",
        {"title": "Water kiosk", "settlement_id": place, "type": "water", "status": "proposed",
         "contractor": "Kibera Builders"},
    ).id  # fmt: skip
    act = app.save("activity", activity(pid, funder="Rotary Club of Kisumu")).id

    # The list shows it as a column, with its value.
    model = RecordTableModel(RECORD_SPECS["cuf_project"])
    model.set_records(app.list_records("cuf_project"), {})
    column = [c.name for c in model.columns].index("contractor")
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Contractor"
    assert model.data(model.index(0, column)) == "Kibera Builders"

    # Both editors show it and save it.
    dialog = RecordEditorDialog(app, "cuf_project", cuf)
    qtbot.addWidget(dialog)
    assert dialog.fields["contractor"].value() == "Kibera Builders"
    dialog.fields["contractor"].set_value("Mathare Works")
    dialog.save()
    qtbot.waitUntil(lambda: app.get("cuf_project", cuf).body["contractor"] == "Mathare Works")
    editor = ActivityEditor(app, act)
    qtbot.addWidget(editor)
    assert editor.fields["funder"].value() == "Rotary Club of Kisumu"

    # Search finds it; history shows its change as a field this version knows.
    assert app.search_activity_ids("Rotary") == [act]
    [*_, edit] = app.history(cuf)
    assert [(c.field, c.new, c.known) for c in edit.changes] == [
        ("contractor", "Mathare Works", True)
    ]

    # A bundle carries it.
    assert coord.receive(amina.send(coord)).status == "imported"
    assert coord.app.get("cuf_project", cuf).body["contractor"] == "Mathare Works"
    assert coord.app.get("activity", act).body["funder"] == "Rotary Club of Kisumu"
    assert coord.app.search_activity_ids("kisumu") == [act]

    # Spreadsheets: a CSV column and a workbook column, by its code.
    export_csv(coord.app, "cuf_project", tmp_path / "cuf.csv")
    with (tmp_path / "cuf.csv").open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["contractor"] == "Mathare Works"
    export_workbook(coord.app, tmp_path / "all.xlsx", record_types=["activity"])
    sheet = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)["activity"]
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    assert first[header.index("funder")] == "Rotary Club of Kisumu"
