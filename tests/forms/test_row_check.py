"""`RowChecker` (bulk imports) finds exactly what `relevant_values` + `check_values` find."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Any

import pytest

from ca_desktop.domain.gc_pause import gc_paused
from ca_desktop.forms.loader import all_forms
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.row_check import RowChecker
from ca_desktop.forms.values import check_values, relevant_values
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.services.app import CaDesktop
from tests.forms.form_samples import sample_values
from tests.reports.xlsform.build import household

TODAY = dt.date(2026, 11, 30)
# Values of the wrong kind, empty, out of bounds or not among the choices (no NaN: the
# expression evaluator itself fails on it, in both paths; imports never make one).
ODD: tuple[Any, ...] = (
    None, "", " ", 0, -5, 7, 1.5, 2.0, True, False, "yes", "no",
    "2024-06-12", "2024-13-40", "9999-12-31", "x" * 5000, ["zz"], [], {}, [{"a": 1}],
    {"women": 2}, {"women": -1}, 10**9, "01a21b86-79a3-71a1-8efa-319a16c7db17",
)  # fmt: skip


def _forms(app: CaDesktop, tmp_path: Path) -> list[FormDef]:
    import_xlsform(app, household(tmp_path / "hh.xlsx"))
    return list(all_forms(app))


def _rows(form: FormDef) -> list[dict[str, Any]]:
    base = sample_values(form)
    rows = [base, {}]
    for f in form.fields():
        for odd in ODD:
            rows.append({**base, f.name: odd})
    return rows


def test_check_row_agrees_with_the_form_checks(app: CaDesktop, tmp_path: Path) -> None:
    forms = _forms(app, tmp_path)
    assert any(f.origin == "xlsform" for f in forms) and len(forms) > 3
    compared = 0
    for form in forms:
        checker = RowChecker(form, TODAY)
        for values in _rows(form):
            kept, issues = checker.check_row(values)
            assert kept == relevant_values(form, values), (form.code, values)
            assert issues == check_values(form, values, TODAY), (form.code, values)
            shown = checker.relevant(values)
            assert checker.check(values, shown) == issues
            compared += 1
    assert compared > 1000


def test_check_row_reports_problems_in_form_order(app: CaDesktop, tmp_path: Path) -> None:
    form = next(f for f in _forms(app, tmp_path) if f.origin == "xlsform")
    values = {**sample_values(form), **{f.name: ["zz"] for f in form.fields()}}
    _kept, issues = RowChecker(form, TODAY).check_row(values)
    order = [f.name for f in form.fields()]
    fields = [i.field.split(".")[0] for i in issues]
    assert fields and fields == sorted(fields, key=order.index)


@pytest.mark.parametrize("enabled", [True, False])
def test_gc_paused_puts_the_collector_back_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(RuntimeError), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("the import failed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
