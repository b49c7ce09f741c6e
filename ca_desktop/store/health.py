"""The check every open runs: bounded, so a start never waits for a pass over the file.

SQLite's quick_check reads every page (about 1 s at 100,000 activities and 3 s at 300,000
on an old laptop). Opening instead checks what a damaged or truncated file gets wrong
first, in time that does not grow with the data: the header, the schema, and both edges of
every table's b-tree (its first and last rows: the root, the leftmost and rightmost paths,
which hold the pages written last). The full quick check follows before the first write
(`sqlite.WriteGate`), and the thorough integrity check before migrations and on `db check`.
"""

from __future__ import annotations

from pathlib import Path

from ca_desktop.store.sqlite import DatabaseDamaged, connect, driver

MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100


def check_bounded(path: Path, key: bytes | None = None) -> None:
    """Raise DatabaseDamaged unless the header, the schema and every table's edges read.

    An encrypted file (`key`) has no readable header: SQLCipher authenticates every page it
    reads instead, so the schema and the tables' edges are the check."""
    try:
        with path.open("rb") as f:
            header = f.read(HEADER_BYTES)
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseDamaged(f"{path} cannot be read: {exc.strerror or exc}") from None
    if key is None:
        _check_header(path, header, size)
    # The errors of the driver in use: a plain file never loads SQLCipher's module.
    errors = (driver(key).Error,)
    try:
        con = connect(path, key, readonly=True)
    except errors as exc:
        raise DatabaseDamaged(f"{path} cannot be opened: {exc}") from None
    try:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 "
                "AND sql NOT LIKE 'CREATE TABLE % WITHOUT ROWID%'"
            )
        ]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            for order in ("ASC", "DESC"):
                con.execute(f"SELECT * FROM {quoted} ORDER BY rowid {order} LIMIT 1").fetchall()
    except errors as exc:
        raise DatabaseDamaged(f"{path} is not a readable database: {exc}") from None
    finally:
        con.close()


def _check_header(path: Path, header: bytes, size: int) -> None:
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise DatabaseDamaged(f"{path} is not a readable database: no SQLite header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DatabaseDamaged(f"{path} is not a readable database: bad page size")
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its change counter matches (SQLite's own
    # rule); a file shorter than that count lost its end (a copy cut short).
    valid = header[24:28] == header[92:96]
    if valid and pages and size < pages * page_size:
        raise DatabaseDamaged(f"{path} is not a readable database: the file is cut short")
