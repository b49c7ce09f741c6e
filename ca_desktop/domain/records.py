"""What each record type holds, declared once.

A record body is a plain dict of JSON values, keyed by the field names below. Everything
that differs between record types is read from these declarations: the store's
current-state tables and search index, validation, the editors' groups and labels, the
list pages' columns, history, bundles and exports. Adding a field is its `F(...)` line
here, a migration (the table column) and translations; adding a record type is a
`RecordSpec`, a migration and translations (and a custom editor only if it needs one).

Every declared field is present in a normalised body (missing ones become None or their
default). A body may also hold fields this version does not declare: they came from a
newer version of CA Desktop and are kept as they are (see `domain/schema.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from ca_desktop.domain import enums as e

FieldKind = Literal[
    "text", "longtext", "int", "decimal", "date", "enum", "enums", "ref", "bool", "list"
]
CodeFormat = Literal["country", "currency", "receipt"]
EditorKind = Literal["dialog", "activity", "none"]


@dataclass(frozen=True)
class FieldSpec:
    """One field: its kind and rules, and how every screen and export presents it."""

    name: str
    kind: FieldKind
    required: bool = False
    enum: type[StrEnum] | None = None
    ref: str | None = None  # the record type a "ref" field points to
    max_length: int = 500
    label: str | None = None  # English label (translated); derived from the name if None
    group: str | None = None  # the editor's group box this field sits in (English title)
    column: int = 0  # position among the list page's columns (0: not a column)
    search: bool = False  # part of the record type's full-text search
    index: bool = False  # the current-state table keeps an index on it
    minimum: float | None = 0  # numbers: the lowest allowed value (None: any)
    maximum: float | None = None  # numbers: the highest allowed value
    not_before: str | None = None  # dates: may not be earlier than this other date field
    code: CodeFormat | None = None  # text that must be an ISO country or currency code
    personal: bool = False  # identifies a person: shown only where the record itself is

    @property
    def default(self) -> object:
        if self.kind == "enums" or self.kind == "list":
            return []
        if self.kind == "bool":
            return False
        return None

    @property
    def english_label(self) -> str:
        if self.label:
            return self.label
        return self.name.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ListPage:
    """A record type's own list page: where it sits in the navigation and what it says
    while empty. Its columns come from the fields (`FieldSpec.column`)."""

    key: str  # navigation key ("cuf")
    position: int  # order in the navigation (fixed pages: Home 10, Activities 20, ...)
    icon: str  # a name under resources/icons
    summary: str  # what the page holds, one sentence (English, translated)
    empty_title: str
    empty_text: str
    filter_field: str | None = "status"  # the drop-down filter beside the search
    newest_first: bool = False  # sort by the first column descending (dates)
    in_navigation: bool = True  # False: shown inside another page (organisations)


@dataclass(frozen=True)
class RecordSpec:
    """One record type: its fields, and how it is named and edited."""

    name: str
    fields: tuple[FieldSpec, ...]
    title_field: str
    label: str = ""  # English, singular, in a sentence: "CUF project"
    plural: str = ""  # English, as a heading: "CUF projects"
    editor: EditorKind = "dialog"  # the generic dialog, the activity editor, or none
    new_title: str = ""  # editor window titles (English, translated)
    edit_title: str = ""
    page: ListPage | None = None  # a list page of its own (generic, `gui/pages/records.py`)
    # The ref field naming the record this one is part of (a register row's activity):
    # that record's history lists this one's changes too.
    part_of: str | None = None
    # Reference data (programmes, places, organisations): the coordinator keeps it; an
    # officer's change of it is a proposal for review, never applied as is (issue 11).
    reference: bool = False

    def __post_init__(self) -> None:
        # Looked up for every field of every record written: compute once.
        object.__setattr__(self, "_names", tuple(f.name for f in self.fields))
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))
        if not self.plural:
            object.__setattr__(self, "plural", self.label.capitalize() + "s")
        if not self.new_title:
            object.__setattr__(self, "new_title", f"New {self.label}")
        if not self.edit_title:
            object.__setattr__(self, "edit_title", f"Edit {self.label}")
        unknown = {self.title_field} - set(self._names)  # type: ignore[attr-defined]
        if unknown:
            raise ValueError(f"{self.name}: title field {self.title_field!r} is not declared")

    def field(self, name: str) -> FieldSpec:
        try:
            return self._by_name[name]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            raise KeyError(name) from None

    def has_field(self, name: str) -> bool:
        return name in self._by_name  # type: ignore[attr-defined]

    @property
    def field_names(self) -> tuple[str, ...]:
        return self._names  # type: ignore[attr-defined, no-any-return]

    @property
    def searchable(self) -> tuple[str, ...]:
        """Fields in the full-text search, in declaration order."""
        return tuple(f.name for f in self.fields if f.search)

    @property
    def list_columns(self) -> tuple[str, ...]:
        """The list page's columns in their order (every field when none is marked)."""
        marked = sorted((f.column, f.name) for f in self.fields if f.column)
        return tuple(name for _, name in marked) or self.field_names

    @property
    def groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(group title, fields) in reading and tab order, for the generic editor."""
        order: dict[str, list[str]] = {}
        for f in self.fields:
            if f.group:
                order.setdefault(f.group, []).append(f.name)
        return tuple((title, tuple(names)) for title, names in order.items())


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
        F(
            "code",
            "text",
            True,
            max_length=40,
            group="Programme",
            column=1,
            index=True,
            search=True,
        ),
        F("name", "text", True, group="Programme", column=2, search=True),
        F("kind", "enum", True, enum=e.ProgrammeKind, group="Programme", column=3),
        F(
            "country",
            "text",
            max_length=2,
            label="Country (ISO code)",
            group="Programme",
            code="country",
        ),
        F("start_date", "date", group="Period", column=4),
        F("end_date", "date", group="Period", column=5, not_before="start_date"),
        F("description", "longtext", max_length=20000, group="Description", search=True),
    ),
    title_field="name",
    reference=True,
    plural="Programmes",
    page=ListPage(
        "programmes",
        60,
        "programmes",
        "Country programmes, innovation calls and joint work programmes.",
        "No programmes yet",
        "Country programmes, innovation calls and joint work programmes: every activity "
        "belongs to one. Your coordinator's bundle usually brings them.",
        filter_field="kind",
    ),
)

PLACE = RecordSpec(
    "place",
    (
        F("name", "text", True, group="Place", column=1, index=True, search=True),
        F("kind", "enum", True, enum=e.PlaceKind, group="Place", column=2),
        F("parent_id", "ref", ref="place", label="Part of", group="Place", column=3, index=True),
        F(
            "country",
            "text",
            max_length=2,
            label="Country (ISO code)",
            group="Place",
            column=4,
            code="country",
        ),
        F("households", "int", group="Size", column=5),
        F("population", "int", group="Size", column=6),
        F("latitude", "decimal", group="Location", minimum=-90, maximum=90),
        F("longitude", "decimal", group="Location", minimum=-180, maximum=180),
    ),
    title_field="name",
    reference=True,
    plural="Places",
)

ORGANISATION = RecordSpec(
    "organisation",
    (
        F("name", "text", True, group="Organisation", column=1, index=True, search=True),
        F("type", "enum", True, enum=e.OrganisationType, group="Organisation", column=2),
        F(
            "country",
            "text",
            max_length=2,
            label="Country (ISO code)",
            group="Organisation",
            column=3,
            code="country",
        ),
        F("place_id", "ref", ref="place", label="Place", group="Organisation", column=4),
        F("contact", "text", group="Organisation", search=True),
    ),
    title_field="name",
    reference=True,
    plural="Organisations",
    page=ListPage(
        "organisations",
        55,
        "places",
        "",  # not in the navigation
        "No organisations yet",
        "Local governments, slum dweller federations, savings groups, NGOs and other partners "
        "that lead or attend activities.",
        filter_field="type",
        in_navigation=False,  # a tab of the Places & organisations page
    ),
)

ACTIVITY = RecordSpec(
    "activity",
    # In the activity editor's reading order: the details form takes the short fields, the
    # side column the long texts, and the participants and follow-up have tabs of their own.
    (
        F("title", "text", True, search=True),
        F("type", "enum", True, enum=e.ActivityType, index=True),
        F("level", "enum", True, enum=e.Level, index=True),
        F("programme_id", "ref", True, ref="programme", label="Programme", index=True),
        F("status", "enum", True, enum=e.ActivityStatus, index=True),
        F("start_date", "date", True, index=True),
        F("end_date", "date", not_before="start_date"),
        F("place_id", "ref", ref="place", label="Place", index=True),
        F("lead_organisation_id", "ref", ref="organisation", label="Lead organisation"),
        F("themes", "enums", enum=e.Theme),
        F("description", "longtext", max_length=20000, search=True),
        F("notes", "longtext", max_length=20000, search=True),
        *(
            F(name, "int", label=label)
            for name, label in zip(
                (
                    "female_youth",
                    "female_other",
                    "male_youth",
                    "male_other",
                    "not_recorded_youth",
                    "not_recorded_other",
                ),
                (
                    "Female, 15–24",
                    "Female, other ages",
                    "Male, 15–24",
                    "Male, other ages",
                    "Sex not recorded, 15–24",
                    "Sex not recorded, other ages",
                ),
                strict=True,
            )
        ),  # fmt: skip
        F("follow_up", "list", label="Follow-up actions"),
    ),
    title_field="title",
    plural="Activities",
    editor="activity",
)

ATTENDANCE_ENTRY = RecordSpec(
    "attendance_entry",
    (
        F("activity_id", "ref", True, ref="activity", label="Activity", index=True),
        F("line", "int"),
        F("name", "text", True, max_length=200, personal=True),
        F("sex", "enum", True, enum=e.Sex),
        F("age_band", "enum", True, enum=e.AgeBand, label="Age band"),
        F("organisation", "text", max_length=200),
        F("role", "text", max_length=200),
        F("phone", "text", max_length=40, personal=True),
        F("consent", "bool"),
        F("signed", "bool"),
    ),
    title_field="name",
    label="attendance register row",
    editor="none",  # edited as the activity editor's register grid
    part_of="activity_id",
)

CUF_PROJECT = RecordSpec(
    "cuf_project",
    (
        F("title", "text", True, group="Project", column=1, search=True),
        F("type", "enum", True, enum=e.CufType, group="Project", column=3),
        F("status", "enum", True, enum=e.CufStatus, group="Project", column=4, index=True),
        F(
            "settlement_id",
            "ref",
            True,
            ref="place",
            label="Settlement",
            group="Project",
            column=2,
            index=True,
        ),  # fmt: skip
        F("programme_id", "ref", ref="programme", label="Programme", group="Project"),
        F("description", "longtext", max_length=20000, group="Project", search=True),
        F("ca_funds", "decimal", label="Cities Alliance funds", group="Money", column=5),
        F("community_contribution", "decimal", group="Money"),
        F("currency", "text", max_length=3, group="Money", code="currency"),
        F("beneficiaries_total", "int", group="Beneficiaries", column=6),
        F("beneficiaries_women", "int", group="Beneficiaries"),
        F("beneficiaries_youth", "int", group="Beneficiaries"),
        F(
            "proposing_organisation_id",
            "ref",
            ref="organisation",
            label="Proposing organisation",
            group="Links",
        ),  # fmt: skip
        F(
            "endorsing_activity_id", "ref", ref="activity", label="Endorsing forum", group="Links"
        ),  # fmt: skip
    ),
    title_field="title",
    label="CUF project",
    plural="CUF projects",
    page=ListPage(
        "cuf",
        30,
        "cuf",
        "Community Upgrading Fund projects from proposal to handover.",
        "No CUF projects yet",
        "Community Upgrading Fund projects appear here from proposal to handover: water "
        "kiosks, toilet blocks, drainage, lighting. Add the first one the community selected.",
    ),
)

GRIEVANCE = RecordSpec(
    "grievance",
    (
        F("date_received", "date", True, group="Received", column=1, index=True),
        # The number on the slip the complainant keeps (printed on the blank form).
        F(
            "receipt_number",
            "text",
            max_length=20,
            group="Received",
            search=True,
            index=True,
            code="receipt",
        ),
        F("channel", "enum", True, enum=e.GrievanceChannel, group="Received"),
        F("category", "enum", True, enum=e.GrievanceCategory, group="Received", column=3),
        F("complainant", "text", max_length=200, group="Received", search=True, personal=True),
        F("place_id", "ref", ref="place", label="Place", group="Received", column=4),
        F("programme_id", "ref", ref="programme", label="Programme", group="Received"),
        F(
            "description",
            "longtext",
            True,
            max_length=20000,
            group="Complaint",
            column=2,
            search=True,
            personal=True,
        ),
        F(
            "status", "enum", True, enum=e.GrievanceStatus, group="Resolution", column=5, index=True
        ),  # fmt: skip
        F(
            "resolution",
            "longtext",
            max_length=20000,
            group="Resolution",
            search=True,
            personal=True,
        ),
        F("date_resolved", "date", group="Resolution", not_before="date_received"),
    ),
    title_field="description",
    plural="Grievances",
    page=ListPage(
        "grievances",
        40,
        "grievances",
        "Complaints and feedback received, and how they were resolved.",
        "No grievances recorded",
        "Record every complaint or piece of feedback received — in person, by phone, SMS or "
        "the suggestion box — and how it was resolved.",
        newest_first=True,
    ),
)

ATTACHMENT = RecordSpec(
    "attachment",
    (
        F("sha256", "text", True, max_length=64, index=True),
        F("filename", "text", True, max_length=255),
        F("media_type", "text", max_length=100),
        F("size", "int", True),
        F("caption", "text"),
        F("record_type", "text", True, max_length=40),
        F("record_id", "text", True, max_length=36, index=True),
    ),
    title_field="filename",
    editor="none",  # added and captioned from the record it belongs to
)

FORM_SUBMISSION = RecordSpec(
    "form_submission",
    (
        F("form_code", "text", True, max_length=40, index=True),
        F("form_version", "text", True, max_length=20),
        F("lang", "text", max_length=5),
        F("record_type", "text", max_length=40),
        F("record_id", "text", max_length=36, index=True),
        F("values", "list"),  # list of {"field": name, "value": ...} kept in form order
    ),
    title_field="form_code",
    editor="none",  # entered on the Forms page from the form's own definition
)

# A form definition of the data folder's own (imported from an XLSForm), as reference data:
# the coordinator's reference bundles carry it to officers like programmes and places. One
# record per form code (its id derives from the code); each import is a new revision.
FORM_VERSION = RecordSpec(
    "form_version",
    (
        F("code", "text", True, max_length=40, index=True),
        F("version", "text", True, max_length=20),
        F("title", "text", max_length=200),
        F("definition", "longtext", True, max_length=4_000_000),  # the form's JSON
    ),
    title_field="code",
    editor="none",  # written by the XLSForm import on the Forms page
    reference=True,
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
        FORM_VERSION,
    )
}


def spec_for(record_type: str) -> RecordSpec:
    try:
        return RECORD_SPECS[record_type]
    except KeyError:
        raise ValueError(f"unknown record type: {record_type!r}") from None


def declared_label(field_name: str) -> str | None:
    """The English label a declaration gives a field name, if any (for `field_label`)."""
    for spec in RECORD_SPECS.values():
        if spec.has_field(field_name):
            label = spec.field(field_name).label
            if label:
                return label
    return None
