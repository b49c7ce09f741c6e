"""JSON as a hostile sender might write it: duplicate keys, NaN, deep nesting, huge input.

`json` accepts all of these silently; here each one is an error naming the problem.
"""

from __future__ import annotations

import json
from typing import Any

from ca_desktop.domain.i18n import tr
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.limits import MAX_JSON_DEPTH


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise BundleRejected(tr("duplicate key {key!r}").format(key=key[:40]))
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise BundleRejected(tr("{name} is not allowed in JSON").format(name=name))


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise BundleRejected(tr("number {text} is out of range").format(text=text[:20]))
    return value


def _depth_ok(value: Any, limit: int) -> bool:
    # Iterative, so a deep value cannot exhaust the Python stack here either; only
    # containers are visited (most values of a revision are scalars: this is a hot path).
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return True


# SQLite stores integers in 64 bits; a larger one reaching a query crashes the import.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _int64(text: str) -> int:
    # Bound the text first: int() of a long digit string costs quadratic time.
    value = int(text) if len(text) <= 20 else INT64_MAX + 1
    if not INT64_MIN <= value <= INT64_MAX:
        raise BundleRejected(
            tr("number {text} is out of range (more than 64 bits)").format(text=text[:24])
        )
    return value


_DECODER = json.JSONDecoder(
    object_pairs_hook=_no_duplicates,
    parse_constant=_no_constants,
    parse_float=_finite_float,
    parse_int=_int64,
)


def loads(
    data: bytes | str, what: str, max_bytes: int, max_depth: int | None = MAX_JSON_DEPTH
) -> Any:
    """Parse strictly or raise BundleRejected("<what>: <problem>").

    `max_depth=None` skips the depth walk for callers that check the shape themselves
    (the parser's own recursion limit still stops pathological nesting)."""
    if len(data) > max_bytes:
        raise BundleRejected(
            tr("{what}: larger than {max_bytes} bytes").format(what=what, max_bytes=max_bytes)
        )
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = _DECODER.decode(text)
    except BundleRejected as exc:
        raise BundleRejected(f"{what}: {exc}") from None
    except RecursionError:
        raise BundleRejected(tr("{what}: JSON nested too deeply").format(what=what)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleRejected(
            tr("{what}: not valid JSON ({problem})").format(what=what, problem=str(exc)[:80])
        ) from None
    if max_depth is not None and not _depth_ok(value, max_depth):
        raise BundleRejected(
            tr("{what}: JSON nested deeper than {max_depth} levels").format(
                what=what, max_depth=max_depth
            )
        )
    return value
