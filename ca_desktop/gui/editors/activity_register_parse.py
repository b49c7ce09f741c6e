"""Read what people type from a paper register: "f", "M", "19", "y", "x" ...

Paper registers carry ages as numbers, sex as F/M or words in several languages, and
ticks for consent and signature. These helpers turn such cells into the domain's codes,
so typing stays fast and the stored data stays clean. Qt-free on purpose.
"""

from __future__ import annotations

import functools
from typing import Any

from ca_desktop.domain.enums import AgeBand, Sex
from ca_desktop.domain.i18n import LANGUAGES, label
from ca_desktop.domain.sex_codes import ambiguous_letters, sex_for_letter

COLUMNS: tuple[str, ...] = (
    "name",
    "sex",
    "age_band",
    "organisation",
    "role",
    "phone",
    "consent",
    "signed",
)

# Whole words only: a single letter is read with the paper's own table (`domain.sex_codes`),
# because "M" is a woman on a Spanish register and a man on an English one.
_SEX_WORDS = {
    Sex.FEMALE: {
        "female",
        "w",
        "woman",
        "women",
        "femme",
        "fem",
        "mujer",
        "mulher",
        "feminino",
        "femenino",
        "féminin",
    },
    Sex.MALE: {"male", "man", "men", "homme", "hombre", "homem", "masculino", "masculin"},
    Sex.NOT_RECORDED: {"", "?", "-", "nr", "n/a", "not recorded", "unknown"},
}
_YES = {"y", "yes", "x", "1", "true", "oui", "o", "si", "sí", "s", "sim", "✓", "v", "ok"}
_NO = {"", "n", "no", "0", "false", "non", "nao", "não", "-"}


@functools.cache
def _labels(code: str) -> frozenset[str]:
    # Cached: the catalogs do not change while the program runs, and a register of 50
    # lines asked for these 24 translations per age cell when the editor opened.
    return frozenset(label(code, lang).casefold() for lang in LANGUAGES)


@functools.cache
def _band_words(code: str) -> frozenset[str]:
    """How a band may be written: its code, with a dash or a plus, its labels."""
    labels = {lbl.replace(" ", "").replace("–", "-") for lbl in _labels(code)}
    return frozenset({code, code.replace("_", "-"), code.replace("_plus", "+"), *labels})


def parse_sex(text: str, paper_lang: str) -> str | None:
    """A Sex code, or None when the text is not understood; letters as on `paper_lang`'s
    register (see `domain.sex_codes`)."""
    value = text.strip().casefold()
    by_letter = sex_for_letter(value, paper_lang)
    if by_letter is not None:
        return by_letter
    for sex, words in _SEX_WORDS.items():
        if value in words or value in _labels(sex.value):
            return sex.value
    return None


def age_band_for(age: int) -> str:
    if age < 15:
        return AgeBand.UNDER_15.value
    if age <= 24:
        return AgeBand.YOUTH.value
    if age <= 34:
        return AgeBand.AGE_25_34.value
    if age <= 59:
        return AgeBand.AGE_35_59.value
    return AgeBand.AGE_60_PLUS.value


def parse_age_band(text: str) -> str | None:
    """An AgeBand code from an age ("19"), a band ("15-24", "60+") or a word ("youth")."""
    value = text.strip().casefold().replace("–", "-").replace(" ", "")
    if value in ("", "?", "-", "nr", "n/a"):
        return AgeBand.NOT_RECORDED.value
    if value.isdigit() and int(value) < 130:
        return age_band_for(int(value))
    if value in ("y", "youth", "jeune", "joven", "jovem"):
        return AgeBand.YOUTH.value
    for band in AgeBand:
        if value in _band_words(band.value):
            return band.value
    if value.startswith("<") and value[1:].isdigit() and int(value[1:]) <= 15:
        return AgeBand.UNDER_15.value
    return None


def parse_bool(text: str) -> bool | None:
    value = text.strip().casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def has_ambiguous_letter(texts: list[str]) -> bool:
    """Whether any of these sex cells is a letter whose meaning depends on the paper."""
    return any(t.strip().casefold() in ambiguous_letters() for t in texts)


def cell_value(column: str, text: str, paper_lang: str) -> Any:
    """The body value for a typed cell; unparseable text is returned as is so the domain
    names the problem (e.g. "sex: 'q' is not one of the allowed codes")."""
    if column == "sex":
        return parse_sex(text, paper_lang) or text.strip()
    if column == "age_band":
        return parse_age_band(text) or text.strip()
    if column in ("consent", "signed"):
        parsed = parse_bool(text)
        return text.strip() if parsed is None else parsed
    return text.strip() or None


def cell_text(column: str, value: Any) -> str:
    """How a stored value shows in the grid."""
    if value is None:
        return ""
    if column in ("sex", "age_band"):
        return label(str(value)) if value else ""
    if column in ("consent", "signed"):
        return "✓" if value is True else ""
    return str(value)


def is_blank(texts: dict[str, str]) -> bool:
    return not any(t.strip() for t in texts.values())
