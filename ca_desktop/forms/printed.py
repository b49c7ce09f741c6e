"""What a paper form showed when it was printed, and where typed values differ from it.

The QR code carries the database clock at printing time. The record's history replayed up
to that moment gives the printed values, so when the paper comes back days later (and the
record may have changed since), the fields the officer changes by hand are exactly the
ones flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ca_desktop.forms.mapping import ROW_ID, load_form, record_values
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.qr import FormRef
from ca_desktop.forms.values import is_empty
from ca_desktop.services.app import CaDesktop


def body_as_of(app: CaDesktop, record_id: str, stamp: str) -> dict[str, Any] | None:
    """The record's fields as they stood at clock `stamp` (None if it did not exist)."""
    body: dict[str, Any] = {}
    exists = False
    for entry in app.history(record_id):
        if entry.hlc > stamp:
            break
        if entry.deleted:
            exists = False
            continue
        exists = True
        for change in entry.changes:
            body[change.field] = change.new
    return body if exists else None


def printed_values(app: CaDesktop, form: FormDef, ref: FormRef) -> dict[str, Any]:
    """The values printed on the paper form the QR reference describes."""
    if ref.record_id is None:
        return {}
    if ref.printed_at is None:
        return dict(load_form(app, form, ref.record_id).values)
    record = app.find(ref.record_id)
    if record is None:
        return {}
    body = body_as_of(app, ref.record_id, ref.printed_at)
    if body is None:
        return {}
    if form.record_type is None:
        if record.record_type != "form_submission":
            link = form.link_field
            return {link.name: ref.record_id} if link else {}
        return {item["field"]: item.get("value") for item in body.get("values") or []}
    values = record_values(form, body)
    for f in form.fields():
        if f.type == "table" and f.rows_record and f.rows_link:
            rows = []
            for entry in app.list_records(
                f.rows_record, where={f.rows_link: ref.record_id}, include_deleted=True
            ):
                old = body_as_of(app, entry.id, ref.printed_at)
                if old is not None and old.get(f.rows_link) == ref.record_id:
                    rows.append(
                        (
                            old.get("line") or 0,
                            {c.name: old.get(c.maps_to or c.name) for c in f.columns},
                        )
                    )
            values[f.name] = [row for _, row in sorted(rows, key=lambda item: item[0])]
    return values


def differences(form: FormDef, printed: Mapping[str, Any], typed: Mapping[str, Any]) -> set[str]:
    """Fields whose typed value differs from the printed one; table cells as `name.row.col`."""
    changed: set[str] = set()
    for f in form.fields():
        old, new = printed.get(f.name), typed.get(f.name)
        if f.type == "table":
            old_rows, new_rows = list(old or []), list(new or [])
            for i in range(max(len(old_rows), len(new_rows))):
                a = old_rows[i] if i < len(old_rows) else {}
                b = new_rows[i] if i < len(new_rows) else {}
                for col in f.columns:
                    if not _same(a.get(col.name), b.get(col.name)):
                        changed.add(f"{f.name}.{i + 1}.{col.name}")
            if any(k.startswith(f"{f.name}.") for k in changed):
                changed.add(f.name)
        elif f.type == "participants":
            a, b = old or {}, new or {}
            if any(not _same(a.get(k), b.get(k)) for k in set(a) | set(b)):
                changed.add(f.name)
        elif not _same(old, new):
            changed.add(f.name)
    return changed


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and ROW_ID in a:
        a = {k: v for k, v in a.items() if k != ROW_ID}
    if is_empty(a) and is_empty(b):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return bool(a == b)
