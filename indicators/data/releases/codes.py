"""Translate a release's country codes into the codes the data uses.

A code the project knows (an ISO3 code of country_converter's table, or an aggregate declared
in data/countries.yaml) is kept. Any other code is a publisher's own: WGI's legacy codes (ROM
for Romania, ZAR for DR Congo, ...) or a WDI region or income group. It is mapped through the
publisher's country name and country_converter's name patterns, and only when exactly one
country matches and that country has no row of its own in the file; anything else is listed
as unmapped and ignored, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indicators.data.countries import CountryReference


@dataclass
class CodeMap:
    project: dict[str, str] = field(default_factory=dict)  # publisher code -> project code
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (name, project)
    unmapped: dict[str, str] = field(default_factory=dict)  # code -> why, naming the name


def _matches(name: str, reference: CountryReference) -> list[str]:
    return sorted(
        code
        for code, pattern in reference.patterns.items()
        if pattern and re.search(pattern, name, re.IGNORECASE)
    )


def resolve(
    names: dict[str, str], reference: CountryReference, aggregates: frozenset[str]
) -> CodeMap:
    """`names`: every code of the release with the publisher's name for it."""
    result = CodeMap()
    known = reference.codes | aggregates
    for code in sorted(names):
        if code in known:
            result.project[code] = code
            continue
        name = names[code] or "no name"
        hits = _matches(names[code], reference) if names[code] else []
        if len(hits) == 1 and hits[0] not in names:
            result.project[code] = hits[0]
            result.renamed[code] = (name, hits[0])
        elif len(hits) == 1:
            result.unmapped[code] = f"{name}: its match {hits[0]} has its own rows"
        elif hits:
            result.unmapped[code] = f"{name}: matches {', '.join(hits)}"
        else:
            result.unmapped[code] = f"{name}: no country of that name"
    return result
