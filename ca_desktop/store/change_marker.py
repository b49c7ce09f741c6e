"""A cheap "has anything changed?" for desktops that share their records (a hub, or a
laptop's file written by a command-line import while the GUI is open).

Every change of a record — typed here, imported, merged, by this process or another —
appends a revision, numbered in arrival order (`local_seq`, unique and indexed): the
highest number is the marker, one index probe on either backend. SQLite's
`PRAGMA data_version` was not used: it counts per connection, and the pool hands out
different ones.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection


def marker(conn: Connection) -> int:
    """The newest revision's arrival number (0 for an empty database)."""
    return int(conn.execute(text("SELECT max(local_seq) FROM revision")).scalar() or 0)


def types_since(conn: Connection, seq: int) -> tuple[int, frozenset[str]]:
    """(new marker, record types of the revisions that arrived after `seq`)."""
    newest = marker(conn)
    if newest <= seq:
        return newest, frozenset()
    rows = conn.execute(
        text("SELECT DISTINCT record_type FROM revision WHERE local_seq > :s"), {"s": seq}
    )
    return newest, frozenset(str(r[0]) for r in rows)
