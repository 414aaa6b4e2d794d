"""Rounding half away from zero at a number of decimals, the one rule for every value shown
or derived (22.5 -> 23, not Python's round-half-even 22)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal


def to_decimal(value: float) -> Decimal:
    # repr gives the shortest text that round-trips, so 2.675 is 2.675 and not 2.67499999...
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def round_decimal(d: Decimal, decimals: int) -> Decimal:
    """d rounded half away from zero (decimal's ROUND_HALF_UP) at `decimals` places."""
    # Enough precision for every digit of the result, or quantize raises on large values.
    prec = max(28, d.adjusted() + decimals + 2)
    return d.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, Context(prec=prec))


def clear_of_tie(value: float, decimals: int) -> bool:
    """Whether the float's own rounding at `decimals` places is certainly the same as rounding
    half away from zero: not near a tie (…5 at the first hidden digit, where binary and decimal
    could disagree), with every digit of the scaled value held exactly enough to tell."""
    if decimals < 0:
        return False
    scaled = abs(value) * 10**decimals
    return scaled < 1e9 and abs(scaled - math.floor(scaled) - 0.5) >= 1e-6


def round_half_away(value: float, decimals: int) -> float:
    """value rounded half away from zero at `decimals` places (22.5 -> 23, 2.675 -> 2.68)."""
    if not math.isfinite(value):
        return value
    # + 0.0: a value rounded to zero is 0.0, never -0.0 (which a CSV would show as "-0.0")
    if clear_of_tie(value, decimals):
        return round(value, decimals) + 0.0
    return float(round_decimal(to_decimal(value), decimals)) + 0.0
