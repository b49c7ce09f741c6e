"""IATI 2.03 activity XML: each programme a parent activity, its activities children.

The file streams (lxml's `xmlfile`): activities are built in chunks, each chunk validated
against the official schema (`iati-activities-schema.xsd`, whose rules hold per activity)
and then written, so 100,000 activities never sit in memory at once and nothing that fails
the schema is ever written. The output goes to a temporary file renamed at the end.

Decisions where the standard leaves a choice: identifiers are `<org id>-<programme code>`
and `<org id>-<programme code>-<activity id>`; titles and descriptions are narratives in
the language they were typed in, which CA Desktop does not record, so they carry the
activity's default `xml:lang` (the export language); the gender policy marker is a
principal objective (2) for activities with the gender theme and a significant objective
(1) otherwise, since gender is a commitment of all Cities Alliance work. Codes: see
`iati_codes.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ca_desktop.domain.i18n import label
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.records import PARTICIPANT_CELLS, participant_field
from ca_desktop.reports import iati_codes as codes
from ca_desktop.reports.columns import updated_at
from ca_desktop.reports.iati_xml import activity_date, narrative, results, sub
from ca_desktop.services import bulk
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.atomic import atomic_output
from ca_desktop.services.views import RecordView

ORG_ID_META = "iati_org_id"
REPORTING_ORG_NAME = "Cities Alliance"
_ORG_ID = re.compile(r"[A-Za-z0-9]+(-[A-Za-z0-9._]+)+")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHUNK = 500


class IatiError(ValueError):
    """The export cannot be made as asked: one line saying why. Nothing was written."""


def schema_dir() -> Path:
    """The IATI schemas: `CA_DESKTOP_IATI_SCHEMAS`, or `shared/iati/` beside the checkout."""
    override = os.environ.get("CA_DESKTOP_IATI_SCHEMAS")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "iati"


@cache
def _schema(folder: Path) -> etree.XMLSchema:
    path = folder / "iati-activities-schema.xsd"
    if not path.is_file():
        raise IatiError(f"the IATI schema is missing ({path}); cannot validate the export")
    return etree.XMLSchema(etree.parse(str(path)))


def organisation_id(app: CaDesktop, given: str | None = None) -> str:
    """The IATI organisation identifier: `given` (then saved for next time) or the saved one."""
    value = (given or app.meta(ORG_ID_META) or "").strip()
    if not value:
        raise IatiError(
            "no IATI organisation identifier: give one with --org-id (e.g. XM-DAC-41301)"
        )
    if not _ORG_ID.fullmatch(value) or len(value) > 60:
        raise IatiError(f"{value!r} is not an IATI organisation identifier (e.g. XM-DAC-41301)")
    if given and value != app.meta(ORG_ID_META):
        app.set_meta(ORG_ID_META, value)
    return value


@dataclass
class _Programme:
    record: RecordView
    identifier: str
    children: list[str] = field(default_factory=list)
    years: dict[int, dict[str, int]] = field(default_factory=dict)  # year -> cell -> people
    first_start: str | None = None


def export_iati(
    app: CaDesktop,
    out: Path,
    programme_code: str | None = None,
    org_id: str | None = None,
    lang: str = "en",
    progress: Progress | None = None,
) -> int:
    """Write the IATI activity file; returns how many iati-activity elements it holds."""
    schema = _schema(schema_dir())
    org = organisation_id(app, org_id)
    programmes = {
        p.id: _Programme(p, f"{org}-{_safe_code(p.body['code'])}")
        for p in app.list_records("programme")
        if programme_code is None or p.body.get("code") == programme_code
    }
    if programme_code is not None and not programmes:
        raise IatiError(f"no programme with code {programme_code!r}")
    total = bulk.count_live(app, "activity")
    report(progress, 0, total * 2)
    done = 0
    for batch in bulk.record_batches(app, "activity"):
        for a in batch:
            prog = programmes.get(a.body.get("programme_id") or "")
            if prog is not None:
                _collect(prog, a)
        done += len(batch)
        report(progress, done, total * 2)
    places = {p.id: p.body for p in app.list_records("place")}
    organisations = {o.id: o.body for o in app.list_records("organisation")}
    builder = _Builder(org, lang, places, organisations)
    written = 0
    with atomic_output(out) as tmp, etree.xmlfile(str(tmp), encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"version": "2.03", "generated-datetime": _now()}
        with xf.element("iati-activities", attrs):
            chunk = _Chunk(xf, schema, attrs)
            for prog in programmes.values():
                chunk.add(builder.parent(prog))
            for batch in bulk.record_batches(app, "activity"):
                for a in batch:
                    prog = programmes.get(a.body.get("programme_id") or "")
                    if prog is not None:
                        chunk.add(builder.child(prog, a))
                done += len(batch)
                report(progress, min(done, total * 2), total * 2)
            chunk.flush()
            written = chunk.written
    return written


class _Chunk:
    """Activities waiting to be validated together and then written."""

    def __init__(self, xf: Any, schema: etree.XMLSchema, attrs: Mapping[str, str]) -> None:
        self.xf, self.schema = xf, schema
        self.root = etree.Element("iati-activities", dict(attrs))
        self.written = 0

    def add(self, element: etree._Element) -> None:
        self.root.append(element)
        if len(self.root) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not len(self.root):
            return
        if not self.schema.validate(self.root):
            error = self.schema.error_log.last_error
            raise IatiError(f"the IATI file would not be valid: line {error.line}: {error.message}")
        for element in list(self.root):
            self.xf.write(element)
            self.written += 1
        del self.root[:]  # clear() would drop the attributes too


def _collect(prog: _Programme, a: RecordView) -> None:
    prog.children.append(a.id)
    start = a.body.get("start_date") or ""
    if start and (prog.first_start is None or start < prog.first_start):
        prog.first_start = start
    if not start:
        return
    cells = prog.years.setdefault(int(start[:4]), {})
    for name in (participant_field(s, y) for s, y in PARTICIPANT_CELLS):
        cells[name] = cells.get(name, 0) + (a.body.get(name) or 0)


class _Builder:
    def __init__(
        self,
        org: str,
        lang: str,
        places: Mapping[str, Mapping[str, Any]],
        organisations: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.org, self.lang = org, lang
        self.places, self.organisations = places, organisations
        self.today = dt.date.today().isoformat()

    def _activity(self, hierarchy: str, updated: str, identifier: str) -> etree._Element:
        el = etree.Element("iati-activity")
        if updated:
            el.set("last-updated-datetime", updated)
        el.set(_XML_LANG, self.lang)
        el.set("hierarchy", hierarchy)
        sub(el, "iati-identifier", text=identifier)
        rep = sub(el, "reporting-org", ref=self.org, type=codes.REPORTING_ORG_TYPE)
        narrative(rep, REPORTING_ORG_NAME)
        return el

    def parent(self, prog: _Programme) -> etree._Element:
        body = prog.record.body
        el = self._activity("1", _updated(prog.record), prog.identifier)
        narrative(sub(el, "title"), body.get("name") or body.get("code") or "")
        # The schema requires a description: the programme's kind stands in for a missing one.
        text = body.get("description") or label(body.get("kind") or "country_programme", self.lang)
        narrative(sub(el, "description", type="1"), text)
        self._funder(el)
        start = body.get("start_date") or prog.first_start
        if not start:
            raise IatiError(f"programme {body.get('code')} has no start date and no activities")
        end = body.get("end_date")
        status = "1" if start > self.today else "4" if end and end < self.today else "2"
        sub(el, "activity-status", code=status)
        started = start <= self.today
        activity_date(el, codes.ACTUAL_START if started else codes.PLANNED_START, start)
        if end:
            activity_date(el, codes.ACTUAL_END if end < self.today else codes.PLANNED_END, end)
        if body.get("country"):
            sub(el, "recipient-country", code=body["country"], percentage="100")
        sub(el, "sector", vocabulary="1", code=codes.DAC_URBAN, percentage="100")
        sub(
            el, "policy-marker", vocabulary="1", code=codes.GENDER_MARKER,
            significance=codes.GENDER_SIGNIFICANT,
        )  # fmt: skip
        for child in prog.children:
            sub(el, "related-activity", ref=f"{prog.identifier}-{child}", type="2")
        if prog.years:
            periods = [
                (f"{year}-01-01", f"{year}-12-31", cells)
                for year, cells in sorted(prog.years.items())
            ]
            results(el, periods)
        return el

    def _funder(self, el: etree._Element) -> None:
        org = sub(
            el, "participating-org", ref=self.org, type=codes.REPORTING_ORG_TYPE,
            role=codes.ROLE_FUNDING,
        )  # fmt: skip
        narrative(org, REPORTING_ORG_NAME)

    def child(self, prog: _Programme, a: RecordView) -> etree._Element:
        body = a.body
        el = self._activity("2", _updated(a), f"{prog.identifier}-{a.id}")
        narrative(sub(el, "title"), body.get("title") or "")
        text = body.get("description") or label(body.get("type") or "other", self.lang)
        narrative(sub(el, "description", type="1"), text)
        self._funder(el)
        lead = self.organisations.get(body.get("lead_organisation_id") or "")
        if lead:
            org = sub(
                el, "participating-org", role=codes.ROLE_IMPLEMENTING,
                type=codes.ORGANISATION_TYPE.get(lead.get("type") or "", "90"),
            )  # fmt: skip
            narrative(org, lead.get("name") or "")
        status = body.get("status") or "planned"
        sub(el, "activity-status", code=codes.STATUS.get(status, "2"))
        happened = status in ("ongoing", "completed")
        activity_date(
            el, codes.ACTUAL_START if happened else codes.PLANNED_START, body["start_date"]
        )
        if body.get("end_date"):
            done = status == "completed"
            activity_date(el, codes.ACTUAL_END if done else codes.PLANNED_END, body["end_date"])
        country = prog.record.body.get("country")
        if country:
            sub(el, "recipient-country", code=country, percentage="100")
        place_id = body.get("place_id")
        place = self.places.get(place_id or "")
        if place:
            loc = sub(el, "location", ref=str(place_id))
            sub(loc, "location-reach", code="1")
            narrative(sub(loc, "name"), place.get("name") or "")
            if place.get("latitude") is not None and place.get("longitude") is not None:
                point = sub(loc, "point", srsName=codes.EPSG_4326)
                sub(point, "pos", text=f"{place['latitude']} {place['longitude']}")
        sector = codes.SECTOR_BY_TYPE.get(body.get("type") or "", codes.DAC_URBAN)
        sub(el, "sector", vocabulary="1", code=sector, percentage="100")
        gender = "gender" in (body.get("themes") or [])
        significance = codes.GENDER_PRINCIPAL if gender else codes.GENDER_SIGNIFICANT
        sub(
            el, "policy-marker", vocabulary="1", code=codes.GENDER_MARKER, significance=significance
        )
        sub(el, "related-activity", ref=prog.identifier, type="1")
        names = [participant_field(s, y) for s, y in PARTICIPANT_CELLS]
        if any(body.get(n) is not None for n in names):
            cells = {n: body.get(n) or 0 for n in names}
            results(el, [(body["start_date"], body.get("end_date") or body["start_date"], cells)])
        return el


def _safe_code(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", code or "")


def _updated(record: RecordView) -> str:
    when = updated_at(record.updated_hlc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else ""


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
