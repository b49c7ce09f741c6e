"""Form expressions: parsing, writing back, evaluating as ODK does."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ca_desktop.forms.expr import ExprError, parse, refs, rename, to_source
from ca_desktop.forms.expr_eval import compile_expr, evaluate

CASES = [
    ("${age} >= 18 and selected(${services}, 'water')", {"age": 20, "services": ["water"]}, True),
    ("${age} >= 18 and selected(${services}, 'water')", {"age": 17, "services": ["water"]}, False),
    ("not(${x} = 'yes') or count-selected(${m}) > 1", {"x": "yes", "m": "a b"}, True),
    ("if(${n} > 2, 'many', 'few')", {"n": 3}, "many"),
    ("string-length(${name}) <= 3", {"name": "Zoë"}, True),
    ("${a} + ${b} * 2 = 7", {"a": 1, "b": 3}, True),
    ("10 div 4 = 2.5 and 7 mod 3 = 1", {}, True),
    ("-${a} < 0", {"a": 2}, True),
    ("${missing} = ''", {}, True),
    ("${missing} > 3", {}, False),
    ("${d} <= today()", {"d": "2024-06-12"}, True),
]


@pytest.mark.parametrize(("text", "values", "expected"), CASES)
def test_evaluate_and_compiled_agree(
    text: str, values: dict[str, object], expected: object
) -> None:
    node = parse(text)
    today = dt.date(2024, 6, 30)
    assert evaluate(node, values, today=today) == expected
    assert compile_expr(node)(values, None, today, None) == expected
    assert parse(to_source(node)) == node  # written back, it reads the same


def test_current_value_and_choice_columns() -> None:
    assert evaluate(parse(". > 0 and . < 40"), {}, current=12) is True
    node = parse("county = ${county}", columns=True)
    assert evaluate(node, {"county": "k"}, columns={"county": "k"}) is True
    with pytest.raises(ExprError, match="'county' at character 1 is not supported"):
        parse("county = ${county}")


def test_refs_and_rename() -> None:
    node = parse("${A} = 1 or selected(${B-2}, 'x')")
    assert sorted(set(refs(node))) == ["A", "B-2"]
    assert to_source(rename(node, str.lower)) == "${a} = 1 or selected(${b-2}, 'x')"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("pulldata('a', 'b')", "function pulldata() is not supported"),
        ("${a} +", "ends too early"),
        ("(1", "expected ')'"),
        ("${a} = ‘yes’", "unexpected '‘'"),
        ("'open", "unclosed quote"),
        ("if(1, 2)", "takes 3 argument(s), not 2"),
        ("", "empty"),
        ("(" * 45 + "1" + ")" * 45, "nested more than 40 levels deep"),
        ("1" * 2001, "longer than 2000 characters"),
    ],
)
def test_unsupported_is_named(text: str, reason: str) -> None:
    with pytest.raises(ExprError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


_RAW = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(alphabet="01 .-yesnoé", max_size=5) | st.lists(st.sampled_from(["a", "b", "1"]), max_size=2)  # fmt: skip
_SHAPES = [
    "${x} >= 18", "${x} < 0.5", ". > 0 and . < 40", ". <= 3 or ${x} > 1", "${x} = 'yes'",
    "${x} != ''", ". = '1'", "${x} != '2.0'", "not(${x} = '') and . >= -1",
]  # fmt: skip


@given(shape=st.sampled_from(_SHAPES), x=_RAW, current=_RAW)
def test_compiled_fast_paths_agree_with_evaluate(shape: str, x: object, current: object) -> None:
    """A field or `.` against a constant is compiled to a shortcut: same answers."""
    node = parse(shape)
    values = {} if x is None else {"x": x}
    expected = evaluate(node, values, current=current)
    assert compile_expr(node)(values, current, None, None) == expected
