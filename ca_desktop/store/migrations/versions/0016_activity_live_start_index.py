"""A covering index for the Activities page's default order (live activities, newest first).

Revision ID: 0016
Revises: 0013

The page first asks for the `num` of every live activity by start date. The declared
index on `start_date` holds no `deleted`, so SQLite read every activity row to test it: the
whole table, about 1.6 s at 100,000 activities right after an unlock, when an encrypted
database decrypts each page it reads for the first time (issue 14's unlock goal is 1.5 s
from passphrase to rows, scrypt included). Partial on `deleted = 0` and holding the rowid
(`num`), this index answers that query alone: 0.1 s (`bench/bench_encryption.py`).
Named like the other sort indexes (0012), which the declared tables do not model.
"""

from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_activity_sort_live_start ON activity (start_date) "
        "WHERE deleted = 0"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_activity_sort_live_start")
