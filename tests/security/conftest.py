"""The hand-counted data set (`hand`) for the attacks on reports."""

from tests.reports.hand_data import Hand, hand

__all__ = ["Hand", "hand"]
