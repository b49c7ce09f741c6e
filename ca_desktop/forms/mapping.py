"""Reading and writing filled forms: core records for record forms, submissions otherwise.

Record forms (activity report, attendance register, CUF proposal, grievance) read and write
the record itself, and the register's rows are `attendance_entry` records, so nothing is
stored twice. Other forms are saved as a `form_submission` linked to an activity, a place or
a CUF project. Either way each save is a revision like any other edit, so it syncs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.records import PARTICIPANT_FIELDS, spec_for
from ca_desktop.domain.validation import FieldIssue, ValidationError, check, issue
from ca_desktop.forms.calculations import with_calculations
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.photos import photo_changes
from ca_desktop.forms.values import check_values, is_empty, relevant_values
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.revisions import Change

ROW_ID = "_id"  # key of a table row that is an existing record


@dataclass(frozen=True)
class Loaded:
    """A form opened on a record: the values to show and what a save will write."""

    form: FormDef
    values: dict[str, Any]
    record_id: str | None  # record form: the record; submission form: the submission
    base_rev: str | None = None
    title: str = ""


def load_form(app: CaDesktop, form: FormDef, record_id: str | None) -> Loaded:
    """Values of `form` for a record id (the record, a submission, or the record to link)."""
    if record_id is None:
        return Loaded(form, {}, None)
    if form.record_type is not None:
        record = app.get(form.record_type, record_id)
        if record is None:
            raise KeyError(f"no {form.record_type} with id {record_id}")
        values = record_values(form, record.body)
        for f in form.fields():
            if f.type == "table" and f.rows_record:
                values[f.name] = _rows_of(app, f, record_id)
        title = str(record.body.get(spec_for(form.record_type).title_field) or "")
        return Loaded(form, values, record_id, record.rev_id, title)
    record = app.find(record_id)
    if record is None or record.deleted:
        raise KeyError(f"no record with id {record_id}")
    if record.record_type == "form_submission":
        if record.body.get("form_code") != form.code:
            raise KeyError(
                f"record {record_id} is a {record.body.get('form_code')} form, not {form.code}"
            )
        values = {item["field"]: item.get("value") for item in record.body.get("values") or []}
        link_title = _title(app, form.link_type, record.body.get("record_id"))
        return Loaded(form, values, record.id, record.rev_id, link_title)
    link = form.link_field
    if link is None or record.record_type != form.link_type:
        raise KeyError(
            f"{form.code} is filled in for a {form.link_type}, not a {record.record_type}"
        )
    return Loaded(
        form, {link.name: record.id}, None, None, _title(app, record.record_type, record.id)
    )


def record_values(form: FormDef, body: Mapping[str, Any]) -> dict[str, Any]:
    """Form values from a record body, through each field's `maps_to`."""
    values: dict[str, Any] = {}
    for f in form.fields():
        if f.type == "participants" and form.record_type:
            values[f.name] = {k: body.get(k) for k in PARTICIPANT_FIELDS}
        elif f.maps_to and f.type == "table":
            values[f.name] = [
                {c.name: item.get(c.name) for c in f.columns}
                for item in body.get(f.maps_to) or []
                if isinstance(item, Mapping)
            ]
        elif f.maps_to:
            values[f.name] = body.get(f.maps_to)
    return values


def _rows_of(app: CaDesktop, f: FieldDef, record_id: str) -> list[dict[str, Any]]:
    assert f.rows_record and f.rows_link
    rows = app.list_records(f.rows_record, where={f.rows_link: record_id}, order_by="line")
    return [
        {ROW_ID: r.id, **{c.name: r.body.get(c.maps_to or c.name) for c in f.columns}} for r in rows
    ]


def _title(app: CaDesktop, record_type: str | None, record_id: Any) -> str:
    if not record_type or not isinstance(record_id, str):
        return ""
    record = app.get(record_type, record_id)
    if record is None:
        return ""
    return str(record.body.get(spec_for(record_type).title_field) or "")


def save_form(
    app: CaDesktop,
    form: FormDef,
    values: Mapping[str, Any],
    record_id: str | None = None,
    lang: str = "en",
    base_rev: str | None = None,
) -> str:
    """Validate and save a filled form in one transaction; returns the record id written.

    Raises ValidationError whose issues name form fields (table cells as `table.row.column`).
    Values of fields that are not relevant are dropped, as they are hidden on screen.
    """
    values = with_calculations(form, values)  # never what an editor showed: computed here
    issues = check_values(form, values)
    if issues:
        raise ValidationError(issues)
    kept = relevant_values(form, values)
    rid = record_id or uuid7()
    if form.record_type is None:
        changes = [submission_change(form, kept, rid, lang, base_rev)]
        if any(f.type == "image" for f in form.fields()):
            have = [
                a.body.get("sha256")
                for a in app.list_records("attachment", where={"record_id": rid})
            ]
            changes += photo_changes(form, kept, rid, lang, [str(h) for h in have if h])
    else:
        changes = _record_changes(app, form, kept, rid, record_id is not None, base_rev)
    if changes:
        app.save_many(changes, validate=False)
    return rid


def submission_change(
    form: FormDef,
    kept: dict[str, Any],
    record_id: str,
    lang: str,
    base_rev: str | None = None,
    items: list[dict[str, Any]] | None = None,
) -> Change:
    """The `form_submission` write of relevant, checked values (an imported XLSForm may have
    no link field: its submissions belong to no record).

    `items`: the `values` list built already, as `RowChecker.check_row(..., filled)` does
    on imports of thousands of submissions (it is checked there, not copied again here)."""
    link = form.link_field
    envelope: dict[str, Any] = {
        "form_code": form.code,
        "form_version": form.version,
        "lang": lang if len(lang) <= 5 else None,
        "record_type": form.link_type,
        "record_id": kept.get(link.name) if link else None,
        "values": [],
    }
    if items is None:
        names = {f.name for f in form.fields()}
        # `kept` holds the relevant fields in form order (`relevant_values`, `RowChecker`).
        items = [
            {"field": name, "value": value}
            for name, value in kept.items()
            if name in names and not is_empty(value)
        ]
        return Change(
            "form_submission",
            record_id,
            check("form_submission", {**envelope, "values": items}),
            base_rev,
        )
    body = check("form_submission", envelope)
    body["values"] = items
    return Change("form_submission", record_id, body, base_rev)


def _record_changes(
    app: CaDesktop,
    form: FormDef,
    kept: dict[str, Any],
    rid: str,
    exists: bool,
    base_rev: str | None,
) -> list[Change]:
    record_type = form.record_type
    assert record_type is not None
    existing = app.get(record_type, rid) if exists else None
    if exists and existing is None:
        raise KeyError(f"no {record_type} with id {rid}")
    uncovered = missing_record_fields(form)
    if existing is None and uncovered:
        # A register cannot create its activity: it lacks the programme, type, level...
        raise ValidationError(
            [
                issue(
                    "record",
                    "choose the {record} this {form} form belongs to",
                    record=spec_for(record_type).label.lower(),
                    form=form.code,
                )
            ]
        )
    body = dict(existing.body) if existing else {}
    back: dict[str, str] = {}  # record field -> form field, to name issues the user can find
    for f in form.fields():
        value = kept.get(f.name)
        if f.type == "participants":
            counts = value or {}
            for k in PARTICIPANT_FIELDS:
                body[k] = counts.get(k)
                back[k] = f.name
        elif f.maps_to and f.type == "table":
            body[f.maps_to] = [
                {k: v for k, v in row.items() if k != ROW_ID and not is_empty(v)}
                for row in value or []
            ]
            back[f.maps_to] = f.name
        elif f.maps_to:
            body[f.maps_to] = value
            back[f.maps_to] = f.name
    issues: list[FieldIssue] = []
    changes: list[Change] = []
    try:
        checked = check(record_type, body)
        if existing is None or checked != existing.body:
            changes.append(Change(record_type, rid, checked, base_rev))
    except ValidationError as exc:
        issues += [replace(i, field=back.get(i.field, i.field)) for i in exc.issues]
    for f in form.fields():
        if f.type == "table" and f.rows_record and f.name in kept:
            row_changes, row_issues = _row_changes(
                app, f, kept[f.name] or [], rid, existing is not None
            )
            changes += row_changes
            issues += row_issues
    if issues:
        raise ValidationError(issues)
    return changes


def missing_record_fields(form: FormDef) -> list[str]:
    """Required fields of the form's record that no form field fills."""
    if form.record_type is None:
        return []
    covered = {f.maps_to for f in form.fields() if f.maps_to}
    if any(f.type == "participants" for f in form.fields()):
        covered |= set(PARTICIPANT_FIELDS)
    return [
        s.name for s in spec_for(form.record_type).fields if s.required and s.name not in covered
    ]


def _row_changes(
    app: CaDesktop, f: FieldDef, rows: list[dict[str, Any]], parent_id: str, parent_exists: bool
) -> tuple[list[Change], list[FieldIssue]]:
    assert f.rows_record and f.rows_link
    current = {r.id: r for r in _existing_rows(app, f, parent_id)} if parent_exists else {}
    changes, issues = [], []
    back = {c.maps_to or c.name: c.name for c in f.columns}
    kept_ids = set()
    for line, row in enumerate(rows, start=1):
        row_id = row.get(ROW_ID) if row.get(ROW_ID) in current else None
        body = dict(current[row_id].body) if row_id else {}
        body.update({c.maps_to or c.name: row.get(c.name) for c in f.columns})
        body[f.rows_link] = parent_id
        body["line"] = line
        try:
            checked = check(f.rows_record, body)
        except ValidationError as exc:
            issues += [
                replace(i, field=f"{f.name}.{line}.{back.get(i.field, i.field)}")
                for i in exc.issues
            ]
            continue
        if row_id:
            kept_ids.add(row_id)
            if checked == current[row_id].body:
                continue
        changes.append(
            Change(
                f.rows_record,
                row_id or uuid7(),
                checked,
                current[row_id].rev_id if row_id else None,
            )
        )
    for gone in set(current) - kept_ids:
        changes.append(Change(f.rows_record, gone, None))
    return changes, issues


def _existing_rows(app: CaDesktop, f: FieldDef, parent_id: str) -> list[Any]:
    assert f.rows_record and f.rows_link
    return app.list_records(f.rows_record, where={f.rows_link: parent_id})
