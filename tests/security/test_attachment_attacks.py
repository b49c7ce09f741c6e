"""Attacks through attachments (issue 11, item 4): a hash used as a path, a name that hides
its type, a program opened by a click.

A modified client wrote an attachment whose "hash" was `./../keys/device-keys.json`; the
receiving laptop imported it, and "Save a copy" then copied its private key file out as
"site-photo.jpg"; its later exports failed for good.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.gui.editors import activity_attachments
from ca_desktop.gui.editors.activity_attachments import AttachmentsPanel
from ca_desktop.services import attachments
from ca_desktop.services.attachments import BadAttachmentHash, opened_copies_dir
from ca_desktop.services.views import Change
from tests.gui.jobs_left import no_jobs_left  # noqa: F401  (autouse: no job outlives its test)
from tests.security.laptops import trusting
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity, snapshot

KEY_FILE = "./../keys/device-keys.json"


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    with trusting(tmp_path, ["eve"]) as laps:
        yield laps


def _attachment(record_id: str, sha: str, name: str = "site-photo.jpg") -> dict[str, object]:
    return {
        "sha256": sha, "filename": name, "media_type": "image/jpeg", "size": 10,
        "caption": None, "record_type": "activity", "record_id": record_id,
    }  # fmt: skip


def test_a_bundle_with_a_path_for_a_hash_is_refused_whole(pair: dict[str, Laptop]) -> None:
    eve, coord = pair["eve"], pair["coord"]
    pid = eve.app.save("programme", PROGRAMME).id
    aid = eve.app.save("activity", activity(pid)).id
    # A modified client writes what the editor would refuse.
    eve.app.save_many([Change("attachment", None, _attachment(aid, KEY_FILE))], validate=False)
    path = eve.send(coord)  # eve's own export copes with it (no blob is looked up)
    before = snapshot(coord.app)
    result = coord.receive(path)
    assert result.status == "rejected" and "sha256" in result.reason
    assert snapshot(coord.app) == before  # nothing of it, not the programme either


def test_a_stored_bad_hash_is_never_a_path(pair: dict[str, Laptop], tmp_path: Path) -> None:
    coord = pair["coord"]
    for bad in (KEY_FILE, "/etc/passwd", "A" * 64, "../" + "a" * 61):
        with pytest.raises(BadAttachmentHash):
            attachments.open_blob(coord.app, bad)
        with pytest.raises(BadAttachmentHash):
            attachments.export_blob(coord.app, bad, tmp_path / "site-photo.jpg")
    assert not (tmp_path / "site-photo.jpg").exists()
    # One already in the database (from an older version) does not stop later exports.
    pid = coord.app.save("programme", PROGRAMME).id
    aid = coord.app.save("activity", activity(pid)).id
    coord.app.save_many([Change("attachment", None, _attachment(aid, KEY_FILE))], validate=False)
    coord.sync.export(tmp_path / "later.cabundle", to=pair["eve"].pubkey())


def _panel(qtbot: QtBot, lap: Laptop, names: list[str], tmp_path: Path) -> AttachmentsPanel:
    pid = lap.app.save("programme", PROGRAMME).id
    aid = lap.app.save("activity", activity(pid)).id
    for name in names:
        source = tmp_path / "source.bin"
        source.write_bytes(name.encode())
        attachments.attach_file(lap.app, "activity", aid, source)
        view = attachments.attachments_of(lap.app, aid)[-1]
        # The name as another laptop sent it (attach_file itself stores a cleaned one).
        lap.app.save_many(
            [Change("attachment", view.id, {**view.body, "filename": name})], validate=False
        )
    panel = AttachmentsPanel(lap.app)
    qtbot.addWidget(panel)
    panel.load(aid)
    return panel


def test_a_program_is_never_opened_and_its_name_cannot_hide_it(
    qtbot: QtBot, pair: dict[str, Laptop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coord = pair["coord"]
    opened: list[str] = []
    monkeypatch.setattr(
        activity_attachments.QDesktopServices,
        "openUrl",
        lambda url: opened.append(url.toLocalFile()),
    )
    panel = _panel(qtbot, coord, ["site\u202egpj.exe", "../../minutes.pdf"], tmp_path)
    shown = sorted(panel.list.item(i).text() for i in range(panel.list.count()))  # type: ignore[union-attr]
    assert shown == ["_.._minutes.pdf", "sitegpj.exe"]  # no separator, no bidi override
    refused: list[str] = []
    panel.refuse_open = refused.append
    for row in range(2):
        panel.list.setCurrentRow(row)
        panel.open_selected()
    assert len(refused) == 1 and "sitegpj.exe" in refused[0]
    [viewer_copy] = opened
    assert Path(viewer_copy).name == "_.._minutes.pdf"
    assert Path(viewer_copy).is_relative_to(opened_copies_dir(coord.app))
    # Saving a copy of the program asks first, with a warning.
    exe_row = next(i for i in range(2) if "exe" in panel.list.item(i).text())  # type: ignore[union-attr]
    panel.list.setCurrentRow(exe_row)
    warned: list[str] = []
    panel.confirm_risky_copy = lambda text: bool(warned.append(text))  # says No
    panel.choose_copy_path = lambda _s: pytest.fail("no file chooser after No")  # type: ignore[assignment,return-value]
    panel.save_copy()
    assert warned and "program" in warned[0]
    # The viewer's plain copies go when the app closes.
    attachments.remove_opened_copies(coord.app)
    assert not Path(viewer_copy).exists()
