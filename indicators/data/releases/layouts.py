"""Recognise a publisher's layout from a file's content (never its name) and read its cells.

Layouts (header row found within the first rows of any sheet):
- TI CPI workbook: sheet "CPI Historical" (ISO3, Year, CPI score, Rank, ...) or a one-year
  sheet "CPI2025" (ISO3, CPI 2025 score, Rank, ...), after TI's title and embargo rows.
- WGI long format: code, countryname, year, indicator, estimate, stddev, nsource, pctrank, ...
- WDI bulk CSV: preamble ("Data Source", "Last Updated Date"), then Country Name, Country Code,
  Indicator Name, Indicator Code, 1960, ..., one column per year.
- WDI DataBank "Data": Country Name, Country Code, Series Name, Series Code, 1990 [YR1990], ...

Each layout yields `Cell`s: series, field, country, year and the cell as the file holds it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from indicators.data.releases.errors import ReleaseError

HEADER_ROWS = 12  # a header row is looked for in this many first rows of each sheet
MISSING = {"", "..", "#N/A", "#n/a", "N/A", "NA", "n/a"}


@dataclass(frozen=True)
class Cell:
    series: str  # "cpi", a WGI dimension ("cc"), a WDI series code
    field: str  # "score"/"rank", "estimate"/"stddev"/"pctrank", "value"
    iso3: str
    year: int
    value: float
    decimals: int | None  # decimals written (text cells), None when stored as a binary number
    row: int  # 1-based, as a spreadsheet shows it
    column: str  # "E (CPI score)"


@dataclass
class Parsed:
    layout: str
    dataset_hint: str | None  # "cpi", "wgi", or None (found by series code)
    slug: str
    title: str
    date_published: str | None
    cells: list[Cell] = field(default_factory=list)
    counts: dict[int, int] = field(default_factory=dict)  # year -> countries ranked (CPI)
    names: dict[str, str] = field(default_factory=dict)  # country code -> publisher's name


def column_name(index: int, header: str | None = None) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters} ({header})" if header else letters


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def number(file: str, cell, row: int, column: str) -> tuple[float | None, int | None]:
    """(value, decimals written) of a cell; (None, None) when it marks a missing value."""
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        raise ReleaseError(file, "expected a number, found true/false", row, column)
    if isinstance(cell, int | float):
        if isinstance(cell, float) and math.isnan(cell):
            return None, None
        if not math.isfinite(cell):
            raise ReleaseError(file, "expected a finite number", row, column)
        return float(cell), None
    text = str(cell).strip()
    if text in MISSING:
        return None, None
    try:
        value = (
            float(text.replace(",", ""))
            if re.fullmatch(r"[-+]?[0-9,]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?", text)
            else None
        )
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        raise ReleaseError(
            file,
            "expected a number or a missing-value mark (.., #N/A, empty), found text",
            row,
            column,
        )
    decimals = len(text.split(".", 1)[1]) if "." in text and "e" not in text.lower() else 0
    return value, decimals


def _year(file: str, cell, row: int, column: str) -> int:
    text = _text(cell)
    if not re.fullmatch(r"(19|20)[0-9]{2}", text):
        raise ReleaseError(file, "expected a year (e.g. 2023)", row, column)
    return int(text)


def _iso3(file: str, cell, row: int, column: str) -> str:
    text = _text(cell)
    if not re.fullmatch(r"[A-Z0-9]{3}", text):
        raise ReleaseError(file, "expected a three-letter country code", row, column)
    return text


def _find_header(rows, test):
    for i, row in enumerate(rows[:HEADER_ROWS]):
        names = [_text(c) for c in row]
        if test([n.lower() for n in names]):
            return i, names
    return None


def _name_column(names, *candidates) -> int | None:
    """Index of the (optional) country-name column."""
    lower = [n.lower() for n in names]
    return next((lower.index(c) for c in candidates if c in lower), None)


def _columns(file, names, wanted: dict[str, object], row: int) -> dict[str, int]:
    """Index of each wanted column (key -> predicate or exact lower-case name)."""
    found = {}
    lower = [n.lower() for n in names]
    for key, test in wanted.items():
        for j, name in enumerate(lower):
            if test(name) if callable(test) else name == test:
                found[key] = j
                break
        else:
            raise ReleaseError(file, f"missing column {key!r} in the header", row)
    return found


# --- TI CPI -----------------------------------------------------------------------------------

_CPI_YEAR_SCORE = re.compile(r"cpi (\d{4}) score$")


def _is_cpi(lower):
    return "iso3" in lower and any(
        n.startswith("cpi score") or _CPI_YEAR_SCORE.match(n) for n in lower
    )


def _cpi(file, sheets) -> Parsed | None:
    found = None
    for name, rows in sheets.items():
        hit = _find_header(rows, _is_cpi)
        if hit is None:
            continue
        lower = [n.lower() for n in hit[1]]
        historical = "year" in lower
        if found is None or (historical and not found[3]):
            found = (name, rows, hit, historical)
    if found is None:
        return None
    name, rows, (h, names), historical = found
    hrow = h + 1
    date = None
    for row in rows[:h]:
        for cell in row:
            m = re.search(r"EMBARGOED UNTIL (\d{2})\.(\d{2})\.(\d{4})", _text(cell), re.I)
            if m:
                date = f"{m[3]}-{m[2]}-{m[1]}"
    wanted: dict = {"ISO3": "iso3", "Rank": "rank"}
    if historical:
        wanted |= {"Year": "year", "CPI score": lambda n: n.startswith("cpi score")}
    else:
        wanted |= {"CPI score": lambda n: bool(_CPI_YEAR_SCORE.match(n))}
    cols = _columns(file, names, wanted, hrow)
    one_year = (
        None if historical else int(_CPI_YEAR_SCORE.match(names[cols["CPI score"]].lower())[1])
    )
    parsed = Parsed(f'TI CPI workbook, sheet "{name.strip()}"', "cpi", "", "", date)
    name_at = _name_column(names, "country / territory", "country")
    for i, row in enumerate(rows[h + 1 :], start=h + 2):
        if not any(_text(c) for c in row):
            continue
        row = list(row) + [None] * (len(names) - len(row))
        colname = column_name(cols["ISO3"], "ISO3")
        iso3 = _iso3(file, row[cols["ISO3"]], i, colname)
        parsed.names[iso3] = _text(row[name_at]) if name_at is not None else ""
        year = one_year or _year(file, row[cols["Year"]], i, column_name(cols["Year"], "Year"))
        for key, fld in (("CPI score", "score"), ("Rank", "rank")):
            where = column_name(cols[key], names[cols[key]])
            value, dec = number(file, row[cols[key]], i, where)
            if value is not None:
                parsed.cells.append(Cell("cpi", fld, iso3, year, value, dec, i, where))
                if fld == "score":
                    parsed.counts[year] = parsed.counts.get(year, 0) + 1
    last = max(parsed.counts, default=one_year or 0)
    parsed.slug, parsed.title = f"cpi-{last}", f"CPI {last} release"
    return parsed


# --- WGI long format --------------------------------------------------------------------------

WGI_FIELDS = ("estimate", "stddev", "pctrank")


def _is_wgi(lower):
    return {"code", "year", "indicator"} <= set(lower) and any(f in lower for f in WGI_FIELDS)


def _wgi(file, sheets) -> Parsed | None:
    for _name, rows in sheets.items():
        hit = _find_header(rows, _is_wgi)
        if hit is None:
            continue
        h, names = hit
        wanted = {k: k for k in ("code", "year", "indicator", *WGI_FIELDS)}
        cols = _columns(file, names, wanted, h + 1)
        parsed = Parsed("WGI long format", "wgi", "", "", None)
        name_at = _name_column(names, "countryname")
        last = 0
        for i, row in enumerate(rows[h + 1 :], start=h + 2):
            if not any(_text(c) for c in row):
                continue
            row = list(row) + [None] * (len(names) - len(row))
            iso3 = _iso3(file, row[cols["code"]], i, column_name(cols["code"], "code"))
            parsed.names[iso3] = _text(row[name_at]) if name_at is not None else ""
            year = _year(file, row[cols["year"]], i, column_name(cols["year"], "year"))
            dim = _text(row[cols["indicator"]]).lower()
            for fld in WGI_FIELDS:
                where = column_name(cols[fld], fld)
                value, dec = number(file, row[cols[fld]], i, where)
                if value is not None:
                    parsed.cells.append(Cell(dim, fld, iso3, year, value, dec, i, where))
                    last = max(last, year)
        parsed.slug, parsed.title = f"wgi-{last + 1}", f"WGI {last + 1} update (data to {last})"
        return parsed
    return None


# --- WDI bulk CSV and DataBank ----------------------------------------------------------------

_BANK_YEAR = re.compile(r"(\d{4}) \[yr\d{4}\]$")


def _is_wdi(lower):
    return "country code" in lower and ("indicator code" in lower or "series code" in lower)


def _wdi(file, sheets) -> Parsed | None:
    for _name, rows in sheets.items():
        hit = _find_header(rows, _is_wdi)
        if hit is None:
            continue
        h, names = hit
        lower = [n.lower() for n in names]
        bank = "series code" in lower
        code_col = "series code" if bank else "indicator code"
        cols = _columns(file, names, {"Country Code": "country code", code_col: code_col}, h + 1)
        years = {}
        for j, n in enumerate(lower):
            m = _BANK_YEAR.match(n) if bank else re.fullmatch(r"(19|20)\d{2}", n)
            if m:
                years[j] = int(m[1] if bank else m[0])
        if not years:
            raise ReleaseError(
                file, "missing year columns (1990, ... or 1990 [YR1990], ...)", h + 1
            )
        date = None
        for row in rows[:h] + rows[-10:]:
            cells = [_text(c) for c in row]
            joined = " ".join(cells)
            m = re.search(r"Last Updated(?: Date)?:?\s+(\d{4}-\d{2}-\d{2})", joined)
            m2 = re.search(r"Last Updated:?\s+(\d{1,2})/(\d{1,2})/(\d{4})", joined)
            if m:
                date = m[1]
            elif m2:
                date = f"{m2[3]}-{int(m2[1]):02d}-{int(m2[2]):02d}"
        layout = 'WDI DataBank "Data"' if bank else "WDI bulk CSV"
        parsed = Parsed(layout, None, f"wdi-{date}" if date else "", "", date)
        parsed.title = f"WDI, last updated {date}" if date else "WDI download"
        name_at = _name_column(names, "country name")
        for i, row in enumerate(rows[h + 1 :], start=h + 2):
            row = list(row) + [None] * (len(names) - len(row))
            code = _text(row[cols["Country Code"]])
            series = _text(row[cols[code_col]])
            if not code and not series:
                if bank:  # DataBank's footer (source, last updated) follows a blank row
                    break
                continue
            iso3 = _iso3(file, code, i, column_name(cols["Country Code"], "Country Code"))
            parsed.names[iso3] = _text(row[name_at]) if name_at is not None else ""
            for j, year in years.items():
                where = column_name(j, names[j])
                value, dec = number(file, row[j], i, where)
                if value is not None:
                    parsed.cells.append(Cell(series, "value", iso3, year, value, dec, i, where))
        return parsed
    return None


LAYOUTS = (_cpi, _wgi, _wdi)


def parse(file: str, sheets: dict[str, list[list]]) -> Parsed:
    for layout in LAYOUTS:
        parsed = layout(file, sheets)
        if parsed is not None:
            return parsed
    raise ReleaseError(
        file,
        "unknown layout: no header row of a known publisher layout (TI CPI workbook, WGI long "
        f"format, WDI bulk CSV, WDI DataBank) in the first {HEADER_ROWS} rows of any sheet",
    )
