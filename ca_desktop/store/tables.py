"""SQLModel tables.

Two kinds of table: the append-only `revision` log (the truth, and the unit of sync) and one
current-state table per record type (what the winning head of each record says, for fast
queries). Current-state rows of deleted records stay, flagged, so history and sync see them.

Record tables carry no foreign keys between each other on purpose: sync delivers records in
any order, so an activity may arrive before its place. References are checked by the
domain (they must look like ids) and resolved softly by queries.
"""

from __future__ import annotations

import types
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from ca_desktop.domain.records import RECORD_SPECS, RecordSpec


class Revision(SQLModel, table=True):
    # Not unique: a laptop restored from an old backup may reuse sequence numbers, and
    # refusing those revisions would lose work. Sync reports such gaps and overlaps instead.
    __table_args__ = (Index("ix_revision_device_seq", "device_id", "device_seq"),)
    rev_id: str = Field(primary_key=True, max_length=64)
    record_id: str = Field(index=True, max_length=36)
    record_type: str = Field(max_length=40)
    parents: str = Field(default="[]")  # JSON list, sorted
    device_id: str = Field(max_length=36)
    device_seq: int
    hlc: str = Field(max_length=19)
    author: str
    deleted: bool = False
    body: str  # canonical JSON
    # Local-only, not part of the content hash:
    local_seq: int = Field(index=True, unique=True)  # order of arrival on this replica
    clock_flag: bool = False  # timestamp implausible (clock far off) when received
    # The record schema the body was written under (`domain/schema.py`).
    schema_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class RecordHead(SQLModel, table=True):
    __tablename__ = "record_head"
    record_id: str = Field(primary_key=True, max_length=36)
    rev_id: str = Field(primary_key=True, foreign_key="revision.rev_id", max_length=64)


class DeviceSequence(SQLModel, table=True):
    """Highest contiguous sequence number seen per device: the known-state vector."""

    __tablename__ = "device_sequence"
    device_id: str = Field(primary_key=True, max_length=36)
    max_seq: int = 0
    contiguous_seq: int = 0


class LocalDevice(SQLModel, table=True):
    """This laptop's identity; exactly one row once `init` has run."""

    __tablename__ = "local_device"
    device_id: str = Field(primary_key=True, max_length=36)
    user_name: str
    role: str
    programme_code: str | None = None
    next_seq: int = 1
    clock: str = "0000000000000.00000"
    created_at: str


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class RecordBase(SQLModel):
    num: int | None = Field(default=None, primary_key=True)  # stable integer key for FTS
    id: str = Field(unique=True, max_length=36)
    rev_id: str = Field(max_length=64)
    heads: int = 1  # more than one: a conflict waiting for review
    # No index: nearly every row is live, and such an index misled the planner (0007).
    deleted: bool = False
    created_hlc: str = Field(max_length=19)
    updated_hlc: str = Field(max_length=19, index=True)
    updated_by: str = ""


# Python types of the current-state columns, by field kind. Lists are stored as text: enum
# codes comma-separated, other lists as JSON.
_COLUMN_TYPES: dict[str, type] = {"int": int, "decimal": float, "bool": bool}
_ALWAYS_SET = {"bool": False, "enums": "", "list": "[]"}  # kinds whose column is never NULL


def _class_name(record_type: str) -> str:
    return "".join(part.capitalize() for part in record_type.split("_"))


def _record_table(spec: RecordSpec) -> type[RecordBase]:
    """The current-state table of one record type, from its declaration.

    Required fields are NOT NULL; the kinds in `_ALWAYS_SET` get their default; `index`
    makes an index. Migrations must create the same table: a test compares them.
    """
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__tablename__": spec.name, "__module__": __name__}
    for f in spec.fields:
        python_type = _COLUMN_TYPES.get(f.kind, str)
        if f.kind in _ALWAYS_SET:
            annotations[f.name] = python_type
            namespace[f.name] = Field(default=_ALWAYS_SET[f.kind], index=f.index)
        elif f.required:
            annotations[f.name] = python_type
            namespace[f.name] = Field(index=f.index) if f.index else Field()
        else:
            annotations[f.name] = python_type | None
            namespace[f.name] = Field(default=None, index=f.index)
    namespace["__annotations__"] = annotations
    return types.new_class(  # type: ignore[no-any-return]
        _class_name(spec.name),
        (RecordBase,),
        {"table": True},
        lambda ns: ns.update(namespace),
    )


# One table per declared record type, built when this module is first imported.
RECORD_TABLES: dict[str, type[RecordBase]] = {
    spec.name: _record_table(spec) for spec in RECORD_SPECS.values()
}
