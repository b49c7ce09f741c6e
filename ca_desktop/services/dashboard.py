"""The Home dashboard's figures: SQL aggregates over the current-state tables.

Each figure is one aggregate query (in `store/dashboard_queries.py`; no rows are loaded
into Python), so the dashboard stays quick on 100,000 activities. Deleted records never
count. The GUI calls `load_dashboard` from a worker thread and gets plain data back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ca_desktop.domain.enums import ActivityStatus, CufStatus, GrievanceStatus, Level, Sex, Theme
from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.records import PARTICIPANT_CELLS, RECORD_SPECS, participant_field
from ca_desktop.domain.results import DELIVERED_CUF_STATUSES, REACHED_STATUSES
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import dashboard_queries as sql
from ca_desktop.store.handles import Connection

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
        cuf = sql.live_counts(conn, "cuf_project", "status", [m.value for m in CufStatus])
        beneficiaries = sql.cuf_beneficiaries(conn, DELIVERED_CUF_STATUSES)
        grievances = sql.live_counts(
            conn, "grievance", "status", [m.value for m in GrievanceStatus]
        )
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
    rows = sql.latest_revisions(conn, RECENT_TYPES, limit)
    titles = sql.current_titles(conn, [(r[0], r[1]) for r in rows])
    out = []
    for record_type, record_id, author, device_id, hlc, deleted, parents in rows:
        action = "deleted" if deleted else ("created" if parents == "[]" else "edited")
        try:
            when = Timestamp.parse(hlc).iso()
        except ValueError:
            when = hlc
        out.append(
            RecentChange(
                record_type,
                record_id,
                titles.get(record_id, ""),
                author,
                device_id,
                when,
                action,
            )
        )
    return out


def _activity_figures(
    conn: Connection,
) -> tuple[dict[str, int], dict[str, int], dict[str, int], PeopleReached]:
    """Counts by level, status and theme, and people reached.

    Level and status counts come from their indexes (live = all rows minus deleted ones,
    which avoids reading the table); themes and people need the rows, read in one pass.
    """
    by_level = sql.live_counts(conn, "activity", "level", [m.value for m in Level])
    by_status = sql.live_counts(conn, "activity", "status", [m.value for m in ActivityStatus])
    cells = [participant_field(s, y) for s, y in PARTICIPANT_CELLS]
    by_theme, people = sql.activity_themes_and_people(
        conn, [t.value for t in Theme], cells, REACHED_STATUSES
    )
    return by_level, by_status, by_theme, PeopleReached(people)


def _step(progress: Callable[[int, int], bool] | None, done: int, total: int) -> None:
    if progress:
        progress(done, total)
