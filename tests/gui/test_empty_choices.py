"""A required pick list with nothing to pick says why and what to do."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ca_desktop.domain.records import spec_for
from ca_desktop.gui.widgets.ref_field import RefField


def test_an_empty_required_list_explains_itself(qtbot: QtBot) -> None:
    field = RefField(spec_for("activity").field("programme_id"), [])
    qtbot.addWidget(field)
    assert "setup bundle" in field.empty_hint.text() and "programme" in field.empty_hint.text()
    filled = RefField(spec_for("activity").field("programme_id"), [("p1", "UG-CP")])
    qtbot.addWidget(filled)
    assert not hasattr(filled, "empty_hint")
