"""`report` and `figures` on the command line, and `--lang`/`--data-dir` after a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ca_desktop.cli import hoist_global_options

ROOT = Path(__file__).resolve().parents[2]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("CA_DESKTOP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "ca_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def one_line_failure(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in done.stderr


def test_figures_json_matches_the_hand_count(app, hand, data_dir: Path) -> None:
    done = run(data_dir, "figures", "--period", "2026Q3", "--programme", "ug-cp", "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["people_reached"] == 37 and figures["activities"] == 4
    assert figures["cuf_ca_funds"] == 1500 and figures["grievances_open"] == 1


def test_report_writes_a_pdf_in_french_with_lang_after_the_command(
    app, hand, data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "q3.pdf"
    done = run(data_dir, "report", "--period", "2026Q3", "--out", str(out), "--lang", "fr")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--period", "2026Q5"), "not a period"),
        (("--period", "2026-09..2026-07"), "ends before it starts"),
        (("--programme", "XX-CP"), "no programme with code 'XX-CP'"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    app, hand, data_dir: Path, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    out = tmp_path / "r.pdf"
    one_line_failure(run(data_dir, "report", *args, "--out", str(out)), needle)
    one_line_failure(run(data_dir, "figures", *args), needle)
    assert not list(tmp_path.glob("*.pdf*")) and not list(tmp_path.glob(".report-*"))
    assert not out.exists()


@pytest.mark.slow
def test_report_refuses_a_name_that_is_not_a_pdf(app, hand, data_dir: Path, tmp_path: Path) -> None:
    one_line_failure(run(data_dir, "report", "--out", str(tmp_path / "r.txt")), "ending in .pdf")
    one_line_failure(
        run(data_dir, "report", "--out", str(tmp_path / "no" / "r.pdf")), "no such folder"
    )


def test_forms_print_accepts_lang_after_the_command(tmp_path: Path) -> None:
    out = tmp_path / "f.pdf"
    done = run(
        tmp_path / "data", "forms", "print", "CA-F01", "--blank", "--lang", "fr", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()


def test_hoisting_global_options() -> None:
    assert hoist_global_options(["forms", "print", "X", "--lang", "fr"]) == [
        "--lang",
        "fr",
        "forms",
        "print",
        "X",
    ]
    assert hoist_global_options(["figures", "--data-dir=/d", "--json"]) == [
        "--data-dir=/d",
        "figures",
        "--json",
    ]
    assert hoist_global_options(["import", "--", "--lang", "fr"]) == [
        "import",
        "--",
        "--lang",
        "fr",
    ]
    assert hoist_global_options(["figures", "--lang"]) == ["figures", "--lang"]
