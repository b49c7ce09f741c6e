"""The issue's story, keyboard only: a community forum with 25 attendees from a paper
register, found again by a word in its notes, corrected, the change seen in its history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.services.app import CaDesktop

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
NAMES = [
    "Aisha Nansubuga",
    "Grace Akello",
    "Peter Okello",
    "Sarah Namutebi",
    "John Mugisha",
    "Ruth Achieng",
    "Moses Kato",
    "Esther Nakato",
    "Brian Ssali",
    "Joy Atim",
    "Fatuma Nabirye",
    "David Ochieng",
    "Harriet Auma",
    "Isaac Wasswa",
    "Lydia Nakku",
    "Paul Ouma",
    "Rose Adong",
    "Samuel Lubega",
    "Teddy Nalwoga",
    "Vincent Opio",
    "Winnie Namara",
    "Yusuf Kiggundu",
    "Zainab Nanyonga",
    "Agnes Apio",
    "Charles Mukasa",
]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), k, mods)
    QApplication.processEvents()


def typed(text: str) -> None:
    QTest.keyClicks(focused(), text)
    QApplication.processEvents()


def test_the_whole_story_without_the_mouse(
    qtbot: QtBot, window: MainWindow, app: CaDesktop, programme_id: str, settlement_id: str
) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    press(Qt.Key.Key_2, CTRL)  # Activities
    page = window.page("activities")
    assert isinstance(page, ActivitiesPage)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.empty)

    press(Qt.Key.Key_N, CTRL)
    first = page.editor
    assert first is not None
    editor = first
    qtbot.waitUntil(
        lambda: first.isActiveWindow() and first.fields["title"].focus_widget().hasFocus()
    )
    typed("Kisenyi settlement forum, November")
    press(Qt.Key.Key_Tab)
    typed("Settlement")  # the type combo searches as you type
    press(Qt.Key.Key_Tab)  # level: community by default
    press(Qt.Key.Key_Tab)  # programme: the home programme by default
    press(Qt.Key.Key_Tab)  # status: completed by default
    press(Qt.Key.Key_Tab)  # start date: today by default
    while focused() is not editor.fields["place_id"].focus_widget():
        press(Qt.Key.Key_Tab)  # end date and its clear button
    typed("Kisen")
    popup = editor.fields["place_id"].focus_widget().completer().popup()  # type: ignore[attr-defined]
    qtbot.waitUntil(popup.isVisible)
    # the suggestion list holds the keyboard while it is open (a real keyboard goes there)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert editor.fields["place_id"].value() == settlement_id
    while focused() is not editor.fields["notes"].focus_widget():
        press(Qt.Key.Key_Tab)
    typed("Residents chose the water kiosk at the market as the first CUF project.")

    press(Qt.Key.Key_P, ALT)  # the People tab
    assert editor.tabs.currentWidget() is editor.people
    grid = editor.people.register
    grid.setFocus()  # (Tab would get there too; the register is the next stop after the counts)
    grid.setCurrentCell(0, 0)
    for i, name in enumerate(NAMES):
        for text in (name, "f" if i % 2 == 0 else "m", str(16 + i * 2)):
            QTest.keyClicks(grid, text[0])
            QApplication.processEvents()
            typed(text[1:])
            press(Qt.Key.Key_Return)
        QTest.keyClick(grid, Qt.Key.Key_Return, CTRL)
        QApplication.processEvents()
    press(Qt.Key.Key_R, ALT)  # set the counts from the register (a button: clicks after a blink)
    qtbot.waitUntil(lambda: first.people.participants.grand_total.text() == "25")

    with qtbot.waitSignal(page.loaded, timeout=10_000):
        press(Qt.Key.Key_S, CTRL)
    record_id = editor.record_id
    assert record_id is not None
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.editor is None and window.isActiveWindow())
    assert app.count("attendance_entry") == 25

    # find it again by a word in its notes
    QTest.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.filters.search.hasFocus()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        typed("kiosk")
        press(Qt.Key.Key_Return)
    assert page.table.hasFocus() and page.current_id() == record_id

    # correct it
    press(Qt.Key.Key_F2)
    second = page.editor
    assert second is not None and second.record_id == record_id
    editor = second
    qtbot.waitUntil(
        lambda: second.isActiveWindow() and second.fields["title"].focus_widget().hasFocus()
    )
    press(Qt.Key.Key_End)
    typed(" 2026")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        press(Qt.Key.Key_S, CTRL)
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.editor is None and window.isActiveWindow())

    # and see the change in its history, once the selection has settled
    qtbot.waitUntil(lambda: "November 2026" in page.history.text())
    history = page.history.text()
    assert "Kisenyi settlement forum, November → Kisenyi settlement forum, November 2026" in history
    assert "Amina Nakato" in history
