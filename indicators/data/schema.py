"""The schema of data/*.yaml: metadata models (pydantic, no unknown keys) and value rules.

Metadata (origin, releases, indicators) is validated by pydantic. The `data:` block, which can
hold hundreds of thousands of values, is checked by `check_values` in plain Python: one pass,
every error collected, each with the path of the offending field. Every file ends with its
`coverage:` declaration (models below; checked in indicators/data/coverage.py).

Messages name the field and the kind of problem; they never repeat text from the file (a text
value reads "text", a key that is not a plain name reads "(key)"). Numbers are shown, bounded.
"""

from __future__ import annotations

import math
import re
import reprlib
import sys
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FiniteFloat,
    StringConstraints,
    field_validator,
    model_validator,
)

from indicators.data.yamlio import key_text

DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
DateText = Annotated[str, StringConstraints(pattern=DATE)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
ISO3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Origin(Strict):
    producer: Text
    title: Text
    url: Text | None = None
    date_published: DateText | None = None
    date_accessed: DateText
    citation: Text
    license: Text
    license_url: Text | None = None
    discontinued: Text | None = None


class Release(Strict):
    title: Text
    date_published: DateText | None = None
    retrieved_from: list[Text] = Field(min_length=1)
    notes: Text | None = None


class Break(Strict):
    year: Year
    note: Text


class Indicator(Strict):
    title: Text
    unit: Text
    short_unit: str = ""
    description: Text
    higher_is_better: bool
    valid_range: tuple[FiniteFloat, FiniteFloat]
    decimals: int = Field(default=1, ge=0, le=6)
    kind: Literal["value", "rank"] = "value"
    release: Slug
    release_by_country: dict[ISO3, Slug] = {}
    release_by_year: dict[Year, Slug] = {}
    methodology: Text
    breaks: list[Break] = []
    chart_note: Text | None = None  # a caveat printed under every chart of this indicator
    out_of: dict[Year, Annotated[int, Field(ge=1)]] = {}
    has_std_error: bool = False
    dimension: str | None = None
    source_code: str | None = None

    @field_validator("valid_range")
    @classmethod
    def _ordered(cls, value):
        low, high = value
        if not low < high:
            raise ValueError("valid_range must be [low, high] with low < high")
        return value


class DatasetHeader(Strict):
    """Everything in a dataset file except `data:` (validated separately for speed)."""

    dataset: Slug
    title: Text
    time_unit: Literal["year", "edition"] = "year"
    edition_prefix: str | None = None
    origin: Origin
    releases: dict[Slug, Release] = Field(min_length=1)
    indicators: dict[Slug, Indicator] = Field(min_length=1)


class Event(Strict):
    date: DateText
    country: Annotated[str, StringConstraints(pattern=r"^([A-Z]{3}|ALL)$")]
    category: Slug
    title: Text
    detail: Text
    source: Text
    datasets: list[Slug] = []  # when set, drawn only on charts of these datasets

    @property
    def year(self) -> int:
        return int(self.date[:4])


class EventsFile(Strict):
    dataset: Literal["events"]
    title: Text
    origin: Origin
    events: list[Event]


class Group(Strict):
    title: Text
    members: list[ISO3] = Field(min_length=1)
    description: Text | None = None


class Aggregate(Strict):
    name: Text
    description: Text


class CountriesFile(Strict):
    dataset: Literal["countries"]
    title: Text
    default_focus: ISO3
    default_group: Slug
    groups: dict[Slug, Group] = Field(min_length=1)
    aggregates: dict[ISO3, Aggregate] = {}
    name_overrides: dict[ISO3, Text] = {}


_YEARS = re.compile(r"([0-9]{4})(?:-([0-9]{4}))?\Z")


def parse_years(value) -> tuple[int, int]:
    """A year (2012) or a range written FIRST-LAST ("1996-2023"), as (first, last)."""
    if isinstance(value, int) and not isinstance(value, bool):
        first = last = value
    elif isinstance(value, str) and (match := _YEARS.match(value)):
        first, last = int(match[1]), int(match[2] or match[1])
    else:
        raise ValueError("write a year (2012) or a range FIRST-LAST (1996-2023)")
    if not 1900 <= first <= last <= 2100:
        raise ValueError("years must lie between 1900 and 2100, the first not after the last")
    return first, last


YearSpan = Annotated[tuple[int, int], BeforeValidator(parse_years)]
GapKey = Annotated[str, StringConstraints(pattern=r"^([A-Z]{3}|ALL)$")]


class IndicatorCoverage(Strict):
    """The cells (country x year) one indicator must have: `countries` x `years`, less `gaps`
    (ISO3 -> years that country lacks; ALL -> years no country has). Or `same_as` another."""

    same_as: Slug | None = None
    years: YearSpan | None = None
    countries: list[ISO3] | None = None
    gaps: dict[GapKey, list[YearSpan]] = {}

    @model_validator(mode="after")
    def _complete(self):
        if self.same_as is not None:
            if self.years is not None or self.countries is not None or self.gaps:
                raise ValueError("same_as stands alone (no years, countries or gaps beside it)")
        elif self.countries is None or (self.years is None and self.countries):
            raise ValueError("needs years and countries, or same_as: ANOTHER_INDICATOR")
        elif self.years is None and self.gaps:
            raise ValueError("gaps need years")
        return self


class DatasetCoverage(Strict):
    coverage: dict[Slug, IndicatorCoverage]


class EventCounts(Strict):
    events: int = Field(ge=0)


class EventsCoverage(Strict):
    coverage: EventCounts


class CountryCounts(Strict):
    groups: int = Field(ge=0)
    aggregates: int = Field(ge=0)


class CountriesCoverage(Strict):
    coverage: CountryCounts


_SHOWN = reprlib.Repr()  # keyword arguments need Python 3.12
_SHOWN.maxlevel = 2
_SHOWN.maxstring = _SHOWN.maxother = 50
_SHOWN.maxlong = 40
_SHOWN.maxdict = _SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxset = 4


def shown(value) -> str:
    """A value as messages describe it: a number itself (bounded in length and time), any other
    value by its kind ("text", "a list", ...) so that no text from a file is repeated."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null (nothing)"
    if isinstance(value, int | float):
        text = _SHOWN.repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, str):
        return "text" if value else "empty text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a value of another kind"


def named(key) -> str:
    """A key (indicator id, release, ...) quoted for a message, or "(key)" if not plainly safe."""
    text = key_text(key)
    return text if text == "(key)" else repr(text) if isinstance(key, str) else text


def names(keys, limit: int = 12) -> str:
    """Keys listed for a message, at most `limit` of them."""
    keys = list(keys)
    listed = ", ".join(key_text(k) for k in keys[:limit])
    return listed + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_nan(number) -> bool:
    return isinstance(number, float) and math.isnan(number)


def _is_finite(number) -> bool:
    """True for a number a float64 holds exactly enough: not nan, inf or an int beyond 1.8e308."""
    if isinstance(number, float):
        return math.isfinite(number)
    return abs(number) <= sys.float_info.max


def _fmt(number: float) -> str:
    try:
        number = float(number)
    except OverflowError:  # an int beyond 1.8e308
        digits = str(abs(number))
        return f"{'-' if number < 0 else ''}{digits[0]}.{digits[1:3]}e+{len(digits) - 1}"
    return f"{number:g}" if abs(number) < 1e6 else f"{number:.3g}"


_ISO3 = re.compile(r"[A-Z]{3}\Z")


def check_values(data, header: DatasetHeader, known_codes: set[str]):
    """Check the `data:` block; yields (path tuple, message) for every problem.

    `data` maps ISO3 -> indicator id -> year -> value (or {value, se} when the indicator has
    a standard error). Returns nothing; callers collect the generator.
    """
    if not isinstance(data, dict):
        yield ("data",), "must be a mapping of ISO3 country codes to indicators"
        return
    indicators = header.indicators
    allowed = names(indicators)
    for iso3, block in data.items():
        where = ("data", iso3)
        if not isinstance(iso3, str) or not _ISO3.match(iso3):
            yield where, "the key is not an ISO3 code (three capital letters, e.g. KAZ)"
            continue
        if iso3 not in known_codes:
            yield (
                where,
                f"unknown country code {iso3!r}: not an ISO 3166 alpha-3 code or a "
                "declared aggregate (see data/countries.yaml)",
            )
        if not isinstance(block, dict):
            yield where, "must be a mapping of indicator ids to years"
            continue
        for indicator_id, series in block.items():
            here = (*where, indicator_id)
            meta = indicators.get(indicator_id)
            if meta is None:
                yield here, f"unknown indicator {named(indicator_id)}; this file defines: {allowed}"
                continue
            if not isinstance(series, dict):
                yield here, "must be a mapping of year: value"
                continue
            yield from _check_series(series, here, meta)


def _check_series(series: dict, where: tuple, meta: Indicator):
    low, high = meta.valid_range
    indicator = key_text(where[-1])
    for year, raw in series.items():
        here = (*where, year)
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            yield here, f"year must be a whole number between 1900 and 2100, got {shown(year)}"
            continue
        if meta.has_std_error:
            if not isinstance(raw, dict) or set(raw) != {"value", "se"}:
                yield here, "must be {value: number, se: number} (estimate and standard error)"
                continue
            value, se = raw["value"], raw["se"]
            if not _is_number(se) or not _is_finite(se) or se < 0:
                yield (*here, "se"), f"standard error must be a finite number >= 0, got {shown(se)}"
        else:
            value = raw
            if isinstance(raw, dict):
                yield here, f"must be a single number; {indicator} has no standard error"
                continue
        if not _is_number(value) or _is_nan(value):
            yield here, f"value must be a number, got {shown(value)}"
            continue
        if not low <= value <= high:
            yield (
                here,
                (
                    f"value {_fmt(value)} is out of range for {indicator}; "
                    f"allowed {_fmt(low)} to {_fmt(high)}"
                ),
            )
            continue
        if meta.kind == "rank":
            if value != int(value):
                yield here, f"rank must be a whole number, got {shown(value)}"
            elif meta.out_of:
                total = meta.out_of.get(year)
                if total is None:
                    yield here, f"no number ranked is given for {year} in out_of"
                elif value > total:
                    yield (
                        here,
                        (
                            f"rank {int(value)} is greater than the number ranked in {year} "
                            f"({total}); allowed 1 to {total}"
                        ),
                    )
