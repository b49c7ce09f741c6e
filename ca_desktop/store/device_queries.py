"""This laptop's identity, its clock and small settings (the `meta` table), and what it has
not sent yet. Plain values out."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection
from sqlmodel import col

from ca_desktop.store import backend
from ca_desktop.store.device_scope import scope_of, scoped
from ca_desktop.store.tables import LocalDevice, Meta
from ca_desktop.store.tables import Revision as RevisionRow


def device_row(conn: Connection) -> dict[str, Any] | None:
    """This laptop's identity row (device_id, user_name, role, ...), or None before setup."""
    row = conn.execute(scoped(select(LocalDevice), conn, LocalDevice.device_id)).first()
    return dict(row._mapping) if row is not None else None


def create_device(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(LocalDevice.__table__.insert().values(**values))  # type: ignore[attr-defined]


def update_device(conn: Connection, values: dict[str, Any]) -> None:
    stmt = LocalDevice.__table__.update().values(**values)  # type: ignore[attr-defined]
    conn.execute(scoped(stmt, conn, LocalDevice.__table__.c.device_id))  # type: ignore[attr-defined]


def device_clock(conn: Connection) -> str | None:
    """This laptop's last hybrid logical clock value, or None before setup."""
    stmt = scoped(select(col(LocalDevice.clock)), conn, LocalDevice.device_id)
    value = conn.execute(stmt).scalar()
    return str(value) if value is not None else None


def set_device_clock(conn: Connection, value: str) -> None:
    conn.execute(scoped(update(LocalDevice).values(clock=value), conn, LocalDevice.device_id))


# What one desktop knows about itself: on a hub, each desktop keeps its own (`device_scope`).
_PER_DESKTOP = frozenset({"sent_seq", "exported_own_seq", "predecessors"})


def _key(conn: Connection, key: str) -> str:
    scope = scope_of(conn) if key in _PER_DESKTOP else None
    return key if scope is None else f"{key}@{scope}"


def meta_value(conn: Connection, key: str) -> str | None:
    key = _key(conn, key)
    value = conn.execute(select(col(Meta.value)).where(Meta.key == key)).scalar()  # type: ignore[arg-type]
    return str(value) if value is not None else None


def set_meta_value(conn: Connection, key: str, value: str) -> None:
    key = _key(conn, key)
    backend.upsert(conn, Meta.__table__, [{"key": key, "value": value}], key="key", keep=())  # type: ignore[attr-defined]


def predecessors(conn: Connection) -> tuple[str, ...]:
    """This laptop's earlier device ids (one per restore), from the `meta` table."""
    value = meta_value(conn, "predecessors")
    try:
        ids = json.loads(value) if value else []
    except ValueError:
        return ()
    return tuple(str(i) for i in ids) if isinstance(ids, list) else ()


def revisions_after(conn: Connection, device_id: str, seq: int) -> int:
    """How many revisions of `device_id` have a sequence number above `seq`."""
    value = conn.execute(
        select(func.count())
        .select_from(RevisionRow)
        .where(
            RevisionRow.device_id == device_id,  # type: ignore[arg-type]
            RevisionRow.device_seq > seq,  # type: ignore[arg-type]
        )
    ).scalar()
    return int(value or 0)
