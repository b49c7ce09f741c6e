"""The form definition model: what a loaded `resources/forms/*.json` file holds.

Plain frozen dataclasses; `loader.py` builds them from JSON and `checks.py` proves them
consistent. Labels are `Text`: one string per language, all four always present.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ca_desktop.forms.expr import Expr
from ca_desktop.forms.expr_eval import Compiled, compile_expr

LANGS = ("en", "fr", "es", "pt")

FIELD_TYPES = (
    "text",
    "longtext",
    "integer",
    "decimal",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "signature",
    "record",
    "participants",
    "table",
    # From XLSForm (`typed_values.py`):
    "time",
    "datetime",
    "geopoint",
    "image",
)
# Types a repeating table may use as columns.
COLUMN_TYPES = (
    "text", "integer", "decimal", "date", "choice", "yesno", "signature", "time", "datetime"
)  # fmt: skip


@dataclass(frozen=True)
class Text:
    """A label in every supported language."""

    en: str
    fr: str
    es: str
    pt: str
    # Languages of imported forms the app itself does not speak: (("sw", "..."),).
    other: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str) -> str:
        if lang in LANGS:
            return str(getattr(self, lang))
        return next((t for code, t in self.other if code == lang), self.en)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text
    short: Text | None = None  # for narrow table cells: "F", "M"
    columns: tuple[tuple[str, str], ...] = ()  # extra XLSForm columns, read by choice filters


@dataclass(frozen=True)
class Relevance:
    """Show a field only if another field's value equals one of `values` (or is filled)."""

    field: str
    values: tuple[Any, ...] = ()
    filled: bool = False

    def holds(self, value: Any) -> bool:
        if self.filled:
            return value not in (None, "", [], {})
        if isinstance(value, list):
            return any(v in self.values for v in value)
        return value in self.values


@dataclass(frozen=True)
class Total:
    """A page-total cell under a table: the sum of a column or a count of matching rows."""

    label: Text
    sum: str | None = None
    column: str | None = None
    values: tuple[Any, ...] = ()

    def compute(self, rows: list[dict[str, Any]]) -> int | float:
        if self.sum:
            return sum(r.get(self.sum) or 0 for r in rows)
        if self.column:
            return sum(1 for r in rows if r.get(self.column) in self.values)
        return sum(1 for r in rows if any(v not in (None, "", False) for v in r.values()))


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Text
    help: Text | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    relevant: Relevance | None = None
    maps_to: str | None = None  # the record field this form field reads and writes
    record_type: str | None = None  # for "record" fields: the type picked
    link: bool = False  # for submission forms: this record field is the linked record
    min: float | str | None = None
    max: float | str | None = None
    max_length: int | None = None
    lines: int = 1  # handwriting lines on paper for text/longtext
    width: str = "full"  # "full" or "half" of the page width on paper
    unit: Text | None = None
    # Repeating tables:
    columns: tuple[FieldDef, ...] = ()
    rows: int = 5  # blank rows printed at least
    min_rows: int = 0
    max_rows: int | None = None
    totals: tuple[Total, ...] = ()
    rows_record: str | None = None  # each row is a record of this type...
    rows_link: str | None = None  # ...whose field of this name points at the form's record
    col_width: float = 1.0  # relative column width inside a table
    # Expressions (forms imported from XLSForm; `expr.py`):
    relevant_expr: Expr | None = None  # shown only if this holds
    constraint: Expr | None = None  # the value must make this true ("." is the value)
    constraint_message: Text | None = None
    calculate: Expr | None = None  # computed, never typed
    choice_filter: Expr | None = None  # which choices are offered
    appearance: str = ""
    read_only: bool = False
    default: str | None = None

    def choice(self, value: Any) -> Choice | None:
        return self._choices_by_value.get(value) if isinstance(value, str) else None

    @cached_property
    def _choices_by_value(self) -> dict[str, Choice]:
        return {c.value: c for c in self.choices}

    @cached_property
    def relevant_fn(self) -> Compiled | None:
        return compile_expr(self.relevant_expr) if self.relevant_expr is not None else None

    @cached_property
    def calculate_fn(self) -> Compiled | None:
        return compile_expr(self.calculate) if self.calculate is not None else None

    @cached_property
    def constraint_fn(self) -> Compiled | None:
        return compile_expr(self.constraint) if self.constraint is not None else None

    def column(self, name: str) -> FieldDef:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    fields: tuple[FieldDef, ...]
    help: Text | None = None


@dataclass(frozen=True)
class FormDef:
    code: str
    version: str
    title: Text
    sections: tuple[Section, ...]
    record_type: str | None = None  # a core record the form reads and writes
    intro: Text | None = None
    orientation: str = "portrait"  # "landscape" for wide registers
    source: str = ""  # file it was loaded from, for messages
    languages: tuple[str, ...] = LANGS  # the languages its labels are written in
    origin: str = ""  # "xlsform" for forms imported from an XLSForm
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def fields(self) -> Iterator[FieldDef]:
        for section in self.sections:
            yield from section.fields

    def field(self, name: str) -> FieldDef:
        for f in self.fields():
            if f.name == name:
                return f
        raise KeyError(name)

    @cached_property
    def link_field(self) -> FieldDef | None:
        """For forms saved as submissions: the field holding the linked record (asked for
        every submission of an import: found once)."""
        return next((f for f in self.fields() if f.link), None)

    @property
    def link_type(self) -> str | None:
        link = self.link_field
        return link.record_type if link else None
