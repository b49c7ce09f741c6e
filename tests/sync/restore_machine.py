"""A stateful model of a field team's sync, with restores (issue 10).

A coordinator and two officers edit fields, counts and register rows, delete, export (some `--full`),
deliver bundles in any order with duplicates, losses and replays of old ones, resolve
conflicts on any laptop, edit records in conflict, back up, and restore from healthy and
damaged databases. After the schedule, the lost sticks turn up and everyone exchanges until
quiet; then every laptop must show the same records, tombstones and open conflicts, the
coordinator must hold every edit that survived somewhere, nothing may wait to be sent and
`db check` must be clean.

Used by `test_restore_property.py` (a few examples in CI) and `bench/soak_sync.py`
(thousands).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from sync_helpers import Laptop, make_laptop, replica_state

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import restore_backup
from ca_desktop.sync.keys import load_keys
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.service import SyncService

NAMES = ("amina", "brian", "coord")
ROUTES = (("amina", "coord"), ("brian", "coord"), ("coord", "amina"), ("coord", "brian"))
PROGRAMME = {"kind": "country_programme", "country": "UG"}
_numbers = itertools.count()


def make_template(root: Path) -> Path:
    """Three laptops that trust each other and share one programme, closed (copied per run)."""
    laps = {n: make_laptop(root, n, "coordinator" if n == "coord" else "officer") for n in NAMES}
    laps["amina"].trust(laps["coord"])
    laps["brian"].trust(laps["coord"])
    laps["coord"].trust(laps["amina"], laps["brian"])
    pid = laps["coord"].app.save("programme", {**PROGRAMME, "code": "UG-CP", "name": "Uganda"}).id
    for officer in ("amina", "brian"):
        laps[officer].receive(laps["coord"].send(laps[officer]))
    for lap in laps.values():
        lap.app.close()
    (root / "programme_id").write_text(pid)
    return root


def visible(app: CaDesktop) -> dict[str, Any]:
    """Records (live and tombstones, with content) and heads, as every laptop must agree."""
    out: dict[str, Any] = {}
    for record_type in ("programme", "activity", "attendance_entry"):
        for r in app.list_records(record_type, include_deleted=True):
            out[r.id] = (r.rev_id, r.deleted, r.heads, sorted(r.body.items(), key=str))
    return out


class TeamSync(RuleBasedStateMachine):
    template: Path  # set by the user of the machine
    workdir: Path

    @initialize()
    def open_laptops(self) -> None:
        self.root = self.workdir / f"run{next(_numbers)}"
        shutil.copytree(self.template, self.root)
        self.pid = (self.root / "programme_id").read_text()
        self.laps: dict[str, Laptop] = {}
        for n in NAMES:
            app = CaDesktop.open(self.root / n)
            self.laps[n] = Laptop(n, app, SyncService(app), self.root)
        self.pool: list[tuple[Path, str]] = []  # bundles written, maybe never delivered
        self.made: dict[str, set[str]] = {n: set() for n in NAMES}  # rev ids by laptop
        self.lost: set[str] = set()  # revisions that vanished with a restore, nowhere else
        self.backups: dict[str, list[Path]] = {n: [] for n in NAMES}
        # Who created each record: officers change only their own (issue 11); what they
        # may not change alone would wait in the coordinator's review queue.
        self.creator: dict[str, str] = {self.pid: "coord"}

    # -- edits ------------------------------------------------------------------------

    def _records(self, who: str, record_type: str) -> list[Any]:
        records = self.laps[who].app.list_records(record_type, order_by="id")
        return [r for r in records if self._may_change(who, record_type, r.id, r.body)]

    def _may_change(self, who: str, record_type: str, record_id: str, body: Any) -> bool:
        if who == "coord":
            return True
        if record_type == "programme":
            return False  # reference data: an officer's change is only a proposal
        owner = body.get("activity_id") if record_type == "attendance_entry" else record_id
        return self.creator.get(owner) == who

    @rule(
        who=st.sampled_from(NAMES), k=st.integers(0, 3), field=st.sampled_from(["name", "country"])
    )
    def edit_programme(self, who: str, k: int, field: str) -> None:
        app, n = self.laps[who].app, next(_numbers)
        records = self._records(who, "programme")
        if k >= len(records):
            rec = app.save(
                "programme", {**PROGRAMME, "code": f"P{n:05d}", "name": f"Programme {n}"}
            )
            self.creator[rec.id] = who
        else:
            body = dict(records[k].body)
            body[field] = f"N{n}" if field == "name" else ["UG", "GH", "KE"][n % 3]
            rec = app.save("programme", body, record_id=records[k].id, base_rev=records[k].rev_id)
        self.made[who].add(rec.rev_id)

    @rule(who=st.sampled_from(NAMES), k=st.integers(0, 3), count=st.integers(0, 40))
    def edit_counts(self, who: str, k: int, count: int) -> None:
        app = self.laps[who].app
        records = self._records(who, "activity")
        if k >= len(records):
            body = {
                "programme_id": self.pid, "level": "community", "type": "settlement_forum",
                "themes": ["gender"], "title": f"Forum {next(_numbers)}", "start_date": "2026-11-02",
                "status": "completed", "female_youth": count,
            }  # fmt: skip
            rec = app.save("activity", body)
            self.creator[rec.id] = who
        else:
            body = {**records[k].body, "female_youth": count}
            rec = app.save("activity", body, record_id=records[k].id, base_rev=records[k].rev_id)
        self.made[who].add(rec.rev_id)

    @rule(who=st.sampled_from(NAMES), k=st.integers(0, 3), j=st.integers(0, 3))
    def edit_register(self, who: str, k: int, j: int) -> None:
        """A register row of an activity: typed in, or its name corrected."""
        app = self.laps[who].app
        activities = self._records(who, "activity")
        if k >= len(activities):
            return
        aid = activities[k].id
        rows = app.list_records("attendance_entry", where={"activity_id": aid}, order_by="id")
        n = next(_numbers)
        if j >= len(rows):
            body = {"activity_id": aid, "line": n, "name": f"Person {n}", "sex": "female",
                    "age_band": "15_24"}  # fmt: skip
            rec = app.save("attendance_entry", body)
            self.creator[rec.id] = who
        else:
            body = {**rows[j].body, "name": f"Corrected {n}"}
            rec = app.save("attendance_entry", body, record_id=rows[j].id, base_rev=rows[j].rev_id)
        self.made[who].add(rec.rev_id)

    @rule(
        who=st.sampled_from(NAMES),
        k=st.integers(0, 3),
        record_type=st.sampled_from(["programme", "activity", "attendance_entry"]),
    )
    def delete(self, who: str, k: int, record_type: str) -> None:
        records = self._records(who, record_type)
        if k < len(records) and not (record_type == "programme" and records[k].id == self.pid):
            self.made[who].add(self.laps[who].app.delete(record_type, records[k].id).rev_id)

    @rule(who=st.sampled_from(NAMES), k=st.integers(0, 5))
    def edit_in_conflict(self, who: str, k: int) -> None:
        conflicts = self.laps[who].sync.conflicts()
        if conflicts:
            c = conflicts[k % len(conflicts)]
            rec = self.laps[who].app.get(c.record_type, c.record_id)
            if (
                rec is not None
                and c.record_type == "activity"
                and self._may_change(who, c.record_type, rec.id, rec.body)
            ):
                body = {**rec.body, "male_youth": next(_numbers) % 50}
                view = self.laps[who].app.save(
                    c.record_type, body, record_id=rec.id, base_rev=rec.rev_id
                )
                self.made[who].add(view.rev_id)

    @rule(who=st.sampled_from(NAMES), k=st.integers(0, 5))
    def resolve(self, who: str, k: int) -> None:
        sync = self.laps[who].sync
        conflicts = [
            c
            for c in sync.conflicts()
            if self._may_change(who, c.record_type, c.record_id, _any_body(c))
        ]
        if conflicts:
            c = conflicts[k % len(conflicts)]
            if c.kind == "soft":
                view = sync.resolve(c.record_id, accept_merge=True)
            else:
                view = sync.resolve(c.record_id, take=c.winner)
            self.made[who].add(view.rev_id)

    # -- bundles ----------------------------------------------------------------------

    @rule(route=st.sampled_from(ROUTES), full=st.booleans())
    def export(self, route: tuple[str, str], full: bool) -> None:
        sender, recipient = route
        self.pool.append((self.laps[sender].send(self.laps[recipient], full=full), recipient))

    @rule(i=st.integers(0, 100))
    def deliver(self, i: int) -> None:
        """Any bundle written so far: in any order, again (a replay), or never (a loss)."""
        if self.pool:
            path, recipient = self.pool[i % len(self.pool)]
            self._deliver(recipient, path)

    def _deliver(self, recipient: str, path: Path) -> None:
        result = self.laps[recipient].receive(path)
        # A coordinator's older bundle after a newer one of the same incarnation is refused
        # (harmless: the newer one carried everything it did that we lacked).
        assert (
            result.status != "rejected" or "replayed older coordinator bundle" in result.reason
        ), result

    # -- backups and restores ---------------------------------------------------------

    @rule(who=st.sampled_from(NAMES))
    def backup(self, who: str) -> None:
        lap = self.laps[who]
        target = self.root / f"{who}-backup-{next(_numbers)}.sqlite"
        self.backups[who].append(lap.app.db.backup(target))

    @precondition(lambda self: any(self.backups.values()))
    @rule(who=st.sampled_from(NAMES), i=st.integers(0, 10), damaged=st.booleans())
    def restore(self, who: str, i: int, damaged: bool) -> None:
        if not self.backups[who]:
            return
        source = self.backups[who][i % len(self.backups[who])]
        lap = self.laps[who]
        here = replica_state(lap.app)[1]
        elsewhere = set().union(*(replica_state(self.laps[n].app)[1] for n in NAMES if n != who))
        elsewhere |= self._in_pool()
        lap.app.close()
        db_file = lap.data_dir / "ca-desktop.sqlite"
        if damaged:
            for suffix in ("-wal", "-shm"):
                Path(str(db_file) + suffix).unlink(missing_ok=True)
            db_file.write_bytes(b"\0garbage" * 4096)
        restore_backup(lap.data_dir, source)
        app = CaDesktop.open(lap.data_dir)
        self.laps[who] = Laptop(who, app, SyncService(app), self.root)
        kept = replica_state(app)[1]
        self.lost |= (here - kept) - elsewhere  # made here after the backup, never left

    def _in_pool(self) -> set[str]:
        out: set[str] = set()
        for path, recipient in self.pool:
            lap = self.laps[recipient]
            with OpenBundle(path, load_keys(lap.data_dir), lap.data_dir / "tmp") as bundle:
                out.update(r.rev_id for r in bundle.revisions())
        return out

    # -- the end of a schedule --------------------------------------------------------

    def teardown(self) -> None:
        if not hasattr(self, "laps"):
            return
        try:
            self._settle_and_check()
        finally:
            for lap in self.laps.values():
                lap.app.close()

    def _settle_and_check(self) -> None:
        for path, recipient in self.pool:  # the lost sticks turn up
            self._deliver(recipient, path)
        for _ in range(3):  # an ordinary exchange, until quiet
            for sender, recipient in ROUTES:
                self._deliver(recipient, self.laps[sender].send(self.laps[recipient]))
        views = {n: visible(self.laps[n].app) for n in NAMES}
        assert views["amina"] == views["brian"] == views["coord"]
        states = {n: replica_state(self.laps[n].app) for n in NAMES}
        assert states["amina"] == states["brian"] == states["coord"]
        made = set().union(*self.made.values()) - self.lost
        missing = made - states["coord"][1]
        assert not missing, f"{len(missing)} edits never reached the coordinator"
        for n in NAMES:
            assert self.laps[n].app.unsent_changes() == 0, n
            assert self.laps[n].app.db.check() == [], n


def _any_body(c: Any) -> dict[str, Any]:
    """A conflict's content to tell whose record it is (a deleted version may have none)."""
    return next((dict(v.body) for v in c.versions if v.body), {})
