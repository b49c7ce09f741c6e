"""Grievance receipt numbers: printed on the slip the complainant keeps, typed in later.

"G-7KQ2-M9XD": eight characters of Crockford's base 32 (no I, L, O or U, so nothing reads
as another letter when copied by hand), drawn at random when a blank form is printed. No
laptop needs to ask another for the next number: 32⁸ (about 10¹²) possibilities make two
equal numbers in a programme's lifetime vanishingly unlikely.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PATTERN = re.compile(rf"G-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")
EXAMPLE = "G-7KQ2-M9XD"


def new_receipt_number() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"G-{chars[:4]}-{chars[4:]}"


def is_receipt_number(text: str) -> bool:
    return bool(_PATTERN.fullmatch(text))
