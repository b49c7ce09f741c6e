"""The winner rule's clock check for many heads at once equals asking per head."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.winner import others_latest, others_latest_all

_history = st.lists(
    st.tuples(
        st.sampled_from(["dev-a", "dev-b", "dev-c", "dev-d"]),
        st.builds(
            lambda ms, n: str(Timestamp(ms, n)),
            st.integers(1_500_000_000_000, 1_900_000_000_000),
            st.integers(0, 3),
        ),
    ),
    max_size=30,
)


@given(_history)
def test_all_devices_at_once_match_one_by_one(history: list[tuple[str, str]]) -> None:
    every = others_latest_all(history)
    assert set(every) == {d for d, _h in history}
    for device, latest in every.items():
        assert latest == others_latest(history, device)
