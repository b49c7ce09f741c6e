"""Personal values kept outside a revision's hashed content, so they can be erased.

A field declared `personal` (names, phones, a grievance's complainant and texts) is hashed
into the revision id through a salted commitment: `SHA-256(salt || canonical JSON of the
value)`. The salt travels in the body under the reserved key `$personal` (`{field:
{"salt": base64}}`); erasing a field replaces its value with None and its salt with the
commitment (`{"erased": hex}`), and the id still checks because the hashed form of the
body is the same before and after (`docs/sync-bundle-format.md` §17).

An erasure itself is a revision of the record whose body carries `$erasure` (`fields`,
`reason`, and `unsalted`): every revision of that record, on every laptop that holds it,
then has those fields erased. A revision written before commitments has no salt, so its
erased form no longer matches its id; the erasure names each such revision with the hash
of its erased body (`unsalted`), and that signed statement is what lets another laptop
take the erased revision without recomputing its id (§17).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping, Sequence
from typing import Any

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import RECORD_SPECS, spec_for

PERSONAL_KEY = "$personal"
ERASURE_KEY = "$erasure"
RESERVED_KEYS = (PERSONAL_KEY, ERASURE_KEY)
SALT_BYTES = 16
MAX_REASON = 500
UNSALTED = "unsalted"
# An erasure names at most this many old revisions (a record has at most 1000 versions in
# one bundle; a longer list in a received body is refused).
MAX_UNSALTED = 10_000
CONSENT = "consent"


_BY_SPEC: dict[str, tuple[object, tuple[str, ...]]] = {}


def personal_fields(record_type: str) -> tuple[str, ...]:
    """The fields of `record_type` that identify a person (empty for an unknown type)."""
    if record_type not in RECORD_SPECS:
        return ()
    spec = spec_for(record_type)
    # Runs for every revision written: kept per declaration (a test may declare a newer one).
    hit = _BY_SPEC.get(record_type)
    if hit is None or hit[0] is not spec:
        hit = (spec, tuple(f.name for f in spec.fields if f.personal))
        _BY_SPEC[record_type] = hit
    return hit[1]


def commitment(salt_b64: str, value: Any) -> str:
    salt = base64.b64decode(salt_b64, validate=True)
    return hashlib.sha256(salt + canonical_json(value).encode("utf-8")).hexdigest()


def seal(record_type: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """`body` as a new revision stores it: a fresh salt for each personal value it holds.

    A `$personal` entry copied from an older revision is dropped (each revision gets its
    own salts); an `$erasure` is kept, it is what the caller is writing.
    """
    fields = personal_fields(record_type)
    if not fields and PERSONAL_KEY not in body:
        return body if isinstance(body, dict) else dict(body)  # most records: no copy
    out = {k: v for k, v in body.items() if k != PERSONAL_KEY}
    salts = {
        name: {"salt": base64.b64encode(os.urandom(SALT_BYTES)).decode("ascii")}
        for name in fields
        if out.get(name) not in (None, "")
    }
    if salts:
        out[PERSONAL_KEY] = salts
    return out


def hashed_body(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """The form of `body` that goes into the revision id: commitments instead of values.

    Raises ValueError on a malformed `$personal` (from a bundle: the reader refuses it)."""
    if PERSONAL_KEY not in body:
        return body
    entries = body[PERSONAL_KEY]
    if not isinstance(entries, dict):
        raise ValueError("$personal has the wrong shape")
    out = {k: v for k, v in body.items() if k != PERSONAL_KEY}
    for name, entry in entries.items():
        if isinstance(entry, dict) and isinstance(entry.get("salt"), str):
            try:
                out[name] = {"$personal": commitment(entry["salt"], body.get(name))}
            except ValueError:
                raise ValueError("$personal has a malformed salt") from None
        elif isinstance(entry, dict) and "erased" in entry:
            out[name] = {"$personal": entry["erased"]}
        else:
            raise ValueError("$personal has the wrong shape")
    return out


def erase(body: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any] | None:
    """`body` with `fields` erased, its hashed form unchanged; None when nothing changes.

    A value written before commitments (no salt) is erased too; that revision's id no
    longer checks (`is_unverifiable`), which only older data can hit.
    """
    entries = dict(body.get(PERSONAL_KEY) or {})
    out = dict(body)
    changed = False
    for name in fields:
        entry = entries.get(name)
        if entry is not None and "salt" in entry:
            entries[name] = {"erased": commitment(entry["salt"], body.get(name))}
            out[name] = None
            changed = True
        elif entry is None and body.get(name) not in (None, ""):
            entries[name] = {"erased": None}
            out[name] = None
            changed = True
    if not changed:
        return None
    out[PERSONAL_KEY] = entries
    return out


def is_unverifiable(body: Mapping[str, Any]) -> bool:
    """A revision written before commitments whose personal values were erased."""
    entries = body.get(PERSONAL_KEY)
    return isinstance(entries, dict) and any(
        isinstance(e, dict) and e.get("erased", "") is None for e in entries.values()
    )


def erasure_of(body: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields an erasure revision's body erases (empty for any other body)."""
    erasure = body.get(ERASURE_KEY)
    if not isinstance(erasure, dict):
        return ()
    return tuple(f for f in erasure.get("fields", ()) if isinstance(f, str))


def unsalted_of(body: Mapping[str, Any]) -> dict[str, str]:
    """{rev_id: hash of its erased body} an erasure revision vouches for (empty otherwise)."""
    erasure = body.get(ERASURE_KEY)
    named = erasure.get(UNSALTED) if isinstance(erasure, dict) else None
    if not isinstance(named, dict):
        return {}
    return {k: v for k, v in named.items() if isinstance(k, str) and isinstance(v, str)}


def erased_body_hash(body: Mapping[str, Any]) -> str:
    """What an erasure's `unsalted` names for an erased revision: SHA-256 of its body's
    canonical JSON as stored and sent."""
    return hashlib.sha256(canonical_json(dict(body)).encode("utf-8")).hexdigest()


def erasure_reason(body: Mapping[str, Any]) -> str | None:
    """The reason an erasure revision's body gives (None for any other body)."""
    erasure = body.get(ERASURE_KEY)
    if not isinstance(erasure, dict) or not isinstance(erasure.get("reason"), str):
        return None
    return str(erasure["reason"])


def erasure_body(
    record_type: str,
    current: Mapping[str, Any],
    reason: str,
    unsalted: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The body of the revision that erases `record_type`'s personal fields; `unsalted`
    names the record's revisions written before commitments ({rev_id: erased body hash})."""
    fields = personal_fields(record_type)
    out = {k: v for k, v in current.items() if k not in RESERVED_KEYS}
    for name in fields:
        out[name] = None
    if spec_for(record_type).has_field(CONSENT):
        out[CONSENT] = False  # a person forgotten has withdrawn their consent
    out[ERASURE_KEY] = {"fields": list(fields), "reason": reason[:MAX_REASON]}
    if unsalted:
        out[ERASURE_KEY][UNSALTED] = dict(sorted(unsalted.items()))
    return out


def shape_problem(record_type: str, key: str, body: Mapping[str, Any]) -> str | None:
    """Why a reserved key's value in a received body is malformed (None when it is not)."""
    allowed = set(personal_fields(record_type))
    value = body[key]
    if key == PERSONAL_KEY:
        if type(value) is not dict or not set(value) <= allowed:
            return tr("$personal names a field that is not personal")
        for name, entry in value.items():
            if type(entry) is not dict or len(entry) != 1:
                return tr("$personal has the wrong shape")
            if "salt" in entry:
                salt = entry["salt"]
                try:
                    ok = type(salt) is str and len(base64.b64decode(salt, validate=True)) == 16
                except ValueError:
                    ok = False
                if not ok:
                    return tr("$personal has a malformed salt")
            elif "erased" in entry:
                # The hashed form ignores an erased field's value: it must be empty, or a
                # value could be changed under a valid id.
                if body.get(name) is not None:
                    return tr("$personal: an erased field holds a value")
                hexed = entry["erased"]
                if hexed is not None and not (
                    type(hexed) is str and len(hexed) == 64 and _is_hex(hexed)
                ):
                    return tr("$personal has a malformed commitment")
            else:
                return tr("$personal has the wrong shape")
        return None
    if type(value) is dict and UNSALTED in value:
        named = value[UNSALTED]
        if (
            type(named) is not dict
            or not 0 < len(named) <= MAX_UNSALTED
            or not all(_is_hex64(k) and _is_hex64(v) for k, v in named.items())
        ):
            return tr("$erasure has the wrong shape")
        value = {k: v for k, v in value.items() if k != UNSALTED}
    if (
        type(value) is not dict
        or set(value) != {"fields", "reason"}
        or type(value["fields"]) is not list
        or not set(value["fields"]) <= allowed
        or not all(type(f) is str for f in value["fields"])
        or type(value["reason"]) is not str
        or len(value["reason"]) > MAX_REASON
    ):
        return tr("$erasure has the wrong shape")
    return None


def _is_hex64(text: object) -> bool:
    return type(text) is str and len(text) == 64 and _is_hex(text)


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)
