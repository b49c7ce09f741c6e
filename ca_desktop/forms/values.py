"""Checking the values of a filled form against its definition.

Values are a dict keyed by field name: text as str, numbers as int/float, dates as ISO
strings, choices as codes, multichoices as lists of codes, yes/no and signatures as bool,
records as ids, participants as a dict of the six counts, tables as lists of row dicts.
Fields that are not relevant are ignored (and dropped on save), as on the screen.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from ca_desktop.domain.ids import is_uuid
from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.domain.validation import FieldIssue, RuleBroken, issue
from ca_desktop.forms.calculations import settle
from ca_desktop.forms.expr_eval import truthy
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.repeat_rows import relevant_columns, relevant_rows
from ca_desktop.forms.typed_values import check_datetime, check_geopoint, check_image, check_time

EMPTY: tuple[Any, ...] = (None, "", [], {})


def is_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(v in (None, "") for v in value.values())
    return value in EMPTY


def relevant_fields(form: FormDef, values: Mapping[str, Any]) -> list[FieldDef]:
    """Fields shown for these values; a field is hidden when the one it depends on is."""
    shown: dict[str, FieldDef] = {}
    seen: dict[str, Any] = {}  # values of shown fields: hidden ones read as empty
    for f in form.fields():
        rel = f.relevant
        ok = rel is None or (rel.field in shown and rel.holds(values.get(rel.field)))
        if ok and f.relevant_fn is not None:
            ok = truthy(f.relevant_fn(seen, None, None, None))
        if ok:
            shown[f.name] = f
            seen[f.name] = values.get(f.name)
    return list(shown.values())


def relevant_values(
    form: FormDef, values: Mapping[str, Any], today: dt.date | None = None
) -> dict[str, Any]:
    """Only the values of relevant fields (what a save keeps); calculated fields hold what
    the form computes (`calculations.settle`), a table's rows only their shown cells."""
    shown = relevant_fields(form, values)
    kept, _wrong = settle(shown, values, today)
    for f in shown:
        if f.type == "table":
            kept[f.name] = relevant_rows(f, kept[f.name], kept)
    return kept


def check_values(
    form: FormDef,
    values: Mapping[str, Any],
    today: dt.date | None = None,
    shown: list[FieldDef] | None = None,
) -> list[FieldIssue]:
    """Every problem with the filled values, each naming the form field (table: name.row.col).

    `shown`: the relevant fields, when the caller has them already."""
    today = today or dt.date.today()
    issues: list[FieldIssue] = []
    if shown is None:
        shown = relevant_fields(form, values)
    kept, wrong = settle(shown, values, today)
    for f in shown:
        if f.name in wrong:
            issues.append(wrong[f.name])
            continue
        found = check_value(f, kept.get(f.name), f.name, today, values)
        if not found and f.constraint is not None and not is_empty(values.get(f.name)):
            found = check_constraint(f, values, today)
        issues += found
    return issues


def check_constraint(
    f: FieldDef, values: Mapping[str, Any], today: dt.date, lang: str = "en"
) -> list[FieldIssue]:
    assert f.constraint_fn is not None
    if truthy(f.constraint_fn(values, values.get(f.name), today, None)):
        return []
    if f.constraint_message is not None:
        return [FieldIssue(f.name, f.constraint_message.get(lang))]
    return [FieldIssue(f.name, "does not meet the form's condition")]


def check_value(
    f: FieldDef,
    value: Any,
    where: str,
    today: dt.date,
    outer: Mapping[str, Any] | None = None,
) -> list[FieldIssue]:
    """The value's problems; `outer`: the form's values, which a table's per-row
    relevance may read (`repeat_rows.py`)."""
    if is_empty(value):
        return [FieldIssue(where, "is required")] if f.required else []
    try:
        _check_type(f, value, today)
    except RuleBroken as exc:
        return [FieldIssue(where, exc.template, exc.params)]
    except ValueError as exc:
        return [FieldIssue(where, str(exc))]
    if f.type != "table":
        return []
    issues = []
    if f.max_rows is not None and len(value) > f.max_rows:
        issues.append(issue(where, "has more than {n} rows", n=f.max_rows))
    if len(value) < f.min_rows:
        issues.append(issue(where, "needs at least {n} rows", n=f.min_rows))
    for i, row in enumerate(value, start=1):
        for col in relevant_columns(f, row, outer or {}):
            issues += check_value(col, row.get(col.name), f"{where}.{i}.{col.name}", today)
    return issues


def _check_type(f: FieldDef, value: Any, today: dt.date) -> None:
    kind = f.type
    if kind in ("text", "longtext"):
        if not isinstance(value, str):
            raise RuleBroken("must be text")
        if f.max_length and len(value) > f.max_length:
            raise RuleBroken("is longer than {n} characters", n=f.max_length)
    elif kind in ("integer", "decimal"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or (kind == "integer" and value != int(value)):
            if kind == "integer":
                raise RuleBroken("must be a whole number")
            raise RuleBroken("must be a number")
        _bounds(f, value, value)
    elif kind == "date":
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise RuleBroken("must be a date (YYYY-MM-DD)") from None
        _bounds(f, day, day, today)
    elif kind == "choice":
        if f.choice(value) is None:
            raise RuleBroken("{value} is not one of the choices", value=repr(value))
    elif kind == "multichoice":
        if not isinstance(value, list) or any(f.choice(v) is None for v in value):
            raise RuleBroken("holds a value that is not one of the choices")
    elif kind in ("yesno", "signature"):
        if not isinstance(value, bool):
            raise RuleBroken("must be yes or no")
    elif kind == "record":
        if not isinstance(value, str) or not is_uuid(value):
            raise RuleBroken("must be a record id")
    elif kind == "participants":
        if not isinstance(value, dict) or set(value) - set(PARTICIPANT_FIELDS):
            raise RuleBroken("must hold the six participant counts")
        for n in value.values():
            if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
                raise RuleBroken("counts must be whole numbers, zero or more")
    elif kind in _TYPED:
        _TYPED[kind](value)
    elif kind == "table" and (
        not isinstance(value, list) or not all(isinstance(r, dict) for r in value)
    ):
        raise RuleBroken("must be a list of rows")


_TYPED = {
    "time": check_time,
    "datetime": check_datetime,
    "geopoint": check_geopoint,
    "image": check_image,
}


def _bounds(f: FieldDef, value: Any, shown: Any, today: dt.date | None = None) -> None:
    def bound(b: Any) -> Any:
        if f.type == "date":
            return today if b == "today" else dt.date.fromisoformat(b)
        return b

    if f.min is not None and value < bound(f.min):
        if f.type == "date":
            raise RuleBroken("must not be before {date}", date=bound(f.min))
        raise RuleBroken("must be {n} or more", n=f.min)
    if f.max is not None and value > bound(f.max):
        if f.type == "date":
            raise RuleBroken("must not be after {date}", date=bound(f.max))
        raise RuleBroken("must be {n} or less", n=f.max)


def participants_total(value: Mapping[str, Any] | None) -> int:
    return sum(int(v or 0) for v in (value or {}).values())
