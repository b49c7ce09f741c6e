"""Plain data the services hand to the GUI and the CLI (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# What to write, as the services' callers build it: a plain frozen dataclass of the store's.
from ca_desktop.store.changes import Change as Change


@dataclass(frozen=True)
class DeviceInfo:
    device_id: str
    user_name: str
    role: str
    programme_code: str | None
    # Earlier device ids of this laptop, one per restore (each restore starts a new
    # incarnation so no sequence number is ever reused); the same signing key.
    predecessors: tuple[str, ...] = ()

    @property
    def own_devices(self) -> tuple[str, ...]:
        """Every device id this laptop has written revisions under, the current one first."""
        return (self.device_id, *self.predecessors)


@dataclass(frozen=True)
class RecordView:
    record_type: str
    id: str
    rev_id: str
    body: dict[str, Any]
    deleted: bool = False
    heads: int = 1
    updated_hlc: str = ""
    updated_by: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    known: bool = True  # False: a field from a newer version, kept but not editable here


@dataclass(frozen=True)
class HistoryEntry:
    rev_id: str
    parents: tuple[str, ...]
    author: str
    device_id: str
    device_seq: int
    hlc: str
    when: str  # readable UTC time
    deleted: bool
    created: bool
    changes: list[FieldChange] = field(default_factory=list)
    clock_flag: bool = False
    record_type: str = ""
    record_id: str = ""
    # The reason given when this revision erased the record's personal fields (None for
    # any other revision; `domain/personal.py`).
    erased: str | None = None
