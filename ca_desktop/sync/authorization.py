"""Who may change what (issue 11): each arriving revision is applied, proposed or refused.

Coordinators' keys may change anything. An officer's key may create records, and change
or delete records first created under that same key (on any incarnation of its laptop).
Everything else an officer's key made — a change of a record first created on another
laptop, or any change of reference data (`RecordSpec.reference`) — is a *proposal*: kept
in the review queue, outside the record's graph, until a coordinator accepts or rejects
it. A register row (`RecordSpec.part_of`) belongs to whoever created its activity.

The rule reads the revision's author (the key that signed it), never the carrier, so a
proposal cannot be relayed in as applied: an officer relaying another's change gets it
proposed again. A proposal a coordinator answered is in the graph with the coordinator's
answer naming it as a parent; such a revision is applied wherever it arrives.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.domain.revision import Revision
from ca_desktop.services.views import DeviceInfo
from ca_desktop.store import proposal_queries, sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync.errors import BundleRejected

Decision = Literal["apply", "propose", "refuse"]


@dataclass(frozen=True)
class Facts:
    """What the rule needs to know about one revision."""

    author_role: str | None  # role of the key that made it; None: a key we do not know
    own: bool  # made with this laptop's own key
    reference: bool  # of a record type the declarations mark reference data
    creates: bool  # the record's first revision (no parents)
    # The record (or the activity a register row is part of) was first made under the
    # author's key; None when no first revision of it is known here.
    by_creator: bool | None
    second_root: bool = False  # a first revision of a record another key already created
    answered: bool = False  # a coordinator's revision names it as a parent


def decide(f: Facts) -> tuple[Decision, str]:
    """(decision, why): "apply", "propose" (why: "reference" or "not_own") or "refuse"."""
    if f.own or f.answered or f.author_role == "coordinator":
        return "apply", ""
    if f.author_role is None:
        # Only a coordinator's bundle may carry a revision of a key we do not know
        # (authorship.py refuses it in an officer's bundle): it applied it and vouches.
        return "apply", ""
    if f.second_root:
        # Record ids are random: an honest laptop never makes a second first version.
        return "refuse", ""
    if f.reference:
        return ("apply", "") if f.creates else ("propose", "reference")
    return ("apply", "") if f.by_creator else ("propose", "not_own")


@dataclass
class Screened:
    """A verified bundle's revisions sorted by `decide`."""

    applied: list[Revision]
    proposed: list[tuple[Revision, str, str]]  # (revision, author key, why)


def screen(
    conn: Connection,
    revisions: list[Revision],
    signer_key: str,
    senders: set[str],
    bindings: dict[str, str],
    own: DeviceInfo,
    own_key: str,
    held_roots: Mapping[str, str] | None = None,
) -> Screened:
    """Decide every revision of a verified bundle; BundleRejected on the first refusal.

    `held_roots`: {record id: device id} of first revisions read from the bundle but not
    stored yet (erased ones from before salted commitments, `sync/apply.py`)."""
    keys = _Keys(conn, signer_key, senders, bindings, own, own_key)
    in_bundle_roots: dict[str, str] = dict(held_roots or {})
    for r in revisions:
        if not r.parents:
            in_bundle_roots.setdefault(r.record_id, r.device_id)
    wanted = {r.record_id for r in revisions}
    wanted |= {p for r in revisions if (p := _part_of(r)) is not None}
    stored_roots = proposal_queries.creators(conn, sorted(wanted))
    children: dict[str, set[str]] = {}
    for r in revisions:
        for p in r.parents:
            children.setdefault(p, set()).add(r.device_id)
    pending = proposal_queries.known_proposals(conn, [r.rev_id for r in revisions], "pending")
    out = Screened([], [])
    for r in revisions:
        author = keys.author_key(r)
        role = keys.role(author)
        owner_record = _part_of(r) or r.record_id
        first = stored_roots.get(owner_record) or in_bundle_roots.get(owner_record)
        spec = RECORD_SPECS.get(r.record_type)
        facts = Facts(
            author_role=role,
            own=author == own_key,
            reference=spec is not None and spec.reference,
            creates=not r.parents,
            by_creator=None if first is None or author is None else keys.key_of(first) == author,
            second_root=not r.parents
            and r.record_id in stored_roots
            and keys.key_of(stored_roots[r.record_id]) != author,
        )
        decision, why = decide(facts)
        if (
            decision == "propose"
            and r.rev_id not in pending  # still in the queue here: not answered
            and (
                keys.in_graph(r.rev_id)  # answered here: it came back, nothing to do
                or keys.answered(r.rev_id, r.record_id, children.get(r.rev_id, set()))
            )
        ):
            decision, why = decide(replace(facts, answered=True))
        if decision == "refuse":
            raise BundleRejected(
                tr(
                    "{record_type} {record_id}: a new first version of a record another laptop created (author {author!r})"
                ).format(record_type=r.record_type, record_id=r.record_id, author=r.author[:60])
            )
        if decision == "apply":
            out.applied.append(r)
        else:
            out.proposed.append((r, author or "", why))
    return out


def _part_of(r: Revision) -> str | None:
    """The record a register row is part of (its activity), if the body names one."""
    spec = RECORD_SPECS.get(r.record_type)
    if spec is None or spec.part_of is None:
        return None
    value = r.body.get(spec.part_of)
    return value if isinstance(value, str) and value else None


class _Keys:
    """Key and role look-ups for one bundle, each cached."""

    def __init__(
        self,
        conn: Connection,
        signer_key: str,
        senders: set[str],
        bindings: dict[str, str],
        own: DeviceInfo,
        own_key: str,
    ) -> None:
        self.conn = conn
        self.signer_key = signer_key
        self.senders = senders
        self.bindings = bindings
        self.own = own
        self.own_key = own_key
        self._device: dict[str, str | None] = {}
        self._role: dict[str, str | None] = {}

    def key_of(self, device_id: str) -> str | None:
        if device_id in self.own.own_devices:
            return self.own_key
        if device_id in self.senders:
            return self.signer_key
        if device_id in self.bindings:
            return self.bindings[device_id]
        if device_id not in self._device:
            self._device[device_id] = sync_queries.key_of_device(self.conn, device_id)
        return self._device[device_id]

    def author_key(self, r: Revision) -> str | None:
        if r.signed is not None:
            return r.signed[0]
        return self.key_of(r.device_id)

    def role(self, key_id: str | None) -> str | None:
        if key_id is None:
            return None
        if key_id == self.own_key:
            return self.own.role
        if key_id not in self._role:
            row = sync_queries.trusted_key_row(self.conn, key_id)
            self._role[key_id] = str(row["role"]) if row is not None else None
        return self._role[key_id]

    def in_graph(self, rev_id: str) -> bool:
        return bool(sync_queries.records_of_revisions(self.conn, [rev_id]))

    def answered(self, rev_id: str, record_id: str, bundle_children: set[str]) -> bool:
        """Whether a coordinator's revision (in the bundle or stored) names `rev_id`."""
        stored = proposal_queries.children_devices(self.conn, rev_id, record_id)
        return any(self.role(self.key_of(d)) == "coordinator" for d in bundle_children | stored)


def proposal_rows(
    proposed: list[tuple[Revision, str, str]], bundle_id: str
) -> list[dict[str, object]]:
    """The review queue's rows for `proposed` revisions, as `store.proposal_queries` keeps them."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return [
        {
            "rev_id": r.rev_id,
            "record_id": r.record_id,
            "record_type": r.record_type,
            "parents": json.dumps(sorted(r.parents)),
            "device_id": r.device_id,
            "device_seq": r.device_seq,
            "hlc": r.hlc,
            "author": r.author,
            "deleted": r.deleted,
            "body": r.body_json(),
            "schema_version": r.schema_version,
            "key_id": key,
            "signature": r.signed[1] if r.signed is not None else None,
            "why": why,
            "bundle_id": bundle_id,
            "received_at": now,
            "status": "pending",
            "reason": "",
            "answered_at": None,
            "answered_by": None,
            "answer_rev_id": None,
        }
        for r, key, why in proposed
    ]
