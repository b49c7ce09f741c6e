"""Form expressions in words for paper: "Only if Household members > 1 and Water source:
Well". Field references print as the field's label in the form's language, choice codes
as their labels; the rest keeps XLSForm's notation, which field officers trained on ODK read.
"""

from __future__ import annotations

from ca_desktop.forms.expr import Binary, Call, Col, Current, Expr, Neg, Num, Ref, Str, to_source
from ca_desktop.forms.model import FormDef

_OPS = {"!=": "≠", "<=": "≤", ">=": "≥", "div": "÷", "mod": "mod", "*": "×"}


def describe(node: Expr, form: FormDef, lang: str) -> str:
    """The expression as printed under a field's label."""
    if isinstance(node, Ref):
        return _label(form, node.name, lang)
    if isinstance(node, Str):
        return f"“{node.value}”"
    if isinstance(node, (Num, Current, Col)):
        return to_source(node)
    if isinstance(node, Neg):
        return f"-{describe(node.operand, form, lang)}"
    if isinstance(node, Binary):
        if node.op == "=" and isinstance(node.left, Ref) and isinstance(node.right, Str):
            return f"{_label(form, node.left.name, lang)}: {_choice(form, node.left.name, node.right.value, lang)}"
        left, right = describe(node.left, form, lang), describe(node.right, form, lang)
        if (
            isinstance(node.left, Binary)
            and node.left.op in ("or", "and")
            and node.op != node.left.op
        ):
            left = f"({left})"
        if (
            isinstance(node.right, Binary)
            and node.right.op in ("or", "and")
            and node.op != node.right.op
        ):
            right = f"({right})"
        return f"{left} {_OPS.get(node.op, node.op)} {right}"
    assert isinstance(node, Call)
    if node.name == "selected" and isinstance(node.args[0], Ref) and isinstance(node.args[1], Str):
        name = node.args[0].name
        return f"{_label(form, name, lang)}: {_choice(form, name, node.args[1].value, lang)}"
    args = ", ".join(describe(a, form, lang) for a in node.args)
    return f"{node.name}({args})"


def _label(form: FormDef, name: str, lang: str) -> str:
    try:
        return form.field(name).label.get(lang)
    except KeyError:
        return name


def _choice(form: FormDef, name: str, value: str, lang: str) -> str:
    try:
        choice = form.field(name).choice(value)
    except KeyError:
        choice = None
    return choice.label.get(lang) if choice else f"“{value}”"
