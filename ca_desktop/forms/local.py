"""The data folder's own form definitions: `form_version` records in its database.

Forms imported from XLSForm are stored as reference data, never in the shipped
`resources/forms/`: one record per form code, each import a new revision, so they have a
history, are signed like any edit and travel in the coordinator's reference bundles to the
officers. They are read with the same loader and checks as the shipped forms; a definition
that no longer loads (written by a newer version) is left out and logged, so one record
cannot take the Forms page down.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from ca_desktop.forms.model import FormDef
from ca_desktop.services.app import CaDesktop

log = logging.getLogger(__name__)

# Form codes map to record ids under this namespace, so two coordinators importing the same
# form write two revisions of one record, not two forms with one code.
_NAMESPACE = uuid.UUID("5d1c1a6e-9b0e-4f43-9a57-1f4c0f6e2b11")
_cache: dict[tuple[str, str], FormDef | None] = {}  # (record id, rev id) -> parsed


def form_record_id(code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, code.upper()))


def local_forms(app: CaDesktop) -> dict[str, FormDef]:
    """The sound definitions of the data folder, by code."""
    from ca_desktop.forms.loader import parse_definition

    out: dict[str, FormDef] = {}
    for record in app.list_records("form_version"):
        key = (record.id, record.rev_id)
        if key not in _cache:
            form: FormDef | None = None
            try:
                raw = definition_json(str(record.body.get("definition", "")))
                form, problems = parse_definition(raw, f"form_version {record.body.get('code')}")
            except ValueError as exc:
                problems = [f"form_version {record.id}: {exc}"]
            for line in problems:
                log.warning("data-folder form skipped: %s", line)
            _cache[key] = form if not problems else None
        found = _cache[key]
        if found is not None and record.id == form_record_id(found.code):
            out[found.code] = found
    return out


def read_local_definition(app: CaDesktop, code: str) -> dict[str, Any] | None:
    """The stored JSON of a data-folder form (to compare and bump versions), or None."""
    record = app.get("form_version", form_record_id(code))
    if record is None:
        return None
    try:
        raw = definition_json(str(record.body.get("definition", "")))
    except ValueError:
        return None
    return raw if isinstance(raw, dict) else None


MAX_DEFINITION = 4_000_000


def definition_json(text: str) -> Any:
    """A stored definition, which may have come in a bundle: bounded in size and depth, no
    NaN, no duplicate keys; ValueError otherwise (json itself has no depth limit)."""
    if len(text) > MAX_DEFINITION:
        raise ValueError("the definition is too large")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({k for k, _ in pairs}) != len(pairs):
            raise ValueError("a key appears twice")
        return dict(pairs)

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed")

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except RecursionError:
        raise ValueError("the definition is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None


def save_local_form(app: CaDesktop, definition: dict[str, Any]) -> str:
    """Write (or update) one definition in one transaction; returns the record id."""
    from ca_desktop.forms.checks import CODE_RE

    code = str(definition.get("code", ""))
    if not CODE_RE.match(code):
        raise ValueError(f"not a form code: {code!r}")
    record_id = form_record_id(code)
    languages = definition.get("languages") or ["en"]
    body = {
        "code": code,
        "version": str(definition["version"]),
        "title": str(definition["title"][languages[0]])[:200],
        "definition": json.dumps(definition, ensure_ascii=False, sort_keys=True),
    }
    existing = app.get("form_version", record_id)
    view = app.save("form_version", body, record_id, existing.rev_id if existing else None)
    return view.id
