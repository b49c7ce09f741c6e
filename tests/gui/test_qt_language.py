"""Qt's own buttons follow the chosen language (qtbase translations)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ca_desktop.gui.qt_language import apply_qt_language


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    apply_qt_language("en")


@pytest.mark.parametrize(
    ("lang", "save", "cancel"),
    [("fr", "Enregistrer", "Annuler"), ("es", "Guardar", "Cancelar"), ("pt", "Salvar", "Cancelar")],
)
def test_standard_buttons_in_the_language(qtbot: QtBot, lang: str, save: str, cancel: str) -> None:
    assert apply_qt_language(lang)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {save, cancel}
    apply_qt_language("en")
    again = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(again)
    assert again.buttons()[0].text().replace("&", "") == "Save"
