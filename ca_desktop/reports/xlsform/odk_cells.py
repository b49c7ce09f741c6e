"""The cells of an ODK/Kobo CSV as form values: one converter per field type, run over a
whole column at once (`convert_column`), so an export of 10,000 submissions of 500
questions converts in list comprehensions instead of a Python call chain per cell.

A converter takes non-empty text and returns the value, or raises ValueError with the
message the import report shows for that cell.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.typed_values import (
    geopoint_from_text,
    image_from_text,
    normal_datetime,
    normal_time,
)

Converter = Callable[[str], Any]
# (row index, message) for each cell that could not be converted
CellProblems = list[tuple[int, str]]


def converter(f: FieldDef, count: str | None) -> Converter:
    """Text (not empty) to the field's value; ValueError with the message when it cannot be.

    `count`: the part of a field split over several columns (a participant count, or
    the latitude ... accuracy of a geopoint as ODK Central writes it)."""
    if count is None:
        return _CONVERT.get(f.type, _text)
    if f.type == "geopoint":
        return _decimal
    if count not in PARTICIPANT_FIELDS:

        def refuse(text: str) -> Any:
            raise ValueError(f"{count!r} is not a participant count")

        return refuse
    return _integer


def convert_column(texts: Sequence[str], convert: Converter) -> tuple[list[Any], CellProblems]:
    """The column's values (None for an empty cell) and its problems, by row index."""
    stripped = list(map(str.strip, texts))
    if convert is _text:
        return [t or None for t in stripped], []
    fast = _FAST.get(convert)
    if fast is not None:
        try:
            return [fast(t) if t else None for t in stripped], []
        except ValueError:
            pass  # some cell needs the full converter (or is wrong): go cell by cell
    try:
        return [convert(t) if t else None for t in stripped], []
    except ValueError:
        pass
    out: list[Any] = []
    problems: CellProblems = []
    for i, t in enumerate(stripped):
        try:
            out.append(convert(t) if t else None)
        except ValueError as exc:
            problems.append((i, str(exc)))
            out.append(None)
    return out, problems


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("must be a number")
    return value


def _integer(text: str) -> int:
    try:
        value = _number(text)
    except ValueError:
        raise ValueError("must be a whole number") from None
    if value != int(value):
        raise ValueError("must be a whole number")
    return int(value)


def _small_integer(text: str) -> int:
    """`_integer` for plain digits (most cells): `int` itself, within float's exact range
    (beyond it `_integer` decides, as it always did)."""
    value = int(text)
    if -(2**53) < value < 2**53:
        return value
    raise ValueError(text)


def _decimal(text: str) -> float:
    try:
        return _number(text)
    except ValueError:
        raise ValueError("must be a number") from None


def _yesno(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("yes", "true", "1", "ok", "y"):
        return True
    if lowered in ("no", "false", "0", "n"):
        return False
    raise ValueError("must be yes or no")


def _text(text: str) -> str:
    return text


def _time(text: str) -> str:
    value = normal_time(text)
    if value is None:
        raise ValueError("must be a time (HH:MM)")
    return value


def _datetime(text: str) -> str:
    value = normal_datetime(text)
    if value is None:
        raise ValueError("must be a date and time (YYYY-MM-DD HH:MM)")
    return value


_CONVERT: dict[str, Converter] = {
    "integer": _integer,
    "decimal": _decimal,
    "date": lambda t: t[:10],  # ODK writes dates as YYYY-MM-DD (datetimes start so)
    "yesno": _yesno,
    "signature": lambda t: True,  # the file name of the signature image: it was signed
    "multichoice": lambda t: t.split(),
    "time": _time,
    "datetime": _datetime,
    "geopoint": geopoint_from_text,
    "image": image_from_text,
}
# A quicker converter giving the same value where it succeeds; any ValueError from it
# sends the column to the full converter.
_FAST: dict[Converter, Converter] = {_integer: _small_integer}
