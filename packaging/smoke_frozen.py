#!/usr/bin/env python3
"""Smoke test of the frozen (PyInstaller) app: start it offscreen and use it.

    python packaging/smoke_frozen.py "dist/pyinstaller/CA Desktop"

Creates a data folder, prints a form to PDF, exports a sync bundle and renders the GUI's
screens, each through the frozen binaries and nothing from the source tree, and prints how
long each took (the first line is the cold start). Exit 0 when everything worked.
Standard library only: it must run beside a build, without the app's dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(exe: Path, *args: str | Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own binary, fixed arguments
        [str(exe), *map(str, args)], env=env, capture_output=True, text=True, timeout=600
    )
    took = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"FAILED ({done.returncode}): {' '.join(map(str, args))}\n{done.stderr[-2000:]}")
    return took


def main(folder: Path) -> int:
    cli = folder / "ca-desktop-cli"
    if not cli.is_file():
        sys.exit(f"no frozen binary at {cli}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        # An encrypted folder, as a real laptop has: proves SQLCipher is in the build.
        phrase = tmp / "passphrase.txt"
        phrase.write_text("smoke test passphrase\n", encoding="utf-8")
        os.environ["CA_DESKTOP_PASSPHRASE_FILE"] = str(phrase)
        times = {"start (--version)": _run(cli, "--version")}
        times["init"] = _run(
            cli, "--data-dir", data, "init", "--name", "Smoke Test", "--role", "officer",
            "--programme", "UG-CP",
        )  # fmt: skip
        times["demo 20 activities"] = _run(cli, "--data-dir", data, "demo", "--activities", "20")
        pdf = tmp / "register.pdf"
        times["print CA-F02 (fr)"] = _run(
            cli, "--data-dir", data, "--lang", "fr", "forms", "print", "CA-F02", "--blank",
            "--out", pdf,
        )  # fmt: skip
        if not pdf.read_bytes().startswith(b"%PDF"):
            sys.exit("FAILED: the printed form is not a PDF")
        bundle = tmp / "export.cabundle"
        times["export bundle"] = _run(
            cli, "--data-dir", data, "bundle", "export", "--plain", "--out", bundle
        )
        if bundle.stat().st_size == 0:
            sys.exit("FAILED: the bundle is empty")
        shots = tmp / "shots"
        times["GUI: every screen, offscreen"] = _run(
            cli, "--data-dir", data, "screenshots", "--out", shots, "--size", "1024x640"
        )
        if len(list(shots.glob("*.png"))) < 10:
            sys.exit("FAILED: the GUI rendered too few screens")
    for what, took in times.items():
        print(f"{what:32s} {took:6.2f} s")
    print("frozen app OK")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
