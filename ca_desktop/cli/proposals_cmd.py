"""`proposals`: the coordinator's review queue of officers' changes (issue 11)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ca_desktop.cli.common import UserError, open_app
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.service import SyncService
from ca_desktop.sync.views import ProposalView

_WHY = {"reference": "reference data", "not_own": "another laptop's record"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    proposals = sub.add_parser("proposals", help="officers' changes waiting for review")
    ps = proposals.add_subparsers(dest="proposals_command", metavar="ACTION", required=True)
    p = ps.add_parser("list", help="pending proposals, one per line")
    p.add_argument("--all", action="store_true", help="answered ones too")
    p.set_defaults(handler=cmd_list)
    p = ps.add_parser("show", help="a proposal beside the current version, field by field")
    p.add_argument("id")
    p.set_defaults(handler=cmd_show)
    p = ps.add_parser("accept", help="apply the change as a revision of yours")
    p.add_argument("id")
    p.set_defaults(handler=cmd_accept)
    p = ps.add_parser("reject", help="keep the current version; the officer is told why")
    p.add_argument("id")
    p.add_argument("--reason", required=True, help="why, in a sentence the officer will read")
    p.set_defaults(handler=cmd_reject)


@contextmanager
def _service(args: argparse.Namespace) -> Iterator[SyncService]:
    app = open_app(args)
    try:
        yield SyncService(app)
    except SyncError as exc:
        raise UserError(str(exc)) from None
    finally:
        app.close()


def _plain(value: object) -> str:
    """One line of text from outside: control and bidirectional characters made visible."""
    text = "" if value is None else str(value)
    return "".join(
        ch if ch.isprintable() and not 0x202A <= ord(ch) <= 0x202E and not 0x2066 <= ord(ch) <= 0x2069
        else f"\\u{ord(ch):04x}"
        for ch in text
    )  # fmt: skip


def _line(p: ProposalView) -> str:
    what = "delete" if p.deleted else "change"
    state = p.status if p.status == "pending" else f"{p.status} by {_plain(p.answered_by)}"
    return (
        f"{p.rev_id[:12]}  {p.record_type} {p.record_id}  {_plain(p.title)[:40]}  {what} by "
        f"{_plain(p.author)[:40]} ({_WHY.get(p.why, p.why)})  {state}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        items = sync.proposals(None if args.all else "pending")
    for p in items:
        print(_line(p))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        p = sync.proposal(args.id)
    print(_line(p))
    if p.reason:
        print(f"reason: {_plain(p.reason)}")
    if p.deleted:
        print("proposes deleting the record")
    for c in p.changes:
        if c.changed:
            print(f"  {c.field}: {_plain(c.current)[:200]}  ->  {_plain(c.proposed)[:200]}")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        p = sync.accept_proposal(args.id)
    print(f"Accepted {p.rev_id[:12]}: {p.record_type} {p.record_id} changed as proposed.")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        p = sync.reject_proposal(args.id, args.reason)
    print(f"Rejected {p.rev_id[:12]}: {p.record_type} {p.record_id} keeps its current version.")
    return 0
