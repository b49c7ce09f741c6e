"""`forms import-xlsform`, `forms export-xlsform` and printing an imported form."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.cli import main
from tests.reports.xlsform.build import household, write_xlsform


def cli(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def test_import_list_print_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    xls = household(tmp_path / "hh.xlsx")
    assert cli(folder, "forms", "import-xlsform", str(xls)) == 0
    out = capsys.readouterr().out
    assert "note: hh.xlsx, sheet survey, row 2, column A: start is recorded" in out
    assert "Imported HH-VISIT v1.0" in out
    assert cli(folder, "forms", "import-xlsform", str(xls)) == 0
    assert "already up to date" in capsys.readouterr().out
    assert cli(folder, "forms", "list") == 0
    assert "HH-VISIT\tv1.0" in capsys.readouterr().out
    pdf = tmp_path / "hh-sw.pdf"
    assert (
        cli(folder, "forms", "print", "HH-VISIT", "--blank", "--form-lang", "sw", "--out", str(pdf))
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (
        cli(folder, "forms", "export-xlsform", "HH-VISIT", "--out", str(tmp_path / "b.xlsx")) == 0
    )


def test_strict_refusal_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path)
    xls = write_xlsform(
        tmp_path / "r.xlsx", [("type", "name", "label"), ("text", "b", "B"), ("rank x", "a", "A")]
    )
    assert cli(folder, "forms", "import-xlsform", str(xls), "--strict", "--code", "R-1") == 2
    captured = capsys.readouterr()
    assert "not supported: r.xlsx, sheet survey, row 3, column A" in captured.out
    assert captured.err.strip().count("\n") == 0
    assert "R-1" not in _codes(folder)


def test_not_an_xlsform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    assert cli(folder, "forms", "import-xlsform", str(bad)) == 2
    assert "not an XLSX file" in capsys.readouterr().err


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert (
        main(["--data-dir", str(folder), "init", "--name", "Amina", "--role", "coordinator"]) == 0
    )
    return folder


def _codes(folder: Path) -> list[str]:
    from ca_desktop.forms.loader import all_forms
    from ca_desktop.services.app import CaDesktop

    app = CaDesktop.open(folder)
    try:
        return [f.code for f in all_forms(app)]
    finally:
        app.close()
