"""The one history panel: who changed what, where and when; text from others stays text."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ca_desktop.domain.records import spec_for
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.gui.widgets.locale_format import local_time
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import FieldChange, HistoryEntry


def _panel(qtbot: QtBot, app: CaDesktop) -> HistoryPanel:
    panel = HistoryPanel(app)
    qtbot.addWidget(panel)
    return panel


def test_nothing_selected_shows_a_hint(qtbot: QtBot, app: CaDesktop) -> None:
    panel = _panel(qtbot, app)
    assert "Select a record" in panel.text()


def test_revisions_newest_first_field_by_field(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    record = app.save("activity", activity_body)
    app.save(
        "activity",
        {**activity_body, "title": "Kisenyi forum", "status": "cancelled"},
        record_id=record.id,
        base_rev=record.rev_id,
    )
    panel = _panel(qtbot, app)
    panel.show_record("activity", record.id)
    text = panel.text()
    assert text.index("Changed by Amina Nakato") < text.index("Created by Amina Nakato")
    assert "this laptop" in text
    assert "Title: Kisenyi settlement forum → Kisenyi forum" in text
    assert "Status: Completed → Cancelled" in text
    assert "Place: Kisenyi" in text  # a reference reads as the record's name
    assert "Fields from a newer version" not in text


def test_values_from_other_people_are_never_markup(qtbot: QtBot, app: CaDesktop) -> None:
    body = {"code": "UG-CP", "name": "<b>Uganda</b> & <i>partners</i>", "kind": "country_programme"}
    rid = app.save("programme", body).id
    panel = _panel(qtbot, app)
    panel.show_record("programme", rid)
    assert "Name: <b>Uganda</b> & <i>partners</i>" in panel.text()


def test_fields_from_a_newer_version_are_listed_apart(qtbot: QtBot, app: CaDesktop) -> None:
    entry = HistoryEntry(
        rev_id="r2",
        parents=("r1",),
        author="Kofi <Mensah>",
        device_id="d" * 16,
        device_seq=2,
        hlc="x",
        when="2026-11-30 09:00",
        deleted=False,
        created=False,
        changes=[
            FieldChange("solar_panels", 2, 4, known=False),
            FieldChange("title", "Old", "New"),
            FieldChange("funding_window", None, {"code": "<w1>"}, known=False),
        ],
        clock_flag=True,
    )
    panel = _panel(qtbot, app)
    panel.show_entries(spec_for("activity"), [entry])
    lines = panel.text().splitlines()
    assert "Changed by Kofi <Mensah>" in lines
    # A laptop whose key is not trusted here: the name it claims, marked unchecked.
    assert f"{local_time('2026-11-30 09:00')} · Kofi M. · key not trusted here" in lines
    assert "This laptop's clock looked wrong when the change was made." in lines
    newer = lines.index("Fields from a newer version")
    assert lines.index("• Title: Old → New") < newer
    assert lines[newer + 1 :] == [
        '• funding_window: — → {"code": "<w1>"}',
        "• solar_panels: 2 → 4",
    ]
