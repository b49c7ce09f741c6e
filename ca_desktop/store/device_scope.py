"""Which `local_device` row is "this desktop" on a shared server.

A laptop's file holds one identity row. A hub holds one per coordinator's desktop: each
desktop has its own device id, sequence numbers, clock and signing key (kept in its data
folder), so every change stays attributable and officers bind each key to one device. The
data folder names its row (`services/hub_identity.py`); the engine opened for that folder
carries it here, and every identity query filters by it. On a server, an engine without a
scope has no identity yet ("not set up"), never another desktop's.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection

from ca_desktop.store import backend

_SCOPES: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
NOBODY = "-"  # matches no device id: a server desktop before its setup


def set_scope(engine: Engine, device_id: str) -> None:
    _SCOPES[engine] = device_id


def scope_of(conn: Connection) -> str | None:
    """The device id this connection's desktop is, on a server; None on a laptop's file
    (whose one row is its identity)."""
    if not backend.on_server(conn):
        return None
    return _SCOPES.get(conn.engine, NOBODY)


def scoped(stmt: Any, conn: Connection, column: Any) -> Any:
    """`stmt` limited to this desktop's row when on a server."""
    scope = scope_of(conn)
    return stmt if scope is None else stmt.where(column == scope)
