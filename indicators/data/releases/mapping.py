"""Map a release's series to a data file and its indicators; check ranges and duplicates.

- CPI: score -> cpi_score, rank -> cpi_rank (the file's count of countries scored -> out_of).
- WGI: dimension `<dim>` pctrank -> the `<dim>` indicator without a standard error
  (wgi_<dim>_percentile), estimate + stddev -> the one with it (wgi_<dim>_estimate, value/se).
- WDI: the series code -> the indicator whose `source_code` is that code (data/economy.yaml).

Country codes become the project's (codes.py); rows of unmapped codes are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from indicators.data import yamlio
from indicators.data.countries import country_reference
from indicators.data.loading import dataset_files, known_codes
from indicators.data.releases import codes
from indicators.data.releases.errors import ReleaseError
from indicators.data.releases.layouts import Parsed


@dataclass(frozen=True)
class Obs:
    indicator: str
    iso3: str
    year: int
    value: float
    se: float | None
    decimals: int | None
    se_decimals: int | None
    row: int
    column: str


@dataclass
class Target:
    path: Path
    text: str
    doc: dict
    observations: list[Obs]
    ignored_series: list[str]
    codes: codes.CodeMap
    names: dict[str, str]  # project code -> publisher's name


def _load(path: Path) -> tuple[str, dict] | None:
    try:
        text = path.read_text(encoding="utf-8")
        doc, _ = yamlio.parse(text)
    except (OSError, UnicodeDecodeError, yamlio.YamlSyntaxError):
        return None
    return (text, doc) if isinstance(doc, dict) else None


def _datasets(data_dir: Path):
    for path in dataset_files(data_dir):
        loaded = _load(path)
        if loaded and isinstance(loaded[1].get("indicators"), dict):
            yield path, *loaded


def _routes(parsed: Parsed, indicators: dict) -> dict[tuple[str, str], tuple[str, str]]:
    """(series, field) -> (indicator id, "value" or "se") for the series this file defines."""
    routes = {}
    if parsed.dataset_hint == "cpi":
        routes = {("cpi", "score"): ("cpi_score", "value"), ("cpi", "rank"): ("cpi_rank", "value")}
    elif parsed.dataset_hint == "wgi":
        for ind_id, meta in indicators.items():
            dim = str(meta.get("dimension") or "").lower()
            if not dim:
                continue
            if meta.get("has_std_error"):
                routes[(dim, "estimate")] = (ind_id, "value")
                routes[(dim, "stddev")] = (ind_id, "se")
            else:
                routes[(dim, "pctrank")] = (ind_id, "value")
    else:
        for ind_id, meta in indicators.items():
            if meta.get("source_code"):
                routes[(meta["source_code"], "value")] = (ind_id, "value")
    return {k: v for k, v in routes.items() if v[0] in indicators}


def _project_cells(parsed: Parsed, data_dir: Path) -> tuple[list, codes.CodeMap]:
    reference = country_reference()
    aggregates = known_codes(data_dir) - reference.codes
    code_map = codes.resolve(parsed.names, reference, aggregates)
    cells = [
        cell
        if code_map.project[cell.iso3] == cell.iso3
        else replace(cell, iso3=code_map.project[cell.iso3])
        for cell in parsed.cells
        if cell.iso3 in code_map.project
    ]
    return cells, code_map


def target(file: str, parsed: Parsed, data_dir: Path, add_countries: bool = False) -> Target:
    """The data file the release updates, with the release's observations in its terms; value
    ranges are checked for the countries the data tracks, or for all with `add_countries`."""
    series = {c.series for c in parsed.cells}
    candidates = []
    for path, text, doc in _datasets(data_dir):
        if parsed.dataset_hint and doc.get("dataset") != parsed.dataset_hint:
            continue
        routes = _routes(parsed, doc["indicators"])
        if any(s in series for s, _ in routes):
            candidates.append((path, text, doc, routes))
    if not candidates:
        where = parsed.cells[0] if parsed.cells else None
        shown = ", ".join(sorted(series)[:5]) or "none"
        raise ReleaseError(
            file,
            f"unknown series ({shown}): no data file in {data_dir} has an indicator for it "
            "(WDI codes are the indicators' source_code)",
            where.row if where else None,
            where.column if where else None,
        )
    path, text, doc, routes = candidates[0]
    known_series = {s for s, _ in routes}
    if parsed.dataset_hint == "wgi":
        for cell in parsed.cells:
            if cell.series not in known_series:
                raise ReleaseError(
                    file,
                    f"unknown series (WGI indicator) {cell.series[:20]!r}; known: "
                    + ", ".join(sorted(known_series)),
                    cell.row,
                    "indicator",
                )
    indicators = doc["indicators"]
    data = doc.get("data") if isinstance(doc.get("data"), dict) else {}
    cells, code_map = _project_cells(parsed, data_dir)
    merged: dict[tuple, dict] = {}
    for cell in cells:
        route = routes.get((cell.series, cell.field))
        if route is None:
            continue
        ind_id, part = route
        key = (ind_id, cell.iso3, cell.year)
        entry = merged.setdefault(key, {})
        if part in entry:
            first = entry[part]
            raise ReleaseError(
                file,
                f"duplicated country-year {cell.iso3} {cell.year} for {ind_id} (first in row "
                f"{first.row})",
                cell.row,
                cell.column,
            )
        entry[part] = cell
        low, high = indicators[ind_id].get("valid_range") or (float("-inf"), float("inf"))
        checked = add_countries or cell.iso3 in data  # others are ignored anyway
        if checked and part == "value" and not low <= cell.value <= high:
            raise ReleaseError(
                file,
                f"value {cell.value:g} is outside the valid range of {ind_id} ({low:g} to "
                f"{high:g})",
                cell.row,
                cell.column,
            )
        if part == "se" and cell.value < 0:
            raise ReleaseError(file, "a standard error must be >= 0", cell.row, cell.column)
    observations = []
    for (ind_id, iso3, year), parts in merged.items():
        value, se = parts.get("value"), parts.get("se")
        if value is None:
            continue  # a standard error without an estimate: nothing to import
        has_se = bool(indicators[ind_id].get("has_std_error"))
        if has_se and se is None:
            raise ReleaseError(
                file,
                f"estimate without a standard error for {iso3} {year}",
                value.row,
                value.column,
            )
        observations.append(
            Obs(
                ind_id,
                iso3,
                year,
                value.value,
                se.value if has_se else None,
                value.decimals,
                se.decimals if has_se else None,
                value.row,
                value.column,
            )
        )
    ignored = sorted(series - known_series) if parsed.dataset_hint is None else []
    names = {code_map.project[c]: n for c, n in parsed.names.items() if c in code_map.project}
    return Target(path, text, doc, observations, ignored, code_map, names)
