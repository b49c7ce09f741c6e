"""Drive the real GUI's unlock for `bench_encryption.py`: started through `ca_desktop.cli.main`,
exactly as `python -m ca_desktop --data-dir D` starts it on an encrypted folder.

    python bench/unlock_driver.py DATA_DIR PASSPHRASE_FILE [TYPING_SECONDS]

The unlock dialog is shown and answered after TYPING_SECONDS (default 3: a few words typed
by hand; 0 answers before the window is even painted), as a user pressing Unlock:
`CA-MARK passphrase-given` is written then, and the GUI writes `CA-MARK rows-drawn` once
the Activities rows are painted (`CA_DESKTOP_BENCH_MARKS=1`, `gui/bench_marks.py`). The
difference is the unlock: key derivation, open, first screen of rows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QDialog  # noqa: E402

from ca_desktop import cli  # noqa: E402
from ca_desktop.gui import bench_marks  # noqa: E402
from ca_desktop.gui import unlock as gui_unlock  # noqa: E402
from ca_desktop.gui.passphrase_dialog import UNLOCK, PassphraseDialog  # noqa: E402


def cpu_marks() -> None:
    """Beside each mark, this process's CPU time (all threads): the work an unlock needs,
    which a machine shared with other jobs stretches in wall time but not in CPU time."""
    wall = bench_marks.mark

    def mark(name: str) -> None:
        wall(name)
        print(f"CA-CPU {name} {time.process_time():.6f}", file=sys.stderr, flush=True)

    bench_marks.mark = mark  # type: ignore[assignment]


def main() -> int:
    cpu_marks()
    folder, phrase = sys.argv[1], Path(sys.argv[2]).read_text(encoding="utf-8").strip()
    typing_ms = int(float(sys.argv[3]) * 1000) if len(sys.argv) > 3 else 3000

    class Answered(PassphraseDialog):
        def exec(self) -> int:
            if self.mode != UNLOCK:
                raise SystemExit(f"unexpected dialog: {self.mode}")
            self.first.setText(phrase)

            def press_unlock() -> None:
                bench_marks.mark("passphrase-given")
                self.accept()

            if not typing_ms:
                bench_marks.mark("passphrase-given")
                return QDialog.DialogCode.Accepted.value
            QTimer.singleShot(typing_ms, press_unlock)
            return super().exec()

    gui_unlock.PassphraseDialog = Answered  # type: ignore[misc]
    return cli.main(["--data-dir", folder])


if __name__ == "__main__":
    sys.exit(main())
