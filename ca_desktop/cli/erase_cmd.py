"""`erase RECORD_ID --reason TEXT`: forget the person in a register row or grievance."""

from __future__ import annotations

import argparse

from ca_desktop.cli.common import UserError, open_app
from ca_desktop.domain.i18n import tr
from ca_desktop.services.erasure import ErasureRefused, erase_record


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "erase",
        help="forget a person: erase the names, phones and texts of one attendance row or "
        "grievance from every version of it (travels in the next bundle)",
    )
    p.add_argument("record_id", metavar="RECORD_ID", help="the attendance row or grievance")
    p.add_argument("--reason", required=True, help="why (kept in the record's history)")
    p.set_defaults(handler=cmd_erase)


def cmd_erase(args: argparse.Namespace) -> int:
    app = open_app(args)
    try:
        done = erase_record(app, args.record_id, args.reason)
    except ErasureRefused as exc:
        raise UserError(str(exc)) from None
    finally:
        app.close()
    print(
        tr(
            "personal data of {type} {id} erased here and in {backups} backup(s); the erasure "
            "goes out in the next bundle. Copies outside the data folder are out of reach."
        ).format(type=done.record_type, id=done.record_id, backups=done.backups)
    )
    if done.backups_failed:
        print(
            tr("not changed (delete them by hand): {files}").format(
                files=", ".join(done.backups_failed)
            )
        )
    return 0
