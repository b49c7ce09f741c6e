"""Hybrid logical clock.

Timestamps are strings that sort in causal order: 13 digits of wall-clock milliseconds, a
dot, 5 digits of logical counter. The clock never goes backwards, even when the laptop's
clock does. Remote timestamps far in the future are *not* folded into the local clock (a
laptop set years ahead would otherwise drag every replica with it); `is_plausible` lets the
sync code flag them instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

MAX_DRIFT_MS = 24 * 3600 * 1000  # a day ahead of us is the most we believe
EARLIEST_PLAUSIBLE_MS = 1_577_836_800_000  # 2020-01-01: before CA Desktop existed


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}.{self.counter:05d}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        wall, sep, counter = text.partition(".")
        if not sep or len(wall) != 13 or len(counter) != 5:
            raise ValueError(f"not a clock timestamp: {text!r}")
        if not (wall.isdigit() and counter.isdigit()):
            raise ValueError(f"not a clock timestamp: {text!r}")
        return cls(int(wall), int(counter))

    def iso(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(self.wall_ms / 1000)) + " UTC"


def physical_ms() -> int:
    return time.time_ns() // 1_000_000


def is_plausible(ts: Timestamp, now_ms: int | None = None) -> bool:
    """False for a timestamp from before 2020 or more than a day ahead of this machine."""
    now = physical_ms() if now_ms is None else now_ms
    return EARLIEST_PLAUSIBLE_MS <= ts.wall_ms <= now + MAX_DRIFT_MS


class Clock:
    """The device's clock state; persist `last` after each use."""

    def __init__(self, last: Timestamp | None = None) -> None:
        self.last = last or Timestamp(0, 0)

    def now(self, physical: int | None = None) -> Timestamp:
        wall = physical_ms() if physical is None else physical
        if wall > self.last.wall_ms:
            self.last = Timestamp(wall, 0)
        else:
            self.last = Timestamp(self.last.wall_ms, self.last.counter + 1)
        return self.last

    def observe(self, remote: Timestamp, physical: int | None = None) -> None:
        """Move past a plausible remote timestamp so our next edit sorts after it."""
        wall = physical_ms() if physical is None else physical
        if not is_plausible(remote, wall):
            return
        if remote > self.last:
            self.last = remote
