"""XLSForm import: structure, languages, expressions, report, versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ca_desktop.forms.loader import all_forms, get_form
from ca_desktop.forms.values import check_values, relevant_fields
from ca_desktop.reports.xlsform.importer import XlsFormRejected, import_xlsform
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import HOUSEHOLD_SURVEY, household, write_xlsform


def test_household_form_imports_with_groups_repeats_and_languages(
    app: CaDesktop, tmp_path: Path
) -> None:
    result = import_xlsform(app, household(tmp_path / "hh.xlsx"))
    assert (result.code, result.version, result.written) == ("HH-VISIT", "1.0", True)
    form = get_form("hh-visit", app)
    assert form.origin == "xlsform" and form.languages == ("en", "sw")
    assert [s.title.get("en") for s in form.sections][:2] == ["Household visit", "Household"]
    assert form.field("members").label.get("sw") == "Wanakaya"
    assert form.field("members").label.get("fr") == "Household members"  # first language
    table = form.field("person")
    assert table.type == "table" and [c.name for c in table.columns] == [
        "person_name",
        "age",
        "sex",
    ]
    assert table.rows == 6
    assert form.field("notes").type == "longtext"
    assert [c.value for c in form.field("main_source").choices][-1] == "other"
    assert form.field("main_source_other").type == "text"
    assert "HH-VISIT" in [f.code for f in all_forms(app)]
    assert "HH-VISIT" not in [f.code for f in all_forms()]  # never among the shipped ones


def test_report_lists_sheet_row_column_and_reason(app: CaDesktop, tmp_path: Path) -> None:
    result = import_xlsform(app, household(tmp_path / "hh.xlsx"))
    lines = [str(p) for p in result.notes]
    assert "hh.xlsx, sheet survey, row 2, column A: start is recorded automatically" in lines[0]
    assert not any("row 18" in x for x in lines)  # a geopoint is a typed field, not a note
    assert get_form("HH-VISIT", app).field("location").type == "geopoint"
    assert result.unsupported == []


def test_relevance_and_constraints_evaluate(app: CaDesktop, tmp_path: Path) -> None:
    import_xlsform(app, household(tmp_path / "hh.xlsx"))
    form = get_form("HH-VISIT", app)
    values = {"enumerator": "A", "visit_date": "2024-01-01", "members": 3, "has_water": "yes"}
    shown = {f.name for f in relevant_fields(form, values)}
    assert "sources" not in shown and "person" in shown
    values |= {"has_water": "no", "sources": ["well", "river"]}
    shown = {f.name for f in relevant_fields(form, values)}
    assert {"sources", "main_source"} <= shown
    issues = check_values(form, {**values, "members": 50})
    assert [(i.field, i.message) for i in issues] == [("members", "Between 1 and 39")]


def test_reimport_keeps_or_bumps_the_version(app: CaDesktop, tmp_path: Path) -> None:
    path = household(tmp_path / "hh.xlsx")
    import_xlsform(app, path)
    again = import_xlsform(app, path)
    assert (again.version, again.unchanged, again.written) == ("1.0", True, False)
    changed = [list(r) for r in HOUSEHOLD_SURVEY]
    changed[2][2] = "Name of the enumerator"
    write_xlsform(path, changed, *_rest())
    bumped = import_xlsform(app, path)
    assert bumped.version == "1.1"
    [record] = app.list_records("form_version")
    assert record.body["version"] == "1.1"
    assert json.loads(record.body["definition"])["version"] == "1.1"
    assert len(app.history(record.id)) == 2  # one record, a revision per changed import


def _rest() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    from tests.reports.xlsform.build import HOUSEHOLD_CHOICES, HOUSEHOLD_SETTINGS

    return HOUSEHOLD_CHOICES, HOUSEHOLD_SETTINGS


def test_unsupported_is_reported_and_strict_refuses(app: CaDesktop, tmp_path: Path) -> None:
    survey = [
        ("TYPE", "Name", "Label:English", "relevant"),
        ("text", "a", "A", ""),
        ("rank colours", "b", "B", ""),
        ("integer", "c", "C", "pulldata('x', 'y')"),
        ("text", "d", "D", "${later} = 1"),
        ("text", "later", "Later", ""),
    ]
    path = write_xlsform(tmp_path / "u.xlsx", survey)
    result = import_xlsform(app, path, code="U-1")
    reasons = [(p.row, p.column, p.reason) for p in result.unsupported]
    assert reasons[0] == (3, "A", "question type 'rank' is not supported")
    assert any(r[:2] == (4, "D") and "pulldata() is not supported" in r[2] for r in reasons)
    assert any(r[:2] == (5, "D") and "comes later" in r[2] for r in reasons)
    with pytest.raises(XlsFormRejected, match="not supported"):
        import_xlsform(tmp_path / "other", path, code="U-2", strict=True)
    assert not (tmp_path / "other").exists()


def test_builtin_code_is_refused(app: CaDesktop, tmp_path: Path) -> None:
    path = household(tmp_path / "hh.xlsx")
    with pytest.raises(XlsFormRejected, match="built-in"):
        import_xlsform(app, path, code="CA-F01")
    assert app.list_records("form_version") == []
