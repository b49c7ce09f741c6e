"""`proposals`: the coordinator's review queue of officers' changes (issue 11)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ca_desktop.cli.common import UserError, open_app
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.printable import printable
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.service import SyncService
from ca_desktop.sync.views import ProposalView


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
    """One line of text from outside, invisible characters made visible."""
    return "" if value is None else printable(value)


def _why(p: ProposalView) -> str:
    if p.why == "reference":
        return tr("reference data")
    if p.why == "not_own":
        return tr("another laptop's record")
    return _plain(p.why)


def _line(p: ProposalView) -> str:
    answered_by = _plain(p.answered_by)
    if p.status == "accepted":
        state = tr("accepted by {name}").format(name=answered_by)
    elif p.status == "rejected":
        state = tr("rejected by {name}").format(name=answered_by)
    else:
        state = tr("pending") if p.status == "pending" else _plain(p.status)
    what = tr("delete by {author}") if p.deleted else tr("change by {author}")
    return (
        f"{p.rev_id[:12]}  {p.record_type} {p.record_id}  {_plain(p.title)[:40]}  "
        f"{what.format(author=_plain(p.author)[:40])} ({_why(p)})  {state}"
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
        print(tr("reason: {reason}").format(reason=_plain(p.reason)))
    if p.deleted:
        print(tr("proposes deleting the record"))
    for c in p.changes:
        if c.changed:
            print(f"  {c.field}: {_plain(c.current)[:200]}  ->  {_plain(c.proposed)[:200]}")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        p = sync.accept_proposal(args.id)
    print(
        tr("Accepted {rev}: {type} {id} changed as proposed.").format(
            rev=p.rev_id[:12], type=p.record_type, id=p.record_id
        )
    )
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        p = sync.reject_proposal(args.id, args.reason)
    print(
        tr("Rejected {rev}: {type} {id} keeps its current version.").format(
            rev=p.rev_id[:12], type=p.record_type, id=p.record_id
        )
    )
    return 0
