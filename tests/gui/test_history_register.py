"""Register corrections show in the activity's history (GUI and `history ID`); names and
phones only where the register itself is shown."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

from pytestqt.qtbot import QtBot

from ca_desktop.cli import main
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.services.app import CaDesktop


def _corrected_register(app: CaDesktop, activity_body: dict[str, object]) -> str:
    activity_id = app.save("activity", activity_body).id
    row = app.save(
        "attendance_entry",
        {
            "activity_id": activity_id,
            "line": 1,
            "name": "Aisha Nansubunga",
            "sex": "female",
            "age_band": "15_24",
            "phone": "+256 700 111222",
        },
    )
    app.save("attendance_entry", {"name": "Aisha Nansubuga"}, row.id)  # the typo corrected
    return activity_id


def test_the_activity_history_lists_a_corrected_name(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    activity_id = _corrected_register(app, activity_body)
    panel = HistoryPanel(app, show_personal=True)
    qtbot.addWidget(panel)
    panel.show_record("activity", activity_id)
    text = panel.text()
    assert "Attendance register row 1: changed by Amina Nakato" in text
    assert "Aisha Nansubunga → Aisha Nansubuga" in text
    assert text.index("changed by") < text.index("Created by")  # newest first
    hidden = HistoryPanel(app)  # a page that does not show the register
    qtbot.addWidget(hidden)
    hidden.show_record("activity", activity_id)
    assert "Attendance register row 1: changed by" in hidden.text()
    assert "Aisha" not in hidden.text() and "+256" not in hidden.text()
    assert "Name: changed (shown with the register)" in hidden.text()


def test_history_command_lists_register_rows(
    app: CaDesktop, data_dir: Path, activity_body: dict[str, object]
) -> None:
    activity_id = _corrected_register(app, activity_body)
    app.close()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(data_dir), "history", activity_id]) == 0
    assert "attendance_entry" in out.getvalue() and "Aisha" not in out.getvalue()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--data-dir", str(data_dir), "history", activity_id, "--personal"]) == 0
    assert "name: Aisha Nansubunga -> Aisha Nansubuga" in out.getvalue()
