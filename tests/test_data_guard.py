"""Data that goes missing is refused, never served: deleted files, files cut short, files that
lose values, symbolic links out of data/, and messages that would repeat a file's text.

The set of files is declared in `loading.MANIFEST`; every data file ends with its coverage
declaration (indicators/data/coverage.py). The cut test tries a file cut at every line (and, for
the small files, at every byte) and needs each cut refused with located errors, or equal in
meaning to the whole file.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.data import coverage, loading
from indicators.data.loading import (
    DATA_DIR,
    MANIFEST,
    DataErrors,
    check_content,
    known_codes,
    load_bundle,
    validate_files,
    write_coverage,
)
from indicators.data.yamlio import parse
from indicators.web.store import DataStore

FILES = sorted(p.name for p in DATA_DIR.glob("*.yaml"))
DATASETS = [r.file for r in MANIFEST if r.file not in ("countries.yaml", "events.yaml")]


@pytest.fixture
def data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def refused(data_dir) -> list[loading.DataError]:
    with pytest.raises(DataErrors) as info:
        load_bundle(data_dir)
    return info.value.errors


def indent(line: str) -> int:
    return len(line) - len(line.lstrip(" ")) if line.strip() else 99


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


# --- 1. the declared set of files ----------------------------------------------------------


def test_manifest_names_every_bundled_file_and_indicator(bundle):
    assert sorted(r.file for r in MANIFEST) == FILES
    needed = {i for r in MANIFEST for i in r.indicators}
    assert needed == set(bundle.catalog)


@pytest.mark.parametrize("name", [r.file for r in MANIFEST])
def test_deleting_a_data_file_is_an_error_never_a_valid_edit(data, name, capsys):
    (data / name).unlink()
    errors = refused(data)
    missing = [e for e in errors if e.file.endswith(name) and e.field == "(file)"]
    assert missing and "missing" in missing[0].message and missing[0].line is None
    assert main(["--data-dir", str(data), "validate"]) == 1
    assert f"{name}: (file): missing" in capsys.readouterr().err


def test_store_keeps_serving_when_a_file_is_deleted_and_reports_it(data):
    store = DataStore(data, check_interval=0)
    good = store.current()
    (data / "cpi.yaml").unlink()
    assert store.current() is good  # the callbacks keep their cpi_* indicators
    assert "cpi_score" in store.current().catalog
    assert [e.file for e in store.errors] == [loading.show_path(data / "cpi.yaml")]
    assert "missing" in store.errors[0].message
    shutil.copy(DATA_DIR / "cpi.yaml", data / "cpi.yaml")
    assert store.current() is not good and store.errors == []


def test_store_keeps_serving_when_the_loader_fails_unexpectedly(data, monkeypatch):
    store = DataStore(data, check_interval=0)
    good = store.current()

    def crash(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr("indicators.web.store.load_bundle", crash)
    (data / "cpi.yaml").write_bytes((DATA_DIR / "cpi.yaml").read_bytes() + b"# touched\n")
    assert store.current() is good
    (error,) = store.errors
    assert error.field == "(file)" and "KeyError" in error.message and "boom" not in str(error)


def test_an_indicator_the_charts_need_cannot_be_removed(data):
    cpi = data / "cpi.yaml"
    text = cpi.read_text(encoding="utf-8")
    renamed = text.replace("cpi_rank_legacy", "cpi_rank_old")  # metadata, data and coverage
    cpi.write_text(renamed, encoding="utf-8")
    errors = refused(data)
    assert [(e.field, e.message) for e in errors] == [
        ("indicators", "missing cpi_rank_legacy: the dashboard's charts need them; restore them")
    ]
    assert errors[0].line == text.splitlines().index("indicators:") + 1


def test_a_dataset_file_must_say_the_dataset_it_holds(data):
    path = data / "doing_business.yaml"
    path.write_text(
        path.read_text().replace("dataset: doing_business\n", "dataset: business\n"), "utf-8"
    )
    error, events = refused(data)  # and an event names doing_business
    assert error.field == "dataset" and error.line == 6
    assert events.field == "events.11.datasets.0"


# --- 2. coverage: values lost anywhere -------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.9, 0.6, 0.3])
def test_wgi_cut_at_a_fraction_of_its_lines_is_refused(data, fraction, capsys):
    path = data / "wgi.yaml"
    lines = lines_of(path)
    keep = int(len(lines) * fraction)
    path.write_text("".join(lines[:keep]), encoding="utf-8")
    (error,) = refused(data)
    assert error.file.endswith("wgi.yaml") and error.field == "coverage"
    assert error.line == keep and "cut short" in error.message
    assert main(["--data-dir", str(data), "validate"]) == 1
    assert main(["--data-dir", str(data), "validate", str(path)]) == 1
    assert f"wgi.yaml:{keep}: coverage: missing" in capsys.readouterr().err


def test_a_country_block_deleted_mid_file_is_refused_with_a_summary(data):
    path = data / "wgi.yaml"
    lines = lines_of(path)
    start = lines.index("  UZB:  # Uzbekistan\n")
    end = next(i for i in range(start + 1, len(lines)) if indent(lines[i]) < 4)
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    (error,) = refused(data)
    assert error.field == "data" and error.line == lines.index("data:\n") + 1
    assert error.message.startswith(
        "300 values missing against the declared coverage: UZB wgi_va_percentile, "
        "wgi_va_estimate, wgi_pv_percentile and 9 more 1996, 1998, 2000, 2002-2023; "
        "restore them"
    )
    assert len(error.message) < 400


def test_a_series_cut_short_is_located_at_its_series(data):
    path = data / "cpi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      2024: 40\n      2025: 38\n", "", 1), encoding="utf-8")
    (error,) = refused(data)
    assert error.line == text.splitlines().index("    cpi_score:") + 1  # KAZ's cpi_score
    assert error.message.startswith(
        "2 values missing against the declared coverage: KAZ cpi_score 2024, 2025;"
    )


def test_one_value_deleted_is_refused(data):
    path = data / "cpi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      2013: 26\n", "", 1), encoding="utf-8")
    (error,) = refused(data)
    assert error.message.startswith(
        "1 value missing against the declared coverage: KAZ cpi_score 2013;"
    )


def test_a_value_outside_the_declaration_is_refused_at_its_line(data):
    path = data / "cpi.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("      2025: 38\n", "      2025: 38\n      2026: 41\n", 1), "utf-8"
    )
    (error,) = refused(data)
    assert error.line == text.splitlines().index("      2025: 38") + 2
    assert error.message.startswith("1 value outside the declared coverage: KAZ cpi_score 2026;")


def test_a_cut_inside_the_declaration_is_one_error_at_its_start(data):
    path = data / "wgi.yaml"
    lines = lines_of(path)
    start = lines.index("coverage:\n")
    second = lines.index("  wgi_va_estimate: {same_as: wgi_va_percentile}\n", start)
    path.write_text("".join(lines[:second]), encoding="utf-8")  # after the first entry
    (error,) = refused(data)
    assert error.field == "coverage" and error.line == start + 1
    assert error.message.startswith(
        "no coverage declared for wgi_va_estimate, wgi_pv_percentile, wgi_pv_estimate, "
        "wgi_ge_percentile and 7 more: if the file was cut short, restore it"
    )


def test_coverage_must_be_the_last_entry(data):
    path = data / "events.yaml"
    text = path.read_text(encoding="utf-8")
    block = "coverage: {events: 15}\n"
    path.write_text(block + text.replace(block, ""), encoding="utf-8")
    (error,) = refused(data)
    assert error.field == "dataset" and "must be the last entry" in error.message


def test_an_event_lost_is_refused(data):
    path = data / "events.yaml"
    lines = lines_of(path)
    first = lines.index("events:\n") + 1
    path.write_text("".join(lines[:first] + lines[first + 6 :]), encoding="utf-8")
    (error,) = refused(data)
    assert error.field == "coverage.events"
    assert error.message.startswith("15 events declared, 14 found")


def test_inconsistent_declarations_are_located(tmp_path):
    text = (DATA_DIR / "wgi.yaml").read_text(encoding="utf-8")
    text = text.replace("{same_as: wgi_va_percentile}", "{same_as: wgi_xx}", 1)
    text = text.replace(
        "      ALL: [1997, 1999, 2001]\n", "      ALL: [1997, 1999, 2001]\n      MSR: [1990]\n"
    )
    path = tmp_path / "wgi.yaml"
    path.write_text(text, encoding="utf-8")
    errors = validate_files([path])
    fields = {e.field: e.message for e in errors}
    assert fields["coverage.wgi_va_estimate.same_as"] == "names no indicator declared in coverage"
    assert (
        fields["coverage.wgi_va_percentile.gaps.MSR"]
        == "gaps for a country that is not in countries"
    )
    assert "coverage.wgi_va_percentile.gaps.MSR.0" in fields  # 1990 is before 1996
    assert all(e.line for e in errors)


def test_write_coverage_regenerates_each_bundled_file_exactly(tmp_path):
    for name in FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    for name in FILES:
        summary = write_coverage(tmp_path / name)
        assert summary.startswith(f"{loading.show_path(tmp_path / name)}: coverage")
        assert "fewer" not in summary and "more than" not in summary
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_write_coverage_adds_a_missing_declaration_and_reports_a_loss(tmp_path):
    path = tmp_path / "cpi.yaml"
    text = (DATA_DIR / "cpi.yaml").read_text(encoding="utf-8")
    bare = coverage.replace_block(text, "").rstrip("\n") + "\n"
    assert "coverage" not in parse(bare)[0]
    path.write_text(bare, encoding="utf-8")
    assert validate_files([path])  # refused until declared
    write_coverage(path)
    assert path.read_text(encoding="utf-8") == text
    path.write_text(text.replace("      2013: 26\n", "", 1), encoding="utf-8")
    assert write_coverage(path).endswith("(1 fewer than the old declaration)")
    assert validate_files([path]) == []


def test_write_coverage_refuses_a_file_with_other_errors(tmp_path, capsys):
    path = tmp_path / "cpi.yaml"
    broken = (DATA_DIR / "cpi.yaml").read_text().replace("      2013: 26\n", "      2013: 260\n")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(DataErrors):
        write_coverage(path)
    assert path.read_text(encoding="utf-8") == broken
    assert main(["validate", "--write-coverage", str(path)]) == 1
    assert "not written" in capsys.readouterr().err


def test_coverage_check_stays_fast_at_world_scale():
    # 214 countries x 12 indicators x 28 years (~72,000 values), as wgi.yaml will hold
    rng = random.Random(1)
    codes = sorted(known_codes())[:214]
    indicators = [f"ind_{i}" for i in range(12)]
    data = {
        c: {
            i: {y: rng.random() for y in range(1996, 2024) if y not in (1997, 1999)}
            for i in indicators
        }
        for c in codes
    }
    specs = coverage.derive(data, indicators)
    from indicators.data.schema import DatasetCoverage

    declared = DatasetCoverage.model_validate({"coverage": _as_yaml_values(specs)}).coverage
    start = time.perf_counter()
    for _ in range(5):
        assert coverage.check_dataset(data, declared, indicators) == []
    per_check = (time.perf_counter() - start) / 5
    assert per_check < 0.05, per_check
    del data[codes[3]]["ind_5"][2010]
    ((_, message, _),) = coverage.check_dataset(data, declared, indicators)
    assert message.startswith(
        f"1 value missing against the declared coverage: {codes[3]} ind_5 2010"
    )


def _as_yaml_values(specs):
    return {k: dict(v) for k, v in specs.items()}


# --- 3. every cut of every file ---------------------------------------------------------------

SMALL = {"countries.yaml", "events.yaml", "doing_business.yaml"}
# Cuts of the big files cost a parse of everything before them, so the lines where cuts matter
# are all tried and the rest is sampled, evenly and always the same way. Per file: the even
# sample of the whole file, the country boundaries beyond the first ones (every boundary up to
# FIRST_BOUNDARIES is tried), and the lines of the coverage declaration beyond its first and
# last EDGE lines.
SAMPLED = {"cpi.yaml": 150, "economy.yaml": 30, "wgi.yaml": 12}
BOUNDARIES = {"cpi.yaml": 40, "economy.yaml": 12, "wgi.yaml": 6}
COVERAGE = {"cpi.yaml": 30, "economy.yaml": 10, "wgi.yaml": 6}
LAST_VALUES = 8  # lines before the coverage declaration, all tried
FIRST_BOUNDARIES = 15  # Kazakhstan, its regional peers and the first OECD members
EDGE = 6


def _even(items: list[int], count: int) -> set[int]:
    step = max(1, len(items) // max(count, 1))
    return set(items[::step])


def cuts_of(name: str, lines: list[str]) -> list[int]:
    """Numbers of lines kept. Small files: every line. Large files: every line of the header
    and of the first country's block, the first country boundaries and a sample of the others,
    the last lines of the data block (the last series' last values), the first and last lines
    of the coverage declaration and a sample of the rest of it, and an even sample of the whole
    file."""
    n = len(lines)
    if name in SMALL:
        return list(range(n + 1))
    data_at = lines.index("data:\n")
    countries = [i for i in range(data_at + 1, n) if lines[i][:2] == "  " and lines[i][2] != " "]
    coverage_at = lines.index("coverage:\n")
    last_series = max(
        i for i in range(data_at, coverage_at) if lines[i].startswith("    ") and lines[i][4] != " "
    )
    keep = set(range(0, countries[1] + 1))
    keep |= set(countries[:FIRST_BOUNDARIES]) | set(countries[-2:])
    keep |= _even(countries[FIRST_BOUNDARIES:], BOUNDARIES[name])
    last_values = max(last_series, coverage_at - LAST_VALUES)
    keep |= set(range(last_values, coverage_at + EDGE + 1)) | set(range(n - EDGE, n + 1))
    keep |= _even(list(range(coverage_at, n)), COVERAGE[name])
    keep |= _even(list(range(n)), SAMPLED[name])
    return sorted(keep)


def assert_refused_or_same(name: str, cut: bytes, whole, known, where: str):
    path = DATA_DIR / name
    value, errors = check_content(path, cut, known, loading._required_for(path, DATA_DIR))
    if not errors:
        assert value == whole, f"{name} {where}: accepted, but means something else"
        return 0
    last = cut.count(b"\n") + 1
    for e in errors:
        assert e.file.endswith(name) and e.field and e.message, f"{name} {where}: {e}"
        if e.field != "(file)":
            assert e.line is not None and 1 <= e.line <= last, f"{name} {where}: {e}"
    return 1


def test_every_cut_of_every_bundled_file_is_refused_or_the_same():
    known = known_codes(DATA_DIR)
    counts = {}
    start = time.perf_counter()
    for name in FILES:
        raw = (DATA_DIR / name).read_bytes()
        whole, problems = parse(raw.decode("utf-8"))
        assert not problems
        lines = raw.decode("utf-8").splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line.encode("utf-8")))
        tried = refused_count = 0
        for k in cuts_of(name, lines):
            refused_count += assert_refused_or_same(
                name, raw[: offsets[k]], whole, known, f"cut after line {k}"
            )
            tried += 1
        # byte cuts: all of the small files' bytes; the last line of the datasets
        if name in ("countries.yaml", "events.yaml"):
            byte_cuts = range(len(raw))
        elif name in ("cpi.yaml", "doing_business.yaml"):
            byte_cuts = range(offsets[-2], len(raw))
        else:  # a parse of the whole file each: every 11th byte
            byte_cuts = range(offsets[-2], len(raw), 11)
        for b in byte_cuts:
            refused_count += assert_refused_or_same(name, raw[:b], whole, known, f"cut at byte {b}")
            tried += 1
        counts[name] = (tried, refused_count)
    seconds = time.perf_counter() - start
    print(f"\ncuts tried (refused) per file: {counts}; {seconds:.1f} s")
    for name, (tried, refused_count) in counts.items():
        assert tried - refused_count <= 3, (name, tried, refused_count)  # only trailing lines


# --- 4. symbolic links and echoed content -------------------------------------------------------


def test_symlink_out_of_the_data_folder_is_refused_without_naming_its_target(data, tmp_path):
    outside = tmp_path / "elsewhere" / "secret.yaml"
    outside.parent.mkdir()
    shutil.copy(data / "cpi.yaml", outside)
    (data / "cpi.yaml").unlink()
    os.symlink(outside, data / "cpi.yaml")
    (error,) = refused(data)
    assert error.file.endswith("cpi.yaml") and error.field == "(file)" and error.line is None
    assert "symbolic link" in error.message and "outside the data folder" in error.message
    assert "elsewhere" not in str(error) and "secret" not in str(error)
    assert validate_files([data / "cpi.yaml"], data) == [error]


def test_symlink_to_etc_passwd_echoes_nothing(data):
    (data / "extra.yaml").symlink_to("/etc/passwd")
    (error,) = refused(data)
    assert error.file.endswith("extra.yaml") and "/etc" not in str(error)
    assert "x:0:0" not in str(error) and "passwd" not in error.message


def test_symlink_inside_the_data_folder_is_accepted(data):
    (data / "cpi.yaml").rename(data / "cpi-2025.yaml.orig")
    (data / "cpi.yaml").symlink_to("cpi-2025.yaml.orig")
    assert "cpi_score" in load_bundle(data).catalog


def test_a_fifo_named_like_a_data_file_is_refused_without_blocking(data):
    os.mkfifo(data / "pipe.yaml")
    (error,) = refused(data)
    assert error.field == "(file)" and error.message == "cannot read file: not a regular file"


SECRET = "s3cr3t<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "  producer: Transparency International\n",
            f"  producer: Transparency International\n  {SECRET}: 1\n",
        ),
        ("      2013: 26\n", f"      2013: {SECRET}\n"),
        ("      2013: 26\n", f"      2013: !{SECRET} 26\n"),
        ("      2013: 26\n", f'      "{SECRET}": 26\n'),
        ("  KAZ:  # Kazakhstan\n", f'  "{SECRET}":\n    cpi_score: {{2013: 1}}\n  KAZ:\n'),
        ("    cpi_score:\n      2012: 28\n", f'    "{SECRET}":\n      2012: 28\n'),
        ("    release: cpi-2025\n", f'    release: "{SECRET}"\n'),
        ("    release: cpi-2025\n", "    release: " + "a" * 5000 + "\n"),
        ("      2013: 26\n", f"      2013: 2013-01-01 {SECRET}\n"),
        ('date_accessed: "', f'date_accessed: {SECRET}\n  x: "'),
        ("  KAZ:  # Kazakhstan\n", f"  KAZ:  # Kazakhstan\n    {SECRET}: [1]\n"),
        ("title: Corruption Perceptions Index\n", f"title: [{SECRET}]\n"),
    ],
)
def test_messages_never_repeat_text_from_the_file(tmp_path, old, new):
    text = (DATA_DIR / "cpi.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "cpi.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = validate_files([path])
    assert errors
    for error in errors:
        shown = str(error)
        assert "s3cr3t" not in shown and "<script>" not in shown and "aaaaaaaa" not in shown, shown
        assert len(shown) < 600


def test_an_out_of_range_value_names_the_indicator_id_not_its_title(tmp_path):
    text = (DATA_DIR / "cpi.yaml").read_text(encoding="utf-8")
    text = text.replace('title: "CPI score', f'title: "{SECRET} CPI score', 1)
    path = tmp_path / "cpi.yaml"
    path.write_text(text.replace("      2013: 26\n", "      2013: 260\n", 1), encoding="utf-8")
    (error,) = validate_files([path])
    assert error.message == "value 260 is out of range for cpi_score; allowed 0 to 100"


def test_a_manifest_without_a_file_still_loads_the_rest(data):
    manifest = tuple(r for r in MANIFEST if r.file != "doing_business.yaml")
    (data / "doing_business.yaml").unlink()
    events = data / "events.yaml"  # an event names the dataset: drop that reference
    events.write_text(events.read_text().replace("    datasets: [doing_business]\n", ""), "utf-8")
    assert "db_rank" not in load_bundle(data, manifest).catalog
