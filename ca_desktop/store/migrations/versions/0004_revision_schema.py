"""Each revision remembers the record schema its body was written under.

Revision ID: 0004
Revises: 0003

Bodies from older versions are upgraded when read (`domain/schema.py`), never rewritten:
a revision's id is the hash of its body. Every revision so far was written under
schema 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (not a batch copy): record_head refers to revision rows, and SQLite
    # adds a column with a constant default without touching them.
    op.add_column(
        "revision", sa.Column("schema_version", sa.Integer(), nullable=False, server_default="1")
    )


def downgrade() -> None:
    with op.batch_alter_table("revision") as batch:
        batch.drop_column("schema_version")
