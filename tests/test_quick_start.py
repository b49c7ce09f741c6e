"""The README's quick start stays two commands, and CI runs the test one."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a shell block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    start, test = quick_start_commands()
    assert start == "python3 packaging/dev.py start"
    assert test == "python3 packaging/dev.py test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "packaging/dev.py test" in ci


def test_dev_script_installs_the_libraries_headless_qt_needs() -> None:
    script = (ROOT / "packaging" / "dev.py").read_text(encoding="utf-8")
    for package in ("libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "fonts-dejavu-core", "poppler-utils"):
        assert f'"{package}"' in script


def test_dev_script_runs_tests_on_every_core_unless_told_otherwise() -> None:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "packaging" / "dev.py")
    assert spec and spec.loader
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert dev.pytest_arguments([]) == ["-n", "auto"]
    assert dev.pytest_arguments(["tests/store", "-x"]) == ["-n", "auto", "tests/store", "-x"]
    for chosen in (["-n", "1"], ["-n2"], ["--numprocesses=3"], ["-p", "no:xdist"]):
        assert dev.pytest_arguments(["tests/store", *chosen]) == ["tests/store", *chosen]
