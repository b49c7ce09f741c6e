"""`CaDesktop`: the one object the GUI and the CLI call. Qt-free.

Storage stays behind it; it returns plain data (`views.py`). Methods that can take long
accept a `progress` callback (the contract in `ca_desktop.domain.jobs`: it may cancel, and
they then raise `Cancelled` having written nothing) and are meant to be called from a
worker thread by the GUI.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ca_desktop.domain.enums import Role
from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.jobs import Progress
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.domain.schema import unknown_fields
from ca_desktop.domain.validation import FieldIssue, ValidationError, check
from ca_desktop.services import protection
from ca_desktop.services.history import history_of, merge_histories, part_types
from ca_desktop.services.scratch import clean_views
from ca_desktop.services.settings import BACKUP_INTERVAL_HOURS, backup_folder, load_settings
from ca_desktop.services.views import DeviceInfo, HistoryEntry, RecordView
from ca_desktop.store import (
    backend,
    device_queries,
    record_queries,
    record_reads,
    sync_queries,
)
from ca_desktop.store.database import Database, DatabaseLocked, default_data_dir
from ca_desktop.store.revisions import (
    Change,
    NotInitialised,
    current_rev_ids,
    revision_bodies,
    write_local,
)


class CaDesktop:
    """An open data folder: database, attachments and this device's identity."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._locked = False

    @classmethod
    def open(cls, data_dir: Path | None = None, database: str | None = None) -> CaDesktop:
        """Open the folder; an encrypted one must be unlocked first (`protection.unlock`).

        The records live in the folder's own file, or in the PostgreSQL database named by
        `database`, `CA_DESKTOP_DATABASE` or the folder's settings (`database_choice`);
        DatabaseChoiceError when that URL cannot be used.
        """
        from ca_desktop.services import convert, erasure, hub_identity
        from ca_desktop.services.database_choice import chosen_database

        folder = data_dir or default_data_dir()
        url = chosen_database(folder, database)
        key = protection.key_for(folder)
        if key is None and protection.state(folder).encrypted:
            raise DatabaseLocked(f"{folder} is encrypted: unlock it with the passphrase")
        if convert.needs_finishing(folder):  # a conversion was interrupted: complete it
            convert.finish(folder)
        app = cls(Database.open(folder, key, url))
        if app.db.on_server:  # several desktops share the database: which one is this
            hub_identity.apply_scope(folder, app.db.engine)
        erasure.finish_erasures(app)  # one interrupted (a crash, a cancelled import): finish it
        return app

    @property
    def on_server(self) -> bool:
        """Whether the records live on a PostgreSQL server rather than in the folder."""
        return self.db.on_server

    @property
    def encrypted(self) -> bool:
        return self.db.key is not None or self.locked

    @property
    def locked(self) -> bool:
        """Closed by `lock`: every read or write raises DatabaseLocked until `unlock`."""
        return self._locked

    def lock(self) -> None:
        """Close the database and forget the data key (the idle lock); `unlock` reopens.

        The caller makes sure no job is using the database (the GUI waits for its tasks).
        """
        if self.locked or self.db.key is None:
            return  # a plain folder has no key to drop
        folder = self.data_dir
        self.db.close()
        self.db = Database.closed(folder)
        self._locked = True
        protection.lock(folder)

    def unlock(self, passphrase: str) -> None:
        """Derive the data key from `passphrase` again and reopen (raises WrongPassphrase)."""
        if not self.locked:
            protection.check_passphrase(self.data_dir, passphrase)
            return
        folder = self.data_dir
        protection.unlock(folder, passphrase)
        self.db = Database.open(folder, protection.key_for(folder))
        self._locked = False

    def close(self) -> None:
        self.db.close()
        clean_views(self.data_dir)

    @property
    def data_dir(self) -> Path:
        return self.db.data_dir

    # -- device -----------------------------------------------------------------------

    def device(self) -> DeviceInfo | None:
        with self.db.engine.connect() as conn:
            row = device_queries.device_row(conn)
            earlier = device_queries.predecessors(conn)
        if row is None:
            return None
        return DeviceInfo(
            row["device_id"], row["user_name"], row["role"], row["programme_code"], earlier
        )

    def init_device(
        self, user_name: str, role: str, programme_code: str | None = None
    ) -> DeviceInfo:
        """Set up this laptop's identity, or update the name/role/programme if it exists."""
        from ca_desktop.services import hub_identity

        name = user_name.strip()
        if not name:
            raise ValidationError([FieldIssue("name", "is required")])
        try:
            role = Role(role).value
        except ValueError:
            raise ValidationError([FieldIssue("role", "must be officer or coordinator")]) from None
        with backend.write_transaction(self.db.engine) as conn:
            identity = {"user_name": name, "role": role, "programme_code": programme_code}
            if device_queries.device_row(conn):
                device_queries.update_device(conn, identity)
            else:
                device_id = uuid7()
                if self.db.on_server:  # this desktop's own row among the hub's desktops
                    hub_identity.remember(self.data_dir, device_id)
                    hub_identity.apply_scope(self.data_dir, self.db.engine)
                device_queries.create_device(
                    conn,
                    {
                        "device_id": device_id,
                        **identity,
                        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    },
                )
        info = self.device()
        assert info is not None
        for hook in _INIT_HOOKS:
            hook(self, info)
        return info

    def _author(self) -> str:
        info = self.device()
        if info is None:
            raise NotInitialised("this laptop is not set up yet: run 'ca-desktop init'")
        return info.user_name

    # -- records ----------------------------------------------------------------------

    def save(
        self,
        record_type: str,
        data: Mapping[str, Any],
        record_id: str | None = None,
        base_rev: str | None = None,
    ) -> RecordView:
        """Validate and write one record (new when `record_id` is None).

        What `data` leaves out keeps its stored value (the body the editor started from,
        `base_rev`, or else the current one), including fields a newer version wrote:
        an editor that does not show a field never erases it.

        Raises ValidationError naming every field at fault; nothing is written then.
        """
        return self.save_many([Change(record_type, record_id, dict(data), base_rev)])[0]

    def save_many(
        self, changes: Sequence[Change], validate: bool = True, from_revisions: bool = False
    ) -> list[RecordView]:
        """Write several records in one transaction: all of them or none.

        Each body is merged over the stored one as in `save`, then validated. Fields this
        version does not declare are refused unless stored already, or `from_revisions`
        says the bodies come from revisions (a conflict resolved from its versions).
        """
        if validate:
            stored = self._stored_bodies(changes)
            checked = []
            for c in changes:
                body = None
                if c.body is not None:
                    before = stored.get((c.record_id or "", c.base_rev or ""), {})
                    merged = {**before, **c.body}
                    keep = unknown_fields(c.record_type, merged if from_revisions else before)
                    body = check(c.record_type, merged, keep=keep)
                checked.append(replace(c, body=body))
            changes = checked
        author = self._author()
        with backend.write_transaction(self.db.engine) as conn:
            revisions = write_local(conn, author, changes)
            for sign in _SIGNERS:
                # In the write's transaction: a revision and its author's signature together.
                sync_queries.save_signatures(conn, sign(self, [r.rev_id for r in revisions]))
        return [
            RecordView(
                r.record_type, r.record_id, r.rev_id, dict(r.body), r.deleted, 1, r.hlc, r.author
            )
            for r in revisions
        ]

    def _stored_bodies(self, changes: Sequence[Change]) -> dict[tuple[str, str], dict[str, Any]]:
        """{(record id, base rev): the body each change starts from} for existing records."""
        wanted: dict[tuple[str, str], str] = {}
        current: dict[str, list[str]] = {}
        for c in changes:
            if c.record_id is None or c.body is None:
                continue
            if c.base_rev:
                wanted[(c.record_id, c.base_rev)] = c.base_rev
            else:
                current.setdefault(c.record_type, []).append(c.record_id)
        with self.db.engine.connect() as conn:
            for record_type, ids in current.items():
                for rid, rev in current_rev_ids(conn, record_type, ids).items():
                    wanted[(rid, "")] = rev
            bodies = revision_bodies(conn, list(set(wanted.values())))
        return {key: bodies[rev] for key, rev in wanted.items() if rev in bodies}

    def delete(self, record_type: str, record_id: str) -> RecordView:
        """Write a tombstone; the record's history and last content are kept."""
        if self.get(record_type, record_id) is None:
            raise KeyError(f"no {record_type} with id {record_id}")
        return self.save_many([Change(record_type, record_id, None)], validate=False)[0]

    def get(
        self, record_type: str, record_id: str, include_deleted: bool = False
    ) -> RecordView | None:
        """One record as its winning revision says, fields from newer versions included."""
        with self.db.engine.connect() as conn:
            stored = record_reads.read_record(conn, record_type, record_id, include_deleted)
        return RecordView(*stored) if stored else None

    def find(self, record_id: str) -> RecordView | None:
        """A record of any type by id (e.g. from a QR code)."""
        with self.db.engine.connect() as conn:
            record_type = record_reads.record_type_of(conn, record_id)
        if record_type not in RECORD_SPECS:
            return None  # unknown id, or a type only a newer version declares
        return self.get(record_type, record_id, include_deleted=True)

    def list_records(
        self,
        record_type: str,
        where: Mapping[str, Any] | None = None,
        order_by: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        include_deleted: bool = False,
    ) -> list[RecordView]:
        """Records of one type, filtered by equality on columns, ordered by a column."""
        with self.db.engine.connect() as conn:
            rows = record_reads.list_records(
                conn, record_type, where, order_by, limit, offset, include_deleted
            )
        return [RecordView(*r) for r in rows]

    def count(self, record_type: str, include_deleted: bool = False) -> int:
        with self.db.engine.connect() as conn:
            return record_queries.count_records(conn, spec_for(record_type).name, include_deleted)

    def titles(self, record_type: str) -> dict[str, str]:
        """{id: display title} for pickers and for showing references by name."""
        spec = spec_for(record_type)
        with self.db.engine.connect() as conn:
            return record_queries.titles_by_id(conn, spec.name, spec.title_field)

    def history(self, record_id: str) -> list[HistoryEntry]:
        """The record's revisions, oldest first, each with the fields it changed."""
        with self.db.engine.connect() as conn:
            return history_of(conn, record_id)

    def history_with_parts(self, record_type: str, record_id: str) -> list[HistoryEntry]:
        """The record's history and that of the records part of it (an activity's register
        rows, removed ones included), oldest first; `HistoryEntry.record_id` tells whose."""
        parts = [
            view.id
            for part_type, link in part_types(record_type)
            for view in self.list_records(part_type, where={link: record_id}, include_deleted=True)
        ]
        with self.db.engine.connect() as conn:
            return merge_histories([history_of(conn, rid) for rid in (record_id, *parts)])

    # -- sync state shown in the status bar -------------------------------------------

    def unsent_changes(self) -> int:
        """Revisions made on this laptop that no bundle has carried out yet."""
        info = self.device()
        if info is None:
            return 0
        with self.db.engine.connect() as conn:
            sent = device_queries.meta_value(conn, "sent_seq")
            return device_queries.revisions_after(conn, info.device_id, int(sent or 0))

    # -- search -----------------------------------------------------------------------

    def search_activity_ids(self, words: str, limit: int | None = None) -> list[str]:
        """Activities whose title, description, notes or place match `words`, best first.

        The last word matches as a prefix, so results follow the user's typing.
        """
        with self.db.engine.connect() as conn:
            return backend.fts_search(conn, words, limit)

    # -- maintenance ------------------------------------------------------------------

    def check(self) -> list[str]:
        return self.db.check()

    def verify_database(self, progress: Progress | None = None) -> None:
        """SQLite's quick check of the whole file (seconds on a large database: run it in
        the background after the window is up). Writes wait for it; raises DatabaseDamaged,
        after which every write is refused, or `Cancelled`."""
        self.db.verify(progress)

    def backup(self, target: Path, progress: Progress | None = None) -> Path:
        """A checked copy of the database at `target`; `Cancelled` leaves nothing there."""
        return self.db.backup(target, progress)

    def backup_to_folder(self) -> Path:
        """A dated manual backup in the backup folder of the settings."""
        return self.db.backup_now("manual", backup_folder(self.data_dir))

    def backup_if_due(self, max_age_hours: float | None = None) -> Path | None:
        """A dated automatic backup when the last one is older than the schedule in the
        settings (daily, weekly; none when off) or `max_age_hours` if given; the newest ten
        are kept, so a damaged database always has a recent good copy to restore. It goes
        to the backup folder of the settings (the data folder's `backups/` by default).
        Returns the new file, or None when none was due.

        Takes a second or two on a large database: the GUI calls it in the background.
        """
        if self.db.on_server:
            return None  # the server's backups are its own (pg_dump, docs/hub.md)
        settings = load_settings(self.data_dir)
        if max_age_hours is None:
            if settings.backup_schedule not in BACKUP_INTERVAL_HOURS:
                return None  # the user turned automatic backups off
            max_age_hours = BACKUP_INTERVAL_HOURS[settings.backup_schedule]
        folder = backup_folder(self.data_dir, settings)
        backups = sorted(folder.glob("auto-*.sqlite"), key=lambda p: p.stat().st_mtime)
        if backups and time.time() - backups[-1].stat().st_mtime < max_age_hours * 3600:
            return None
        return self.db.backup_now("auto", folder)

    def clock_now(self) -> str:
        info = self.device()
        if info is None:
            return ""
        with self.db.engine.connect() as conn:
            value = device_queries.device_clock(conn)
        return Timestamp.parse(value or "0000000000000.00000").iso()

    def meta(self, key: str) -> str | None:
        with self.db.engine.connect() as conn:
            return device_queries.meta_value(conn, key)

    def set_meta(self, key: str, value: str) -> None:
        with backend.write_transaction(self.db.engine) as conn:
            device_queries.set_meta_value(conn, key, value)


# Called after `init_device` (the sync package registers key creation here, so the core
# does not import upwards).
_INIT_HOOKS: list[Callable[[CaDesktop, DeviceInfo], None]] = []


def on_device_init(hook: Callable[[CaDesktop, DeviceInfo], None]) -> None:
    _INIT_HOOKS.append(hook)


# Sign each revision written here with this laptop's key: (app, rev ids) -> (rev_id, key id,
# signature) rows. The sync package registers it; done at write time (a few revisions at a
# time) rather than at export, where 100,000 at once would slow the bundle down.
_SIGNERS: list[Callable[[CaDesktop, list[str]], list[tuple[str, str, str]]]] = []


def on_revisions_written(
    hook: Callable[[CaDesktop, list[str]], list[tuple[str, str, str]]],
) -> None:
    _SIGNERS.append(hook)
