"""What a deleted record keeps showing: a causal, deterministic choice (issue 10).

Lists and history name a deleted record by its last content. Taking "the newest live
revision here" depended on the order revisions arrived, so two laptops kept different
content for the same tombstone for ever. The choice here reads only the revision graph.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import select

from ca_desktop.domain.personal import RESERVED_KEYS, personal_fields
from ca_desktop.domain.schema import upgrade_body
from ca_desktop.store.tables import Revision as RevisionRow


def tombstone_body(conn: Connection, record_id: str, head: str) -> dict[str, Any] | None:
    """The body of the deleted `head`'s nearest non-deleted ancestor (None if it has none).

    Nearest: fewest parent steps back; ties broken by the smallest revision id. Every
    laptop holding the same graph keeps the same content.
    """
    rows = conn.execute(
        select(  # type: ignore[call-overload]
            RevisionRow.rev_id,
            RevisionRow.parents,
            RevisionRow.deleted,
            RevisionRow.body,
            RevisionRow.record_type,
            RevisionRow.schema_version,
        ).where(RevisionRow.record_id == record_id)  # type: ignore[arg-type]
    ).all()
    graph = {r.rev_id: r for r in rows}
    seen = {head}
    level = [head]
    while level:
        live = sorted(rev for rev in level if rev in graph and not graph[rev].deleted)
        if live:
            r = graph[live[0]]
            body = upgrade_body(r.record_type, json.loads(r.body), r.schema_version)
            # A deleted register row or grievance is named without the person in it.
            return {k: v for k, v in body.items() if k not in _private(r.record_type)}
        parents: set[str] = set()
        for rev in level:
            if rev in graph:
                parents.update(p for p in json.loads(graph[rev].parents) if p not in seen)
        seen |= parents
        level = sorted(parents)
    return None


def _private(record_type: str) -> set[str]:
    return {*personal_fields(record_type), *RESERVED_KEYS}
