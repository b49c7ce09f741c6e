"""The grievance's receipt number: the number on the slip the complainant keeps.

Revision ID: 0013
Revises: 0007

Blank grievance forms carry a pre-printed receipt number on a tear-off slip; the same
number is typed in with the grievance, so the complainant can ask about it by number.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("grievance") as batch:
        batch.add_column(
            sa.Column("receipt_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch.create_index("ix_grievance_receipt_number", ["receipt_number"])


def downgrade() -> None:
    with op.batch_alter_table("grievance") as batch:
        batch.drop_index("ix_grievance_receipt_number")
        batch.drop_column("receipt_number")
