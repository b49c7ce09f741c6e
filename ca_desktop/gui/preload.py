"""Importing the storage stack while the user types the passphrase.

The window shows before the storage stack (SQLAlchemy, the services, sync) is imported;
opening an encrypted folder then needs it right after the passphrase. Typing a passphrase
takes seconds, so the imports run on a thread meanwhile and Unlock only waits for what is
left (`bench/bench_encryption.py`: about a second less from Unlock to rows on screen).
"""

from __future__ import annotations

import contextlib
import threading

_thread: threading.Thread | None = None


def _import_storage() -> None:
    # Any failure is left to the open, which imports the same modules and reports it.
    with contextlib.suppress(Exception):
        import ca_desktop.services.app  # noqa: F401
        import ca_desktop.sync  # noqa: F401


def start() -> None:
    """Begin the imports (once per process); returns at once."""
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_import_storage, name="ca-preload", daemon=True)
        _thread.start()


def wait() -> None:
    """Block until the imports are done, so two threads never import one module at once
    (a partly imported module seen by the other thread)."""
    if _thread is not None:
        _thread.join()
