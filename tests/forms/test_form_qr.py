"""The QR code on every page decodes to the form and record it was printed for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import segno

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.printing import print_forms
from ca_desktop.forms.qr import FormRef, decode_image, parse_payload
from ca_desktop.services.app import CaDesktop

pdftoppm = shutil.which("pdftoppm")


def test_payload_round_trip() -> None:
    ref = FormRef("CA-F02", "1.0", "01a21b86-79a3-71a1-8efa-319a16c7db17", "1764200000000.00003")
    assert parse_payload(ref.payload()) == ref
    blank = FormRef("CA-F01", "1.0")
    assert parse_payload(blank.payload()) == blank


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "hello",
        "CAF1|ca-f01|1.0|-|-",
        "CAF1|CA-F01|1.0|not-an-id|-",
        "CAF2|CA-F01|1.0|-|-",
        "CAF1|CA-F01|1.0|-|yesterday",
    ],
)
def test_foreign_codes_are_refused(junk: str) -> None:
    assert parse_payload(junk) is None


def test_decode_from_a_qr_image(tmp_path: Path) -> None:
    ref = FormRef("CA-F07", "1.0", "01a21b86-79a3-71a1-8efa-319a16c7db17", "1764200000000.00000")
    image = tmp_path / "qr.png"
    segno.make_qr(ref.payload(), error="m").save(str(image), scale=6)
    assert decode_image(image) == [ref]


@pytest.mark.skipif(pdftoppm is None, reason="poppler-utils (pdftoppm) not installed")
@pytest.mark.parametrize("code", ["CA-F01", "CA-F02", "CA-F06"])
def test_every_printed_page_carries_the_record(
    app: CaDesktop, register_id: str, cuf_id: str, tmp_path: Path, code: str
) -> None:
    form = get_form(code)
    record = cuf_id if form.link_type == "cuf_project" else register_id
    out = tmp_path / "form.pdf"
    pages = print_forms(app, form, [record], out, lang="fr")
    subprocess.run([pdftoppm, "-png", "-r", "150", str(out), str(tmp_path / "page")], check=True)  # type: ignore[list-item]
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages
    for image in images:
        refs = decode_image(image)
        assert len(refs) == 1
        assert (refs[0].code, refs[0].version, refs[0].record_id) == (code, "1.0", record)
        assert refs[0].printed_at is not None
