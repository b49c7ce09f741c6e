"""The shape of a record body received from elsewhere: known fields, JSON types that fit.

Business rules are not re-checked on import (a rule added later must not make older
bundles unreadable); types are, because the current-state tables are built from them.
The allowed shapes also bound the nesting of a body (at most a list of flat objects).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ca_desktop.domain.records import spec_for

_NONE = type(None)
_SCALARS = frozenset({str, int, float, bool, _NONE})
# Exact types (`type(x) in ...`), so a JSON true is never taken for the number 1.
_ALLOWED: dict[str, frozenset[type]] = {
    "text": frozenset({str, _NONE}),
    "longtext": frozenset({str, _NONE}),
    "date": frozenset({str, _NONE}),
    "enum": frozenset({str, _NONE}),
    "ref": frozenset({str, _NONE}),
    "int": frozenset({int, _NONE}),
    "decimal": frozenset({int, float, _NONE}),
    "bool": frozenset({bool}),
    "enums": frozenset({list}),
    "list": frozenset({list}),
}


def _items_fit(kind: str, items: list[Any]) -> bool:
    if kind == "enums":
        return all(type(v) is str for v in items)
    return all(
        type(v) in _SCALARS or (type(v) is dict and all(type(x) in _SCALARS for x in v.values()))
        for v in items
    )


@cache
def _allowed(record_type: str) -> dict[str, tuple[str, frozenset[type]]]:
    return {f.name: (f.kind, _ALLOWED[f.kind]) for f in spec_for(record_type).fields}


def body_problem(record_type: str, body: dict[str, Any]) -> str | None:
    """Why `body` cannot be stored as a `record_type` (None when it can)."""
    allowed = _allowed(record_type)
    for name, value in body.items():
        spec = allowed.get(name)
        if spec is None:
            return f"{name[:40]!r} is not a field of {record_type}"
        kind, types = spec
        if type(value) not in types or (type(value) is list and not _items_fit(kind, value)):
            return f"{name} has the wrong type"
    return None
