"""Every change is a revision, written in the same transaction as the current state."""

from __future__ import annotations

import json

import pytest

from ca_desktop.domain.revision import Revision
from ca_desktop.domain.validation import ValidationError
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import backend
from ca_desktop.store.revisions import Change


def rows(app: CaDesktop, sql: str, *params: object) -> list[tuple]:
    with app.db.engine.connect() as conn:
        return [tuple(r) for r in backend.driver_sql(conn, sql, params).fetchall()]


def test_create_update_delete_each_append_a_revision(app: CaDesktop, activity_body: dict) -> None:
    created = app.save("activity", activity_body)
    updated = app.save("activity", {**activity_body, "title": "Renamed"}, record_id=created.id)
    deleted = app.delete("activity", created.id)
    revs = rows(app, "SELECT rev_id, parents, deleted, device_seq FROM revision WHERE record_id=? ORDER BY local_seq", created.id)
    assert [r[0] for r in revs] == [created.rev_id, updated.rev_id, deleted.rev_id]
    assert json.loads(revs[1][1]) == [created.rev_id]
    assert json.loads(revs[2][1]) == [updated.rev_id]
    assert [r[2] for r in revs] == [0, 0, 1]
    assert revs[0][3] < revs[1][3] < revs[2][3]
    assert app.get("activity", created.id) is None
    tomb = app.get("activity", created.id, include_deleted=True)
    assert tomb is not None and tomb.deleted and tomb.body["title"] == "Renamed"
    assert rows(app, "SELECT rev_id FROM record_head WHERE record_id=?", created.id) == [(deleted.rev_id,)]


def test_stored_revisions_recompute_to_their_ids(app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", activity_body)
    app.save("activity", {**activity_body, "notes": "Nguyễn, Zoë and Ñusta attended"}, record_id=rec.id)
    for r in rows(app, "SELECT rev_id, record_id, record_type, parents, device_id, device_seq, hlc, author, deleted, body FROM revision"):
        wire = dict(zip(("rev_id", "record_id", "record_type", "parents", "device_id", "device_seq", "hlc", "author", "deleted", "body"), r, strict=True))
        wire["parents"] = json.loads(wire["parents"])
        wire["body"] = json.loads(wire["body"])
        wire["deleted"] = bool(wire["deleted"])
        assert Revision.from_json_dict(wire).rev_id == r[0]


def test_invalid_input_writes_nothing(app: CaDesktop, activity_body: dict) -> None:
    before = rows(app, "SELECT count(*) FROM revision")
    with pytest.raises(ValidationError):
        app.save("activity", {**activity_body, "end_date": "2000-01-01"})
    assert rows(app, "SELECT count(*) FROM revision") == before
    assert app.count("activity") == 0


@pytest.mark.encrypted_too
def test_a_batch_is_all_or_nothing(app: CaDesktop, activity_body: dict) -> None:
    good = Change("activity", None, activity_body)
    bad = Change("activity", None, {**activity_body, "level": "nowhere"})
    with pytest.raises(ValidationError):
        app.save_many([good, bad])
    assert rows(app, "SELECT count(*) FROM revision") == rows(app, "SELECT count(*) FROM revision WHERE record_type != 'activity'")
    assert app.count("activity") == 0


def test_editing_from_an_old_revision_keeps_both_as_heads(app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", activity_body)
    app.save("activity", {**activity_body, "title": "Edited first"}, record_id=rec.id)
    late = app.save("activity", {**activity_body, "notes": "Edited from the old copy"}, record_id=rec.id, base_rev=rec.rev_id)
    heads = rows(app, "SELECT rev_id FROM record_head WHERE record_id=?", rec.id)
    assert len(heads) == 2 and (late.rev_id,) in heads
    current = app.get("activity", rec.id)
    assert current is not None and current.heads == 2
    # A normal save on top descends from the shown version: the conflict stays open...
    app.save("activity", {**activity_body, "title": "Edited again"}, record_id=rec.id)
    assert len(rows(app, "SELECT rev_id FROM record_head WHERE record_id=?", rec.id)) == 2
    # ...and only a resolution (all heads as parents) merges the two heads into one.
    app.save_many([Change("activity", rec.id, {**activity_body, "title": "Merged"}, resolves=True)])
    assert len(rows(app, "SELECT rev_id FROM record_head WHERE record_id=?", rec.id)) == 1


@pytest.mark.encrypted_too
def test_full_text_search_follows_edits_and_deletes(app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", activity_body)
    assert app.search_activity_ids("kios") == [rec.id]  # prefix of "kiosk" in the notes
    assert app.search_activity_ids("kisenyi") == [rec.id]  # title and place name
    app.save("activity", {**activity_body, "notes": "Savings group report"}, record_id=rec.id)
    assert app.search_activity_ids("kiosk") == []
    assert app.search_activity_ids("savings") == [rec.id]
    app.delete("activity", rec.id)
    assert app.search_activity_ids("savings") == []


def test_search_is_accent_insensitive_and_safe(app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", {**activity_body, "notes": "Réunion à Ouagadougou"})
    assert app.search_activity_ids("reunion") == [rec.id]
    assert app.search_activity_ids('" OR * ) NEAR(') == []


def test_history_lists_changes_field_by_field(app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", activity_body)
    app.save("activity", {**activity_body, "title": "Kisenyi forum (corrected)", "male_youth": 4}, record_id=rec.id)
    history = app.history(rec.id)
    assert [h.created for h in history] == [True, False]
    changes = {c.field: (c.old, c.new) for c in history[1].changes}
    assert changes == {"title": ("Kisenyi settlement forum", "Kisenyi forum (corrected)"), "male_youth": (3, 4)}
    assert history[1].author == "Amina Nakato"
    assert history[1].device_id == app.device().device_id  # type: ignore[union-attr]


def test_unsent_changes_count_own_revisions(app: CaDesktop, activity_body: dict) -> None:
    start = app.unsent_changes()
    app.save("activity", activity_body)
    assert app.unsent_changes() == start + 1


def test_writing_before_init_is_refused(data_dir) -> None:  # type: ignore[no-untyped-def]
    from ca_desktop.store.revisions import NotInitialised

    fresh = CaDesktop.open(data_dir)
    try:
        with pytest.raises(NotInitialised):
            fresh.save("programme", {"code": "X", "name": "X", "kind": "country_programme"})
    finally:
        fresh.close()
