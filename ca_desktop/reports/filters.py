"""The filters a coordinator sets on a report, and how they become a store `Scope`.

Places form a tree through `place.parent_id` (country > city > settlement). A country
filter is an ISO code; city and settlement filters are place ids; each covers the place
and everything under it. The tree is read once per computation (a few thousand rows at
most) and walked in Python, with a guard against cycles a bad sync could create.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ca_desktop.domain.enums import PlaceKind
from ca_desktop.domain.periods import Period, Scope
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import report_queries as sql
from ca_desktop.store.handles import Connection


@dataclass(frozen=True)
class ReportFilters:
    """What a report counts. None everywhere: everything recorded."""

    period: Period | None = None
    programme: str | None = None  # programme record id
    country: str | None = None  # ISO code
    city: str | None = None  # place id
    settlement: str | None = None  # place id
    level: str | None = None
    theme: str | None = None
    type: str | None = None

    def with_(self, **changes: object) -> ReportFilters:
        return replace(self, **changes)  # type: ignore[arg-type]


class PlaceIndex:
    """The place tree: names, and each place's country and city."""

    def __init__(self, rows: list[tuple[str, str | None, str, str | None, str]]) -> None:
        self.parent = {r[0]: r[1] for r in rows}
        self.kind = {r[0]: r[2] for r in rows}
        self.code = {r[0]: r[3] for r in rows}
        self.name = {r[0]: r[4] for r in rows}

    @classmethod
    def read(cls, conn: Connection) -> PlaceIndex:
        return cls(sql.places(conn))

    def ancestry(self, place_id: str | None) -> list[str]:
        """The place and its ancestors, nearest first (stops at a loop or a missing place)."""
        out: list[str] = []
        while place_id is not None and place_id in self.parent and place_id not in out:
            out.append(place_id)
            place_id = self.parent[place_id]
        return out

    def country_of(self, place_id: str | None) -> str:
        """The ISO code of the place's country ("" when none is recorded)."""
        for pid in self.ancestry(place_id):
            if self.code.get(pid):
                return str(self.code[pid]).upper()
        return ""

    def city_of(self, place_id: str | None) -> str:
        """The id of the city the place is in or is ("" for a country or a loose place)."""
        for pid in self.ancestry(place_id):
            if self.kind.get(pid) == PlaceKind.CITY.value:
                return pid
        return ""

    def under(self, root: str) -> frozenset[str]:
        """`root` and every place below it."""
        return frozenset(p for p in self.parent if root in self.ancestry(p))

    def in_country(self, code: str) -> frozenset[str]:
        code = code.upper()
        return frozenset(p for p in self.parent if self.country_of(p) == code)


def to_scope(filters: ReportFilters, places: PlaceIndex) -> Scope:
    """The store's scope for `filters`: place filters expanded to sets of place ids."""
    chosen: frozenset[str] | None = None
    for narrowed in (
        places.in_country(filters.country) if filters.country else None,
        places.under(filters.city) if filters.city else None,
        places.under(filters.settlement) if filters.settlement else None,
    ):
        if narrowed is not None:
            chosen = narrowed if chosen is None else chosen & narrowed
    return Scope(
        period=filters.period,
        programme_id=filters.programme,
        place_ids=chosen,
        level=filters.level,
        theme=filters.theme,
        type=filters.type,
    )


def programme_choices(app: CaDesktop) -> list[tuple[str, str, str, str | None]]:
    """Every live programme: (id, code, name, country), by code."""
    with app.db.engine.connect() as conn:
        return sql.programmes(conn)


def place_choices(app: CaDesktop) -> PlaceIndex:
    """The place tree, for the filters' country, city and settlement lists."""
    with app.db.engine.connect() as conn:
        return PlaceIndex.read(conn)


def programme_by_code(app: CaDesktop, code: str) -> str:
    """The id of the programme with `code` (any case); ValueError naming the known codes."""
    programmes = programme_choices(app)
    for pid, pcode, _name, _country in programmes:
        if pcode.casefold() == code.strip().casefold():
            return pid
    known = ", ".join(p[1] for p in programmes[:12]) or "none recorded"
    raise ValueError(f"no programme with code {code[:40]!r} (known: {known})")
