"""Names of laptops for history, conflict review, the Sync page and import reports.

One place decides how a laptop is named (`domain/laptops.py`): its person's name as bound
to its key when trusted, and the key's short fingerprint. Never a device-id prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.laptops import laptop_label, short_name

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop


@dataclass(frozen=True)
class LaptopNames:
    owners: dict[str, tuple[str, str]] = field(default_factory=dict)  # device -> (name, fp)
    own_devices: tuple[str, ...] = ()

    def of(self, device_id: str, author: str = "") -> str:
        """ "Amina K. · 4F2A-91C0"; "this laptop"; or, for a laptop whose key is not
        trusted here, the name its revisions claim, marked as unchecked."""
        if device_id in self.own_devices:
            return tr("this laptop")
        owner = self.owners.get(device_id)
        if owner is not None:
            return laptop_label(*owner)
        return tr("{name} · key not trusted here").format(name=short_name(author) or "?")


def laptop_names(app: CaDesktop) -> LaptopNames:
    """Every laptop this one knows by key (one read)."""
    from ca_desktop.store import sync_queries

    info = app.device()
    with app.db.engine.connect() as conn:
        owners = sync_queries.device_owners(conn)
    return LaptopNames(owners, info.own_devices if info else ())
