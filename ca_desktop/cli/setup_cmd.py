"""`init`, `demo` and `history`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from ca_desktop.cli.common import UserError, open_app, quick_reads
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.domain.printable import printable
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.services.laptops import laptop_names
from ca_desktop.services.views import FieldChange, HistoryEntry

HIDDEN = "(personal: use --personal)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="set up this laptop: your name, role and programme")
    p.add_argument("--name", required=True, help="your name, as it will appear in histories")
    p.add_argument("--role", required=True, choices=("officer", "coordinator"))
    p.add_argument("--programme", help="code of your home programme, e.g. UG-CP")
    p.add_argument(
        "--no-encryption",
        action="store_true",
        help="keep this data folder unencrypted (for tests and demos only)",
    )
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="fill the database with realistic demo data")
    p.add_argument(
        "--activities", type=int, default=2000, help="how many activities (default 2000)"
    )
    p.add_argument(
        "--seed", type=int, default=1, help="random seed; the same seed gives the same data"
    )
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("history", help="a record's revisions, field by field")
    p.add_argument("record_id")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--personal",
        action="store_true",
        help="show names and phone numbers in register rows' changes (hidden otherwise)",
    )
    p.set_defaults(handler=cmd_history)


def cmd_init(args: argparse.Namespace) -> int:
    app = open_app(args)
    try:
        info = app.init_device(args.name, args.role, args.programme)
    finally:
        app.close()
    print(
        tr("Device {id} set up for {name} ({role}).").format(
            id=info.device_id, name=info.user_name, role=info.role
        )
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ca_desktop.services.demo import generate_demo

    if not 0 < args.activities <= 2_000_000:
        raise UserError(
            tr("{option} must be between {low} and {high}").format(
                option="--activities", low=1, high=2000000
            )
        )
    app = open_app(args)
    try:
        if app.device() is None:
            app.init_device("Demo Officer", "officer", "UG-CP")
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> bool:
            if interactive:
                print(f"\r{done}/{total} activities", end="", file=sys.stderr, flush=True)
            return True

        summary = generate_demo(app, args.activities, seed=args.seed, progress=progress)
        if interactive:
            print(file=sys.stderr)
    finally:
        app.close()
    print(", ".join(f"{n} {name}" for name, n in summary.items()))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    if not is_uuid(args.record_id):
        raise UserError(tr("not a record id: {id}").format(id=repr(args.record_id)))
    # A single-record read: through the lean path when the folder needs nothing done on
    # open (no storage stack to import: a tenth of the time), else through the app.
    reads = quick_reads(args)
    if reads is not None:
        try:
            record = reads.find(args.record_id)
            entries = reads.history_with_parts(record.record_type, args.record_id) if record else []
            laptops = reads.laptop_names()
        finally:
            reads.close()
    else:
        app = open_app(args)
        try:
            record = app.find(args.record_id)
            entries = app.history_with_parts(record.record_type, args.record_id) if record else []
            laptops = laptop_names(app)
        finally:
            app.close()
    if not entries or record is None:
        raise UserError(tr("no record with id {id}").format(id=args.record_id))
    if not args.personal:
        entries = [_without_personal(e) for e in entries]
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
        return 0
    title = record.body.get("title") or record.body.get("name") or record.body.get("code") or ""
    print(f"{record.record_type} {record.id}  {printable(title)}".rstrip())
    if record.heads > 1:
        print("  ! " + tr("{n} versions in conflict; see 'conflicts list'").format(n=record.heads))
    for e in entries:
        what = tr("created") if e.created else (tr("deleted") if e.deleted else tr("changed"))
        if len(e.parents) > 1:
            what = tr("merged")
        if e.erased is not None:
            what = tr("erased personal data (reason: {reason})").format(reason=e.erased)
        flag = "  " + tr("(clock looked wrong)") if e.clock_flag else ""
        part = f"{e.record_type} {e.record_id[:8]}: " if e.record_id != record.id else ""
        laptop = tr("on {laptop}").format(laptop=printable(laptops.of(e.device_id, e.author)))
        print(f"{e.when}  {printable(e.author)}  {laptop} #{e.device_seq}  {part}{what}{flag}")
        print("  " + tr("revision {rev}").format(rev=e.rev_id[:12]))
        for c in e.changes:
            print(f"    {c.field}: {_fmt(c.old)} -> {_fmt(c.new)}")
    return 0


def _without_personal(entry: HistoryEntry) -> HistoryEntry:
    """The entry with the values of personal fields (names, phones) replaced by a mark."""
    if entry.record_type not in RECORD_SPECS:
        return entry
    spec = spec_for(entry.record_type)
    changes = [
        FieldChange(c.field, HIDDEN, HIDDEN, c.known)
        if spec.has_field(c.field) and spec.field(c.field).personal
        else c
        for c in entry.changes
    ]
    return replace(entry, changes=changes)


def _fmt(value: Any) -> str:
    if value is None or value == [] or value == "":
        return tr("(empty)")
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return printable(text if len(text) <= 80 else text[:77] + "...")


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "rev_id": e.rev_id,
        "parents": list(e.parents),
        "author": e.author,
        "device_id": e.device_id,
        "device_seq": e.device_seq,
        "hlc": e.hlc,
        "when": e.when,
        "deleted": e.deleted,
        "erased": e.erased,
        "created": e.created,
        "clock_flag": e.clock_flag,
        "record_type": e.record_type,
        "record_id": e.record_id,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in e.changes],
    }
