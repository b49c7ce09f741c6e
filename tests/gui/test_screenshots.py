"""`ca-desktop screenshots`: every page and editor rendered to PNG, offscreen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from ca_desktop.cli import main
from ca_desktop.gui.navigation import PAGES
from ca_desktop.gui.screenshots import render_all
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo


@pytest.mark.slow
def test_renders_every_page_and_editor(qtbot: QtBot, app: CaDesktop, tmp_path: Path) -> None:
    generate_demo(app, 60)
    files = render_all(app, tmp_path / "shots", QSize(1024, 700))
    names = {f.name for f in files}
    for n, page in enumerate(PAGES, start=1):
        assert f"{n:02d}-{page.key}.png" in names
    assert any(n.startswith("editor-activity-1-") for n in names)
    assert any(n.startswith("editor-activity-new-") for n in names)
    assert "first-start.png" in names
    for path in files:
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 200, path.name
    shot = QImage(str(tmp_path / "shots" / "02-activities.png"))
    assert (shot.width(), shot.height()) == (1024, 700)
    assert (
        not (app.data_dir / "gui.ini").exists()
        or "geometry" not in (app.data_dir / "gui.ini").read_text()
    )  # the user's own window layout is left alone


def test_cli_checks_its_arguments(
    app: CaDesktop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(app.data_dir)
    assert main(["--data-dir", data, "screenshots", "--out", str(tmp_path), "--size", "big"]) == 2
    assert "--size must look like 1280x800" in capsys.readouterr().err
    afile = tmp_path / "file.png"
    afile.write_bytes(b"x")
    assert main(["--data-dir", data, "screenshots", "--out", str(afile)]) == 2
    assert "is a file" in capsys.readouterr().err


def test_cli_refuses_a_data_folder_that_is_not_set_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path / "new"), "screenshots", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "not set up" in capsys.readouterr().err


def test_other_commands_do_not_import_qt() -> None:
    code = (
        "import sys; from ca_desktop.cli import build_parser; build_parser(); "
        "print('PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
