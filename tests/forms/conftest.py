"""Fixtures for the forms tests: records the forms read and write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ca_desktop.forms.resources import forms_dir
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def activity_id(app: CaDesktop, activity_body: dict[str, object]) -> str:
    return app.save("activity", activity_body).id


@pytest.fixture
def register_id(app: CaDesktop, activity_id: str) -> str:
    """The activity, with three people on its attendance register."""
    people = [
        ("Ọlọ́runfẹ́mi Adéyẹmí", "male", "25_34"),
        ("Nguyễn Thị Hoa", "female", "15_24"),
        ("Ñusta Quispe", "female", "35_59"),
    ]
    for line, (name, sex, age) in enumerate(people, start=1):
        app.save(
            "attendance_entry",
            {
                "activity_id": activity_id,
                "line": line,
                "name": name,
                "sex": sex,
                "age_band": age,
                "signed": True,
            },
        )
    return activity_id


@pytest.fixture
def cuf_id(app: CaDesktop, settlement_id: str, programme_id: str) -> str:
    return app.save(
        "cuf_project",
        {
            "title": "Kisenyi water kiosk",
            "settlement_id": settlement_id,
            "programme_id": programme_id,
            "type": "water",
            "status": "approved",
            "ca_funds": 25000,
            "currency": "UGX",
            "beneficiaries_total": 1200,
            "beneficiaries_women": 640,
        },
    ).id


@pytest.fixture
def definitions_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped definitions, to break on purpose."""
    target = tmp_path / "forms"
    shutil.copytree(forms_dir(), target)
    return target
