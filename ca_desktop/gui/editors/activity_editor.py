"""The activity editor: every field, the People tab with the register, attachments.

Keyboard first: Title has focus on open, Tab walks the fields in reading order, Alt+D /
Alt+P / Alt+F / Alt+T switch tabs, Ctrl+S saves, Esc closes (asking before losing
changes). Drafts, the dirty check and saving off the GUI thread come from `RecordEditor`;
this editor adds its tabs and writes the activity and its register rows in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.records import PARTICIPANT_FIELDS, spec_for
from ca_desktop.domain.schema import unknown_fields
from ca_desktop.domain.validation import FieldIssue, ValidationError, attendance_issues, check
from ca_desktop.gui.editors.activity_attachments import AttachmentsPanel, store_files
from ca_desktop.gui.editors.activity_people import PeoplePanel
from ca_desktop.gui.editors.activity_register import _comparable
from ca_desktop.gui.editors.base import RecordEditor, SaveJob
from ca_desktop.gui.resources import icon
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.fields import make_field_widget
from ca_desktop.gui.widgets.focus import TabLeavesField
from ca_desktop.gui.widgets.forget_dialog import forget_in_background
from ca_desktop.gui.widgets.plain import plain_label
from ca_desktop.gui.widgets.screen_fit import fit_to_screen
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import Change


def _details() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The details tab's fields from the declaration, in its order: short fields in the form,
    long texts beside it. Participant counts and follow-up actions have tabs of their own;
    a field declared later appears here without the editor knowing its name."""
    own_tabs = {*PARTICIPANT_FIELDS, "follow_up"}
    fields = [f for f in spec_for("activity").fields if f.name not in own_tabs]
    return (
        tuple(f.name for f in fields if f.kind != "longtext"),
        tuple(f.name for f in fields if f.kind == "longtext"),
    )


_TAB_OF = {n: 1 for n in PARTICIPANT_FIELDS} | {"follow_up": 2}  # others: the details tab


def draft_key(record_id: str | None) -> str:
    return f"activity:{record_id or 'new'}"


def _checked_or_none(body: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return check("activity", body, keep=unknown_fields("activity", body))
    except ValidationError:
        return None  # a stored body that no longer passes: any save rewrites it


class ActivityEditor(RecordEditor):
    """`ActivityEditor(app, record_id=None)`; emits `saved(record_id)` after each save."""

    def __init__(
        self,
        app: CaDesktop,
        record_id: str | None = None,
        parent: QWidget | None = None,
        tasks: TaskManager | None = None,
    ) -> None:
        super().__init__(app, "activity", record_id, tasks, parent)
        self.setWindowIcon(icon("activities"))
        self.setSizeGripEnabled(True)
        char = self.fontMetrics().averageCharWidth()
        fit_to_screen(self, char * 150, self.fontMetrics().height() * 44)

        layout = QVBoxLayout(self)
        self.banner.closed.connect(lambda: self.fields["title"].focus_widget().setFocus())
        layout.addWidget(self.banner)
        layout.addWidget(self.conflict_banner)
        layout.addWidget(self.pending_banner)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_details(), tr("&Details"))
        self.people = PeoplePanel(app, self)
        self.people.forget_requested.connect(self._forget_person)
        self.fields.update(self.people.participants.fields)
        self.tabs.addTab(self.people, tr("&People and register"))
        follow = make_field_widget(app, spec_for("activity").field("follow_up"), self)
        self.fields["follow_up"] = follow
        self.tabs.addTab(follow, tr("&Follow-up actions"))
        self.attachments = AttachmentsPanel(app, self)
        self.tabs.addTab(self.attachments, tr("A&ttachments"))

        layout.addWidget(self.problem_label)
        buttons = QHBoxLayout()
        self.status = plain_label("", self)
        buttons.addWidget(self.status, 1)
        self.save_button = QPushButton(tr("&Save (Ctrl+S)"), self)
        self.save_close_button = QPushButton(tr("Save and c&lose"), self)
        self.close_button = QPushButton(tr("Close (Esc)"), self)
        for button in (self.save_button, self.save_close_button, self.close_button):
            button.setAutoDefault(False)  # Enter in a field must not save by surprise
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(lambda: self.save())
        self.save_close_button.clicked.connect(self.save_and_close)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(
            lambda: self.save()
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(
            self.start_new
        )

        self.people.changed.connect(self.touched)
        self.attachments.changed.connect(self.touched)
        self._set_tab_order()
        # No button here may be a default: Enter in a count field once pressed "Set the
        # counts from the register" and replaced all six counts. Enter moves on instead.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self._tab_leaves = TabLeavesField(self)
        for name in ("start_date", "end_date"):
            self._tab_leaves.watch(self.fields[name].focus_widget())
        self.load()
        self.start()
        self.fields["title"].focus_widget().setFocus()

    @property
    def message(self) -> QLabel:
        """The line saying what stops a save, or that it worked."""
        return self.problem_label

    # -- building ---------------------------------------------------------------------

    def _build_details(self) -> QWidget:
        page = QWidget(self)
        columns = QHBoxLayout(page)
        left = QVBoxLayout()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        short, long = _details()
        for name in short:
            spec = spec_for("activity").field(name)
            widget = make_field_widget(self.app, spec, page)
            self.fields[name] = widget
            caption = QLabel(field_label(name) + (" *" if spec.required else ""), page)
            caption.setBuddy(widget.focus_widget())
            form.addRow(caption, widget)
        left.addLayout(form)
        left.addStretch(1)
        right = QVBoxLayout()
        for name in long:
            widget = make_field_widget(self.app, spec_for("activity").field(name), page)
            self.fields[name] = widget
            caption = QLabel(field_label(name), page)
            caption.setBuddy(widget.focus_widget())
            right.addWidget(caption)
            right.addWidget(widget)
        right.addStretch(1)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        return page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter in a one-line field moves to the next field, as Tab does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            self.focusWidget(), (QLineEdit, QAbstractSpinBox)
        ):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def _set_tab_order(self) -> None:
        """Reading order on each tab, then the buttons."""
        details: list[QWidget] = []
        for name in (*_details()[0], *_details()[1]):
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

    def _forget_person(self, record_id: str, who: str, consent: bool) -> None:
        register, app = self.people.register, self.app

        def erased(_result: object) -> None:
            view = app.get("attendance_entry", record_id)  # one row: quick
            register.forget_row(record_id, view.body if view is not None else {})

        forget_in_background(
            self, self.tasks, app, "attendance_entry", record_id, who, done=erased, consent=consent
        )

    # -- loading ----------------------------------------------------------------------

    def load(self) -> None:
        if self.record_id:
            view = self.app.get("activity", self.record_id)
            if view is None:
                raise KeyError(f"no activity with id {self.record_id}")
            self.load_body(view.body, view.rev_id, view.heads)
            entries = self.app.list_records(
                "attendance_entry", where={"activity_id": self.record_id}, order_by="line"
            )
            self.people.register.set_entries(entries)
            self.people.refresh_totals()
            self.setWindowTitle(tr("Activity: {title}").format(title=view.body.get("title")))
        else:
            self.load_body({}, None)
            self.set_body(self._defaults())
            self.setWindowTitle(tr("New activity"))
        self.attachments.load(self.record_id)
        self.mark_clean()
        self.touched()

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

    def set_body(self, body: dict[str, Any]) -> None:
        super().set_body(body)
        self.people.participants.set_counts({n: body.get(n) for n in PARTICIPANT_FIELDS})

    def body(self) -> dict[str, Any]:
        """What the fields hold now over the stored body, as the domain's `check` takes it."""
        return self.values()

    def extra_state(self) -> Any:
        return [self.people.register.draft_rows(), [str(p) for p in self.attachments.pending]]

    def touched(self) -> None:
        super().touched()
        self.status.setText(tr("Unsaved changes") if self.is_dirty() else "")

    # -- drafts -----------------------------------------------------------------------

    def draft_key(self) -> str:
        return draft_key(self.record_id)

    def draft_data(self) -> dict[str, Any]:
        return {**super().draft_data(), "register": self.people.register.draft_rows()}

    def apply_draft(self, data: dict[str, Any]) -> None:
        super().apply_draft(data)
        rows = data.get("register")
        if isinstance(rows, list):
            self.people.register.set_rows(rows)
            self.people.refresh_totals()

    # -- saving -----------------------------------------------------------------------

    def focus_field(self, name: str) -> None:
        self.tabs.setCurrentIndex(_TAB_OF.get(name, 0))
        super().focus_field(name)

    def confirm_register_mismatch(self, issues: list[FieldIssue]) -> bool:
        text = "\n".join(f"{field_label(i.field)}: {i.text()}" for i in issues)
        answer = QMessageBox.question(
            self,
            tr("Register and counts differ"),
            tr(
                "The register lists more people than the participant counts:\n{details}\n\n"
                "Save anyway?"
            ).format(details=text),
        )
        return answer == QMessageBox.StandardButton.Yes

    def prepare_save(self) -> tuple[SaveJob, set[str]] | None:
        """Check the activity and its register; the job writes both in one transaction."""
        activity_id = self.record_id or uuid7()
        try:
            body = self.checked_values()
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return None
        self.show_issues([], focus=False)
        register = self.people.register
        problems = register.check_rows(activity_id)
        if problems:
            self.tabs.setCurrentWidget(self.people)
            row, issues = next(iter(sorted(problems.items())))
            register.setCurrentCell(row, 0)
            register.setFocus()
            self.say(
                tr("Register row {row}: {problem}").format(
                    row=row + 1,
                    problem="; ".join(f"{field_label(i.field)} {i.text()}" for i in issues),
                )
            )
            return None
        entries = register.entries()
        mismatch = attendance_issues(body, [e[2] for e in entries])
        if mismatch and not self.confirm_register_mismatch(mismatch):
            return None
        changes: list[Change] = []
        if self.base_rev is None or _checked_or_none(self.stored) != body:
            changes.append(Change("activity", activity_id, body, self.base_rev))
        for row, rid, entry in entries:
            if rid and register.original(row) == _comparable(entry):
                continue
            changes.append(Change("attendance_entry", rid, {**entry, "activity_id": activity_id}))
        changes += [Change("attendance_entry", rid, None) for rid in register.removed_ids()]
        files: list[Path] = list(self.attachments.pending)
        app = self.app

        def job(_progress: Any) -> str:
            if changes:
                app.save_many(changes)
            store_files(app, activity_id, files)
            return activity_id

        written = {c.record_type for c in changes} | ({"attachment"} if files else set())
        return job, written

    def after_save(self, record_id: str) -> None:
        self.attachments.pending = []
        self.load()
        self.say(
            tr("Saved at {time}.").format(time=dt.datetime.now().strftime("%H:%M")), error=False
        )
        self.status.setText("")

    def start_new(self) -> None:
        """Ctrl+N: go on with a new, empty activity (asking about unsaved changes first)."""
        self.settle_changes(self._new)

    def _new(self) -> None:
        self.record_id = None
        self.people.register.set_entries([])
        self.attachments.pending = []
        self.show_issues([], focus=False)
        self.load()
        self.tabs.setCurrentIndex(0)
        self.fields["title"].focus_widget().setFocus()

    def save_and_close(self) -> None:
        self.save(then=self.accept)
