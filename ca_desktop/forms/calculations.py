"""`calculate` fields: computed from the earlier fields as the form is filled (on screen,
shown read-only), stored with the submission, and checked on import: a calculated value a
phone sent that is not what the form computes is a problem naming both.

A calculation reads only earlier fields (`checks.py`), hidden ones as empty; its result is
stored as text the way ODK writes it (`3`, not `3.0`), or left empty when it is empty or
not a number where a number was needed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from ca_desktop.domain.validation import FieldIssue, issue
from ca_desktop.forms.expr_eval import as_text, truthy
from ca_desktop.forms.model import FieldDef, FormDef


def computed(f: FieldDef, seen: Mapping[str, Any], today: dt.date | None = None) -> str | None:
    """The field's calculated value from the values before it, as stored; None if empty."""
    assert f.calculate_fn is not None
    try:
        result = f.calculate_fn(seen, None, today or dt.date.today(), None)
    except (OverflowError, ValueError, ZeroDivisionError):
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    text = as_text(result)
    return text or None


def with_calculations(
    form: FormDef, values: Mapping[str, Any], today: dt.date | None = None
) -> dict[str, Any]:
    """`values` with every calculated field set to what the form computes (in form order,
    so a calculation may use an earlier one)."""
    if not any(f.calculate is not None for f in form.fields()):
        return dict(values)
    out = dict(values)
    seen: dict[str, Any] = {}  # the relevant fields so far, as `values.relevant_fields`
    for f in form.fields():
        # Relevance decided as the pass goes: it may read a calculation just made.
        rel = f.relevant
        shown = rel is None or (rel.field in seen and rel.holds(out.get(rel.field)))
        if shown and f.relevant_fn is not None:
            shown = truthy(f.relevant_fn(seen, None, None, None))
        if f.calculate is not None:
            out[f.name] = computed(f, seen, today) if shown else None
        if shown:
            seen[f.name] = out.get(f.name)
    return out


def same_result(given: Any, expected: str | None) -> bool:
    """A sent value equals the computed one: as numbers when both are, else as text."""
    if expected is None:
        return given in (None, "")
    text = as_text(given) if not isinstance(given, str) else given.strip()
    try:
        a, b = float(text), float(expected)
    except ValueError:
        return text == expected
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def mismatch(name: str, given: Any, expected: str | None) -> FieldIssue:
    return issue(
        name,
        "the calculated value {given} is not what the form computes: {expected}",
        given=repr(as_text(given) if not isinstance(given, str) else given),
        expected=repr(expected or ""),
    )


def settle(
    fields: list[FieldDef], values: Mapping[str, Any], today: dt.date | None = None
) -> tuple[dict[str, Any], dict[str, FieldIssue]]:
    """({field: value kept}, {field: mismatch}) over the relevant `fields` in form order.

    A calculated field keeps what the form computes; a value given that is not empty and
    not the same result is a mismatch (a submission a phone calculated otherwise), and
    later fields still read the form's own result, so one wrong cell is one problem
    (`RowChecker` decides the same)."""
    kept: dict[str, Any] = {}
    wrong: dict[str, FieldIssue] = {}
    for f in fields:
        value = values.get(f.name)
        if f.calculate is not None:
            expected = computed(f, kept, today)
            if value not in (None, "") and not same_result(value, expected):
                wrong[f.name] = mismatch(f.name, value, expected)
            value = expected  # later calculations read the form's own result
        kept[f.name] = value
    return kept, wrong
