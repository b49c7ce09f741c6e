"""Every form prints blank and filled, in every language, with its fonts embedded."""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from form_samples import NAMES, RECORD_TITLE, sample_values
from pypdf import PdfReader

from ca_desktop.forms.loader import all_forms, get_form
from ca_desktop.forms.model import LANGS, FormDef
from ca_desktop.forms.pdf.render import FormCopy, render_pdf
from ca_desktop.forms.pdf.values_fmt import display
from ca_desktop.forms.qr import FormRef

CODES = [f.code for f in all_forms()]
RECORD_ID = "01a21b86-79a3-71a1-8efa-319a16c7db17"


def _titles(record_type: str, record_id: str) -> str:
    return RECORD_TITLE


def _pdf(form: FormDef, lang: str, values: dict[str, Any], paper: str = "a4") -> PdfReader:
    out = io.BytesIO()
    ref = FormRef(form.code, form.version, RECORD_ID if values else None)
    render_pdf(
        [FormCopy(form, ref, values, "", "Uganda Country Programme")], out, lang, paper, _titles
    )
    return PdfReader(io.BytesIO(out.getvalue()))


def _text(reader: PdfReader) -> str:
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return _norm(text)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _labels(form: FormDef, lang: str) -> list[str]:
    out = [form.title.get(lang), form.code]
    for section in form.sections:
        out.append(section.title.get(lang).upper())
        for f in section.fields:
            out.append(f.label.get(lang))
            out += [c.label.get(lang) for c in f.columns]
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", CODES)
def test_blank_form_holds_every_label(code: str, lang: str) -> None:
    form = get_form(code)
    reader = _pdf(form, lang, {})
    text = _text(reader)
    for label in _labels(form, lang):
        assert _norm(label) in text, label


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", CODES)
def test_filled_form_holds_values(code: str, lang: str) -> None:
    form = get_form(code)
    values = sample_values(form)
    text = _text(_pdf(form, lang, values))
    for f in form.fields():
        if f.type in ("text", "longtext", "integer", "decimal", "date", "record", "choice"):
            shown = display(f, values[f.name], lang, _titles)
            assert _norm(shown) in text, (f.name, shown)
        if f.type == "table":
            first = f.columns[0]
            assert _norm(display(first, values[f.name][0][first.name], lang, _titles)) in text
    assert RECORD_ID in text


def test_unicode_names_survive() -> None:
    form = get_form("CA-F02")
    rows = [{"name": n, "sex": "female", "age_band": "15_24"} for n in NAMES]
    text = _text(_pdf(form, "en", {"title": "Forum", "attendees": rows}))
    for name in NAMES:
        assert name in text


@pytest.mark.parametrize("code", ["CA-F01", "CA-F02"])
def test_fonts_are_embedded(code: str) -> None:
    reader = _pdf(get_form(code), "fr", {})
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant.get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and (
                "/FontFile2" in descriptor.get_object()
            )
    assert fonts
    assert all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts)


def test_register_runs_over_pages_with_totals_on_each() -> None:
    form = get_form("CA-F02")
    rows = [
        {
            "name": f"Person {i}",
            "sex": "female" if i % 3 else "male",
            "age_band": "15_24" if i % 2 else "35_59",
        }
        for i in range(1, 61)
    ]
    reader = _pdf(form, "en", {"title": "Forum", "attendees": rows})
    pages = [(_norm(p.extract_text() or "")) for p in reader.pages]
    assert len(pages) >= 4
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Page totals" in page
        assert "Full name" in page  # the header repeats on each page
    assert "Person 60" in " ".join(pages)


@pytest.mark.parametrize("paper,size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_sizes(paper: str, size: tuple[int, int]) -> None:
    reader = _pdf(get_form("CA-F08"), "es", {}, paper)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_header_names_programme_code_version_and_language() -> None:
    text = _norm(_pdf(get_form("CA-F03"), "pt", {}).pages[0].extract_text() or "")
    for part in ("Uganda Country Programme", "CA-F03", "versão 1.0", "Português", "Página 1 de"):
        assert part in text
