"""The spreadsheet layout of a record type, read from its declaration, and cell values.

One layout serves the CSV and XLSX exports, the blank templates and the importer, so a
file written by one is read back by the other unchanged:

    id | every declared field, in declaration order (a reference is followed by a
    read-only `<field>.title` column naming the record it points to) | fields from a newer
    version found in the bodies (read-only) | updated_at | updated_by

Column names are field codes, stable across languages; labels live on the README sheet.
Codes stay codes (enums), dates are dates, numbers numbers; a list field (follow-up
actions) is its JSON text.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.i18n import LANGUAGES, label
from ca_desktop.domain.records import FieldSpec, spec_for
from ca_desktop.domain.validation import RuleBroken

ID = "id"
UPDATED_AT = "updated_at"
UPDATED_BY = "updated_by"
TITLE_SUFFIX = ".title"
META = (UPDATED_AT, UPDATED_BY)

# What Excel, LibreOffice and Sheets may run when a CSV cell starts with one of these.
_INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_STARTS = (*_INJECTION_STARTS, "'")


@dataclass(frozen=True)
class Column:
    name: str  # the header: a field code, `<ref>.title`, or a meta column
    field: FieldSpec | None  # the declared field written from this column (None: read-only)


def layout(record_type: str, extra_fields: Iterable[str] = ()) -> list[Column]:
    """The columns of a record type's sheet, in order; `extra_fields` from newer versions."""
    spec = spec_for(record_type)
    columns = [Column(ID, None)]
    for fs in spec.fields:
        columns.append(Column(fs.name, fs))
        if fs.kind == "ref":
            columns.append(Column(fs.name + TITLE_SUFFIX, None))
    columns += [Column(name, None) for name in sorted(set(extra_fields)) if name not in META]
    columns += [Column(name, None) for name in META]
    return columns


def writable_fields(record_type: str) -> dict[str, FieldSpec]:
    """{header: field} for the columns an import writes."""
    return {fs.name: fs for fs in spec_for(record_type).fields}


def read_only_columns(record_type: str) -> set[str]:
    spec = spec_for(record_type)
    return {ID, *META, *(f.name + TITLE_SUFFIX for f in spec.fields if f.kind == "ref")}


# -- out -------------------------------------------------------------------------------


def cell_out(fs: FieldSpec | None, value: Any) -> Any:
    """A body value as a spreadsheet cell: date, number, bool, text or None."""
    if value is None or value == [] or value == "":
        return None
    if fs is None:  # a field from a newer version: shown as it is stored
        return value if isinstance(value, (str, int, float, bool)) else _json(value)
    kind = fs.kind
    if kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
    if kind == "enums":
        return ",".join(value)
    if kind == "list":
        return _json(value)
    return value


def updated_at(hlc: str) -> dt.datetime | None:
    """The revision's clock as a UTC time (naive: spreadsheets have no time zones)."""
    try:
        ms = Timestamp.parse(hlc).wall_ms
    except ValueError:
        return None
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).replace(tzinfo=None, microsecond=0)


def csv_text(value: Any) -> str:
    """A cell as CSV text, neutralised so that no spreadsheet runs it as a formula.

    Text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe,
    which spreadsheets show as text and our importer removes again; so does text that
    starts with an apostrophe itself, so that the importer never takes one away from it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(_ESCAPED_STARTS) else text


def csv_unescape(text: str) -> str:
    """Undo `csv_text`'s apostrophe (a hand-typed 'text keeps its apostrophe)."""
    if text.startswith("'") and text[1:].startswith(_ESCAPED_STARTS):
        return text[1:]
    return text


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# -- in --------------------------------------------------------------------------------


def cell_in(fs: FieldSpec, raw: Any) -> Any:
    """A cell as the value `domain.validation` expects; raises ValueError with a reason.

    Codes may be given as their label in any of the four languages.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = fs.kind
    if kind in ("text", "longtext", "ref"):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # a spreadsheet turned a number-like text into a number
        if isinstance(raw, (dt.datetime, dt.date)):
            raise RuleBroken("must be text")
        return str(raw)
    if kind == "enum":
        assert fs.enum is not None
        return _code(fs, raw)
    if kind == "enums":
        assert fs.enum is not None
        parts = [p for p in str(raw).replace(";", ",").split(",") if p.strip()]
        return [_code(fs, p) for p in parts]
    if kind == "list":
        if not isinstance(raw, str):
            raise RuleBroken("must be a JSON list")
        try:
            value = json.loads(raw)
        except ValueError:
            raise RuleBroken("must be a JSON list") from None
        if not isinstance(value, list):
            raise RuleBroken("must be a JSON list")
        return value
    if kind == "date" and isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise RuleBroken("must be a date without a time")
        return raw.date()
    if kind == "bool" and isinstance(raw, str):
        return raw.strip().lower()
    return raw


def _code(fs: FieldSpec, raw: Any) -> str:
    text = str(raw).strip()
    codes = _labels_to_codes(fs.enum)  # type: ignore[arg-type]
    code = codes.get(fold(text))
    if code is None:
        raise RuleBroken("{value} is not one of the allowed codes", value=repr(text))
    return code


@cache
def _labels_to_codes(enum: type[StrEnum]) -> Mapping[str, str]:
    """{code or label in any language, folded (`fold`): code}."""
    out: dict[str, str] = {}
    for member in enum:
        out[fold(member.value)] = member.value
        for lang in LANGUAGES:
            out.setdefault(fold(label(member.value, lang)), member.value)
    return out


def fold(text: str) -> str:
    """Case and accents ignored: "Resilience" finds "Résilience", typed without accents."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
