"""Mutated copies of the bundled data files either load or are refused with located errors.

Every case must end in the bundle loading or in DataErrors whose every error reads
`file:line: field: message` (a line wherever one applies), never in another exception, within
one second and without much memory. The mutations live in reliability/mutations.py; the
property tests below draw their arguments with hypothesis, `run_cases` with random.Random.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.data import yamlio
from indicators.data.loading import DATA_DIR, MANIFEST, DataErrors, load_bundle, validate_files
from reliability import mutations as m

FILES = st.sampled_from(m.bundled_files())
DATASETS = st.sampled_from(["cpi.yaml", "doing_business.yaml", "economy.yaml", "wgi.yaml"])
INDEX = st.integers(min_value=0, max_value=2**31 - 1)
SMALL_PEAK = 32 * 2**20  # reading and validating the largest file (wgi.yaml) takes about 6 MiB
MiB = 2**20


def few(n: int):
    """Hypothesis settings for `n` examples: each example loads the whole bundle (~0.3 s)."""
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def scratch():
    with m.ScratchBundle() as bundle:
        yield bundle


def assert_loads_or_located(result: m.CaseResult) -> m.CaseResult:
    assert result.ok, f"{result.description}: {result.outcome}"  # time limit included
    assert result.peak_bytes < SMALL_PEAK, result.description
    return result


def messages(result: m.CaseResult, name: str) -> list[str]:
    return [f"{e.field}: {e.message}" for e in result.errors if e.file.endswith(name)]


def yaml_float(x: float) -> str:
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    return repr(x)


NUMBERS = st.one_of(
    st.sampled_from(m.EXTREME_NUMBERS),
    st.floats().map(yaml_float),
    st.integers(min_value=-(10**600), max_value=10**600).map(str),
)


# --- property tests ------------------------------------------------------------------------


@few(3)
@given(name=FILES, index=INDEX)
def test_deleting_any_key_loads_or_gives_located_errors(scratch, name, index):
    assert_loads_or_located(scratch.check_mutation(name, "delete_key", index=index))


@few(2)
@given(name=FILES, index=INDEX, replacement=st.sampled_from(m.TYPE_CHANGES))
def test_changing_a_value_type_loads_or_gives_located_errors(scratch, name, index, replacement):
    result = scratch.check_mutation(name, "change_type", index=index, replacement=replacement)
    assert_loads_or_located(result)


@few(4)
@given(name=DATASETS, index=INDEX, number=NUMBERS)
def test_huge_nan_inf_and_negative_numbers_load_or_give_located_errors(
    scratch, name, index, number
):
    result = scratch.check_mutation(name, "insert_number", index=index, number=number)
    assert_loads_or_located(result)


@few(2)
@given(name=DATASETS, index=INDEX)
def test_duplicated_year_is_refused_as_duplicate_key(scratch, name, index):
    result = assert_loads_or_located(scratch.check_mutation(name, "duplicate_year", index=index))
    assert any("duplicate key" in text for text in messages(result, name)), result.description


@few(4)
@given(name=FILES, index=INDEX, how=st.sampled_from(sorted(m.SYNTAX_BREAKS)))
def test_broken_syntax_loads_or_gives_located_errors(scratch, name, index, how):
    assert_loads_or_located(scratch.check_mutation(name, "break_syntax", index=index, how=how))


@few(2)
@given(name=FILES, index=INDEX, levels=st.integers(2, 12), width=st.integers(2, 12))
def test_alias_bomb_anywhere_is_refused_without_expanding(scratch, name, index, levels, width):
    result = scratch.check_mutation(name, "alias_bomb", index=index, levels=levels, width=width)
    assert_loads_or_located(result)
    assert any("aliases (*) are not allowed" in t for t in messages(result, name))


@few(2)
@given(
    name=FILES,
    index=INDEX,
    depth=st.sampled_from([yamlio.MAX_DEPTH, 1000, 100_000]),
    style=st.sampled_from(m.NESTING_STYLES),
)
def test_deep_nesting_is_refused_quickly(scratch, name, index, depth, style):
    result = scratch.check_mutation(name, "nesting_bomb", index=index, depth=depth, style=style)
    assert_loads_or_located(result)
    assert any("nested more than" in t for t in messages(result, name)), result.description


@few(2)
@given(name=FILES, index=INDEX, char=st.sampled_from(m.CONTROL_CHARACTERS))
def test_character_yaml_forbids_is_refused_with_its_line(scratch, name, index, char):
    text = scratch.originals[name].decode("utf-8")
    at = index % (len(text) + 1)
    result = scratch.check_mutation(name, "insert_control_character", index=index, char=char)
    assert_loads_or_located(result)
    (error,) = [e for e in result.errors if e.file.endswith(name)]
    assert error.field == "(syntax)" and "is not allowed" in error.message
    assert error.line == text.count("\n", 0, at) + 1


@few(2)
@given(name=FILES, index=INDEX, junk=st.sampled_from(m.INVALID_UTF8))
def test_non_utf8_bytes_are_refused_with_their_line(scratch, name, index, junk):
    data = scratch.originals[name]
    at = index % (len(data) + 1)
    result = scratch.check_mutation(name, "insert_invalid_bytes", index=index, junk=junk)
    assert_loads_or_located(result)
    (error,) = [e for e in result.errors if e.file.endswith(name)]
    assert error.field == "(file)" and "not UTF-8" in error.message
    assert error.line == data.count(b"\n", 0, at) + 1


@few(2)
@given(name=FILES, encoding=st.sampled_from(m.ENCODINGS))
def test_file_saved_in_another_encoding_loads_or_gives_located_errors(scratch, name, encoding):
    assert_loads_or_located(scratch.check_mutation(name, "reencode", encoding=encoding))


# --- explicit cases ------------------------------------------------------------------------


def test_billion_laughs_is_refused_without_expanding(scratch):
    # 10 levels of 10 aliases: 10**10 strings if a loader expanded them.
    result = scratch.check_mutation("cpi.yaml", "alias_bomb", index=0, levels=10, width=10)
    assert result.outcome == "located-error"
    texts = messages(result, "cpi.yaml")
    assert sum("aliases (*) are not allowed" in t for t in texts) == 90
    assert sum("anchors (&) are not allowed" in t for t in texts) == 10
    assert all(e.line is not None for e in result.errors)
    # the whole bundle loads in this case: its time is judged against the clean load's
    assert result.seconds < scratch.limit and result.peak_bytes < 2 * MiB


def test_non_utf8_byte_is_refused_with_file_line_and_bytes(scratch):
    data = scratch.originals["cpi.yaml"]
    at = data.index(b"      2013: 26\n")
    line = data.count(b"\n", 0, at) + 1
    result = scratch.check("cpi.yaml", data[:at] + b"\xff" + data[at:])
    assert result.outcome == "located-error"
    (error,) = result.errors
    assert str(error) == (
        f"{error.file}:{line}: (file): not UTF-8 text: invalid start byte (bytes ff); "
        "save the file as UTF-8"
    )


def test_50_mb_file_is_refused_by_the_size_limit_before_parsing(scratch):
    content = m.inflate(scratch.originals["wgi.yaml"], 50 * MiB)
    assert len(content) == 50 * MiB
    result = scratch.check("wgi.yaml", content)
    del content
    assert result.outcome == "located-error"
    (error,) = result.errors
    assert error.file.endswith("wgi.yaml") and error.field == "(file)"
    assert "file is 52.4 MB; the limit is 4 MiB" in error.message
    assert result.seconds < scratch.limit
    assert result.peak_bytes < MiB  # reading the file would take 50 MiB: it was never read


def test_50_mb_file_keeps_whole_bundle_load_under_100_mb(scratch):
    path = scratch.dir / "wgi.yaml"
    path.write_bytes(m.inflate(scratch.originals["wgi.yaml"], 50 * MiB))
    try:
        tracemalloc.start()
        with pytest.raises(DataErrors, match="the limit is"):
            load_bundle(scratch.dir)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        path.write_bytes(scratch.originals["wgi.yaml"])
    assert peak < 100 * MiB


def test_run_cases_reports_zero_failures():
    summary = m.run_cases(20, seed=1)
    # failures include a case over the time limit (the clean bundle's load x MAX_LOAD_RATIO)
    assert summary.failures == (), "\n".join(summary.failures)
    assert summary.cases == 20 and summary.loaded + summary.located_errors == 20
    assert set(summary.per_kind) == set(m.KINDS)  # the first cases cover every kind
    assert summary.max_peak_bytes < m.MAX_PEAK_BYTES


def test_check_case_reports_a_crash_as_failure(scratch, monkeypatch):
    def boom(text):
        raise KeyError("x")

    monkeypatch.setattr(yamlio, "parse", boom)
    result = scratch.check("events.yaml", scratch.originals["events.yaml"])
    assert result.outcome.startswith("FAILURE: KeyError") and not result.ok


# --- regressions: examples the mutations found, now refused with located errors -------------


@functools.cache
def clean_validation_limit(name: str) -> float:
    """CPU seconds a mutated data/<name> may take to validate: as the harness, MAX_SECONDS or
    MAX_LOAD_RATIO times the unmutated file's own validation in this run, whichever is more."""
    start = time.process_time()
    validate_files([DATA_DIR / name])
    return max(m.MAX_SECONDS, m.MAX_LOAD_RATIO * (time.process_time() - start))


def refused(tmp_path, name: str, old: str, new: str):
    """validate_files on a copy of data/<name> with `old` replaced by `new` (once)."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    limit = clean_validation_limit(name)
    start = time.process_time()  # CPU time, as the mutation harness: others share the CPU
    errors = validate_files([path])
    assert time.process_time() - start < limit
    assert errors
    return errors


REGRESSIONS = [  # (file, old text, new text, line of the error after old's, field, message)
    # ValueError: int() of a plain integer over 4,300 digits
    (
        "cpi.yaml",
        "      2013: 26\n",
        "      2013: " + "9" * 5000 + "\n",
        0,
        "data.KAZ.cpi_score.2013",
        "value inf is out of range for cpi_score; allowed 0 to 100",
    ),
    # OverflowError: math.isnan(10**400)
    (
        "cpi.yaml",
        "      2013: 26\n",
        f"      2013: {10**400}\n",
        0,
        "data.KAZ.cpi_score.2013",
        "value 1.00e+400 is out of range for cpi_score; allowed 0 to 100",
    ),
    # OverflowError: math.isnan(se) for se = 10**400
    (
        "wgi.yaml",
        "se: 0.236477}",
        f"se: {10**400}}}",
        0,
        "data.KAZ.wgi_va_estimate.1996.se",
        "standard error must be a finite number >= 0, got 1000000000000000",
    ),
    # loaded: an infinite standard error
    (
        "wgi.yaml",
        "se: 0.236477}",
        "se: .inf}",
        0,
        "data.KAZ.wgi_va_estimate.1996.se",
        "standard error must be a finite number >= 0, got inf",
    ),
    # loaded: an infinite valid_range (and then any huge value passed the range check)
    (
        "cpi.yaml",
        "valid_range: [0, 100]",
        "valid_range: [0, .inf]",
        0,
        "indicators.cpi_score.valid_range.1",
        "Input should be a finite number (got inf)",
    ),
    # 20 s in libyaml, then RecursionError in repr(): a value nested 100,000 lists deep
    (
        "cpi.yaml",
        "      2013: 26\n",
        "      2013: " + "[" * 100_000 + "]" * 100_000 + "\n",
        0,
        "(syntax)",
        "mappings and lists nested more than 32 levels deep are not allowed",
    ),
    # no line: a NUL character ("position 54802" in the message instead)
    (
        "cpi.yaml",
        "      2013: 26\n",
        "      2013: 2\x006\n",
        0,
        "(syntax)",
        "YAML error: character 0x0000 is not allowed: control characters are not allowed",
    ),
    # loaded: an anchor on a mapping (only anchors on scalars were refused)
    ("cpi.yaml", "origin:\n", "origin: &o\n", 0, "origin", "anchors (&) are not allowed"),
    # loaded: a second YAML document (the last one silently won)
    (
        "cpi.yaml",
        "data:\n",
        "data: {}\n---\ndata:\n",
        1,
        "(top level)",
        "only one YAML document is allowed per file",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "after", "field", "text"),
    REGRESSIONS,
    ids=[
        "5000-digit-integer",
        "integer-beyond-float",
        "std-error-beyond-float",
        "infinite-std-error",
        "infinite-valid-range",
        "nesting-100000-deep",
        "nul-character",
        "anchor-on-mapping",
        "second-document",
    ],
)
def test_regression_mutation_is_refused_with_line_and_field(
    tmp_path, name, old, new, after, field, text
):
    original = (DATA_DIR / name).read_text(encoding="utf-8")
    line = original[: original.index(old)].count("\n") + 1 + after
    errors = refused(tmp_path, name, old, new)
    assert any(e.line == line and e.field == field and text in e.message for e in errors), (
        "\n".join(str(e) for e in errors)
    )


def test_regression_indicator_defined_in_two_files_has_a_line(scratch):
    path = scratch.dir / "wgi.yaml"
    text = scratch.originals["wgi.yaml"].decode("utf-8")
    path.write_text(text.replace("wgi_va_percentile", "cpi_score"), encoding="utf-8")
    # a manifest that does not need the renamed indicator, so that wgi.yaml is valid on its own
    manifest = tuple(
        dataclasses.replace(r, indicators=tuple(i for i in r.indicators if "_va_p" not in i))
        for r in MANIFEST
    )
    try:
        with pytest.raises(DataErrors) as info:
            load_bundle(scratch.dir, manifest)
    finally:
        path.write_bytes(scratch.originals["wgi.yaml"])
    (twice,) = info.value.errors  # the line used to be missing
    line = text[: text.index("\n  wgi_va_percentile:")].count("\n") + 2
    assert twice.file.endswith("wgi.yaml") and twice.line == line
    assert twice.field == "indicators.cpi_score" and "already defined in" in twice.message


def test_regression_missing_edition_prefix_is_reported_once(tmp_path):
    errors = refused(tmp_path, "doing_business.yaml", "edition_prefix: DB\n", "")
    assert [str(e).split(": ", 1)[1] for e in errors] == [
        "edition_prefix: required when time_unit is edition"
    ]
    assert errors[0].line == 1


def test_regression_directory_named_like_a_data_file_is_reported(tmp_path):
    (tmp_path / "cpi.yaml").mkdir()
    (error,) = validate_files([tmp_path / "cpi.yaml"])
    assert error.field == "(file)" and error.message.startswith("cannot read file:")
