"""The coordinator's review queue: officers' proposals, compared, accepted or rejected.

An answer puts the officer's revision into the record's graph (with its signature, so it
travels on) together with a coordinator revision that has it and every current head as
parents, in one transaction. Accepted: that revision holds the officer's changes over the
current version. Rejected: it holds the current version. Either way the officer's laptop,
which shows its own change until then, sees the coordinator's revision descend from it —
no conflict, and the coordinator's version wins — and no hole is left in the officer's
sequence numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ca_desktop.domain import schema
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.domain.revision import Revision
from ca_desktop.domain.schema import unknown_fields, upgrade_body
from ca_desktop.domain.validation import check
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import backend, proposal_queries, sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.store.revisions import (
    Change,
    apply_foreign,
    current_heads,
    current_rev_ids,
    revision_bodies,
    write_local,
)
from ca_desktop.sync.authorship import sign_revision
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.keys import load_keys
from ca_desktop.sync.views import FieldChange, ProposalView


def list_proposals(app: CaDesktop, status: str | None = "pending") -> list[ProposalView]:
    """Proposals with `status` (all when None), oldest first, each beside the current version."""
    with app.db.engine.connect() as conn:
        return [_view(conn, row) for row in proposal_queries.proposal_rows(conn, status)]


def get_proposal(app: CaDesktop, ref: str) -> ProposalView:
    """One proposal by its id or a unique prefix of at least six characters."""
    with app.db.engine.connect() as conn:
        return _view(conn, _find(conn, ref))


def answer(app: CaDesktop, ref: str, accept: bool, reason: str = "") -> ProposalView:
    """Accept or reject a pending proposal (and the pending ones it was built on).

    Raises SyncError (not a coordinator, not pending, record in conflict) or
    ValidationError (the accepted version breaks a rule); nothing is written then.
    """
    info = app.device()
    if info is None or info.role != "coordinator":
        raise SyncError(tr("only a coordinator answers proposals"))
    reason = " ".join(reason.split())[:500]
    if not accept and not reason:
        raise SyncError(tr("say why the proposal is rejected (--reason)"))
    keys = load_keys(app.data_dir)
    with backend.write_transaction(app.db.engine) as conn:
        row = _find(conn, ref)
        if row["status"] != "pending":
            raise SyncError(
                tr("proposal {value} was already {value2}").format(
                    value=row["rev_id"][:12], value2=row["status"]
                )
            )
        chain = _chain(conn, row)
        record_type, record_id = row["record_type"], row["record_id"]
        heads = current_heads(conn, [record_id]).get(record_id, [])
        if len(heads) > 1:
            raise SyncError(
                tr("{record_type} {record_id} is in conflict: resolve it first").format(
                    record_type=record_type, record_id=record_id
                )
            )
        known = record_type in RECORD_SPECS and bool(heads)
        change = _answer_change(conn, chain, accept, known)
        revisions = [_revision(r) for r in chain]
        apply_foreign(conn, revisions)
        sync_queries.save_signatures(
            conn, [(r["rev_id"], r["key_id"], r["signature"]) for r in chain if r["signature"]]
        )
        answer_rev = None
        if change is not None:
            [written] = write_local(conn, info.user_name, [change])
            sync_queries.save_signatures(
                conn, [(written.rev_id, *sign_revision(keys, written.rev_id))]
            )
            answer_rev = written.rev_id
        proposal_queries.set_answer(
            conn,
            [r["rev_id"] for r in chain],
            {
                "status": "accepted" if accept else "rejected",
                "reason": reason,
                "answered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "answered_by": info.user_name,
                "answer_rev_id": answer_rev,
            },
        )
        return _view(conn, _find(conn, row["rev_id"]))


def _answer_change(
    conn: Connection, chain: list[dict[str, Any]], accept: bool, known: bool
) -> Change | None:
    """The coordinator's revision closing the proposal (None: the record is unknown here)."""
    tip = chain[-1]
    record_type, record_id = tip["record_type"], tip["record_id"]
    if not known:
        return None  # nothing to compare with: the proposal becomes the record as it is
    current_rev = current_rev_ids(conn, record_type, [record_id])[record_id]
    current = revision_bodies(conn, [current_rev])[current_rev]
    deleted_now = _is_deleted(conn, current_rev)
    if not accept:
        return Change(record_type, record_id, None if deleted_now else current, resolves=True)
    if tip["deleted"]:
        return Change(record_type, record_id, None, resolves=True)
    changed = _changed_fields(conn, chain)
    merged = {**current, **changed}
    body = check(record_type, merged, keep=unknown_fields(record_type, merged))
    return Change(record_type, record_id, body, resolves=True)


def _is_deleted(conn: Connection, rev_id: str) -> bool:
    return proposal_queries.revision_deleted(conn, rev_id)


def _changed_fields(conn: Connection, chain: list[dict[str, Any]]) -> dict[str, Any]:
    """What the officer changed: the tip's fields that differ from the version it started from."""
    tip = _body(chain[-1])
    parents = list(json.loads(chain[0]["parents"]))
    base = revision_bodies(conn, parents).get(parents[0], {}) if parents else {}
    return {k: v for k, v in tip.items() if base.get(k) != v}


def _chain(conn: Connection, row: dict[str, Any]) -> list[dict[str, Any]]:
    """`row` and the pending proposals of the same record it descends from, oldest first."""
    pending = {
        r["rev_id"]: r
        for r in proposal_queries.proposals_of_record(conn, row["record_id"])
        if r["status"] == "pending"
    }
    chain = [row]
    while True:
        parents = [p for p in json.loads(chain[0]["parents"]) if p in pending]
        if not parents:
            return chain
        chain.insert(0, pending[parents[0]])


def _find(conn: Connection, ref: str) -> dict[str, Any]:
    key = ref.strip().lower()
    if len(key) < 6:
        raise SyncError(tr("give at least six characters of the proposal id"))
    hits = [r for r in proposal_queries.proposal_rows(conn) if r["rev_id"].startswith(key)]
    if not hits:
        raise SyncError(tr("no proposal {ref!r}").format(ref=ref[:64]))
    if len(hits) > 1:
        raise SyncError(
            tr("{ref!r} matches {count} proposals; give more characters").format(
                ref=ref[:64], count=len(hits)
            )
        )
    return hits[0]


def _body(row: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(row["body"])
    if row["record_type"] in RECORD_SPECS:
        return upgrade_body(row["record_type"], body, row["schema_version"] or schema.current())
    return dict(body)


def _revision(row: dict[str, Any]) -> Revision:
    rev = Revision(
        record_id=row["record_id"],
        record_type=row["record_type"],
        parents=tuple(json.loads(row["parents"])),
        device_id=row["device_id"],
        device_seq=row["device_seq"],
        hlc=row["hlc"],
        author=row["author"],
        deleted=bool(row["deleted"]),
        body=json.loads(row["body"]),
        rev_id=row["rev_id"],
        schema_version=row["schema_version"],
    )
    if rev.computed_id() != rev.rev_id:  # kept as received and checked then; never altered
        raise SyncError(tr("proposal {rev_id} is damaged").format(rev_id=rev.rev_id[:12]))
    return rev


def _view(conn: Connection, row: dict[str, Any]) -> ProposalView:
    record_type, record_id = row["record_type"], row["record_id"]
    body = _body(row)
    current: dict[str, Any] | None = None
    if record_type in RECORD_SPECS:
        rev = current_rev_ids(conn, record_type, [record_id]).get(record_id)
        if rev is not None and not _is_deleted(conn, rev):
            current = revision_bodies(conn, [rev])[rev]
    parents = json.loads(row["parents"])
    base = revision_bodies(conn, parents[:1]).get(parents[0], {}) if parents else {}
    names = list(spec_for(record_type).field_names) if record_type in RECORD_SPECS else []
    names += sorted(k for k in {*body, *(current or {})} if k not in names)
    changes = tuple(
        FieldChange(
            name,
            (current or {}).get(name),
            None if row["deleted"] else body.get(name),
            row["deleted"] or body.get(name) != base.get(name),
        )
        for name in names
    )
    title_field = spec_for(record_type).title_field if record_type in RECORD_SPECS else ""
    title = str((current or body).get(title_field) or "")
    return ProposalView(
        rev_id=row["rev_id"],
        record_type=record_type,
        record_id=record_id,
        title=title,
        author=row["author"],
        key_id=row["key_id"],
        hlc=row["hlc"],
        deleted=bool(row["deleted"]),
        why=row["why"],
        status=row["status"],
        reason=row["reason"],
        received_at=row["received_at"],
        answered_at=row["answered_at"],
        answered_by=row["answered_by"],
        record_exists=current is not None,
        changes=changes,
    )
