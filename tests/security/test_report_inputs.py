"""Attacks on the reports: typed periods and codes, record text reaching the PDF, a place
tree made circular by a bad sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ca_desktop.domain.periods import parse_period
from ca_desktop.reports.filters import PlaceIndex, ReportFilters, programme_by_code
from ca_desktop.reports.quarterly_pdf import write_quarterly_pdf


@pytest.mark.parametrize(
    "text",
    [
        "２０２６Q3",  # full-width digits: \d would accept them
        "2026Q3' OR 1=1 --",
        "2026-07..2026-09..2026-12",
        "9" * 10_000,
        "2026-02-30",
        "2026-00",
        "..",
        "2026Q3\x00",
    ],
)
def test_hostile_periods_are_refused_with_one_short_message(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(text)
    assert len(str(caught.value)) < 160


def test_programme_code_is_a_value_not_sql(app, hand) -> None:
    with pytest.raises(ValueError, match="no programme with code"):
        programme_by_code(app, "x' OR '1'='1")
    assert programme_by_code(app, " ug-cp ") == hand.ids["UG"]


def test_record_text_is_printed_as_text_not_markup(app, hand, tmp_path: Path) -> None:
    """reportlab paragraphs read markup: a title typed by someone else must stay text."""
    hostile = '<b>x</b> & <font size="90">y</font> <img src="/etc/passwd"/>'
    body = app.get("activity", hand.ids["A1"]).body
    app.save("activity", {**body, "title": hostile}, hand.ids["A1"])
    app.save("place", {"name": "<para>Kisenyi</para>", "kind": "settlement", "parent_id": hand.ids["kampala"]}, hand.ids["kisenyi"])
    out = write_quarterly_pdf(app, ReportFilters(), tmp_path / "q.pdf")
    # Table cells wrap: compare without white space.
    text = "".join("".join(p.extract_text() for p in PdfReader(str(out)).pages).split())
    assert '<b>x</b>&<fontsize="90">y</font>' in text and "<para>Kisenyi</para>" in text


def test_a_circular_place_tree_does_not_hang() -> None:
    places = PlaceIndex([("a", "b", "city", None, "A"), ("b", "a", "settlement", "UG", "B"), ("c", "zz", "settlement", None, "C")])
    assert places.ancestry("a") == ["a", "b"]
    assert places.country_of("a") == "UG" and places.city_of("b") == "a"
    assert places.under("a") == frozenset({"a", "b"})
    assert places.country_of("c") == ""
