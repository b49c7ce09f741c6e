"""A manifest from a later format: the reader names the capability it lacks (issue 10)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sync_helpers import Laptop, forge, revision_line

from ca_desktop.domain.ids import uuid7
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.manifest import parse_manifest


def _manifest(laptops: dict[str, Laptop], patch: object = None) -> dict[str, object]:
    data = forge(laptops["amina"], [revision_line(laptops["amina"])], patch=patch)
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))


def test_a_new_field_with_its_capability_reads_as_update(laptops: dict[str, Laptop]) -> None:
    doc = _manifest(laptops)
    doc["requires"] = [*doc["requires"], "hats/1"]  # type: ignore[list-item]
    doc["hats"] = ["sun"]
    with pytest.raises(BundleRejected, match="requires 'hats/1'.*update it"):
        parse_manifest(json.dumps(doc).encode())


def test_predecessors_are_read_and_bounded(laptops: dict[str, Laptop]) -> None:
    earlier = uuid7()
    doc = _manifest(laptops)
    doc["requires"] = [*doc["requires"], "incarnations/1"]  # type: ignore[list-item]
    doc["predecessors"] = [earlier]
    assert parse_manifest(json.dumps(doc).encode()).predecessors == (earlier,)
    for bad in ([], [earlier] * 2, ["not-a-uuid"], [doc["sender"]["device_id"]]):  # type: ignore[index]
        doc["predecessors"] = bad
        with pytest.raises(BundleRejected, match="predecessors"):
            parse_manifest(json.dumps(doc).encode())
