"""XLSForms written by others (tests/data/xlsform, see SOURCES.md): import, print, fill."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import save_form
from ca_desktop.forms.printing import print_forms
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.services.app import CaDesktop

DATA = Path(__file__).parents[2] / "data" / "xlsform"
FORMS = sorted(p.name for p in DATA.glob("*.xlsx"))


@pytest.mark.parametrize("name", FORMS)
def test_every_real_form_imports_and_prints(app: CaDesktop, tmp_path: Path, name: str) -> None:
    result = import_xlsform(app, DATA / name, code="REAL")
    assert result.written and result.questions > 0
    form = get_form("REAL", app)
    for problem in result.unsupported:
        assert problem.file == name and problem.sheet in ("survey", "choices", "settings")
    pages = print_forms(app, form, [None], tmp_path / "blank.pdf", lang=form.languages[0])
    assert pages >= 1


def test_the_field_questionnaire_maps_what_it_can_and_reports_the_rest(app: CaDesktop) -> None:
    result = import_xlsform(app, DATA / "UCL_Biomass_Plot_Form.xlsx")
    form = get_form(result.code, app)
    reasons = {(p.row, p.column): p.reason for p in result.unsupported}
    assert reasons[(16, "A")] == "question type 'select_one_from_file' is not supported"
    assert "unexpected '‘'" in reasons[(9, "H")]  # curly quotes, as Excel types them
    assert "function round() is not supported" in reasons[(26, "N")]
    assert reasons[(43, "A")] == "a repeat inside a repeat is not supported"
    notes = {(p.row, p.column): p.reason for p in result.notes}
    assert (22, "A") not in notes  # the GPS point is a geopoint field, nothing to report
    assert any(f.type == "geopoint" for f in form.fields())
    assert any(f.type == "table" for f in form.fields())


def test_fill_the_spec_form(app: CaDesktop) -> None:
    result = import_xlsform(app, DATA / "or_other.xlsx")
    form = get_form(result.code, app)
    select = next(f for f in form.fields() if f.type == "choice")
    other = next(f for f in form.fields() if f.name == f"{select.name}_other")
    values = {select.name: "other", other.name: "Something else"}
    rid = save_form(app, form, values)
    body = app.get("form_submission", rid).body  # type: ignore[union-attr]
    assert {"field": other.name, "value": "Something else"} in body["values"]
    assert body["form_version"] == "1.0" and body["record_id"] is None


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_print_the_questionnaire_in_two_languages(app: CaDesktop, tmp_path: Path) -> None:
    result = import_xlsform(app, DATA / "UCL_Biomass_Plot_Form.xlsx")
    form = get_form(result.code, app)
    for lang in ("en", "fr"):  # fr: the app's words around the form's own labels
        out = tmp_path / f"ucl-{lang}.pdf"
        assert print_forms(app, form, [None], out, lang=lang) >= 2
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / lang)],
            check=True,
        )
    assert len(list(tmp_path.glob("*.png"))) == 2
