"""What a caller asks the write path to store: a plain value, importable without the
storage stack (the GUI's modules name it before the database is open)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One record to write: a new body, or a deletion when `body` is None."""

    record_type: str
    record_id: str | None
    body: dict[str, Any] | None
    base_rev: str | None = None  # the revision the editor started from, if known
    # Only a conflict resolution makes every head a parent (closing the conflict); an
    # ordinary edit descends from the version shown and leaves the conflict open.
    resolves: bool = False
    # A deletion that still carries a body: the erasure of a deleted record's personal
    # fields (`domain/personal.py`) keeps it deleted.
    deleted: bool = False
