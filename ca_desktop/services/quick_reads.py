"""Reading a data folder before (or without) the storage stack: the lean read path.

`QuickReads.open(folder)` gives the reads a user waits for at start-up — the first page of
the Activities table and its count, one record and its history — through the bare SQLite
driver (`store/lean_reads.py`), in a process that has not imported SQLAlchemy, SQLModel or
pydantic (more than a second of a cold start on an old laptop). The values are the ones
`CaDesktop` returns; a test compares them on the same database.

None from `open` means the normal path must open the folder: it is locked (encrypted and
not unlocked), not a SQLite file, needs an upgrade or a repair, or has work to finish on
open. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.services import protection
from ca_desktop.services.database_choice import server_named
from ca_desktop.services.history import history_from, merge_histories, part_types
from ca_desktop.services.laptops import LaptopNames
from ca_desktop.services.views import DeviceInfo, HistoryEntry, RecordView
from ca_desktop.store import lean_reads
from ca_desktop.store.activity_sql import Run
from ca_desktop.store.locations import DB_NAME

T = TypeVar("T")


class QuickReads:
    """Read-only access to an open data folder's database without the storage stack."""

    def __init__(self, data_dir: Path, reader: lean_reads.LeanReader, encrypted: bool) -> None:
        self.data_dir = data_dir
        self.encrypted = encrypted
        self._reader = reader

    @classmethod
    def open(cls, data_dir: Path, database: str | None = None) -> QuickReads | None:
        """The folder's reads when its database can be read as it is, else None (also when
        the records live on a server: `database`, the environment or the settings)."""
        if server_named(data_dir, database):
            return None  # the folder's own file, if any, is not the records shown
        try:
            key = protection.key_for(data_dir)
            if key is None and protection.state(data_dir).encrypted:
                return None  # locked: the passphrase is asked on the normal path
        except (OSError, ValueError, protection.ProtectionError):
            return None
        reader = lean_reads.open_reader(data_dir / DB_NAME, key)
        return cls(data_dir, reader, key is not None) if reader is not None else None

    def close(self) -> None:
        self._reader.close()

    def read(self, query: Callable[[Run], T]) -> T:
        """`query(run)` over this folder's database (the Activities SQL of `activity_sql`)."""
        return self._reader.read(query)

    def device(self) -> DeviceInfo | None:
        with self._reader.connection() as con:
            row = lean_reads.device_row(con)
            earlier = lean_reads.predecessors(con)
        if row is None:
            return None
        return DeviceInfo(
            row["device_id"], row["user_name"], row["role"], row["programme_code"], earlier
        )

    def find(self, record_id: str) -> RecordView | None:
        """A record of any type by id, deleted ones included (as `CaDesktop.find`)."""
        with self._reader.connection() as con:
            record_type = lean_reads.record_type_of(con, record_id)
            if record_type not in RECORD_SPECS:
                return None
            stored = lean_reads.read_record(con, record_type, record_id, include_deleted=True)
        return RecordView(*stored) if stored else None

    def history_with_parts(self, record_type: str, record_id: str) -> list[HistoryEntry]:
        """As `CaDesktop.history_with_parts`: the record's history and its parts'."""
        with self._reader.connection() as con:
            parts = [
                rid
                for part_type, link in part_types(record_type)
                for rid in lean_reads.part_ids(con, part_type, link, record_id)
            ]
            return merge_histories(
                [
                    history_from(lean_reads.revisions_of(con, rid), rid)
                    for rid in (record_id, *parts)
                ]
            )

    def laptop_names(self) -> LaptopNames:
        """As `services.laptops.laptop_names`."""
        info = self.device()
        with self._reader.connection() as con:
            owners = lean_reads.device_owners(con)
        return LaptopNames(owners, info.own_devices if info else ())
