"""The one formatter of numbers and words for every output: hover text, tables, alt text,
key-fact sentences and exports. Pure functions, standard library only."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from functools import lru_cache

from indicators.data.rounding import clear_of_tie, round_decimal, round_half_away, to_decimal

MISSING = "–"
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


# The data hold a few tens of thousands of distinct values, each written again on every view.
@lru_cache(maxsize=1 << 16)
def _parts(value: float | None, decimals: int) -> tuple[int, str] | None:
    """(sign of the rounded value, its magnitude as text), or None when there is no number."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, not {decimals}")
    if value is None or not math.isfinite(value):
        return None
    fast = _exact(value, decimals)
    if fast is not None:
        return fast
    d = to_decimal(value)
    rounded = round_decimal(d, decimals)
    text = f"{abs(rounded):,.{decimals}f}"
    # The scale follows the value as shown, so 999,999.7 at 0 decimals is "1.0 m".
    if abs(rounded) >= 1_000_000:
        millions = round_decimal(d.scaleb(-6), 1)
        if abs(millions) < 1000:
            rounded, text = millions, f"{abs(millions):,.1f} m"
        else:
            rounded = round_decimal(d.scaleb(-9), 2)
            text = f"{abs(rounded):,.2f} bn"
    sign = 0 if rounded.is_zero() else (1 if rounded > 0 else -1)
    return sign, text


def _exact(value: float, decimals: int) -> tuple[int, str] | None:
    """The common case without Decimal: under a million and not near a tie (…5 at the first
    hidden digit), the float's own rounding is the same as rounding half away from zero."""
    if not -999_999 < value < 999_999:  # rounding cannot reach a million (then "1.0 m")
        return None
    if not clear_of_tie(value, decimals):
        return None
    text = f"{abs(value):,.{decimals}f}"
    if not text.strip("0.,"):
        return 0, text
    return (1 if value > 0 else -1), text


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return text + unit if unit == "%" else f"{text} {unit}"


def number(value: float | None, decimals: int, unit: str = "") -> str:
    """'1,234.5', '4.5 m', '1.23 bn', '12.5%', '3.2 points'; '–' for None, NaN or infinity."""
    parts = _parts(value, decimals)
    if parts is None:
        return MISSING
    sign, text = parts
    return _with_unit(("-" if sign < 0 else "") + text, unit)


def signed(value: float | None, decimals: int, unit: str = "") -> str:
    """Like number with an explicit sign ('+3', '-2.5'), and no sign on a value shown as 0."""
    parts = _parts(value, decimals)
    if parts is None:
        return MISSING
    sign, text = parts
    return _with_unit({1: "+", -1: "-", 0: ""}[sign] + text, unit)


def ordinal(n: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '111th'."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"ordinal takes an integer, not {type(n).__name__}")
    n = int(n)
    last_two = abs(n) % 100
    if 11 <= last_two <= 13:
        return f"{n}th"
    return f"{n}{_SUFFIXES.get(last_two % 10, 'th')}"


def percentile(value: float | None) -> str:
    """'23rd percentile' for 22.5; '–' for None or NaN."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{ordinal(int(round_half_away(value, 0)))} percentile"


def join_words(items: Iterable[str]) -> str:
    """'A', 'A and B', 'A, B and C' from the distinct non-empty items in first-seen order."""
    words = list(dict.fromkeys(item for item in items if item))
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def definite(phrase: str) -> str:
    """The phrase with 'the ' in front unless it already starts with it (any case)."""
    if not phrase or phrase.lower().startswith("the "):
        return phrase
    return f"the {phrase}"


def capitalise(text: str) -> str:
    """The first character upper-cased, the rest untouched."""
    return text[:1].upper() + text[1:]


def reporting(n: int, m: int, without: int | None = None) -> str:
    """'3 of 5 reporting', or '3 of 5 reporting (2 without data)' when without > 0."""
    text = f"{n:,} of {m:,} reporting"
    return f"{text} ({without:,} without data)" if without and without > 0 else text


def year_span(first: str, last: str) -> str:
    """'2012–2025' or 'DB2016–DB2020'; just '2025' when both ends are the same."""
    if not first or first == last:
        return last
    if not last:
        return first
    return f"{first}–{last}"


def first_and_last(first_value: str, first_label: str, last_value: str, last_label: str) -> str:
    """'38 in 2012 and 41 in 2025', or only '41 in 2025' when both labels are the same."""
    latest = f"{last_value} in {last_label}"
    if first_label == last_label:
        return latest
    return f"{first_value} in {first_label} and {latest}"
