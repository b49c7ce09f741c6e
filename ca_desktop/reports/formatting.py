"""Numbers and dates written the way each language writes them.

1,234.5 in English, 1 234,5 in French (a no-break space, so a number never wraps), 1.234,5
in Spanish and Portuguese; dates with the month's name in the language.
"""

from __future__ import annotations

import datetime as dt

from ca_desktop.domain.i18n import language, tr

_SEPARATORS = {"en": (",", "."), "fr": ("\u00a0", ","), "es": (".", ","), "pt": (".", ",")}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """`value` grouped by thousands with the language's separators ("–" for no value)."""
    if value is None:
        return "–"
    thousands, point = _SEPARATORS.get(lang or language(), _SEPARATORS["en"])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", point).replace("\x00", thousands)


def format_date(value: str | dt.date, lang: str | None = None) -> str:
    """ "2026-08-14" as "14 August 2026", "14 août 2026", "14 de agosto de 2026"."""
    lang = lang or language()
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    month = tr(MONTHS[day.month - 1], lang)
    if lang in ("es", "pt"):
        return f"{day.day} de {month.lower()} de {day.year}"
    if lang == "fr":
        return f"{day.day} {month.lower()} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_short_date(value: str, lang: str | None = None) -> str:
    """A date for a table column: "7 Jul 2026" in English, "07/07/2026" elsewhere."""
    lang = lang or language()
    try:
        day = dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return value or ""
    if lang == "en":
        return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
    return day.strftime("%d/%m/%Y")
