"""Bundles from a trusted sender that try to exhaust the receiver or crash its import.

Each runs the real CLI in a fresh process (peak memory is that process's own, from
`wait4`), and checks that a refused bundle leaves nothing behind: no rows, no blob files,
no scratch files.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision
from ca_desktop.sync.limits import MAX_VERSIONS_PER_RECORD
from tests.sync.sync_helpers import Laptop, forge, revision_line, snapshot

ROOT = Path(__file__).resolve().parents[2]
INT64_MAX = 2**63 - 1


# The child's own peak (VmHWM, per address space): `ru_maxrss` would also count the pages
# it shared with this big test process before its exec.
_PEAK = """
import runpy, sys
peak = sys.argv.pop()
try:
    runpy.run_module("ca_desktop", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status, open(peak, "w") as out:
        out.write(next(x for x in status if x.startswith("VmHWM")).split()[1])
"""


def run_import(data_dir: Path, bundle: Path) -> tuple[int, str, float]:
    """`ca-desktop bundle import` in a fresh process: (exit code, stderr, peak RSS in MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    peak = bundle.with_suffix(".peak")
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, "--data-dir", str(data_dir), "bundle", "import",
         "--allow-plain", str(bundle), str(peak)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True,
    )  # fmt: skip
    return proc.returncode, proc.stderr, int(peak.read_text()) / 1024


def _line(doc: dict[str, Any]) -> bytes:
    content = {k: v for k, v in doc.items() if k != "rev_id"}
    content["parents"] = tuple(content["parents"])
    doc["rev_id"] = Revision(**content).computed_id()
    return canonical_json(doc).encode() + b"\n"


def _programme(lap: Laptop, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(revision_line(lap))
    doc.update(changes)
    return doc


def _leftovers(data_dir: Path) -> list[str]:
    found = []
    for folder in ("blobs", "tmp"):
        root = data_dir / folder
        if root.exists():
            found += [str(p.relative_to(data_dir)) for p in root.rglob("*") if p.is_file()]
    return found


def _refused_cleanly(coord: Laptop, bundle: bytes, tmp_path: Path, reason: str) -> None:
    before = snapshot(coord.app)
    blobs_before = _leftovers(coord.data_dir)
    coord.app.close()
    path = tmp_path / "hostile.cabundle"
    path.write_bytes(bundle)
    code, err, _rss = run_import(coord.data_dir, path)
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert reason in err, err
    assert snapshot(coord.app) == before
    assert _leftovers(coord.data_dir) == blobs_before


def _bomb_line(lap: Laptop, seq: int, items: str) -> bytes:
    """A valid line whose body holds `items` (canonical JSON text) as a newer version's
    list field, plus random text so the line compresses no more than the ratio limit."""
    doc = _programme(lap, device_seq=seq, record_id=uuid7())
    doc["body"].update(extra_items="@items@", extra_noise=os.urandom(4096).hex())
    del doc["rev_id"]
    content = canonical_json(doc).replace('"@items@"', items)
    doc["rev_id"] = hashlib.sha256(content.encode()).hexdigest()
    return (canonical_json(doc).replace('"@items@"', items) + "\n").encode()


@pytest.mark.slow
def test_empty_objects_bomb_stays_within_memory(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    """Lines of nearly 1 MiB of empty objects (a newer version's list field) expand many
    times once parsed: kept all at once, a bundle under 1 MiB took gigabytes."""
    amina, coord = pair
    items = "[" + ",".join(["{}"] * 340_000) + "]"
    lines = [_bomb_line(amina, seq, items) for seq in range(1, 61)]
    assert json.loads(lines[0])["rev_id"] == _rehashed(lines[0])
    path = tmp_path / "bomb.cabundle"
    path.write_bytes(forge(amina, lines))
    assert path.stat().st_size < 2 * 1024**2  # a small file ...
    coord.app.close()
    code, err, rss = run_import(coord.data_dir, path)
    # ... imported whole (nothing in it breaks a rule) or refused, in bounded memory.
    assert code in (0, 2), err
    assert "expands too much" not in err  # the bomb must get past the ratio check
    assert "Traceback" not in err
    assert rss < 400, f"peak RSS {rss:.0f} MB"


def _rehashed(line: bytes) -> str:
    doc = json.loads(line)
    content = {k: v for k, v in doc.items() if k != "rev_id"}
    content["parents"] = tuple(content["parents"])
    return Revision(**content).computed_id()


def _versions_of_one_record(amina: Laptop, count: int, chained: bool) -> list[bytes]:
    base = _programme(amina, record_id=uuid7())
    lines: list[bytes] = []
    parent: tuple[str, ...] = ()
    for seq in range(1, count + 1):
        doc = {**base, "device_seq": seq, "parents": list(parent)}
        doc["body"] = {**base["body"], "name": f"Version {seq}"}
        line = _line(doc)
        lines.append(line)
        if chained:
            parent = (json.loads(line)["rev_id"],)
    return lines


@pytest.mark.parametrize("chained", [False, True], ids=["heads", "chain"])
def test_many_versions_of_one_record_are_refused(
    pair: tuple[Laptop, Laptop], tmp_path: Path, chained: bool
) -> None:
    """8,000 versions of one record (all heads: an 8,000-way conflict) made the import and
    the conflict list quadratic; more than the cap per record is refused by name."""
    amina, coord = pair
    bundle = forge(amina, _versions_of_one_record(amina, 8000, chained))
    _refused_cleanly(coord, bundle, tmp_path, "versions of one record")


def test_versions_up_to_the_cap_import_and_list(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    """The cap itself imports, as one conflict with that many heads, listed afterwards."""
    amina, coord = pair
    lines = _versions_of_one_record(amina, MAX_VERSIONS_PER_RECORD, chained=False)
    coord.app.close()
    path = tmp_path / "many.cabundle"
    path.write_bytes(forge(amina, lines))
    code, err, _rss = run_import(coord.data_dir, path)
    assert code == 0, err
    from ca_desktop.sync.conflicts import list_conflicts

    [conflict] = list_conflicts(coord.app)
    assert len(conflict.versions) == MAX_VERSIONS_PER_RECORD


def _blob() -> dict[str, bytes]:
    data = b"\x89PNG photo of the site"
    return {"blobs/" + hashlib.sha256(data).hexdigest(): data}


def _state(doc: dict[str, Any]) -> bytes:
    return canonical_json(doc).encode()


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for p in parents:
        doc = doc[p]
    doc[last] = value


OutOfRange = Callable[[Laptop], bytes]


def _seq(value: int) -> OutOfRange:
    return lambda lap: forge(lap, [_line(_programme(lap, device_seq=value))], extra=_blob())


def _body_int(value: int) -> OutOfRange:
    def make(lap: Laptop) -> bytes:
        info = lap.app.device()
        assert info is not None
        doc = _programme(lap, record_type="cuf_project", body={"beneficiaries_total": value})
        return forge(lap, [_line(doc)], extra=_blob())

    return make


def _state_number(value: int) -> OutOfRange:
    def make(lap: Laptop) -> bytes:
        info = lap.app.device()
        assert info is not None
        state = {"devices": {info.device_id: {"contiguous": value, "max": value}}}
        return forge(lap, [revision_line(lap)], state=_state(state), extra=_blob())

    return make


def _manifest_number(path: str, value: int) -> OutOfRange:
    return lambda lap: forge(
        lap, [revision_line(lap)], extra=_blob(), patch=lambda doc: _set_path(doc, path, value)
    )


@pytest.mark.parametrize(
    "make",
    [
        _seq(2**63),
        _seq(2**64 + 5),
        _body_int(2**63),
        _body_int(-(2**63) - 1),
        _state_number(2**63),
        _manifest_number("sender_seq", 2**63),
        _manifest_number("schema", 2**63),
    ],
    ids=["seq-2^63", "seq-2^64", "body-int", "body-negative", "state", "sender-seq", "schema"],
)
def test_numbers_beyond_64_bits_are_refused_with_nothing_left(
    pair: tuple[Laptop, Laptop], tmp_path: Path, make: OutOfRange
) -> None:
    """A sequence number of 2^63 crashed the import (exit 1) after storing the blob."""
    amina, coord = pair
    _refused_cleanly(coord, make(amina), tmp_path, "out of range")


def test_largest_64_bit_sequence_number_still_imports(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    amina, coord = pair
    bundle = forge(amina, [_line(_programme(amina, device_seq=INT64_MAX))], extra=_blob())
    coord.app.close()
    path = tmp_path / "edge.cabundle"
    path.write_bytes(bundle)
    code, err, _rss = run_import(coord.data_dir, path)
    assert code == 0, err
