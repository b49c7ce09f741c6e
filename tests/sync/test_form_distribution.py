"""Imported XLSForms travel in the coordinator's reference bundles, version and all."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sync_helpers import Laptop

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.printing import print_forms
from ca_desktop.forms.qr import decode_image
from ca_desktop.reports.xlsform.importer import import_xlsform
from tests.reports.xlsform.build import (
    HOUSEHOLD_CHOICES,
    HOUSEHOLD_SETTINGS,
    HOUSEHOLD_SURVEY,
    household,
    write_xlsform,
)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_reference_bundle_carries_imported_forms(
    laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    xls = household(tmp_path / "hh.xlsx")
    import_xlsform(coord.app, xls)
    path = coord.folder / "reference.cabundle"
    coord.sync.export(path, kind="reference_data", plain=True)
    assert amina.receive(path, allow_plain=True).status == "imported"
    form = get_form("HH-VISIT", amina.app)
    assert (form.version, form.languages) == ("1.0", ("en", "sw"))

    changed = [list(r) for r in HOUSEHOLD_SURVEY]
    changed[2][2] = "Name of the enumerator"
    write_xlsform(xls, changed, HOUSEHOLD_CHOICES, HOUSEHOLD_SETTINGS)
    assert import_xlsform(coord.app, xls).version == "1.1"
    second = coord.folder / "reference2.cabundle"
    coord.sync.export(second, kind="reference_data", plain=True)
    assert amina.receive(second, allow_plain=True).status == "imported"
    form = get_form("HH-VISIT", amina.app)
    assert form.version == "1.1"
    assert form.field("enumerator").label.get("en") == "Name of the enumerator"
    # The officer's printed copy says which version it came from, on paper and in the QR code.
    pdf = tmp_path / "blank.pdf"
    print_forms(amina.app, form, [None], pdf, lang="sw")
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    [page] = sorted(tmp_path.glob("p-*.png"))
    [ref] = decode_image(page)
    assert (ref.code, ref.version, ref.record_id) == ("HH-VISIT", "1.1", None)
