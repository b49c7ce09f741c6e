"""Relevance per row of a repeat (a table): a column whose `relevant` does not hold in a
row is hidden there, so it is not required in that row and its value is not kept.

Inside a row, `${name}` reads the same row's cell when `name` is a column of the table
(as XPath reads a sibling in the same repeat instance), and the form's field otherwise.
A hidden cell reads as empty for the columns after it, like a hidden field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ca_desktop.forms.expr_eval import truthy
from ca_desktop.forms.model import FieldDef


def has_row_relevance(table: FieldDef) -> bool:
    return any(c.relevant_fn is not None or c.relevant is not None for c in table.columns)


def relevant_columns(
    table: FieldDef, row: Mapping[str, Any], outer: Mapping[str, Any]
) -> list[FieldDef]:
    """The columns shown in this row, in order."""
    if not has_row_relevance(table):
        return list(table.columns)
    scope = {**outer, **dict.fromkeys(c.name for c in table.columns)}
    shown: list[FieldDef] = []
    for col in table.columns:
        rel = col.relevant
        ok = rel is None or rel.holds(scope.get(rel.field))
        if ok and col.relevant_fn is not None:
            ok = truthy(col.relevant_fn(scope, None, None, None))
        if ok:
            shown.append(col)
            scope[col.name] = row.get(col.name)
    return shown


def relevant_rows(table: FieldDef, rows: Any, outer: Mapping[str, Any]) -> Any:
    """The rows with the cells of hidden columns left out (other keys, such as a row's
    record id, kept); anything that is not a list of rows comes back as it is."""
    if not has_row_relevance(table) or not isinstance(rows, list):
        return rows
    names = {c.name for c in table.columns}
    out = []
    for row in rows:
        if not isinstance(row, dict):
            out.append(row)
            continue
        shown = {c.name for c in relevant_columns(table, row, outer)}
        out.append({k: v for k, v in row.items() if k not in names or k in shown})
    return out
