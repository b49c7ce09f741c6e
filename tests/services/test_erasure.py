"""Forget a person: personal fields erased from every revision, ids still checkable, no
copy left in the data folder (database pages, WAL, backups)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from ca_desktop import cli
from ca_desktop.domain.revision import Revision
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.sqlite import write_transaction
from ca_desktop.store.tables import Revision as RevisionRow

NAME, PHONE = "Kemigisa Erasemarker", "+256700555777"
OTHER = "Nakalema Keepmarker"
COMPLAINT = "Grievancemarker text about the latrine"


def _register(app: CaDesktop, activity_body: dict[str, object]) -> tuple[str, str, str]:
    activity = app.save("activity", activity_body).id
    row = app.save(
        "attendance_entry",
        {"activity_id": activity, "line": 1, "name": NAME, "sex": "female",
         "age_band": "15_24", "phone": PHONE, "consent": True},
    ).id  # fmt: skip
    app.save("attendance_entry", {"name": NAME + " Jr"}, record_id=row)  # a second revision
    kept = app.save(
        "attendance_entry",
        {"activity_id": activity, "line": 2, "name": OTHER, "sex": "male", "age_band": "15_24"},
    ).id
    return activity, row, kept


def stored_revisions(app: CaDesktop) -> list[Revision]:
    with write_transaction(app.db.engine) as conn:
        rows = conn.execute(
            select(  # type: ignore[call-overload]
                RevisionRow.record_id, RevisionRow.record_type, RevisionRow.parents,
                RevisionRow.device_id, RevisionRow.device_seq, RevisionRow.hlc,
                RevisionRow.author, RevisionRow.deleted, RevisionRow.body, RevisionRow.rev_id,
            )
        ).all()  # fmt: skip
        return [
            Revision(
                r.record_id,
                r.record_type,
                tuple(json.loads(r.parents)),
                r.device_id,
                r.device_seq,
                r.hlc,
                r.author,
                r.deleted,
                json.loads(r.body),
                r.rev_id,
            )  # fmt: skip
            for r in rows
        ]


def files_with(folder: Path, marker: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()]


def test_erase_removes_every_copy_and_keeps_ids_checkable(
    app: CaDesktop, activity_body: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    _, row, kept = _register(app, activity_body)
    app.db.backup_now()  # a backup that holds the name too
    folder = app.data_dir
    app.close()
    assert files_with(folder, NAME)  # the test can see the marker before the erasure

    assert cli.main(["--data-dir", str(folder), "erase", row, "--reason", "consent withdrawn"]) == 0
    assert "erased" in capsys.readouterr().out

    for marker in (NAME, PHONE):
        assert files_with(folder, marker) == [], marker
    assert files_with(folder, OTHER)  # only the person forgotten
    app = CaDesktop.open(folder)
    try:
        revs = stored_revisions(app)
        assert all(r.computed_id() == r.rev_id for r in revs)
        current = app.get("attendance_entry", row)
        assert current is not None and current.body.get("name") is None
        assert current.body["sex"] == "female"  # the counts keep their figures
        entries = app.history(row)
        assert entries[-1].author == "Amina Nakato"  # who erased; the values are gone
        assert entries[-1].erased == "consent withdrawn"
        assert all(NAME not in json.dumps(e.changes, default=str) for e in entries)
    finally:
        app.close()


def test_grievance_erased_and_deleted_row_tombstone(
    app: CaDesktop, activity_body: dict[str, object]
) -> None:
    _, row, _ = _register(app, activity_body)
    g = app.save(
        "grievance",
        {"date_received": "2026-03-02", "channel": "phone", "category": "other",
         "description": COMPLAINT, "complainant": NAME, "status": "open"},
    ).id  # fmt: skip
    app.delete("attendance_entry", row)
    tomb = app.get("attendance_entry", row, include_deleted=True)
    assert tomb is not None and tomb.deleted and tomb.body.get("name") in (None, "")
    from ca_desktop.services.erasure import erase_record

    erase_record(app, g, "asked by the complainant")
    erase_record(app, row, "asked")
    assert app.get("attendance_entry", row, include_deleted=True).deleted  # stays deleted
    folder = app.data_dir
    app.close()
    for marker in (NAME, PHONE, COMPLAINT):
        assert files_with(folder, marker) == [], marker


def test_unknown_id_and_record_without_personal_data_exit_2(
    app: CaDesktop, activity_body: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    activity = app.save("activity", activity_body).id
    folder = app.data_dir
    app.close()
    for target in ("no-such-id", activity):
        assert cli.main(["--data-dir", str(folder), "erase", target, "--reason", "x"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err


def test_an_interrupted_erasure_is_finished_at_the_next_open(
    app: CaDesktop, activity_body: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.services import erasure

    _, row, _ = _register(app, activity_body)
    app.db.backup_now()
    monkeypatch.setattr(erasure, "finish_erasures", lambda _app: (0, []))  # "crash" before it
    erasure.erase_record(app, row, "asked")
    monkeypatch.undo()
    folder = app.data_dir
    app.close()
    assert files_with(folder / "backups", NAME)  # the backup still holds the name
    CaDesktop.open(folder).close()
    assert files_with(folder, NAME) == [] and files_with(folder, PHONE) == []
