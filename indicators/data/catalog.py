"""The catalog: every indicator with the metadata of the dataset it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.data.schema import Indicator, Origin, Release


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    dataset: str
    dataset_title: str
    file: str
    meta: Indicator
    origin: Origin
    releases: dict[str, Release]
    time_unit: str = "year"
    edition_prefix: str | None = None

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def unit(self) -> str:
        return self.meta.unit

    @property
    def higher_is_better(self) -> bool:
        return self.meta.higher_is_better

    def release_id(self, iso3: str | None = None, year: int | None = None) -> str:
        if year is not None and year in self.meta.release_by_year:
            return self.meta.release_by_year[year]
        if iso3 is not None and iso3 in self.meta.release_by_country:
            return self.meta.release_by_country[iso3]
        return self.meta.release

    def release(self, iso3: str | None = None, year: int | None = None) -> Release:
        return self.releases[self.release_id(iso3, year)]

    def release_ids_for(self, countries) -> list[str]:
        """Distinct releases behind the given countries' values, default release first."""
        ids = [self.meta.release]
        ids += [
            self.meta.release_by_country[c] for c in countries if c in self.meta.release_by_country
        ]
        ids += list(self.meta.release_by_year.values())
        return list(dict.fromkeys(ids))

    def year_label(self, year: int) -> str:
        if self.time_unit == "edition":
            return f"{self.edition_prefix or ''}{year}"
        return str(year)

    def source_line(self, countries=()) -> str:
        """One line naming producer, release(s) and access date, for charts and exports."""
        return combined_source_line([self], countries)

    def break_notes(self) -> list[str]:
        if self.origin.discontinued:  # the discontinuation note says it all
            return [self.origin.discontinued]
        notes = [
            b.note if str(b.year) in b.note else f"{b.year}: {b.note}" for b in self.meta.breaks
        ]
        if self.meta.chart_note:
            notes.append(self.meta.chart_note)
        return notes


class Catalog(dict[str, CatalogEntry]):
    """Indicator id -> entry, in file order."""

    def by_dataset(self, dataset: str) -> list[CatalogEntry]:
        return [e for e in self.values() if e.dataset == dataset]


def combined_source_line(entries, countries=()) -> str:
    """One source line for several indicators: releases of one producer are listed together."""
    by_origin: dict[tuple, list[str]] = {}
    for entry in entries:
        key = (entry.origin.producer, entry.origin.date_accessed, entry.origin.license)
        titles = by_origin.setdefault(key, [])
        titles += [entry.releases[r].title for r in entry.release_ids_for(countries)]
    parts = [
        f"{producer}, {'; '.join(dict.fromkeys(titles))}. Accessed {accessed}. Licence {lic}."
        for (producer, accessed, lic), titles in by_origin.items()
    ]
    return "Source: " + " ".join(parts)
