"""French on screen: "69 626" and "14/08/2026" in lists, History, the conflict review's
values and the sync history, never "69,626" or "2026-08-14"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import set_language
from ca_desktop.domain.records import spec_for
from ca_desktop.gui.models.record_table import RecordTableModel, display_value
from ca_desktop.gui.sync.history import when
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_lists_show_french_numbers_and_dates(app: CaDesktop, french: None) -> None:
    country = app.save(
        "place", {"name": "Burkina Faso", "kind": "country", "country": "BF", "population": 69626}
    )
    spec = spec_for("place")
    model = RecordTableModel(spec, ["name", "population"])
    model.set_records([country], {})
    assert _plain(model.index(0, 1).data()) == "69 626"
    grievance_date = next(f for f in spec_for("grievance").fields if f.name == "date_received")
    assert display_value(grievance_date, "2026-08-14") == "14/08/2026"
    cost = next(f for f in spec_for("cuf_project").fields if f.name == "ca_funds")
    assert _plain(display_value(cost, 1234567.5)) == "1 234 567,50"


def test_history_shows_french_numbers(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object], french: None
) -> None:
    record = app.save("activity", {**activity_body, "female_other": 12000})
    app.save(
        "activity",
        {**activity_body, "female_other": 69626, "start_date": "2026-08-14"},
        record_id=record.id,
        base_rev=record.rev_id,
    )
    panel = HistoryPanel(app)
    qtbot.addWidget(panel)
    panel.show_record("activity", record.id)
    text = _plain(panel.text())
    assert "12 000 → 69 626" in text
    assert "14/08/2026" in text
    assert "2026-08-14" not in text


def test_sync_history_times_are_local_and_french(french: None) -> None:
    shown = when("2026-11-27T09:30:00Z")
    assert "27/11/2026" in shown and "T" not in shown.split()[0]


def test_date_editors_show_french_dates(qtbot: QtBot, french: None) -> None:
    from ca_desktop.gui.widgets.date_field import DateField

    spec = next(f for f in spec_for("grievance").fields if f.name == "date_received")
    field = DateField(spec)
    qtbot.addWidget(field)
    field.set_value("2026-08-14")
    assert field.edit.text() == "14/08/2026"
    assert field.value() == "2026-08-14"  # stored as ISO whatever the language
