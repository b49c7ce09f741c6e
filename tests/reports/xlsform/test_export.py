"""XLSForm export: pyxform converts every built-in form (and an imported one) without errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from ca_desktop.forms.loader import all_forms, get_form
from ca_desktop.reports.xlsform.export import export_xlsform
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import household

pyxform = pytest.importorskip("pyxform.xls2xform")


@pytest.mark.parametrize("code", [f.code for f in all_forms()])
def test_every_builtin_form_converts_with_pyxform(tmp_path: Path, code: str) -> None:
    out = export_xlsform(get_form(code), tmp_path / f"{code}.xlsx")
    result = pyxform.convert(xlsform=str(out), warnings=(warnings := []))
    assert "<h:html" in result.xform and code in result.xform
    for lang in ("English (en)", "Français (fr)", "Español (es)", "Português (pt)"):
        assert f'lang="{lang}"' in result.xform
    assert warnings == []


def test_four_languages_as_label_columns(tmp_path: Path) -> None:
    out = export_xlsform(get_form("CA-F08"), tmp_path / "f08.xlsx")
    header = [c.value for c in next(load_workbook(out)["survey"].iter_rows(max_row=1))]
    assert header[2:6] == [
        "label::English (en)",
        "label::Français (fr)",
        "label::Español (es)",
        "label::Português (pt)",
    ]


def test_imported_form_round_trips(app: CaDesktop, tmp_path: Path) -> None:
    import_xlsform(app, household(tmp_path / "hh.xlsx"))
    form = get_form("HH-VISIT", app)
    out = export_xlsform(form, tmp_path / "back.xlsx")
    xform = pyxform.convert(xlsform=str(out)).xform
    assert 'lang="SW (sw)"' in xform
    again = import_xlsform(app, out, code="HH-BACK")
    back = get_form("HH-BACK", app)
    assert [f.name for f in back.fields()] == [f.name for f in form.fields()]
    assert again.unsupported == []
