"""A record's history, field by field: who changed what, on which laptop, when.

One panel for every record type (activities, CUF projects, places...). Its text is laid
out through `QTextCursor.insertText`, which never interprets markup: names, titles and
notes come from other people's laptops and must show as typed, not as HTML. Fields from a
newer version of the app (`FieldChange.known` False) are listed apart and read-only: this
laptop keeps them but cannot edit them.

A record's parts (an activity's register rows) are saved as records of their own; their
changes are listed in the record's history too, so a corrected name is never invisible.
Fields declared `personal` (names, phones) show only where the register itself is shown
(`show_personal`); elsewhere the change is listed without the value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QFont, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import RecordSpec, spec_for
from ca_desktop.gui.models.record_table import display_value
from ca_desktop.gui.widgets.locale_format import local_time
from ca_desktop.services.laptops import LaptopNames, laptop_names
from ca_desktop.services.views import FieldChange, HistoryEntry

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop

EMPTY = "—"
LONGEST = 120


def _shorten(text: str) -> str:
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def known_value(
    spec: RecordSpec, change_field: str, value: Any, titles: Mapping[str, Mapping[str, str]]
) -> str:
    """A value of a field this laptop knows, as it reads in lists."""
    if value is None or value == "" or value == []:
        return EMPTY
    fs = spec.field(change_field)
    if fs.kind == "list" and isinstance(value, list):
        # follow-up actions and the like: their "what" reads best
        return _shorten(
            "; ".join(str(v.get("what", v)) if isinstance(v, dict) else str(v) for v in value)
        )
    if fs.kind == "ref":
        return display_value(fs, value, titles) or str(value)  # a record not on this laptop
    return _shorten(display_value(fs, value, titles)) or EMPTY


def unknown_value(value: Any) -> str:
    """A value of a field from a newer version: shown as stored, never interpreted."""
    if value is None or value == "" or value == []:
        return EMPTY
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return _shorten(text)


class HistoryPanel(QTextBrowser):
    """`show_record(record_type, record_id)`; None for either shows a hint instead."""

    def __init__(
        self, app: CaDesktop | None, parent: QWidget | None = None, show_personal: bool = False
    ) -> None:
        """`app` None: a page still opening its data folder sets it later (`app`)."""
        super().__init__(parent)
        self.app = app
        self.show_personal = show_personal
        self.setAccessibleName(tr("History of the selected record"))
        self.setOpenLinks(False)
        self.show_record(None, None)

    def text(self) -> str:
        return self.toPlainText()

    def show_record(self, record_type: str | None, record_id: str | None) -> None:
        if not record_type or not record_id or self.app is None:
            self.clear()
            cursor = QTextCursor(self.document())
            hint = tr("Select a record to see who changed what, and when.")
            cursor.insertText(hint, self._format(muted=True))
            return
        self.show_entries(
            spec_for(record_type), self.app.history_with_parts(record_type, record_id)
        )

    def show_entries(self, spec: RecordSpec, entries: list[HistoryEntry]) -> None:
        """Newest first; each revision's changes in the editor's field order."""
        if self.app is None:
            raise RuntimeError("the data folder is not open yet")
        here = laptop_names(self.app)  # "Amina K. · 4F2A-91C0", never a device-id prefix
        titles = {
            fs.ref: self.app.titles(fs.ref) for fs in spec.fields if fs.kind == "ref" and fs.ref
        }
        self.clear()
        cursor = QTextCursor(self.document())
        cursor.insertText(tr("History"), self._format(bold=True, scale=1.15))
        lines = _part_lines(spec, entries)
        for entry in reversed(entries):
            part = entry.record_type and entry.record_type != spec.name
            if part:
                self._part_entry(cursor, entry, here, lines.get(entry.record_id))
                continue
            if entry.erased is not None:
                action = tr("Personal data erased by {who}")
            elif entry.deleted:
                action = tr("Deleted by {who}")
            elif entry.created:
                action = tr("Created by {who}")
            else:
                action = tr("Changed by {who}")
            self._heading(cursor, action.format(who=entry.author), entry, here)
            if entry.clock_flag:
                text = tr("This laptop's clock looked wrong when the change was made.")
                self._block(cursor, text, italic=True)
            if entry.erased:
                self._block(cursor, tr("Reason: {reason}").format(reason=entry.erased))
            known = [c for c in entry.changes if c.known and c.field in spec.field_names]
            known.sort(key=lambda c: spec.field_names.index(c.field))
            for change in known:
                old = known_value(spec, change.field, change.old, titles)
                new = known_value(spec, change.field, change.new, titles)
                self._change(cursor, field_label(change.field), old, new, entry.created)
            newer = [c for c in entry.changes if c not in known]
            if newer:
                self._block(cursor, tr("Fields from a newer version"), italic=True)
                for change in sorted(newer, key=lambda c: c.field):
                    self._newer(cursor, change, entry.created)

    def _heading(
        self, cursor: QTextCursor, title: str, entry: HistoryEntry, here: LaptopNames
    ) -> None:
        """Who did it, then when and on which laptop."""
        laptop = here.of(entry.device_id, entry.author)
        self._block(cursor, title, bold=True, gap=True)
        self._block(cursor, f"{local_time(entry.when)} · {laptop}", muted=True)

    def _part_entry(
        self, cursor: QTextCursor, entry: HistoryEntry, here: LaptopNames, line: int | None
    ) -> None:
        part = spec_for(entry.record_type)
        change = entry  # the name the translation extractor knows for record type labels
        name = tr(spec_for(change.record_type).label)
        name = name[:1].upper() + name[1:]
        what = f"{name} {line}" if line else name
        if entry.erased is not None:
            action = tr("{what}: personal data erased by {who}")
        elif entry.deleted:
            action = tr("{what}: removed by {who}")
        elif entry.created:
            action = tr("{what}: added by {who}")
        else:
            action = tr("{what}: changed by {who}")
        self._heading(cursor, action.format(what=what, who=entry.author), entry, here)
        shown = [
            c
            for c in entry.changes
            if c.known and part.has_field(c.field) and c.field != part.part_of
        ]
        shown.sort(key=lambda c: part.field_names.index(c.field))
        for c in shown:
            if part.field(c.field).personal and not self.show_personal:
                text = tr("{field}: changed (shown with the register)").format(
                    field=field_label(c.field)
                )
                self._block(cursor, "• " + text, indent=1)
                continue
            old = known_value(part, c.field, c.old, {})
            new = known_value(part, c.field, c.new, {})
            self._change(cursor, field_label(c.field), old, new, entry.created)

    # -- layout -------------------------------------------------------------------------

    def _change(self, cursor: QTextCursor, name: str, old: str, new: str, created: bool) -> None:
        text = (
            tr("{field}: {new}").format(field=name, new=new)
            if created
            else tr("{field}: {old} → {new}").format(field=name, old=old, new=new)
        )
        self._block(cursor, "• " + text, indent=1)

    def _newer(self, cursor: QTextCursor, change: FieldChange, created: bool) -> None:
        old, new = unknown_value(change.old), unknown_value(change.new)
        self._change(cursor, change.field, old, new, created)

    def _format(
        self, bold: bool = False, italic: bool = False, muted: bool = False, scale: float = 1.0
    ) -> QTextCharFormat:
        fmt = QTextCharFormat()
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setFontItalic(italic)
        if scale != 1.0:
            fmt.setFontPointSize(self.font().pointSizeF() * scale)
        if muted:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        return fmt

    def _block(
        self,
        cursor: QTextCursor,
        text: str,
        bold: bool = False,
        italic: bool = False,
        muted: bool = False,
        indent: int = 0,
        gap: bool = False,
    ) -> None:
        block = QTextBlockFormat()
        block.setIndent(indent)
        if gap:
            block.setTopMargin(self.fontMetrics().lineSpacing() * 0.6)
        cursor.insertBlock(block)
        cursor.insertText(text, self._format(bold=bold, italic=italic, muted=muted))


def _part_lines(spec: RecordSpec, entries: list[HistoryEntry]) -> dict[str, int]:
    """The latest line number of each part (register row) in these entries."""
    lines: dict[str, int] = {}
    for entry in entries:
        if entry.record_type == spec.name:
            continue
        for change in entry.changes:
            if change.field == "line" and isinstance(change.new, int):
                lines[entry.record_id] = change.new
    return lines
