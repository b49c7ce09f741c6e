"""The history panel: who changed what on an activity, when, on which laptop."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from ca_desktop.domain.i18n import field_label, label, tr
from ca_desktop.domain.records import ACTIVITY
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.services.app import CaDesktop


def _shown(app: CaDesktop, name: str, value: Any, titles: dict[str, dict[str, str]]) -> str:
    if value is None or value == "" or value == []:
        return tr("(empty)")
    try:
        spec = ACTIVITY.field(name)
    except KeyError:
        return str(value)
    if spec.kind == "enum":
        return label(str(value))
    if spec.kind == "enums" and isinstance(value, list):
        return ", ".join(label(str(v)) for v in value)
    if spec.kind == "ref" and spec.ref:
        names = titles.setdefault(spec.ref, app.titles(spec.ref))
        return names.get(str(value), str(value))
    if spec.kind == "list" and isinstance(value, list):
        return "; ".join(str(v.get("what", v)) if isinstance(v, dict) else str(v) for v in value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def history_html(app: CaDesktop, record_id: str) -> str:
    """The record's history, newest first, as simple HTML."""
    entries = app.history(record_id)
    titles: dict[str, dict[str, str]] = {}
    parts = []
    for entry in reversed(entries):
        device = entry.device_id.split("-")[-1][-8:]
        if entry.created:
            what = tr("created the activity")
        elif entry.deleted:
            what = tr("deleted the activity")
        else:
            what = tr("changed {n} fields").format(n=len(entry.changes))
        head = tr("{when} — {who} on laptop {device}: {what}").format(
            when=entry.when, who=entry.author, device=device, what=what
        )
        lines = []
        if not entry.created:
            for change in entry.changes:
                lines.append(
                    f"<li><b>{html.escape(field_label(change.field))}</b>: {html.escape(_shown(app, change.field, change.old, titles))} → {html.escape(_shown(app, change.field, change.new, titles))}</li>"
                )
        flag = ""
        if entry.clock_flag:
            flag = "<br><i>{}</i>".format(
                html.escape(tr("This laptop's clock looked wrong when the change was made."))
            )
        parts.append(
            f"<p><b>{html.escape(head)}</b>{flag}</p>"
            + (f"<ul>{''.join(lines)}</ul>" if lines else "")
        )
    return "".join(parts)


class HistoryPanel(QWidget):
    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(tr("History"), self)
        title.setFont(heading_font(self, 1.15))
        layout.addWidget(title)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName(tr("History of the selected activity"))
        self.view.setOpenLinks(False)
        layout.addWidget(self.view, 1)
        self.show_record(None)

    def show_record(self, record_id: str | None) -> None:
        if record_id is None:
            self.view.setHtml(
                "<p>{}</p>".format(
                    html.escape(tr("Select an activity to see who changed what, and when."))
                )
            )
            return
        self.view.setHtml(history_html(self.app, record_id))

    def text(self) -> str:
        return self.view.toPlainText()
