"""Which editor opens a record: read from the record type's declaration."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from ca_desktop.domain.records import spec_for
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop


def editor_for(
    app: CaDesktop,
    record_type: str,
    record_id: str | None,
    parent: QWidget | None = None,
    tasks: TaskManager | None = None,
) -> QDialog | None:
    """The editor dialog for a record of `record_type` (None: the type has no editor of its
    own, e.g. register rows, edited inside their activity)."""
    kind = spec_for(record_type).editor
    if kind == "activity":
        # Imported here: the activity editor is a large module only some actions need.
        from ca_desktop.gui.editors.activity_editor import ActivityEditor

        return ActivityEditor(app, record_id, parent, tasks)
    if kind == "dialog":
        from ca_desktop.gui.editors.record_editor import RecordEditorDialog

        return RecordEditorDialog(app, record_type, record_id, parent, tasks=tasks)
    return None
