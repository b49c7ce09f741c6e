"""Practice mode from the GUI: a separate window on the practice folder, marked as such.

The practice window is another process on `services.practice.practice_dir`, so the real
data folder stays open and untouched; closing that window and deleting its folder is the
one step that removes every trace of the demo data.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess

from ca_desktop.domain.i18n import language
from ca_desktop.services.practice import practice_dir, prepare_practice


def practice_command(real_dir: Path) -> tuple[str, list[str]]:
    """The program and arguments that open the practice window, frozen build or not."""
    args = ["--data-dir", str(practice_dir(real_dir)), "--lang", language()]
    if getattr(sys, "frozen", False):  # a PyInstaller build is its own interpreter
        return sys.executable, args
    return sys.executable, ["-m", "ca_desktop", *args]


def launch_practice(real_dir: Path) -> bool:
    """Create the marked practice folder and open a window on it; False if it did not start."""
    prepare_practice(real_dir)
    program, args = practice_command(real_dir)
    started, _pid = QProcess.startDetached(program, args)
    return bool(started)
