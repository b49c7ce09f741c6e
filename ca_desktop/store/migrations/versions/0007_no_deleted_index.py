"""Drop the single-column indexes on `deleted`.

Revision ID: 0007
Revises: 0006

Almost every row has deleted = 0, so an index on it selects nothing, yet without
statistics SQLite's planner preferred it to the index that does select (fetching an
activity's register walked every register row through `ix_attendance_entry_deleted`).
The planner now picks the column the query really filters on; `PRAGMA optimize` on close
keeps its statistics.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = (
    "programme",
    "place",
    "organisation",
    "activity",
    "attendance_entry",
    "cuf_project",
    "grievance",
    "attachment",
    "form_submission",
)


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_deleted")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_deleted ON {table} (deleted)")
