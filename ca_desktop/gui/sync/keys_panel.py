"""Keys on the Sync page: this laptop's fingerprint, and the keys it trusts.

Trusting is the one step that makes encryption meaningful, so the panel asks the user to
type the fingerprint its owner reads out (by phone or in person) and to say whose key it
is before anything is recorded (`trust_dialog.py`). Every name shown is outside text,
shown literally. File choosers and confirmations are attributes, so tests replace
them instead of facing a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import label, tr
from ca_desktop.gui.sync.trust_dialog import TrustChoice, ask_trust
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.plain import ask_plain, plain_label
from ca_desktop.sync.keys import PublicKey
from ca_desktop.sync.service import OwnKey, SyncService
from ca_desktop.sync.views import TrustedKeyView


def fingerprint_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setBold(True)
    return font


class KeysPanel(QWidget):
    """Own key with "Export my public key…", trusted keys with trust-from-file and revoke."""

    changed = Signal()  # the set of trusted keys changed
    message = Signal(str)  # one line for the page's status

    def __init__(
        self, sync: SyncService, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.sync, self.tasks = sync, tasks
        self.own: OwnKey | None = None
        self.keys: list[TrustedKeyView] = []
        # Replaceable in tests: each returns None / False when the user cancels.
        self.choose_key_save: Callable[[str], Path | None] = self._ask_save_path
        self.choose_key_file: Callable[[], Path | None] = self._ask_key_file
        self.confirm_trust: Callable[[PublicKey], TrustChoice | None] = self._ask_trust
        self.confirm_revoke: Callable[[TrustedKeyView], bool] = self._ask_revoke

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        own_box = QGroupBox(tr("This laptop"), self)
        own_layout = QVBoxLayout(own_box)
        self.own_label = plain_label("", own_box)
        self.own_label.setWordWrap(True)
        self.fingerprint_label = QLabel("…", own_box)
        self.fingerprint_label.setFont(fingerprint_font())
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setAccessibleName(tr("This laptop's key fingerprint"))
        self.export_key_button = QPushButton(tr("Export my public key…"), own_box)
        self.export_key_button.setToolTip(
            tr("Write the public key to a file for your coordinator; it holds no secret.")
        )
        self.export_key_button.clicked.connect(self.export_public_key)
        row = QHBoxLayout()
        row.addWidget(self.fingerprint_label)
        row.addStretch(1)
        row.addWidget(self.export_key_button)
        own_layout.addWidget(self.own_label)
        own_layout.addLayout(row)
        layout.addWidget(own_box)

        trusted_box = QGroupBox(tr("Trusted keys"), self)
        tl = QVBoxLayout(trusted_box)
        self.table = QTableWidget(0, 4, trusted_box)
        self.table.setAccessibleName(tr("Trusted keys"))
        self.table.setHorizontalHeaderLabels(
            [tr("Name"), tr("Role"), tr("Fingerprint"), tr("State")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.setWordWrap(False)
        # A handful of keys: room for about five rows leaves the history its space.
        self.table.setMaximumHeight(self.fontMetrics().height() * 9)
        tl.addWidget(self.table)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton(tr("Trust a key from a file…"), trusted_box)
        self.trust_button.clicked.connect(self.trust_from_file)
        self.revoke_button = QPushButton(tr("Revoke"), trusted_box)
        self.revoke_button.setToolTip(
            tr("Stop trusting the selected key: its bundles will be refused")
        )
        self.revoke_button.clicked.connect(self.revoke_selected)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revoke_button)
        tl.addLayout(buttons)
        layout.addWidget(trusted_box, 1)
        self._update_buttons()

    # -- showing --------------------------------------------------------------------------

    def show_keys(self, own: OwnKey, keys: list[TrustedKeyView]) -> None:
        self.own, self.keys = own, keys
        self.own_label.setText(
            tr("{name} ({role}). Read this fingerprint to whoever trusts your key:").format(
                name=own.user_name, role=label(own.role)
            )
        )
        self.fingerprint_label.setText(own.fingerprint)
        self.table.setRowCount(len(keys))
        names = {k.key_id: k.user_name for k in keys}
        for i, k in enumerate(keys):
            if k.revoked_at:
                state = tr("revoked {date}").format(date=k.revoked_at[:10])
            elif k.vouched_by:  # added by a coordinator's signed list, not checked here
                state = tr("vouched for by {name} {date}").format(
                    name=names.get(k.vouched_by, k.vouched_by[:8]), date=k.trusted_at[:10]
                )
            else:
                state = tr("trusted {date}").format(date=k.trusted_at[:10])
            cells = [k.user_name, label(k.role), k.fingerprint, state]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, k.key_id)
                if j == 2:
                    item.setFont(fingerprint_font())
                if k.revoked_at:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(i, j, item)
        self._update_buttons()

    def selected_key(self) -> TrustedKeyView | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.keys[rows.pop()] if len(rows) == 1 else None

    def _update_buttons(self) -> None:
        key = self.selected_key()
        self.revoke_button.setEnabled(key is not None and not key.revoked_at)

    # -- actions --------------------------------------------------------------------------

    def export_public_key(self) -> None:
        name = (
            f"{(self.own.user_name if self.own else 'ca-desktop').lower().replace(' ', '-')}.pubkey"
        )
        path = self.choose_key_save(name)
        if path is None:
            return
        sync = self.sync
        self.tasks.run(
            lambda _p: sync.export_public_key(path),
            lambda own: self.message.emit(
                tr("Public key written to {path}. Fingerprint: {fp}").format(
                    path=path, fp=own.fingerprint
                )
            ),
            self._failed,
        )

    def trust_from_file(self) -> None:
        path = self.choose_key_file()
        if path is None:
            return
        try:
            pub = self.sync.read_public_key(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable key is one line for the user
            self.message.emit(tr("Not trusted: {reason}").format(reason=_reason(exc)))
            return
        choice = self.confirm_trust(pub)
        if choice is None:
            self.message.emit(tr("Nothing was trusted."))
            return
        sync = self.sync

        def done(key: TrustedKeyView) -> None:
            self.message.emit(
                tr("Trusted {name} ({role}), fingerprint {fp}.").format(
                    name=key.user_name, role=label(key.role), fp=key.fingerprint
                )
            )
            self.changed.emit()

        self.tasks.run(
            lambda _p: sync.trust(path, choice.fingerprint, choice.role),
            done,
            self._failed,
            write=True,
        )

    def revoke_selected(self) -> None:
        key = self.selected_key()
        if key is None or key.revoked_at or not self.confirm_revoke(key):
            return
        sync = self.sync

        def done(k: TrustedKeyView) -> None:
            self.message.emit(
                tr("Revoked {name}'s key {fp}; its bundles will be refused.").format(
                    name=k.user_name, fp=k.fingerprint
                )
            )
            self.changed.emit()

        self.tasks.run(lambda _p: sync.revoke(key.key_id), done, self._failed, write=True)

    def _failed(self, exc: BaseException) -> None:
        self.message.emit(tr("Not done: {reason}").format(reason=_reason(exc)))

    # -- default dialogs ------------------------------------------------------------------

    def _ask_save_path(self, name: str) -> Path | None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("Export my public key"),
            str(Path(start) / name),
            tr("Public keys (*.pubkey *.json)"),
        )
        return Path(chosen) if chosen else None

    def _ask_key_file(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            tr("Trust a key from a file"),
            "",
            tr("Public keys (*.pubkey *.pub *.json);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    def _ask_trust(self, pub: PublicKey) -> TrustChoice | None:
        return ask_trust(self, pub)

    def _ask_revoke(self, key: TrustedKeyView) -> bool:
        return ask_plain(
            self,
            tr("Revoke key"),
            tr(
                "Stop trusting {name}'s key {fp}? Bundles signed with it will be refused, and it "
                "cannot be trusted again."
            ).format(name=key.user_name, fp=key.fingerprint),
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return tr("the file could not be read ({why})").format(why=exc.strerror or exc)
    return str(exc) or type(exc).__name__
