"""Data-integrity traps of the activity editor: sex letters read as on the paper in every
language, and Enter in a count field never replacing the counts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import set_language
from ca_desktop.domain.sex_codes import PAPER_LETTERS, letter
from ca_desktop.forms.loader import get_form
from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def in_language() -> Iterator[object]:
    def use(lang: str) -> None:
        set_language(lang)

    yield use
    set_language("en")


def _type_cell(grid: object, row: int, col: int, text: str) -> None:
    grid.setCurrentCell(row, col)  # type: ignore[attr-defined]
    QTest.keyClicks(grid, text[0])  # type: ignore[arg-type]
    QApplication.processEvents()
    target = QApplication.focusWidget() or grid
    QTest.keyClicks(target, text[1:])  # type: ignore[arg-type]
    QTest.keyClick(target, Qt.Key.Key_Return)  # type: ignore[arg-type]
    QApplication.processEvents()


@pytest.mark.parametrize("lang", list(PAPER_LETTERS))
def test_each_languages_paper_letters_are_stored_as_circled(
    qtbot: QtBot, app: CaDesktop, in_language: object, lang: str
) -> None:
    in_language(lang)  # type: ignore[operator]
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.people)
    grid = editor.people.register
    grid.ask_paper_language = lambda _c: pytest.fail("the letters are this paper's own")
    grid.setFocus()
    woman, man = letter(Sex.FEMALE, lang), letter(Sex.MALE, lang)
    assert f"{woman}/{man}" in grid.horizontalHeaderItem(1).text()
    for row, (name, typed) in enumerate((("Ana", woman.lower()), ("Juan", man), ("Eva", woman))):
        _type_cell(grid, row, 0, name)
        _type_cell(grid, row, 1, typed)
    assert [b["sex"] for b in editor.people.entry_bodies()] == ["female", "male", "female"]


def test_the_printed_register_uses_the_same_letters() -> None:
    form = get_form("CA-F02")
    sex = next(c for f in form.fields() for c in f.columns if c.name == "sex")
    assert sex.choices
    section = next(s for s in form.sections if s.help and "attendees" in [f.name for f in s.fields])
    for lang in PAPER_LETTERS:
        printed = {ch.value: ch.short.get(lang) for ch in sex.choices if ch.short}
        assert printed["female"] == letter(Sex.FEMALE, lang)
        assert printed["male"] == letter(Sex.MALE, lang)
        help_text = section.help.get(lang)  # type: ignore[union-attr]
        for code in (Sex.FEMALE, Sex.MALE):
            assert re.search(rf"\b{letter(code, lang)}\b", help_text), (lang, help_text)


def test_a_french_typist_copying_a_spanish_paper_is_asked_what_m_means(
    qtbot: QtBot, app: CaDesktop, in_language: object
) -> None:
    in_language("fr")  # type: ignore[operator]
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    grid = editor.people.register
    asked: list[str] = []
    grid.ask_paper_language = lambda current: asked.append(current) or "es"  # type: ignore[func-returns-value]
    grid.setFocus()
    _type_cell(grid, 0, 0, "Lucia")
    _type_cell(grid, 0, 1, "M")  # means nothing on a French paper: asked
    _type_cell(grid, 1, 0, "Pedro")
    _type_cell(grid, 1, 1, "H")
    _type_cell(grid, 2, 0, "Rosa")
    _type_cell(grid, 2, 1, "m")  # asked once only
    assert asked == ["fr"]
    assert [b["sex"] for b in editor.people.entry_bodies()] == ["female", "male", "female"]
    assert editor.people.paper_language.currentData() == "es"


def test_a_paste_with_ambiguous_letters_asks_and_cancel_pastes_nothing(
    qtbot: QtBot, app: CaDesktop
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    grid = editor.people.register
    grid.ask_paper_language = lambda _current: None  # the user cancels
    grid.setCurrentCell(0, 0)
    assert grid.paste("Lucía\tM\t30\nPedro\tH\t40\n") == 0
    assert editor.people.entry_bodies() == []
    grid.ask_paper_language = lambda _current: "pt"
    assert grid.paste("Lucía\tM\t30\nPedro\tH\t40\n") == 2
    assert [b["sex"] for b in editor.people.entry_bodies()] == ["female", "male"]
    grid.ask_paper_language = lambda _c: pytest.fail("the paper is known now")
    grid.setCurrentCell(2, 0)
    assert grid.paste("Inês\tM\t22\n") == 1


def test_choosing_the_paper_reads_letters_typed_before(qtbot: QtBot, app: CaDesktop) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    people = editor.people
    people.register.ask_paper_language = lambda _current: None
    people.register.setCurrentCell(0, 0)
    people.register.item(0, 0).setText("Lucía")
    people.paper_language.setCurrentIndex(people.paper_language.findData("es"))
    people.paper_language.activated.emit(people.paper_language.currentIndex())
    people.register.item(0, 1).setText("M")
    assert people.entry_bodies()[0]["sex"] == "female"


def test_enter_in_a_count_field_never_replaces_the_counts(qtbot: QtBot, app: CaDesktop) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.people)
    people = editor.people
    people.register.paste("Aisha\tf\t19\n")  # the register would say 1 woman, 0 men
    counts = {
        "female_youth": 12,
        "female_other": 30,
        "male_youth": 9,
        "male_other": 25,
        "not_recorded_youth": 1,
        "not_recorded_other": 2,
    }
    people.participants.set_counts(counts)  # type: ignore[arg-type]
    first = people.participants.fields["female_youth"].focus_widget()
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    QTest.keyClick(first, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert people.participants.counts() == counts
    assert not first.hasFocus()  # Enter moved on
    defaults = [
        b.text() for b in editor.findChildren(QPushButton) if b.isDefault() or b.autoDefault()
    ]
    assert defaults == []
