"""The contract for long jobs: progress reported through a callback that can cancel.

Modelled on Orange's `TaskState`, kept to the shape the code already used: a job takes
`progress(done, total) -> bool`, calls it at points where stopping is safe, and raises
`Cancelled` once it returns False, after undoing anything half-written (a transaction
rolled back, a temporary file removed). Callers tell a cancel from a failure by the
exception type. Plain Python, so the core, the CLI and the GUI share one definition.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], bool]


class Cancelled(Exception):
    """The user asked a job to stop; it stopped at a safe point and left nothing half-written.

    `partial` holds what finished whole before the stop (e.g. the bundles imported before
    the next file), for a job whose steps each stand on their own; None otherwise.
    """

    def __init__(self, message: str = "cancelled", partial: object = None) -> None:
        super().__init__(message)
        self.partial = partial


def no_progress(done: int, total: int) -> bool:
    """The progress of a caller that shows nothing and never cancels."""
    return True


def report(progress: Progress | None, done: int, total: int) -> None:
    """Tell `progress` how far the job is; raise `Cancelled` if the user asked to stop."""
    if progress is not None and not progress(done, total):
        raise Cancelled("cancelled")
