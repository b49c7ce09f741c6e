"""Officers' changes kept for a coordinator's review (issue 11): the proposal table.

Revision ID: 0009
Revises: 0007

A table of its own, not rows in `revision`: a proposal is outside the record's graph
(no screen, export or winner sees it) until a coordinator answers it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposal",
        sa.Column("rev_id", sa.String(length=64), primary_key=True),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("parents", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("author", sa.String(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(), nullable=True),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("bundle_id", sa.String(), nullable=False),
        sa.Column("received_at", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("answered_at", sa.String(), nullable=True),
        sa.Column("answered_by", sa.String(), nullable=True),
        sa.Column("answer_rev_id", sa.String(), nullable=True),
    )
    op.create_index("ix_proposal_record_id", "proposal", ["record_id"])
    op.create_index("ix_proposal_status", "proposal", ["status"])


def downgrade() -> None:
    op.drop_index("ix_proposal_status", "proposal")
    op.drop_index("ix_proposal_record_id", "proposal")
    op.drop_table("proposal")
