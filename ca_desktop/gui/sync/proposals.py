"""Proposal review: the coordinator's queue of officers' changes that were not applied.

Built like the conflict review (`conflicts.py`): the queue on the left, the selected
proposal on the right beside the current version, field by field. Accept writes a
coordinator revision with the officer's changes; Reject keeps the current version and
the officer's change, marked rejected with the reason. Both run on the writer thread.
Everything shown comes from officers' bundles: plain text only.
"""

from __future__ import annotations

import json

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, label, tr
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.gui.sync.review_queue import ReviewQueue
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.views import ProposalView

CHANGED = QColor(255, 243, 224)


def why_text(p: ProposalView) -> str:
    if p.why == "reference":
        return tr("Reference data: only a coordinator changes it.")
    return tr("The record was first created on another laptop.")


def queue_text(p: ProposalView) -> str:
    what = tr("proposes deleting it") if p.deleted else tr("proposes a change")
    return f"{label(p.record_type)}: {p.title or p.record_id[:8]}\n{p.author} · {what}"


def shown(value: object, coded: bool = False) -> str:
    """A value as one line of plain text (lists joined; codes of a code list labelled)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(shown(v, coded) if isinstance(v, str) else json.dumps(v) for v in value)
    if coded and isinstance(value, str):
        return label(value)
    if isinstance(value, bool):
        return tr("Yes") if value else tr("No")
    return str(value)


class ProposalReview(ReviewQueue):
    """The queue of pending proposals and the selected one beside the current version."""

    answered = Signal(str)  # the proposal's revision id

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        self.proposals: list[ProposalView] = []
        super().__init__(
            app,
            tasks,
            parent,
            heading=tr("Review proposals"),
            empty_title=tr("No proposals waiting"),
            empty_text=tr(
                "When an officer changes a record first created on another laptop, or "
                "reference data, the change waits here until you accept or reject it."
            ),
        )
        self.show_proposal(None)

    def _build_review(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._new_queue(splitter, tr("Proposals waiting for review"))
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right = QWidget(splitter)
        box = QVBoxLayout(right)
        self.title_label = QLabel(right)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setFont(heading_font(self, 1.2))
        self.title_label.setWordWrap(True)
        self.about_label = QLabel(right)
        self.about_label.setTextFormat(Qt.TextFormat.PlainText)  # names come from bundles
        self.about_label.setWordWrap(True)
        box.addWidget(self.title_label)
        box.addWidget(self.about_label)
        self.table = QTableWidget(0, 3, right)
        self.table.setAccessibleName(tr("The proposal beside the current version"))
        self.table.setHorizontalHeaderLabels([tr("Field"), tr("Current"), tr("Proposed")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        reason_row = QHBoxLayout()
        reason_label = QLabel(tr("Reason for a rejection:"), right)
        self.reason = QLineEdit(right)
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(tr("The officer reads this with the next bundle"))
        reason_label.setBuddy(self.reason)
        self.reason.textChanged.connect(lambda _t: self._update_buttons())
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        box.addLayout(reason_row)
        buttons = QHBoxLayout()
        self.message = QLabel(right)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.accept_button = QPushButton(tr("Accept the change"), right)
        self.accept_button.clicked.connect(lambda: self._answer(True))
        self.reject_button = QPushButton(tr("Reject"), right)
        self.reject_button.clicked.connect(lambda: self._answer(False))
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.accept_button)
        box.addLayout(buttons)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([260, 740])
        return splitter

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        sync = self.sync
        self._load(lambda _p: sync.proposals(), self._fill, "proposals")

    def _fill(self, items: list[ProposalView]) -> None:
        keep = self.current_rev_id()
        self.proposals = items
        shown_items = [(p.rev_id, queue_text(p)) for p in items]
        self._fill_queue(shown_items, tr("{n} waiting").format(n=len(items)), keep)

    def current_rev_id(self) -> str | None:
        return self.current_key()

    def current(self) -> ProposalView | None:
        rev = self.current_rev_id()
        return next((p for p in self.proposals if p.rev_id == rev), None)

    def _on_current(self) -> None:
        self.show_proposal(self.current())

    def show_proposal(self, p: ProposalView | None) -> None:
        self.table.setRowCount(0)
        self.reason.clear()
        self.message.clear()
        if p is None:
            self.title_label.setText("")
            self.about_label.setText("")
            self._update_buttons()
            return
        self.title_label.setText(f"{label(p.record_type)}: {p.title or p.record_id}")
        about = tr("Proposed by {author}, received {when}.").format(
            author=p.author, when=p.received_at.replace("T", " ")[:16]
        )
        about += " " + why_text(p)
        if p.deleted:
            about += " " + tr("The officer proposes deleting this record.")
        if not p.record_exists:
            about += " " + tr("This laptop does not have the record: accepting adds it.")
        self.about_label.setText(about)
        rows = [c for c in p.changes if c.changed] + [c for c in p.changes if not c.changed]
        self.table.setRowCount(len(rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        spec = RECORD_SPECS.get(p.record_type)
        for i, c in enumerate(rows):
            coded = bool(
                spec and spec.has_field(c.field) and spec.field(c.field).kind in ("enum", "enums")
            )
            cells = [field_label(c.field), shown(c.current, coded), shown(c.proposed, coded)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c.changed:
                    item.setFont(bold)
                    item.setBackground(QBrush(CHANGED))
                self.table.setItem(i, j, item)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current() is not None and not self._saving
        self.accept_button.setEnabled(has)
        self.reject_button.setEnabled(has and bool(self.reason.text().strip()))
        self.reject_button.setToolTip(
            "" if self.reason.text().strip() else tr("Say why first: the officer reads it")
        )

    # -- answering ------------------------------------------------------------------------

    def _answer(self, accept: bool) -> None:
        p = self.current()
        if p is None or self._saving:
            return
        sync, reason = self.sync, self.reason.text()
        self._saving = True
        self._update_buttons()

        def job(_progress: object) -> ProposalView:
            if accept:
                return sync.accept_proposal(p.rev_id)
            return sync.reject_proposal(p.rev_id, reason)

        def done(view: ProposalView) -> None:
            self._saving = False
            if shiboken6.isValid(self):
                self.answered.emit(view.rev_id)
                self.refresh()

        def failed(exc: BaseException) -> None:
            self._saving = False
            if shiboken6.isValid(self):
                self.message.setText(str(exc) or type(exc).__name__)
                self._update_buttons()

        self.tasks.run(job, done, failed, write=True, changes={p.record_type})

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(
            tr("Could not read the proposals: {reason}").format(
                reason=str(exc) or type(exc).__name__
            )
        )
