"""Data sets for the reports tests: small ones built on the shared fixtures, and the
hand-counted one (`hand`)."""

from __future__ import annotations

from typing import Any

import pytest

from ca_desktop.services.app import CaDesktop
from tests.reports.hand_data import Hand, hand

__all__ = ["Hand", "hand"]


@pytest.fixture
def organisation_id(app: CaDesktop, settlement_id: str) -> str:
    body = {
        "name": "Kisenyi Federation",
        "type": "slum_dweller_federation",
        "place_id": settlement_id,
    }
    return app.save("organisation", body).id


@pytest.fixture
def activities(app: CaDesktop, activity_body: dict[str, Any], organisation_id: str) -> list[str]:
    """Three activities in two years; the second has a formula-looking title."""
    ids = [app.save("activity", {**activity_body, "lead_organisation_id": organisation_id}).id]
    ids.append(
        app.save(
            "activity",
            {
                **activity_body,
                "title": '=HYPERLINK("http://x")',
                "start_date": "2025-03-01",
                "end_date": "2025-03-02",
                "themes": ["migration"],
            },
        ).id
    )
    ids.append(
        app.save(
            "activity",
            {
                **activity_body,
                "title": "Planned forum",
                "status": "planned",
                "start_date": "2027-01-10",
                "end_date": None,
                "female_youth": None,
                "female_other": None,
                "male_youth": None,
                "male_other": None,
            },
        ).id
    )
    return ids
