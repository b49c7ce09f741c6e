"""A revision: one immutable version of one record.

The revision id is the SHA-256 of the canonical JSON of everything below except the id
itself, so any replica can recompute it and a tampered revision is detected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from ca_desktop.domain.canonical import canonical_json, canonical_parts, sha256_hex
from ca_desktop.domain.personal import (
    PERSONAL_KEY,
    erased_body_hash,
    hashed_body,
    is_unverifiable,
)

CONTENT_KEYS = (
    "record_id",
    "record_type",
    "parents",
    "device_id",
    "device_seq",
    "hlc",
    "author",
    "deleted",
    "body",
)


@dataclass(frozen=True)
class Revision:
    record_id: str
    record_type: str
    parents: tuple[str, ...]
    device_id: str
    device_seq: int
    hlc: str
    author: str
    deleted: bool
    body: Mapping[str, Any]
    rev_id: str = field(default="")
    # The record schema the body was written under (`domain/schema.py`); 0 = this
    # laptop's. Local bookkeeping like the arrival order: not part of the hashed content.
    schema_version: int = 0
    # (key id, base64 Ed25519 signature) by the author's key, as carried in a bundle: it
    # proves who made the revision whoever relays it. Not part of the hashed content.
    signed: tuple[str, str] | None = field(default=None, compare=False)
    # Set on a received revision written before salted commitments whose personal values
    # were erased (its id no longer matches its content): the hash of its erased body,
    # which a signed erasure of the record must name before it is kept (§17).
    vouch: str | None = field(default=None, compare=False)

    def content(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "record_type": self.record_type,
            "parents": sorted(self.parents),
            "device_id": self.device_id,
            "device_seq": self.device_seq,
            "hlc": self.hlc,
            "author": self.author,
            "deleted": self.deleted,
            "body": dict(hashed_body(self.body)),
        }

    def body_json(self) -> str:
        """Canonical JSON of the body as hashed, computed once per revision (it is the bulk
        of it): personal values enter as their salted commitments (`domain/personal.py`)."""
        cached = self.__dict__.get("_body_json")
        if cached is None:
            hashed = hashed_body(self.body)
            if hashed is self.body:  # no personal values: the body is stored as hashed
                cached, parts = canonical_parts(hashed if type(hashed) is dict else dict(hashed))
            else:
                cached, parts = canonical_json(dict(hashed)), {}
            object.__setattr__(self, "_body_json", cached)
            object.__setattr__(self, "_body_parts", parts)
        return cached

    def list_json(self, key: str) -> str | None:
        """The canonical JSON of the body's long list `key` as encoded for the id, or None:
        the current-state table stores it as it is (a form submission's 500 values are
        encoded once, not twice)."""
        self.body_json()
        parts: dict[str, str] = self.__dict__.get("_body_parts") or {}
        return parts.get(key)

    def stored_body_json(self) -> str:
        """Canonical JSON of the body as stored and sent, personal values and salts included."""
        if PERSONAL_KEY not in self.body:
            return self.body_json()
        return canonical_json(dict(self.body))

    def content_json(self) -> str:
        """`canonical_json(self.content())`, assembled around the cached body JSON.

        Hashing is the hot path of every write and import; keys here are in sorted order and
        strings use json's own escaping, so the bytes equal the generic canonical form (a
        property test checks this).
        """
        q = encode_basestring
        parents = ",".join(q(p) for p in sorted(self.parents))
        return (
            f'{{"author":{q(self.author)},"body":{self.body_json()},'
            f'"deleted":{"true" if self.deleted else "false"},"device_id":{q(self.device_id)},'
            f'"device_seq":{int(self.device_seq)},"hlc":{q(self.hlc)},"parents":[{parents}],'
            f'"record_id":{q(self.record_id)},"record_type":{q(self.record_type)}}}'
        )

    def computed_id(self) -> str:
        return sha256_hex(self.content_json())

    def with_id(self) -> Revision:
        rev_id = self.computed_id()  # fills the body's JSON cache, which the copy keeps
        fields = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        copy = Revision(**{**fields, "parents": tuple(sorted(self.parents)), "rev_id": rev_id})
        object.__setattr__(copy, "_body_json", self.__dict__["_body_json"])
        object.__setattr__(copy, "_body_parts", self.__dict__["_body_parts"])
        return copy

    def to_json_dict(self) -> dict[str, Any]:
        return {"rev_id": self.rev_id, **self.content(), "body": dict(self.body)}

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any], erased_unsalted: bool = False) -> Revision:
        """Build from the wire form; raises ValueError on a malformed or tampered one.

        With `erased_unsalted`, a revision whose id does not match but whose body is an
        erased one without salts (`is_unverifiable`) comes back with `vouch` set instead:
        the caller keeps it only if a signed erasure names it (`sync/apply.py`)."""
        if set(data) != {"rev_id", *CONTENT_KEYS}:
            raise ValueError("revision has missing or unknown keys")
        parents = data["parents"]
        if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
            raise ValueError("revision parents must be a list of ids")
        if not isinstance(data["body"], dict):
            raise ValueError("revision body must be an object")
        if not isinstance(data["device_seq"], int) or isinstance(data["device_seq"], bool):
            raise ValueError("revision device_seq must be an integer")
        if not isinstance(data["deleted"], bool):
            raise ValueError("revision deleted must be true or false")
        for key in ("record_id", "record_type", "device_id", "hlc", "author", "rev_id"):
            if not isinstance(data[key], str):
                raise ValueError(f"revision {key} must be text")
        rev = cls(
            record_id=data["record_id"],
            record_type=data["record_type"],
            parents=tuple(sorted(parents)),
            device_id=data["device_id"],
            device_seq=data["device_seq"],
            hlc=data["hlc"],
            author=data["author"],
            deleted=data["deleted"],
            body=data["body"],
            rev_id=data["rev_id"],
        )
        if rev.computed_id() != rev.rev_id:
            if not (erased_unsalted and is_unverifiable(rev.body)):
                raise ValueError(f"revision {rev.rev_id[:12]} does not match its content")
            object.__setattr__(rev, "vouch", erased_body_hash(rev.body))
        return rev
