"""Benchmark: XLSForm import, blank print, ODK CSV submissions (issue 16).

1. Import a 500-question XLSForm (groups of 20, selects, relevance, constraints, a repeat):
   goal ≤ 1 s. Floor: openpyxl reading the same three sheets (read-only), same run.
2. Print that form blank: goal ≤ 2 s.
3. Import 10,000 submissions from an ODK Central CSV (main + repeat CSV) through
   `import_odk_csv` (every row checked with the form's rules, one transaction), next to the
   store benchmark's raw-insert floor (`bench_store.floor`): the rows the import left,
   re-inserted with `sqlite3.executemany` in one transaction. Goal ≤ 3×.

Scratch data goes to /tmp/xlsform-bench (deleted at the end).
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import median_ms  # noqa: E402
from bench_store import floor  # noqa: E402

from ca_desktop.forms.loader import get_form  # noqa: E402
from ca_desktop.forms.printing import print_forms  # noqa: E402
from ca_desktop.reports.xlsform.importer import import_xlsform  # noqa: E402
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402
from tests.reports.xlsform.build import write_xlsform  # noqa: E402

WORK = Path("/tmp/xlsform-bench")
QUESTIONS = 500
SUBMISSIONS = 10_000


def big_form(path: Path) -> Path:
    header = ("type", "name", "label::English (en)", "label::Swahili (sw)", "hint::English (en)",
              "required", "relevant", "constraint", "constraint_message::English (en)")  # fmt: skip
    survey: list[tuple[object, ...]] = [header]
    kinds = ("text", "integer", "decimal", "date", "select_one yn", "select_multiple colour")
    n = 0
    while n < QUESTIONS - 3:
        survey.append(("begin group", f"g{n}", f"Group {n}", f"Kundi {n}", "", "", "", "", ""))
        for _ in range(20):
            kind = kinds[n % len(kinds)]
            rel = f"${{q{n - 1}}} != ''" if n % 7 == 3 else ""
            con = ". >= 0 and . < 1000" if kind == "integer" else ""
            survey.append((kind, f"q{n}", f"Question {n}", f"Swali {n}", "A hint", "yes" if n % 5 == 0 else "", rel, con, "0 to 999" if con else ""))  # fmt: skip
            n += 1
            if n >= QUESTIONS - 3:
                break
        survey.append(("end group", "", "", "", "", "", "", "", ""))
    survey += [
        ("begin repeat", "people", "People", "Watu", "", "", "", "", ""),
        ("text", "person", "Name", "Jina", "", "", "", "", ""),
        ("integer", "age", "Age", "Umri", "", "", "", "", ""),
        ("select_one yn", "adult", "Adult?", "Mtu mzima?", "", "", "", "", ""),
        ("end repeat", "", "", "", "", "", "", "", ""),
    ]
    choices = [("list_name", "name", "label::English (en)", "label::Swahili (sw)")]
    choices += [("yn", "yes", "Yes", "Ndiyo"), ("yn", "no", "No", "Hapana")]
    choices += [("colour", f"c{i}", f"Colour {i}", f"Rangi {i}") for i in range(6)]
    settings = [("form_title", "form_id"), ("Big survey", "big_survey")]
    return write_xlsform(path, survey, choices, settings)


def read_floor(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    for ws in wb:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def submissions_csv(app: CaDesktop, folder: Path) -> Path:
    form = get_form("BIG-SURVEY", app)
    fields = [f for f in form.fields() if f.type != "table"]
    header = [f"g-{f.name}" for f in fields] + ["meta-instanceID", "KEY"]
    main = folder / "BIG-SURVEY.csv"
    with (
        main.open("w", newline="", encoding="utf-8") as fh,
        (folder / "BIG-SURVEY-people.csv").open("w", newline="", encoding="utf-8") as rep,
    ):
        w, r = csv.writer(fh), csv.writer(rep)
        w.writerow(header)
        r.writerow(["person", "age", "adult", "PARENT_KEY", "KEY"])
        for i in range(SUBMISSIONS):
            uid = f"uuid:00000000-0000-4000-8000-{i:012d}"
            w.writerow([_value(f.type, i) for f in fields] + [uid, uid])
            r.writerow([f"Person {i}", 30, "yes", uid, f"{uid}/people[1]"])
    return main


def _value(kind: str, i: int) -> object:
    return {
        "text": f"answer {i}", "integer": i % 900, "decimal": 1.5, "date": "2024-06-12",
        "choice": "yes", "multichoice": "c1 c2",
    }.get(kind, "")  # fmt: skip


def main() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    xls = big_form(WORK / "big.xlsx")
    app = CaDesktop.open(WORK / "data")
    app.init_device("Bench Coordinator", "coordinator", "UG-CP")
    counter = iter(range(1000))

    def one_import() -> None:
        import_xlsform(app, xls, code=f"BIG-{next(counter)}")

    import_ms = median_ms(one_import, 5)
    floor_ms = median_ms(lambda: read_floor(xls), 5)
    result = import_xlsform(app, xls)
    # 497 questions and a repeat of 3: 498 fields, one of them a table of 3 columns.
    assert result.code == "BIG-SURVEY" and result.questions == QUESTIONS - 2, result.questions
    form = get_form("BIG-SURVEY", app)
    pdf = WORK / "blank.pdf"
    pages = print_forms(app, form, [None], pdf)
    print_ms = median_ms(lambda: print_forms(app, form, [None], pdf), 3)

    exports = WORK / "central"
    exports.mkdir()
    csv_main = submissions_csv(app, exports)
    app.close()
    data = WORK / "subs"
    shutil.copytree(WORK / "data", data)
    app = CaDesktop.open(data)
    start, cpu = time.perf_counter(), time.process_time()
    res = import_odk_csv(app, csv_main)
    ours, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert res.created == SUBMISSIONS, (res.created, res.problems[:3])
    start = time.perf_counter()
    again = import_odk_csv(app, csv_main)
    twice = time.perf_counter() - start
    assert again.unchanged == SUBMISSIONS and again.created == 0
    app.close()
    db = data / "ca-desktop.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = floor(db, WORK / "floor.sqlite", 1)
    # CPU time too: on a shared machine wall time swings with others' load.
    raw_cpu = floor(db, WORK / "floor.sqlite", 1, clock=time.process_time)

    print("| measure | ours | floor | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| import a {QUESTIONS}-question XLSForm (read, convert, check, one revision) | {import_ms:.0f} ms | {floor_ms:.0f} ms (openpyxl reads the sheets) | {import_ms / floor_ms:.1f}× | ≤ 1 s {'✓' if import_ms <= 1000 else '✗'} |")  # fmt: skip
    print(f"| print it blank ({pages} pages) | {print_ms:.0f} ms | | | ≤ 2 s {'✓' if print_ms <= 2000 else '✗'} |")  # fmt: skip
    print(f"| import {SUBMISSIONS:,} ODK submissions (main + repeat CSV, every row checked, one transaction) | {ours:.2f} s | {raw:.2f} s (raw executemany) | **{ours / raw:.2f}×** | ≤ 3× {'✓' if ours / raw <= 3 else '✗'} |")  # fmt: skip
    print(f"| the same, CPU time of the process | {ours_cpu:.2f} s | {raw_cpu:.2f} s | **{ours_cpu / raw_cpu:.2f}×** | ≤ 3× {'✓' if ours_cpu / raw_cpu <= 3 else '✗'} |")  # fmt: skip
    print(
        f"| the same file again (all {SUBMISSIONS:,} already here, nothing written) | {twice:.2f} s | | | |"
    )
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
