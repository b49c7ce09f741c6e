"""The words for where this laptop's changes stand (`sync.send_state`), and local times.

Three states an officer can act on: changes not exported yet; exported in a named bundle
and waiting for the coordinator's receipt; received. Times are stored in UTC and shown in
the laptop's own time zone, in the user's language, with the zone named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui.widgets.locale_format import local_time, number

if TYPE_CHECKING:  # importing `ca_desktop.sync` loads the storage stack: not before the window
    from ca_desktop.sync.send_state import SendState


def short_state(s: SendState) -> str:
    """A word or a number for a figure card."""
    if s.state == "not_exported":
        return number(s.unexported)
    if s.state == "waiting":
        return tr("Exported")
    if s.state == "received":
        return tr("All received")
    return number(0)


def status_line(s: SendState) -> str:
    """One line for the status bar."""
    if s.state == "not_exported":
        return tr_n(
            "{n} change not exported yet",
            "{n} changes not exported yet",
            s.unexported,
            shown=number(s.unexported),
        )
    if s.state == "waiting":
        return tr("Exported, waiting for the coordinator's receipt")
    if s.state == "received":
        return tr("All changes received by the coordinator")
    return tr("No changes to send")


def detail_line(s: SendState) -> str:
    """The longer explanation: which bundle, when, and what to do."""
    if s.state == "not_exported":
        return tr("Export a sync bundle on the Sync page to send them.")
    if s.state == "waiting" and s.bundle_name and s.exported_at:
        return tr(
            "{file}, written {when}: received once a bundle from the coordinator is imported."
        ).format(file=s.bundle_name, when=local_time(s.exported_at))
    if s.state == "received":
        return tr("Everything made here has reached the coordinator.")
    return tr("Nothing has been recorded on this laptop yet.")
