"""The winner rule and laptops whose clocks are years off."""

from __future__ import annotations

from dataclasses import dataclass

from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.winner import SUSPECT_LEAD_MS, choose_winner, is_suspect, others_latest
from ca_desktop.store import backend
from ca_desktop.store.tables import LocalDevice

DAY = 24 * 3600 * 1000
NOV_2026 = 1_795_000_000_000


@dataclass
class Head:
    rev_id: str
    hlc: str
    deleted: bool = False
    others_latest_ms: int | None = None


def stamp(ms: int) -> str:
    return str(Timestamp(ms, 0))


def test_deletion_wins_then_a_believable_clock_then_the_latest() -> None:
    edit = Head("b" * 64, stamp(NOV_2026 + DAY))
    tomb = Head("a" * 64, stamp(NOV_2026), deleted=True)
    assert choose_winner([edit, tomb]) is tomb
    early, late = Head("a" * 64, stamp(NOV_2026)), Head("b" * 64, stamp(NOV_2026 + DAY))
    assert choose_winner([late, early]) is late
    assert choose_winner([Head("c" * 64, stamp(NOV_2026)), Head("d" * 64, stamp(NOV_2026))]).rev_id == "d" * 64


def test_a_clock_years_ahead_does_not_win() -> None:
    honest = Head("a" * 64, stamp(NOV_2026), others_latest_ms=NOV_2026 + 5 * 365 * DAY)
    ahead = Head("b" * 64, stamp(NOV_2026 + 5 * 365 * DAY), others_latest_ms=NOV_2026)
    assert choose_winner([honest, ahead]) is honest
    # A week later is just later.
    week = Head("c" * 64, stamp(NOV_2026 + 7 * DAY), others_latest_ms=NOV_2026)
    assert choose_winner([honest, week]) is week


def test_suspect_rule_reads_only_the_record() -> None:
    history = [("dev-a", stamp(NOV_2026)), ("dev-b", stamp(NOV_2026 + 3 * 365 * DAY))]
    assert others_latest(history, "dev-b") == NOV_2026
    assert others_latest(history, "dev-c") == NOV_2026 + 3 * 365 * DAY
    assert others_latest([("dev-a", stamp(NOV_2026))], "dev-a") is None
    assert is_suspect(NOV_2026 + SUSPECT_LEAD_MS + 1, NOV_2026)
    assert not is_suspect(NOV_2026 + SUSPECT_LEAD_MS, NOV_2026)
    assert is_suspect(1_000_000_000_000, None)  # 2001: before CA Desktop existed


def _set_clock(lap: Laptop, ms: int) -> None:
    with backend.write_transaction(lap.app.db.engine) as conn:
        conn.execute(LocalDevice.__table__.update().values(clock=stamp(ms)))  # type: ignore[attr-defined]


def test_laptop_years_ahead_is_flagged_kept_and_loses_the_conflict(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    aid = amina.app.save("activity", activity(pid)).id
    coord.receive(amina.send(coord))
    amina.receive(coord.send(amina))
    _set_clock(amina, Timestamp.parse(coord.app.get("activity", aid).updated_hlc).wall_ms + 6 * 365 * DAY)  # type: ignore[union-attr]
    amina.app.save("activity", activity(pid, title="From the future"), record_id=aid)
    coord.app.save("activity", activity(pid, title="Honest edit"), record_id=aid)
    clock_before = coord.app.clock_now()
    result = coord.receive(amina.send(coord))
    assert result.flagged_clocks == 1
    assert coord.app.clock_now() == clock_before  # never folded into our clock
    rec = coord.app.get("activity", aid)
    assert rec is not None and rec.heads == 2 and rec.body["title"] == "Honest edit"
    history = coord.app.history(aid)
    assert any(e.clock_flag for e in history) and len(history) == 3
