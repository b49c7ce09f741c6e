"""Indexes for the Activities table's sort orders that had none.

Revision ID: 0012
Revises: 0007

The Activities page fetches one page of a few hundred rows in the chosen order; with an
index matching the order that is a short index walk, without one SQLite reads and sorts
every live activity (0.2-0.4 s at 300,000) for every page and every sort. Title sorts
without case; people, women and youth are sums of the participant counts, indexed as the
same expressions `store/activity_queries.py` sorts by (kept literally here: a migration
must not change when the code does). Partial (`deleted = 0`): the page shows live rows.

The search index is rebuilt with prefix indexes (`search_index.PREFIXES`), so a one- or
two-letter search as you type reads one list instead of merging every word's.
"""

from alembic import op

from ca_desktop.store import search_index

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_PEOPLE = (
    "COALESCE(female_youth, 0) + COALESCE(female_other, 0) + COALESCE(male_youth, 0) + "
    "COALESCE(male_other, 0) + COALESCE(not_recorded_youth, 0) + "
    "COALESCE(not_recorded_other, 0)"
)
_WOMEN = "COALESCE(female_youth, 0) + COALESCE(female_other, 0)"
_YOUTH = "COALESCE(female_youth, 0) + COALESCE(male_youth, 0) + COALESCE(not_recorded_youth, 0)"
INDEXES = {
    "ix_activity_sort_title": "title COLLATE NOCASE",
    "ix_activity_sort_people": f"({_PEOPLE})",
    "ix_activity_sort_women": f"({_WOMEN})",
    "ix_activity_sort_youth": f"({_YOUTH})",
}


def upgrade() -> None:
    for name, expression in INDEXES.items():
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON activity ({expression}) WHERE deleted = 0"
        )
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return  # prefix indexes are FTS5's; a server's GIN index serves prefixes already
    for trigger in ("activity_fts_insert", "activity_fts_update", "activity_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS activity_fts")
    search_index.create_table(conn)
    search_index.install(conn)


def downgrade() -> None:
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
