"""List queries behind the record pages (CUF projects, grievances, programmes, places).

These tables hold hundreds to a few thousand records, so a page loads its whole filtered
list at once (on a worker thread) and sorts in memory; search runs in SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ca_desktop.domain.enums import ActivityType, PlaceKind
from ca_desktop.domain.records import FieldSpec, spec_for
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import RecordView
from ca_desktop.store import record_queries as sql

# Forums and CUF meetings are where a community endorses a project; offering every
# activity (100,000 on a coordinator's laptop) would bury them.
ENDORSING_TYPES = (ActivityType.SETTLEMENT_FORUM.value, ActivityType.CUF_MEETING.value)
MAX_ACTIVITY_CHOICES = 3000


@dataclass(frozen=True)
class PlaceNode:
    id: str
    name: str
    kind: str
    parent_id: str | None
    country: str | None
    households: int | None
    population: int | None


def search_records(
    app: CaDesktop, record_type: str, words: str = "", where: Mapping[str, str] | None = None
) -> list[RecordView]:
    """Live records of one type whose text fields contain every word (case-insensitive).

    `where` narrows by exact column values (e.g. {"status": "open"}).
    """
    spec = spec_for(record_type)
    if not words.strip() and not where:
        return app.list_records(record_type)
    searchable = [name for name in spec.searchable if spec.field(name).kind in ("text", "longtext")]
    for column in where or {}:
        spec.field(column)  # KeyError for anything that is not a field of this record
    with app.db.engine.connect() as conn:
        ids = sql.matching_ids(conn, record_type, searchable, words.split(), where or {})
    return [r for r in app.list_records(record_type) if r.id in ids]


def place_nodes(app: CaDesktop) -> list[PlaceNode]:
    """Every live place, ordered by name, for building the country → city → settlement tree."""
    return [
        PlaceNode(
            r.id,
            r.body["name"],
            r.body["kind"],
            r.body.get("parent_id"),
            r.body.get("country"),
            r.body.get("households"),
            r.body.get("population"),
        )
        for r in app.list_records("place")
    ]


def ref_choices(
    app: CaDesktop, record_type: str, field: FieldSpec, current: str | None = None
) -> list[tuple[str, str]]:
    """(id, label) pairs a reference field offers, narrowed to what makes sense there.

    A settlement field offers settlements, "part of" offers countries and cities, and place
    labels name their parent so two settlements of the same name can be told apart. The
    `current` target is always included, so editing never drops an existing link.
    """
    assert field.ref is not None
    if field.ref == "place":
        choices = _place_choices(app, record_type, field.name)
    elif field.ref == "activity":
        choices = _activity_choices(app)
    else:
        choices = list(app.titles(field.ref).items())
    if current and all(rid != current for rid, _ in choices):
        record = app.get(field.ref, current)
        if record is not None:
            choices.append((current, str(record.body.get(spec_for(field.ref).title_field))))
    return choices


def _place_choices(app: CaDesktop, record_type: str, field_name: str) -> list[tuple[str, str]]:
    nodes = place_nodes(app)
    names = {n.id: n.name for n in nodes}
    if field_name == "settlement_id":
        kinds = {PlaceKind.SETTLEMENT.value}
    elif record_type == "place" and field_name == "parent_id":
        kinds = {PlaceKind.COUNTRY.value, PlaceKind.CITY.value}
    else:
        kinds = {k.value for k in PlaceKind}
    out = []
    for n in nodes:
        if n.kind not in kinds:
            continue
        parent = names.get(n.parent_id or "")
        out.append((n.id, f"{n.name} ({parent})" if parent else n.name))
    return out


def _activity_choices(app: CaDesktop) -> list[tuple[str, str]]:
    with app.db.engine.connect() as conn:
        rows = sql.newest_activities_of_types(conn, ENDORSING_TYPES, MAX_ACTIVITY_CHOICES)
    return [(rid, f"{title} ({start})") for rid, title, start in rows]


def last_edited_id(app: CaDesktop, record_type: str) -> str | None:
    """The id of the live record of this type edited last, or None."""
    with app.db.engine.connect() as conn:
        return sql.last_edited_id(conn, spec_for(record_type).name)
