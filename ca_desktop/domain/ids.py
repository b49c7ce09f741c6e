"""Record ids: UUIDv7 (RFC 9562), time-ordered so new rows append to indexes."""

from __future__ import annotations

import os
import re
import time
import uuid

_last_ms = 0
_seq = 0


def uuid7() -> str:
    """A new UUIDv7 as a 36-character string; monotonic within this process."""
    global _last_ms, _seq
    ms = time.time_ns() // 1_000_000
    if ms <= _last_ms:
        # Same millisecond (or the clock stepped back): keep order with the 12-bit counter,
        # borrowing the next millisecond when it overflows.
        _seq += 1
        if _seq > 0xFFF:
            _last_ms += 1
            _seq = 0
        ms = _last_ms
    else:
        _last_ms, _seq = ms, int.from_bytes(os.urandom(2), "big") & 0x3FF
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | _seq << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def is_uuid(text: object) -> bool:
    """True for a UUID in its 36-character hyphenated form (any case)."""
    return isinstance(text, str) and _UUID.fullmatch(text) is not None
