"""`export`, `import` and `template` on the command line: exit codes, one line per problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ca_desktop.cli import main
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def folder(app: CaDesktop, activity_body: dict[str, object]) -> Path:
    app.save("activity", activity_body)
    app.close()  # the command opens the data folder itself
    return app.data_dir


def cli(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def test_export_import_and_template(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli(folder, "export", "csv", "--records", "activity", "--out", str(tmp_path / "a.csv")) == 0
    )
    assert cli(folder, "export", "xlsx", "--out", str(tmp_path / "w.xlsx"), "--with-registers") == 0
    assert cli(folder, "template", "--records", "grievance", "--out", str(tmp_path / "g.xlsx")) == 0
    assert cli(folder, "import", "csv", str(tmp_path / "a.csv"), "--dry-run") == 0
    assert (
        "dry run: 0 would be created, 0 updated, 1 unchanged, 0 rejected" in capsys.readouterr().out
    )
    assert cli(folder, "import", "xlsx", str(tmp_path / "w.xlsx")) == 0
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out
    assert (
        cli(folder, "export", "iati", "--out", str(tmp_path / "i.xml"), "--org-id", "XM-DAC-41301")
        == 0
    )
    assert cli(folder, "export", "iati", "--out", str(tmp_path / "j.xml")) == 0  # id remembered


def test_bad_rows_one_line_each_then_a_count(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "type"])
        w.writerows([[f"Org {i}", "not-a-type"] for i in range(30)])
    assert cli(folder, "import", "csv", str(path)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        err[0]
        == "ca-desktop: bad.csv, row 2, column type: 'not-a-type' is not one of the allowed codes"
    )
    assert len(err) == 22 and err[20] == "ca-desktop: ... and 10 more problems"
    assert "Traceback" not in "\n".join(err)
    app = CaDesktop.open(folder)
    assert app.count("organisation") == 0
    app.close()


def test_unreadable_file_and_missing_org_id(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    assert cli(folder, "import", "xlsx", str(tmp_path / "x.xlsx")) == 2
    assert (
        capsys.readouterr().err.strip()
        == "ca-desktop: x.xlsx: not an XLSX file (damaged or another format)"
    )
    assert cli(folder, "export", "iati", "--out", str(tmp_path / "i.xml")) == 2
    assert "--org-id" in capsys.readouterr().err
    assert (
        cli(
            folder,
            "export",
            "csv",
            "--records",
            "activity",
            "--out",
            str(tmp_path / "no" / "a.csv"),
        )
        == 2
    )
    assert not (tmp_path / "i.xml").exists()
    out = str(tmp_path / "r.csv")
    assert cli(folder, "export", "csv", "--records", "attendance_entry", "--out", out) == 2
    assert "personal data" in capsys.readouterr().err and not Path(out).exists()
    assert (
        cli(
            folder,
            "export",
            "csv",
            "--records",
            "attendance_entry",
            "--out",
            out,
            "--with-registers",
        )
        == 0
    )
