"""`ca-desktop forms ...`: output, exit codes, and nothing written on failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ca_desktop.cli import main
from ca_desktop.services.app import CaDesktop


def test_list_puts_the_code_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "es", "forms", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 9
    assert lines[0].startswith("CA-F01\t")
    assert any("Registro de asistencia" in line for line in lines)


def test_print_blank_without_a_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "blank.pdf"
    code = main(["--data-dir", str(tmp_path / "none"), "--lang", "fr", "forms", "print", "CA-F02",
                 "--blank", "--paper", "letter", "--copies", "2", "--out", str(out)])  # fmt: skip
    assert code == 0
    assert "(2 formulaires, " in capsys.readouterr().out  # the line in the chosen language
    assert "Feuille de présence" in (PdfReader(out).pages[0].extract_text() or "")
    assert not (tmp_path / "none").exists()  # printing a blank form creates no data folder


def test_print_a_record(app: CaDesktop, data_dir: Path, register_id: str, tmp_path: Path) -> None:
    out = tmp_path / "register.pdf"
    app.close()
    assert (
        main(
            [
                "--data-dir",
                str(data_dir),
                "forms",
                "print",
                "CA-F02",
                "--record",
                register_id,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = " ".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert "Nguyễn Thị Hoa" in text and register_id in text


@pytest.mark.parametrize(
    "args,message",
    [
        (["CA-F99", "--blank"], "no form with code 'CA-F99'"),
        (["CA-F01", "--record", "nope"], "not a record id: 'nope'"),
        (["CA-F01", "--record", "01a21b86-79a3-71a1-8efa-319a16c7db17"], "no activity with id"),
        (["CA-F03", "--record", "01a21b86-79a3-71a1-8efa-319a16c7db17"], "no record with id"),
    ],
)
def test_failures_write_nothing(
    app: CaDesktop,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "out.pdf"
    app.close()
    assert main(["--data-dir", str(data_dir), "forms", "print", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.glob("*.pdf*")) == []


def test_a_failed_print_keeps_the_old_file(
    app: CaDesktop, data_dir: Path, tmp_path: Path, activity_id: str
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old")
    app.close()
    missing = "01a21b86-79a3-71a1-8efa-319a16c7db17"
    assert main(["--data-dir", str(data_dir), "forms", "print", "CA-F01", "--record", activity_id,
                 "--record", missing, "--out", str(out)]) == 2  # fmt: skip
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "report.pdf"]


def test_print_into_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["forms", "print", "CA-F01", "--blank", "--out", str(tmp_path / "no" / "x.pdf")]) == 2
    )
    assert "no such folder" in capsys.readouterr().err
