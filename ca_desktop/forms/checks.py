"""Consistency checks of a parsed definition against itself and the core record specs.

A form that maps onto a record must name real fields of compatible kinds, and its choices
must be codes the record accepts; otherwise typing in a paper form would fail at save time,
in a meeting's aftermath, instead of when the definition is shipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ca_desktop.domain.records import RECORD_SPECS, FieldSpec
from ca_desktop.forms.expr import refs
from ca_desktop.forms.model import COLUMN_TYPES, FIELD_TYPES, FieldDef, FormDef

Report = Callable[[str, str], None]  # (where, message)

CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
VERSION_RE = re.compile(r"^\d+\.\d+$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
RECORD_FORMS = ("activity", "cuf_project", "grievance")

# Which record field kinds a form field type may write.
_COMPATIBLE = {
    "text": {"text", "longtext"},
    "longtext": {"longtext", "text"},
    "integer": {"int"},
    "decimal": {"decimal", "int"},
    "date": {"date"},
    "choice": {"enum"},
    "multichoice": {"enums"},
    "yesno": {"bool"},
    "signature": {"bool"},
    "record": {"ref"},
    "table": {"list"},
}


def check_form(form: FormDef, bad: Report) -> None:
    if not CODE_RE.match(form.code):
        bad("code", f"{form.code!r} must look like CA-F01 (capitals, digits, hyphens)")
    if not VERSION_RE.match(form.version):
        bad("version", f"{form.version!r} must look like 1.0")
    if form.orientation not in ("portrait", "landscape"):
        bad("orientation", "must be portrait or landscape")
    if form.record_type is not None and form.record_type not in RECORD_FORMS:
        bad("record_type", f"must be one of {', '.join(RECORD_FORMS)} or absent")
    seen: set[str] = set()
    every = {f.name for f in form.fields()}
    spec = RECORD_SPECS.get(form.record_type or "")
    for f in form.fields():
        where = f"field {f.name}"
        if f.name in seen:
            bad(where, "name used twice")
        _check_field(f, where, bad, seen)
        _check_expressions(f, where, bad, seen, every)
        seen.add(f.name)
        if spec is not None:
            _check_mapping(f, spec.field_names, {s.name: s for s in spec.fields}, where, bad)
        elif f.maps_to:
            bad(where, "maps_to needs the form to have a record_type")
    links = [f for f in form.fields() if f.link]
    # An imported XLSForm may stand alone (its submissions are linked to nothing).
    allowed = (0, 1) if form.origin == "xlsform" else (1,)
    if form.record_type is None and len(links) not in allowed:
        bad("fields", "a form saved as a submission needs exactly one record field with link: true")
    if form.record_type is not None and links:
        bad(f"field {links[0].name}", "link is only for forms without a record_type")


def _check_field(f: FieldDef, where: str, bad: Report, earlier: set[str]) -> None:
    if not NAME_RE.match(f.name):
        bad(where, "name must be lower_case letters, digits and underscores")
    if f.type not in FIELD_TYPES:
        bad(where, f"unknown type {f.type!r}; one of {', '.join(FIELD_TYPES)}")
    if f.type in ("choice", "multichoice") and not f.choices:
        bad(where, "a choice field needs choices")
    if f.choices and f.type not in ("choice", "multichoice"):
        bad(where, f"choices make no sense on a {f.type} field")
    if f.type == "record":
        if f.record_type not in RECORD_SPECS:
            bad(where, "a record field needs record_type, one of the core record types")
    elif f.record_type or f.link:
        bad(where, "record_type and link are only for record fields")
    if f.width not in ("full", "half"):
        bad(where, "width must be full or half")
    if not 1 <= f.lines <= 40:
        bad(where, "lines must be between 1 and 40")
    for bound in (f.min, f.max):
        if bound is None:
            continue
        if f.type in ("integer", "decimal") and not isinstance(bound, (int, float)):
            bad(where, "min and max must be numbers")
        elif f.type == "date" and not (bound == "today" or _is_iso_date(bound)):
            bad(where, "min and max of a date must be YYYY-MM-DD or today")
        elif f.type not in ("integer", "decimal", "date", "table"):
            bad(where, f"min and max make no sense on a {f.type} field")
    if f.max_length is not None and (not isinstance(f.max_length, int) or f.max_length < 1):
        bad(where, "max_length must be a positive whole number")
    if f.relevant is not None and f.relevant.field not in earlier:
        bad(where, f"relevant refers to {f.relevant.field!r}, which is not an earlier field")
    if f.type == "table":
        _check_table(f, where, bad)
    elif f.columns or f.totals or f.rows_record:
        bad(where, "columns, totals and rows_record are only for tables")


def _check_expressions(
    f: FieldDef, where: str, bad: Report, earlier: set[str], every: set[str]
) -> None:
    """Relevance and calculations read earlier fields only, so they can never go round in a
    circle; a constraint may read any field of the form."""
    for key, node in (("relevant_if", f.relevant_expr), ("calculate", f.calculate)):
        for name in sorted(set(refs(node)) if node is not None else ()):
            if name not in earlier:
                bad(where, f"{key} refers to {name!r}, which is not an earlier field")
    for key, node in (("constraint", f.constraint), ("choice_filter", f.choice_filter)):
        for name in sorted(set(refs(node)) if node is not None else ()):
            if name not in every:
                bad(where, f"{key} refers to {name!r}, which is not a field of the form")


def _check_table(f: FieldDef, where: str, bad: Report) -> None:
    if not f.columns:
        bad(where, "a table needs columns")
    names = [c.name for c in f.columns]
    if len(set(names)) != len(names):
        bad(where, "column names repeat")
    for col in f.columns:
        cwhere = f"{where}.{col.name}"
        _check_field(col, cwhere, bad, set(names))
        if col.type not in COLUMN_TYPES:
            bad(cwhere, f"a table column cannot be {col.type}; one of {', '.join(COLUMN_TYPES)}")
    for t in f.totals:
        target = t.sum or t.column
        if target and target not in names:
            bad(where, f"total refers to unknown column {target!r}")
        if t.sum and target in names and f.column(target).type not in ("integer", "decimal"):
            bad(where, f"total sums {target!r}, which is not a number column")
    if f.min_rows < 0 or (f.max_rows is not None and f.max_rows < max(f.min_rows, 1)):
        bad(where, "min_rows/max_rows out of range")
    if f.rows_record is not None:
        spec = RECORD_SPECS.get(f.rows_record)
        if spec is None:
            bad(where, f"rows_record {f.rows_record!r} is not a record type")
            return
        if f.rows_link not in spec.field_names or spec.field(f.rows_link or "").kind != "ref":
            bad(where, "rows_link must name the reference field of the row record")
        by_name = {s.name: s for s in spec.fields}
        for col in f.columns:
            _check_mapping(col, spec.field_names, by_name, f"{where}.{col.name}", bad)


def _check_mapping(
    f: FieldDef, names: tuple[str, ...], specs: dict[str, FieldSpec], where: str, bad: Report
) -> None:
    if f.type == "participants":
        if f.maps_to not in (None, "participants"):
            bad(
                where,
                "a participants field maps to the six participant counts: maps_to participants",
            )
        return
    if f.maps_to is None:
        if f.type not in ("signature",) and not f.rows_record:
            bad(where, "every field of a record form needs maps_to (or is a signature box)")
        return
    if f.rows_record:
        bad(where, "a table of records has no maps_to; its columns map onto the row record")
        return
    if f.maps_to not in names:
        bad(where, f"maps_to {f.maps_to!r} is not a field of the record")
        return
    spec = specs[f.maps_to]
    if spec.kind not in _COMPATIBLE.get(f.type, set()):
        bad(where, f"a {f.type} field cannot hold the record's {spec.kind} field {spec.name}")
    if spec.kind in ("enum", "enums") and spec.enum is not None:
        codes = {m.value for m in spec.enum}
        unknown = [c.value for c in f.choices if c.value not in codes]
        if unknown:
            bad(where, f"choices {unknown} are not codes of {spec.name}")
    if spec.kind == "ref" and f.record_type != spec.ref:
        bad(where, f"record_type must be {spec.ref} to match {spec.name}")


def _is_iso_date(value: object) -> bool:
    return isinstance(value, str) and bool(re.match(r"^\d{4}-\d{2}-\d{2}$", value))
