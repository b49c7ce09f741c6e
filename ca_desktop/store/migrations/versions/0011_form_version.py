"""The form_version table: form definitions of the data folder's own (imported XLSForms),
carried by reference bundles.

Revision ID: 0011
Revises: 0007 (the lead chains it after the other branches' migrations at merge)
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "form_version",
        sa.Column("num", sa.Integer(), nullable=False),
        sa.Column("id", text(length=36), nullable=False),
        sa.Column("rev_id", text(length=64), nullable=False),
        sa.Column("heads", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_hlc", text(length=19), nullable=False),
        sa.Column("updated_hlc", text(length=19), nullable=False),
        sa.Column("updated_by", text(), nullable=False),
        sa.Column("code", text(), nullable=False),
        sa.Column("version", text(), nullable=False),
        sa.Column("title", text(), nullable=True),
        sa.Column("definition", text(), nullable=False),
        sa.PrimaryKeyConstraint("num"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("form_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_version_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_form_version_updated_hlc"), ["updated_hlc"], unique=False
        )


def downgrade() -> None:
    op.drop_table("form_version")
