"""A progress callback that cancels, for the tests of every long job."""

from __future__ import annotations


class StopAfter:
    """Says "keep going" `calls` times, then "stop"; records what it was told."""

    def __init__(self, calls: int) -> None:
        self.calls = calls
        self.seen: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> bool:
        self.seen.append((done, total))
        return len(self.seen) <= self.calls
