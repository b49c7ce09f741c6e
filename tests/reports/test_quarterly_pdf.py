"""The quarterly PDF: text present, fonts embedded, French labels, atomic and cancellable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.domain.periods import parse_period
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.formatting import format_date, format_number
from ca_desktop.reports.quarterly_pdf import write_quarterly_pdf


def _text(path: Path) -> tuple[str, int, set[str]]:
    reader = PdfReader(str(path))
    fonts: set[str] = set()
    for page in reader.pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages), fonts


def test_english_report_has_the_figures_and_embedded_fonts(app, hand, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = write_quarterly_pdf(
        app,
        ReportFilters(period=parse_period("2026Q3"), programme=hand.ids["UG"]),
        tmp_path / "q.pdf",
        lang="en",
    )
    text, pages, fonts = _text(out)
    assert "Quarterly results report" in text and "Uganda CP (UG-CP)" in text
    assert "People reached" in text and "Annex: activities" in text
    assert "Community Upgrading Fund projects" in text and "Median days to resolve" in text
    assert 4 <= pages <= 12
    assert fonts and all("DejaVu" in f for f in fonts)
    assert not [p for p in tmp_path.iterdir() if p.name != "q.pdf"]


def test_french_report_uses_french_labels_and_numbers(app, hand, tmp_path: Path) -> None:
    out = write_quarterly_pdf(
        app, ReportFilters(period=parse_period("2026Q3")), tmp_path / "q.pdf", lang="fr"
    )
    text, _, _ = _text(out)
    assert "Rapport trimestriel de résultats" in text
    assert "Personnes touchées" in text
    assert "1 800,00" in text.replace("\u00a0", " ")  # CA funds committed, French format
    assert "septembre" in text


def test_cancel_leaves_nothing(app, hand, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < 8  # stop while pages are laid out

    with pytest.raises(Cancelled):
        write_quarterly_pdf(app, ReportFilters(), tmp_path / "q.pdf", progress=progress)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("lang", "number", "date"),
    [("en", "1,234.5", "14 August 2026"), ("fr", "1\u00a0234,5", "14 août 2026"),
     ("es", "1.234,5", "14 de agosto de 2026"), ("pt", "1.234,5", "14 de agosto de 2026")],
)  # fmt: skip
def test_numbers_and_dates_per_language(lang: str, number: str, date: str) -> None:
    assert format_number(1234.5, lang, 1) == number
    assert format_date("2026-08-14", lang) == date


def test_long_lists_are_capped_with_a_note(app, hand, tmp_path: Path, monkeypatch) -> None:
    from ca_desktop.reports import quarterly_data

    monkeypatch.setattr(quarterly_data, "ANNEX_LIMIT", 2)
    monkeypatch.setattr(quarterly_data, "CUF_LIMIT", 1)
    out = write_quarterly_pdf(app, ReportFilters(), tmp_path / "q.pdf")
    text = " ".join(_text(out)[0].split())
    assert "The first 2 of 6 activities" in text and "The first 1 of 4 projects" in text
