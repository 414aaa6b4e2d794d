"""Generate the first version of data/*.yaml from ../shared/reference-data/*.csv.

The YAML files are the source of truth afterwards and are edited by hand; this script exists so
that the first curation is reproducible and every value can be traced to a reference CSV. It
copies values exactly (no rounding, no filling) and writes provenance blocks taken from the
SOURCES-*.md files that sit beside the CSVs.

It covers the countries of the reference CSVs only: every other country in data/ came later from
the publishers' release files (`python -m indicators import FILE --add-countries`, see README
"Updating the data"), so writing its output over data/ would drop them.

    python scripts/build_data_from_reference.py [--reference DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference-data"
ACCESSED = "2026-12-01"

FOCUS = ["KAZ", "UZB", "KGZ", "TJK", "TKM", "RUS", "AZE", "BLR", "GEO", "ARM", "UKR", "MNG"]
FOCUS += ["TUR", "CHN"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def number(text: str) -> str:
    """Render a CSV number exactly: integers stay integers, floats keep their digits."""
    value = float(text)
    if value.is_integer() and "." not in text and "e" not in text.lower():
        return str(int(value))
    return repr(value)


def country_order(codes):
    focus = [c for c in FOCUS if c in codes]
    return focus + sorted(c for c in codes if c not in FOCUS)


def block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.strip().splitlines())


def emit_data(out: list[str], series: dict, names: dict, comment: str | None = None):
    """series: iso3 -> indicator -> [(year, rendered value)]"""
    out.append("")
    out.append("# Values: country (ISO3) -> indicator -> year: value. Absent year = not published.")
    if comment:
        out.append(f"# {comment}")
    out.append("data:")
    for iso3 in country_order(series):
        out.append(f"  {iso3}:  # {names.get(iso3, iso3)}")
        for indicator, rows in series[iso3].items():
            out.append(f"    {indicator}:")
            for year, value in sorted(rows):
                out.append(f"      {year}: {value}")


def read(path: Path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------------
CPI_HEADER = """\
# Transparency International - Corruption Perceptions Index (CPI)
# Source of truth for the dashboard: edit by hand, then run `python -m indicators validate`.
# First generated from shared/reference-data/cpi.csv by scripts/build_data_from_reference.py;
# see shared/reference-data/SOURCES-cpi-db.md for the file each value was read from.
dataset: cpi
title: Corruption Perceptions Index
origin:
  producer: Transparency International
  title: Corruption Perceptions Index 2025
  url: https://www.transparency.org/en/cpi/2025
  date_published: "2026-02-10"
  date_accessed: "{accessed}"
  citation: >-
    Transparency International (2026). Corruption Perceptions Index 2025. Berlin:
    Transparency International. https://www.transparency.org/en/cpi/2025
  license: CC BY-ND 4.0
  license_url: https://creativecommons.org/licenses/by-nd/4.0/
releases:
  cpi-2025:
    title: CPI 2025 release (scores and ranks 2012-2025)
    date_published: "2026-02-10"
    retrieved_from:
      - >-
        TI CPI2025_Results.xlsx, sheet "CPI Historical"; GitHub TemplinB/TemplinB-EGD-SolowModels,
        path CPI2025_Results.xlsx, commit ec9490e21bea6e03e6e064584dc3e82edfedb84a
    notes: >-
      Cross-checked against TI's CPI2020_GlobalTablesTS_210125.xlsx (all 2012-2020 scores
      identical) and press reports. 2025 values rest on TI's file alone.
  cpi-archive:
    title: CPI 1995-2011 editions (0-10 scale), TI archive files
    retrieved_from:
      - "1995: TI press release PDF, datasets/corruption-perceptions-index archiv/1995_CPI_EN.pdf (d93845c3d324c8a6fa421250bcb8344d8e6f2d03)"
      - "1996: TI CPI 1996 PDF, abissellsiders/ipsed data-raw/government/cpi_corruption/cpi_1996.pdf (98814bdb74c882b5b8c8c5aeb80669f3c90f5b5f)"
      - "1997-2009: TI archive CSVs, abissellsiders/ipsed data-raw/cpi/cpi_1997.csv ... cpi_2009.csv (fa9fe9ba962e8e32e43a575797fd4fef3e1fb7e7)"
      - "2010: TI CPI 2010 results workbook, sheet CPI table, abissellsiders/ipsed data-raw/cpi/cpi_2010.xlsx (fa9fe9b)"
      - "2011: TI CPI 2011 data package, sheet Global, abissellsiders/ipsed data-raw/cpi/cpi_2011_original.xlsx (fa9fe9b)"
    notes: >-
      Rows matched by country name (the archive CSVs carry ISO-code errors). 2011 scores are the
      one-decimal values TI published and ranked on. 1995 has no published ranks.
indicators:
  cpi_score:
    title: CPI score
    unit: score (0-100)
    short_unit: pts
    description: >-
      Perceived level of public-sector corruption, from 0 (highly corrupt) to 100 (very clean).
    higher_is_better: true
    valid_range: [0, 100]
    decimals: 0
    release: cpi-2025
    methodology: >-
      Composite of expert and business surveys, rescaled to 0-100. Scores are comparable from
      2012 onwards; a change of a few points can lie within the index's margin of error.
    breaks:
      - year: 2012
        note: >-
          TI changed the method in 2012 (0-100 scale). Scores before 2012 (0-10) are a separate,
          non-comparable series: never join or subtract across the break.
  cpi_rank:
    title: CPI rank
    unit: rank (1 = least corrupt)
    short_unit: ""
    description: Position among the countries and territories scored that year.
    higher_is_better: false
    kind: rank
    valid_range: [1, 200]
    decimals: 0
    release: cpi-2025
    methodology: >-
      Ties share a rank. The number of countries ranked changes by year, so a rank is read
      against that year's total ("93/180"); use the percentile for comparisons across years.
    out_of: {cpi_out_of}
  cpi_score_legacy:
    title: CPI score, 1995-2011 method
    unit: score (0-10)
    short_unit: pts
    description: >-
      Pre-2012 CPI score on the old 0-10 scale. Not comparable with 2012+ scores, and TI warned
      against comparing it year to year.
    higher_is_better: true
    valid_range: [0, 10]
    decimals: 1
    release: cpi-archive
    methodology: >-
      Old CPI method: a 0-10 average of surveys whose set changed every year. 1995-1997 keep TI's
      two decimals; 1998-2011 one decimal.
    breaks:
      - year: 2012
        note: Series ends in 2011; replaced by the 0-100 CPI score from 2012.
  cpi_rank_legacy:
    title: CPI rank, 1995-2011 editions
    unit: rank (1 = least corrupt)
    short_unit: ""
    description: Published rank in the pre-2012 editions.
    higher_is_better: false
    kind: rank
    valid_range: [1, 200]
    decimals: 0
    release: cpi-archive
    methodology: >-
      Ranks among a country set that grew from 41 (1995) to 183 (2011); the bottom rank can be
      lower than the count because of ties. 1995 ranks were not published.
    out_of: {legacy_out_of}
"""


def build_cpi(ref: Path) -> str:
    rows = read(ref / "cpi.csv")
    names = {r["iso3"]: r["country"] for r in rows}
    out_of: dict[str, dict[int, int]] = {"0-100": {}, "0-10": {}}
    series: dict = defaultdict(lambda: defaultdict(list))
    for r in rows:
        year = int(r["year"])
        new = r["scale"] == "0-100"
        assert new == (year >= 2012), r
        prev = out_of[r["scale"]].setdefault(year, int(r["n_countries"]))
        assert prev == int(r["n_countries"]), r
        suffix = "" if new else "_legacy"
        series[r["iso3"]][f"cpi_score{suffix}"].append((year, number(r["score"])))
        if r["rank"]:
            series[r["iso3"]][f"cpi_rank{suffix}"].append((year, number(r["rank"])))

    def fmt(mapping):
        return "{" + ", ".join(f"{y}: {n}" for y, n in sorted(mapping.items())) + "}"

    out = [
        CPI_HEADER.replace("{accessed}", ACCESSED)
        .replace("{cpi_out_of}", fmt(out_of["0-100"]))
        .replace("{legacy_out_of}", fmt(out_of["0-10"]))
        .rstrip("\n")
    ]
    ordered = {
        iso3: {k: series[iso3][k] for k in sorted(series[iso3], key=_cpi_key)} for iso3 in series
    }
    emit_data(out, ordered, names)
    return "\n".join(out) + "\n"


def _cpi_key(indicator: str) -> int:
    return ["cpi_score", "cpi_rank", "cpi_score_legacy", "cpi_rank_legacy"].index(indicator)


# ---------------------------------------------------------------------------------------------
WGI_DIMENSIONS = {
    "VA": ("Voice and Accountability", "voice_accountability"),
    "PV": ("Political Stability and Absence of Violence/Terrorism", "political_stability"),
    "GE": ("Government Effectiveness", "government_effectiveness"),
    "RQ": ("Regulatory Quality", "regulatory_quality"),
    "RL": ("Rule of Law", "rule_of_law"),
    "CC": ("Control of Corruption", "control_of_corruption"),
}

WGI_DESCRIPTIONS = {
    "VA": "Perceptions of how far citizens can choose their government, and of freedom of "
    "expression, association and the media.",
    "PV": "Perceptions of the likelihood of political instability and politically motivated "
    "violence, including terrorism.",
    "GE": "Perceptions of the quality of public services and the civil service, and of policy "
    "formulation and implementation.",
    "RQ": "Perceptions of the government's ability to formulate and implement sound policies "
    "that permit and promote private-sector development.",
    "RL": "Perceptions of confidence in and abiding by the rules of society: contract "
    "enforcement, property rights, the police and the courts.",
    "CC": "Perceptions of the extent to which public power is exercised for private gain, "
    "including petty and grand corruption and state capture.",
}

WGI_HEADER = """\
# World Bank - Worldwide Governance Indicators (WGI), 2024 update
# Source of truth for the dashboard: edit by hand, then run `python -m indicators validate`.
# First generated from shared/reference-data/wgi.csv by scripts/build_data_from_reference.py;
# see shared/reference-data/SOURCES-wgi-wdi.md.
dataset: wgi
title: Worldwide Governance Indicators
origin:
  producer: World Bank
  title: Worldwide Governance Indicators, 2024 update
  url: https://www.worldbank.org/en/publication/worldwide-governance-indicators
  date_published: "2024-11"
  date_accessed: "{accessed}"
  citation: >-
    Kaufmann, D. and A. Kraay (2024). The Worldwide Governance Indicators: Methodology and 2024
    Update. World Bank Policy Research Working Paper 10952. Washington, DC: World Bank.
  license: CC BY 4.0
  license_url: https://creativecommons.org/licenses/by/4.0/
releases:
  wgi-2024:
    title: WGI 2024 update (data 1996-2023, Kaufmann-Kraay method)
    date_published: "2024-11"
    retrieved_from:
      - >-
        Official long-format workbook wgidataset.xlsx; GitHub lmorgans/WGIdata, commit
        27e92b2fde3d134e7ee30bc31cda3c37ccd65b5b (added 2024-12-11)
    notes: >-
      Values rounded to 6 decimals from the workbook's single-precision floats. Cross-checked
      against the same repository's wgidataset.csv (all 7,650 values agree to its rounding).
      The 2025 revision (absolute 0-100 scores, data to 2024) was not available here and is not
      comparable with these values: replace the whole series if moving to it.
indicators:
"""

WGI_CHART_NOTE = (
    "WGI 2024 update: every update revises the whole history, so do not mix these values with "
    "figures from older WGI releases."
)

WGI_COMMON_NOTES = (
    "WGI revises its whole history with every update: quote the release with any number and do "
    "not mix values from older reports. Published every two years before 2002 (no 1997, 1999, "
    "2001). Margins of error are wide; overlapping 90% intervals mean no significant difference."
)


def build_wgi(ref: Path) -> str:
    rows = read(ref / "wgi.csv")
    names = {r["iso3"]: r["country"] for r in rows}
    out = [WGI_HEADER.replace("{accessed}", ACCESSED).rstrip("\n")]
    for code, (title, _) in WGI_DIMENSIONS.items():
        key = code.lower()
        out.append(f"""  wgi_{key}_percentile:
    title: {q(title + " (percentile rank)")}
    unit: percentile rank (0-100)
    short_unit: pctl
    description: {q(WGI_DESCRIPTIONS[code])}
    higher_is_better: true
    valid_range: [0, 100]
    decimals: 1
    release: wgi-2024
    dimension: {code}
    chart_note: {q(WGI_CHART_NOTE)}
    methodology: >-
      Percentile rank among all economies rated that year (0 = lowest, 100 = highest); the set
      of economies changes by year and dimension (184-201 in 1996, 205-213 in 2023).
      {WGI_COMMON_NOTES}
  wgi_{key}_estimate:
    title: {q(title + " (estimate)")}
    unit: estimate (about -2.5 to 2.5)
    short_unit: ""
    description: {q(WGI_DESCRIPTIONS[code])}
    higher_is_better: true
    valid_range: [-3, 3]
    decimals: 2
    release: wgi-2024
    dimension: {code}
    chart_note: {q(WGI_CHART_NOTE)}
    has_std_error: true
    methodology: >-
      Unobserved-components estimate, standardised to mean 0 and standard deviation 1 across
      countries each year: it measures relative position, not absolute change. Each value
      carries its standard error. {WGI_COMMON_NOTES}""")
    series: dict = defaultdict(dict)
    for r in rows:
        key = r["indicator"].lower()
        year = int(r["year"])
        pct = series[r["iso3"]].setdefault(f"wgi_{key}_percentile", [])
        pct.append((year, number(r["percentile"])))
        est = series[r["iso3"]].setdefault(f"wgi_{key}_estimate", [])
        value = f"{{value: {number(r['estimate'])}, se: {number(r['std_error'])}}}"
        est.append((year, value))
    order = [
        f"wgi_{c.lower()}_{kind}" for c in WGI_DIMENSIONS for kind in ("percentile", "estimate")
    ]
    ordered = {i: {k: series[i][k] for k in order if k in series[i]} for i in series}
    emit_data(out, ordered, names, "Estimates carry their standard error: {value: x, se: y}.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
DB_HEADER = """\
# World Bank - Doing Business (ease of doing business), DB2006-DB2020. DISCONTINUED.
# Source of truth for the dashboard: edit by hand, then run `python -m indicators validate`.
# First generated from shared/reference-data/doing_business.csv by
# scripts/build_data_from_reference.py; per-value sources in SOURCES-cpi-db.md.
# Years here are report editions: 2020 = Doing Business 2020 (data as of 1 May 2019).
dataset: doing_business
title: Doing Business
time_unit: edition
edition_prefix: DB
origin:
  producer: World Bank Group
  title: Doing Business (ease of doing business rankings and scores), DB2006-DB2020
  url: https://archive.doingbusiness.org/en/rankings
  date_published: "2019-10-24"
  date_accessed: "{accessed}"
  citation: >-
    World Bank (2019). Doing Business 2020: Comparing Business Regulation in 190 Economies.
    Washington, DC: World Bank. Earlier editions: Doing Business 2006-2019.
  license: CC BY 4.0
  license_url: https://creativecommons.org/licenses/by/4.0/
  discontinued: >-
    The World Bank discontinued Doing Business in September 2021 after an independent review
    of data irregularities in DB2018 and DB2020. No edition after DB2020 exists; treat the
    series as historical.
releases:
  db-2020-database:
    title: Doing Business database, final (DB2020) vintage
    date_published: "2019-10-24"
    retrieved_from:
      - >-
        DBData_clean.csv (filtered World Bank DBData.csv); GitHub mslee2129/coursework-1-mslee2129,
        commit 2953a9f8f23be0eda4a8be96fb5b3de433559c2e
  db-editions-press:
    title: Ranks as published at each edition's release (DB2007-DB2019)
    retrieved_from:
      - >-
        World Bank / IFC press releases and news reports of each edition, one or more per value;
        listed per value in shared/reference-data/SOURCES-cpi-db.md section 2b
    notes: >-
      Kazakhstan DB2009 = 70 rests on a single source with an inferred edition (provisional).
      Georgia DB2011 and Armenia DB2017 had conflicting reports; the World Bank / IFC figure
      was kept. DB2007 ranks for KGZ, AZE, BLR and UZB may be revised values.
indicators:
  db_rank:
    title: Ease of doing business rank
    unit: rank (1 = easiest)
    short_unit: ""
    description: >-
      Economy's ease-of-doing-business rank as published in each edition's release.
    higher_is_better: false
    kind: rank
    valid_range: [1, 200]
    decimals: 0
    release: db-editions-press
    release_by_year: {2020: db-2020-database}
    methodology: >-
      Every edition changed the method and the set of economies and re-ranked the previous
      year; those revised back-ranks are not used. Ranks are therefore NOT comparable across
      editions: read each against its edition's number of economies.
    breaks:
      - year: 2021
        note: Discontinued in 2021 after the data-irregularities review; DB2020 is the last edition.
    out_of: {db_out_of}
  db_score:
    title: Ease of doing business score
    unit: score (0-100, DB17-20 methodology)
    short_unit: pts
    description: >-
      Distance to the best regulatory performance (100 = frontier), back-cast on the DB17-20
      methodology for DB2016-DB2020.
    higher_is_better: true
    valid_range: [0, 100]
    decimals: 1
    release: db-2020-database
    methodology: >-
      World Bank series IC.BUS.EASE.DFRN.XQ.DB1719 as it stood in the final (DB2020) vintage.
      It differs from the distance-to-frontier printed in the older reports (for example Georgia
      DB2019 printed 83.28, here 83.5). No comparable score exists before DB2016.
    breaks:
      - year: 2021
        note: Discontinued in 2021 after the data-irregularities review; DB2020 is the last edition.
"""


def build_db(ref: Path) -> str:
    rows = read(ref / "doing_business.csv")
    names = {r["iso3"]: r["country"] for r in rows}
    out_of: dict[int, int] = {}
    series: dict = defaultdict(lambda: defaultdict(list))
    for r in rows:
        year = int(r["edition"].removeprefix("DB"))
        assert int(r["year_of_data"]) == year - 1, r
        if r["n_economies"]:
            assert out_of.setdefault(year, int(r["n_economies"])) == int(r["n_economies"])
        if r["rank"]:
            series[r["iso3"]]["db_rank"].append((year, number(r["rank"])))
        if r["score"]:
            series[r["iso3"]]["db_score"].append((year, number(r["score"])))
    fmt = "{" + ", ".join(f"{y}: {n}" for y, n in sorted(out_of.items())) + "}"
    out = [DB_HEADER.replace("{accessed}", ACCESSED).replace("{db_out_of}", fmt).rstrip("\n")]
    emit_data(out, series, names)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
WDI_SERIES = {
    "BX.KLT.DINV.CD.WD": "fdi_net_inflows_usd",
    "BX.KLT.DINV.WD.GD.ZS": "fdi_net_inflows_pct_gdp",
    "NV.IND.MANF.ZS": "manufacturing_va_pct_gdp",
    "TX.VAL.MANF.ZS.UN": "manufactures_exports_pct",
    "NY.GDP.MKTP.KD.ZG": "gdp_growth",
}

WDI_HEADER = """\
# World Bank - World Development Indicators (WDI): FDI, manufacturing, growth, 1990-2024
# Source of truth for the dashboard: edit by hand, then run `python -m indicators validate`.
# First generated from shared/reference-data/wdi.csv by scripts/build_data_from_reference.py;
# see shared/reference-data/SOURCES-wgi-wdi.md. Releases (WDI "Last Updated Date") differ by
# series and country: each indicator names its release, with per-country exceptions.
# OED is the World Bank aggregate "OECD members" (weighted), not an ISO3 country.
dataset: economy
title: Economy (World Development Indicators)
origin:
  producer: World Bank
  title: World Development Indicators
  url: https://databank.worldbank.org/source/world-development-indicators
  date_published: "2026-04-08"
  date_accessed: "{accessed}"
  citation: >-
    World Bank (2026). World Development Indicators. Washington, DC: World Bank. Series
    BX.KLT.DINV.CD.WD, BX.KLT.DINV.WD.GD.ZS, NV.IND.MANF.ZS, TX.VAL.MANF.ZS.UN, NY.GDP.MKTP.KD.ZG.
  license: CC BY 4.0
  license_url: https://creativecommons.org/licenses/by/4.0/
releases:
  wdi-2026-04-08:
    title: WDI, last updated 2026-04-08
    date_published: "2026-04-08"
    retrieved_from:
      - "KAZ, all series: AkshatSharma03/KazPaper data/Kazakhstan API Data/API_KAZ_DS2_en_csv_v2_18751.csv (c0e8c53436e2a2a41b342daa7b241bd27def1edb)"
      - "FDI % of GDP, others: MatthewTsang0213/Empirical-Project API_BX.KLT.DINV.WD.GD.ZS_DS2_en_csv_v2_13.csv (c6c27edc5f1359cc51def03e8d3514359f1c7d40)"
      - "GDP growth, others: MatthewTsang0213/Empirical-Project API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2_260.csv"
  wdi-2026-02-24:
    title: WDI, last updated 2026-02-24
    date_published: "2026-02-24"
    retrieved_from:
      - "yomisamadesu/DS_ML_Project_colab-integrartion DSML1/Datasets/API_TX.VAL.MANF.ZS.UN_DS2_en_csv_v2_7563.csv (45a4f8ce70fbe99af224c46df6d577ab7978697f)"
  wdi-2025-10-07:
    title: WDI, last updated 2025-10-07
    date_published: "2025-10-07"
    retrieved_from:
      - "odud-by/uae-fdi-resilience-analysis data/API_BX.KLT.DINV.CD.WD_DS2_en_csv_v2_130169.csv (0bb895c1ee2c86e6e62161492fac0c309b876a14)"
    notes: >-
      Transcribed from the stored text of that file (no downloadable copy) and checked three
      ways; see SOURCES-wgi-wdi.md section 2.1. For 2023-2024 these US$ values may not match the
      April 2026 FDI % of GDP values.
  wdi-2022-05-25:
    title: WDI, last updated 2022-05-25 (old vintage)
    date_published: "2022-05-25"
    retrieved_from:
      - "DSKUS-Foreign-Aid/Foreign_Aid data/NV.IND.MANF.ZS.csv (52256addb8d282adec8746e44168d05a6bec84e5)"
    notes: >-
      Older release than Kazakhstan's (2026-04-08); ends in 2020 (TJK 2019, TKM 2004, OED 2019).
      Other countries may have been revised since. Refresh when a newer all-country file exists.
indicators:
  fdi_net_inflows_usd:
    title: FDI, net inflows (current US$)
    unit: current US$
    short_unit: US$
    description: >-
      Foreign direct investment, net inflows (new investment inflows less disinvestment) in the
      reporting economy, balance-of-payments basis.
    higher_is_better: true
    valid_range: [-1.0e+13, 1.0e+13]
    decimals: 0
    source_code: BX.KLT.DINV.CD.WD
    release: wdi-2025-10-07
    release_by_country: {KAZ: wdi-2026-04-08}
    methodology: >-
      Net inflows can be negative (disinvestment). WDI (IMF balance-of-payments) figures are
      not UNCTAD figures; do not mix the two. Kazakhstan's 2023-2024 values were revised in the
      2026 release (2024: -0.68 bn to +1.98 bn). Not extracted for individual OECD members; OED
      is the World Bank aggregate.
  fdi_net_inflows_pct_gdp:
    title: FDI, net inflows (% of GDP)
    unit: "% of GDP"
    short_unit: "%"
    description: Foreign direct investment net inflows as a share of GDP.
    higher_is_better: true
    valid_range: [-1000, 1000]
    decimals: 1
    source_code: BX.KLT.DINV.WD.GD.ZS
    release: wdi-2026-04-08
    methodology: >-
      Net inflows can be negative. The OED value is a World Bank weighted ratio, not comparable
      with a simple mean of members.
  manufacturing_va_pct_gdp:
    title: Manufacturing, value added (% of GDP)
    unit: "% of GDP"
    short_unit: "%"
    description: Net output of the manufacturing sector as a share of GDP.
    higher_is_better: true
    valid_range: [0, 100]
    decimals: 1
    source_code: NV.IND.MANF.ZS
    release: wdi-2022-05-25
    release_by_country: {KAZ: wdi-2026-04-08}
    methodology: >-
      Kazakhstan comes from the April 2026 release, every other country from the May 2022
      release (data to 2020). For Kazakhstan the two releases agree within 0.01 pp for
      1995-2020. Some published figures for Kazakhstan (10.3% in 2016, 12.7% in 2020) come from
      other sources and disagree with WDI (11.33, 13.07).
    breaks:
      - year: 2021
        note: Peers' values end in 2020 (old May 2022 release); only Kazakhstan continues.
  manufactures_exports_pct:
    title: Manufactures exports (% of merchandise exports)
    unit: "% of merchandise exports"
    short_unit: "%"
    description: >-
      Manufactures (SITC sections 5, 6, 7 and 8 less 68) as a share of merchandise exports.
    higher_is_better: true
    valid_range: [0, 100]
    decimals: 1
    source_code: TX.VAL.MANF.ZS.UN
    release: wdi-2026-02-24
    release_by_country: {KAZ: wdi-2026-04-08}
    methodology: >-
      From UN Comtrade via WDI. Kept as published even where odd: Kazakhstan 2000 = 0.159%
      between 23.8% (1999) and 15.8% (2001). Sparse for TKM (1997-2000) and UZB (2017-2024).
  gdp_growth:
    title: GDP growth (annual %)
    unit: "% a year"
    short_unit: "%"
    description: Annual growth of GDP at market prices in constant local currency.
    higher_is_better: true
    valid_range: [-100, 200]
    decimals: 1
    source_code: NY.GDP.MKTP.KD.ZG
    release: wdi-2026-04-08
    methodology: Constant prices; aggregates (OED) are World Bank weighted.
"""


def build_economy(ref: Path) -> str:
    rows = read(ref / "wdi.csv")
    names = {r["iso3"]: r["country"] for r in rows}
    series: dict = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r["value"]:
            series[r["iso3"]][WDI_SERIES[r["series_code"]]].append(
                (int(r["year"]), number(r["value"]))
            )
    order = list(WDI_SERIES.values())
    ordered = {i: {k: series[i][k] for k in order if k in series[i]} for i in series}
    out = [WDI_HEADER.replace("{accessed}", ACCESSED).rstrip("\n")]
    emit_data(out, ordered, names)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
EVENTS_HEADER = """\
# Reform milestones drawn as markers on the charts. Edit by hand, then run
# `python -m indicators validate`. First generated from shared/reference-data/events.csv.
# date: "YYYY" or "YYYY-MM" (quoted); country: ISO3, or ALL for events that concern every series.
dataset: events
title: Reform milestones
origin:
  producer: Project curation from published sources (each event names its own)
  title: Kazakhstan reform milestones
  date_accessed: "{accessed}"
  citation: >-
    Cornell, S. E., S. F. Starr and J. Barro, Political and Economic Reforms in Kazakhstan
    (Central Asia-Caucasus Institute); Janenova, S., Kazakhstan's Anti-Corruption Efforts
    (Royal Society for Asian Affairs, 2024); World Bank statement, September 2021.
  license: Facts with attribution; descriptions written for this project
events:
"""


def build_events(ref: Path) -> str:
    out = [EVENTS_HEADER.replace("{accessed}", ACCESSED).rstrip("\n")]
    for r in read(ref / "events.csv"):
        out.append(f"  - date: {q(r['date'])}")
        out.append(f"    country: {r['country']}")
        out.append(f"    category: {r['category']}")
        out.append(f"    title: {q(r['title'])}")
        out.append(f"    detail: {q(r['detail'])}")
        out.append(f"    source: {q(r['source'])}")
        if r["category"] == "data" and "Doing Business" in r["title"]:
            out.append("    datasets: [doing_business]")
    return "\n".join(out) + "\n"


BUILDERS = {
    "cpi.yaml": build_cpi,
    "wgi.yaml": build_wgi,
    "doing_business.yaml": build_db,
    "economy.yaml": build_economy,
    "events.yaml": build_events,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        (args.out / name).write_text(build(args.reference), encoding="utf-8")
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
