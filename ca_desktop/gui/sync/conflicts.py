"""Conflict review: the coordinator's queue of records edited on two laptops.

The queue lists every open conflict; the selected one shows its common version and each
version side by side (`ConflictTableModel`). The coordinator accepts the proposed merge,
picks a version per field, or keeps one version whole; saving writes a merge revision
through `SyncService.resolve`, on the writer thread, and the record leaves the queue.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.records import spec_for
from ca_desktop.gui.sync.conflict_model import ConflictTableModel, version_caption
from ca_desktop.gui.sync.review_queue import ReviewQueue
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.gui.widgets.plain import plain_label
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.laptops import LaptopNames, laptop_names
from ca_desktop.sync.conflicts import Conflict


@dataclass(frozen=True)
class _Queue:
    conflicts: list[Conflict]
    titles: dict[str, dict[str, str]]  # reference titles per record type, for display
    laptops: LaptopNames = LaptopNames()  # "Amina K. · 4F2A-91C0" per device


def queue_text(c: Conflict) -> str:
    kind = tr("needs a choice") if c.kind == "hard" else tr("merge proposed")
    return (
        f"{label(c.record_type)}: {c.title or c.record_id[:8]}\n{kind} · {len(c.versions)} "
        + tr("versions")
    )


class ConflictReview(ReviewQueue):
    """The review queue and the side-by-side comparison of the selected conflict."""

    resolved = Signal(str)  # a merge revision was written for this record id

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        self.laptops = LaptopNames()
        self.conflicts: list[Conflict] = []
        self._wanted: str | None = None  # a record to select once the queue is loaded
        super().__init__(
            app,
            tasks,
            parent,
            heading=tr("Review conflicts"),
            empty_title=tr("No conflicts — every record has a single version"),
            empty_text=tr(
                "When two laptops change the same record, it appears here for you to decide."
            ),
        )
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_choices)
        self.show_conflict(None)
        # Until the first load, say so rather than flash "No conflicts".
        self.stack.setCurrentIndex(1)
        self.title_label.setText(tr("Looking for conflicts…"))

    def _build_review(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._new_queue(splitter, tr("Open conflicts"))
        self.queue.setSpacing(3)
        self.queue.setAlternatingRowColors(True)
        self.queue.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)

        detail = QWidget(splitter)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.title_label = plain_label("", detail)  # record titles
        self.title_label.setFont(heading_font(self, 1.25))
        self.title_label.setWordWrap(True)
        self.reason_label = QLabel(detail)
        self.reason_label.setWordWrap(True)
        self.versions_label = QLabel(detail)
        self.versions_label.setWordWrap(True)
        self.versions_label.setTextFormat(Qt.TextFormat.RichText)
        dl.addWidget(self.title_label)
        dl.addWidget(self.reason_label)
        dl.addWidget(self.versions_label)

        self.model = ConflictTableModel(self)
        self.table = QTableView(detail)
        self.table.setModel(self.model)
        self.table.setAccessibleName(tr("Fields of each version"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows and Space choose
        dl.addWidget(self.table, 1)
        hint = QLabel(
            tr(
                "Tick the value to keep in each highlighted row (arrow keys, then Space). Amber: "
                "changed on one laptop; red: changed differently on several."
            ),
            detail,
        )
        hint.setWordWrap(True)
        dl.addWidget(hint)

        self.unchanged_box = QCheckBox(tr("Show unchanged fields too"), detail)
        self.unchanged_box.toggled.connect(self._toggle_unchanged)
        dl.addWidget(self.unchanged_box)

        buttons = QHBoxLayout()
        self.merge_button = QPushButton(tr("Accept the proposed merge"), detail)
        self.merge_button.clicked.connect(self.accept_merge)
        self.save_button = QPushButton(tr("Save my choices"), detail)
        self.save_button.setToolTip(
            tr("Write the ticked values as the record's new version (Ctrl+S)")
        )
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_choices)
        self.keep_combo = QComboBox(detail)
        self.keep_combo.setAccessibleName(tr("Version to keep whole"))
        self.keep_button = QPushButton(tr("Keep this version whole"), detail)
        self.keep_button.clicked.connect(self.keep_version)
        buttons.addWidget(self.merge_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel(tr("Or keep one version:"), detail))
        buttons.addWidget(self.keep_combo)
        buttons.addWidget(self.keep_button)
        dl.addLayout(buttons)
        self.status = plain_label("", detail)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("Result of the last action"))
        dl.addWidget(self.status)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])
        return splitter

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the queue in the background, keeping the selected record when it is open;
        a newer reload supersedes one still running."""
        sync, app = self.sync, self.app

        def job(_progress: object) -> _Queue:
            items = sync.conflicts()
            refs = {
                f.ref
                for c in items
                for f in spec_for(c.record_type).fields
                if f.kind == "ref" and f.ref
            }
            return _Queue(items, {ref: app.titles(ref) for ref in refs}, laptop_names(app))

        self._load(job, self._fill, "conflicts")

    def select_record(self, record_id: str) -> None:
        """Reload and select `record_id` (an editor's "Review the conflict" button)."""
        self._wanted = record_id
        self.refresh()

    def _fill(self, result: _Queue) -> None:
        keep = self._wanted or self.current_record_id()
        self._wanted = None
        self._titles: Mapping[str, Mapping[str, str]] = result.titles
        self.laptops = result.laptops
        self.model.laptops = result.laptops
        self.conflicts = result.conflicts
        n = len(self.conflicts)
        items = [(c.record_id, queue_text(c)) for c in self.conflicts]
        self._fill_queue(items, tr("{n} open").format(n=n), keep)

    def current_record_id(self) -> str | None:
        return self.current_key()

    def current(self) -> Conflict | None:
        rid = self.current_record_id()
        return next((c for c in self.conflicts if c.record_id == rid), None)

    def _on_current(self) -> None:
        self.show_conflict(self.current())

    def show_conflict(self, c: Conflict | None) -> None:
        self.model.set_conflict(c, getattr(self, "_titles", {}))
        self.keep_combo.clear()
        for w in (self.save_button, self.keep_button, self.keep_combo, self.unchanged_box):
            w.setEnabled(c is not None and not self._saving)
        self.merge_button.setVisible(c is not None and c.proposed is not None)
        self.merge_button.setEnabled(not self._saving)
        if c is None:
            self.title_label.setText(tr("Select a conflict"))
            self.reason_label.clear()
            self.versions_label.clear()
            return
        self.title_label.setText(f"{label(c.record_type)}: {c.title or c.record_id[:8]}")
        if c.kind == "hard":
            self.reason_label.setText(
                tr("Needs your decision: {reason}.").format(reason=tr(c.reason))
            )
        else:
            self.reason_label.setText(
                tr(
                    "A merge is proposed: {reason}. Check it, then accept it or change a row."
                ).format(reason=tr(c.reason))
            )
        lines = []
        for v in c.versions:
            who = html.escape(version_caption(v))
            laptop = html.escape(self.laptops.of(v.device_id, v.author))
            line = tr("{who}, laptop {laptop}").format(who=who, laptop=laptop)
            if v.rev_id == c.winner:
                line += " — " + html.escape(tr("shown until you decide"))
            if v.clock_flag:
                line = "<span style='color:#b71c1c'>{}</span>".format(
                    line
                    + " — "
                    + html.escape(tr("this laptop's clock looked wrong; its time may be off"))
                )
            lines.append(line)
            self.keep_combo.addItem(version_caption(v), v.rev_id)
        self.versions_label.setText("<br>".join(lines))
        # Per-section modes only hold for sections that exist, so set them per conflict.
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.resizeRowsToContents()
        hard = self.model.hard_rows()
        if hard:
            self.table.setCurrentIndex(self.model.index(hard[0], 2))

    def _toggle_unchanged(self, show: bool) -> None:
        self.model.set_show_unchanged(show)
        self.table.resizeRowsToContents()

    # -- resolving ------------------------------------------------------------------------

    def accept_merge(self) -> None:
        c = self.current()
        if c is not None and c.proposed is not None:
            self._resolve(c, tr("Merged"), accept_merge=True)

    def save_choices(self) -> None:
        c = self.current()
        if c is None or self._saving:
            return
        fields = {name: c.versions[i].rev_id for name, i in self.model.choices.items()}
        if not fields:  # nothing differs (e.g. deleted everywhere): keep the shown version
            self._resolve(c, tr("Resolved"), take=c.winner)
            return
        self._resolve(c, tr("Saved your choices for"), fields=fields)

    def keep_version(self) -> None:
        c = self.current()
        rev = self.keep_combo.currentData()
        if c is not None and rev:
            self._resolve(c, tr("Kept one version of"), take=str(rev))

    def _resolve(
        self,
        c: Conflict,
        verb: str,
        *,
        accept_merge: bool = False,
        take: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        sync = self.sync
        self._set_saving(True)

        def job(_progress: object) -> object:
            return sync.resolve(c.record_id, accept_merge=accept_merge, take=take, fields=fields)

        def done(_view: object) -> None:
            self._set_saving(False)
            self.status.setText(
                f"{verb} {c.title or c.record_id[:8]}. "
                + tr("Every laptop gets this version with its next bundle.")
            )
            self.resolved.emit(c.record_id)  # the queue reloads from records_changed

        def failed(exc: BaseException) -> None:
            self._set_saving(False)
            self._failed(exc)

        self.tasks.run(job, done, failed, write=True, changes={c.record_type})

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        for w in (self.save_button, self.keep_button, self.merge_button, self.queue):
            w.setEnabled(not saving)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(tr("Not saved: {reason}").format(reason=str(exc) or type(exc).__name__))
