"""The Forms page: preview, save, fill in, and the paper round trip with differences."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import tr
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.printed import printed_values
from ca_desktop.forms.qr import FormRef
from ca_desktop.gui.forms.dialogs import TypeInDialog
from ca_desktop.gui.forms.page import ALL, FormsPage
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from tests.gui.jobs_left import wait_for_jobs


@pytest.fixture
def page(qtbot: QtBot, app: CaDesktop) -> FormsPage:
    widget = FormsPage(app, TaskManager())
    # Its preview timer may start a render at any moment: wait for it before closing.
    qtbot.addWidget(widget, before_close_func=wait_for_jobs)
    widget.show()
    return widget


@pytest.fixture
def forum_id(app: CaDesktop, activity_body: dict[str, object]) -> str:
    body = {**activity_body, "status": "planned", "title": "Forum de Kisenyi"}
    for k in ("female_youth", "female_other", "male_youth", "male_other"):
        body.pop(k)
    return app.save("activity", body).id


def test_lists_every_form(page: FormsPage) -> None:
    assert page.forms_list.count() >= 9
    assert page.current_form() is not None and page.current_form().code == "CA-F01"  # type: ignore[union-attr]


def test_preview_a_filled_french_register(qtbot: QtBot, page: FormsPage, forum_id: str) -> None:
    page.select_form("CA-F02")
    page.lang.setCurrentIndex(page.lang.findData("fr"))
    page.select_record(forum_id)
    with qtbot.waitSignal(page.pdf_ready, timeout=20_000):
        page.show_preview()
    assert page.preview.page_count >= 1


def test_save_pdf_off_the_gui_thread(qtbot: QtBot, page: FormsPage, tmp_path: Path) -> None:
    page.select_form("CA-F08")
    out = tmp_path / "grievance.pdf"
    with qtbot.waitCallback(timeout=20_000) as done:
        page.render_to(out, done)
    assert out.read_bytes().startswith(b"%PDF")


def test_type_in_flags_what_differs_from_the_paper(
    qtbot: QtBot, page: FormsPage, app: CaDesktop, forum_id: str, tmp_path: Path
) -> None:
    # The evening before: print the activity report for tomorrow's forum.
    page.select_form("CA-F01")
    page.lang.setCurrentIndex(page.lang.findData("fr"))
    page.select_record(forum_id)
    out = tmp_path / "rapport.pdf"
    with qtbot.waitCallback(timeout=20_000) as done:
        page.render_to(out, done)
    # The next day: read the QR code from the scanned page (or type the ID).
    dialog = TypeInDialog(app, page.current_form(), page)
    qtbot.addWidget(dialog)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                "1",
                str(out),
                str(tmp_path / "scan"),
            ],
            check=True,
        )
        dialog.read_image(str(next(tmp_path.glob("scan*.png"))))
    else:
        dialog.code.setText(forum_id)
        dialog.open_target()
    assert dialog.target is not None and dialog.target.ref.record_id == forum_id
    printed = printed_values(app, dialog.target.form, dialog.target.ref)
    entry_dialog = page.open_entry(dialog.target.form, forum_id, printed, modal=False)
    assert entry_dialog is not None
    qtbot.addWidget(entry_dialog)
    entry = entry_dialog.entry
    assert entry.changed_fields() == set()
    entry.set_value("status", "completed")
    entry.set_value(
        "participants",
        {"female_youth": 12, "female_other": 20, "male_youth": 9, "male_other": 14},
    )
    entry.set_value("notes", "Les habitants ont choisi le kiosque à eau.")
    assert entry.changed_fields() == {"status", "participants", "notes"}
    assert entry.rows["notes"].changed_mark and not entry.rows["title"].changed_mark
    entry_dialog.save()
    body = app.get("activity", forum_id).body  # type: ignore[union-attr]
    assert body["status"] == "completed" and body["female_youth"] == 12


def test_type_in_explains_unknown_ids(qtbot: QtBot, page: FormsPage, app: CaDesktop) -> None:
    dialog = TypeInDialog(app, get_form("CA-F01"), page)
    qtbot.addWidget(dialog)
    dialog.code.setText(FormRef("CA-F01", "1.0", "01a21b86-79a3-71a1-8efa-319a16c7db17").payload())
    dialog.open_target()
    assert dialog.target is None
    assert "no record with id" in dialog.message.text()


def _forums(app: CaDesktop, body: dict[str, object], n: int) -> None:
    for i in range(n):
        app.save("activity", {**body, "title": f"Forum {i}"})


def test_batch_prints_through_the_runner(
    qtbot: QtBot, page: FormsPage, app: CaDesktop, activity_body: dict[str, object], tmp_path: Path
) -> None:
    _forums(app, activity_body, 3)
    page.select_form("CA-F01")
    page.record.setCurrentIndex(page.record.findData(ALL))
    busy: list[bool] = []
    page.tasks.busy_changed.connect(busy.append)
    out = tmp_path / "batch.pdf"
    with qtbot.waitCallback(timeout=30_000) as done:
        page.render_to(out, done)
    assert busy == [True, False]
    assert out.read_bytes().startswith(b"%PDF")


def test_cancelled_batch_writes_nothing(
    qtbot: QtBot, page: FormsPage, app: CaDesktop, activity_body: dict[str, object], tmp_path: Path
) -> None:
    _forums(app, activity_body, 4)
    page.select_form("CA-F01")
    page.record.setCurrentIndex(page.record.findData(ALL))
    out = tmp_path / "out" / "batch.pdf"
    out.parent.mkdir()
    with qtbot.waitSignal(page.pdf_failed, timeout=30_000) as failed:
        page.render_to(out, lambda _p: pytest.fail("a cancelled batch must not finish"))
        assert page.cancel_button.isVisible()
        page.cancel_button.click()
    assert failed.args == [tr("Printing cancelled; no file was written.")]
    assert list(out.parent.iterdir()) == []
    assert page.preview_button.isEnabled()
