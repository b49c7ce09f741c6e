"""Damage a database file where the bounded open-time check does not look."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_a_middle_page(path: Path, table: str = "activity") -> int:
    """Scribble over a leaf page of `table` that is neither its first nor its last one.

    Returns the page number. The bounded check reads each table's first and last rows, so
    only the full quick check can find this page.
    """
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        leaves = [
            row[0]
            for row in con.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
                (table,),
            )
        ]
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
    finally:
        con.close()
    assert len(leaves) >= 3, "the table needs at least three leaf pages"
    page = leaves[len(leaves) // 2]
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start + 8 : start + page_size] = b"\xa5" * (page_size - 8)  # cells gone, header kept
    path.write_bytes(bytes(data))
    return page
