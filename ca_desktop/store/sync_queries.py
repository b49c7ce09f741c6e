"""The sync layer's SQL: trusted keys, peers' receipts, the import and export ledgers, the
device sequence vector, and the revision-graph look-ups an import checks against.

Plain functions of a connection returning plain values (dicts, tuples, scalars), so a
second backend implements this module and nothing in sync/ changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import col

from ca_desktop.store import backend
from ca_desktop.store.sync_tables import (
    RevisionSignature,
    SyncExport,
    SyncImport,
    SyncPeer,
    TrustedKey,
)
from ca_desktop.store.tables import RECORD_TABLES, DeviceSequence, Meta

Programme: Any = RECORD_TABLES["programme"]  # built from the declaration: no static fields

_CHUNK = 500  # ids per json_each() look-up: few round trips, bounded statement size


def _chunks(ids: Sequence[str], size: int = _CHUNK) -> Iterator[str]:
    for i in range(0, len(ids), size):
        yield json.dumps(list(ids[i : i + size]))


# -- trusted keys --------------------------------------------------------------------------


def trusted_key_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every trusted key (revoked ones too), by user name."""
    rows = conn.execute(select(TrustedKey).order_by(TrustedKey.user_name)).all()  # type: ignore[arg-type]
    return [dict(r._mapping) for r in rows]


def trusted_key_row(conn: Connection, key_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(TrustedKey).where(TrustedKey.key_id == key_id)).first()  # type: ignore[arg-type]
    return dict(row._mapping) if row is not None else None


def save_trusted_key(conn: Connection, values: dict[str, Any]) -> None:
    """Insert or replace one trusted key (all its columns in `values`)."""
    backend.upsert(conn, TrustedKey.__table__, [values], key="key_id", keep=())  # type: ignore[attr-defined]


def set_key_revoked(conn: Connection, key_id: str, when: str) -> None:
    conn.execute(
        TrustedKey.__table__.update()  # type: ignore[attr-defined]
        .where(TrustedKey.key_id == key_id)
        .values(revoked_at=when)
    )


# -- the import ledger, peers and exports ---------------------------------------------------


def import_rows(conn: Connection) -> list[dict[str, Any]]:
    """The import ledger, newest first."""
    rows = conn.execute(select(SyncImport).order_by(SyncImport.imported_at.desc())).all()  # type: ignore[attr-defined]
    return [dict(r._mapping) for r in rows]


def imported_at(conn: Connection, bundle_id: str) -> str | None:
    """When the bundle was imported here, or None if it never was."""
    value = conn.execute(
        select(col(SyncImport.imported_at)).where(SyncImport.bundle_id == bundle_id)  # type: ignore[arg-type]
    ).scalar()
    return str(value) if value is not None else None


def record_import(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(SyncImport).values(**values))


def export_rows(conn: Connection) -> list[dict[str, Any]]:
    """Bundles written here, newest first."""
    rows = conn.execute(select(SyncExport).order_by(SyncExport.sender_seq.desc())).all()  # type: ignore[attr-defined]
    return [dict(r._mapping) for r in rows]


def last_sender_seq(conn: Connection) -> int:
    """The sequence number of the newest bundle written here (0 before the first)."""
    value = conn.execute(text("SELECT COALESCE(MAX(sender_seq), 0) FROM sync_export")).scalar()
    return int(value or 0)


def record_export(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(SyncExport).values(**values))


def peer_last_seq(conn: Connection, key_id: str) -> int | None:
    """The newest sender sequence imported from the key, or None if none was."""
    value = conn.execute(
        select(col(SyncPeer.last_sender_seq)).where(SyncPeer.key_id == key_id)  # type: ignore[arg-type]
    ).scalar()
    return int(value) if value is not None else None


def peer_incarnation(conn: Connection, key_id: str) -> tuple[str, int] | None:
    """(device id, newest sender seq) of the peer incarnation whose receipt we keep."""
    row = conn.execute(
        select(col(SyncPeer.device_id), col(SyncPeer.last_sender_seq)).where(
            SyncPeer.key_id == key_id  # type: ignore[arg-type]
        )
    ).first()
    return (str(row[0]), int(row[1])) if row is not None else None


def peer_receipt(conn: Connection, key_id: str) -> str | None:
    """The JSON known-state vector the peer sent last, or None."""
    value = conn.execute(select(col(SyncPeer.receipt)).where(SyncPeer.key_id == key_id)).scalar()  # type: ignore[arg-type]
    return str(value) if value else None


def save_peer(conn: Connection, values: dict[str, Any]) -> None:
    backend.upsert(conn, SyncPeer.__table__, [values], key="key_id", keep=())  # type: ignore[attr-defined]


# -- incarnations: device ids a signing key has claimed ------------------------------------

_BOUND = "device_key:"  # meta key prefix: device id -> the key id that claimed it


def key_of_device(conn: Connection, device_id: str) -> str | None:
    """The key a device id belongs to: a trusted key made under it, or one that claimed it."""
    row = conn.execute(
        select(col(TrustedKey.key_id)).where(TrustedKey.device_id == device_id)  # type: ignore[arg-type]
    ).first()
    if row is not None:
        return str(row[0])
    value = conn.execute(
        select(col(Meta.value)).where(Meta.key == _BOUND + device_id)  # type: ignore[arg-type]
    ).scalar()
    return str(value) if value is not None else None


def keys_signing_for_device(conn: Connection, device_id: str) -> set[str]:
    """Key ids whose signatures we hold on revisions written as `device_id` (relayed work
    of a laptop whose key may not be trusted here yet)."""
    rows = backend.driver_sql(
        conn,
        "SELECT DISTINCT s.key_id FROM revision r JOIN revision_signature s"
        " ON s.rev_id = r.rev_id WHERE r.device_id = ?",
        (device_id,),
    ).all()
    return {str(r[0]) for r in rows}


def bind_devices(conn: Connection, key_id: str, device_ids: Sequence[str]) -> None:
    """Remember that `key_id` signed bundles as these device ids (its incarnations)."""
    rows = [{"key": _BOUND + d, "value": key_id} for d in device_ids]
    if rows:
        backend.upsert(conn, Meta.__table__, rows, key="key", keep=())  # type: ignore[attr-defined]


def save_signatures(conn: Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    """Keep (rev_id, key id, signature) rows; a revision's first kept signature stays."""
    backend.insert_ignore(
        conn,
        RevisionSignature.__table__,  # type: ignore[attr-defined]
        ("rev_id", "key_id", "signature"),
        list(rows),
    )


# -- reference data -----------------------------------------------------------------------


def programme_known(conn: Connection, code: str) -> bool:
    """Whether a live programme with this code is on this laptop."""
    row = conn.execute(
        select(col(Programme.id)).where(Programme.code == code, Programme.deleted == False)  # type: ignore[arg-type]  # noqa: E712
    ).first()
    return row is not None


# -- devices and their sequences ------------------------------------------------------------


def device_vector(conn: Connection) -> list[tuple[str, int, int]]:
    """(device_id, contiguous_seq, max_seq) for every device we hold revisions of."""
    rows = conn.execute(
        select(
            col(DeviceSequence.device_id),
            col(DeviceSequence.contiguous_seq),
            col(DeviceSequence.max_seq),
        )
    ).all()
    return [(d, int(c), int(m)) for d, c, m in rows]


def trusted_names_by_device(conn: Connection) -> dict[str, str]:
    """{device id: user name of its trusted key}, incarnations (restores) included."""
    keys = {r.key_id: r for r in conn.execute(select(TrustedKey)).all()}
    names = {r.device_id: r.user_name for r in keys.values()}
    bound = conn.execute(
        select(col(Meta.key), col(Meta.value)).where(col(Meta.key).startswith(_BOUND))
    ).all()
    for key, key_id in bound:
        if key_id in keys:
            names.setdefault(key.removeprefix(_BOUND), keys[key_id].user_name)
    return names


def device_owners(conn: Connection) -> dict[str, tuple[str, str]]:
    """{device id: (user name, fingerprint) of the key it is bound to}, incarnations included."""
    keys = {r.key_id: r for r in conn.execute(select(TrustedKey)).all()}
    owners = {r.device_id: (r.user_name, r.fingerprint) for r in keys.values()}
    bound = conn.execute(
        select(col(Meta.key), col(Meta.value)).where(col(Meta.key).startswith(_BOUND))
    ).all()
    for key, key_id in bound:
        if key_id in keys:
            owners.setdefault(
                key.removeprefix(_BOUND), (keys[key_id].user_name, keys[key_id].fingerprint)
            )
    return owners


def last_import_by_device(conn: Connection) -> dict[str, str]:
    """{sender device: when its newest bundle was imported}."""
    rows = conn.execute(
        select(col(SyncImport.sender_device_id), col(SyncImport.imported_at)).order_by(
            SyncImport.imported_at  # type: ignore[arg-type]
        )
    ).all()
    return {d: t for d, t in rows}


def last_author_by_device(conn: Connection) -> dict[str, str]:
    """{device: the author of its newest revision here}, for devices without a trusted key."""
    return dict(
        conn.exec_driver_sql(  # type: ignore[arg-type]
            "SELECT r.device_id, r.author FROM revision r JOIN (SELECT device_id, "
            "MAX(local_seq) AS newest FROM revision GROUP BY device_id) n "
            "ON n.device_id = r.device_id AND r.local_seq = n.newest"
        ).all()
    )


def sequence_counts_by_device(conn: Connection) -> dict[str, int]:
    """{device: how many distinct sequence numbers of it we hold}."""
    return {
        d: int(n)
        for d, n in conn.exec_driver_sql(
            "SELECT device_id, COUNT(DISTINCT device_seq) FROM revision GROUP BY device_id"
        ).all()
    }


# -- the revision graph ----------------------------------------------------------------------


def records_with_revisions(conn: Connection, record_ids: Sequence[str]) -> set[str]:
    """Which of `record_ids` already have at least one revision here."""
    out: set[str] = set()
    for ids in _chunks(record_ids, 900):
        out.update(
            conn.execute(
                text(
                    "SELECT DISTINCT record_id FROM revision WHERE record_id IN "
                    "(SELECT value FROM json_each(:ids))"
                ),
                {"ids": ids},
            ).scalars()
        )
    return out


def count_conflicted(conn: Connection, record_ids: Sequence[str]) -> int:
    """How many of `record_ids` have more than one head."""
    total = 0
    for ids in _chunks(record_ids, 900):
        total += (
            conn.execute(
                text(
                    "SELECT COUNT(*) FROM (SELECT record_id FROM record_head WHERE record_id IN "
                    "(SELECT value FROM json_each(:ids)) GROUP BY record_id HAVING COUNT(*) > 1)"
                ),
                {"ids": ids},
            ).scalar()
            or 0
        )
    return int(total)


def records_of_revisions(conn: Connection, rev_ids: Sequence[str]) -> dict[str, str]:
    """{rev_id: record_id} for those of `rev_ids` stored here."""
    out: dict[str, str] = {}
    for ids in _chunks(rev_ids):
        out.update(
            conn.execute(
                text(
                    "SELECT rev_id, record_id FROM revision WHERE rev_id IN "
                    "(SELECT value FROM json_each(:ids))"
                ),
                {"ids": ids},
            ).all()  # type: ignore[arg-type]
        )
    return out


def types_of_records(conn: Connection, record_ids: Sequence[str]) -> dict[str, str]:
    """{record_id: record_type} for those of `record_ids` with revisions here."""
    out: dict[str, str] = {}
    for ids in _chunks(record_ids):
        out.update(
            conn.execute(
                text(
                    "SELECT record_id, MIN(record_type) FROM revision WHERE record_id IN "
                    "(SELECT value FROM json_each(:ids)) GROUP BY record_id"
                ),
                {"ids": ids},
            ).all()  # type: ignore[arg-type]
        )
    return out


def revisions_to_export(
    conn: Connection,
    base: dict[str, int],
    device_ids: Sequence[str] | None = None,
    record_types: Sequence[str] | None = None,
    relay_signed: bool = False,
) -> Iterator[Sequence[Any]]:
    """Revisions past `base` ({device: contiguous seq} the recipient has), in local order.

    Only those made under `device_ids` when given (and, with `relay_signed`, any other
    that carries its author's signature); only `record_types` when given. Rows are
    (rev_id, record_id, record_type, parents JSON, device_id, device_seq, hlc, author,
    deleted, body JSON, schema version, signer key id, signature), streamed: an export of 100k revisions never holds them twice.
    """
    where = (
        "r.device_seq > "
        "COALESCE(CAST(json_extract(:base, '$.\"' || r.device_id || '\"') AS BIGINT), 0)"
    )
    params: dict[str, object] = {"base": json.dumps(base)}
    if device_ids is not None:
        own = "r.device_id IN (SELECT value FROM json_each(:own))"
        where += f" AND ({own} OR s.signature IS NOT NULL)" if relay_signed else f" AND {own}"
        params["own"] = json.dumps(list(device_ids))
    if record_types is not None:
        where += " AND r.record_type IN (SELECT value FROM json_each(:types))"
        params["types"] = json.dumps(list(record_types))
    yield from conn.execute(
        text(
            "SELECT r.rev_id, record_id, record_type, parents, device_id, device_seq, hlc, author,"
            " deleted, body, schema_version, s.key_id, s.signature FROM revision r"
            f" LEFT JOIN revision_signature s ON s.rev_id = r.rev_id WHERE {where}"
            " ORDER BY local_seq"
        ),
        params,
    )
