"""Numbers and times on screen follow the user's language; times are local, zone named."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from ca_desktop.domain.i18n import set_language
from ca_desktop.gui.widgets.locale_format import local_time, number


@pytest.fixture
def kampala() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Africa/Kampala"  # UTC+3, no daylight saving
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()
    set_language("en")


def test_numbers_grouped_per_language(kampala: None) -> None:
    set_language("fr")
    assert number(69626).replace("\u202f", " ").replace("\u00a0", " ") == "69 626"
    set_language("en")
    assert number(69626) == "69,626"


def test_history_times_are_local_with_the_zone(kampala: None) -> None:
    set_language("fr")
    shown = local_time("2026-11-30 09:00:00 UTC")
    assert "12:00" in shown and "30/11/2026" in shown and "EAT" in shown
    set_language("en")
    assert "12:00" in local_time("2026-11-30T09:00:00Z") or "12:00 PM" in local_time(
        "2026-11-30T09:00:00Z"
    )
    assert local_time("not a time") == "not a time"
