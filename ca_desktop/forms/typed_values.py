"""The values of the form field types XLSForm brought in: `time`, `datetime`, `geopoint`
and `image`, as stored, checked and read from ODK's text.

- time: `"HH:MM"` (or `"HH:MM:SS"` when the seconds are not zero), the time as read.
- datetime: `"YYYY-MM-DD HH:MM"` (or with `:SS`), the phone's local time as read.
- geopoint: `{"lat", "lon", "alt", "accuracy"}` in decimal degrees and metres (the last two
  may be None); latitude and longitude in range, accuracy zero or more.
- image: `{"filename", "sha256", "size"}` — the photo's file name as the phone wrote it,
  and the attachment's SHA-256 and size when the file itself came in (`photos.py`; the
  SHA-256 is None when only its name did).

ODK writes times with milliseconds and the phone's UTC offset (`10:30:00.000+03:00`): the
offset is dropped, the time kept as the person on the spot saw it, like a paper form.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ca_desktop.domain.attachment_names import clean_file_name, is_sha256
from ca_desktop.domain.validation import RuleBroken

GEO_KEYS = ("lat", "lon", "alt", "accuracy")
# ODK Central splits a geopoint into four columns named after these.
GEO_COLUMNS = {"latitude": "lat", "longitude": "lon", "altitude": "alt", "accuracy": "accuracy"}
MAX_ALTITUDE = 10_000.0  # metres: above Everest, a reading is wrong
MIN_ALTITUDE = -1_000.0
MAX_ACCURACY = 100_000.0

_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?")
_STORED_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2})?")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)?")


def check_time(value: Any) -> None:
    if not (isinstance(value, str) and _STORED_TIME.fullmatch(value) and _time_of(value)):
        raise RuleBroken("must be a time ({pattern})", pattern="HH:MM")


def check_datetime(value: Any) -> None:
    ok = isinstance(value, str) and len(value) >= 16 and value[10] == " "
    if not (ok and _STORED_TIME.fullmatch(value[11:]) and normal_datetime(value)):
        raise RuleBroken("must be a date and time ({pattern})", pattern="YYYY-MM-DD HH:MM")


def check_geopoint(value: Any) -> None:
    if not isinstance(value, dict) or set(value) - set(GEO_KEYS):
        raise RuleBroken("must be a GPS point (latitude and longitude)")
    parts = {k: value.get(k) for k in GEO_KEYS}
    for v in parts.values():
        if v is not None and (
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
        ):
            raise RuleBroken("must be a GPS point (latitude and longitude)")
    lat, lon, alt, acc = (parts[k] for k in GEO_KEYS)
    if lat is None or lon is None:
        raise RuleBroken("needs both latitude and longitude")
    if not -90 <= lat <= 90:
        raise RuleBroken("latitude must be between -90 and 90")
    if not -180 <= lon <= 180:
        raise RuleBroken("longitude must be between -180 and 180")
    if alt is not None and not MIN_ALTITUDE <= alt <= MAX_ALTITUDE:
        raise RuleBroken("altitude must be between -1000 and 10000 metres")
    if acc is not None and not 0 <= acc <= MAX_ACCURACY:
        raise RuleBroken("accuracy must be between 0 and 100000 metres")


def check_image(value: Any) -> None:
    if not isinstance(value, dict) or set(value) - {"filename", "sha256", "size"}:
        raise RuleBroken("must be a photo (its file name)")
    name, sha, size = value.get("filename"), value.get("sha256"), value.get("size", 0)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise RuleBroken("must be a photo (its file name)")
    if not isinstance(name, str) or not name or name != clean_file_name(name):
        raise RuleBroken("must be a photo (its file name)")
    if sha is not None and not is_sha256(sha):
        raise RuleBroken("must be a photo (its file name)")


def normal_time(text: str) -> str | None:
    """`HH:MM[:SS[.fff]][offset]` as stored (`HH:MM`, or `HH:MM:SS`); None if it is not."""
    found = _time_of(text.strip())
    if found is None:
        return None
    hour, minute, second = found
    return f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")


def normal_datetime(text: str) -> str | None:
    """`YYYY-MM-DD[T ]HH:MM[:SS[.fff]][offset]` as stored; None if it is not one."""
    text = text.strip()
    if len(text) < 16 or text[10] not in "T ":
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    time = normal_time(text[11:])
    return None if time is None else f"{day.isoformat()} {time}"


def geopoint_from_text(text: str) -> dict[str, Any]:
    """ODK's `lat lon [alt [accuracy]]` (spaces; Kobo also writes commas): the point.

    ValueError with the report's message when the text is not one."""
    parts = text.replace(",", " ").split()
    if not 2 <= len(parts) <= 4:
        raise ValueError("must be a GPS point: latitude longitude [altitude [accuracy]]")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError("must be a GPS point: latitude longitude [altitude [accuracy]]") from None
    point: dict[str, Any] = dict.fromkeys(GEO_KEYS)
    point.update(zip(GEO_KEYS, numbers, strict=False))
    try:
        check_geopoint(point)
    except RuleBroken as exc:
        raise ValueError(exc.template) from None
    return point


def image_from_text(text: str) -> dict[str, Any]:
    """The file name of a photo as ODK writes it: cleaned, never used as a path."""
    return {"filename": clean_file_name(text.strip().rsplit("/", 1)[-1]), "sha256": None}


def show(kind: str, value: Any) -> str:
    """The value as a person reads it (screen and paper)."""
    if kind == "datetime" and isinstance(value, str) and normal_datetime(value) == value:
        day = dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        return f"{day} {value[11:]}"
    if kind == "geopoint" and isinstance(value, dict):
        lat, lon, alt, acc = (value.get(k) for k in GEO_KEYS)
        text = f"{degrees(lat)}, {degrees(lon)}"
        extra = [f"{alt:g} m" if alt is not None else "", f"± {acc:g} m" if acc is not None else ""]
        extra = [e for e in extra if e]
        return f"{text} ({', '.join(extra)})" if extra else text
    if kind == "image" and isinstance(value, dict):
        return str(value.get("filename") or "")
    return "" if value is None else str(value)


def degrees(value: Any) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, (int, float)) else "?"


def _time_of(text: str) -> tuple[int, int, int] | None:
    match = _TIME.match(text)
    if match is None or not _OFFSET.fullmatch(text, match.end()):
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second
