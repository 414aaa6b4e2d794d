"""`python -m indicators import FILE [--apply]`: publishers' layouts, diff, line edits, bad input.

Fixtures in tests/releases/ are built from ../shared/reference-data by build_fixtures.py (see
tests/releases/README.md for the two synthetic rows: a revision and an untracked country).
"""

from __future__ import annotations

import csv
import difflib
import re
import shutil
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.data import yamlio
from indicators.data.loading import load_bundle, write_coverage

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "releases"
RELEASES = ROOT.parent / "shared" / "releases"
REFERENCE = ROOT.parent / "shared" / "reference-data"


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _import(capsys, file, data_dir, *extra):
    code = main(["import", str(file), "--data-dir", str(data_dir), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _changed_lines(before: str, after: str) -> list[str]:
    """Lines removed or added, but for origin's date_accessed (today's date: changed or not,
    depending on the day the data was last imported)."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
        if line[:1] in "+-"
        and not line.startswith(("+++", "---"))
        and not line[1:].startswith("  date_accessed:")
    ]


def _reference(name, **match):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if all(r[k] == v for k, v in match.items())]


def _drop_year(path: Path, iso3: str, indicator: str, year: int) -> str:
    """Remove one year's line from a data file and rewrite its coverage: a "new year" to import.
    Returns the removed line."""
    text = path.read_text(encoding="utf-8")
    line = yamlio.locate(text, {("data", iso3, indicator, year)})[("data", iso3, indicator, year)]
    lines = text.splitlines(keepends=True)
    removed = lines.pop(line - 1)
    assert removed.strip().startswith(f"{year}:")
    path.write_text("".join(lines), encoding="utf-8")
    write_coverage(path)
    return removed


# --- dry run ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture",
    ["cpi_historical.csv", "wgi_long.csv", "wgi_long.xlsx", "wdi_bulk.csv", "databank.csv"],
)
def test_dry_run_leaves_every_file_untouched(capsys, data_dir, fixture):
    before = _snapshot(data_dir)
    code, out, err = _import(capsys, FIXTURES / fixture, data_dir)
    assert code == 0, err
    assert "dry run: nothing written" in out
    assert _snapshot(data_dir) == before


def test_cpi_revision_and_untracked_country_are_reported(capsys, data_dir):
    code, out, _ = _import(capsys, FIXTURES / "cpi_historical.csv", data_dir)
    assert code == 0
    kaz_2024 = _reference("cpi.csv", iso3="KAZ", year="2024")[0]["score"]
    revised = int(kaz_2024) + 1  # the fixture's synthetic revision
    assert f"KAZ 2024: {kaz_2024} -> {revised} (+1)" in out
    assert "does not track, ignored (1): MSR" in out
    assert "TI CPI workbook" in out and "published 2026-02-10" in out
    # unchanged values (KAZ and UZB 2025, every rank) are not revisions
    assert "KAZ 2025" not in out and "UZB" not in out.split("lacks")[0]


def test_wgi_unchanged_values_at_stored_precision_are_not_revisions(capsys, data_dir):
    code, out, _ = _import(capsys, FIXTURES / "wgi_long.csv", data_dir)
    assert code == 0
    assert out.count("revised values (1)") == 1
    old = _reference("wgi.csv", iso3="KAZ", year="2022", indicator="CC")[0]["percentile"]
    assert f"KAZ 2022: {old} -> " in out
    assert "wgi_cc_estimate" in out


def test_xlsx_reads_like_the_csv(capsys, data_dir):
    _, from_csv, _ = _import(capsys, FIXTURES / "wgi_long.csv", data_dir)
    _, from_xlsx, _ = _import(capsys, FIXTURES / "wgi_long.xlsx", data_dir)
    body = lambda out: out.split("\n", 1)[1].rsplit("read and compared", 1)[0]  # noqa: E731
    assert body(from_csv) == body(from_xlsx)


def test_databank_layout_is_read_and_matches_the_data(capsys, data_dir):
    code, out, _ = _import(capsys, FIXTURES / "databank.csv", data_dir)
    assert code == 0
    assert 'WDI DataBank "Data"' in out and "last updated 2026-02-24" in out
    assert "0 change(s)" in out


# --- apply ------------------------------------------------------------------------------------


def test_apply_new_year_and_revision_is_a_small_line_diff_and_validates(capsys, data_dir):
    path = data_dir / "cpi.yaml"
    original = path.read_text(encoding="utf-8")
    removed = _drop_year(path, "KAZ", "cpi_score", 2025)
    code, out, _ = _import(capsys, FIXTURES / "cpi_historical.csv", data_dir)
    assert code == 0
    kaz_2025 = _reference("cpi.csv", iso3="KAZ", year="2025")[0]["score"]
    assert f"new years (1):\n    KAZ 2025: {kaz_2025}" in out
    code, out, err = _import(capsys, FIXTURES / "cpi_historical.csv", data_dir, "--apply")
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    # The new year went back on its own line, in order: the file equals the original but for
    # the revision and the release entry's new line.
    assert removed in after
    changed = _changed_lines(original, after)
    assert len(changed) == 3, changed
    assert any(line.startswith("+      2024: ") for line in changed)
    assert any("imported" in line and "cpi_historical.csv" in line for line in changed)
    load_bundle(data_dir)  # validates
    assert main(["--data-dir", str(data_dir), "validate"]) == 0


def test_apply_keeps_comments_and_updates_wgi_and_wdi(capsys, data_dir):
    for fixture, name in (("wgi_long.csv", "wgi.yaml"), ("wdi_bulk.csv", "economy.yaml")):
        path = data_dir / name
        before = path.read_text(encoding="utf-8")
        code, _, err = _import(capsys, FIXTURES / fixture, data_dir, "--apply")
        assert code == 0, err
        changed = _changed_lines(before, path.read_text(encoding="utf-8"))
        assert len(changed) == 3, changed  # the value (old and new), the release's new line
        comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
        after = path.read_text(encoding="utf-8")
        assert all(c in after for c in comments)
    load_bundle(data_dir)


def test_apply_twice_changes_nothing_the_second_time(capsys, data_dir):
    _import(capsys, FIXTURES / "wgi_long.csv", data_dir, "--apply")
    before = _snapshot(data_dir)
    code, out, _ = _import(capsys, FIXTURES / "wgi_long.csv", data_dir, "--apply")
    assert code == 0 and "nothing to apply" in out
    assert _snapshot(data_dir) == before


def test_apply_refuses_a_result_that_would_not_validate(capsys, data_dir, tmp_path):
    # A CPI revision above out_of (the rank's count) would not validate: refused, not written.
    text = (FIXTURES / "cpi_historical.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    rows[5][5] = "199"  # KAZ 2025 rank: inside valid_range (1-200) but above out_of (182)
    bad = tmp_path / "cpi_rank.csv"
    bad.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    before = _snapshot(data_dir)
    code, _, err = _import(capsys, bad, data_dir, "--apply")
    assert code == 1
    assert "would not validate" in err and "greater than the number ranked" in err
    assert _snapshot(data_dir) == before


# --- bad input --------------------------------------------------------------------------------


def _bad(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _wgi_rows():
    return (FIXTURES / "wgi_long.csv").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    "case, expected",
    [
        ("layout", r"unknown layout"),
        ("series", r"row 3, column indicator: unknown series"),
        ("column", r"row 1: missing column 'stddev'"),
        ("range", r"row 2, column I \(pctrank\): value 150 is outside the valid range"),
        ("duplicate", r"row 7, column .*duplicated country-year KAZ 2022 .*first in row 2"),
        ("text", r"row 2, column F \(estimate\): expected a number"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(capsys, data_dir, tmp_path, case, expected):
    rows = _wgi_rows()
    if case == "layout":
        rows = ["name,value", "a,1"]
    elif case == "series":
        rows[2] = rows[2].replace(",cc,", ",xx,")
    elif case == "column":
        rows = [",".join(c for i, c in enumerate(r.split(",")) if i != 6) for r in rows]
    elif case == "range":
        cells = rows[1].split(",")
        cells[8] = "150"  # pctrank above 100
        rows[1] = ",".join(cells)
    elif case == "duplicate":
        rows.append(rows[1])
    elif case == "text":
        rows[1] = rows[1].replace(rows[1].split(",")[5], "n/a-ish")
    bad = _bad(tmp_path, f"{case}.csv", "\n".join(rows) + "\n")
    before = _snapshot(data_dir)
    for extra in ((), ("--apply",)):
        code, _out, err = _import(capsys, bad, data_dir, *extra)
        assert code == 2
        assert str(bad.name) in err and re.search(expected, err), err
        assert _snapshot(data_dir) == before


def test_unknown_wdi_series_is_an_error(capsys, data_dir, tmp_path):
    text = (FIXTURES / "wdi_bulk.csv").read_text(encoding="utf-8-sig")
    bad = _bad(tmp_path, "series.csv", text.replace("NY.GDP.MKTP.KD.ZG", "XX.UNKNOWN.CODE"))
    code, _, err = _import(capsys, bad, data_dir)
    assert code == 2 and "unknown series (XX.UNKNOWN.CODE)" in err and "series.csv" in err


# --- the publishers' real files ---------------------------------------------------------------


def _needs(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


def _values(data_dir, name, iso3, indicator):
    doc, _ = yamlio.parse((data_dir / name).read_text(encoding="utf-8"))
    return doc["data"][iso3][indicator]


def test_real_cpi_workbook_matches_the_data(capsys, data_dir):
    file = _needs(RELEASES / "cpi" / "CPI2025_Results.xlsx")
    code, out, err = _import(capsys, file, data_dir)
    assert code == 0, err
    assert 'sheet "CPI Historical"' in out
    assert "0 change(s)" in out  # KAZ cpi_score 2025 and every other value match
    from indicators.data.releases import layouts, sheets

    parsed = layouts.parse(file.name, sheets.read_sheets(file))
    kaz = {(c.field, c.year): c.value for c in parsed.cells if c.iso3 == "KAZ"}
    assert kaz[("score", 2025)] == _values(data_dir, "cpi.yaml", "KAZ", "cpi_score")[2025]
    assert kaz[("rank", 2025)] == _values(data_dir, "cpi.yaml", "KAZ", "cpi_rank")[2025]
    assert parsed.counts[2025] == 182


def test_real_wgi_workbook_matches_the_data(capsys, data_dir):
    file = _needs(RELEASES / "wgi" / "wgidataset.xlsx")
    code, out, err = _import(capsys, file, data_dir)
    assert code == 0, err
    assert "0 change(s)" in out  # KAZ wgi_cc_percentile 2023 among them
    from indicators.data.releases import layouts, sheets

    parsed = layouts.parse(file.name, sheets.read_sheets(file))
    cell = next(
        c
        for c in parsed.cells
        if (c.iso3, c.year, c.series, c.field) == ("KAZ", 2023, "cc", "pctrank")
    )
    stored = _values(data_dir, "wgi.yaml", "KAZ", "wgi_cc_percentile")[2023]
    assert round(cell.value, 6) == stored


def test_real_wdi_files_match_the_data(capsys, data_dir):
    for name in (
        "API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2_260.csv",
        "API_KAZ_DS2_en_csv_v2_18751.csv",
        "API_TX.VAL.MANF.ZS.UN_DS2_en_csv_v2_7563.csv",
    ):
        code, out, err = _import(capsys, _needs(RELEASES / "wdi" / name), data_dir)
        assert code == 0, err
        assert "0 change(s)" in out, out


def test_a_new_release_gets_an_entry_and_the_changed_countries_cite_it(capsys, data_dir, tmp_path):
    text = (FIXTURES / "wdi_bulk.csv").read_text(encoding="utf-8")
    newer = _bad(tmp_path, "API_new.csv", text.replace("2026-04-08", "2026-06-01"))
    path = data_dir / "economy.yaml"
    before = path.read_text(encoding="utf-8")
    code, _out, err = _import(capsys, newer, data_dir, "--apply")
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    assert '  wdi-2026-06-01:\n    title: "WDI, last updated 2026-06-01"' in after
    # the release lacks most countries: only UZB (revised) cites it, the rest keep theirs
    assert "    release_by_country: {UZB: wdi-2026-06-01}\n" in after
    assert "    release: wdi-2026-04-08\n" in after
    assert len(_changed_lines(before, after)) == 8
    load_bundle(data_dir)


def test_an_older_release_is_flagged_and_not_applied(capsys, data_dir, tmp_path):
    text = (FIXTURES / "wdi_bulk.csv").read_text(encoding="utf-8")
    older = _bad(tmp_path, "API_old.csv", text.replace("2026-04-08", "2020-01-01"))
    before = _snapshot(data_dir)
    code, out, _ = _import(capsys, older, data_dir)
    assert code == 0 and "warning: this release (2020-01-01) is older" in out
    code, _, err = _import(capsys, older, data_dir, "--apply")
    assert code == 1 and "refused" in err
    assert _snapshot(data_dir) == before


def test_a_broken_workbook_is_an_unknown_layout(capsys, data_dir, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    code, _, err = _import(capsys, bad, data_dir)
    assert code == 2 and "broken.xlsx: unknown layout" in err


def test_new_years_go_back_in_order_first_or_last_with_their_standard_error(capsys, data_dir):
    path = data_dir / "wgi.yaml"
    original = path.read_text(encoding="utf-8")
    removed = [
        _drop_year(path, "KAZ", "wgi_cc_estimate", 2023),  # last year of the series
        _drop_year(path, "UZB", "wgi_cc_percentile", 2023),
    ]
    cpi = data_dir / "cpi.yaml"
    cpi_original = cpi.read_text(encoding="utf-8")
    first = _drop_year(cpi, "KAZ", "cpi_rank", 2025)
    code, _, err = _import(capsys, FIXTURES / "wgi_long.csv", data_dir, "--apply")
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    assert all(line in after for line in removed)
    # back to the original but for the synthetic revision and the release line
    assert len(_changed_lines(original, after)) == 3
    code, _out, err = _import(capsys, FIXTURES / "cpi_historical.csv", data_dir, "--apply")
    assert code == 0, err
    assert first in cpi.read_text(encoding="utf-8")
    assert len(_changed_lines(cpi_original, cpi.read_text(encoding="utf-8"))) == 3
    load_bundle(data_dir)


def test_a_year_before_a_countrys_first_goes_before_it(capsys, data_dir):
    path = data_dir / "economy.yaml"
    original = path.read_text(encoding="utf-8")
    doc, _ = yamlio.parse(original)
    first = min(doc["data"]["UZB"]["manufactures_exports_pct"])
    removed = _drop_year(path, "UZB", "manufactures_exports_pct", first)
    code, out, err = _import(capsys, FIXTURES / "databank.csv", data_dir, "--apply")
    assert code == 0, err
    assert f"UZB {first}:" in out
    after = path.read_text(encoding="utf-8")
    changed = _changed_lines(original, after)
    assert removed.rstrip("\n") not in changed and len(changed) == 1, changed
    load_bundle(data_dir)


# --- countries the data does not track ----------------------------------------------------------


def _grow(capsys, fixture, data_dir, *extra):
    from indicators.data.releases.__main__ import main as releases_main

    code = releases_main([str(fixture), "--data-dir", str(data_dir), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_countries_lists_them_in_the_dry_run_and_adds_them_in_the_files_layout(
    capsys, data_dir
):
    path = data_dir / "wgi.yaml"
    before = path.read_text(encoding="utf-8")
    snapshot = _snapshot(data_dir)
    code, out, _ = _grow(capsys, FIXTURES / "wgi_long.csv", data_dir, "--add-countries")
    assert code == 0 and _snapshot(data_dir) == snapshot
    assert "countries added to the file (1):\n  MSR Montserrat (synthetic) (2 values)" in out
    assert "added: 1 values of 1 countries new to it: MSR" in out
    code, out, err = _grow(
        capsys, FIXTURES / "wgi_long.csv", data_dir, "--add-countries", "--apply"
    )
    assert code == 0, err
    after = path.read_text(encoding="utf-8")
    kaz = _wgi_rows()[2].split(",")  # the MSR row is a copy of KAZ cc 2023
    block = (
        "  MSR:  # Montserrat (synthetic)\n"
        "    wgi_cc_percentile:\n"
        f"      2023: {kaz[8]}\n"
        "    wgi_cc_estimate:\n"
        f"      2023: {{value: {kaz[5]}, se: {kaz[6]}}}\n"
    )
    assert block in after
    # after the last country's block, before the coverage declaration, which now names MSR
    assert after.index(block) > after.index("  USA:  #")
    assert after.index(block) < after.index("\ncoverage:")
    # lines removed: the KAZ revision's old value, and the coverage's country lists reflowed
    removed = [line for line in _changed_lines(before, after) if line.startswith("-")]
    assert removed[0].startswith("-      2022: ")
    assert all(re.fullmatch(r"-      [A-Z]{3}(, [A-Z]{3})*[,\]]", line) for line in removed[1:])
    assert "MSR" in load_bundle(data_dir).frame["iso3"].unique()
    # the synthetic KAZ revision was applied too (--add-countries updates tracked countries)
    assert _values(data_dir, "wgi.yaml", "KAZ", "wgi_cc_percentile")[2022] == float(
        _wgi_rows()[1].split(",")[8]
    )
    assert main(["--data-dir", str(data_dir), "validate"]) == 0


def test_new_countries_only_leaves_the_tracked_countries_values(capsys, data_dir):
    kaz_before = _values(data_dir, "wgi.yaml", "KAZ", "wgi_cc_percentile")
    code, out, err = _grow(
        capsys, FIXTURES / "wgi_long.csv", data_dir, "--new-countries-only", "--apply"
    )
    assert code == 0, err
    assert "revised values (1):\n    KAZ 2022:" in out  # shown ...
    assert "the 1 change(s) of tracked countries above are shown, not applied" in out
    assert _values(data_dir, "wgi.yaml", "KAZ", "wgi_cc_percentile") == kaz_before  # ... kept
    assert 2023 in _values(data_dir, "wgi.yaml", "MSR", "wgi_cc_percentile")
    load_bundle(data_dir)


def test_add_countries_and_new_countries_only_exclude_each_other(capsys, data_dir):
    with pytest.raises(SystemExit):
        _grow(
            capsys, FIXTURES / "wgi_long.csv", data_dir, "--add-countries", "--new-countries-only"
        )


def test_publisher_codes_map_by_name_and_the_unmappable_are_listed(capsys, data_dir, tmp_path):
    rows = _wgi_rows()
    kaz = rows[2].split(",")

    def row(code, name):
        return ",".join([f"{code}cc2023", code, f'"{name}"', *kaz[3:]])

    text = "\n".join(
        [
            *rows[:-1],
            row("SHX", "St. Helena"),  # a publisher's own code: mapped to SHN by its name
            row("MEA", "Middle East, North Africa, Afghanistan & Pakistan"),  # two matches
            row("ARB", "Arab World"),  # an aggregate: no country of that name
            row("KZX", "Kazakhstan"),  # its match KAZ has rows of its own
        ]
    )
    release = _bad(tmp_path, "wgi_codes.csv", text + "\n")
    code, out, _ = _grow(capsys, release, data_dir, "--add-countries")
    assert code == 0
    assert "publisher codes mapped to the data's (1):\n  SHX (St. Helena) -> SHN" in out
    assert "ignored (3):" in out
    assert "  ARB (Arab World: no country of that name)" in out
    assert "  KZX (Kazakhstan: its match KAZ has its own rows)" in out
    assert re.search(r"  MEA \(Middle East, [^)]*: matches [A-Z]{3}, [A-Z]{3}", out)
    assert "SHN St. Helena (2 values)" in out
    code, _, err = _grow(capsys, release, data_dir, "--add-countries", "--apply")
    assert code == 0, err
    after = (data_dir / "wgi.yaml").read_text(encoding="utf-8")
    assert "  SHN:  # St. Helena\n" in after and "SHX" not in after
    assert not {"ARB", "MEA", "KZX"} & set(load_bundle(data_dir).frame["iso3"].unique())


def test_a_tracked_aggregate_is_kept_and_other_aggregates_are_ignored(capsys, data_dir, tmp_path):
    lines = (FIXTURES / "wdi_bulk.csv").read_text(encoding="utf-8-sig").splitlines()
    kaz = next(line for line in lines if '"KAZ"' in line)
    oed = kaz.replace('"Kazakhstan","KAZ"', '"OECD members","OED"')
    wld = kaz.replace('"Kazakhstan","KAZ"', '"World","WLD"')
    text = "\ufeff" + "\r\n".join([*lines, oed, wld]) + "\r\n"
    release = _bad(tmp_path, "API_agg.csv", text)
    code, out, _ = _grow(capsys, release, data_dir, "--add-countries")
    assert code == 0
    assert "  WLD (World: no country of that name)" in out and "OED (" not in out
    assert "\n    OED 1991: " in out  # compared as the aggregate the data tracks


def test_the_data_holds_every_country_of_the_release_files(capsys, data_dir):
    """data/ equals the publishers' files: importing them again adds and changes nothing, but
    for the all-country FDI (US$) file, older than the values it differs from (kept)."""
    files = {
        "cpi/CPI2025_Results.xlsx": 0,
        "wgi/wgidataset.xlsx": 0,
        "wdi/API_BX.KLT.DINV.WD.GD.ZS_DS2_en_csv_v2_13.csv": 0,
        "wdi/API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2_260.csv": 0,
        "wdi/API_TX.VAL.MANF.ZS.UN_DS2_en_csv_v2_7563.csv": 0,
        "wdi/API_BX.KLT.DINV.CD.WD_DS2_en_csv_v2_7.csv": 53,
    }
    for name, revised in files.items():
        code, out, err = _grow(capsys, _needs(RELEASES / name), data_dir, "--add-countries")
        assert code == 0, err
        assert "countries added to the file" not in out and "added:" not in out, name
        assert f"\n{revised} change(s) in" in out, (name, out[-2000:])
    # the older file's differences are all of countries that cite a newer release
    meta = yamlio.parse((data_dir / "economy.yaml").read_text(encoding="utf-8"))[0]["indicators"]
    newer = set(meta["fdi_net_inflows_usd"]["release_by_country"])
    revised = set(re.findall(r"^    ([A-Z]{3}) \d{4}: ", out, re.M))
    assert revised and revised <= newer
