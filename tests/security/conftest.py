"""Shared set-ups: the hand-counted data set (`hand`) for the attacks on reports; the
trusting laptops (`pair`, `team`) the bundle attacks start from."""

from tests.reports.hand_data import Hand, hand
from tests.security.laptops import pair, team

__all__ = ["Hand", "hand", "pair", "team"]
