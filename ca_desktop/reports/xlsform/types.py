"""What each XLSForm question type becomes in a CA form.

Types with a desktop or paper meaning map onto a CA field type; a few are mapped with a
note in the report (a GPS point is typed as coordinates); metadata ODK records on the phone
(start, end, device id) is recorded by CA Desktop itself (author, laptop, time of every
revision), so it is reported and left out; the rest is reported as not supported.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mapping:
    ca_type: str | None  # None: no field
    note: str = ""  # reported when set
    unsupported: bool = False  # counts for --strict
    help: str = ""  # English help printed with the field


DIRECT = {
    "text": "text",
    "string": "text",
    "integer": "integer",
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "acknowledge": "yesno",
    "time": "time",
    "datetime": "datetime",
    "geopoint": "geopoint",
    "image": "image",
    "photo": "image",
}
METADATA = {
    "start", "end", "today", "deviceid", "imei", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "background-geopoint",
}  # fmt: skip
MAPPED = {
    "datetime-local": Mapping("datetime", "a local date and time is a date and time"),
    "barcode": Mapping("text", "a barcode is typed as text"),
    "range": Mapping("integer", "a range is typed as a number"),
}


def map_type(kind: str) -> Mapping:
    """The mapping of a question type (already lower case, without its list name)."""
    if kind in DIRECT:
        return Mapping(DIRECT[kind])
    if kind in MAPPED:
        return MAPPED[kind]
    if kind in METADATA:
        return Mapping(None, f"{kind} is recorded automatically by CA Desktop (not a field)")
    return Mapping(None, f"question type {kind!r} is not supported", unsupported=True)
