"""Evaluating form expressions (`expr.py`) with XPath 1.0's rules, as ODK applies them:
missing and hidden fields read as empty text, comparisons are numeric when either side is a
number, ISO dates compare as text. `compile_expr` turns an AST into closures once, so an
import checks thousands of rows without walking the tree for each value.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Callable, Mapping
from typing import Any

from ca_desktop.forms.expr import Binary, Call, Col, Current, Expr, Neg, Num, Ref, Str


def evaluate(
    node: Expr,
    values: Mapping[str, Any],
    current: Any = None,
    today: dt.date | None = None,
    columns: Mapping[str, str] | None = None,
) -> Any:
    """The value of the expression; missing and hidden fields read as empty text.

    `current` is the value of `.`; `columns` the choice's columns for a choice filter."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Str):
        return node.value
    if isinstance(node, Ref):
        return _plain(values.get(node.name))
    if isinstance(node, Current):
        return _plain(current)
    if isinstance(node, Col):
        return (columns or {}).get(node.name, "")
    if isinstance(node, Neg):
        return -_number(evaluate(node.operand, values, current, today, columns))
    if isinstance(node, Binary):
        return _binary(node, values, current, today, columns)

    def arg(i: int) -> Any:
        return evaluate(node.args[i], values, current, today, columns)

    name = node.name
    if name == "selected":
        return str(arg(1)) in _selected(arg(0))
    if name == "count-selected":
        return float(len(_selected(arg(0))))
    if name == "not":
        return not truthy(arg(0))
    if name == "if":
        return arg(1) if truthy(arg(0)) else arg(2)
    if name == "string-length":
        return float(len(_string(arg(0))))
    if name == "date":
        return _string(arg(0))
    if name == "today":
        return (today or dt.date.today()).isoformat()
    return name == "true"


def _truth(value: Any) -> bool:
    """`truthy`, with booleans (what comparisons give) answered without the checks."""
    return value if value is True or value is False else truthy(value)


def truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0 and not math.isnan(value)
    return value not in (None, "")


def _binary(
    node: Binary,
    values: Mapping[str, Any],
    current: Any,
    today: dt.date | None,
    columns: Mapping[str, str] | None,
) -> Any:
    def side(n: Expr) -> Any:
        return evaluate(n, values, current, today, columns)

    op = node.op
    if op == "and":
        return truthy(side(node.left)) and truthy(side(node.right))
    if op == "or":
        return truthy(side(node.left)) or truthy(side(node.right))
    left, right = side(node.left), side(node.right)
    if op in ("=", "!="):
        same = _equal(left, right)
        return same if op == "=" else not same
    if op in ("<", "<=", ">", ">="):
        return _compare(op, left, right)
    return _ARITH[op](_number(left), _number(right))


# Arithmetic on two numbers, by operator (XPath: division by zero is NaN, not an error).
_ARITH: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "div": lambda x, y: x / y if y else math.nan,
    "mod": lambda x, y: math.fmod(x, y) if y else math.nan,
}


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _selected(value: Any) -> list[str]:
    return _string(value).split()


def as_text(value: Any) -> str:
    """A value as XPath's `string()` gives it: `3` for 3.0, `true`, words joined by spaces."""
    return _string(_plain(value))


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else str(value)
    return str(value)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    try:
        return float(str(value).strip())
    except ValueError:
        return math.nan


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return truthy(left) == truthy(right)
    if isinstance(left, float) or isinstance(right, float):
        return _number(left) == _number(right)
    return _string(left) == _string(right)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(op: str, left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        # ISO dates compare as text, which is how ODK forms compare dates with today().
        if isinstance(left, str) and isinstance(right, str) and left and right:
            return _ORDER[op](left, right)
        return False
    return _ORDER[op](a, b)


Compiled = Callable[[Mapping[str, Any], Any, "dt.date | None", "Mapping[str, str] | None"], Any]


def compile_expr(node: Expr) -> Compiled:
    """The expression as one Python closure per node: what `evaluate` does, without walking
    the tree for every value (an import checks thousands of rows with the same rules)."""
    if isinstance(node, (Num, Str)):
        constant = node.value
        return lambda v, c, t, cols: constant
    if isinstance(node, Ref):
        name = node.name
        return lambda v, c, t, cols: _plain(v.get(name))
    if isinstance(node, Current):
        return lambda v, c, t, cols: _plain(c)
    if isinstance(node, Col):
        col = node.name
        return lambda v, c, t, cols: (cols or {}).get(col, "")
    if isinstance(node, Neg):
        inner = compile_expr(node.operand)
        return lambda v, c, t, cols: -_number(inner(v, c, t, cols))
    if isinstance(node, Binary):
        return _compile_binary(node)
    return _compile_call(node)


def _compile_binary(node: Binary) -> Compiled:
    fast = _compile_against_constant(node)
    if fast is not None:
        return fast
    left, right, op = compile_expr(node.left), compile_expr(node.right), node.op
    if op == "and":
        return lambda v, c, t, cols: _truth(left(v, c, t, cols)) and _truth(right(v, c, t, cols))
    if op == "or":
        return lambda v, c, t, cols: _truth(left(v, c, t, cols)) or _truth(right(v, c, t, cols))
    if op == "=":
        return lambda v, c, t, cols: _equal(left(v, c, t, cols), right(v, c, t, cols))
    if op == "!=":
        return lambda v, c, t, cols: not _equal(left(v, c, t, cols), right(v, c, t, cols))
    if op in _ORDER:
        return lambda v, c, t, cols: _compare(op, left(v, c, t, cols), right(v, c, t, cols))
    arith = _ARITH[op]
    return lambda v, c, t, cols: arith(_number(left(v, c, t, cols)), _number(right(v, c, t, cols)))


def _compile_against_constant(node: Binary) -> Compiled | None:
    """`${x} >= 18`, `. < 1000`, `${q} != ''`: a field or `.` against a constant, the
    commonest constraint and relevance shapes, read straight from the raw value.

    Same results as the general path (a property test compares them): against a number,
    comparisons are numeric (NaN, from text or an empty value, compares false); against
    text, a text value compares as it is."""
    op, field, const = node.op, node.left, node.right
    if not isinstance(field, (Ref, Current)) or not isinstance(const, (Num, Str)):
        return None
    read = _reader(field)
    k = const.value
    if isinstance(const, Num) and op in _ORDER:
        order = _ORDER[op]
        return lambda v, c, t, cols: order(_raw_number(read(v, c)), k)
    if isinstance(const, Str) and op in ("=", "!="):
        same = op == "="

        k_number = _number(k)

        def text_equal(v: Mapping[str, Any], c: Any, t: Any, cols: Any) -> bool:
            raw = read(v, c)
            kind = type(raw)
            if kind is str:
                hit = raw == k
            elif kind is int or kind is float:
                hit = float(raw) == k_number  # `_equal`: numeric when a side is a number
            elif raw is None:
                hit = k == ""  # missing reads as empty text
            else:
                hit = _equal(_plain(raw), k)
            return hit if same else not hit

        return text_equal
    return None


def _reader(node: Ref | Current) -> Callable[[Mapping[str, Any], Any], Any]:
    if isinstance(node, Current):
        return lambda v, c: c
    name = node.name
    return lambda v, c: v.get(name)


def _raw_number(raw: Any) -> float:
    """`_number(_plain(raw))` for a value as stored (int, float, text, list, None)."""
    kind = type(raw)
    if kind is int or kind is float or kind is bool:
        return float(raw)
    return _number(_plain(raw))


def _compile_call(node: Call) -> Compiled:
    args = [compile_expr(a) for a in node.args]
    name = node.name
    if name == "selected":
        a, b = args
        return lambda v, c, t, cols: str(b(v, c, t, cols)) in _selected(a(v, c, t, cols))
    if name == "not":
        (a,) = args
        return lambda v, c, t, cols: not truthy(a(v, c, t, cols))
    return lambda v, c, t, cols: evaluate(node, v, c, t, cols)
