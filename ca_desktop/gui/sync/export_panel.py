"""Send: write a bundle for the coordinator (or, from a coordinator, for an officer).

The destination suggests the removable drives that are plugged in, so an officer who is
not an IT person sees "USB stick (E:)" rather than a file dialog. The bundle is encrypted
to the chosen trusted key; an unencrypted bundle must be chosen explicitly, because a lost
USB stick must not leak attendance registers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.jobs import Cancelled, Progress
from ca_desktop.gui.sync.jobs import (
    EVERY_COORDINATOR,
    Drive,
    Overview,
    bundle_name,
    free_path,
    removable_drives,
)
from ca_desktop.gui.sync.progress_row import ProgressRow
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.gui.widgets.plain import plain_label
from ca_desktop.services.settings import load_settings
from ca_desktop.sync.export import ExportResult
from ca_desktop.sync.service import SyncService

PLAIN = "__plain__"


def export_summary(r: ExportResult) -> str:
    """One sentence: where the file went and what it carries."""
    if r.revisions == 0 and r.blobs == 0:
        what = tr("no new changes (the bundle still tells the other side what you have)")
    else:
        what = tr("{n} changes and {b} attachments").format(n=r.revisions, b=r.blobs)
    who = (
        tr("encrypted for {name}").format(name=r.recipient_name)
        if r.encrypted
        else tr("not encrypted")
    )
    return tr("Saved {path} — {what}, {who}.").format(path=r.path, what=what, who=who)


class ExportPanel(QGroupBox):
    exported = Signal(object)  # ExportResult

    def __init__(
        self, sync: SyncService, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("Send your work"), parent)
        self.sync, self.tasks = sync, tasks
        self.handle: TaskHandle | None = None
        self.role = "officer"
        self.user_name = ""
        # Replaceable in tests; returns None when the user cancels.
        self.choose_folder: Callable[[], Path | None] = self._ask_folder
        self.find_drives: Callable[[], list[Drive]] = removable_drives

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.recipient = QComboBox(self)
        self.recipient.setAccessibleName(tr("Who will receive the bundle"))
        self.recipient.currentIndexChanged.connect(self._update)
        form.addRow(tr("For:"), self.recipient)
        where = QHBoxLayout()
        self.destination = QComboBox(self)
        self.destination.setAccessibleName(tr("Where to save the bundle"))
        self.destination.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.destination.setMinimumContentsLength(24)
        self.folder_button = QPushButton(tr("Choose folder…"), self)
        self.folder_button.clicked.connect(self.pick_folder)
        where.addWidget(self.destination, 1)
        where.addWidget(self.folder_button)
        form.addRow(tr("Save on:"), where)
        layout.addLayout(form)
        self.full_box = QCheckBox(
            tr("Everything, not only what is new (after a lost bundle)"), self
        )
        self.reference_box = QCheckBox(
            tr("Reference data only (programmes, places, organisations)"), self
        )
        layout.addWidget(self.full_box)
        layout.addWidget(self.reference_box)
        self.warning = plain_label("", self)  # names recipients
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c;")
        layout.addWidget(self.warning)
        row = QHBoxLayout()
        self.export_button = QPushButton(tr("Export"), self)
        self.export_button.setToolTip(tr("Write a bundle with your changes to the chosen place"))
        self.export_button.clicked.connect(self.start_export)
        row.addWidget(self.export_button)
        self.progress = ProgressRow(tr("Export progress"), self)
        self.progress.cancel_clicked.connect(self.cancel)
        row.addWidget(self.progress, 1)
        row.addStretch(0)  # keeps the button its natural width while the progress is hidden
        layout.addLayout(row)
        self.result_label = plain_label("", self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(tr("Result of the last export"))
        layout.addWidget(self.result_label)
        self.result_label.hide()
        self._extra_folders: list[Path] = []
        self._chosen: str | None = None
        self.destination.activated.connect(
            lambda _i: setattr(self, "_chosen", self.destination.currentData())
        )
        self.refresh_destinations()

    # -- choices --------------------------------------------------------------------------

    def show_overview(self, overview: Overview) -> None:
        self.role, self.user_name = overview.own.role, overview.own.user_name
        keep = self.recipient.currentData()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        active = [k for k in overview.trusted if not k.revoked_at]
        if not active:
            first = (
                tr("Trust an officer's key first (on the right)")
                if self.role == "coordinator"
                else tr("Trust your coordinator's key first (on the right)")
            )
            self.recipient.addItem(first, None)
        coordinators = [k for k in active if k.role == "coordinator"]
        if self.role == "officer" and len(coordinators) > 1:
            # One bundle every coordinator of the office can import: no choice to make.
            self.recipient.addItem(
                tr("All {count} coordinators (each can import it)").format(count=len(coordinators)),
                EVERY_COORDINATOR,
            )
        for k in active:
            self.recipient.addItem(f"{k.user_name} ({label(k.role)}) · {k.fingerprint}", k.key_id)
        self.recipient.addItem(tr("Nobody: unencrypted, signed only"), PLAIN)
        wanted = keep if keep is not None else overview.default_recipient
        index = self.recipient.findData(wanted) if wanted else -1
        self.recipient.setCurrentIndex(max(index, 0))
        self.recipient.blockSignals(False)
        self.reference_box.setVisible(self.role == "coordinator")
        self.refresh_destinations()
        self._update()

    def refresh_destinations(self) -> None:
        """Plugged-in drives first; the user's own choice stays selected while it exists."""
        keep = self._chosen
        self.destination.clear()
        for drive in self.find_drives():
            self.destination.addItem(
                tr("{name} (removable drive, {root})").format(name=drive.name, root=drive.root),
                str(drive.root),
            )
        chosen = load_settings(self.sync.app.data_dir).export_dir  # the settings' folder
        for folder in [*self._extra_folders, *([Path(chosen)] if chosen else [])]:
            if folder.is_dir() and self.destination.findData(str(folder)) < 0:
                self.destination.addItem(str(folder), str(folder))
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        if docs and Path(docs).is_dir() and self.destination.findData(docs) < 0:
            self.destination.addItem(tr("Documents ({path})").format(path=docs), docs)
        home = str(Path.home())
        if not docs or not Path(docs).is_dir():
            self.destination.addItem(tr("Home folder ({path})").format(path=home), home)
        if keep is not None and self.destination.findData(keep) >= 0:
            self.destination.setCurrentIndex(self.destination.findData(keep))

    def set_folder(self, folder: Path) -> None:
        if folder not in self._extra_folders:
            self._extra_folders.insert(0, folder)
        self._chosen = str(folder)
        self.refresh_destinations()

    def pick_folder(self) -> None:
        folder = self.choose_folder()
        if folder is not None:
            self.set_folder(folder)

    def _update(self) -> None:
        data = self.recipient.currentData()
        running = self.handle is not None
        self.export_button.setEnabled(data is not None and not running)
        if data == PLAIN:
            self.warning.setText(
                tr(
                    "Anyone who finds the file can read it, including names and phone numbers "
                    "in attendance registers. Prefer a trusted key."
                )  # fmt: skip
            )
        elif data is None:
            self.warning.setText(
                tr(
                    "Bundles are encrypted for the person who receives them. Ask them for "
                    "their public key file and trust it under Trusted keys."
                )  # fmt: skip
            )
        else:
            self.warning.clear()
        self.warning.setVisible(bool(self.warning.text()))

    # -- running --------------------------------------------------------------------------

    def start_export(self) -> None:
        recipient = self.recipient.currentData()
        folder = self.destination.currentData()
        if recipient is None or self.handle is not None:
            return
        if not folder:
            self._say(tr("Choose where to save the bundle first."))
            return
        if not Path(folder).is_dir():
            self._say(
                tr("The folder {path} is not there any more. Is the drive plugged in?").format(
                    path=folder
                )
            )
            self.refresh_destinations()
            return
        out = free_path(Path(folder), bundle_name(self.user_name))
        plain = recipient == PLAIN
        to = None if plain or recipient == EVERY_COORDINATOR else str(recipient)
        full = self.full_box.isChecked()
        kind = (
            "reference_data"
            if self.reference_box.isChecked() and self.role == "coordinator"
            else None
        )
        sync = self.sync

        def job(progress: Progress) -> ExportResult:
            return sync.export(out, to=to, full=full, kind=kind, plain=plain, progress=progress)

        self._say(tr("Writing {path}…").format(path=out))
        self.progress.start()
        self.handle = self.tasks.run(
            job,
            self._done,
            self._failed,
            self.progress.set_progress,
            write=True,
            on_cancel=self._cancelled,
        )
        self._update()

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _finish(self) -> None:
        self.handle = None
        self.progress.stop()
        self._update()

    def _done(self, result: ExportResult) -> None:
        self._finish()
        self._say(export_summary(result))
        self.exported.emit(result)

    def _cancelled(self, _exc: Cancelled) -> None:
        self._finish()
        self._say(tr("Export cancelled; nothing was written."))

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, OSError):
            self._say(
                tr(
                    "Not exported: the bundle could not be written ({why}). Is the drive still "
                    "plugged in and not full?"
                ).format(why=exc.strerror or exc)  # fmt: skip
            )
        else:
            self._say(tr("Not exported: {reason}").format(reason=str(exc) or type(exc).__name__))

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setVisible(bool(text))

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Where to save the bundle"))
        return Path(chosen) if chosen else None
