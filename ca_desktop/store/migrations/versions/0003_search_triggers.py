"""Keep the activity search index up to date with triggers.

Revision ID: 0003
Revises: 0002

Indexing in SQLite itself, in the same statement that writes the row, removes a round trip
per batch from Python and cannot drift from the table. The index is rebuilt from the table
here, so databases indexed by the earlier Python code end up identical.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_VALUES = (
    "new.num, new.title, coalesce(new.description, ''), coalesce(new.notes, ''), "
    "coalesce((SELECT name FROM place WHERE place.id = new.place_id), '')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # a server's index and its trigger come with 0005
    op.execute(
        "CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity WHEN new.deleted = 0 "
        f"BEGIN INSERT INTO activity_fts(rowid, title, description, notes, place) VALUES ({_VALUES}); END"
    )
    op.execute(
        "CREATE TRIGGER activity_fts_update AFTER UPDATE ON activity BEGIN "
        "DELETE FROM activity_fts WHERE rowid = old.num; "
        f"INSERT INTO activity_fts(rowid, title, description, notes, place) SELECT {_VALUES} "
        "WHERE new.deleted = 0; END"
    )
    op.execute(
        "CREATE TRIGGER activity_fts_delete AFTER DELETE ON activity BEGIN "
        "DELETE FROM activity_fts WHERE rowid = old.num; END"
    )
    op.execute("DELETE FROM activity_fts")
    op.execute(
        "INSERT INTO activity_fts(rowid, title, description, notes, place) "
        "SELECT a.num, a.title, coalesce(a.description, ''), coalesce(a.notes, ''), "
        "coalesce(p.name, '') FROM activity a LEFT JOIN place p ON p.id = a.place_id "
        "WHERE a.deleted = 0"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("activity_fts_insert", "activity_fts_update", "activity_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
