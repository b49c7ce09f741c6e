"""The Home dashboard's figures: SQL aggregates over the current-state tables.

Each figure is one aggregate query (no rows are loaded into Python), so the dashboard stays
quick on 100,000 activities. Deleted records never count. The GUI calls `load_dashboard`
from a worker thread and gets plain data back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.domain.enums import ActivityStatus, CufStatus, GrievanceStatus, Level, Sex, Theme
from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.records import PARTICIPANT_CELLS, RECORD_SPECS, participant_field, spec_for
from ca_desktop.services.app import CaDesktop

# People are "reached" by activities that took place; planned or cancelled ones reach nobody
# yet, even when someone typed an expected attendance into them.
REACHED_STATUSES = (ActivityStatus.ONGOING.value, ActivityStatus.COMPLETED.value)
DELIVERED_CUF_STATUSES = (CufStatus.COMPLETED.value, CufStatus.HANDED_OVER.value)
OPEN_GRIEVANCE_STATUSES = (GrievanceStatus.OPEN.value, GrievanceStatus.IN_PROGRESS.value)
# Records people open from Home (registers, attachments and form submissions show through
# the record they belong to).
RECENT_TYPES = tuple(s.name for s in RECORD_SPECS.values() if s.editor != "none")


@dataclass(frozen=True)
class PeopleReached:
    """Participants by sex × youth (15–24) in activities that took place."""

    cells: dict[str, int]  # participant field name (e.g. "female_youth") -> people

    def total(self) -> int:
        return sum(self.cells.values())

    def by_sex(self, sex: Sex) -> int:
        return sum(self.cells[participant_field(sex, y)] for y in (True, False))

    def youth(self) -> int:
        return sum(self.cells[participant_field(s, True)] for s in Sex)


@dataclass(frozen=True)
class RecentChange:
    """One revision written to this database: who changed which record, and when."""

    record_type: str
    record_id: str
    title: str  # the record's current title ("" when it no longer exists)
    author: str
    device_id: str
    when: str  # readable UTC time
    action: str  # "created", "edited" or "deleted"


@dataclass(frozen=True)
class Dashboard:
    activities: int
    by_level: dict[str, int]
    by_theme: dict[str, int]
    by_status: dict[str, int]
    people: PeopleReached
    cuf_projects: int
    cuf_delivered: int
    cuf_beneficiaries_delivered: int
    grievances: int
    grievances_open: int
    grievances_in_progress: int
    unsent: int
    recent: list[RecentChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing recorded yet: the page shows its first-steps panel instead of zeros."""
        return self.activities == 0 and self.cuf_projects == 0 and self.grievances == 0


def load_dashboard(
    app: CaDesktop, recent: int = 12, progress: Callable[[int, int], bool] | None = None
) -> Dashboard:
    """Every figure on the Home page, read in one consistent snapshot."""
    steps = 4
    with app.db.engine.connect() as conn, conn.begin():
        # One read transaction: all figures describe the same moment even while a sync
        # import writes.
        by_level, by_status, by_theme, people = _activity_figures(conn)
        _step(progress, 1, steps)
        cuf = _counts(conn, "cuf_project", "status", [m.value for m in CufStatus])
        beneficiaries = _scalar(
            conn,
            "SELECT COALESCE(SUM(beneficiaries_total), 0) FROM cuf_project "
            f"WHERE deleted = 0 AND status IN {_in(DELIVERED_CUF_STATUSES)}",
        )
        grievances = _counts(conn, "grievance", "status", [m.value for m in GrievanceStatus])
        _step(progress, 2, steps)
        changes = recent_changes(conn, recent)
        _step(progress, 3, steps)
    unsent = app.unsent_changes()
    _step(progress, 4, steps)
    return Dashboard(
        activities=sum(by_status.values()),
        by_level=by_level,
        by_theme=by_theme,
        by_status=by_status,
        people=people,
        cuf_projects=sum(cuf.values()),
        cuf_delivered=sum(cuf[s] for s in DELIVERED_CUF_STATUSES),
        cuf_beneficiaries_delivered=beneficiaries,
        grievances=sum(grievances.values()),
        grievances_open=grievances[GrievanceStatus.OPEN.value],
        grievances_in_progress=grievances[GrievanceStatus.IN_PROGRESS.value],
        unsent=unsent,
        recent=changes,
    )


def recent_changes(conn: Connection, limit: int = 12) -> list[RecentChange]:
    """The latest revisions of records people edit, newest first, with current titles."""
    types = _in(RECENT_TYPES)
    rows = conn.execute(
        text(
            "SELECT r.record_type, r.record_id, r.author, r.device_id, r.hlc, r.deleted, "
            "r.parents FROM revision r "
            f"WHERE r.record_type IN {types} ORDER BY r.local_seq DESC LIMIT :n"
        ),
        {"n": int(limit)},
    ).all()
    titles = _titles(conn, [(r.record_type, r.record_id) for r in rows])
    out = []
    for r in rows:
        action = "deleted" if r.deleted else ("created" if r.parents == "[]" else "edited")
        try:
            when = Timestamp.parse(r.hlc).iso()
        except ValueError:
            when = r.hlc
        out.append(
            RecentChange(
                r.record_type,
                r.record_id,
                titles.get(r.record_id, ""),
                r.author,
                r.device_id,
                when,
                action,
            )
        )
    return out


def _titles(conn: Connection, refs: Sequence[tuple[str, str]]) -> dict[str, str]:
    by_type: dict[str, set[str]] = {}
    for record_type, record_id in refs:
        by_type.setdefault(record_type, set()).add(record_id)
    titles: dict[str, str] = {}
    for record_type, ids in by_type.items():
        title = spec_for(record_type).title_field  # a declared field name, safe in SQL
        params = {f"i{n}": rid for n, rid in enumerate(ids)}
        marks = ", ".join(f":{k}" for k in params)
        for rid, name in conn.execute(
            text(f"SELECT id, {title} FROM {record_type} WHERE id IN ({marks})"), params
        ):
            titles[rid] = str(name or "")
    return titles


def _counts(conn: Connection, table: str, column: str, codes: list[str]) -> dict[str, int]:
    """{code: live records with that code}, every code present (zero when none).

    All rows minus deleted rows: both counts read only the column's index, not the table.
    """
    counts = dict.fromkeys(codes, 0)
    for where, sign in (("", 1), (" WHERE deleted = 1", -1)):
        rows = conn.execute(
            text(f"SELECT {column}, COUNT(*) FROM {table}{where} GROUP BY {column}")
        )
        for code, n in rows:
            # A code this version does not know (from a newer laptop) still counts in totals.
            counts[code] = counts.get(code, 0) + sign * int(n)
    return {code: n for code, n in counts.items() if n or code in codes}


def _activity_figures(
    conn: Connection,
) -> tuple[dict[str, int], dict[str, int], dict[str, int], PeopleReached]:
    """Counts by level, status and theme, and people reached.

    Level and status counts come from their indexes (live = all rows minus deleted ones,
    which avoids reading the table); themes and people need the rows, read in one pass.
    """
    by_level = _counts(conn, "activity", "level", [m.value for m in Level])
    by_status = _counts(conn, "activity", "status", [m.value for m in ActivityStatus])
    cells = [participant_field(s, y) for s, y in PARTICIPANT_CELLS]
    # Themes are stored comma-separated; wrapping both sides in commas matches whole codes.
    themes = [f"SUM(instr(',' || themes || ',', ',{t.value},') > 0)" for t in Theme]
    reached = f"status IN {_in(REACHED_STATUSES)}"
    sums = [f"SUM(CASE WHEN {reached} THEN {c} END)" for c in cells]
    row = conn.execute(
        text(f"SELECT {', '.join(themes + sums)} FROM activity WHERE deleted = 0")
    ).one()
    by_theme = {t.value: int(n or 0) for t, n in zip(Theme, row[: len(themes)], strict=True)}
    people = {c: int(n or 0) for c, n in zip(cells, row[len(themes) :], strict=True)}
    return by_level, by_status, by_theme, PeopleReached(people)


def _scalar(conn: Connection, sql: str) -> int:
    return int(conn.execute(text(sql)).scalar() or 0)


def _in(codes: Sequence[str]) -> str:
    """An SQL IN list of our own constant codes (never user input)."""
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


def _step(progress: Callable[[int, int], bool] | None, done: int, total: int) -> None:
    if progress:
        progress(done, total)
