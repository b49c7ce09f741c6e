"""Trusted keys remember who vouched for them: a person here, or a coordinator's list.

Revision ID: 0008
Revises: 0007

An officer verifies one fingerprint, the coordinator's; the coordinator's signed list of
the programme's keys (`sync/trust_list.py`) then adds the others. `vouched_by` is the key
id of the coordinator whose list added a key, NULL for a key a person here compared and
trusted. Only keys a person trusted may issue such lists, and a person's own choice (a
key's role, its laptop) is never overwritten by a list.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vouched_by", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trusted_key", schema=None) as batch_op:
        batch_op.drop_column("vouched_by")
