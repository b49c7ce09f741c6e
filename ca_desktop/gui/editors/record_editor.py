"""One editor dialog for CUF projects, grievances, places, organisations and programmes.

Fields come from the record's `RecordSpec`, grouped the way people think about the record.
Saving goes through `CaDesktop.save`, so the domain decides what is valid; its issues show
next to the field at fault. While the dialog is open and changed, a draft is written every
few seconds, so a crash or a flat battery loses at most those seconds.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.domain.validation import FieldIssue, ValidationError, check
from ca_desktop.gui.widgets.fields import FieldWidget, error_color, make_field_widget
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.drafts import discard_draft, draft_saved_at, load_draft, save_draft
from ca_desktop.services.record_queries import ref_choices

DRAFT_EVERY_MS = 3000

# Group titles and window titles come from each type's declaration (`domain/records.py`).
GROUPS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    spec.name: spec.groups for spec in RECORD_SPECS.values() if spec.editor == "dialog"
}
TYPE_NAMES = {
    spec.name: (spec.new_title, spec.edit_title)
    for spec in RECORD_SPECS.values()
    if spec.editor == "dialog"
}


def issue_text(issue: FieldIssue) -> str:
    """A domain issue as a sentence naming the field: "Settlement is required"."""
    return tr("{field} {problem}").format(field=field_label(issue.field), problem=tr(issue.message))


class RecordEditorDialog(QDialog):
    def __init__(
        self,
        app: CaDesktop,
        record_type: str,
        record_id: str | None = None,
        parent: QWidget | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        if record_type not in GROUPS:
            raise ValueError(f"no record editor for {record_type!r}")
        self.app = app
        self.record_type = record_type
        self.spec = spec_for(record_type)
        self.record = app.get(record_type, record_id) if record_id else None
        if record_id and self.record is None:
            raise KeyError(f"no {record_type} with id {record_id}")
        self.record_id = record_id
        self.saved_id: str | None = None
        self.draft_key = f"{record_type}:{record_id or 'new'}"
        self._dirty = False
        self._tried = False  # after a failed save, errors update as the user fixes them
        self.setWindowTitle(tr(TYPE_NAMES[record_type][1 if record_id else 0]))
        self.setModal(True)
        self.setSizeGripEnabled(True)

        outer = QVBoxLayout(self)
        self.draft_banner = self._build_draft_banner()
        outer.addWidget(self.draft_banner)
        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.problem_label.setVisible(False)
        outer.addWidget(self.problem_label)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        self.fields: dict[str, FieldWidget] = {}
        captions: list[QLabel] = []
        current = self.record.body if self.record else (initial or {})
        for title, names in GROUPS[record_type]:
            box = QGroupBox(tr(title), body)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for name in names:
                fs = self.spec.field(name)
                choices = (
                    ref_choices(app, record_type, fs, current.get(name))
                    if fs.kind == "ref"
                    else None
                )
                widget = make_field_widget(app, fs, box, choices=choices)
                text = field_label(name)
                caption = QLabel(tr("{field} *").format(field=text) if fs.required else text, box)
                caption.setBuddy(widget.focus_widget())
                captions.append(caption)
                form.addRow(caption, widget)
                self.fields[name] = widget
            column.addWidget(box)
        # One label width for every group, so the fields line up down the whole dialog.
        width = max(c.sizeHint().width() for c in captions)
        for caption in captions:
            caption.setMinimumWidth(width)
        note = QLabel(tr("Fields marked * are required."), body)
        note.setEnabled(False)  # drawn in the palette's muted text colour
        column.addWidget(note)
        column.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save)

        self._load(current)
        for widget in self.fields.values():
            widget.changed.connect(self._on_changed)
        self._set_tab_order()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_EVERY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._offer_draft()
        lines = self.fontMetrics().lineSpacing()
        wanted = body.sizeHint().height() + self.buttons.sizeHint().height() + lines * 6
        # The whole form without scrolling when the screen allows: the scroll area's own
        # hint is tiny, so the dialog states the size it wants.
        self._preferred = QSize(
            self.fontMetrics().averageCharWidth() * 110, min(wanted, lines * 42)
        )
        self.resize(self._preferred)
        first = next(iter(self.fields.values()))
        first.setFocus()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._preferred

    # -- building -----------------------------------------------------------------------

    def _build_draft_banner(self) -> QFrame:
        banner = QFrame(self)
        banner.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(banner)
        self.draft_label = QLabel(banner)
        self.draft_label.setWordWrap(True)
        restore = QPushButton(tr("Restore"), banner)
        discard = QPushButton(tr("Discard"), banner)
        restore.clicked.connect(self.restore_draft)
        discard.clicked.connect(self._discard_offered_draft)
        row.addWidget(self.draft_label, 1)
        row.addWidget(restore)
        row.addWidget(discard)
        banner.setVisible(False)
        return banner

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [w.focus_widget() for w in self.fields.values()]
        chain += [self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _load(self, body: dict[str, Any]) -> None:
        for name, widget in self.fields.items():
            widget.set_value(body.get(name, self.spec.field(name).default))

    # -- values, validation, saving -----------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The body as typed, including fields this dialog does not show (kept unchanged)."""
        body = dict(self.record.body) if self.record else {}
        body.update({name: widget.value() for name, widget in self.fields.items()})
        return body

    def _on_changed(self) -> None:
        self._dirty = True
        self._draft_timer.start()
        if self._tried:
            try:
                check(self.record_type, self.values())
            except ValidationError as exc:
                self.show_issues(exc.issues, focus=False)
            else:
                self.show_issues([], focus=False)

    def show_issues(self, issues: list[FieldIssue], focus: bool = True) -> None:
        """Mark every field at fault; issues about hidden fields go to the top line."""
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
        if issues:
            count = len(issues)
            summary = (
                tr("Please correct the field marked below.")
                if count == 1
                else tr("Please correct the {count} problems marked below.").format(count=count)
            )
            self.problem_label.setText("\n".join([summary, *loose]))
            self.problem_label.setStyleSheet(f"color: {error_color(self)}; font-weight: bold;")
        self.problem_label.setVisible(bool(issues))
        if focus and by_field:
            first = next(n for n in self.fields if n in by_field)
            self.fields[first].focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> bool:
        """Validate and write; on success the dialog closes as Accepted."""
        self._tried = True
        try:
            view = self.app.save(
                self.record_type,
                self.values(),
                record_id=self.record_id,
                base_rev=self.record.rev_id if self.record else None,
            )
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return False
        self.saved_id = view.id
        self._dirty = False
        self._draft_timer.stop()
        discard_draft(self.app, self.draft_key)
        self.accept()
        return True

    # -- drafts -------------------------------------------------------------------------

    def keep_draft(self) -> None:
        if self._dirty:
            save_draft(self.app, self.draft_key, self.values())

    def _offer_draft(self) -> None:
        draft = load_draft(self.app, self.draft_key)
        if draft is None:
            return
        when = (draft_saved_at(self.app, self.draft_key) or "").replace("T", " ")[:16]
        self.draft_label.setText(
            tr("Unsaved changes from {when} were kept when this editor last closed.").format(
                when=when
            )
        )
        self.draft_banner.setVisible(True)

    def restore_draft(self) -> None:
        draft = load_draft(self.app, self.draft_key)
        self.draft_banner.setVisible(False)
        if draft is None:
            return
        known = {k: v for k, v in draft.items() if k in self.spec.field_names}
        self._load({**self.values(), **known})
        self._dirty = True

    def _discard_offered_draft(self) -> None:
        discard_draft(self.app, self.draft_key)
        self.draft_banner.setVisible(False)

    # -- closing ------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._dirty

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel: what to do with changes on closing."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Unsaved changes"),
            tr("Save your changes before closing?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def reject(self) -> None:
        """Esc, Cancel or the window's close button (QDialog routes it here)."""
        if self._dirty:
            answer = self.ask_unsaved()
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                return
            self._dirty = False
            discard_draft(self.app, self.draft_key)
        self._draft_timer.stop()
        super().reject()
