"""Relevance per row of a repeat: a column hidden in row 2 is not required there and its
value is not kept, on screen (`check_values`, `save_form`) and on ODK import alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import save_form
from ca_desktop.forms.values import check_values, relevant_values
from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import write_xlsform
from tests.reports.xlsform.test_odk_csv import write_csv

SURVEY = [
    ("type", "name", "label", "required", "relevant"),
    ("integer", "visits", "Visits", "yes", ""),
    ("begin repeat", "kids", "Children", "", ""),
    ("text", "kid", "Name", "yes", ""),
    ("integer", "age", "Age", "", ""),
    ("text", "school", "School", "yes", "${age} >= 6"),
    ("text", "again", "Seen again", "", "${visits} > 1"),
    ("end repeat", "", "", "", ""),
]
UID = "uuid:00000000-0000-4000-8000-00000000000{}"


@pytest.fixture
def app_form(app: CaDesktop, tmp_path: Path) -> CaDesktop:
    path = write_xlsform(tmp_path / "kids.xlsx", SURVEY, [("list_name", "name", "label")],
                         [("form_title", "form_id"), ("Kids", "kids")])  # fmt: skip
    result = import_xlsform(app, path)
    assert result.unsupported == [] and not [n for n in result.notes if n.column == "E"]
    return app


def test_a_hidden_cell_is_not_required_and_not_kept(app_form: CaDesktop) -> None:
    form = get_form("KIDS", app_form)
    rows = [
        {"kid": "Asha", "age": 9, "school": "Kisenyi P/S", "again": "yes"},
        {"kid": "Tumi", "age": 3, "school": "nursery", "again": "no"},  # school hidden: age 3
        {"kid": "Bo", "age": 7},  # school shown, and required
    ]
    values = {"visits": 1, "kids": rows}
    assert [(i.field, i.message) for i in check_values(form, values)] == [
        ("kids.3.school", "is required")
    ]
    rows[2]["school"] = "St Mary"
    assert check_values(form, values) == []
    kept = relevant_values(form, values)["kids"]
    assert kept == [
        {"kid": "Asha", "age": 9, "school": "Kisenyi P/S"},  # `again`: visits is 1
        {"kid": "Tumi", "age": 3},
        {"kid": "Bo", "age": 7, "school": "St Mary"},
    ]
    rid = save_form(app_form, form, values)
    body = app_form.get("form_submission", rid).body  # type: ignore[union-attr]
    assert {"field": "kids", "value": kept} in body["values"]


def test_submissions_are_checked_per_row(app_form: CaDesktop, tmp_path: Path) -> None:
    repeat = ["kid", "age", "school", "again", "PARENT_KEY", "KEY"]
    write_csv(tmp_path / "KIDS-kids.csv", repeat, [
        ["Asha", 9, "Kisenyi", "yes", UID.format(1), "k1"],
        ["Tumi", 3, "nursery", "", UID.format(1), "k2"],
        ["Bo", 7, "", "", UID.format(2), "k3"],
    ])  # fmt: skip
    main = write_csv(tmp_path / "KIDS.csv", ["visits", "meta-instanceID", "KEY"],
                     [[2, UID.format(1), UID.format(1)], [1, UID.format(2), UID.format(2)]])  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app_form, main)
    assert [(p.row, p.column, p.reason) for p in caught.value.report.problems] == [
        (3, "kids.1.school", "is required")
    ]
    write_csv(tmp_path / "KIDS-kids.csv", repeat, [
        ["Asha", 9, "Kisenyi", "yes", UID.format(1), "k1"],
        ["Tumi", 3, "nursery", "", UID.format(1), "k2"],
    ])  # fmt: skip
    assert import_odk_csv(app_form, main).created == 2
    subs = {
        v["value"] if v["field"] == "visits" else None: s.body["values"]
        for s in app_form.list_records("form_submission") for v in s.body["values"]
        if v["field"] == "visits"
    }  # fmt: skip
    kids = next(v["value"] for v in subs[2] if v["field"] == "kids")
    assert kids == [
        {"kid": "Asha", "age": 9, "school": "Kisenyi", "again": "yes"},
        {"kid": "Tumi", "age": 3},  # its school is not kept: hidden at age 3
    ]
