"""The Sync page's history: bundles received, bundles sent, and every known laptop.

The devices tab is how a coordinator notices a lost bundle: a laptop whose sequence has
a gap is missing changes, and the fix is to ask that officer for a full export.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.laptops import laptop_label
from ca_desktop.gui.sync.jobs import Overview, short_device
from ca_desktop.gui.widgets.plain import plain_tooltip
from ca_desktop.sync.keys import fingerprint_of
from ca_desktop.sync.service import KnownDevice

GAP = QColor(183, 28, 28)


def when(iso: str | None) -> str:
    """ISO time as "2026-11-27 09:30" (no seconds, no zone: enough to tell bundles apart)."""
    return (iso or "").replace("T", " ")[:16]


def device_state(d: KnownDevice, own_device: str) -> str:
    if d.device_id == own_device:
        return tr("This laptop")
    if d.missing > 0:
        return tr("{n} changes missing: ask {name} for a full export").format(
            n=d.missing, name=d.name or tr("its owner")
        )
    return tr("Complete")


def _table(headers: Sequence[str], name: str, stretch: int, parent: QWidget) -> QTableWidget:
    """A read-only table; column `stretch` takes (or gives up) the width the others leave."""
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels([tr(h) for h in headers])
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # file names differ at the end
    return table


def _fill(table: QTableWidget, rows: list[list[str]], numeric: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tooltip(text))  # senders' names and file names
            if j in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, j, item)


class HistoryTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.imports = _table(
            ("Imported", "From", "File", "Records", "Conflicts"), tr("Bundles received"), 2, self
        )
        self.exports = _table(
            ("Written", "For", "File", "Changes", "Attachments"), tr("Bundles sent"), 2, self
        )
        self.devices = _table(
            ("Laptop of", "Laptop", "Changes up to", "Last bundle", "State"),
            tr("Known laptops"),
            4,
            self,
        )
        self.addTab(self.imports, tr("Received"))
        self.addTab(self.exports, tr("Sent"))
        self.addTab(self.devices, tr("Laptops"))

    def show_overview(self, o: Overview) -> None:
        _fill(
            self.imports,
            [
                [
                    when(r.imported_at),
                    laptop_label(r.sender_name, fingerprint_of(r.sender_key_id)),
                    r.file_name,
                    tr("{new} new, {updated} updated").format(
                        new=r.records_new, updated=r.records_updated
                    ),
                    str(r.conflicts),
                ]
                for r in o.imports
            ],
            {4},
        )
        _fill(
            self.exports,
            [
                [
                    when(e.exported_at),
                    (e.recipient_name or "—") if e.encrypted else tr("anyone (not encrypted)"),
                    e.file_name,
                    str(e.revisions),
                    str(e.blobs),
                ]
                for e in o.exports
            ],
            {3, 4},
        )
        _fill(
            self.devices,
            [
                [
                    d.name or "—",
                    d.laptop or short_device(d.device_id),
                    str(d.max_seq),
                    when(d.last_bundle_at) or "—",
                    device_state(d, o.own.device_id),
                ]
                for d in o.devices
            ],
            {2},
        )
        for i, d in enumerate(o.devices):
            if d.missing > 0 and d.device_id != o.own.device_id:
                for j in range(self.devices.columnCount()):
                    item = self.devices.item(i, j)
                    if item is not None:
                        item.setForeground(QBrush(GAP))
        self.setTabText(0, tr("Received ({n})").format(n=len(o.imports)))
        self.setTabText(1, tr("Sent ({n})").format(n=len(o.exports)))
        self.setTabText(2, tr("Laptops ({n})").format(n=len(o.devices)))
