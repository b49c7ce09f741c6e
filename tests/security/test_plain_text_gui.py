"""Attack: names and titles from outside drawn as markup (issue 11, item 1).

A key file, a bundle or a record whose text is HTML (`<b>FAKE</b><img src=x>`, a link)
must be shown literally on every screen that shows it: the keys panel, the trust prompt,
the import report, the history panel and the editors. Qt draws a label, a message box or
a tooltip as markup whenever its text looks like it, unless told otherwise.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (creates keys at init)
from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.gui.sync.page import SyncPage
from ca_desktop.gui.sync.trust_dialog import TrustChoice, TrustDialog
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.gui.widgets.plain import message_box
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync import keys
from ca_desktop.sync.service import SyncService
from tests.gui.jobs_left import no_jobs_left, wait_for_jobs  # noqa: F401  (autouse: no job outlives its test)

HOSTILE = "<b>FAKE</b><img src=x><a href='https://evil.example'>CBD9-7044</a>"
PROGRAMME = {"code": "UG-CP", "name": "Uganda", "kind": "country_programme", "country": "UG"}


def _shown_as_markup(text: str, fmt: Qt.TextFormat) -> bool:
    return fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)
    )


def _tooltip_literal(tip: str) -> bool:
    if not QtGui.mightBeRichText(tip):
        return True
    doc = QTextDocument()
    doc.setHtml(tip)
    return "<b>FAKE</b>" in doc.toPlainText()  # the markup shown, not applied


def assert_literal(root: QWidget) -> int:
    """Every label holding the hostile text shows it literally; returns how many held it."""
    seen = 0
    for label in root.findChildren(QLabel):
        if "FAKE" in label.text():
            seen += 1
            assert not _shown_as_markup(label.text(), label.textFormat()), label.objectName()
        if "FAKE" in label.toolTip():
            assert _tooltip_literal(label.toolTip())
    for table in root.findChildren(QTableWidget):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None and "FAKE" in item.toolTip():
                    seen += 1
                    assert _tooltip_literal(item.toolTip()), item.toolTip()
    return seen


def _laptop(root: Path, name: str, role: str) -> CaDesktop:
    app = CaDesktop.open(root / name.strip("<>/")[:8])
    app.init_device(name, role, "UG-CP")
    return app


def test_a_hostile_name_and_title_are_shown_literally(qtbot: QtBot, tmp_path: Path) -> None:
    coord = _laptop(tmp_path, "Grace", "coordinator")
    eve = CaDesktop.open(tmp_path / "eve")
    eve.init_device(HOSTILE, "officer", "UG-CP")
    try:
        eve_sync = SyncService(eve)
        key_file = tmp_path / "eve.pubkey"
        eve_fp = eve_sync.export_public_key(key_file).fingerprint
        pid = eve.save("programme", PROGRAMME).id
        rec = eve.save(
            "activity",
            {"programme_id": pid, "level": "community", "type": "settlement_forum",
             "title": HOSTILE, "start_date": "2026-11-02", "status": "completed"},
        )  # fmt: skip

        # The trust prompt, before anything is trusted.
        dialog = TrustDialog(keys.parse_public_key(key_file.read_bytes()))
        qtbot.addWidget(dialog)
        assert assert_literal(dialog) >= 1

        page = SyncPage(coord, TaskManager())
        page.export_panel.find_drives = lambda: []
        qtbot.addWidget(page, before_close_func=wait_for_jobs)
        page.show()
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            page.refresh()
        panel = page.keys_panel
        panel.choose_key_file = lambda: key_file
        panel.confirm_trust = lambda pub: TrustChoice(eve_fp, "officer")
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            panel.trust_button.click()
        assert HOSTILE in page.status.text()  # "Trusted <b>FAKE…": literally
        assert_literal(page)

        bundle = tmp_path / "eve.cabundle"
        eve_sync.export(bundle, plain=True)
        page.import_panel.choose_files = lambda: [bundle]
        page.import_panel.confirm_plain = lambda *_args: True  # the person expected it
        with qtbot.waitSignal(page.import_panel.imported, timeout=20_000):
            page.import_panel.files_button.click()
        qtbot.waitUntil(lambda: not page.tasks.busy, timeout=20_000)
        sender = page.import_panel.report.item(0, 1).text()  # type: ignore[union-attr]
        assert sender.startswith("<b>FAKE</b>") and sender.endswith(eve_fp[:9])
        assert assert_literal(page) >= 1

        history = HistoryPanel(coord)
        qtbot.addWidget(history)
        history.show_record("activity", rec.id)
        assert HOSTILE in history.text()  # a text document built with insertText

        editor = ActivityEditor(coord, rec.id)
        qtbot.addWidget(editor)
        editor.show()
        assert HOSTILE in editor.windowTitle()  # window titles are never markup
        assert_literal(editor)

        box = message_box(None, "t", f"Revoke {HOSTILE}?")
        qtbot.addWidget(box)
        assert assert_literal(box) == 1
    finally:
        eve.close()
        coord.close()
