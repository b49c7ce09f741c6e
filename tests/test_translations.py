"""The translation catalogs: complete, faithful to their English source, and looked up.

The strings come from `packaging/i18n_extract.py` (every `tr()` literal, every enum and
field label); when a test here fails after new GUI text, run
`python packaging/i18n_extract.py --update` and translate the empty entries.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ca_desktop.domain import i18n
from ca_desktop.domain.enums import ActivityType, GrievanceStatus, Role, Sex
from ca_desktop.domain.i18n import field_label, label, tr

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("fr", "es", "pt")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
QT_TOKEN = re.compile(r"%[a-z]%?")  # %p% in progress-bar formats
FILE_PATTERNS = re.compile(r"\(\*[^)]*\)")  # "(*.jpg *.png)" in file-dialog filters
ACCELERATOR = re.compile(r"(?<!&)&(?![&\s])")  # "&Save"; "&&" is a literal ampersand


def _load_extractor() -> ModuleType:
    path = ROOT / "packaging" / "i18n_extract.py"
    spec = importlib.util.spec_from_file_location("i18n_extract", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("i18n_extract", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


extractor = _load_extractor()


@pytest.fixture(scope="module")
def sources() -> dict[str, set[str]]:
    return extractor.extract().strings  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def catalogs() -> dict[str, dict[str, str]]:
    return {lang: extractor.load_catalog(lang) for lang in TARGETS}


def _pairs(catalogs: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, str]]:
    for lang, catalog in catalogs.items():
        for source, text in catalog.items():
            yield lang, source, text


def test_the_extractor_finds_the_known_kinds_of_string(sources: dict[str, set[str]]) -> None:
    assert "&About CA Desktop" in sources  # a tr() literal in the GUI
    assert "Settlement forum" in sources  # an enum label
    assert "Female, 15–24" in sources  # a field label (override)
    assert "is required" in sources  # a validation message, shown through tr(issue.message)
    assert "CUF projects" in sources  # a page title, shown through tr(page.title)
    assert "Total" in sources
    # The PDF forms have their own four-language table: their `tr` keys are not ours.
    assert "other_ages" not in sources


def test_every_string_has_a_translation_in_every_language(
    sources: dict[str, set[str]], catalogs: dict[str, dict[str, str]]
) -> None:
    missing = [
        f"{lang}: {text!r} (from {sorted(sources[text])[0]})"
        for lang in TARGETS
        for text in sorted(sources)
        if not catalogs[lang].get(text, "").strip()
    ]
    assert not missing, "untranslated (run i18n_extract.py --update):\n" + "\n".join(missing)


def test_no_catalog_keeps_a_string_nobody_uses(
    sources: dict[str, set[str]], catalogs: dict[str, dict[str, str]]
) -> None:
    stale = [f"{lang}: {k!r}" for lang in TARGETS for k in catalogs[lang] if k not in sources]
    assert not stale, "stale keys (run i18n_extract.py --update):\n" + "\n".join(stale)


def test_no_tr_call_gets_text_it_cannot_find_in_a_catalog() -> None:
    found = extractor.extract()
    # tr(f"...") or tr("a" + b) never matches a key: use tr("... {x}").format(x=...).
    assert not found.untranslatable, "\n".join(map(str, found.untranslatable))
    # tr(variable) is fine when its English is collected: declare it in INDIRECT.
    assert not found.unexplained, "\n".join(map(str, found.unexplained))


def test_placeholders_survive_translation(catalogs: dict[str, dict[str, str]]) -> None:
    wrong = [
        f"{lang}: {source!r} → {text!r}"
        for lang, source, text in _pairs(catalogs)
        if text
        and (
            Counter(PLACEHOLDER.findall(text)) != Counter(PLACEHOLDER.findall(source))
            or Counter(QT_TOKEN.findall(text)) != Counter(QT_TOKEN.findall(source))
            or FILE_PATTERNS.findall(text) != FILE_PATTERNS.findall(source)
            or text.count(";;") != source.count(";;")
        )
    ]
    assert not wrong, "\n".join(wrong)


def test_translations_format_like_their_source(catalogs: dict[str, dict[str, str]]) -> None:
    for lang, source, text in _pairs(catalogs):
        if not text:
            continue
        where = f"{lang}: {source!r} → {text!r}"
        # One keyboard accelerator where the English has one, none where it has none.
        assert len(ACCELERATOR.findall(text)) == len(ACCELERATOR.findall(source)), where
        assert text.count("\n") == source.count("\n"), where
        assert text == text.strip() or source != source.strip(), where
        assert text.endswith("…") == source.endswith("…"), where


def test_french_uses_a_no_break_space_before_double_punctuation(
    catalogs: dict[str, dict[str, str]],
) -> None:
    for source, text in catalogs["fr"].items():
        where = f"{source!r} → {text!r}"
        # U+00A0 throughout: every font on an old laptop has it (U+202F is not everywhere).
        assert "\u202f" not in text, where
        prose = text.replace(";;", "\n")  # file-dialog filter separators are not prose
        prose = re.sub(r"\{[^{}]*\}", "{}", prose)  # "{name!r}" is a placeholder, not prose
        assert not re.search(r"[^\u00a0\s][:;!?»]|«[^\u00a0]", prose), where
        assert not re.search(r" [:;!?»]|« ", prose), where


@pytest.mark.parametrize("lang", TARGETS)
def test_catalog_files_are_sorted_utf8_json_with_indent_1(lang: str) -> None:
    path = extractor.catalog_path(lang)
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert list(data) == sorted(data)
    assert raw == json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def test_label_looks_codes_up_in_the_catalog() -> None:
    i18n._catalog.cache_clear()  # another test may have read a different resources folder
    assert label(ActivityType.SETTLEMENT_FORUM, lang="fr") == "Forum de quartier"
    assert label("settlement", lang="es") == "Asentamiento"
    assert label(Sex.FEMALE, lang="pt") == "Mulher"
    assert label(Role.OFFICER, lang="fr") == "Agent de terrain"
    assert label(GrievanceStatus.OPEN, lang="en") == "Open"
    assert field_label("female_youth", lang="es") == "Mujeres, 15–24"
    assert tr("Cancel", lang="pt") == "Cancelar"
    assert tr("a sentence no catalog has", lang="fr") == "a sentence no catalog has"


def test_the_current_language_is_used_when_none_is_given() -> None:
    i18n._catalog.cache_clear()
    before = i18n.language()
    try:
        i18n.set_language("fr")
        assert label(ActivityType.TRAINING) == "Formation"
        i18n.set_language("xx")  # unknown: English
        assert label(ActivityType.TRAINING) == "Training"
    finally:
        i18n.set_language(before)


# The extractor itself, on a tiny package.


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_extractor_reads_only_our_tr_and_flags_assembled_text(tmp_path: Path) -> None:
    pkg = tmp_path / "ca_desktop"
    _write(pkg, "__init__.py", "")
    _write(
        pkg,
        "gui/page.py",
        "from ca_desktop.domain.i18n import tr\n"
        "from ca_desktop.domain import i18n\n"
        "tr('Hello')\n"
        "i18n.tr('Via the module')\n"
        "tr(f'Hi {name}')\n"
        "tr('a' + b)\n"
        "x = f\"{tr('Version')} {v}\"\n"
        "tr(some_variable)\n",
    )
    _write(pkg, "forms/pdf.py", "from ca_desktop.forms.pdf.strings import tr\ntr('page', 'fr')\n")
    _write(pkg, "cli/alias.py", "from ca_desktop.domain.i18n import tr as _\n_('Aliased')\n")
    found = extractor.extract(pkg)
    assert {"Hello", "Via the module", "Version", "Aliased"} <= set(found.strings)
    assert "page" not in found.strings
    assert sorted(s.line for s in found.untranslatable) == [5, 6]
    assert [(s.file, s.line) for s in found.in_fstrings] == [("ca_desktop/gui/page.py", 7)]
    assert [s.line for s in found.dynamic] == [8]
    assert [s.arg for s in found.unexplained] == ["some_variable"]
    assert "Settlement forum" in found.strings  # enum labels come with every extraction


def test_update_adds_empty_entries_drops_stale_ones_and_sorts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CA_DESKTOP_RESOURCES", str(tmp_path))
    extractor.write_catalog(
        "fr", {"Zebra crossing no longer used": "Passage piéton", "Home": "Accueil"}
    )
    added, dropped = extractor.update({"Home", "Cancel", "Activities"}, "fr")
    assert (added, dropped) == (2, 1)
    raw = (tmp_path / "translations" / "fr.json").read_text(encoding="utf-8")
    assert json.loads(raw) == {"Activities": "", "Cancel": "", "Home": "Accueil"}
    assert list(json.loads(raw)) == ["Activities", "Cancel", "Home"]
    assert extractor.problems({"Home", "Cancel", "Activities"}, "fr") == (
        [],
        ["Activities", "Cancel"],
        [],
    )


def test_check_fails_on_a_missing_string(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CA_DESKTOP_RESOURCES", str(tmp_path))
    for lang in TARGETS:
        extractor.write_catalog(lang, {"Home": "x"})
    assert extractor.main(["--check"]) == 1
    assert "missing: 'Settlement forum'" in capsys.readouterr().out
