"""Form expressions: the XLSForm/XPath subset CA forms understand, parsed into a small AST.

A Pratt parser (no regular expressions over the whole text) turns `${age} >= 18 and
selected(${services}, 'water')` into nodes the form model evaluates (relevance,
constraints), prints on paper ("Only if …") and writes back out (XLSForm export). Anything
outside the subset raises `ExprError` naming what is not supported, so an importer can
report it instead of dropping it. Length and nesting are bounded: the text comes from
spreadsheets written by others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 40

# name -> (min args, max args)
FUNCTIONS = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "not": (1, 1),
    "if": (3, 3),
    "string-length": (1, 1),
    "today": (0, 0),
    "date": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
}
# binary operator -> binding power
_BINARY = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


class ExprError(ValueError):
    """Text that is not an expression of the supported subset (the message says why)."""


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Col:
    """A bare name in a choice filter: that column of the choice being filtered."""

    name: str


@dataclass(frozen=True)
class Current:
    """`.`: the value of the field the expression belongs to (constraints)."""


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


Expr = Num | Str | Ref | Col | Current | Neg | Binary | Call


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, str, ref, name, op, dot, end
    text: str
    pos: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "$" and text.startswith("${", i):
            end = text.find("}", i)
            name = text[i + 2 : end] if end > 0 else ""
            if not name or not (name[0].isalpha() or name[0] == "_"):
                raise ExprError(f"bad field reference at character {i + 1}")
            if not all(c.isalnum() or c in "_-." for c in name):
                raise ExprError(f"bad field reference at character {i + 1}")
            out.append(_Tok("ref", name, i))
            i = end + 1
        elif ch in "'\"":
            end = text.find(ch, i + 1)
            if end < 0:
                raise ExprError(f"unclosed quote at character {i + 1}")
            out.append(_Tok("str", text[i + 1 : end], i))
            i = end + 1
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and (text[j].isdigit() or text[j] == "."):
                j += 1
            out.append(_Tok("num", text[i:j], i))
            i = j
        elif ch.isalpha():
            j = i
            while j < n and (text[j].isalnum() or text[j] in "-_:"):
                j += 1
            out.append(_Tok("name", text[i:j], i))
            i = j
        elif text.startswith(("!=", "<=", ">="), i):
            out.append(_Tok("op", text[i : i + 2], i))
            i += 2
        elif ch in "=<>+-*(),":
            out.append(_Tok("op", ch, i))
            i += 1
        elif ch == ".":
            out.append(_Tok("dot", ch, i))
            i += 1
        else:
            raise ExprError(f"unexpected {ch!r} at character {i + 1}")
    out.append(_Tok("end", "", n))
    return out


class _Parser:
    def __init__(self, text: str, columns: bool) -> None:
        self.columns = columns
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text or tok.kind not in ("op", "name"):
            raise ExprError(f"expected {text!r} at character {tok.pos + 1}")

    def expr(self, min_power: int = 0) -> Expr:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"nested more than {MAX_DEPTH} levels deep")
        left = self.prefix()
        while True:
            tok = self.peek()
            power = _BINARY.get(tok.text) if tok.kind in ("op", "name") else None
            if power is None or power <= min_power:
                break
            self.take()
            left = Binary(tok.text, left, self.expr(power))
        self.depth -= 1
        return left

    def prefix(self) -> Expr:
        tok = self.take()
        if tok.kind == "num":
            try:
                return Num(float(tok.text))
            except ValueError:
                raise ExprError(f"bad number {tok.text!r}") from None
        if tok.kind == "str":
            return Str(tok.text)
        if tok.kind == "ref":
            return Ref(tok.text)
        if tok.kind == "dot":
            return Current()
        if tok.kind == "op" and tok.text == "-":
            return Neg(self.expr(6))
        if tok.kind == "op" and tok.text == "(":
            inner = self.expr()
            self.expect(")")
            return inner
        if tok.kind == "name" and self.peek().text == "(":
            return self.call(tok)
        if tok.kind == "name" and tok.text not in _BINARY and self.columns:
            return Col(tok.text)
        if tok.kind == "end":
            raise ExprError("the expression ends too early")
        raise ExprError(f"{tok.text!r} at character {tok.pos + 1} is not supported")

    def call(self, tok: _Tok) -> Expr:
        if tok.text not in FUNCTIONS:
            raise ExprError(f"function {tok.text}() is not supported")
        self.expect("(")
        args: list[Expr] = []
        if self.peek().text != ")":
            args.append(self.expr())
            while self.peek().text == ",":
                self.take()
                args.append(self.expr())
        self.expect(")")
        low, high = FUNCTIONS[tok.text]
        if not low <= len(args) <= high:
            raise ExprError(f"{tok.text}() takes {low} argument(s), not {len(args)}")
        return Call(tok.text, tuple(args))


def parse(text: str, columns: bool = False) -> Expr:
    """The AST of `text`; ExprError when it is empty, too long or outside the subset.

    `columns`: bare names are choice columns (choice filters only)."""
    if not text.strip():
        raise ExprError("the expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the expression is longer than {MAX_LENGTH} characters")
    parser = _Parser(text, columns)
    node = parser.expr()
    tok = parser.peek()
    if tok.kind != "end":
        raise ExprError(f"unexpected {tok.text!r} at character {tok.pos + 1}")
    return node


# The nodes that hold other nodes: how to read their children, and how to build the same
# node over new children. `refs` and `rename` (and any other walk) go through this table
# instead of each repeating the node types.
_Kids = Callable[[Any], tuple["Expr", ...]]
_Build = Callable[[Any, tuple["Expr", ...]], "Expr"]
_SHAPES: dict[type, tuple[_Kids, _Build]] = {
    Neg: (lambda n: (n.operand,), lambda n, kids: Neg(kids[0])),
    Binary: (lambda n: (n.left, n.right), lambda n, kids: Binary(n.op, kids[0], kids[1])),
    Call: (lambda n: n.args, lambda n, kids: Call(n.name, kids)),
}


def children(node: Expr) -> tuple[Expr, ...]:
    shape = _SHAPES.get(type(node))
    return shape[0](node) if shape else ()


def transform(node: Expr, leaf: Callable[[Expr], Expr]) -> Expr:
    """The same tree with `leaf` applied to every node that holds no other."""
    shape = _SHAPES.get(type(node))
    if shape is None:
        return leaf(node)
    kids, build = shape
    return build(node, tuple(transform(k, leaf) for k in kids(node)))


def refs(node: Expr) -> Iterator[str]:
    """The field names the expression reads."""
    if isinstance(node, Ref):
        yield node.name
    for kid in children(node):
        yield from refs(kid)


def to_source(node: Expr) -> str:
    """XLSForm text of the AST (what a definition file and an exported XLSForm hold)."""
    if isinstance(node, Num):
        return str(int(node.value)) if node.value == int(node.value) else repr(node.value)
    if isinstance(node, Str):
        quote = '"' if "'" in node.value else "'"
        return f"{quote}{node.value}{quote}"
    if isinstance(node, Ref):
        return "${" + node.name + "}"
    if isinstance(node, Current):
        return "."
    if isinstance(node, Col):
        return node.name
    if isinstance(node, Neg):
        return f"-{_wrap(node.operand, 6)}"
    if isinstance(node, Binary):
        power = _BINARY[node.op]
        return f"{_wrap(node.left, power)} {node.op} {_wrap(node.right, power + 1)}"
    return f"{node.name}({', '.join(to_source(a) for a in node.args)})"


def _wrap(node: Expr, power: int) -> str:
    text = to_source(node)
    return f"({text})" if isinstance(node, Binary) and _BINARY[node.op] < power else text


def rename(node: Expr, names: Callable[[str], str]) -> Expr:
    """The same expression with every field reference renamed (imported field names)."""
    return transform(node, lambda n: Ref(names(n.name)) if isinstance(n, Ref) else n)
