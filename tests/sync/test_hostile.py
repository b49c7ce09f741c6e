"""Every hostile bundle is refused with a clear reason, exit 2, and nothing written."""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_helpers import Laptop, forge, make_laptop, revision_line, snapshot

from ca_desktop.cli import main
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision
from ca_desktop.sync.container import BundleZipWriter
from ca_desktop.sync.importer import import_file

Case = Callable[[dict[str, Laptop], Path], bytes]


def _zip(entries: list[tuple[str, bytes]], attr: int | None = None) -> bytes:
    buf = io.BytesIO()
    writer = BundleZipWriter(buf)
    for name, data in entries:
        info = writer._info(name, compress=False)
        if attr is not None:
            info.external_attr = attr
        writer.zip.writestr(info, data)
    writer.close()
    return buf.getvalue()


def _valid(labs: dict[str, Laptop], **kw: object) -> bytes:
    return forge(labs["amina"], [revision_line(labs["amina"])], **kw)  # type: ignore[arg-type]


def _both(*patches: Callable[[dict[str, object]], None]) -> Callable[[dict[str, object]], None]:
    def patch(doc: dict[str, object]) -> None:
        for one in patches:
            one(doc)

    return patch


def _set(path: str, value: object) -> Callable[[dict[str, object]], None]:
    def patch(doc: dict[str, object]) -> None:
        target = doc
        *parents, last = path.split(".")
        for p in parents:
            target = target[p]  # type: ignore[assignment]
        target[last] = value

    return patch


def _bad_line(labs: dict[str, Laptop], text: bytes) -> bytes:
    return forge(labs["amina"], [text + b"\n"])


def _tampered_id(labs: dict[str, Laptop], _: Path) -> bytes:
    doc = json.loads(revision_line(labs["amina"]))
    doc["body"]["name"] = "Changed after hashing"
    return _bad_line(labs, json.dumps(doc).encode())


def _deep(labs: dict[str, Laptop], _: Path) -> bytes:
    return _valid(labs, state=b'{"devices":{},"x":' + b"[" * 40 + b"]" * 40 + b"}")


def _deep_line(labs: dict[str, Laptop], _: Path) -> bytes:
    doc = json.loads(revision_line(labs["amina"]))
    doc["body"]["description"] = json.loads("[" * 40 + "]" * 40)
    doc["rev_id"] = _rehash(doc)
    return _bad_line(labs, json.dumps(doc).encode())


def _newer_body(**fields: object) -> Callable[[dict[str, Laptop], Path], bytes]:
    """A line whose body holds fields this version does not declare (a newer version's)."""

    def make(labs: dict[str, Laptop], _: Path) -> bytes:
        doc = json.loads(revision_line(labs["amina"]))
        doc["body"].update(fields)
        doc["rev_id"] = _rehash(doc)
        return _bad_line(labs, json.dumps(doc).encode())

    return make


def _newer_type(name: str) -> Callable[[dict[str, Laptop], Path], bytes]:
    def make(labs: dict[str, Laptop], _: Path) -> bytes:
        doc = json.loads(revision_line(labs["amina"]))
        doc["record_type"] = name
        doc["rev_id"] = _rehash(doc)
        return _bad_line(labs, json.dumps(doc).encode())

    return make


def _rehash(doc: dict[str, object]) -> str:
    content = {k: v for k, v in doc.items() if k != "rev_id"}
    content["parents"] = tuple(content["parents"])  # type: ignore[arg-type]
    return Revision(**content).computed_id()  # type: ignore[arg-type]


def _dup_key(labs: dict[str, Laptop], _: Path) -> bytes:
    line = revision_line(labs["amina"]).rstrip(b"\n")
    return _bad_line(labs, line[:-1] + b',"author":"Mallory"}')


def _nan(labs: dict[str, Laptop], _: Path) -> bytes:
    line = revision_line(labs["amina"])
    return _bad_line(labs, line.replace(b'"deleted":false', b'"deleted":NaN').rstrip(b"\n"))


def _overlong(labs: dict[str, Laptop], _: Path) -> bytes:
    return _bad_line(labs, b'{"x":"' + os.urandom(700_000).hex().encode() + b'"}')


def _state_too_large(labs: dict[str, Laptop], _: Path) -> bytes:
    blob = json.dumps({"devices": {}, "pad": os.urandom(4_500_000).hex()}).encode()
    return _valid(labs, state=blob)


def _bomb(labs: dict[str, Laptop], _: Path) -> bytes:
    return forge(labs["amina"], [b" " * 30_000_000 + b"\n"])


def _lying_size(labs: dict[str, Laptop], _: Path) -> bytes:
    """Manifest and both ZIP headers claim 2000 bytes; the data expands to 100 kB."""

    def patch(doc: dict[str, dict[str, dict[str, object]]]) -> None:
        doc["entries"]["state.json"]["size"] = 2000

    data = bytearray(_valid(labs, state=b'{"devices":{}}' + b" " * 100_000, patch=patch))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("state.json")
    struct.pack_into("<I", data, info.header_offset + 22, 2000)  # local header
    pos = bytes(data).find(b"PK\x01\x02")
    while pos != -1:  # central directory record
        nlen = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + nlen]) == b"state.json":
            struct.pack_into("<I", data, pos + 24, 2000)
        pos = bytes(data).find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def _overlap(labs: dict[str, Laptop], _: Path) -> bytes:
    data = bytearray(_valid(labs))
    positions = []
    pos = bytes(data).find(b"PK\x01\x02")
    while pos != -1:
        positions.append(pos)
        pos = bytes(data).find(b"PK\x01\x02", pos + 4)
    first_offset = struct.unpack_from("<I", data, positions[0] + 42)[0]
    struct.pack_into("<I", data, positions[1] + 42, first_offset)
    return bytes(data)


def _missing(labs: dict[str, Laptop], _: Path) -> bytes:
    def patch(doc: dict[str, dict[str, object]]) -> None:
        doc["entries"]["blobs/" + "a" * 64] = dict(doc["entries"]["state.json"])  # type: ignore[arg-type]

    return _valid(labs, patch=patch)


def _unlisted(labs: dict[str, Laptop], _: Path) -> bytes:
    def patch(doc: dict[str, dict[str, object]]) -> None:
        del doc["entries"]["blobs/" + "b" * 64]

    return _valid(labs, extra={"blobs/" + "b" * 64: b"photo"}, patch=patch)


def _hash_patch(doc: dict[str, dict[str, dict[str, object]]]) -> None:
    doc["entries"]["revisions.jsonl"]["sha256"] = "0" * 64


def _size_patch(doc: dict[str, dict[str, dict[str, object]]]) -> None:
    doc["entries"]["revisions.jsonl"]["size"] = 5


def _moved_signature(labs: dict[str, Laptop], _: Path) -> bytes:
    one = zipfile.ZipFile(io.BytesIO(_valid(labs)))
    two = zipfile.ZipFile(io.BytesIO(_valid(labs)))
    entries = [(n, one.read(n)) for n in one.namelist() if n != "manifest.sig"]
    return _zip(entries + [("manifest.sig", two.read("manifest.sig"))])


def _unknown_signer(labs: dict[str, Laptop], root: Path) -> bytes:
    eve = make_laptop(root, "eve", "officer")
    try:
        return forge(eve, [revision_line(eve)])
    finally:
        eve.app.close()


def _revoked_signer(labs: dict[str, Laptop], _: Path) -> bytes:
    data = _valid(labs)
    labs["coord"].sync.revoke(labs["amina"].sync.own_key().key_id)
    return data


def _spoofed_manifest(labs: dict[str, Laptop], _: Path) -> bytes:
    brian = labs["brian"].app.device()
    assert brian is not None
    return _valid(labs, patch=_set("sender.device_id", brian.device_id))


def _spoofed_revision(labs: dict[str, Laptop], _: Path) -> bytes:
    brian = labs["brian"].app.device()
    assert brian is not None
    return forge(labs["amina"], [revision_line(labs["amina"], device_id=brian.device_id)])


def _claims(
    labs: dict[str, Laptop], device: str, predecessors: list[str], requires: bool = True
) -> bytes:
    """Amina's key signing as `device` with these earlier incarnations (issue 10)."""

    def patch(doc: dict[str, object]) -> None:
        doc["sender"]["device_id"] = device  # type: ignore[index]
        doc["predecessors"] = predecessors
        if requires:
            doc["requires"] = sorted([*doc["requires"], "incarnations/1"])  # type: ignore[list-item]

    line = revision_line(labs["amina"], device_id=device)
    return forge(labs["amina"], [line], patch=patch)


def _incarnation_of_another_key(labs: dict[str, Laptop], _: Path) -> bytes:
    """A "restored" Amina naming Brian's device as her earlier self."""
    amina, brian = labs["amina"].app.device(), labs["brian"].app.device()
    assert amina is not None and brian is not None
    return _claims(labs, uuid7(), [amina.device_id, brian.device_id])


def _incarnation_without_own_device(labs: dict[str, Laptop], _: Path) -> bytes:
    """A new device id whose predecessors leave out the device the key was made under."""
    return _claims(labs, uuid7(), [uuid7()])


def _predecessors_without_requirement(labs: dict[str, Laptop], _: Path) -> bytes:
    amina = labs["amina"].app.device()
    assert amina is not None
    return _claims(labs, uuid7(), [amina.device_id], requires=False)


def _relayed(labs: dict[str, Laptop], sign_as: str, device: str, tamper: bool = False) -> bytes:
    """Amina's field export relaying one revision of `device`, signed by `sign_as`'s key."""
    from ca_desktop.sync.authorship import sign_revision
    from ca_desktop.sync.keys import load_keys

    line = json.loads(revision_line(labs["amina"], device_id=device))
    key_id, sig = sign_revision(load_keys(labs[sign_as].data_dir), line["rev_id"])
    if tamper:  # the relaying officer changes the content and fixes up the id
        rev = Revision.from_json_dict(line)
        line = (
            Revision(**{**rev.__dict__, "body": {**rev.body, "name": "Changed on the way"}})
            .with_id()
            .to_json_dict()
        )
    line["sig"] = {"key": key_id, "value": sig}

    def patch(doc: dict[str, object]) -> None:
        doc["requires"] = sorted([*doc["requires"], "signatures/1"])  # type: ignore[list-item]

    return forge(labs["amina"], [json.dumps(line).encode() + b"\n"], patch=patch)


def _relay_signed_by_the_wrong_key(labs: dict[str, Laptop], _: Path) -> bytes:
    """Amina signs a revision that claims Brian's laptop made it."""
    brian = labs["brian"].app.device()
    assert brian is not None
    return _relayed(labs, "amina", brian.device_id)


def _relay_tampered(labs: dict[str, Laptop], _: Path) -> bytes:
    """A coordinator revision changed by the officer relaying it: its signature fails."""
    coord = labs["coord"].app.device()
    assert coord is not None
    return _relayed(labs, "coord", coord.device_id, tamper=True)


def _relay_signed_by_an_unknown_key(labs: dict[str, Laptop], root: Path) -> bytes:
    eve = make_laptop(root, "eve", "officer")
    try:
        info = eve.app.device()
        assert info is not None
        labs["eve"] = eve
        return _relayed(labs, "eve", info.device_id)
    finally:
        eve.app.close()


def _replayed(labs: dict[str, Laptop], root: Path) -> bytes:
    coord, amina = labs["coord"], labs["amina"]
    old = coord.send(amina)
    new = coord.send(amina)
    assert amina.receive(new).status == "imported"
    return old.read_bytes()


def _for_someone_else(labs: dict[str, Laptop], _: Path) -> bytes:
    return labs["coord"].send(labs["brian"]).read_bytes()


def _officer_pretends_coordinator(labs: dict[str, Laptop], _: Path) -> bytes:
    return _valid(labs, kind="coordinator_return")


# (case, expected reason fragment); the receiver is Amina for coordinator bundles.
CASES: dict[str, tuple[Case, str]] = {
    "empty file": (lambda labs, root: b"", "the file is empty"),
    "random bytes": (lambda labs, root: os.urandom(5000), "not a CA Desktop bundle"),
    "random after the zip magic": (lambda labs, root: b"PK\x03\x04" + os.urandom(3000), "damaged"),
    "dot-dot": (lambda labs, root: _zip([("../evil.txt", b"x")]), "climbs out"),
    "absolute path": (lambda labs, root: _zip([("/etc/passwd", b"x")]), "absolute path"),
    "backslash": (lambda labs, root: _zip([("blobs\\evil", b"x")]), "backslash"),
    "drive letter": (lambda labs, root: _zip([("C:/evil", b"x")]), "drive letter"),
    "symlink": (
        lambda labs, root: _zip(
            [("manifest.json", b"/etc/passwd")], attr=(stat.S_IFLNK | 0o777) << 16
        ),
        "symbolic link",
    ),
    "duplicate names": (
        lambda labs, root: _zip([("state.json", b"{}"), ("state.json", b"{}")]),
        "appears twice",
    ),
    "case collision": (
        lambda labs, root: _zip([("state.json", b"{}"), ("STATE.json", b"{}")]),
        "differ only by case",
    ),
    "unicode collision": (
        lambda labs, root: _zip(
            [
                (unicodedata.normalize("NFC", "café"), b"1"),
                (unicodedata.normalize("NFD", "café"), b"2"),
            ]
        ),
        "Unicode normalisation",
    ),
    "not allowed entry": (lambda labs, root: _zip([("notes.txt", b"x")]), "not allowed"),
    "manifest missing": (
        lambda labs, root: _zip([("state.json", b"{}")]),
        "manifest.json is missing",
    ),
    "listed entry missing": (_missing, "listed in the manifest but missing"),
    "entry not listed": (_unlisted, "not listed in the manifest"),
    "hash mismatch": (lambda labs, root: _valid(labs, patch=_hash_patch), "SHA-256 does not match"),
    "size mismatch": (lambda labs, root: _valid(labs, patch=_size_patch), "size does not match"),
    "zip bomb ratio": (_bomb, "expands too much"),
    "zip bomb lying size": (_lying_size, "expands beyond its declared size"),
    "overlapping entries": (_overlap, "overlap"),
    "json too deep": (_deep, "nested deeper"),
    "json too deep in a revision": (_deep_line, "description has the wrong type"),
    # Fields and types from newer versions are kept only when they look like them.
    "newer field with a path for a name": (
        _newer_body(**{"../../etc": "x"}),
        "is not a field of programme",
    ),
    "newer field nested deep": (_newer_body(budget={"a": {"b": [1]}}), "budget has the wrong type"),
    "too many newer fields": (
        _newer_body(**{f"extra_{i}": i for i in range(65)}),
        "is not a field of programme",
    ),
    "newer type with a bad name": (_newer_type("Programme; DROP TABLE"), "unknown record type"),
    "json too large": (_state_too_large, "larger than"),
    "json NaN": (_nan, "NaN is not allowed"),
    "json duplicate keys": (_dup_key, "duplicate key"),
    "overlong line": (_overlong, "longer than"),
    "unknown capability": (
        lambda labs, root: _valid(labs, patch=_set("requires", ["revisions/1", "time-travel/1"])),
        "time-travel/1",
    ),
    "unknown format": (
        lambda labs, root: _valid(labs, patch=_set("format", "other-app")),
        "unknown bundle format",
    ),
    "unknown version": (
        lambda labs, root: _valid(labs, patch=_set("version", 2)),
        "version 2 is not supported",
    ),
    # A newer schema alone is read (its unknown fields kept); one that needs a newer release
    # is refused, naming it; a schema that is not a version number is malformed.
    "schema needing a newer release": (
        lambda labs, root: _valid(
            labs,
            patch=_both(_set("schema", 7), _set("requires", ["revisions/1", "ca-desktop/9.1.0"])),
        ),
        "needs CA Desktop 9.1.0 or newer",
    ),
    "schema not a number": (
        lambda labs, root: _valid(labs, patch=_set("schema", "7")),
        "malformed (schema)",
    ),
    "release requirement not a version": (
        lambda labs, root: _valid(labs, patch=_set("requires", ["revisions/1", "ca-desktop/soon"])),
        "malformed (requires)",
    ),
    "unknown programme": (
        lambda labs, root: _valid(labs, patch=_set("sender.programme", "ZZ-CP")),
        "unknown on this laptop",
    ),
    "unknown signer": (_unknown_signer, "unknown key"),
    "revoked signer": (_revoked_signer, "revoked key"),
    "signature moved": (_moved_signature, "signature does not match"),
    "replayed coordinator bundle": (_replayed, "replayed older coordinator bundle"),
    "encrypted for someone else": (_for_someone_else, "encrypted for another device"),
    "revision id mismatch": (_tampered_id, "does not match its content"),
    "spoofed origin in manifest": (_spoofed_manifest, "spoofed origin"),
    "spoofed origin of a revision": (_spoofed_revision, "spoofed origin"),
    "officer signs a coordinator bundle": (
        _officer_pretends_coordinator,
        "not a trusted coordinator",
    ),
    "incarnation claims another key's device": (
        _incarnation_of_another_key,
        "belongs to another key",
    ),
    "incarnation without the key's device": (_incarnation_without_own_device, "spoofed origin"),
    "predecessors without their requirement": (
        _predecessors_without_requirement,
        "without their requirement",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_bundle_is_rejected_and_nothing_written(
    name: str, laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, reason = CASES[name]
    coordinator_bundle = name in ("replayed coordinator bundle", "encrypted for someone else")
    receiver = laptops["amina"] if coordinator_bundle else laptops["coord"]
    data = make(laptops, tmp_path)
    path = tmp_path / "hostile.cabundle"
    path.write_bytes(data)
    before = snapshot(receiver.app)
    blobs_before = sorted((receiver.data_dir).rglob("*"))
    capsys.readouterr()
    code = main(["--data-dir", str(receiver.data_dir), "bundle", "import", str(path)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and reason in err, err
    assert snapshot(receiver.app) == before
    assert sorted(receiver.data_dir.rglob("*")) == blobs_before


def test_a_valid_forged_bundle_is_accepted(laptops: dict[str, Laptop], tmp_path: Path) -> None:
    """The forging helper itself makes good bundles, so the cases above test one fault each."""
    path = tmp_path / "ok.cabundle"
    path.write_bytes(_valid(laptops))
    assert import_file(laptops["coord"].app, path, allow_plain=True).status == "imported"


def _sweep(
    receiver: Laptop, data: bytes, tmp_path: Path, mutate: Callable[[bytes, int], bytes]
) -> None:
    before = snapshot(receiver.app)
    path = tmp_path / "mutated.cabundle"
    for i in range(len(data)):
        path.write_bytes(mutate(data, i))
        result = import_file(receiver.app, path)
        assert result.status == "rejected", (i, len(data))
    assert snapshot(receiver.app) == before


def _flip(data: bytes, i: int) -> bytes:
    return data[:i] + bytes([data[i] ^ (1 << (i % 8))]) + data[i + 1 :]


@pytest.mark.slow
@pytest.mark.sqlite_only("the heaviest property test, of the bundle reader (the same on both backends)")
@pytest.mark.parametrize("encrypted", [False, True])
def test_every_truncation_and_every_flipped_byte_is_rejected(
    encrypted: bool, laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"})
    if encrypted:
        data = amina.send(coord).read_bytes()
    else:
        path = tmp_path / "plain.cabundle"
        amina.sync.export(path, plain=True)
        data = path.read_bytes()
    _sweep(coord, data, tmp_path, lambda d, i: d[:i])
    _sweep(coord, data, tmp_path, _flip)
    ok = tmp_path / "ok.cabundle"
    ok.write_bytes(data)
    assert import_file(coord.app, ok, allow_plain=not encrypted).status == "imported"
