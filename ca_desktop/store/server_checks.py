"""What `Database.check` looks at on a PostgreSQL server.

The server checks its own pages and enforces the foreign keys; what it cannot know is how
CA Desktop's derived rows relate to the revisions: every current-state row must show one of
its record's heads, and the search index must hold exactly the live activities.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.store.tables import RECORD_TABLES

_SHOWN = 20  # problems listed per kind; a count stands for the rest


def problems(conn: Connection) -> list[str]:
    """Readable problems, empty when consistent."""
    found: list[str] = []
    for name in RECORD_TABLES:
        rows = conn.execute(
            text(
                f'SELECT c.id FROM "{name}" c WHERE NOT EXISTS (SELECT 1 FROM record_head h '
                "WHERE h.record_id = c.id AND h.rev_id = c.rev_id) ORDER BY c.id LIMIT :n"
            ),
            {"n": _SHOWN},
        ).scalars()
        found += [f"{name} {rid} shows a revision that is not one of its heads" for rid in rows]
    live = conn.execute(text("SELECT count(*) FROM activity WHERE NOT deleted")).scalar()
    indexed = conn.execute(text("SELECT count(*) FROM activity_fts")).scalar()
    if live != indexed:
        found.append(f"search index: {indexed} entries for {live} live activities")
    return found
