"""Benchmark: printing forms.

1. One blank form in a warm process (goal: at most 100 ms).
2. A batch of 1,000 filled activity reports (CA-F01) read from the database, against the
   raw reportlab floor measured in the same run: a canvas that draws the same pages, the
   same strings with the same embedded fonts and the same number of boxes, without any
   layout, database reads or QR codes (goal: at most 5x the floor).

Run: .venv/bin/python bench/bench_forms.py [--batch 1000]
Prints a Markdown snippet.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from ca_desktop.forms.loader import get_form  # noqa: E402
from ca_desktop.forms.pdf.fonts import BOLD, SANS, register_fonts  # noqa: E402
from ca_desktop.forms.pdf.render import FormCopy, render_pdf  # noqa: E402
from ca_desktop.forms.printing import print_forms  # noqa: E402
from ca_desktop.forms.qr import FormRef  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.services.demo import generate_demo  # noqa: E402


def blank_form_ms(runs: int = 30) -> float:
    form = get_form("CA-F01")
    copy = FormCopy(form, FormRef(form.code, form.version), {}, "", "Uganda Country Programme")
    for _ in range(3):  # warm: fonts parsed, definitions loaded, caches filled
        render_pdf([copy], io.BytesIO(), "fr")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        render_pdf([copy], io.BytesIO(), "fr")
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def floor_seconds(strings_per_page: list[list[str]], boxes_per_page: int, out: Path) -> float:
    """The raw canvas: same pages, strings, fonts and boxes; no layout, no data, no QR."""
    t = time.perf_counter()
    c = Canvas(str(out), pageCompression=1)
    for strings in strings_per_page:
        y = 800.0
        for i, s in enumerate(strings):
            c.setFont(BOLD if i % 2 else SANS, 8.5)
            c.drawString(36, y, s)
            y = y - 9 if y > 60 else 800.0
        for i in range(boxes_per_page):
            c.rect(36 + (i % 4) * 130, 40 + (i // 4) * 20 % 700, 120, 18)
        c.showPage()
    c.save()
    return time.perf_counter() - t


def batch(n: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        app = CaDesktop.open(Path(tmp) / "data")
        app.init_device("Bench Officer", "officer", "UG-CP")
        generate_demo(app, n, seed=7)
        ids = [a.id for a in app.list_records("activity", limit=n)]
        form = get_form("CA-F01")
        out = Path(tmp) / "batch.pdf"
        t = time.perf_counter()
        pages = print_forms(app, form, ids, out, lang="fr")
        ours = time.perf_counter() - t
        # The floor draws what our pages hold: every label and value as one string.
        from pypdf import PdfReader

        reader = PdfReader(out)
        per_page = [(p.extract_text() or "").splitlines() for p in reader.pages[:20]]
        strings = [per_page[i % len(per_page)] for i in range(pages)]
        floor = floor_seconds(strings, boxes_per_page=40, out=Path(tmp) / "floor.pdf")
        app.close()
        return ours, floor, pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    register_fonts()
    blank = blank_form_ms()
    ours, floor, pages = batch(args.batch)
    ratio = ours / floor
    print("### Forms (bench/bench_forms.py)\n")
    print("| measure | result | goal |")
    print("|---|---|---|")
    print(
        f"| one blank form (CA-F01, fr), warm process, median of 30 | {blank:.1f} ms | ≤ 100 ms |"
    )
    print(
        f"| {args.batch} filled activity reports from the database ({pages} pages) | {ours:.2f} s | |"
    )
    print(f"| raw reportlab canvas floor, same pages and strings | {floor:.2f} s | |")
    print(f"| ratio | {ratio:.2f}× | ≤ 5× |")
    return 0 if blank <= 100 and ratio <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
