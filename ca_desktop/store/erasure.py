"""Erasure of personal fields in stored revisions (`domain/personal.py`).

Runs after every batch of revisions stored here, local or imported: a record that holds
an erasure revision has the erased fields removed from all its revisions, including one
that arrives later from a laptop that had not seen the erasure. Ids stay as they were:
the hashed form of an erased body is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlalchemy import text, update
from sqlalchemy.engine import Connection
from sqlmodel import select

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.personal import (
    ERASURE_KEY,
    erase,
    erased_body_hash,
    erasure_of,
    is_unverifiable,
    unsalted_of,
)
from ca_desktop.domain.revision import Revision
from ca_desktop.store.device_queries import meta_value, set_meta_value
from ca_desktop.store.tables import Revision as RevisionRow

_CHUNK = 500
DUE_KEY = "erasures_due"


def erase_covered(
    conn: Connection, revisions: Sequence[Revision], existing: Iterable[str]
) -> set[str]:
    """Erase what the erasure revisions of the records of `revisions` name; returns the
    records changed. `existing`: those of them stored here before this batch (only their
    older revisions are searched for an erasure; the batch's own are checked in memory,
    which keeps a large import of new records free of any extra query)."""
    erased: dict[str, set[str]] = {}
    for r in revisions:
        fields = erasure_of(r.body)
        if fields:
            erased.setdefault(r.record_id, set()).update(fields)
    ids = sorted({r.record_id for r in revisions} & set(existing))
    marker = f'%"{ERASURE_KEY}"%'  # a cheap filter: only erasure bodies hold the key
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = conn.execute(
            select(RevisionRow.record_id, RevisionRow.body)  # type: ignore[call-overload]
            .where(RevisionRow.record_id.in_(chunk))  # type: ignore[attr-defined]
            .where(RevisionRow.body.like(marker))  # type: ignore[attr-defined]
        ).all()
        for rid, body in rows:
            fields = erasure_of(json.loads(body))
            if fields:
                erased.setdefault(rid, set()).update(fields)
    changed = {rid for rid, fields in erased.items() if erase_fields(conn, rid, sorted(fields))}
    if changed:
        # Old values linger in the WAL, free pages and backups until `finish_erasures`
        # (services/erasure.py) runs after the transaction: noted in it, so a crash before
        # then leaves the work noted, never forgotten.
        due = dict(erasures_due(conn))
        for rid in changed:
            due[rid] = sorted(erased[rid] | set(due.get(rid, ())))
        set_meta_value(conn, DUE_KEY, json.dumps(due, sort_keys=True))
    return changed


def erasures_due(conn: Connection) -> dict[str, list[str]]:
    """{record id: fields} erased in the table whose other copies are still to scrub."""
    value = meta_value(conn, DUE_KEY)
    return json.loads(value) if value else {}


def clear_erasures_due(conn: Connection, done: Iterable[str]) -> None:
    due = {k: v for k, v in erasures_due(conn).items() if k not in set(done)}
    set_meta_value(conn, DUE_KEY, json.dumps(due, sort_keys=True))


def erase_fields(conn: Connection, record_id: str, fields: Sequence[str]) -> bool:
    """Erase `fields` from every stored revision of `record_id`; True if any changed."""
    rows = conn.execute(
        select(RevisionRow.rev_id, RevisionRow.body).where(  # type: ignore[call-overload]
            RevisionRow.record_id == record_id
        )
    ).all()
    changed = False
    for rev_id, body in rows:
        new = erase(json.loads(body), fields)
        if new is not None:
            conn.execute(
                update(RevisionRow)
                .where(RevisionRow.rev_id == rev_id)  # type: ignore[arg-type]
                .values(body=canonical_json(new))
            )
            changed = True
    return changed


def erasure_count(conn: Connection) -> int:
    """How many erasure revisions this database holds."""
    marker = f'%"{ERASURE_KEY}"%'
    return int(
        conn.execute(
            text("SELECT count(*) FROM revision WHERE body LIKE :m"), {"m": marker}
        ).scalar_one()
    )


def unsalted_revisions(conn: Connection, record_id: str, fields: Sequence[str]) -> dict[str, str]:
    """{rev_id: hash of its erased body} for `record_id`'s revisions written before salted
    commitments that erasing `fields` leaves (or left) without a checkable id: what a new
    erasure names, so other laptops can take those revisions erased (§17)."""
    rows = conn.execute(
        select(RevisionRow.rev_id, RevisionRow.body).where(  # type: ignore[call-overload]
            RevisionRow.record_id == record_id
        )
    ).all()
    named: dict[str, str] = {}
    for rev_id, text_body in rows:
        body = json.loads(text_body)
        erased = erase(body, fields) or body
        if is_unverifiable(erased):
            named[rev_id] = erased_body_hash(erased)
    return named


def vouched_revisions(conn: Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """{rev_id: erased body hash} named by the erasure revisions stored (so applied) here
    for `record_ids`."""
    named: dict[str, str] = {}
    marker = f'%"{ERASURE_KEY}"%'
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = conn.execute(
            select(RevisionRow.body)  # type: ignore[call-overload]
            .where(RevisionRow.record_id.in_(ids[start : start + _CHUNK]))  # type: ignore[attr-defined]
            .where(RevisionRow.body.like(marker))  # type: ignore[attr-defined]
        ).all()
        for (text_body,) in rows:
            named.update(unsalted_of(json.loads(text_body)))
    return named
