"""The shape of a record body received from elsewhere: JSON types that fit its fields.

Business rules are not re-checked on import (a rule added later must not make older
bundles unreadable); types are, because the current-state tables are built from them.
Fields this version does not declare come from a newer version: they are kept, with a
plain name and the same bounded shapes as declared fields (scalars, or a list of
scalars or flat objects), and at most `MAX_UNKNOWN_FIELDS` of them. The allowed shapes
bound the nesting of a body.
"""

from __future__ import annotations

import re
from typing import Any

from ca_desktop.domain.attachment_names import is_sha256
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.personal import RESERVED_KEYS, shape_problem
from ca_desktop.domain.records import RECORD_SPECS, spec_for

MAX_UNKNOWN_FIELDS = 64
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
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


_BY_SPEC: dict[int, tuple[object, dict[str, tuple[str, frozenset[type]]]]] = {}


def _allowed(record_type: str) -> dict[str, tuple[str, frozenset[type]]]:
    # Keyed on the declaration itself (runs per revision imported): a test that declares
    # a newer version of a record type gets its own entry.
    if record_type not in RECORD_SPECS:
        return {}  # a type from a newer version: every field is an unknown one
    spec = spec_for(record_type)
    hit = _BY_SPEC.get(id(spec))
    if hit is None or hit[0] is not spec:
        hit = (spec, {f.name: (f.kind, _ALLOWED[f.kind]) for f in spec.fields})
        _BY_SPEC[id(spec)] = hit
    return hit[1]


def body_problem(record_type: str, body: dict[str, Any]) -> str | None:
    """Why `body` cannot be stored as a `record_type` (None when it can)."""
    if record_type == "attachment" and "sha256" in body and not is_sha256(body["sha256"]):
        return tr("sha256 is not 64 lowercase hex digits")  # it names a file: checked first
    allowed = _allowed(record_type)
    unknown = 0
    for name, value in body.items():
        spec = allowed.get(name)
        if name in RESERVED_KEYS:  # personal salts and erasures (domain/personal.py)
            problem = shape_problem(record_type, name, body)
            if problem is not None:
                return problem
            continue
        if spec is None:
            # A field from a newer version: kept as it is, if it looks like one.
            unknown += 1
            if unknown > MAX_UNKNOWN_FIELDS or not _FIELD_NAME.fullmatch(name):
                return tr("{name!r} is not a field of {record_type}").format(
                    name=name[:40], record_type=record_type
                )
            if type(value) not in _SCALARS and not (
                type(value) is list and _items_fit("list", value)
            ):
                return tr("{name} has the wrong type").format(name=name)
            continue
        kind, types = spec
        if type(value) not in types or (type(value) is list and not _items_fit(kind, value)):
            return tr("{name} has the wrong type").format(name=name)
    return None
