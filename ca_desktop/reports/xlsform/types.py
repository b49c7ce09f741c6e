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
}
METADATA = {
    "start", "end", "today", "deviceid", "imei", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "background-geopoint",
}  # fmt: skip
MAPPED = {
    "time": Mapping("text", "time is typed as HH:MM text", help="HH:MM"),
    "datetime": Mapping("text", "date and time is typed as text", help="YYYY-MM-DD HH:MM"),
    "datetime-local": Mapping("text", "date and time is typed as text", help="YYYY-MM-DD HH:MM"),
    "geopoint": Mapping(
        "text", "a GPS point is typed as coordinates", help="latitude longitude (decimal degrees)"
    ),
    "image": Mapping("text", "a photo is attached to the record; the field holds its file name"),
    "photo": Mapping("text", "a photo is attached to the record; the field holds its file name"),
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
