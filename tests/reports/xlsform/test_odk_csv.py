"""ODK Central / KoboToolbox CSV submissions in: idempotent, checked, all or nothing."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.reports.xlsform.odk_csv import UnknownForm, import_odk_csv
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import household

MAIN = [
    "SubmissionDate", "s_s1-enumerator", "s_s1-visit_date", "s_s2-members", "s_s2-has_water",
    "s_s2-sources", "s_s2-main_source", "s_s2-notes", "s_s3-location", "meta-instanceID",
    "KEY", "SubmitterName",
]  # fmt: skip
REPEAT = ["person_name", "age", "sex", "PARENT_KEY", "KEY"]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def submission(n: int, members: object = 3) -> list[object]:
    uid = f"uuid:00000000-0000-4000-8000-{n:012d}"
    return [
        "2024-06-12T10:00:00.000Z", "Amina", "2024-06-12", members, "no", "well river",
        "well", "", "0.31 32.58 1200 5", uid, uid, "amina",
    ]  # fmt: skip


@pytest.fixture
def export(app: CaDesktop, tmp_path: Path) -> Path:
    import_xlsform(app, household(tmp_path / "hh.xlsx"))
    folder = tmp_path / "central"
    folder.mkdir()
    write_csv(folder / "HH-VISIT-person.csv", REPEAT, [
        ["Zawadi", 34, "female", submission(1)[9], submission(1)[9] + "/person[1]"],
        ["Juma", 9, "male", submission(1)[9], submission(1)[9] + "/person[2]"],
    ])  # fmt: skip
    return write_csv(folder / "HH-VISIT.csv", MAIN, [submission(1), submission(2, 1)])


def test_submissions_come_in_once(app: CaDesktop, export: Path) -> None:
    result = import_odk_csv(app, export)
    assert (result.created, result.unchanged, result.written) == (2, 0, True)
    subs = app.list_records("form_submission")
    assert {s.body["form_code"] for s in subs} == {"HH-VISIT"}
    first = next(s for s in subs if {"field": "person", "value": [
        {"person_name": "Zawadi", "age": 34, "sex": "female"},
        {"person_name": "Juma", "age": 9, "sex": "male"},
    ]} in s.body["values"])  # fmt: skip
    assert {"field": "sources", "value": ["well", "river"]} in first.body["values"]
    again = import_odk_csv(app, export)
    assert (again.created, again.unchanged) == (0, 2)
    assert app.count("form_submission") == 2


def test_a_bad_row_rejects_the_whole_file(app: CaDesktop, export: Path) -> None:
    write_csv(export, MAIN, [submission(1), submission(2, members=55), submission(3, "x")])
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app, export)
    problems = [(p.row, p.column, p.reason) for p in caught.value.report.problems]
    assert (3, "members", "Between 1 and 39") in problems
    assert (4, "members", "must be a whole number") in problems
    assert app.count("form_submission") == 0


def test_dry_run_writes_nothing(app: CaDesktop, export: Path) -> None:
    result = import_odk_csv(app, export, dry_run=True)
    assert (result.created, result.written) == (2, False)
    assert app.count("form_submission") == 0


def test_zip_export_and_unknown_form(app: CaDesktop, export: Path, tmp_path: Path) -> None:
    archive = tmp_path / "HH-VISIT.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for p in export.parent.glob("*.csv"):
            zf.write(p, p.name)
    assert import_odk_csv(app, archive).created == 2
    other = write_csv(tmp_path / "mystery.csv", MAIN, [submission(9)])
    with pytest.raises(UnknownForm, match="--form"):
        import_odk_csv(app, other)
    assert import_odk_csv(app, other, "HH-VISIT").created == 1


def test_kobo_export_with_semicolons_and_uuid(app: CaDesktop, export: Path, tmp_path: Path) -> None:
    header = ["s_s1/enumerator", "s_s1/visit_date", "s_s2/members", "_id", "_uuid", "_index"]
    path = tmp_path / "kobo.csv"
    path.write_text(
        ";".join(header) + "\n" + "Amina;2024-06-12;2;101;7f3c2a9e-0b1d-4f7e-9a51-3c2b1d0e9f11;1\n",
        encoding="utf-8",
    )
    assert import_odk_csv(app, path, "HH-VISIT").created == 1
    assert import_odk_csv(app, path, "HH-VISIT").unchanged == 1


def test_cli_twice_nothing_duplicated(
    app: CaDesktop, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ca_desktop.cli import main

    folder = app.data_dir
    app.close()
    assert main(["--data-dir", str(folder), "import", "odk-csv", str(export)]) == 0
    assert "2 submissions created, 0 already here" in capsys.readouterr().out
    assert main(["--data-dir", str(folder), "import", "odk-csv", str(export)]) == 0
    assert "0 submissions created, 2 already here" in capsys.readouterr().out
    write_csv(export, MAIN, [submission(5, members="many")])
    assert main(["--data-dir", str(folder), "import", "odk-csv", str(export), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "HH-VISIT.csv, row 2, column members: must be a whole number" in err


def test_record_fields_must_name_records_here(app: CaDesktop, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "CA-F07.csv",
        ["s_visit-cuf_project_id", "s_visit-visit_date", "s_visit-visited_by", "meta-instanceID"],
        [["01a22a97-68ec-71d9-ab48-988575832cad", "2024-06-12", "Amina", "uuid:1"]],
    )
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app, path)
    [problem] = [p for p in caught.value.report.problems if p.column == "cuf_project_id"]
    assert problem.row == 2 and "no such record" in problem.reason
