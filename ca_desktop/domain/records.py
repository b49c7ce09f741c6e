"""What each record type holds, declared once.

A record body is a plain dict of JSON values, keyed by the field names below. The store maps
it to a table, the sync code ships it as is, the GUI and forms build editors from it. Every
field is always present in a normalised body (missing ones become None or their default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from ca_desktop.domain import enums as e

FieldKind = Literal[
    "text", "longtext", "int", "decimal", "date", "enum", "enums", "ref", "bool", "list"
]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    required: bool = False
    enum: type[StrEnum] | None = None
    ref: str | None = None  # the record type a "ref" field points to
    max_length: int = 500

    @property
    def default(self) -> object:
        if self.kind == "enums" or self.kind == "list":
            return []
        if self.kind == "bool":
            return False
        return None


@dataclass(frozen=True)
class RecordSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    title_field: str
    searchable: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Looked up for every field of every record written: compute once.
        object.__setattr__(self, "_names", tuple(f.name for f in self.fields))

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return self._names  # type: ignore[attr-defined, no-any-return]


def F(name: str, kind: FieldKind, required: bool = False, **kw: object) -> FieldSpec:  # noqa: N802
    return FieldSpec(name, kind, required, **kw)  # type: ignore[arg-type]


PARTICIPANT_CELLS: tuple[tuple[e.Sex, bool], ...] = tuple(
    (sex, youth) for sex in e.Sex for youth in (True, False)
)


def participant_field(sex: e.Sex, youth: bool) -> str:
    """`female_youth`, `female_other`, `male_youth`, ... (`other` = not 15–24)."""
    return f"{sex.value}_{'youth' if youth else 'other'}"


PARTICIPANT_FIELDS = tuple(participant_field(s, y) for s, y in PARTICIPANT_CELLS)

PROGRAMME = RecordSpec(
    "programme",
    (
        F("code", "text", True, max_length=40),
        F("name", "text", True),
        F("kind", "enum", True, enum=e.ProgrammeKind),
        F("country", "text", max_length=2),
        F("start_date", "date"),
        F("end_date", "date"),
        F("description", "longtext", max_length=20000),
    ),
    title_field="name",
)

PLACE = RecordSpec(
    "place",
    (
        F("name", "text", True),
        F("kind", "enum", True, enum=e.PlaceKind),
        F("parent_id", "ref", ref="place"),
        F("country", "text", max_length=2),
        F("latitude", "decimal"),
        F("longitude", "decimal"),
        F("households", "int"),
        F("population", "int"),
    ),
    title_field="name",
)

ORGANISATION = RecordSpec(
    "organisation",
    (
        F("name", "text", True),
        F("type", "enum", True, enum=e.OrganisationType),
        F("country", "text", max_length=2),
        F("place_id", "ref", ref="place"),
        F("contact", "text"),
    ),
    title_field="name",
)

ACTIVITY = RecordSpec(
    "activity",
    (
        F("programme_id", "ref", True, ref="programme"),
        F("level", "enum", True, enum=e.Level),
        F("type", "enum", True, enum=e.ActivityType),
        F("themes", "enums", enum=e.Theme),
        F("title", "text", True),
        F("description", "longtext", max_length=20000),
        F("start_date", "date", True),
        F("end_date", "date"),
        F("place_id", "ref", ref="place"),
        F("lead_organisation_id", "ref", ref="organisation"),
        F("status", "enum", True, enum=e.ActivityStatus),
        *(F(name, "int") for name in PARTICIPANT_FIELDS),
        F("follow_up", "list"),
        F("notes", "longtext", max_length=20000),
    ),
    title_field="title",
    searchable=("title", "description", "notes"),
)

ATTENDANCE_ENTRY = RecordSpec(
    "attendance_entry",
    (
        F("activity_id", "ref", True, ref="activity"),
        F("line", "int"),
        F("name", "text", True, max_length=200),
        F("sex", "enum", True, enum=e.Sex),
        F("age_band", "enum", True, enum=e.AgeBand),
        F("organisation", "text", max_length=200),
        F("role", "text", max_length=200),
        F("phone", "text", max_length=40),
        F("consent", "bool"),
        F("signed", "bool"),
    ),
    title_field="name",
)

CUF_PROJECT = RecordSpec(
    "cuf_project",
    (
        F("title", "text", True),
        F("settlement_id", "ref", True, ref="place"),
        F("programme_id", "ref", ref="programme"),
        F("proposing_organisation_id", "ref", ref="organisation"),
        F("type", "enum", True, enum=e.CufType),
        F("status", "enum", True, enum=e.CufStatus),
        F("ca_funds", "decimal"),
        F("community_contribution", "decimal"),
        F("currency", "text", max_length=3),
        F("beneficiaries_total", "int"),
        F("beneficiaries_women", "int"),
        F("beneficiaries_youth", "int"),
        F("endorsing_activity_id", "ref", ref="activity"),
        F("description", "longtext", max_length=20000),
    ),
    title_field="title",
)

GRIEVANCE = RecordSpec(
    "grievance",
    (
        F("date_received", "date", True),
        F("channel", "enum", True, enum=e.GrievanceChannel),
        F("category", "enum", True, enum=e.GrievanceCategory),
        F("description", "longtext", True, max_length=20000),
        F("place_id", "ref", ref="place"),
        F("programme_id", "ref", ref="programme"),
        F("complainant", "text", max_length=200),
        F("status", "enum", True, enum=e.GrievanceStatus),
        F("resolution", "longtext", max_length=20000),
        F("date_resolved", "date"),
    ),
    title_field="description",
)

ATTACHMENT = RecordSpec(
    "attachment",
    (
        F("sha256", "text", True, max_length=64),
        F("filename", "text", True, max_length=255),
        F("media_type", "text", max_length=100),
        F("size", "int", True),
        F("caption", "text"),
        F("record_type", "text", True, max_length=40),
        F("record_id", "text", True, max_length=36),
    ),
    title_field="filename",
)

FORM_SUBMISSION = RecordSpec(
    "form_submission",
    (
        F("form_code", "text", True, max_length=40),
        F("form_version", "text", True, max_length=20),
        F("lang", "text", max_length=5),
        F("record_type", "text", max_length=40),
        F("record_id", "text", max_length=36),
        F("values", "list"),  # list of {"field": name, "value": ...} kept in form order
    ),
    title_field="form_code",
)

RECORD_SPECS: dict[str, RecordSpec] = {
    s.name: s
    for s in (
        PROGRAMME,
        PLACE,
        ORGANISATION,
        ACTIVITY,
        ATTENDANCE_ENTRY,
        CUF_PROJECT,
        GRIEVANCE,
        ATTACHMENT,
        FORM_SUBMISSION,
    )
}


def spec_for(record_type: str) -> RecordSpec:
    try:
        return RECORD_SPECS[record_type]
    except KeyError:
        raise ValueError(f"unknown record type: {record_type!r}") from None
