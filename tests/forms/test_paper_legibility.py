"""Paper that survives the field: a QR code that still decodes from a blurred, low-resolution
phone photo, and register hints dark enough to survive a photocopy."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from reportlab.lib.colors import Color

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.pdf import style
from ca_desktop.forms.printing import print_forms
from ca_desktop.forms.qr import decode_image
from ca_desktop.services.app import CaDesktop

pdftoppm = shutil.which("pdftoppm")


@pytest.mark.skipif(pdftoppm is None, reason="poppler-utils (pdftoppm) not installed")
def test_qr_decodes_from_a_blurred_phone_photo(
    app: CaDesktop, register_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "form.pdf"
    print_forms(app, get_form("CA-F02"), [register_id], out, lang="es")
    # A phone photo of a page on a table: about 200 dpi, out of focus by 2 pixels.
    subprocess.run(  # noqa: S603 - fixed arguments
        [pdftoppm, "-png", "-r", "200", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")],  # type: ignore[list-item]
        check=True,
    )
    [page] = sorted(tmp_path.glob("p-*.png"))
    photo = tmp_path / "photo.png"
    Image.open(page).convert("L").filter(ImageFilter.GaussianBlur(2.0)).save(photo)
    refs = decode_image(photo)
    assert [r.record_id for r in refs] == [register_id]


def _luminance(colour: Color) -> float:
    return 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue


def test_register_hints_are_dark_enough_to_photocopy() -> None:
    # A photocopier drops greys lighter than about half-tone; the circled letters and age
    # hints must stay readable on a copy of a copy.
    assert _luminance(style.CIRCLE_HINT) <= 0.45
