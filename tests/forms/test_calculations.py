"""`calculate` fields: computed as the form is filled, stored with the submission, and a
phone's calculated value that differs from the form's is a problem naming both."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.forms.calculations import same_result, with_calculations
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import save_form
from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import write_xlsform
from tests.reports.xlsform.test_odk_csv import write_csv

SURVEY = [
    ("type", "name", "label", "calculation", "relevant"),
    ("integer", "members", "Members", "", ""),
    ("decimal", "income", "Income", "", ""),
    ("calculate", "adults", "", "${members} - 1", ""),
    ("calculate", "per_head", "", "${income} div ${members}", ""),
    ("calculate", "big", "", "if(${adults} > 3, 'big', 'small')", ""),
    ("text", "why", "Why so big?", "", "${big} = 'big'"),
]
UID = "uuid:00000000-0000-4000-8000-00000000000{}"


@pytest.fixture
def app_form(app: CaDesktop, tmp_path: Path) -> CaDesktop:
    path = write_xlsform(tmp_path / "calc.xlsx", SURVEY, [("list_name", "name", "label")],
                         [("form_title", "form_id"), ("Calc", "calc")])  # fmt: skip
    assert import_xlsform(app, path).unsupported == []
    return app


def test_calculated_in_form_order_and_stored(app_form: CaDesktop) -> None:
    form = get_form("CALC", app_form)
    values = with_calculations(form, {"members": 5, "income": 250.0})
    assert (values["adults"], values["per_head"], values["big"]) == ("4", "50", "big")
    assert with_calculations(form, {"members": 0})["per_head"] is None  # nothing, not NaN
    rid = save_form(app_form, form, {"members": 3, "income": 100.0, "adults": "99", "why": "x"})
    body = app_form.get("form_submission", rid).body  # type: ignore[union-attr]
    stored = {v["field"]: v["value"] for v in body["values"]}
    assert stored["adults"] == "2"  # computed, whatever the screen sent
    assert stored["per_head"] == "33.333333333333336" and stored["big"] == "small"
    assert "why" not in stored  # hidden: the household is small


def test_a_phones_calculation_must_match(app_form: CaDesktop, tmp_path: Path) -> None:
    header = ["members", "income", "adults", "per_head", "big", "meta-instanceID", "KEY"]
    rows = [[5, 250, "4", "50.0", "big", UID.format(1), UID.format(1)],
            [2, 10, "7", "5", "small", UID.format(2), UID.format(2)]]  # fmt: skip
    main = write_csv(tmp_path / "CALC.csv", header, rows)
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app_form, main)
    assert [(p.row, p.column, p.reason) for p in caught.value.report.problems] == [
        (3, "adults", "the calculated value '7' is not what the form computes: '1'")
    ]
    rows[1][2] = ""  # not sent: the form computes it
    write_csv(tmp_path / "CALC.csv", header, rows)
    assert import_odk_csv(app_form, main).created == 2
    stored = [{v["field"]: v["value"] for v in s.body["values"]} for s in app_form.list_records("form_submission")]  # fmt: skip
    assert sorted(s["adults"] for s in stored) == ["1", "4"]


@pytest.mark.parametrize(
    ("given", "expected", "same"),
    [("50.0", "50", True), ("50", "50", True), (" big", "big", True), ("", None, True),
     ("x", None, False), ("0.1", "0.10000000000000001", True), ("1", "2", False)],
)  # fmt: skip
def test_same_result(given: str, expected: str | None, same: bool) -> None:
    assert same_result(given, expected) is same


def test_relevance_reads_the_fresh_calculation(app_form: CaDesktop) -> None:
    form = get_form("CALC", app_form)
    # The screen still shows "small" from before; the new member count makes it big.
    values = with_calculations(form, {"members": 9, "big": "small", "why": "nine"})
    assert values["big"] == "big"
    rid = save_form(app_form, form, {"members": 9, "big": "small", "why": "nine"})
    body = app_form.get("form_submission", rid).body  # type: ignore[union-attr]
    assert {"field": "why", "value": "nine"} in body["values"]
