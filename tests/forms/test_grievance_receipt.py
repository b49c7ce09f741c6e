"""The grievance form carries a receipt number the complainant keeps: printed in the form
and on a tear-off slip, different on every blank copy, stored with the grievance when the
form is typed in, refused when mistyped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ca_desktop.domain.receipts import is_receipt_number, new_receipt_number
from ca_desktop.domain.validation import ValidationError
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import load_form, save_form
from ca_desktop.forms.printing import print_forms
from ca_desktop.services.app import CaDesktop

NUMBER = re.compile(r"G-[0-9A-Z]{4}-[0-9A-Z]{4}")


def test_each_blank_form_and_its_slip_carry_one_number(tmp_path: Path) -> None:
    out = tmp_path / "grievances.pdf"
    pages = print_forms(None, get_form("CA-F08"), [None, None], out, lang="fr")
    texts = [p.extract_text() for p in PdfReader(out).pages]
    per_copy = pages // 2
    first = NUMBER.findall(" ".join(texts[:per_copy]))
    second = NUMBER.findall(" ".join(texts[per_copy:]))
    assert len(first) == 2 and len(set(first)) == 1  # in the form and on the slip
    assert len(second) == 2 and len(set(second)) == 1
    assert first[0] != second[0]
    last_page = texts[per_copy - 1]
    assert "Découpez ici" in last_page and "Gardez ce coupon" in last_page


def test_numbers_are_well_formed_and_unambiguous() -> None:
    numbers = {new_receipt_number() for _ in range(2000)}
    assert len(numbers) == 2000 and all(is_receipt_number(n) for n in numbers)
    assert not any(c in n[2:] for n in numbers for c in "ILOU")
    assert not is_receipt_number("g-7kq2-m9xd") and not is_receipt_number("G-7KQ2-M9XO")


def test_the_typed_number_is_stored_with_the_grievance(app: CaDesktop) -> None:
    form = get_form("CA-F08")
    values = dict(load_form(app, form, None).values)
    values.update(
        receipt_number="G-7KQ2-M9XD",
        date_received="2026-11-20",
        channel="in_person",
        category="construction",
        description="The drain outside the market floods the road.",
        status="open",
    )
    rid = save_form(app, form, values)
    stored = app.get("grievance", rid)
    assert stored is not None and stored.body["receipt_number"] == "G-7KQ2-M9XD"
    values["receipt_number"] = "G-7KQ2-M9X"  # a character missed while typing
    with pytest.raises(ValidationError) as caught:
        save_form(app, form, values)
    assert [i.field for i in caught.value.issues] == ["receipt_number"]
