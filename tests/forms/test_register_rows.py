"""A 60-person forum: one blank register numbered 1 to 60 across its pages (`--rows`)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from ca_desktop.cli import main
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.printing import print_forms


def _row_numbers(pdf: Path) -> list[int]:
    numbers = []
    for page in PdfReader(pdf).pages:
        for line in page.extract_text().splitlines():
            if re.fullmatch(r"\d{1,3}", line.strip()):
                numbers.append(int(line.strip()))
    return numbers


def test_sixty_rows_numbered_on_across_pages(tmp_path: Path) -> None:
    out = tmp_path / "forum.pdf"
    pages = print_forms(None, get_form("CA-F02"), [None], out, lang="es", rows=60)
    assert pages >= 3
    numbers = [n for n in _row_numbers(out) if n >= 1]
    assert list(range(1, 61)) == sorted(set(numbers) & set(range(1, 61)))
    assert max(numbers) >= 60 and numbers.index(60) > numbers.index(1)
    texts = [p.extract_text() for p in PdfReader(out).pages]
    assert all(f"de {pages}" in t for t in texts)  # "Página 1 de N" on every page


def test_rows_on_a_form_without_a_table_is_one_clear_message(
    tmp_path: Path, capsys: object
) -> None:
    code = main(
        ["--data-dir", str(tmp_path / "d"), "forms", "print", "CA-F08", "--blank",
         "--rows", "60", "--out", str(tmp_path / "x.pdf")]
    )  # fmt: skip
    assert code == 2 and not (tmp_path / "x.pdf").exists()


def test_blank_copies_of_a_register_number_on(tmp_path: Path) -> None:
    """Three blank registers for a big meeting read as one: rows 1… onwards without a
    restart, and "Page 3 of N" counts the whole print."""
    out = tmp_path / "three.pdf"
    pages = print_forms(None, get_form("CA-F02"), [None, None, None], out, lang="en")
    numbers = [n for n in _row_numbers(out) if n >= 1]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 40
    texts = [p.extract_text() for p in PdfReader(out).pages]
    assert [f"Page {i} of {pages}" in t for i, t in enumerate(texts, start=1)] == [True] * pages


def test_blank_grievance_forms_stay_separate(tmp_path: Path) -> None:
    out = tmp_path / "g.pdf"
    pages = print_forms(None, get_form("CA-F08"), [None, None], out, lang="en")
    texts = [p.extract_text() for p in PdfReader(out).pages]
    per_copy = pages // 2
    assert f"Page 1 of {per_copy}" in texts[per_copy]  # the second form starts again
