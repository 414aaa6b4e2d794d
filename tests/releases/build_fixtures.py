"""Build the small release fixtures of tests/test_release_import.py from ../shared/reference-data.

Run from the repository root: `.venv/bin/python tests/releases/build_fixtures.py`. Every number
is read from the reference CSVs (see their SOURCES-*.md). Two kinds of rows are synthetic and
marked so in README.md: a *revision* (a reference value moved by a fixed step) and a country the
data does not track (MSR, carrying a copy of Kazakhstan's values; it must be ignored).
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[2] / "shared" / "reference-data"
UNTRACKED = "MSR"  # in no file of data/ (nor in the release files): listed and ignored


def _rows(name):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(name, rows, bom=False, crlf=False):
    text = "".join(
        ",".join(f'"{c}"' if bom else c for c in row) + ("\r\n" if crlf else "\n") for row in rows
    )
    (HERE / name).write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


def cpi():
    """TI "CPI Historical" layout (title, embargo, blank rows, header in row 4)."""
    ref = {(r["iso3"], int(r["year"])): r for r in _rows("cpi.csv") if r["scale"] == "0-100"}
    header = [
        "Country / Territory",
        "ISO3",
        "Year",
        "Region",
        "CPI score",
        "Rank",
        "Standard error",
        "Number of sources",
        "Lower CI",
        "Upper CI",
    ]
    rows = [
        ["Corruption Perceptions Index 2025: Historical Results"] + [""] * 9,
        ["EMBARGOED UNTIL 10.02.2026"] + [""] * 9,
        [""] * 10,
        header,
    ]
    for iso3, year, step in (("KAZ", 2024, 1), ("KAZ", 2025, 0), ("UZB", 2025, 0)):
        r = ref[(iso3, year)]
        score = int(r["score"]) + step  # step 1: the synthetic revision
        rows.append([r["country"], iso3, str(year), "ECA", str(score), r["rank"], "", "", "", ""])
    r = ref[("KAZ", 2025)]
    rows.append(
        ["Montserrat (synthetic)", UNTRACKED, "2025", "AME", r["score"], r["rank"], "", "", "", ""]
    )
    _write("cpi_historical.csv", rows)


def wgi():
    """WGI long format; nsource and the CI bounds are not in the reference data: ".."."""
    ref = {(r["iso3"], int(r["year"]), r["indicator"]): r for r in _rows("wgi.csv")}
    header = [
        "codeindyr",
        "code",
        "countryname",
        "year",
        "indicator",
        "estimate",
        "stddev",
        "nsource",
        "pctrank",
        "pctranklower",
        "pctrankupper",
    ]
    rows = [header]
    for iso3, year, dim, step in (
        ("KAZ", 2022, "CC", 1.0),
        ("KAZ", 2023, "CC", 0.0),
        ("KAZ", 2023, "VA", 0.0),
        ("UZB", 2023, "CC", 0.0),
    ):
        r = ref[(iso3, year, dim)]
        pct = f"{float(r['percentile']) + step:.6f}"  # step 1.0: the synthetic revision
        rows.append(
            [
                f"{iso3}{dim.lower()}{year}",
                iso3,
                r["country"],
                str(year),
                dim.lower(),
                r["estimate"],
                r["std_error"],
                "..",
                pct,
                "..",
                "..",
            ]
        )
    r = ref[("KAZ", 2023, "CC")]
    rows.append(
        [
            f"{UNTRACKED}cc2023",
            UNTRACKED,
            "Montserrat (synthetic)",
            "2023",
            "cc",
            r["estimate"],
            r["std_error"],
            "..",
            r["percentile"],
            "..",
            "..",
        ]
    )
    _write("wgi_long.csv", rows)


def _wdi_series(code):
    out = {}
    for r in _rows("wdi.csv"):
        if r["series_code"] == code:
            out.setdefault(r["iso3"], (r["country"], {}))[1][int(r["year"])] = r["value"]
    return out


def wdi():
    """WDI bulk CSV: BOM, CRLF, every field quoted, 4 preamble lines, trailing empty column."""
    code = "NY.GDP.MKTP.KD.ZG"
    series = _wdi_series(code)
    years = list(range(1990, 2025))
    rows = [
        ["Data Source", "World Development Indicators", ""],
        [""],
        ["Last Updated Date", "2026-04-08", ""],
        [""],
        ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years), ""],
    ]
    for iso3 in ("KAZ", "UZB"):
        name, values = series[iso3]
        vals = [values.get(y, "") for y in years]
        if iso3 == "UZB":  # the synthetic revision: UZB 2020 moved by +1
            i = years.index(2020)
            vals[i] = repr(float(vals[i]) + 1)
        rows.append([name, iso3, "GDP growth (annual %)", code, *vals, ""])
    name, values = series["KAZ"]
    rows.append(
        [
            "Montserrat (synthetic)",
            UNTRACKED,
            "GDP growth (annual %)",
            code,
            *[values.get(y, "") for y in years],
            "",
        ]
    )
    lines = [",".join(f'"{c}"' for c in row[:-1]) + "," if row != [""] else "" for row in rows]
    (HERE / "wdi_bulk.csv").write_text(
        "\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8", newline=""
    )


def databank():
    """WDI DataBank "Data" layout: ".." for missing, footer after a blank row."""
    code = "TX.VAL.MANF.ZS.UN"
    series = _wdi_series(code)
    years = list(range(2015, 2025))
    rows = [
        [
            "Country Name",
            "Country Code",
            "Series Name",
            "Series Code",
            *[f"{y} [YR{y}]" for y in years],
        ]
    ]
    for iso3 in ("KAZ", "UZB"):
        name, values = series[iso3]
        rows.append(
            [
                name,
                iso3,
                "Manufactures exports (% of merchandise exports)",
                code,
                *[values.get(y) or ".." for y in years],
            ]
        )
    rows += [
        [""],
        ["Data from database: World Development Indicators"],
        ["Last Updated: 02/24/2026"],
    ]
    _write("databank.csv", rows)


def _column(i):
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def xlsx(name, rows, sheet="Sheet1"):
    """A minimal workbook (stdlib zip + XML): numbers as numbers, other cells inline strings."""
    cells = []
    for r, row in enumerate(rows, start=1):
        out = []
        for c, value in enumerate(row):
            ref = f"{_column(c)}{r}"
            try:
                float(value)
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            except ValueError:
                text = escape(value)
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
        cells.append(f'<row r="{r}">{"".join(out)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="{sheet}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(cells)}</sheetData></worksheet>'
        ),
    }
    with zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as z:
        for part, xml in parts.items():
            info = zipfile.ZipInfo(part, date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)


def wgi_xlsx():
    """The WGI fixture's rows as a workbook (the publisher ships the WGI as xlsx)."""
    with (HERE / "wgi_long.csv").open(encoding="utf-8", newline="") as f:
        xlsx("wgi_long.xlsx", list(csv.reader(f)))


if __name__ == "__main__":
    cpi()
    wgi()
    wdi()
    databank()
    wgi_xlsx()
