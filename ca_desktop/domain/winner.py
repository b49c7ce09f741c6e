"""Which head a record shows while it has more than one: identical on every replica.

The rule depends only on revision content and on whether each replica judged the clock
plausible (judged against the 2020 floor and the revision's own device, see `hlc`), so all
replicas pick the same head:
1. a deletion wins over edits, so a late edit never silently brings a deleted record back
   (the edit is kept and offered in conflict review);
2. then the latest hybrid-clock timestamp, where a timestamp before 2020 ranks lowest;
3. then the larger revision id, a content hash, as the final tie-break.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ca_desktop.domain.hlc import EARLIEST_PLAUSIBLE_MS, Timestamp


class HeadLike(Protocol):
    rev_id: str
    hlc: str
    deleted: bool


def winner_key(head: HeadLike) -> tuple[bool, bool, str, str]:
    ts = Timestamp.parse(head.hlc)
    return (head.deleted, ts.wall_ms >= EARLIEST_PLAUSIBLE_MS, head.hlc, head.rev_id)


def choose_winner(heads: Sequence[HeadLike]) -> HeadLike:
    if not heads:
        raise ValueError("a record needs at least one head")
    return max(heads, key=winner_key)
