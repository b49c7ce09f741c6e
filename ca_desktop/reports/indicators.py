"""The results-framework indicators, declared once, and the figures computed from them.

Each indicator has a stable code (used in exports, the CLI's JSON and the pivot), an
English label and definition (translated through `tr`), what it counts, and its query: the
measure of the same code in `store/report_queries.py`, which also lists the records behind
it (drill-down). `docs/indicators.md` explains each one for people.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any, Literal

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.periods import Scope
from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.domain.results import COMMITTED_CUF_STATUSES, DELIVERED_CUF_STATUSES
from ca_desktop.reports.filters import PlaceIndex, ReportFilters, to_scope
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import report_queries as sql
from ca_desktop.store.handles import Connection

Source = Literal["activity", "cuf", "grievance", "register"]
Unit = Literal["people", "count", "money", "days"]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str  # English, shown through tr()
    definition: str  # English, shown through tr()
    source: Source
    unit: Unit = "count"
    headline: bool = False  # shown in the summary and on the report's first page

    @property
    def record_type(self) -> str:
        return {"cuf": "cuf_project", "grievance": "grievance"}.get(self.source, "activity")

    @property
    def pivot(self) -> bool:
        """Activity measures add up per cell, so the pivot can break them down."""
        return self.source == "activity"


_CELL_LABELS = {
    "female_youth": "Women and girls, 15–24",
    "female_other": "Women and girls, other ages",
    "male_youth": "Men and boys, 15–24",
    "male_other": "Men and boys, other ages",
    "not_recorded_youth": "Sex not recorded, 15–24",
    "not_recorded_other": "Sex not recorded, other ages",
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator("people_reached", "People reached", "Participants of activities that took place (ongoing or completed), all sexes and ages.", "activity", "people", True),
    Indicator("women_reached", "Women reached", "Female participants of activities that took place, all ages.", "activity", "people", True),
    Indicator("youth_reached", "Youth reached (15–24)", "Participants aged 15 to 24 of activities that took place, all sexes.", "activity", "people", True),
    *(
        Indicator(f"people_{cell}", text, "Participants of activities that took place, in this cell of sex and age.", "activity", "people")
        for cell, text in _CELL_LABELS.items()
    ),
    Indicator("activities", "Activities recorded", "Activities starting in the period, whatever their status.", "activity", "count", True),
    Indicator("activities_held", "Activities held", "Activities that took place (ongoing or completed).", "activity"),
    Indicator("forums_settlement", "Settlement forums held", "Settlement forums that took place.", "activity", "count", True),
    Indicator("forums_municipal", "Municipal forums held", "Municipal development forums that took place.", "activity", "count", True),
    Indicator("forums_national", "National urban forums held", "National urban forums that took place.", "activity", "count", True),
    Indicator("cuf_projects", "CUF projects", "Community Upgrading Fund projects, whatever their status, as they stand today.", "cuf"),
    Indicator("cuf_delivered", "CUF projects delivered", "CUF projects completed or handed over.", "cuf", "count", True),
    Indicator("cuf_beneficiaries", "CUF beneficiaries", "Beneficiaries of the CUF projects delivered.", "cuf", "people", True),
    Indicator("cuf_beneficiaries_women", "CUF beneficiaries, women", "Women among the beneficiaries of the CUF projects delivered.", "cuf", "people"),
    Indicator("cuf_beneficiaries_youth", "CUF beneficiaries, youth", "Youth (15–24) among the beneficiaries of the CUF projects delivered.", "cuf", "people"),
    Indicator("cuf_ca_funds", "Cities Alliance funds committed", "Cities Alliance funds of CUF projects approved or further along.", "cuf", "money"),
    Indicator("cuf_community_contribution", "Community contribution", "Community contribution to CUF projects approved or further along.", "cuf", "money", True),
    Indicator("grievances_received", "Grievances received", "Grievances received in the period.", "grievance", "count", True),
    Indicator("grievances_resolved", "Grievances resolved", "Grievances received in the period and resolved since.", "grievance"),
    Indicator("grievances_open", "Grievances open", "Grievances received in the period and still open or in progress.", "grievance", "count", True),
    Indicator("grievance_median_days", "Median days to resolve", "Median number of days from receipt to resolution, over the grievances resolved.", "grievance", "days"),
    Indicator("registers_typed", "Activities with a typed register", "Activities that took place whose attendance register was typed in.", "register"),
    Indicator("registers_matching", "Registers matching the counts", "Activities whose typed register agrees with the participant counts in every cell of sex and age.", "register"),
)  # fmt: skip

BY_CODE = {i.code: i for i in INDICATORS}
ACTIVITY_CODES = tuple(i.code for i in INDICATORS if i.source == "activity")
HEADLINE = tuple(i for i in INDICATORS if i.headline)


def indicator(code: str) -> Indicator:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown indicator: {code[:40]!r}") from None


@dataclass(frozen=True)
class CufLine:
    """CUF projects in one status (money per currency: projects may differ)."""

    status: str
    projects: int = 0
    beneficiaries: int = 0
    women: int = 0
    youth: int = 0
    funds: dict[str, float] = field(default_factory=dict)
    contribution: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """Every figure of the results framework for one set of filters."""

    filters: ReportFilters
    values: dict[str, float | None]  # indicator code -> value (None: not computable)
    by_level: dict[str, int]  # activities
    by_type: dict[str, int]
    by_theme: dict[str, int]  # an activity counts under each of its themes
    by_status: dict[str, int]
    people_by_level: dict[str, dict[str, int]]  # level -> participant cell -> people
    cuf: list[CufLine]
    money: dict[str, tuple[float, float]]  # currency -> (CA funds, contribution), committed

    def value(self, code: str) -> float | None:
        return self.values.get(code)

    def cells(self) -> dict[str, int]:
        """People reached by participant cell (female_youth, ...)."""
        return {c: int(self.values[f"people_{c}"] or 0) for c in PARTICIPANT_FIELDS}


def compute_figures(
    app: CaDesktop, filters: ReportFilters, progress: Progress | None = None
) -> Figures:
    """All figures for `filters`, read in one consistent snapshot."""
    steps = 5
    with app.db.engine.connect() as conn, conn.begin():
        scope = to_scope(filters, PlaceIndex.read(conn))
        # One grouped pass: every measure is a sum, so the headline figures are the sums of
        # the groups and the breakdowns fold out of the same rows.
        groups = sql.activity_measures(conn, scope, ACTIVITY_CODES, _GROUP_DIMS)
        report(progress, 1, steps)
        values, breakdown, people_by_level = _fold(groups)
        report(progress, 2, steps)
        cuf, money = _cuf_figures(conn, scope, values)
        report(progress, 3, steps)
        received, resolved, still_open, days = sql.grievance_figures(conn, scope)
        values.update(
            grievances_received=received,
            grievances_resolved=resolved,
            grievances_open=still_open,
            grievance_median_days=statistics.median(days) if days else None,
        )
        report(progress, 4, steps)
        typed, matching = sql.register_figures(conn, scope)
        values.update(registers_typed=typed, registers_matching=matching)
        report(progress, 5, steps)
    return Figures(
        filters=filters,
        values=values,
        by_level=breakdown["level"],
        by_type=breakdown["type"],
        by_theme=breakdown["theme"],
        by_status=breakdown["status"],
        people_by_level=people_by_level,
        cuf=cuf,
        money=money,
    )


_GROUP_DIMS = ("level", "type", "status", "themes")
_COUNT = ACTIVITY_CODES.index("activities")
_CELLS = [ACTIVITY_CODES.index(f"people_{c}") for c in PARTICIPANT_FIELDS]


def _fold(
    groups: list[tuple[Any, ...]],
) -> tuple[dict[str, float | None], dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """Headline values, activities by level/type/theme/status and people by level, from
    rows of (level, type, status, themes, measures...)."""
    totals = [0] * len(ACTIVITY_CODES)
    breakdown: dict[str, dict[str, int]] = {d: {} for d in ("level", "type", "theme", "status")}
    people: dict[str, dict[str, int]] = {}
    for level, type_, status, themes, *measures in groups:
        totals = [t + int(m) for t, m in zip(totals, measures, strict=True)]
        n = int(measures[_COUNT])
        for dim, key in (("level", level), ("type", type_), ("status", status)):
            breakdown[dim][str(key)] = breakdown[dim].get(str(key), 0) + n
        # An activity counts under each of its themes; one with none under "".
        for theme in set(str(themes).split(",")) if themes else {""}:
            breakdown["theme"][theme] = breakdown["theme"].get(theme, 0) + n
        cells = people.setdefault(str(level), dict.fromkeys(PARTICIPANT_FIELDS, 0))
        for cell, i in zip(PARTICIPANT_FIELDS, _CELLS, strict=True):
            cells[cell] += int(measures[i])
    values: dict[str, float | None] = dict(zip(ACTIVITY_CODES, totals, strict=True))
    return values, breakdown, people


def _cuf_figures(
    conn: Connection, scope: Scope, values: dict[str, float | None]
) -> tuple[list[CufLine], dict[str, tuple[float, float]]]:
    lines: dict[str, CufLine] = {}
    money: dict[str, tuple[float, float]] = {}
    totals = dict.fromkeys(
        ("cuf_projects", "cuf_delivered", "cuf_beneficiaries", "cuf_beneficiaries_women",
         "cuf_beneficiaries_youth"), 0,
    )  # fmt: skip
    for status, currency, n, total, women, youth, funds, contribution in sql.cuf_by_status(
        conn, scope
    ):
        line = lines.setdefault(status, CufLine(status))
        line.funds[currency] = line.funds.get(currency, 0.0) + float(funds)
        line.contribution[currency] = line.contribution.get(currency, 0.0) + float(contribution)
        lines[status] = CufLine(
            status, line.projects + n, line.beneficiaries + total, line.women + women,
            line.youth + youth, line.funds, line.contribution,
        )  # fmt: skip
        totals["cuf_projects"] += n
        if status in DELIVERED_CUF_STATUSES:
            totals["cuf_delivered"] += n
            totals["cuf_beneficiaries"] += total
            totals["cuf_beneficiaries_women"] += women
            totals["cuf_beneficiaries_youth"] += youth
        if status in COMMITTED_CUF_STATUSES:
            f, c = money.get(currency, (0.0, 0.0))
            money[currency] = (f + float(funds), c + float(contribution))
    values.update(totals)
    # One currency: the money indicators are plain sums; several: see the table per currency.
    single = len(money) == 1
    values["cuf_ca_funds"] = (
        next(iter(money.values()))[0] if single else (0.0 if not money else None)
    )
    values["cuf_community_contribution"] = (
        next(iter(money.values()))[1] if single else (0.0 if not money else None)
    )
    return sorted(lines.values(), key=lambda line: line.status), money


def drill_down(
    app: CaDesktop,
    filters: ReportFilters,
    code: str,
    cell: dict[str, str | frozenset[str]] | None = None,
) -> tuple[str, list[str]]:
    """(record type, ids) of the records behind indicator `code` for `filters` (within a
    pivot cell when `cell` is given, as `pivot.cell_keys` builds it)."""
    ind = indicator(code)
    with app.db.engine.connect() as conn, conn.begin():
        scope = to_scope(filters, PlaceIndex.read(conn))
        if ind.source == "activity":
            return ind.record_type, sql.activity_ids(conn, scope, code, cell)
        if ind.source == "register":
            matching = True if code == "registers_matching" else None
            return ind.record_type, sql.register_ids(conn, scope, matching)
        if ind.source == "cuf":
            statuses = None if code == "cuf_projects" else (
                COMMITTED_CUF_STATUSES if code.endswith(("funds", "contribution"))
                else DELIVERED_CUF_STATUSES
            )  # fmt: skip
            return ind.record_type, sql.cuf_ids(conn, scope, statuses)
        group = "grievances_resolved" if code == "grievance_median_days" else code
        return ind.record_type, sql.grievance_ids(conn, scope, sql.GRIEVANCE_GROUPS[group])
