"""Country names, ISO3 codes and OECD accession years, from the country_converter package.

country_converter 1.3.2's `CountryConverter()` fails to build under pandas 3 (Namibia's ISO2
"NA" is read as a missing value), so its maintained data table is read directly here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from indicators.data.schema import CountriesFile


@dataclass(frozen=True)
class CountryReference:
    names: dict[str, str]
    oecd_accession: dict[str, int]
    patterns: dict[str, str] = field(default_factory=dict, repr=False)  # ISO3 -> name regex

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.names)


@cache
def country_reference() -> CountryReference:
    path = resources.files("country_converter") / "country_data.tsv"
    with resources.as_file(path) as tsv:
        table = pd.read_csv(
            tsv,
            sep="\t",
            dtype=str,
            keep_default_na=False,
            usecols=["ISO3", "name_short", "regex", "OECD"],
        )
    table = table[table["ISO3"].str.fullmatch(r"[A-Z]{3}")]  # drops the table's pseudo-codes
    names = dict(zip(table["ISO3"], table["name_short"], strict=True))
    oecd = {
        iso3: int(year) for iso3, year in zip(table["ISO3"], table["OECD"], strict=True) if year
    }
    patterns = dict(zip(table["ISO3"], table["regex"], strict=True))
    return CountryReference(names=names, oecd_accession=oecd, patterns=patterns)


@dataclass(frozen=True)
class PeerGroup:
    id: str
    title: str
    members: tuple[str, ...]
    description: str | None = None


@dataclass(frozen=True)
class Countries:
    """Names, groups and memberships used across the app."""

    default_focus: str
    default_group: str
    groups: dict[str, PeerGroup]
    oecd_accession: dict[str, int]
    aggregates: dict[str, str]
    _names: dict[str, str] = field(repr=False)

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    def oecd_members(self, year: int) -> tuple[str, ...]:
        return tuple(sorted(c for c, y in self.oecd_accession.items() if y <= year))

    @property
    def known_codes(self) -> frozenset[str]:
        return frozenset(self._names) | frozenset(self.aggregates)


OECD_GROUP = "oecd"


def build_countries(spec: CountriesFile, reference: CountryReference | None = None) -> Countries:
    reference = reference or country_reference()
    names = dict(reference.names)
    names.update({code: agg.name for code, agg in spec.aggregates.items()})
    names.update(spec.name_overrides)
    groups = {
        gid: PeerGroup(gid, g.title, tuple(g.members), g.description)
        for gid, g in spec.groups.items()
    }
    groups[OECD_GROUP] = PeerGroup(
        OECD_GROUP,
        "OECD members",
        tuple(sorted(reference.oecd_accession)),
        "Current OECD members; averages use only the members of each year.",
    )
    return Countries(
        default_focus=spec.default_focus,
        default_group=spec.default_group,
        groups=groups,
        oecd_accession=dict(reference.oecd_accession),
        aggregates={code: agg.name for code, agg in spec.aggregates.items()},
        _names=names,
    )
