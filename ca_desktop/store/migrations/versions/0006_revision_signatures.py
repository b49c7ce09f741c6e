"""Each revision may carry its author's signature, so any laptop can relay it.

Revision ID: 0006
Revises: 0005

A table beside `revision` (not a column): the revision row stays as hashed and written,
and a signature learnt later (relayed from elsewhere) is a plain insert.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "revision_signature",
        sa.Column("rev_id", sa.String(length=64), primary_key=True),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("revision_signature")
