"""One vocabulary per language: the glossary's term on screen and on paper, never another.

`resources/translations/glossary.<lang>.json` names, for each concept, the words to use
and the words to avoid. Every GUI catalog entry and every form definition text whose
English holds the concept must use one of the chosen words, and no text may hold a word
to avoid (e.g. the Spanish "Fondo de Mejora Comunitaria" beside "Fondo de Mejoramiento
Comunitario").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ca_desktop.domain.i18n import resources_dir
from ca_desktop.forms.loader import all_forms
from ca_desktop.forms.model import Text

LANGS = ("fr", "es", "pt")


def _glossary(lang: str) -> list[dict[str, list[str]]]:
    path = resources_dir() / "translations" / f"glossary.{lang}.json"
    terms = json.loads(path.read_text(encoding="utf-8"))["terms"]
    assert terms, path
    return terms  # type: ignore[no-any-return]


def _texts(obj: object) -> Iterator[Text]:
    """Every Text in a form definition (labels, help, choices, titles...)."""
    if isinstance(obj, Text):
        yield obj
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from _texts(item)
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
            yield from _texts(getattr(obj, name))


def _pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    """(where, English, translation) of every catalog entry and form text."""
    catalog = json.loads((resources_dir() / "translations" / f"{lang}.json").read_text("utf-8"))
    for english, translated in catalog.items():
        yield f"{lang}.json", english, translated
    for form in all_forms():
        for text in _texts(form):
            yield form.code, text.en, text.get(lang)


def _problems(lang: str) -> list[str]:
    found = []
    for where, english, translated in _pairs(lang):
        low_en, low = english.casefold(), translated.casefold()
        for term in _glossary(lang):
            if any(en.casefold() in low_en for en in term["en"]) and not any(
                use.casefold() in low for use in term["use"]
            ):
                found.append(f"{where}: {english!r} -> {translated!r} lacks {term['use'][0]!r}")
            for avoid in term["avoid"]:
                if avoid.casefold() in low:
                    found.append(f"{where}: {translated!r} says {avoid!r}, not {term['use'][0]!r}")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_one_term_per_concept(lang: str) -> None:
    problems = _problems(lang)
    assert not problems, "\n".join(problems)


def test_every_language_has_a_glossary_of_the_same_concepts() -> None:
    concepts = [[t["en"] for t in _glossary(lang)] for lang in LANGS]
    assert all(c == concepts[0] for c in concepts)
    assert Path(resources_dir() / "translations" / "glossary.fr.json").is_file()
