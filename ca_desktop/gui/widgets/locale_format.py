"""Numbers and times as the user reads them: grouped digits and local time in their
language (QLocale), with the time zone named. Times are stored in UTC everywhere."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimeZone

from ca_desktop.domain.i18n import language


def locale() -> QLocale:
    return QLocale(language())


def number(n: int) -> str:
    """A count grouped as the user's language groups digits ("69 626" in French)."""
    return locale().toString(n)


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
