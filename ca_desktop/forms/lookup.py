"""Finding the form and record a paper copy belongs to, from its QR code or typed id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ca_desktop.domain.ids import is_uuid
from ca_desktop.forms.loader import all_forms, get_form
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.qr import FormRef, parse_payload
from ca_desktop.services.app import CaDesktop

_FRAGMENT_RE = re.compile(r"^[0-9a-f-]{8,36}$")


class FormLookupError(LookupError):
    """The id or code does not lead to one form and record; the message says why."""


@dataclass(frozen=True)
class Target:
    form: FormDef
    ref: FormRef  # what the paper says (record id may be None for a blank form)
    note: str = ""  # e.g. the paper was printed from another version of the form


def resolve(app: CaDesktop, text: str, form_code: str | None = None) -> Target:
    """A QR payload, a full record id, or a unique fragment of one (8+ characters).

    A bare id does not say which form was printed (an activity has a report and a
    register), so `form_code` names it; a submission's id says it itself.
    """
    text = text.strip()
    ref = parse_payload(text)
    if ref is not None:
        try:
            form = get_form(ref.code, app)
        except KeyError:
            raise FormLookupError(
                f"the code is for form {ref.code}, which this version does not have"
            ) from None
        if ref.record_id and app.find(ref.record_id) is None:
            raise FormLookupError(
                f"no record with id {ref.record_id} on this laptop (not synced yet?)"
            )
        note = ""
        if ref.version != form.version:
            note = f"printed from version {ref.version}; this is version {form.version}"
        return Target(form, ref, note)
    record_id = _record_id(app, text.lower(), form_code)
    record = app.find(record_id)
    assert record is not None
    if record.record_type == "form_submission":
        code = str(record.body.get("form_code"))
        form = get_form(code, app)
        return Target(form, FormRef(form.code, form.version, record_id))
    candidates = [f for f in all_forms(app) if record.record_type in (f.record_type, f.link_type)]
    chosen = next((f for f in candidates if f.code == (form_code or "").upper()), None)
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    if chosen is None:
        codes = ", ".join(f.code for f in candidates) or "none"
        raise FormLookupError(
            f"a {record.record_type} is typed in with one of: {codes}; choose the form"
        )
    return Target(chosen, FormRef(chosen.code, chosen.version, record_id))


def _record_id(app: CaDesktop, text: str, form_code: str | None) -> str:
    if is_uuid(text):
        if app.find(text) is None:
            raise FormLookupError(f"no record with id {text} on this laptop (not synced yet?)")
        return text
    if not _FRAGMENT_RE.match(text):
        raise FormLookupError(
            "type the record ID printed at the bottom of the form, or scan its QR code"
        )
    types = {"form_submission"}
    forms = [get_form(form_code, app)] if form_code else all_forms(app)
    for f in forms:
        types.update(t for t in (f.record_type, f.link_type) if t)
    matches = {rid for t in sorted(types) for rid in app.titles(t) if text in rid}
    if len(matches) == 1:
        return matches.pop()
    if not matches:
        raise FormLookupError(f"no record id contains {text!r}")
    raise FormLookupError(f"{len(matches)} record ids contain {text!r}; type more of it")
