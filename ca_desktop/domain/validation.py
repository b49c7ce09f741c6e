"""Domain rules. Every message names the field at fault.

`normalise` turns user or imported input into a canonical body (every field present, types
coerced, unknown keys refused); `validate` returns the rule violations of a body.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.domain.receipts import is_receipt_number
from ca_desktop.domain.records import (
    PARTICIPANT_CELLS,
    FieldSpec,
    RecordSpec,
    participant_field,
    spec_for,
)


@dataclass(frozen=True)
class FieldIssue:
    """A rule broken by one field. `template` is the English sentence with `{named}` places
    that `params` fill: the translation gets the whole sentence and puts the numbers where
    its language wants them (`text()`), never English glued around a translated word."""

    field: str
    template: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """The problem in English."""
        return fill(self.template, self.params, "en")

    def text(self, lang: str | None = None) -> str:
        """The problem in `lang` (the current language by default)."""
        return fill(self.template, self.params, lang)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def fill(template: str, params: tuple[tuple[str, str], ...], lang: str | None = None) -> str:
    """`template` translated to `lang`, its places filled. Two parameter names are codes
    shown in the sentence's language: `other` a field name, `record` a record type."""
    values = {}
    for key, value in params:
        if key == "other":
            value = field_label(value, lang)
        elif key == "record":
            value = tr(spec_for(value).label, lang).lower()
        values[key] = value
    return tr(template, lang).format(**values)


def issue(field: str, template: str, **params: object) -> FieldIssue:
    """A FieldIssue whose numbers and names are filled in by the translation."""
    return FieldIssue(field, template, tuple((k, str(v)) for k, v in params.items()))


class RuleBroken(ValueError):
    """A value refused by `_coerce`: the sentence template and what fills it."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = tuple((k, str(v)) for k, v in params.items())
        super().__init__(fill(template, self.params, "en"))

    def text(self, lang: str | None = None) -> str:
        """The reason in `lang` (the current language by default)."""
        return fill(self.template, self.params, lang)


class ValidationError(ValueError):
    """Raised with every issue found, so a form can mark all fields at once."""

    def __init__(self, issues: Iterable[FieldIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


MAX_INT = 10**12
_LOWER_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _coerce(spec: FieldSpec, value: Any) -> Any:
    """Best-effort type coercion; raises ValueError with a human reason."""
    # Fast path: values already in canonical form (what the GUI, imports and the demo send).
    kind = spec.kind
    vtype = type(value)
    if vtype is str and value:
        if (
            kind == "text"
            and len(value) <= spec.max_length
            and not (value[0].isspace() or value[-1].isspace())
        ):
            return value
        if kind == "enum" and value in _codes(spec.enum):  # type: ignore[arg-type]
            return value
        if kind == "ref" and _LOWER_UUID.fullmatch(value):
            return value
    elif vtype is int and kind == "int" and -MAX_INT <= value <= MAX_INT:
        return value
    if value is None or (isinstance(value, str) and value.strip() == "" and spec.kind != "bool"):
        return spec.default
    kind = spec.kind
    if kind in ("text", "longtext"):
        if not isinstance(value, str):
            raise RuleBroken("must be text")
        value = value.strip() if kind == "text" else value.rstrip()
        if len(value) > spec.max_length:
            raise RuleBroken("is longer than {n} characters", n=spec.max_length)
        return value
    if kind == "int":
        if isinstance(value, bool):
            raise RuleBroken("must be a whole number")
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "")
            if not value.lstrip("-").isdigit():
                raise RuleBroken("must be a whole number")
            value = int(value)
        if isinstance(value, float):
            if not value.is_integer():
                raise RuleBroken("must be a whole number")
            value = int(value)
        if not isinstance(value, int):
            raise RuleBroken("must be a whole number")
        if abs(value) > MAX_INT:
            raise RuleBroken("is too large")
        return value
    if kind == "decimal":
        if isinstance(value, bool):
            raise RuleBroken("must be a number")
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", ""))
            except ValueError:
                raise RuleBroken("must be a number") from None
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RuleBroken("must be a number")
        if abs(value) > 1e15:
            raise RuleBroken("is too large")
        return int(value) if float(value).is_integer() else float(value)
    if kind == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if not isinstance(value, str):
            raise RuleBroken("must be a date (YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise RuleBroken("must be a date (YYYY-MM-DD)") from None
    if kind == "enum":
        assert spec.enum is not None
        if isinstance(value, str) and value in _codes(spec.enum):
            return value
        try:
            return spec.enum(value).value
        except ValueError:
            raise RuleBroken("{value} is not one of the allowed codes", value=repr(value)) from None
    if kind == "enums":
        assert spec.enum is not None
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple, set, frozenset)):
            raise RuleBroken("must be a list of codes")
        codes = set()
        for item in value:
            try:
                codes.add(spec.enum(str(item).strip()).value)
            except ValueError:
                raise RuleBroken(
                    "{value} is not one of the allowed codes", value=repr(item)
                ) from None
        order = [m.value for m in spec.enum]
        return sorted(codes, key=order.index)
    if kind == "ref":
        if not isinstance(value, str) or not is_uuid(value.strip()):
            raise RuleBroken("must be a record id")
        return value.strip().lower()
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("yes", "true", "1", "y", "x"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("", "no", "false", "0", "n"):
            return False
        raise RuleBroken("must be yes or no")
    if kind == "list":
        if not isinstance(value, list):
            raise RuleBroken("must be a list")
        # `type(...) is dict` first: a submission holds hundreds of items (ABC checks are slow)
        return [
            dict(item) if type(item) is dict or isinstance(item, Mapping) else item
            for item in value
        ]
    raise AssertionError(kind)


@functools.cache
def _codes(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(m.value for m in enum)


def normalise(
    record_type: str, data: Mapping[str, Any], keep: Collection[str] = ()
) -> dict[str, Any]:
    """A canonical body: every declared field, coerced; raises ValidationError.

    `keep` names undeclared fields to carry as they are: fields of the stored record that
    a newer version wrote (`domain/schema.py`). Any other undeclared key is refused.
    """
    spec = spec_for(record_type)
    issues = [
        FieldIssue(k, "is not a field of this record")
        for k in data
        if not spec.has_field(k) and k not in keep
    ]
    body: dict[str, Any] = {}
    for fs in spec.fields:
        try:
            body[fs.name] = _coerce(fs, data.get(fs.name))
        except RuleBroken as exc:
            issues.append(FieldIssue(fs.name, exc.template, exc.params))
        except ValueError as exc:
            issues.append(FieldIssue(fs.name, str(exc)))
    if issues:
        raise ValidationError(issues)
    for name in keep:
        if name in data and not spec.has_field(name):
            body[name] = data[name]
    return body


def validate(record_type: str, body: Mapping[str, Any]) -> list[FieldIssue]:
    """Rule violations of a normalised body (empty when it is valid)."""
    spec = spec_for(record_type)
    issues = [
        FieldIssue(fs.name, "is required")
        for fs in spec.fields
        if fs.required and body.get(fs.name) in (None, "", [])
    ]
    issues += _common_rules(spec, body)
    rule = _RULES.get(record_type)
    if rule:
        issues += rule(body)
    return issues


def check(record_type: str, data: Mapping[str, Any], keep: Collection[str] = ()) -> dict[str, Any]:
    """Normalise and validate; the body, or ValidationError with every issue."""
    body = normalise(record_type, data, keep)
    issues = validate(record_type, body)
    if issues:
        raise ValidationError(issues)
    return body


def _common_rules(spec: RecordSpec, body: Mapping[str, Any]) -> list[FieldIssue]:
    """The rules each field declares: bounds, date order, code formats."""
    issues = []
    for fs in spec.fields:
        value = body.get(fs.name)
        if value is None:
            continue
        if fs.kind in ("int", "decimal") and isinstance(value, (int, float)):
            low, high = fs.minimum, fs.maximum
            if low == 0 and value < 0:
                issues.append(FieldIssue(fs.name, "cannot be negative"))
            elif low is not None and high is not None and not low <= value <= high:
                issues.append(
                    issue(
                        fs.name,
                        "must be between {low} and {high}",
                        low=f"{low:g}",
                        high=f"{high:g}",
                    )
                )
            elif low is not None and value < low:
                issues.append(issue(fs.name, "cannot be less than {low}", low=f"{low:g}"))
            elif high is not None and value > high:
                issues.append(issue(fs.name, "cannot be more than {high}", high=f"{high:g}"))
        if fs.not_before and value and body.get(fs.not_before) and value < body[fs.not_before]:
            issues.append(issue(fs.name, "is before {other}", other=fs.not_before))
        if fs.code and value and not _CODE_CHECKS[fs.code](value):
            issues.append(FieldIssue(fs.name, _CODE_MESSAGES[fs.code]))
    return issues


_CODE_CHECKS = {
    "country": lambda c: len(c) == 2 and c.isalpha() and c.isascii() and c.isupper(),
    "currency": lambda c: len(c) == 3 and c.isalpha() and c.isascii(),
    "receipt": is_receipt_number,
}
_CODE_MESSAGES = {
    "country": "must be a two-letter ISO 3166-1 code such as UG",
    "currency": "must be a three-letter ISO 4217 code such as UGX",
    "receipt": "must be a receipt number as printed on the slip, such as G-7KQ2-M9XD",
}


def _place_rules(body: Mapping[str, Any]) -> list[FieldIssue]:
    issues = []
    lat, lon = body.get("latitude"), body.get("longitude")
    if (lat is None) != (lon is None):
        missing = "longitude" if lon is None else "latitude"
        issues.append(FieldIssue(missing, "is needed when the other coordinate is given"))
    if body.get("kind") != "country" and not body.get("parent_id"):
        issues.append(FieldIssue("parent_id", "is required for a city or settlement"))
    return issues


def _activity_rules(body: Mapping[str, Any]) -> list[FieldIssue]:
    issues = []
    for i, item in enumerate(body.get("follow_up") or []):
        if not isinstance(item, Mapping) or not str(item.get("what") or "").strip():
            issues.append(issue("follow_up", "action {n} needs a description", n=i + 1))
            continue
        extra = set(item) - {"what", "who", "due", "done"}
        if extra:
            issues.append(
                issue(
                    "follow_up", "action {n} has unknown keys {keys}", n=i + 1, keys=sorted(extra)
                )
            )
        due = item.get("due")
        if due:
            try:
                dt.date.fromisoformat(str(due))
            except ValueError:
                issues.append(issue("follow_up", "action {n} due date must be YYYY-MM-DD", n=i + 1))
    return issues


def _cuf_rules(body: Mapping[str, Any]) -> list[FieldIssue]:
    issues = []
    total = body.get("beneficiaries_total")
    for part in ("beneficiaries_women", "beneficiaries_youth"):
        if total is not None and body.get(part) is not None and body[part] > total:
            issues.append(FieldIssue(part, "cannot exceed the total number of beneficiaries"))
    return issues


def _grievance_rules(body: Mapping[str, Any]) -> list[FieldIssue]:
    issues = []
    if body.get("status") == "resolved":
        if not body.get("resolution"):
            issues.append(FieldIssue("resolution", "is required when the grievance is resolved"))
        if not body.get("date_resolved"):
            issues.append(FieldIssue("date_resolved", "is required when the grievance is resolved"))
    return issues


def _attachment_rules(body: Mapping[str, Any]) -> list[FieldIssue]:
    sha = body.get("sha256") or ""
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return [FieldIssue("sha256", "must be a lowercase SHA-256 hex digest")]
    return []


_RULES = {
    "place": _place_rules,
    "activity": _activity_rules,
    "cuf_project": _cuf_rules,
    "grievance": _grievance_rules,
    "attachment": _attachment_rules,
}


def participant_total(body: Mapping[str, Any]) -> int:
    return sum(body.get(participant_field(s, y)) or 0 for s, y in PARTICIPANT_CELLS)


def attendance_issues(
    activity: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]
) -> list[FieldIssue]:
    """Register rows must fit within the participant counts, cell by cell.

    Registers are often incomplete (not everyone signs), so fewer rows than participants is
    fine; more rows than counted participants means one of the two is wrong.
    """
    counts: dict[str, int] = {}
    for entry in entries:
        youth = entry.get("age_band") == "15_24"
        key = participant_field(_sex(entry.get("sex")), youth)
        counts[key] = counts.get(key, 0) + 1
    if (
        not any(activity.get(name) is not None for name in counts)
        and participant_total(activity) == 0
    ):
        return []  # no participant counts recorded yet: nothing to compare with
    issues = []
    for key, n in sorted(counts.items()):
        recorded = activity.get(key) or 0
        if n > recorded:
            issues.append(
                issue(
                    key,
                    "the attendance register lists {n} but the count is {recorded}",
                    n=n,
                    recorded=recorded,
                )
            )
    return issues


def _sex(code: Any) -> Sex:
    try:
        return Sex(code)
    except ValueError:
        return Sex.NOT_RECORDED
