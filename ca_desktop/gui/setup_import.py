"""First start, first path: the coordinator's setup — their key, checked by fingerprint,
then their reference bundle (programmes, places, organisations, form versions).

Without it a new laptop has nothing to pick in its required lists. The key is trusted only
after the officer types the fingerprint the coordinator reads out and it matches (the
Sync page's own prompt, `sync/trust_dialog.py`); the bundles are then imported all-or-nothing like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui.sync.trust_dialog import TrustChoice, ask_trust
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.importer import ImportResult
from ca_desktop.sync.keys import PublicKey
from ca_desktop.sync.service import SyncService


class SetupImporter:
    def __init__(self, parent: QWidget, app: CaDesktop, tasks: TaskManager) -> None:
        self.parent, self.tasks = parent, tasks
        self.sync = SyncService(app)
        # Dialog steps as attributes, so tests answer them.
        self.choose_key: Callable[[], Path | None] = self._choose_key
        self.confirm_fingerprint: Callable[[PublicKey], TrustChoice | None] = (
            self._confirm_fingerprint
        )
        self.choose_bundles: Callable[[], list[Path]] = self._choose_bundles

    def run(self, done: Callable[[str], None], failed: Callable[[str], None]) -> bool:
        """Ask for the key and the bundles, then import in the background; False when the
        user stopped before anything was written."""
        path = self.choose_key()
        if path is None:
            return False
        try:
            key = self.sync.read_public_key(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable key is one line for the user
            failed(tr("Not trusted: {reason}").format(reason=exc))
            return False
        choice = self.confirm_fingerprint(key)
        if choice is None:
            failed(tr("Nothing was trusted."))
            return False
        bundles = self.choose_bundles()
        if not bundles:
            return False
        sync = self.sync

        def work(_progress: object) -> list[ImportResult]:
            sync.trust(path, choice.fingerprint, choice.role)
            return sync.import_bundles(bundles)

        def finished(results: list[ImportResult]) -> None:
            refused = [r for r in results if r.status == "rejected"]
            if refused:
                failed(
                    tr("{file} was refused: {reason}").format(
                        file=refused[0].path.name, reason=refused[0].reason
                    )
                )
                return
            n = sum(r.records_new + r.records_updated for r in results)
            done(
                tr_n(
                    "Your coordinator's setup is in: {n} record.",
                    "Your coordinator's setup is in: {n} records.",
                    n,
                )
            )

        self.tasks.run(work, finished, lambda exc: failed(str(exc)), write=True)
        return True

    def _choose_key(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            self.parent,
            tr("Your coordinator's key"),
            "",
            tr("Public keys (*.pubkey *.pub *.json);;All files (*)"),
        )
        return Path(chosen) if chosen else None

    def _confirm_fingerprint(self, pub: PublicKey) -> TrustChoice | None:
        return ask_trust(self.parent, pub, role="coordinator")

    def _choose_bundles(self) -> list[Path]:
        chosen, _ = QFileDialog.getOpenFileNames(
            self.parent,
            tr("Your coordinator's setup bundle"),
            "",
            tr("Sync bundles (*.cabundle);;All files (*)"),
        )
        return [Path(p) for p in chosen]
