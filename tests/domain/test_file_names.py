"""Exported file names keep accents; only what a file system refuses is taken out."""

from __future__ import annotations

import pytest

from ca_desktop.domain.file_names import safe_file_name


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("Activités_2026-T3", ".xlsx", "Activités_2026-T3.xlsx"),
        ("Relatório trimestral 2026-T3", ".pdf", "Relatório trimestral 2026-T3.pdf"),
        ("Awa Traoré 2026-11-30", ".cabundle", "Awa Traoré 2026-11-30.cabundle"),
        ('a<b>c:d"e/f\\g|h?i*j', ".csv", "a-b-c-d-e-f-g-h-i-j.csv"),
        ("bad\x00name\x1f", "", "bad-name"),
        ("trailing dots... ", ".pdf", "trailing dots.pdf"),
        ("CON", ".xlsx", "CON_.xlsx"),
        ("", ".pdf", "ca-desktop.pdf"),
        ("///", ".pdf", "ca-desktop.pdf"),
        ("e\u0301te\u0301", ".pdf", "été.pdf"),  # NFD from macOS becomes NFC
    ],
)
def test_names(text: str, suffix: str, expected: str) -> None:
    assert safe_file_name(text, suffix) == expected


def test_long_names_fit_in_200_bytes_without_splitting_a_character() -> None:
    name = safe_file_name("é" * 300, ".xlsx")
    assert name.endswith(".xlsx") and len(name.encode("utf-8")) <= 200
    name.encode("utf-8").decode("utf-8")
