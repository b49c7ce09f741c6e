"""`settings` on the command line, and the commands that follow it: paper size for printed
forms and reports, the backup folder for `db backup` and `db restore --latest`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.cli import main
from ca_desktop.services.app import CaDesktop


def cli(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def _page_width(pdf: Path) -> str:
    from pypdf import PdfReader

    return f"{float(PdfReader(str(pdf)).pages[0].mediabox.width):.0f}"


def test_paper_and_backup_folder_are_honoured(
    app: CaDesktop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = app.data_dir
    app.close()
    usb = tmp_path / "usb"
    usb.mkdir()
    assert cli(folder, "settings", "--paper", "letter", "--backup-dir", str(usb)) == 0
    assert "paper\tletter" in capsys.readouterr().out
    assert cli(folder, "forms", "print", "CA-F01", "--blank", "--out", str(tmp_path / "f.pdf")) == 0
    assert _page_width(tmp_path / "f.pdf") == "612"  # US Letter
    assert cli(folder, "report", "--out", str(tmp_path / "r.pdf")) == 0
    assert _page_width(tmp_path / "r.pdf") == "612"
    out = tmp_path / "a4.pdf"
    assert (
        cli(folder, "forms", "print", "CA-F01", "--blank", "--paper", "a4", "--out", str(out)) == 0
    )
    assert _page_width(out) == "595"  # the option wins over the setting
    assert cli(folder, "db", "backup") == 0
    assert [p.name[:7] for p in usb.iterdir()] == ["manual-"]
    assert cli(folder, "db", "restore", "--latest") == 0
    assert f"Restored from {usb}" in capsys.readouterr().out


def test_a_refused_setting_is_one_line_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, "settings", "--backup-dir", str(tmp_path / "missing")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing was changed" in err
    assert not (tmp_path / "settings.json").exists()
