"""The QR code printed on every page: which form, which version, which record, and when.

Payload: `CAF1|<code>|<version>|<record id or ->|<print clock or ->`. The print clock is the
database clock at printing time, so typing the paper back in can compare the typed values
with what was on the page. Decoding uses zxing-cpp, a maintained decoder that copes with
scans and photos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ca_desktop.domain.ids import is_uuid

PREFIX = "CAF1"
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9-]{0,39}$")
_STAMP_RE = re.compile(r"^\d{13}\.\d{5}$")


@dataclass(frozen=True)
class FormRef:
    """What a paper form's QR code says."""

    code: str
    version: str
    record_id: str | None = None
    printed_at: str | None = None  # hybrid-clock timestamp of the print

    def payload(self) -> str:
        return "|".join(
            (PREFIX, self.code, self.version, self.record_id or "-", self.printed_at or "-")
        )


def parse_payload(text: str) -> FormRef | None:
    """A FormRef from a decoded QR payload, or None when it is not one of ours."""
    parts = text.strip().split("|")
    if len(parts) != 5 or parts[0] != PREFIX or not _CODE_RE.match(parts[1]):
        return None
    record = parts[3] if parts[3] != "-" else None
    stamp = parts[4] if parts[4] != "-" else None
    if (record is not None and not is_uuid(record)) or (stamp and not _STAMP_RE.match(stamp)):
        return None
    return FormRef(parts[1], parts[2], record.lower() if record else None, stamp)


@lru_cache(maxsize=256)
def qr_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark), without quiet zone; cached for batch printing."""
    import segno

    # A fixed mask: choosing the "best" of eight costs 5x the encoding time, and every
    # mask is valid for decoders; printing a batch of a thousand forms feels the difference.
    code = segno.make_qr(payload, error="m", boost_error=False, mask=2)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)


def decode_image(image: Any) -> list[FormRef]:
    """Every form QR code found in an image (a path or a PIL image), in reading order."""
    import zxingcpp
    from PIL import Image

    if isinstance(image, (str, Path)):
        with Image.open(image) as opened:
            opened.load()
            image = opened.convert("L")
    refs = []
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)  # type: ignore[arg-type]
    for result in found:
        ref = parse_payload(result.text)
        if ref is not None and ref not in refs:
            refs.append(ref)
    return refs
