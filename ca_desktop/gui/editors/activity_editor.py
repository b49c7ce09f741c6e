"""The activity editor: every field, the People tab with the register, attachments.

Keyboard first: Title has focus on open, Tab walks the fields in reading order, Alt+D /
Alt+P / Alt+F / Alt+T switch tabs, Ctrl+S saves, Esc closes (asking before losing
changes). The activity and its register rows are written in one transaction. While the
user types, a draft is kept every few seconds and offered back if the editor closes
without saving (a crash, a power cut).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.records import ACTIVITY, PARTICIPANT_FIELDS
from ca_desktop.domain.validation import FieldIssue, ValidationError, attendance_issues, check
from ca_desktop.gui.editors.activity_attachments import AttachmentsPanel
from ca_desktop.gui.editors.activity_draft_banner import DraftBanner
from ca_desktop.gui.editors.activity_people import PeoplePanel
from ca_desktop.gui.editors.activity_register import _comparable
from ca_desktop.gui.resources import icon
from ca_desktop.gui.widgets.fields import FieldWidget, error_color, make_field_widget
from ca_desktop.gui.widgets.focus import TabLeavesField
from ca_desktop.services import drafts
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import Change

DRAFT_INTERVAL_MS = 3000
_LEFT = (
    "title",
    "type",
    "level",
    "programme_id",
    "status",
    "start_date",
    "end_date",
    "place_id",
    "lead_organisation_id",
    "themes",
)
_RIGHT = ("description", "notes")
_TAB_OF = (
    {name: 0 for name in (*_LEFT, *_RIGHT)} | {n: 1 for n in PARTICIPANT_FIELDS} | {"follow_up": 2}
)


def draft_key(record_id: str | None) -> str:
    return f"activity:{record_id or 'new'}"


class ActivityEditor(QDialog):
    """`ActivityEditor(app, record_id=None)`; emits `saved(record_id)` after each save."""

    saved = Signal(str)

    def __init__(
        self, app: CaDesktop, record_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.app = app
        self.record_id = record_id
        self.base_rev: str | None = None
        self._original: dict[str, Any] | None = None
        self._clean: str | None = None  # the snapshot last loaded or saved
        self._last_draft: str | None = None
        self.setWindowIcon(icon("activities"))
        self.setSizeGripEnabled(True)
        char = self.fontMetrics().averageCharWidth()
        self.resize(char * 150, self.fontMetrics().height() * 44)

        layout = QVBoxLayout(self)
        self.banner = DraftBanner(app, self)
        self.banner.restore_requested.connect(self.restore_draft)
        self.banner.closed.connect(lambda: self.fields["title"].focus_widget().setFocus())
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self.fields: dict[str, FieldWidget] = {}
        self.tabs.addTab(self._build_details(), tr("&Details"))
        self.people = PeoplePanel(app, self)
        self.fields.update(self.people.participants.fields)
        self.tabs.addTab(self.people, tr("&People and register"))
        follow = make_field_widget(app, ACTIVITY.field("follow_up"), self)
        self.fields["follow_up"] = follow
        self.tabs.addTab(follow, tr("&Follow-up actions"))
        self.attachments = AttachmentsPanel(app, self)
        self.tabs.addTab(self.attachments, tr("A&ttachments"))

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.status = QLabel(self)
        buttons.addWidget(self.status, 1)
        self.save_button = QPushButton(tr("&Save (Ctrl+S)"), self)
        self.save_close_button = QPushButton(tr("Save and c&lose"), self)
        self.close_button = QPushButton(tr("Close (Esc)"), self)
        for button in (self.save_button, self.save_close_button, self.close_button):
            button.setAutoDefault(False)  # Enter in a field must not save by surprise
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self.save_and_close)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.save)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(
            self.start_new
        )

        for widget in self.fields.values():
            widget.changed.connect(self._touched)
        self.people.changed.connect(self._touched)
        self.attachments.changed.connect(self._touched)
        self._set_tab_order()
        self._tab_leaves = TabLeavesField(self)
        for name in ("start_date", "end_date"):
            self._tab_leaves.watch(self.fields[name].focus_widget())
        self.load()
        self._draft_timer = QTimer(self)
        self._draft_timer.setInterval(DRAFT_INTERVAL_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._draft_timer.start()
        self.fields["title"].focus_widget().setFocus()

    # -- building ---------------------------------------------------------------------

    def _build_details(self) -> QWidget:
        page = QWidget(self)
        columns = QHBoxLayout(page)
        left = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in _LEFT:
            spec = ACTIVITY.field(name)
            widget = make_field_widget(self.app, spec, page)
            self.fields[name] = widget
            caption = QLabel(field_label(name) + (" *" if spec.required else ""), page)
            caption.setBuddy(widget.focus_widget())
            form.addRow(caption, widget)
        left.addLayout(form)
        left.addStretch(1)
        right = QVBoxLayout()
        for name in _RIGHT:
            widget = make_field_widget(self.app, ACTIVITY.field(name), page)
            self.fields[name] = widget
            caption = QLabel(field_label(name), page)
            caption.setBuddy(widget.focus_widget())
            right.addWidget(caption)
            right.addWidget(widget)
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        return page

    def _set_tab_order(self) -> None:
        """Reading order on each tab, then the buttons."""
        details: list[QWidget] = []
        for name in (*_LEFT, *_RIGHT):
            boxes = getattr(self.fields[name], "boxes", None)  # several check boxes (themes)
            if isinstance(boxes, dict):
                details += list(boxes.values())
            else:
                details.append(self.fields[name].focus_widget())
        people = [
            *self.people.participants.focus_order(),
            self.people.register,
            self.people.fill_button,
            self.people.remove_button,
        ]
        buttons = [self.save_button, self.save_close_button, self.close_button]
        # One ring: widgets on the hidden tab are skipped, so each tab reads on to the buttons.
        chain = details + people + buttons
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- loading ----------------------------------------------------------------------

    def load(self) -> None:
        if self.record_id:
            view = self.app.get("activity", self.record_id)
            if view is None:
                raise KeyError(f"no activity with id {self.record_id}")
            self.base_rev = view.rev_id
            self._original = dict(view.body)
            self._apply_body(view.body)
            entries = self.app.list_records(
                "attendance_entry", where={"activity_id": self.record_id}, order_by="line"
            )
            self.people.register.set_entries(entries)
            self.people.refresh_totals()
            self.setWindowTitle(tr("Activity: {title}").format(title=view.body["title"]))
        else:
            self._apply_body(self._defaults())
            self.setWindowTitle(tr("New activity"))
        self.attachments.load(self.record_id)
        self._clean = self.snapshot()
        self._last_draft = self._clean
        self.banner.offer(draft_key(self.record_id))

    def _defaults(self) -> dict[str, Any]:
        info = self.app.device()
        programme = None
        if info and info.programme_code:
            found = self.app.list_records("programme", where={"code": info.programme_code}, limit=1)
            programme = found[0].id if found else None
        return {
            "programme_id": programme,
            "level": "community",
            "status": "completed",
            "start_date": dt.date.today().isoformat(),
        }

    def _apply_body(self, body: dict[str, Any]) -> None:
        for name, widget in self.fields.items():
            widget.set_value(body.get(name, ACTIVITY.field(name).default))
        self.people.participants.set_counts({n: body.get(n) for n in PARTICIPANT_FIELDS})

    def body(self) -> dict[str, Any]:
        """What the fields hold now, as the domain's `check` takes it."""
        return {name: widget.value() for name, widget in self.fields.items()}

    def snapshot(self) -> str:
        return json.dumps(
            [
                self.body(),
                self.people.register.draft_rows(),
                [str(p) for p in self.attachments.pending],
            ],
            sort_keys=True,
            default=str,
        )

    def is_dirty(self) -> bool:
        return self._clean is not None and self.snapshot() != self._clean

    def _touched(self) -> None:
        dirty = self.is_dirty()
        self.status.setText(tr("Unsaved changes") if dirty else "")

    # -- drafts -----------------------------------------------------------------------

    def keep_draft(self) -> None:
        """Write a draft when something changed since the last one."""
        snap = self.snapshot()
        if snap == self._last_draft:
            return
        self._last_draft = snap
        if snap == self._clean:
            drafts.discard_draft(self.app, draft_key(self.record_id))
            return
        drafts.save_draft(
            self.app,
            draft_key(self.record_id),
            {
                "body": self.body(),
                "register": self.people.register.draft_rows(),
                "base_rev": self.base_rev,
            },
        )

    def restore_draft(self, data: dict[str, Any]) -> None:
        """Put a kept draft's content back into the editor (it stays unsaved)."""
        body = data.get("body")
        if isinstance(body, dict):
            self._apply_body(body)
        rows = data.get("register")
        if isinstance(rows, list):
            self.people.register.set_rows(rows)
            self.people.refresh_totals()
        self._touched()

    # -- saving -----------------------------------------------------------------------

    def show_issues(self, issues: list[FieldIssue]) -> None:
        by_field: dict[str, str] = {}
        for issue in issues:
            by_field.setdefault(issue.field, tr(issue.message))
        for name, widget in self.fields.items():
            widget.set_error(by_field.get(name))
        first = next((i.field for i in issues if i.field in self.fields), None)
        if first:
            self.tabs.setCurrentIndex(_TAB_OF.get(first, 0))
            self.fields[first].focus_widget().setFocus()
        self._say(
            tr("Please correct the fields marked in red: {fields}.").format(
                fields=", ".join(field_label(f) for f in by_field)
            )
        )

    def _say(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {error_color(self)};" if error else "")
        self.message.setVisible(bool(text))

    def confirm_register_mismatch(self, issues: list[FieldIssue]) -> bool:
        text = "\n".join(f"{field_label(i.field)}: {tr(i.message)}" for i in issues)
        answer = QMessageBox.question(
            self,
            tr("Register and counts differ"),
            tr(
                "The register lists more people than the participant counts:\n{details}\n\n"
                "Save anyway?"
            ).format(details=text),
        )
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> bool:
        """Validate and write the activity and its register in one transaction."""
        activity_id = self.record_id or uuid7()
        try:
            body = check("activity", self.body())
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return False
        for widget in self.fields.values():
            widget.set_error(None)
        register = self.people.register
        problems = register.check_rows(activity_id)
        if problems:
            self.tabs.setCurrentWidget(self.people)
            row, issues = next(iter(sorted(problems.items())))
            register.setCurrentCell(row, 0)
            register.setFocus()
            self._say(
                tr("Register row {row}: {problem}").format(
                    row=row + 1,
                    problem="; ".join(f"{field_label(i.field)} {tr(i.message)}" for i in issues),
                )
            )
            return False
        entries = register.entries()
        mismatch = attendance_issues(body, [e[2] for e in entries])
        if mismatch and not self.confirm_register_mismatch(mismatch):
            return False
        changes: list[Change] = []
        if self._original is None or check("activity", self._original) != body:
            changes.append(Change("activity", activity_id, body, self.base_rev))
        for row, rid, entry in entries:
            if rid and register.original(row) == _comparable(entry):
                continue
            changes.append(Change("attendance_entry", rid, {**entry, "activity_id": activity_id}))
        changes += [Change("attendance_entry", rid, None) for rid in register.removed_ids()]
        try:
            if changes:
                self.app.save_many(changes)
            self.attachments.store_pending(activity_id)
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return False
        except OSError as exc:
            self._say(tr("Saving failed: {error}").format(error=exc))
            return False
        drafts.discard_draft(self.app, draft_key(self.record_id))
        self.record_id = activity_id
        self.load()
        self._say(
            tr("Saved at {time}.").format(time=dt.datetime.now().strftime("%H:%M")), error=False
        )
        self.status.setText("")
        self.saved.emit(activity_id)
        return True

    def start_new(self) -> bool:
        """Ctrl+N: go on with a new, empty activity (asking about unsaved changes first)."""
        if not self._settle_changes():
            return False
        self.record_id = None
        self.base_rev = None
        self._original = None
        self._clean = None
        self.people.register.set_entries([])
        self.attachments.pending = []
        for widget in self.fields.values():
            widget.set_error(None)
        self._say("", error=False)
        self.load()
        self.tabs.setCurrentIndex(0)
        self.fields["title"].focus_widget().setFocus()
        return True

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    # -- closing ----------------------------------------------------------------------

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            tr("Unsaved changes"),
            tr("This activity has changes that are not saved. Save them before closing?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def _settle_changes(self) -> bool:
        """Before leaving this activity: save, discard or stay. True: go ahead."""
        if not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        drafts.discard_draft(self.app, draft_key(self.record_id))
        return True

    def reject(self) -> None:
        if not self._settle_changes():
            return
        self._draft_timer.stop()
        super().reject()

    def done(self, result: int) -> None:
        self._draft_timer.stop()
        super().done(result)
