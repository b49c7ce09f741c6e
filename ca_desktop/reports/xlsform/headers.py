"""Column headers of an XLSForm sheet: `label`, `label:english`, `label::English (en)`,
`hint::Swahili (sw)`, `constraint_message::…`, in any case.

A header names a column and, for translatable columns, a language. Languages are kept as
short codes: the code in brackets when there is one, else the code of a known language
name, else the name itself made safe (letters only), so a form in Luganda still prints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
SURVEY_COLUMNS = {
    "type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
    "constraint_message", "calculation", "default", "read_only", "appearance", "choice_filter",
    "repeat_count", "guidance_hint", "parameters", "media", "trigger", "body", "bind",
    "instance",
}  # fmt: skip
CHOICES_COLUMNS = {"list_name", "list name", "name", "label", "media"}

_NAMES = {
    "english": "en", "french": "fr", "francais": "fr", "spanish": "es", "espanol": "es",
    "portuguese": "pt", "portugues": "pt", "swahili": "sw", "kiswahili": "sw",
    "arabic": "ar", "amharic": "am", "hausa": "ha", "yoruba": "yo", "igbo": "ig",
    "somali": "so", "luganda": "lg", "kinyarwanda": "rw", "hindi": "hi", "bengali": "bn",
    "vietnamese": "vi", "nepali": "ne", "chichewa": "ny", "zulu": "zu", "default": "",
}  # fmt: skip


@dataclass(frozen=True)
class Header:
    column: str  # "label", "hint", "type", ... (lower case)
    lang: str | None  # a language code for translatable columns, None for the default one
    extra: str = ""  # the rest of a compound header (media::image -> "image")


def parse_header(text: str) -> Header:
    raw = text.strip()
    if "::" in raw:
        head, _, rest = raw.partition("::")
    elif ":" in raw:
        head, _, rest = raw.partition(":")
    else:
        head, rest = raw, ""
    column = head.strip().lower()
    if column == "list_name":
        column = "list name"
    if column in TRANSLATABLE and rest:
        return Header(column, language_code(rest))
    return Header(column, None, rest.strip().lower())


def language_code(spec: str) -> str:
    """`English (en)` -> en; `english` -> en; `Luganda` -> lg; `Klingon` -> klingon."""
    spec = spec.strip()
    if spec.endswith(")") and "(" in spec:
        inner = spec[spec.rindex("(") + 1 : -1].strip().lower()
        code = inner.split("-")[0].split("_")[0]
        if 2 <= len(code) <= 8 and code.isascii() and code.isalpha():
            return code
        spec = spec[: spec.rindex("(")]
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", spec.lower()) if c.isascii() and c.isalpha()
    )
    if plain in _NAMES:
        return _NAMES[plain] or "en"
    return plain[:30] if len(plain) >= 2 else "und"
