"""How values are written on paper: numbers, dates, choices and records, per language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ca_desktop.forms.model import FieldDef
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.typed_values import show

Titles = Callable[[str, str], str]  # (record type, id) -> what to print


def number(value: Any, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return text
    # fr/es/pt: thin space for thousands, comma for decimals
    return text.replace(",", "\u202f").replace(".", ",")


def date(value: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def display(f: FieldDef, value: Any, lang: str, titles: Titles, short: bool = False) -> str:
    """One value as text; empty string when there is nothing to print."""
    if value is None or value == "" or value == []:
        return ""
    kind = f.type
    if kind in ("integer", "decimal"):
        return number(value, lang)
    if kind == "date":
        return date(value)
    if kind == "choice":
        choice = f.choice(value)
        if choice is None:
            return str(value)
        return (choice.short or choice.label).get(lang) if short else choice.label.get(lang)
    if kind == "multichoice":
        return ", ".join(display(f, v, lang, titles, short) for v in value)
    if kind in ("yesno", "signature"):
        if kind == "signature":
            return "✓" if value else ""
        return tr("yes", lang) if value else tr("no", lang)
    if kind == "record":
        return titles(f.record_type or "", str(value))
    if kind in ("datetime", "geopoint", "image"):
        return show(kind, value)
    return str(value)
