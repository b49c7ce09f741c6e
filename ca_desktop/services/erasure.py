"""Forget a person: erase the personal fields of one register row or grievance.

The erasure is written as a signed revision of the record (it travels in the next
bundle, and every laptop that imports it erases the same fields from all its revisions of
that record); here it also reaches the database's free pages (secure_delete, then a
vacuum) and every backup kept in the data folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.personal import erasure_body, personal_fields
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.store import record_reads
from ca_desktop.store.backend import write_transaction
from ca_desktop.store.backup_erasure import erase_in_backup, scrub_pages
from ca_desktop.store.erasure import clear_erasures_due, erasures_due
from ca_desktop.store.revisions import Change, revision_bodies

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop


class ErasureRefused(Exception):
    """An unknown record, or one that holds no personal data: the message says which."""


@dataclass(frozen=True)
class Erased:
    record_type: str
    record_id: str
    rev_id: str
    backups: int  # backups in the data folder that were erased too
    backups_failed: tuple[str, ...]  # file names of backups that could not be changed


def erasable(record_type: str) -> bool:
    return bool(personal_fields(record_type))


def erase_record(
    app: CaDesktop, record_id: str, reason: str, progress: Progress | None = None
) -> Erased:
    """Erase `record_id`'s personal fields here and in every revision, with `reason`.

    Raises ErasureRefused for an unknown id or a record type without personal data.
    """
    with app.db.engine.connect() as conn:
        record_type = record_reads.record_type_of(conn, record_id)
    if record_type is None or record_type not in RECORD_SPECS:
        raise ErasureRefused(tr("No record with the id {id}.").format(id=record_id[:80]))
    if not erasable(record_type):
        raise ErasureRefused(tr("This record holds no personal data: there is nothing to forget."))
    if not reason.strip():
        raise ErasureRefused(tr("Give the reason for forgetting this person."))
    record = app.get(record_type, record_id, include_deleted=True)
    assert record is not None  # its type was found above
    current = record.body
    if not record.deleted:
        with app.db.engine.connect() as conn:
            current = revision_bodies(conn, [record.rev_id]).get(record.rev_id, current)
    body = erasure_body(record_type, current, reason.strip())
    change = Change(record_type, record_id, body, deleted=record.deleted)
    written = app.save_many([change], validate=False)[0]
    report(progress, 1, 2)
    done, failed = finish_erasures(app)
    report(progress, 2, 2)
    return Erased(record_type, record_id, written.rev_id, done, tuple(failed))


def finish_erasures(app: CaDesktop) -> tuple[int, list[str]]:
    """Scrub the copies an erasure left outside the revision table: the WAL and free
    pages, and each backup in the data folder. Runs after an erasure is written and after
    an import that brought or met one; returns (backups changed, backups that failed).
    """
    with app.db.engine.connect() as conn:
        due = erasures_due(conn)
        types = {rid: record_reads.record_type_of(conn, rid) for rid in due}
    if not due:
        return 0, []
    scrub_pages(app.db.engine)
    done = 0
    failed: list[str] = []
    folder = app.db.backups_dir
    for path in sorted(folder.glob("*.sqlite")) if folder.is_dir() else []:
        ok = all(
            erase_in_backup(path, app.db.key, types[rid] or "", rid, fields)
            for rid, fields in due.items()
        )
        if ok:
            done += 1
        else:
            failed.append(path.name)
    with write_transaction(app.db.engine) as conn:
        clear_erasures_due(conn, due)
    scrub_pages(app.db.engine)  # the note itself named the records: no trace of it either
    return done, failed
