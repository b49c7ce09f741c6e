"""`RowChecker`: `relevant_fields` and `check_values` for many rows of one form (ODK and
spreadsheet imports), planned once per form instead of dispatching on each field's
definition for every cell.

The rules are those of `values.py` (the same messages, the same order); only the common
kinds get a specialised check here, every other kind goes through `check_value` itself.
A test compares both on mixed rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from ca_desktop.domain.validation import FieldIssue
from ca_desktop.forms.calculations import computed, mismatch, same_result, settle
from ca_desktop.forms.expr_eval import truthy
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.repeat_rows import has_row_relevance, relevant_rows
from ca_desktop.forms.values import check_constraint, check_value, is_empty

# value (not empty) -> its problems, [] when it is fine
_Check = Callable[[Any], list[FieldIssue]]
_NONE: list[FieldIssue] = []


class RowChecker:
    def __init__(self, form: FormDef, today: dt.date | None = None) -> None:
        self.today = today or dt.date.today()
        self.fields = list(form.fields())
        self._plans = {id(f): _plan(f, self.today) for f in self.fields}
        # Each field's plan; and the values that need no plan call at all: {type} for a
        # field whose plan accepts any value of that type, {codes} for a single choice.
        self._row = [
            (
                f, f.name, f.relevant, f.relevant_fn, f.required, self._plans[id(f)],
                f.constraint_fn, _ok_types(f), _codes(f),
                f.type == "table" and has_row_relevance(f), f.calculate is not None,
            )
            for f in self.fields
        ]  # fmt: skip

    def relevant(self, values: Mapping[str, Any]) -> list[FieldDef]:
        """`values.relevant_fields(form, values)`."""
        shown: dict[str, FieldDef] = {}
        seen: dict[str, Any] = {}
        get = values.get
        for f in self.fields:
            rel = f.relevant
            ok = rel is None or (rel.field in shown and rel.holds(get(rel.field)))
            if ok and f.relevant_expr is not None:
                fn = f.relevant_fn
                ok = fn is None or truthy(fn(seen, None, None, None))
            if ok:
                shown[f.name] = f
                seen[f.name] = get(f.name)
        return list(shown.values())

    def check(self, values: Mapping[str, Any], shown: list[FieldDef]) -> list[FieldIssue]:
        """`values.check_values(form, values, shown=shown)`."""
        issues: list[FieldIssue] = []
        kept, wrong = settle(shown, values, self.today)
        plans = self._plans
        for f in shown:
            name = f.name
            if name in wrong:
                issues.append(wrong[name])
                continue
            plan = plans.get(id(f)) or _plan(f, self.today)
            issues += self._one(f, name, kept.get(name), plan, values)
        return issues

    def check_row(
        self, values: Mapping[str, Any], filled: list[dict[str, Any]] | None = None
    ) -> tuple[dict[str, Any], list[FieldIssue]]:
        """`relevant` and `check` in one pass: ({relevant field: its value}, problems).

        A field's relevance reads only the fields before it, so deciding it and checking
        the value as the pass reaches the field gives what the two passes give. `filled`,
        when given, receives `{"field", "value"}` of each relevant field with a value, in
        form order: a submission's `values`, built without a second walk."""
        seen: dict[str, Any] = {}  # values of the relevant fields, in form order
        issues: list[FieldIssue] = []
        get = values.get
        today = self.today
        for (
            f,
            name,
            rel,
            rel_fn,
            required,
            plan,
            con_fn,
            ok_types,
            codes,
            rows_rel,
            calc,
        ) in self._row:
            if rel is not None and not (rel.field in seen and rel.holds(get(rel.field))):
                continue
            if rel_fn is not None:
                shown = rel_fn(seen, None, None, None)
                if shown is not True and not truthy(shown):
                    continue
            value = get(name)
            if calc:
                # A calculated value sent from a phone must be what the form computes.
                expected = computed(f, seen, today)
                if value not in (None, "") and not same_result(value, expected):
                    seen[name] = expected  # later fields read the form's result: `settle`
                    issues.append(mismatch(name, value, expected))
                    continue
                value = expected
            seen[name] = value
            kind = type(value)
            if kind is str:
                empty = value == ""
            elif kind is int or kind is float or kind is bool:
                empty = False
            elif kind is list:
                empty = not value
            else:
                empty = value is None or is_empty(value)
            if empty:
                if required:
                    issues.append(FieldIssue(name, "is required"))
                continue
            if rows_rel:
                # Each row's hidden cells are not required there, and are not kept.
                found = check_value(f, value, name, today, seen)
                value = seen[name] = relevant_rows(f, value, seen)
                if found:
                    issues += found
                    continue
            elif kind not in ok_types and not (
                codes is not None and kind is str and value in codes
            ):
                found = plan(value)
                if found:
                    issues += found
                    continue
            if con_fn is not None:
                ok = con_fn(values, value, today, None)
                if ok is not True and not truthy(ok):
                    issues += check_constraint(f, values, today)
                    continue
            if filled is not None:
                filled.append({"field": name, "value": value})
        return seen, issues

    def _one(
        self, f: FieldDef, name: str, value: Any, plan: _Check, values: Mapping[str, Any]
    ) -> list[FieldIssue]:
        if _empty(value):
            return [FieldIssue(name, "is required")] if f.required else _NONE
        if f.type == "table":
            found = check_value(f, value, name, self.today, values)  # relevance per row
        else:
            found = plan(value)
        if not found and f.constraint is not None:
            return check_constraint(f, values, self.today)
        return found


def _empty(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return value == ""
    if kind is int or kind is float:
        return False
    return is_empty(value)


def _plan(f: FieldDef, today: dt.date) -> _Check:
    name = f.name
    if f.type in ("text", "longtext"):
        limit = f.max_length

        def text(value: Any) -> list[FieldIssue]:
            if type(value) is str and not (limit and len(value) > limit):
                return _NONE
            return check_value(f, value, name, today)

        return text
    if f.type in ("integer", "decimal") and f.min is None and f.max is None:
        whole = f.type == "integer"

        def number(value: Any) -> list[FieldIssue]:
            kind = type(value)
            if kind is int or (kind is float and math.isfinite(value) and not whole):
                return _NONE
            return check_value(f, value, name, today)

        return number
    if f.type in ("choice", "multichoice"):
        codes = frozenset(c.value for c in f.choices)
        single = f.type == "choice"

        def choice(value: Any) -> list[FieldIssue]:
            if single and type(value) is str and value in codes:
                return _NONE
            if not single and type(value) is list and _all_codes(codes, value):
                return _NONE
            return check_value(f, value, name, today)

        return choice
    if f.type == "date" and f.min is None and f.max is None:

        def date(value: Any) -> list[FieldIssue]:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                return check_value(f, value, name, today)
            return _NONE

        return date
    return lambda value: check_value(f, value, name, today)


def _all_codes(codes: frozenset[str], value: list[Any]) -> bool:
    """Every item is one of the codes (a set operation in C: only a text equals a code)."""
    try:
        return codes.issuperset(value)
    except TypeError:  # an unhashable item: not a code
        return False


def _ok_types(f: FieldDef) -> frozenset[type]:
    """Types every value of which the field's plan accepts (no bounds, no length limit)."""
    if f.type in ("text", "longtext") and not f.max_length:
        return frozenset({str})
    if f.type in ("integer", "decimal") and f.min is None and f.max is None:
        return frozenset({int})  # floats: the plan checks them (finite, whole)
    return frozenset()


def _codes(f: FieldDef) -> frozenset[str] | None:
    return frozenset(c.value for c in f.choices) if f.type == "choice" else None
