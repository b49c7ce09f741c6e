"""The sex letters printed on paper registers, one table per language.

A Spanish or Portuguese register asks to circle "M" (mujer / mulher) or "H" (hombre /
homem), an English one "F" or "M", a French one "F" or "H". "M" therefore means a woman on
one paper and a man on another: whoever reads a letter must know which paper it came from.
The paper forms print these letters, and the register grid, paste and the "type in a paper
form" dialog read them, all from this one table, so what is circled is what is stored.
"""

from __future__ import annotations

from ca_desktop.domain.enums import Sex

# Letters as printed on the paper form of each language; "–" marks "not recorded".
PAPER_LETTERS: dict[str, dict[Sex, str]] = {
    "en": {Sex.FEMALE: "F", Sex.MALE: "M", Sex.NOT_RECORDED: "–"},
    "fr": {Sex.FEMALE: "F", Sex.MALE: "H", Sex.NOT_RECORDED: "–"},
    "es": {Sex.FEMALE: "M", Sex.MALE: "H", Sex.NOT_RECORDED: "–"},
    "pt": {Sex.FEMALE: "M", Sex.MALE: "H", Sex.NOT_RECORDED: "–"},
}


def letter(sex: Sex | str, lang: str) -> str:
    """The letter the paper of `lang` prints for `sex`."""
    return PAPER_LETTERS.get(lang, PAPER_LETTERS["en"])[Sex(sex)]


def sex_for_letter(text: str, lang: str) -> str | None:
    """The Sex code a letter means on the paper of `lang`, or None if it is no letter there."""
    value = text.strip().casefold()
    for sex, printed in PAPER_LETTERS.get(lang, PAPER_LETTERS["en"]).items():
        if value == printed.casefold():
            return sex.value
    return None


def ambiguous_letters() -> frozenset[str]:
    """Letters (lower case) that mean different things on different languages' papers."""
    meanings: dict[str, set[Sex]] = {}
    for table in PAPER_LETTERS.values():
        for sex, printed in table.items():
            meanings.setdefault(printed.casefold(), set()).add(sex)
    return frozenset(text for text, sexes in meanings.items() if len(sexes) > 1)


def letters_hint(lang: str) -> str:
    """ "F/H" for French: the two letters to circle, female first."""
    return f"{letter(Sex.FEMALE, lang)}/{letter(Sex.MALE, lang)}"


def languages_reading(text: str, sex: Sex | str) -> list[str]:
    """The paper languages on which `text` is the letter for `sex`."""
    return [lang for lang in PAPER_LETTERS if sex_for_letter(text, lang) == Sex(sex).value]
