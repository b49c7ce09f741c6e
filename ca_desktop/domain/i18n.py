"""Translations: English source strings looked up in one catalog per language.

Catalogs are JSON files `resources/translations/<lang>.json` mapping English text to its
translation; a missing entry falls back to English, so a partly translated catalog never
breaks a screen. Enum codes and field names get labels through `label()` and
`field_label()`, whose English text is derived from the code and then translated.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "fr", "es", "pt")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}

_current = "en"

# English labels of enum codes where the code alone does not read well. Field labels are
# declared with the field (`domain/records.py`).
_ENGLISH_OVERRIDES = {
    "15_24": "15–24 (youth)",
    "25_34": "25–34",
    "35_59": "35–59",
    "60_plus": "60 and over",
    "under_15": "Under 15",
    "ngo": "NGO",
    "cuf_meeting": "CUF meeting",
    "profiling_enumeration": "Profiling / enumeration",
    "lighting_energy": "Lighting / energy",
    "cities_alliance_member": "Cities Alliance member",
    "informal_workers_association": "Informal workers' association",
    "environmental_social_safeguards": "Environmental and social safeguards",
    "participation_inclusion": "Participation and inclusion",
    "land_resettlement": "Land and resettlement",
    "gender_based_violence": "Gender-based violence",
    "sms": "SMS",
}


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, inside a frozen build."""
    override = os.environ.get("CA_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)  # set by PyInstaller
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def set_language(lang: str | None) -> None:
    global _current
    _current = lang if lang in LANGUAGES else "en"


def language() -> str:
    return _current


@cache
def _catalog(lang: str) -> dict[str, str]:
    path = resources_dir() / "translations" / f"{lang}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def tr(text: str, lang: str | None = None) -> str:
    """`text` (English) in the current language, or English when no translation exists."""
    lang = lang or _current
    if lang == "en":
        return text
    return _catalog(lang).get(text) or text


def plural_form(n: int, lang: str | None = None) -> int:
    """0 for the singular, 1 for the plural, by the language's rule (CLDR, cardinal):
    French counts 0 and 1 as singular ("0 champ modifié"); English, Spanish and
    Portuguese only 1."""
    lang = lang or _current
    if lang == "fr":
        return 0 if abs(n) <= 1 else 1
    return 0 if abs(n) == 1 else 1


def tr_n(
    singular: str, plural: str, n: int, lang: str | None = None, shown: str | None = None
) -> str:
    """The singular or plural sentence for `n`, translated, with `{n}` filled in.

    Both English sentences are catalog keys; the target language's own rule picks which
    one, so French "0" takes the singular even though English "0" takes the plural. `n` is
    inserted by the translation (`{n}`), never glued to it; `shown` is `n` as the screen
    writes it ("69 626" in French), when the caller formats numbers for the locale.
    """
    lang = lang or _current
    chosen = singular if plural_form(n, lang) == 0 else plural
    return tr(chosen, lang).format(n=n if shown is None else shown)


def english_label(code: str) -> str:
    if code in _ENGLISH_OVERRIDES:
        return _ENGLISH_OVERRIDES[code]
    from ca_desktop.domain.records import declared_label  # records imports nothing of ours

    return declared_label(code) or code.replace("_", " ").capitalize()


def label(code: str | Enum, lang: str | None = None) -> str:
    """A person-readable, translated label for an enum code or a field name."""
    value = code.value if isinstance(code, Enum) else code
    return tr(english_label(str(value)), lang)


def field_label(field: str, lang: str | None = None) -> str:
    return label(field, lang)
