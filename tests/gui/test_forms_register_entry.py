"""Typing a printed attendance register (CA-F02) back in: the activity editor's fast grid,
quick to open, no differences before anything is typed, never a recursion."""

from __future__ import annotations

import sys
import time

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.domain.hlc import Timestamp, physical_ms
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import load_form
from ca_desktop.forms.printed import printed_values
from ca_desktop.forms.qr import FormRef
from ca_desktop.gui.editors.activity_register import RegisterGrid
from ca_desktop.gui.forms.dialogs import FormEntryDialog
from ca_desktop.services.app import CaDesktop


def _register(app: CaDesktop, activity_id: str, n: int) -> None:
    for i in range(n):
        app.save(
            "attendance_entry",
            {
                "activity_id": activity_id,
                "line": i + 1,
                "name": f"Participant {i + 1:02d}",
                "sex": "female" if i % 2 else "male",
                "age_band": "15_24" if i % 3 else "35_59",
                "consent": bool(i % 2),
                "signed": True,
            },
        )


def _open(
    qtbot: QtBot, app: CaDesktop, activity_id: str, lang: str
) -> tuple[FormEntryDialog, float]:
    form = get_form("CA-F02")
    record = app.find(activity_id)
    assert record is not None
    stamp = max(str(Timestamp(physical_ms(), 0)), record.updated_hlc)
    printed = printed_values(app, form, FormRef(form.code, form.version, activity_id, stamp))
    started = time.perf_counter()
    dialog = FormEntryDialog(app, load_form(app, form, activity_id), lang, app.titles, printed)
    elapsed = time.perf_counter() - started
    qtbot.addWidget(dialog)
    return dialog, elapsed


def test_sixty_rows_open_fast_with_no_differences(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    activity_id = app.save("activity", activity_body).id
    _register(app, activity_id, 60)
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(400)  # a change/highlight loop would blow this at once
    try:
        dialog, elapsed = _open(qtbot, app, activity_id, "es")
    finally:
        sys.setrecursionlimit(old_limit)
    grid = dialog.entry.editor("attendees").grid  # type: ignore[attr-defined]
    assert isinstance(grid, RegisterGrid)  # the activity editor's typing grid
    assert len(grid.entries()) == 60
    assert dialog.entry.changed_fields() == set()
    assert "differ" not in dialog.status.text()
    assert elapsed < 0.5, f"opening took {elapsed:.2f} s"
    # The paper is Spanish: "M" read as mujer, and the change shows as one difference.
    grid.setCurrentCell(0, 1)
    grid.item(0, 1).setText("M")
    assert grid.entries()[0][2]["sex"] == "female"
    assert dialog.entry.changed_fields() == {"attendees", "attendees.1.sex"}


@pytest.mark.parametrize(
    ("lang", "woman", "man"),
    [("en", "F", "M"), ("fr", "F", "H"), ("es", "M", "H"), ("pt", "M", "H")],
)
def test_paper_letters_save_the_sex_circled(
    qtbot: QtBot,
    app: CaDesktop,
    activity_body: dict[str, object],
    lang: str,
    woman: str,
    man: str,
) -> None:
    activity_id = app.save("activity", activity_body).id
    dialog, _ = _open(qtbot, app, activity_id, lang)
    grid = dialog.entry.editor("attendees").grid  # type: ignore[attr-defined]
    grid.ask_paper_language = lambda _current: pytest.fail("the paper's language is known")
    for row, (name, letter) in enumerate((("Ana Pérez", woman), ("Juan Ruiz", man))):
        while grid.rowCount() <= row:
            grid.add_row()
        grid.item(row, 0).setText(name)
        grid.item(row, 1).setText(letter)
        grid.item(row, 2).setText("30")
    dialog.save()
    assert dialog.saved_id is not None, dialog.entry.rows["attendees"].error.text()
    stored = {
        r.body["name"]: r.body["sex"]
        for r in app.list_records("attendance_entry", where={"activity_id": activity_id})
    }
    assert stored == {"Ana Pérez": "female", "Juan Ruiz": "male"}
