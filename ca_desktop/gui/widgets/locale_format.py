"""Numbers and times as the user reads them: grouped digits and local time in their
language (QLocale), with the time zone named. Times are stored in UTC everywhere."""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTimeZone

from ca_desktop.domain.i18n import language

# English as Uganda, Ghana or Liberia write it (day first), not the US's month first; the
# other languages with their main country's conventions.
_LOCALES = {"en": "en_GB"}


def locale() -> QLocale:
    return QLocale(_LOCALES.get(language(), language()))


def number(n: int) -> str:
    """A count grouped as the user's language groups digits ("69 626" in French)."""
    return locale().toString(n)


def decimal(x: float, places: int = 2) -> str:
    """A measure or amount: whole numbers without decimals, others with `places`."""
    if float(x).is_integer():
        return locale().toString(int(x))
    return locale().toString(float(x), "f", places)


def date_text(iso: str) -> str:
    """A calendar date ("2026-08-14") as the user's language writes it ("14/08/2026" in
    French); a date is a day, not a moment, so no zone. Unreadable text as is."""
    day = QDate.fromString(str(iso)[:10], Qt.DateFormat.ISODate)
    if not day.isValid():
        return str(iso)
    return locale().toString(day, date_pattern())


def date_pattern() -> str:
    """The language's short date pattern with a four-digit year ("dd/MM/yyyy" in French):
    "14/08/26" could be misread as 1926; a date editor shows dates the same way."""
    pattern = locale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


def local_time(utc: str) -> str:
    """A UTC time ("2026-11-30T09:00:00Z", or "2026-11-30 09:00:00 UTC" as history
    stores it) in local time, in the user's language, zone named; unreadable text as is."""
    text = utc.strip().removesuffix(" UTC").replace(" ", "T")
    moment = QDateTime.fromString(text, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return utc
    if moment.timeSpec() == Qt.TimeSpec.LocalTime:  # no zone written: it is UTC
        moment.setTimeZone(QTimeZone.utc())
    moment = moment.toLocalTime()
    shown = locale().toString(moment, QLocale.FormatType.ShortFormat)
    return f"{shown} {moment.timeZoneAbbreviation()}".strip()
