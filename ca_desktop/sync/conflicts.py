"""Conflicts: records with more than one head, classified against their common ancestor.

A three-way diff between the nearest common ancestor (the base) and each head decides the
kind: heads that changed different fields give a *soft* conflict with a proposed merge;
the same field changed to different values, or an edit against a deletion, is *hard*. The
classification reads only the record's revisions, so every replica shows the same thing.
A resolution is an ordinary local revision whose parents are all the heads: it travels in
the next bundle and closes the conflict wherever it arrives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import spec_for
from ca_desktop.domain.schema import upgrade_body
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import RecordView
from ca_desktop.store.handles import Connection
from ca_desktop.store.revision_queries import conflicted_records, revisions_of
from ca_desktop.store.revisions import Change
from ca_desktop.sync.errors import SyncError


@dataclass(frozen=True)
class Version:
    rev_id: str
    device_id: str
    author: str
    hlc: str
    when: str
    deleted: bool
    body: dict[str, Any]
    clock_flag: bool
    changed: tuple[str, ...]  # fields that differ from the base


@dataclass(frozen=True)
class Conflict:
    record_type: str
    record_id: str
    title: str
    kind: str  # "soft" or "hard"
    reason: str
    base: Version | None
    versions: tuple[Version, ...]  # the heads, winner first
    winner: str
    proposed: dict[str, Any] | None  # the merge offered for a soft conflict
    hard_fields: tuple[str, ...]


def _ancestors(start: str, parents: dict[str, list[str]]) -> set[str]:
    return _ancestors_of_any([start], parents)


def _ancestors_of_any(starts: Iterable[str], parents: dict[str, list[str]]) -> set[str]:
    """Every revision some of `starts` descends from, in one walk of the graph."""
    seen: set[str] = set()
    stack = [p for s in starts for p in parents.get(s, [])]
    while stack:
        rev = stack.pop()
        if rev not in seen:
            seen.add(rev)
            stack.extend(parents.get(rev, []))
    return seen


def _title(record_type: str, body: dict[str, Any]) -> str:
    value = body.get(spec_for(record_type).title_field)
    return str(value) if value is not None else ""


def classify(conn: Connection, record_type: str, record_id: str, winner: str) -> Conflict | None:
    """The record's conflict, or None when it has a single head."""
    rows = revisions_of(conn, record_id)
    parents = {r.rev_id: json.loads(r.parents) for r in rows}
    referenced = {p for ps in parents.values() for p in ps}
    heads = sorted(r.rev_id for r in rows if r.rev_id not in referenced)
    if len(heads) < 2:
        return None
    by_id = {r.rev_id: r for r in rows}
    common = set.intersection(*(_ancestors(h, parents) for h in heads))
    common &= set(by_id)
    # Nearest: common ancestors that are not an ancestor of another common ancestor.
    # One walk, not one per common ancestor: a long history made this quadratic.
    nearest = common - _ancestors_of_any(common, parents)
    base_id = max(nearest, key=lambda r: (by_id[r].hlc, r)) if nearest else None

    def body_of(rev_id: str) -> dict[str, Any]:
        # In this version's shape; fields from a newer version take part like any other.
        r = by_id[rev_id]
        body = upgrade_body(record_type, json.loads(r.body), r.schema_version)
        return {k: v for k, v in body.items() if k[:1] != "$"}  # salts: domain/personal.py

    base_body = body_of(base_id) if base_id else {}
    bodies = {h: body_of(h) for h in heads}
    names = list(spec_for(record_type).field_names)
    names += sorted({k for b in (base_body, *bodies.values()) for k in b} - set(names))

    def version(rev_id: str) -> Version:
        r = by_id[rev_id]
        body = bodies.get(rev_id) or body_of(rev_id)
        keys = [k for k in names if k in body or k in base_body]
        changed = () if r.deleted else tuple(k for k in keys if body.get(k) != base_body.get(k))
        return Version(
            r.rev_id, r.device_id, r.author, r.hlc, Timestamp.parse(r.hlc).iso(), bool(r.deleted),
            body, bool(r.clock_flag), changed,
        )  # fmt: skip

    versions = sorted((version(h) for h in heads), key=lambda v: (v.rev_id != winner, v.hlc))
    base = version(base_id) if base_id else None
    title = next((_title(record_type, v.body) for v in versions if v.body), "")
    deleted = [v for v in versions if v.deleted]
    if deleted and len(deleted) == len(versions):
        return Conflict(record_type, record_id, title, "soft", "deleted on several laptops",
                        base, tuple(versions), winner, {}, ())  # fmt: skip
    if deleted:
        return Conflict(record_type, record_id, title, "hard", "edited on one laptop, deleted on another",
                        base, tuple(versions), winner, None, ())  # fmt: skip
    proposed = dict(base_body)
    hard: list[str] = []
    for name in names:
        values = {
            json.dumps(v.body.get(name), sort_keys=True) for v in versions if name in v.changed
        }
        if len(values) > 1:
            hard.append(name)
        elif values:
            proposed[name] = next(v.body.get(name) for v in versions if name in v.changed)
    if hard:
        return Conflict(record_type, record_id, title, "hard",
                        "the same field was changed differently: " + ", ".join(hard),
                        base, tuple(versions), winner, None, tuple(hard))  # fmt: skip
    fields = sorted({f for v in versions for f in v.changed})
    reason = "different fields changed: " + (", ".join(fields) if fields else "none")
    return Conflict(record_type, record_id, title, "soft", reason, base, tuple(versions),
                    winner, proposed, ())  # fmt: skip


def list_conflicts(app: CaDesktop) -> list[Conflict]:
    """Every open conflict, oldest record first per type: the coordinator's review queue."""
    out: list[Conflict] = []
    with app.db.engine.connect() as conn:
        for record_type, rid, winner in conflicted_records(conn):
            c = classify(conn, record_type, rid, winner)
            if c is not None:
                out.append(c)
    return out


def get_conflict(app: CaDesktop, record_id: str) -> Conflict:
    record = app.find(record_id)
    if record is None:
        raise SyncError(tr("no record with id {record_id}").format(record_id=record_id))
    with app.db.engine.connect() as conn:
        c = classify(conn, record.record_type, record_id, record.rev_id)
    if c is None:
        raise SyncError(tr("record {record_id} has no open conflict").format(record_id=record_id))
    return c


def _version(c: Conflict, ref: str) -> Version:
    hits = [v for v in c.versions if v.rev_id.startswith(ref.lower())]
    if len(hits) != 1:
        raise SyncError(
            tr("{ref!r} does not name exactly one version of this record").format(ref=ref)
        )
    return hits[0]


def resolve(
    app: CaDesktop,
    record_id: str,
    *,
    accept_merge: bool = False,
    take: str | None = None,
    fields: dict[str, str] | None = None,
) -> RecordView:
    """Close a conflict with a merge revision whose parents are all the heads.

    `accept_merge` takes the proposed merge of a soft conflict; `take` keeps one version
    whole (a deleted version keeps the record deleted); `fields` picks, per field, the
    version (rev id or prefix) to take it from, starting from the proposed merge or the
    winner. Raises SyncError or ValidationError; nothing is written then.
    """
    c = get_conflict(app, record_id)
    if take is not None:
        chosen = _version(c, take)
        body: dict[str, Any] | None = None if chosen.deleted else dict(chosen.body)
    elif accept_merge:
        if c.proposed is None:
            raise SyncError(
                tr("this is a hard conflict ({reason}); choose the fields yourself").format(
                    reason=c.reason
                )
            )
        body = None if all(v.deleted for v in c.versions) else dict(c.proposed)
    elif fields:
        live = [v for v in c.versions if not v.deleted]
        start = c.proposed if c.proposed else live[0].body if live else {}
        body = dict(start)
        for name, ref in fields.items():
            if name not in spec_for(c.record_type).field_names and not any(
                name in v.body for v in c.versions
            ):
                raise SyncError(
                    tr("{record_type} has no field {name!r}").format(
                        record_type=c.record_type, name=name
                    )
                )
            body[name] = _version(c, ref).body.get(name)
    else:
        raise SyncError(tr("say how to resolve: accept the merge, take a version, or pick fields"))
    change = Change(c.record_type, record_id, body, resolves=True)
    return app.save_many([change], validate=body is not None, from_revisions=True)[0]
