"""SQLModel tables.

Two kinds of table: the append-only `revision` log (the truth, and the unit of sync) and one
current-state table per record type (what the winning head of each record says, for fast
queries). Current-state rows of deleted records stay, flagged, so history and sync see them.

Record tables carry no foreign keys between each other on purpose: sync delivers records in
any order, so an activity may arrive before its place. References are checked by the
domain (they must look like ids) and resolved softly by queries.
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


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
    deleted: bool = Field(default=False, index=True)
    created_hlc: str = Field(max_length=19)
    updated_hlc: str = Field(max_length=19, index=True)
    updated_by: str = ""


class Programme(RecordBase, table=True):
    code: str = Field(index=True)
    name: str
    kind: str
    country: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = None


class Place(RecordBase, table=True):
    name: str = Field(index=True)
    kind: str
    parent_id: str | None = Field(default=None, index=True)
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    households: int | None = None
    population: int | None = None


class Organisation(RecordBase, table=True):
    name: str = Field(index=True)
    type: str
    country: str | None = None
    place_id: str | None = None
    contact: str | None = None


class Activity(RecordBase, table=True):
    programme_id: str = Field(index=True)
    level: str = Field(index=True)
    type: str = Field(index=True)
    themes: str = ""  # comma-separated theme codes
    title: str
    description: str | None = None
    start_date: str = Field(index=True)
    end_date: str | None = None
    place_id: str | None = Field(default=None, index=True)
    lead_organisation_id: str | None = None
    status: str = Field(index=True)
    female_youth: int | None = None
    female_other: int | None = None
    male_youth: int | None = None
    male_other: int | None = None
    not_recorded_youth: int | None = None
    not_recorded_other: int | None = None
    follow_up: str = "[]"
    notes: str | None = None


class AttendanceEntry(RecordBase, table=True):
    __tablename__ = "attendance_entry"
    activity_id: str = Field(index=True)
    line: int | None = None
    name: str
    sex: str
    age_band: str
    organisation: str | None = None
    role: str | None = None
    phone: str | None = None
    consent: bool = False
    signed: bool = False


class CufProject(RecordBase, table=True):
    __tablename__ = "cuf_project"
    title: str
    settlement_id: str = Field(index=True)
    programme_id: str | None = None
    proposing_organisation_id: str | None = None
    type: str
    status: str = Field(index=True)
    ca_funds: float | None = None
    community_contribution: float | None = None
    currency: str | None = None
    beneficiaries_total: int | None = None
    beneficiaries_women: int | None = None
    beneficiaries_youth: int | None = None
    endorsing_activity_id: str | None = None
    description: str | None = None


class Grievance(RecordBase, table=True):
    date_received: str = Field(index=True)
    channel: str
    category: str
    description: str
    place_id: str | None = None
    programme_id: str | None = None
    complainant: str | None = None
    status: str = Field(index=True)
    resolution: str | None = None
    date_resolved: str | None = None


class Attachment(RecordBase, table=True):
    sha256: str = Field(index=True)
    filename: str
    media_type: str | None = None
    size: int
    caption: str | None = None
    record_type: str
    record_id: str = Field(index=True)


class FormSubmission(RecordBase, table=True):
    __tablename__ = "form_submission"
    form_code: str = Field(index=True)
    form_version: str
    lang: str | None = None
    record_type: str | None = None
    record_id: str | None = Field(default=None, index=True)
    values: str = "[]"


RECORD_TABLES: dict[str, type[RecordBase]] = {
    "programme": Programme,
    "place": Place,
    "organisation": Organisation,
    "activity": Activity,
    "attendance_entry": AttendanceEntry,
    "cuf_project": CufProject,
    "grievance": Grievance,
    "attachment": Attachment,
    "form_submission": FormSubmission,
}
