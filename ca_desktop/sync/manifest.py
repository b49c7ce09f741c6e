"""The bundle manifest: what the bundle holds, who made it for whom; signed by the sender."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ca_desktop import __version__
from ca_desktop.domain import schema
from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.sync import strict_json
from ca_desktop.sync.container import allowed_name
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.limits import MAX_MANIFEST_BYTES

FORMAT = "ca-desktop-bundle"
VERSION = 1
CAPABILITIES = frozenset(
    {
        "revisions/1", "receipts/1", "blobs/1", "incarnations/1", "signatures/1",
        "trust-list/1", "recovery/1", "recipients/1",
    }
)  # fmt: skip
# A bundle from a restored laptop names its earlier device ids ("predecessors"): readers
# must bind them to the signing key, so such a bundle requires this capability.
INCARNATIONS = "incarnations/1"
MAX_PREDECESSORS = 1000
# A bundle encrypted for several keys names them all in the signed manifest ("recipients",
# with "recipient" null), so the envelope's list is bound to the sender's signature.
RECIPIENTS = "recipients/1"
MAX_RECIPIENTS = 32
# "ca-desktop/0.3.0" in `requires`: the bundle needs that release or newer (it holds data an
# older release would misread). Older releases list it as a capability they lack, so their
# message names the version too.
APP_REQUIREMENT = "ca-desktop/"
KINDS = ("field_export", "coordinator_return", "reference_data")
SIGNATURE_DOMAIN = b"ca-desktop-bundle-manifest-v1\n"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class EntryInfo:
    size: int
    sha256: str
    stored_size: int
    stored_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "sha256": self.sha256,
            "stored_size": self.stored_size,
            "stored_sha256": self.stored_sha256,
        }


@dataclass(frozen=True)
class Sender:
    key_id: str
    device_id: str
    user_name: str
    role: str
    programme: str | None


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    kind: str
    sender: Sender
    recipient: str | None
    sender_seq: int
    created_hlc: str
    full: bool
    requires: tuple[str, ...]
    ranges: dict[str, list[list[int]]]  # device id -> [[first, last], ...] seqs carried
    revisions: int
    blobs: int
    entries: dict[str, EntryInfo]
    schema: int = 1  # the record schema of the sender (`domain/schema.py`)
    predecessors: tuple[str, ...] = ()  # the sender's earlier device ids (restores)
    recipients: tuple[str, ...] = ()  # key ids of a bundle for several keys (sorted)

    def addressed_to(self, key_id: str) -> bool:
        """Whether this key may read the bundle (a bundle for nobody in particular: yes)."""
        if self.recipients:
            return key_id in self.recipients
        return self.recipient is None or self.recipient == key_id

    def to_json(self) -> dict[str, Any]:
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "schema": self.schema,
            "requires": sorted(self.requires),
            "bundle_id": self.bundle_id,
            "kind": self.kind,
            "sender": {
                "key_id": self.sender.key_id,
                "device_id": self.sender.device_id,
                "user_name": self.sender.user_name,
                "role": self.sender.role,
                "programme": self.sender.programme,
            },
            "recipient": self.recipient,
            "sender_seq": self.sender_seq,
            "created_hlc": self.created_hlc,
            "full": self.full,
            "ranges": self.ranges,
            "counts": {"revisions": self.revisions, "blobs": self.blobs},
            "entries": {name: e.to_json() for name, e in sorted(self.entries.items())},
        }
        if self.predecessors:
            doc["predecessors"] = sorted(self.predecessors)
        if self.recipients:
            doc["recipients"] = sorted(self.recipients)
        return doc

    def to_bytes(self) -> bytes:
        return canonical_json(self.to_json()).encode("utf-8")


def ranges_of(seqs: dict[str, list[int]]) -> dict[str, list[list[int]]]:
    """{device: sorted seqs} -> {device: [[first, last], ...]} of consecutive runs."""
    out: dict[str, list[list[int]]] = {}
    for device, numbers in sorted(seqs.items()):
        runs: list[list[int]] = []
        for n in sorted(set(numbers)):
            if runs and n == runs[-1][1] + 1:
                runs[-1][1] = n
            else:
                runs.append([n, n])
        out[device] = runs
    return out


def _is_int(v: Any, low: int = 0) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= low


def _want(cond: bool, what: str) -> None:
    if not cond:
        raise BundleRejected(tr("the manifest is malformed ({what})").format(what=what))


def parse_manifest(data: bytes) -> Manifest:
    """Check shape and types; what the values mean is checked by the importer."""
    doc = strict_json.loads(data, "manifest", MAX_MANIFEST_BYTES)
    _want(isinstance(doc, dict), "not an object")
    if doc.get("format") != FORMAT:
        raise BundleRejected(
            tr("unknown bundle format {value!r}").format(value=str(doc.get("format"))[:40])
        )
    if doc.get("version") != VERSION:
        raise BundleRejected(
            tr(
                "bundle format version {value} is not supported (this CA Desktop reads version {VERSION}); update CA Desktop"
            ).format(value=str(doc.get("version"))[:10], VERSION=VERSION)
        )
    keys = {"format", "version", "schema", "requires", "bundle_id", "kind", "sender",
            "recipient", "sender_seq", "created_hlc", "full", "ranges", "counts", "entries"}  # fmt: skip
    _want(
        isinstance(doc.get("requires"), list) and all(isinstance(c, str) for c in doc["requires"]),
        "requires",
    )
    # Capabilities first: a field added by a newer format then reads as "update CA
    # Desktop", not as a malformed manifest.
    unknown = sorted(
        c for c in set(doc["requires"]) - CAPABILITIES if not c.startswith(APP_REQUIREMENT)
    )
    if unknown:
        raise BundleRejected(
            tr(
                "the bundle requires {value!r}, which this CA Desktop does not support; update it"
            ).format(value=unknown[0][:40])
        )
    _want(set(doc) - {"predecessors", "recipients"} == keys, "missing or unknown fields")
    _want(_is_int(doc["schema"], 1) and doc["schema"] < 10**6, "schema")
    for needed in sorted(c for c in doc["requires"] if c.startswith(APP_REQUIREMENT)):
        _check_app_requirement(needed[len(APP_REQUIREMENT) :], doc["schema"])
    predecessors = _predecessors(doc)
    recipients = _recipients(doc)
    if doc["kind"] not in KINDS:
        raise BundleRejected(
            tr("unknown bundle kind {value!r}").format(value=str(doc["kind"])[:40])
        )
    _want(isinstance(doc["bundle_id"], str) and is_uuid(doc["bundle_id"]), "bundle_id")
    s = doc["sender"]
    _want(
        isinstance(s, dict) and set(s) == {"key_id", "device_id", "user_name", "role", "programme"},
        "sender",
    )
    _want(isinstance(s["key_id"], str) and bool(_KEY_ID.fullmatch(s["key_id"])), "sender key id")
    _want(isinstance(s["device_id"], str) and is_uuid(s["device_id"]), "sender device id")
    _want(isinstance(s["user_name"], str) and len(s["user_name"]) <= 200, "sender name")
    _want(s["role"] in ("officer", "coordinator"), "sender role")
    _want(
        s["programme"] is None or (isinstance(s["programme"], str) and len(s["programme"]) <= 40),
        "programme",
    )
    r = doc["recipient"]
    _want(r is None or (isinstance(r, str) and bool(_KEY_ID.fullmatch(r))), "recipient")
    _want(_is_int(doc["sender_seq"], 1), "sender_seq")
    _want(isinstance(doc["full"], bool), "full")
    _want(isinstance(doc["created_hlc"], str), "created_hlc")
    try:
        Timestamp.parse(doc["created_hlc"])
    except ValueError:
        raise BundleRejected(tr("the manifest is malformed (created_hlc)")) from None
    ranges = doc["ranges"]
    _want(isinstance(ranges, dict), "ranges")
    for device, runs in ranges.items():
        _want(is_uuid(device) and isinstance(runs, list), "ranges")
        for run in runs:
            _want(isinstance(run, list) and len(run) == 2 and all(_is_int(x, 1) for x in run)
                  and run[0] <= run[1], "ranges")  # fmt: skip
    c = doc["counts"]
    _want(
        isinstance(c, dict)
        and set(c) == {"revisions", "blobs"}
        and all(_is_int(v) for v in c.values()),
        "counts",
    )
    entries: dict[str, EntryInfo] = {}
    _want(isinstance(doc["entries"], dict), "entries")
    for name, e in doc["entries"].items():
        _want(
            allowed_name(name) and name not in ("manifest.json", "manifest.sig"),
            f"entry {name[:60]!r}",
        )
        _want(
            isinstance(e, dict) and set(e) == {"size", "sha256", "stored_size", "stored_sha256"},
            "entry fields",
        )
        _want(_is_int(e["size"]) and _is_int(e["stored_size"]), "entry sizes")
        _want(
            all(
                isinstance(e[k], str) and _HEX64.fullmatch(e[k])
                for k in ("sha256", "stored_sha256")
            ),
            "entry hashes",
        )
        entries[name] = EntryInfo(e["size"], e["sha256"], e["stored_size"], e["stored_sha256"])
    return Manifest(
        bundle_id=doc["bundle_id"],
        kind=doc["kind"],
        sender=Sender(s["key_id"], s["device_id"], s["user_name"], s["role"], s["programme"]),
        recipient=r,
        sender_seq=doc["sender_seq"],
        created_hlc=doc["created_hlc"],
        full=doc["full"],
        requires=tuple(doc["requires"]),
        ranges=ranges,
        revisions=c["revisions"],
        blobs=c["blobs"],
        entries=entries,
        schema=doc["schema"],
        predecessors=predecessors,
        recipients=recipients,
    )


def _recipients(doc: dict[str, Any]) -> tuple[str, ...]:
    """A bundle for several keys: 2 to 32 distinct key ids, sorted, only with the capability
    and with `recipient` null."""
    if "recipients" not in doc:
        _want(RECIPIENTS not in doc["requires"], "recipients requirement without recipients")
        return ()
    r = doc["recipients"]
    _want(RECIPIENTS in doc["requires"], "recipients without their requirement")
    _want(
        isinstance(r, list)
        and 1 < len(r) <= MAX_RECIPIENTS
        and all(isinstance(k, str) and _KEY_ID.fullmatch(k) for k in r)
        and r == sorted(set(r)),
        "recipients",
    )
    _want(doc["recipient"] is None, "recipient and recipients")
    return tuple(r)


def _predecessors(doc: dict[str, Any]) -> tuple[str, ...]:
    """The sender's earlier device ids: distinct UUIDs, bounded, only with the capability."""
    if "predecessors" not in doc:
        return ()
    p = doc["predecessors"]
    _want(INCARNATIONS in doc["requires"], "predecessors without their requirement")
    _want(
        isinstance(p, list)
        and 0 < len(p) <= MAX_PREDECESSORS
        and all(isinstance(d, str) and is_uuid(d) for d in p)
        and len(set(p)) == len(p),
        "predecessors",
    )
    sender = doc["sender"]
    _want(isinstance(sender, dict) and sender.get("device_id") not in p, "predecessors")
    return tuple(p)


def requirements() -> list[str]:
    """What a bundle written now requires of its reader."""
    needed = schema.reader_requirement()
    return [f"{APP_REQUIREMENT}{needed[1]}"] if needed else []


def _check_app_requirement(version: str, bundle_schema: int) -> None:
    """Refuse a bundle that needs a newer CA Desktop, naming the release to install.

    A bundle from a newer version is otherwise read: its fields this version does not
    know are kept as they are (`domain/schema.py`).
    """
    wanted = schema.parse_version(version)
    if wanted is None:
        raise BundleRejected(tr("the manifest is malformed (requires)"))
    own = schema.parse_version(__version__) or (0,)
    if own < wanted:
        raise BundleRejected(
            tr(
                "this bundle needs CA Desktop {version} or newer (record schema {bundle_schema}); this laptop has CA Desktop {__version__} (record schema {value}): update CA Desktop, then import it again"
            ).format(
                version=version[:20],
                bundle_schema=bundle_schema,
                __version__=__version__,
                value=schema.current(),
            )
        )
