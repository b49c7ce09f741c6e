"""The SQL of the review queue (issue 11): proposals, and the graph facts deciding them.

Plain functions of a connection returning plain values, like `sync_queries`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.store import backend

_CHUNK = 500

PROPOSAL_COLUMNS = (
    "rev_id", "record_id", "record_type", "parents", "device_id", "device_seq", "hlc",
    "author", "deleted", "body", "schema_version", "key_id", "signature", "why", "bundle_id",
    "received_at", "status", "reason", "answered_at", "answered_by", "answer_rev_id",
)  # fmt: skip


def _chunks(ids: Sequence[str]) -> Iterator[str]:
    for i in range(0, len(ids), _CHUNK):
        yield json.dumps(list(ids[i : i + _CHUNK]))


def creators(conn: Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """{record_id: device id of its first revision (the one without parents)}."""
    out: dict[str, str] = {}
    for ids in _chunks(sorted(set(record_ids))):
        rows = conn.execute(
            text(
                "SELECT record_id, device_id FROM revision WHERE record_id IN "
                "(SELECT value FROM json_each(:ids)) AND parents = '[]' "
                "ORDER BY record_id, rev_id"
            ),
            {"ids": ids},
        ).all()
        for record_id, device_id in rows:
            out.setdefault(record_id, device_id)  # a second root is refused on import
    return out


def children_devices(conn: Connection, rev_id: str, record_id: str) -> set[str]:
    """Devices of stored revisions of `record_id` naming `rev_id` as a parent.

    Through the record's index (a parent always belongs to the same record), so asking for
    every would-be proposal of a large bundle stays linear.
    """
    rows = conn.execute(
        text(
            "SELECT device_id FROM revision WHERE record_id = :record AND instr(parents, :rid) > 0"
        ),
        {"record": record_id, "rid": f'"{rev_id}"'},
    ).scalars()
    return set(rows)


def known_proposals(
    conn: Connection, rev_ids: Sequence[str], status: str | None = None
) -> set[str]:
    """Which of `rev_ids` are kept as proposals (with `status`, when given)."""
    out: set[str] = set()
    sql = "SELECT rev_id FROM proposal WHERE rev_id IN (SELECT value FROM json_each(:ids))"
    if status is not None:
        sql += " AND status = :status"
    for ids in _chunks(rev_ids):
        out.update(conn.execute(text(sql), {"ids": ids, "status": status}).scalars())
    return out


def save_proposals(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Keep new proposals; one already kept (sent again until answered) stays as it is."""
    fresh = [r for r in rows if r["rev_id"] not in known_proposals(conn, [r["rev_id"]])]
    if fresh:
        backend.insert_many(
            conn,
            "proposal",
            PROPOSAL_COLUMNS,
            [tuple(r[c] for c in PROPOSAL_COLUMNS) for r in fresh],
        )


def proposal_rows(conn: Connection, status: str | None = None) -> list[dict[str, Any]]:
    """Proposals, oldest first (all, or those with `status`)."""
    sql = f"SELECT {', '.join(PROPOSAL_COLUMNS)} FROM proposal"
    params: dict[str, Any] = {}
    if status is not None:
        sql += " WHERE status = :status"
        params["status"] = status
        if status == "pending":
            # Answered on another coordinator's laptop: it came back inside the graph.
            sql += " AND NOT EXISTS (SELECT 1 FROM revision r WHERE r.rev_id = proposal.rev_id)"
    rows = conn.execute(text(sql + " ORDER BY received_at, hlc, rev_id"), params).mappings()
    return [dict(r) for r in rows]


def proposals_of_record(conn: Connection, record_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        text(
            f"SELECT {', '.join(PROPOSAL_COLUMNS)} FROM proposal WHERE record_id = :rid "
            "ORDER BY hlc, rev_id"
        ),
        {"rid": record_id},
    ).mappings()
    return [dict(r) for r in rows]


def set_answer(conn: Connection, rev_ids: Sequence[str], values: dict[str, Any]) -> None:
    """Mark proposals answered (status, reason, answered_at, answered_by, answer_rev_id)."""
    for rev_id in rev_ids:
        conn.execute(
            text(
                "UPDATE proposal SET status = :status, reason = :reason, "
                "answered_at = :answered_at, answered_by = :answered_by, "
                "answer_rev_id = :answer_rev_id WHERE rev_id = :rev_id"
            ),
            {**values, "rev_id": rev_id},
        )


def revision_deleted(conn: Connection, rev_id: str) -> bool:
    value = conn.execute(
        text("SELECT deleted FROM revision WHERE rev_id = :rid"), {"rid": rev_id}
    ).scalar()
    return bool(value)


def own_heads_out_of_bounds(
    conn: Connection,
    record_ids: Sequence[str],
    own_devices: Sequence[str],
    reference: Sequence[str],
) -> set[str]:
    """Of `record_ids`, those whose head is a change made here that an officer may not make
    alone: a later version of reference data, or of a record first made on another laptop."""
    out: set[str] = set()
    devices = json.dumps(list(own_devices))
    for ids in _chunks(list(record_ids)):
        rows = conn.execute(
            text(
                "SELECT h.record_id FROM record_head h JOIN revision r ON r.rev_id = h.rev_id "
                "WHERE h.record_id IN (SELECT value FROM json_each(:ids)) "
                "AND r.device_id IN (SELECT value FROM json_each(:own)) AND r.parents != '[]' "
                "AND (r.record_type IN (SELECT value FROM json_each(:ref)) OR NOT EXISTS ("
                "SELECT 1 FROM revision f WHERE f.record_id = r.record_id AND f.parents = '[]' "
                "AND f.device_id IN (SELECT value FROM json_each(:own))))"
            ),
            {"ids": ids, "own": devices, "ref": json.dumps(list(reference))},
        ).scalars()
        out.update(rows)
    return out
