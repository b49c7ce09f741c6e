"""The hand-counted data set (`hand`) for the report tests."""

from tests.reports.hand_data import Hand, hand

__all__ = ["Hand", "hand"]
