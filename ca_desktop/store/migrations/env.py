"""Alembic environment: always run with a connection handed over by `store.migrate`."""

from alembic import context
from sqlmodel import SQLModel

import ca_desktop.store.sync_tables  # noqa: F401
import ca_desktop.store.tables  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
context.run_migrations()
