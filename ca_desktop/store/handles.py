"""The database handles the layers above pass along without using them directly.

Services and sync open connections (`engine.connect()`, `backend.write_transaction`) and hand
them to the query functions of this package; they name these types for their signatures
only, so SQLAlchemy stays an implementation detail of store/.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection as Connection
from sqlalchemy.engine import Engine as Engine

__all__ = ["Connection", "Engine"]
