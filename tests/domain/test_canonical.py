"""The body encoded key by key (long lists reused for their columns) is byte for byte the
body encoded at once: revision ids must not depend on which path encoded them."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ca_desktop.domain.canonical import SPLIT_AT, canonical_json, canonical_parts
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8)  # fmt: skip
items = st.dictionaries(st.text(max_size=6), scalars | st.lists(scalars, max_size=3), max_size=3)
long_lists = st.lists(items | scalars, min_size=SPLIT_AT, max_size=SPLIT_AT + 20)
keys = st.text(alphabet='abz_"\\é\u2028\x01 ', max_size=8)


@given(body=st.dictionaries(keys, scalars | long_lists | st.lists(scalars, max_size=3), max_size=6))
def test_parts_assemble_to_the_canonical_form(body: dict) -> None:
    text, parts = canonical_parts(body)
    assert text == canonical_json(body)
    for key, encoded in parts.items():
        assert encoded == canonical_json(body[key])
        assert json.loads(encoded) == body[key]


def test_a_submissions_values_are_encoded_once_for_the_id_and_the_column() -> None:
    values = [{"field": f"q{i}", "value": i} for i in range(SPLIT_AT)]
    body = {"form_code": "X", "values": values}
    rev = Revision(uuid7(), "form_submission", (), uuid7(), 1, "1800000000000.00000", "a", False, body)  # fmt: skip
    encoded = rev.list_json("values")
    assert encoded == canonical_json(values)
    assert rev.content_json() == canonical_json(rev.content())
    assert rev.list_json("form_code") is None  # only long lists are kept apart


def test_short_lists_and_personal_bodies_are_encoded_whole() -> None:
    assert canonical_parts({"a": [1, 2]}) == (canonical_json({"a": [1, 2]}), {})
    personal = {"values": list(range(SPLIT_AT)), "$personal": {"values": {"salt": "AA" * 16}}}
    rev = Revision(uuid7(), "t", (), uuid7(), 1, "1800000000000.00000", "a", False, personal)
    assert rev.list_json("values") is None  # its hashed form is not what is stored
