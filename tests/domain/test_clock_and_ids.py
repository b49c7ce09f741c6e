from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from ca_desktop.domain.hlc import EARLIEST_PLAUSIBLE_MS, Clock, Timestamp, is_plausible
from ca_desktop.domain.ids import is_uuid, uuid7
from ca_desktop.domain.revision import Revision


def test_uuid7_is_version_7_and_ordered() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert is_uuid(ids[0]) and not is_uuid("not-an-id")


def test_clock_never_goes_backwards_when_the_wall_clock_does() -> None:
    clock = Clock()
    a = clock.now(physical=2_000_000_000_000)
    b = clock.now(physical=1_600_000_000_000)  # the laptop's clock was set back
    assert b > a


@given(
    st.lists(
        st.integers(EARLIEST_PLAUSIBLE_MS, EARLIEST_PLAUSIBLE_MS + 10**10), min_size=1, max_size=50
    )
)
def test_clock_is_strictly_increasing(walls: list[int]) -> None:
    clock = Clock()
    stamps = [clock.now(physical=w) for w in walls]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert all(Timestamp.parse(str(s)) == s for s in stamps)


def test_a_clock_years_ahead_is_not_folded_in() -> None:
    now = 1_800_000_000_000
    clock = Clock(Timestamp(now, 0))
    future = Timestamp(now + 3 * 365 * 86_400_000, 0)
    assert not is_plausible(future, now)
    clock.observe(future, physical=now)
    assert clock.now(physical=now + 1).wall_ms == now + 1


def test_revision_id_is_a_content_hash_and_tampering_is_detected() -> None:
    rev = Revision(
        uuid7(),
        "activity",
        (),
        uuid7(),
        1,
        "1800000000000.00000",
        "Amina",
        False,
        {"title": "Forum", "note": "Ọlọ́runfẹ́mi"},
    ).with_id()
    wire = rev.to_json_dict()
    assert Revision.from_json_dict(wire) == rev
    wire["body"] = {"title": "Forum!", "note": "Ọlọ́runfẹ́mi"}
    try:
        Revision.from_json_dict(wire)
    except ValueError as exc:
        assert "does not match" in str(exc)
    else:
        raise AssertionError("tampered revision accepted")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(
    author=st.text(),
    record_type=st.text(max_size=20),
    seq=st.integers(0, 2**40),
    parents=st.lists(st.text(alphabet='0123456789abcdef"\\é', max_size=8), max_size=3),
    deleted=st.booleans(),
    body=st.dictionaries(st.text(max_size=10), json_values, max_size=5),
)
def test_fast_content_json_equals_the_generic_canonical_form(
    author: str, record_type: str, seq: int, parents: list[str], deleted: bool, body: dict
) -> None:
    from ca_desktop.domain.canonical import canonical_json

    rev = Revision(
        uuid7(),
        record_type,
        tuple(parents),
        uuid7(),
        seq,
        "1800000000000.00000",
        author,
        deleted,
        body,
    )
    assert rev.content_json() == canonical_json(rev.content())
