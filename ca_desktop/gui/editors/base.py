"""The base of every record editor: drafts, the dirty check, the unsaved-changes question,
validation issues next to the fields, and saving off the GUI thread.

A subclass builds its widgets into `self.fields` (one `FieldWidget` per body field it
shows), calls `start()` once they exist, and says how to save in `prepare_save()`. What it
saves is always `{**stored, **edited}`: the body it loaded, updated with what the widgets
hold, so a field the editor has no widget for (or that a newer version added) is kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import spec_for
from ca_desktop.domain.schema import unknown_fields
from ca_desktop.domain.validation import FieldIssue, ValidationError, check
from ca_desktop.gui.editors.conflict_banner import ConflictBanner
from ca_desktop.gui.editors.draft_banner import DraftBanner
from ca_desktop.gui.editors.pending_banner import PendingBanner
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.fields import FieldWidget, error_color
from ca_desktop.services import drafts
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.review_state import pending_review

log = logging.getLogger(__name__)

DRAFT_EVERY_MS = 3000

SaveJob = Callable[[Any], str]  # (progress) -> the id of the record written


def issue_text(issue: FieldIssue) -> str:
    """A domain issue as a sentence naming the field: "Settlement is required"."""
    return tr("{field} {problem}").format(field=field_label(issue.field), problem=issue.text())


class RecordEditor(QDialog):
    """`saved(record_id)` after each successful save; `save_finished(ok)` after every try."""

    saved = Signal(str)
    save_finished = Signal(bool)
    # The record is in conflict and the user asked to review it: the main window follows.
    review_requested = Signal(str)

    def __init__(
        self,
        app: CaDesktop,
        record_type: str,
        record_id: str | None = None,
        tasks: TaskManager | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.record_type = record_type
        self.spec = spec_for(record_type)
        self.record_id = record_id
        # The main window's job runner, so writes queue behind each other; an editor opened
        # on its own (tests, screenshots) gets a runner of its own.
        self.tasks = tasks if tasks is not None else TaskManager(self)
        self._own_tasks = tasks is None
        self.stored: dict[str, Any] = {}  # the body as loaded: kept where no widget edits it
        self.base_rev: str | None = None
        self.fields: dict[str, FieldWidget] = {}
        self.saving = False
        self._focus_before: QWidget | None = None
        self._tried = False  # after a failed save, issues update while the user fixes them
        self._clean: str | None = None  # the snapshot last loaded or saved
        self._last_draft: str | None = None
        self.banner = DraftBanner(app, self)
        self.banner.restore_requested.connect(self.restore_draft)
        self.conflict_banner = ConflictBanner(self)
        self.conflict_banner.review_requested.connect(self.open_review)
        self.pending_banner = PendingBanner(self)
        # Editors open from many pages; the main window above them shows the review.
        host = parent.window() if parent is not None else None
        follow = getattr(host, "review_conflict", None)
        if callable(follow):
            self.review_requested.connect(follow)
        self.problem_label = QLabel(self)  # the summary line of what stops a save
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problem_label.hide()
        self._draft_timer = QTimer(self)
        self._draft_timer.setInterval(DRAFT_EVERY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)

    def start(self) -> None:
        """Once the widgets exist: follow their edits, and keep drafts from now on."""
        for widget in self.fields.values():
            widget.changed.connect(self.touched)
        self._draft_timer.start()

    # -- the body -----------------------------------------------------------------------

    def draft_key(self) -> str:
        return f"{self.record_type}:{self.record_id or 'new'}"

    def edited(self) -> dict[str, Any]:
        """What the widgets hold now."""
        return {name: widget.value() for name, widget in self.fields.items()}

    def values(self) -> dict[str, Any]:
        """The body to save: the stored one, with what the widgets hold over it."""
        return {**self.stored, **self.edited()}

    def load_body(self, body: dict[str, Any], base_rev: str | None, heads: int = 1) -> None:
        """Show a stored (or new) body; it becomes what "unchanged" means. `heads` > 1
        (the record is in conflict) shows the conflict banner."""
        self.stored = dict(body)
        self.base_rev = base_rev
        self.set_body(body)
        self.conflict_banner.show_for(heads)
        pending = self.record_id is not None and bool(pending_review(self.app, [self.record_id]))
        self.pending_banner.show_for(pending)

    def open_review(self) -> None:
        """Leave the editor (changes settled) and ask for the record's conflict review."""
        record_id = self.record_id
        if record_id is None:
            return

        def go() -> None:
            self.leave()
            self.review_requested.emit(record_id)

        self.settle_changes(go)

    def set_body(self, body: dict[str, Any]) -> None:
        """Put values into the widgets (fields missing from `body` get their default)."""
        for name, widget in self.fields.items():
            widget.set_value(body.get(name, self.spec.field(name).default))

    def extra_state(self) -> Any:
        """What else the editor holds that a save writes (the activity's register)."""
        return None

    def snapshot(self) -> str:
        return json.dumps([self.values(), self.extra_state()], sort_keys=True, default=str)

    def mark_clean(self) -> None:
        self._clean = self.snapshot()
        self._last_draft = self._clean
        self.banner.offer(self.draft_key())

    def is_dirty(self) -> bool:
        return self._clean is not None and self.snapshot() != self._clean

    def checked_values(self) -> dict[str, Any]:
        """`values()` normalised and validated, keeping the stored fields a newer version
        wrote (they have no widget here); raises ValidationError."""
        return check(
            self.record_type, self.values(), keep=unknown_fields(self.record_type, self.stored)
        )

    def touched(self) -> None:
        """After each edit: re-check once a save has failed, so fixed fields clear."""
        if not self._tried:
            return
        try:
            self.checked_values()
        except ValidationError as exc:
            self.show_issues(exc.issues, focus=False)
        else:
            self.show_issues([], focus=False)

    # -- drafts -------------------------------------------------------------------------

    def draft_data(self) -> dict[str, Any]:
        return {"body": self.edited(), "base_rev": self.base_rev}

    def keep_draft(self) -> None:
        """Write a draft when something changed since the last one (the timer calls this)."""
        snap = self.snapshot()
        if snap == self._last_draft:
            return
        self._last_draft = snap
        if snap == self._clean:
            drafts.discard_draft(self.app, self.draft_key())
        else:
            drafts.save_draft(self.app, self.draft_key(), self.draft_data())

    def restore_draft(self, data: dict[str, Any] | None = None) -> None:
        """Put a kept draft back into the editor (it stays unsaved); None: the one on disk."""
        if data is None:
            data = drafts.load_draft(self.app, self.draft_key()) or {}
            self.banner.hide()
        self.apply_draft(data)
        self.touched()

    def apply_draft(self, data: dict[str, Any]) -> None:
        """Only fields this editor shows come from the draft: the rest stays as stored now,
        so a draft never brings back, or drops, a field the user could not edit."""
        body = data.get("body", data)  # older record-editor drafts were the bare body
        if isinstance(body, dict):
            self.set_body({**self.edited(), **{k: v for k, v in body.items() if k in self.fields}})

    def discard_draft(self) -> None:
        drafts.discard_draft(self.app, self.draft_key())

    # -- issues -------------------------------------------------------------------------

    def focus_field(self, name: str) -> None:
        """Bring a field into view and give it the focus (subclasses switch tabs first)."""
        self.fields[name].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def say(self, text: str, error: bool = True) -> None:
        """One line above the buttons: what stops a save, or that it worked."""
        self.problem_label.setText(text)
        self.problem_label.setStyleSheet(
            f"color: {error_color(self)}; font-weight: bold;" if error else ""
        )
        self.problem_label.setVisible(bool(text))

    def show_issues(self, issues: list[FieldIssue], focus: bool = True) -> None:
        """Mark every field at fault; issues about fields not shown go to the summary."""
        by_field: dict[str, list[str]] = {}
        loose = []
        for issue in issues:
            if issue.field in self.fields:
                by_field.setdefault(issue.field, []).append(issue_text(issue))
            else:
                loose.append(issue_text(issue))
        for name, widget in self.fields.items():
            messages = by_field.get(name)
            widget.set_error("\n".join(messages) if messages else None)
        if not issues:
            self.say("")
            return
        names = ", ".join(field_label(n) for n in self.fields if n in by_field)
        summary = (
            tr("Please correct the fields marked in red: {fields}.").format(fields=names)
            if names
            else ""
        )
        self.say("\n".join(line for line in (summary, *loose) if line))
        if focus and by_field:
            self.focus_field(next(n for n in self.fields if n in by_field))

    # -- saving -------------------------------------------------------------------------

    def prepare_save(self) -> tuple[SaveJob, set[str]] | None:
        """Check on the GUI thread (issues shown, questions asked); return the write job and
        the record types it changes, or None when nothing may be written."""
        raise NotImplementedError

    def after_save(self, record_id: str) -> None:
        """On the GUI thread once the write succeeded."""

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Start saving; True when the write started (it ends with `save_finished`).

        `then` runs after a successful save (close the dialog, go on with a new record)."""
        if self.saving:
            return False
        self._tried = True
        prepared = self.prepare_save()
        if prepared is None:
            return False
        job, changes = prepared
        self._begin_saving()

        def done(record_id: str) -> None:
            if not shiboken6.isValid(self):
                return  # the window closed meanwhile; the record is written all the same
            self._end_saving()
            self._tried = False
            self.discard_draft()
            self.record_id = record_id
            self.after_save(record_id)
            self.saved.emit(record_id)
            self.save_finished.emit(True)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                log.warning("saving %s failed after its editor closed: %r", self.record_type, exc)
                return
            self._end_saving()
            if isinstance(exc, ValidationError):
                self.show_issues(exc.issues)
            else:
                # The draft stays on disk: nothing typed is lost, the user can try again.
                log.warning("saving %s failed: %r", self.record_type, exc)
                self.say(tr("Saving failed: {error}").format(error=exc))
            self.save_finished.emit(False)

        self.tasks.run(job, on_done=done, on_error=failed, write=True, changes=changes)
        return True

    def _begin_saving(self) -> None:
        self.saving = True
        self._focus_before = self.focusWidget()
        self.setEnabled(False)  # no second save, and no edit the reload after it would undo

    def _end_saving(self) -> None:
        self.saving = False
        self.setEnabled(True)
        if self._focus_before is not None:
            self._focus_before.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- closing ------------------------------------------------------------------------

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel: what to do with changes before leaving them."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Unsaved changes"),
            tr("Save your changes before closing?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        # Enter saves and Esc stays: neither key throws work away.
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec())

    def settle_changes(self, then: Callable[[], None]) -> None:
        """Before leaving the record shown: save, discard or stay; `then` once left."""
        if self.saving:
            return
        if not self.is_dirty():
            then()
            return
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            self.save(then=then)
        elif answer == QMessageBox.StandardButton.Discard:
            self.discard_draft()
            then()

    def reject(self) -> None:
        """Esc, Close or the window's close button (QDialog routes them here)."""
        self.settle_changes(self.leave)

    def leave(self) -> None:
        """Close, the changes settled."""
        self._draft_timer.stop()
        super().reject()

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        if self._own_tasks:
            self.tasks.shutdown()  # its loads stop; a save still running finishes
        super().done(result)
