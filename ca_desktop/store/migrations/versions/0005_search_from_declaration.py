"""The activity search index is fed from the fields the declaration marks searchable.

Revision ID: 0005
Revises: 0004

One text column instead of one column per field, so marking another field searchable
changes only the triggers (`store/search_index.py`), not the index's table.
"""

from alembic import op

from ca_desktop.store import search_index

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in ("activity_fts_insert", "activity_fts_update", "activity_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS activity_fts")
    search_index.create_table(conn)
    search_index.install(conn)


_OLD_VALUES = (
    "new.num, new.title, coalesce(new.description, ''), coalesce(new.notes, ''), "
    "coalesce((SELECT name FROM place WHERE place.id = new.place_id), '')"
)


def downgrade() -> None:
    """Back to 0003's index: one column per field, its triggers, rebuilt from the table."""
    for name in ("activity_fts_insert", "activity_fts_update", "activity_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS activity_fts")
    op.execute("DELETE FROM meta WHERE key = 'search_fields'")
    op.execute(
        "CREATE VIRTUAL TABLE activity_fts USING fts5(title, description, notes, place, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    columns = "activity_fts(rowid, title, description, notes, place)"
    op.execute(
        "CREATE TRIGGER activity_fts_insert AFTER INSERT ON activity WHEN new.deleted = 0 "
        f"BEGIN INSERT INTO {columns} VALUES ({_OLD_VALUES}); END"
    )
    op.execute(
        "CREATE TRIGGER activity_fts_update AFTER UPDATE ON activity BEGIN "
        "DELETE FROM activity_fts WHERE rowid = old.num; "
        f"INSERT INTO {columns} SELECT {_OLD_VALUES} WHERE new.deleted = 0; END"
    )
    op.execute(
        "CREATE TRIGGER activity_fts_delete AFTER DELETE ON activity BEGIN "
        "DELETE FROM activity_fts WHERE rowid = old.num; END"
    )
    op.execute(
        f"INSERT INTO {columns} SELECT a.num, a.title, coalesce(a.description, ''), "
        "coalesce(a.notes, ''), coalesce(p.name, '') FROM activity a "
        "LEFT JOIN place p ON p.id = a.place_id WHERE a.deleted = 0"
    )
