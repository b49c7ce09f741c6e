"""Printing forms from the database: blank, filled from records, or many in one batch.

The file appears only when complete: the PDF is written to a temporary file beside the
target and renamed over it, so a failed or cancelled print leaves nothing at the path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ca_desktop.domain.hlc import Timestamp, physical_ms
from ca_desktop.domain.jobs import Progress
from ca_desktop.domain.receipts import new_receipt_number
from ca_desktop.domain.records import spec_for
from ca_desktop.forms.mapping import load_form
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.pdf.page import PAPERS
from ca_desktop.forms.pdf.render import FormCopy, render_pdf
from ca_desktop.forms.pdf.slip import receipt_field
from ca_desktop.forms.qr import FormRef
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.atomic import atomic_output
from ca_desktop.services.views import RecordView

SMALL_TYPES = ("programme", "place", "organisation")  # few enough to load all titles at once


class TitleCache:
    """Record titles for printing references by name, fetched once per type or id."""

    def __init__(self, app: CaDesktop | None) -> None:
        self.app = app
        self._all: dict[str, dict[str, str]] = {}
        self._one: dict[str, str] = {}

    def __call__(self, record_type: str, record_id: str) -> str:
        if self.app is None or not record_type:
            return record_id
        if record_type in SMALL_TYPES:
            if record_type not in self._all:
                self._all[record_type] = self.app.titles(record_type)
            return self._all[record_type].get(record_id, record_id)
        if record_id not in self._one:
            record = self.app.get(record_type, record_id)
            title = record.body.get(spec_for(record_type).title_field) if record else None
            self._one[record_id] = str(title or record_id)
        return self._one[record_id]


def home_programme(app: CaDesktop | None) -> str:
    """The name of this laptop's programme, for the header of blank forms."""
    info = app.device() if app else None
    if app is None or info is None or not info.programme_code:
        return ""
    found = app.list_records("programme", where={"code": info.programme_code}, limit=1)
    return str(found[0].body["name"]) if found else info.programme_code


def form_copies(
    app: CaDesktop | None, form: FormDef, record_ids: Iterable[str | None], titles: TitleCache
) -> Iterator[FormCopy]:
    """One printable copy per record id (None: a blank form)."""
    home = home_programme(app)
    receipt = receipt_field(form)
    for record_id in record_ids:
        if record_id is None or app is None:
            # Each blank grievance form gets its own receipt number, on it and on its slip.
            values = {receipt.name: new_receipt_number()} if receipt is not None else {}
            yield FormCopy(form, FormRef(form.code, form.version), values, "", home)
            continue
        loaded = load_form(app, form, record_id)
        record = app.find(record_id)
        programme_id = _programme_id(app, record)
        programme = titles("programme", programme_id) if programme_id else home
        # A clock reading at or after the record's last change, so its printed state replays.
        now = str(Timestamp(physical_ms(), 0))
        stamp = max(now, record.updated_hlc if record else now)
        ref = FormRef(form.code, form.version, record_id, stamp)
        yield FormCopy(form, ref, loaded.values, loaded.title, programme)


def _programme_id(app: CaDesktop, record: RecordView | None) -> str | None:
    """The programme a record (or the record a submission is linked to) belongs to."""
    if record is None:
        return None
    body = record.body
    if (
        record.record_type == "form_submission"
        and body.get("record_type")
        and body.get("record_id")
    ):
        linked = app.get(str(body["record_type"]), str(body["record_id"]))
        body = linked.body if linked else {}
    value = body.get("programme_id")
    return value if isinstance(value, str) else None


def print_forms(
    app: CaDesktop | None,
    form: FormDef,
    record_ids: Sequence[str | None],
    out: Path,
    lang: str = "en",
    paper: str = "a4",
    progress: Progress | None = None,
    printed_on: dt.date | None = None,
    rows: int = 0,
) -> int:
    """Print one copy per record id into `out` (atomically); returns the page count.

    `rows`: at least this many numbered lines in each table (a 60-person forum's register
    on one blank copy, numbered 1 to 60 across its pages).

    Raises `Cancelled` when `progress` returns False; nothing is then left at `out`."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    titles = TitleCache(app)
    copies = form_copies(app, form, record_ids, titles)
    # Several blank copies of a form with a table (registers for a big meeting) are one
    # register: rows and pages number on. Filled copies are separate records, handed out
    # on their own.
    continuous = (
        len(record_ids) > 1
        and all(r is None for r in record_ids)
        and any(f.type == "table" for f in form.fields())
    )
    with atomic_file(out) as tmp:
        return render_pdf(
            copies, tmp, lang, paper, titles, printed_on, progress=progress,
            total=len(record_ids), rows=rows, continuous=continuous,
        )  # fmt: skip


# Every output file is written whole or not at all (shared with the reports).
atomic_file = atomic_output
