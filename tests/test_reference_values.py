"""Every bundled value of the countries the reference data covers equals the published value in
../shared/reference-data, and back. The other countries come from the publishers' release files
(tests/test_release_import.py checks them against those files)."""

import csv
import math

import pytest

from tests.conftest import REFERENCE_DIR

pytestmark = pytest.mark.skipif(
    not REFERENCE_DIR.is_dir(), reason=f"reference CSVs not found at {REFERENCE_DIR}"
)

WDI = {
    "BX.KLT.DINV.CD.WD": "fdi_net_inflows_usd",
    "BX.KLT.DINV.WD.GD.ZS": "fdi_net_inflows_pct_gdp",
    "NV.IND.MANF.ZS": "manufacturing_va_pct_gdp",
    "TX.VAL.MANF.ZS.UN": "manufactures_exports_pct",
    "NY.GDP.MKTP.KD.ZG": "gdp_growth",
}


def rows(name):
    with (REFERENCE_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def expected_values():
    out = {}
    for r in rows("cpi.csv"):
        suffix = "" if r["scale"] == "0-100" else "_legacy"
        year = int(r["year"])
        out[(f"cpi_score{suffix}", r["iso3"], year)] = (float(r["score"]), None)
        if r["rank"]:
            out[(f"cpi_rank{suffix}", r["iso3"], year)] = (float(r["rank"]), None)
    for r in rows("wgi.csv"):
        dim, year = r["indicator"].lower(), int(r["year"])
        out[(f"wgi_{dim}_percentile", r["iso3"], year)] = (float(r["percentile"]), None)
        out[(f"wgi_{dim}_estimate", r["iso3"], year)] = (
            float(r["estimate"]),
            float(r["std_error"]),
        )
    for r in rows("doing_business.csv"):
        year = int(r["edition"].removeprefix("DB"))
        if r["rank"]:
            out[("db_rank", r["iso3"], year)] = (float(r["rank"]), None)
        if r["score"]:
            out[("db_score", r["iso3"], year)] = (float(r["score"]), None)
    for r in rows("wdi.csv"):
        if r["value"]:
            out[(WDI[r["series_code"]], r["iso3"], int(r["year"]))] = (float(r["value"]), None)
    return out


def test_every_yaml_value_equals_its_reference_csv_value(bundle):
    expected = expected_values()
    covered = {(i, c) for i, c, _ in expected}
    actual = {
        (i, c, int(y)): (v, None if math.isnan(s) else s)
        for i, c, y, v, s in bundle.frame[["indicator", "iso3", "year", "value", "std_error"]]
        .astype({"indicator": str, "iso3": str})
        .itertuples(index=False)
        if (i, c) in covered
    }
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    different = sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not missing, f"{len(missing)} reference values missing, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} values not in the reference CSVs, e.g. {extra[:5]}"
    assert not different, [(k, expected[k], actual[k]) for k in different[:5]]


def test_number_ranked_per_year_matches_reference(bundle):
    cpi = {int(r["year"]): int(r["n_countries"]) for r in rows("cpi.csv")}
    out_of = bundle.catalog["cpi_rank"].meta.out_of | bundle.catalog["cpi_rank_legacy"].meta.out_of
    assert out_of == cpi
    db = {
        int(r["edition"].removeprefix("DB")): int(r["n_economies"])
        for r in rows("doing_business.csv")
        if r["n_economies"]
    }
    assert bundle.catalog["db_rank"].meta.out_of == db


def test_events_match_reference(bundle):
    reference = rows("events.csv")
    assert [(e.date, e.country, e.title, e.source) for e in bundle.events] == [
        (r["date"], r["country"], r["title"], r["source"]) for r in reference
    ]


def test_known_published_values(bundle):
    frame = bundle.frame

    def value(indicator, iso3, year):
        sel = frame[(frame.indicator == indicator) & (frame.iso3 == iso3) & (frame.year == year)]
        return float(sel["value"].iloc[0])

    # Cross-checked in SOURCES-cpi-db.md against press reports.
    assert value("cpi_score", "KAZ", 2023) == 39
    assert value("cpi_rank", "KAZ", 2023) == 93
    assert value("db_rank", "KAZ", 2020) == 25
