"""Plurals by each language's own rule, with the number inserted by the translation."""

from __future__ import annotations

import pytest

from ca_desktop.domain.i18n import plural_form, tr_n

ONE = "{n} field differs from the printed form (highlighted)."
MANY = "{n} fields differ from the printed form (highlighted)."


@pytest.mark.parametrize(
    ("lang", "n", "form"),
    [("en", 0, 1), ("en", 1, 0), ("en", 2, 1), ("fr", 0, 0), ("fr", 1, 0), ("fr", 2, 1),
     ("es", 0, 1), ("es", 1, 0), ("pt", 1, 0), ("pt", 5, 1)],
)  # fmt: skip
def test_plural_rules(lang: str, n: int, form: int) -> None:
    assert plural_form(n, lang) == form


def test_french_zero_and_one_take_the_singular_and_no_sentence_says_s_in_brackets() -> None:
    assert tr_n(ONE, MANY, 1, "fr") == "1 champ diffère du formulaire imprimé (surligné)."
    assert tr_n(ONE, MANY, 0, "fr").startswith("0 champ diffère")
    assert tr_n(ONE, MANY, 3, "fr").startswith("3 champs diffèrent")
    assert tr_n(ONE, MANY, 0, "es").startswith("0 campos")
    for lang in ("en", "fr", "es", "pt"):
        for n in (0, 1, 2):
            assert "(s)" not in tr_n(ONE, MANY, n, lang)


def test_the_number_shown_is_the_callers() -> None:
    text = tr_n(
        "{n} change not exported yet", "{n} changes not exported yet", 69626, "fr", "69 626"
    )
    assert text.startswith("69 626 ")
