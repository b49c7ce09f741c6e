"""Which head a record shows while it has more than one: identical on every replica.

The rule reads the record's own revisions (content and causal graph), so every replica
holding the same revisions picks the same head — with one local fact first:
0. a head this laptop *flagged* on arrival (stamped more than a day ahead of its clock,
   `hlc.is_plausible`) loses to every head that is not (issue 11): a laptop whose date
   was set a few days forward would otherwise win every conflict it takes part in. The
   flag is kept per laptop (a revision seen only after its time has come is not
   flagged), so in that rare case two laptops may show different heads of one record in
   conflict until someone resolves it; the conflict itself shows everywhere;
1. a deletion wins over edits, so a late edit never silently brings a deleted record back
   (the edit is kept and offered in conflict review);
2. a head whose clock is *suspect* loses to one whose clock is not. Suspect: before 2020,
   or more than `SUSPECT_LEAD_MS` (a year) after the latest timestamp any *other* device
   wrote on this record. Two honest edits of one record are rarely a year apart while both
   stay unsynchronised; a laptop set years ahead is. Without this a laptop whose clock is
   years ahead would win every conflict it takes part in, since no replica can tell a
   later edit from a wrong clock by the timestamps alone;
3. then the latest hybrid-clock timestamp;
4. then the larger revision id, a content hash, as the final tie-break.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ca_desktop.domain.hlc import EARLIEST_PLAUSIBLE_MS, Timestamp

SUSPECT_LEAD_MS = 365 * 24 * 3600 * 1000


class HeadLike(Protocol):
    @property
    def rev_id(self) -> str: ...
    @property
    def hlc(self) -> str: ...
    @property
    def deleted(self) -> bool: ...


def is_suspect(wall_ms: int, others_latest_ms: int | None) -> bool:
    """True when a timestamp should not count as "later" in a conflict (see module doc)."""
    if wall_ms < EARLIEST_PLAUSIBLE_MS:
        return True
    return others_latest_ms is not None and wall_ms > others_latest_ms + SUSPECT_LEAD_MS


def winner_key(head: HeadLike) -> tuple[bool, bool, bool, str, str]:
    ts = Timestamp.parse(head.hlc)
    # Heads built from the record's graph carry the latest wall time of other devices, and
    # whether this laptop flagged their clock on arrival.
    others: int | None = getattr(head, "others_latest_ms", None)
    flagged = bool(getattr(head, "clock_flag", False))
    return (not flagged, head.deleted, not is_suspect(ts.wall_ms, others), head.hlc, head.rev_id)


def choose_winner(heads: Sequence[HeadLike]) -> HeadLike:
    if not heads:
        raise ValueError("a record needs at least one head")
    return max(heads, key=winner_key)


def others_latest(history: Sequence[tuple[str, str]], device_id: str) -> int | None:
    """Latest wall-clock ms among `history` ((device_id, hlc) pairs) from other devices."""
    walls = [Timestamp.parse(h).wall_ms for d, h in history if d != device_id]
    return max(walls) if walls else None


def others_latest_all(history: Sequence[tuple[str, str]]) -> dict[str, int | None]:
    """`others_latest(history, d)` for every device `d` of `history`, in one pass.

    A record with many heads asks this for each head: asking `others_latest` each time
    made an import with thousands of versions of one record quadratic."""
    latest: dict[str, str] = {}
    for d, h in history:
        if h > latest.get(d, ""):  # fixed-width clock strings sort like the clock
            latest[d] = h
    top = sorted(latest.items(), key=lambda item: item[1], reverse=True)[:2]
    walls = [(d, Timestamp.parse(h).wall_ms) for d, h in top]
    return {d: next((ms for other, ms in walls if other != d), None) for d in latest}
