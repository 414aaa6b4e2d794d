import math

import pytest
import yaml

from indicators.data import yamlio


def test_parse_matches_pyyaml_for_plain_documents():
    text = "a: 1\nb: -2.5\nc: [x, 'y', \"2020\"]\nd: {2020: 1.0e+3, e: null}\nf: true\n"
    value, problems = yamlio.parse(text)
    assert problems == []
    assert value == yaml.safe_load(text)


def test_quoted_numbers_stay_strings():
    value, _ = yamlio.parse("a: \"12\"\nb: '3.5'\n")
    assert value == {"a": "12", "b": "3.5"}


def test_norway_code_is_not_a_boolean():
    value, _ = yamlio.parse("country: NO\nother: no\n")
    assert value == {"country": "NO", "other": "no"}


def test_nan_and_inf_are_floats():
    value, _ = yamlio.parse("a: .nan\nb: -.inf\n")
    assert math.isnan(value["a"]) and value["b"] == float("-inf")


def test_duplicate_key_reports_line_and_path():
    _, problems = yamlio.parse("a:\n  b: 1\n  b: 2\n")
    assert problems == [yamlio.Problem(3, "a.b", "duplicate key 'b'")]


def test_tags_anchors_and_aliases_are_refused():
    text = "a: !!python/object/apply:os.system [ls]\nb: &x 1\nc: *x\n"
    _, problems = yamlio.parse(text)
    assert [p.line for p in problems] == [1, 2, 3]
    assert "not allowed" in problems[0].message


def test_unquoted_date_is_a_problem():
    _, problems = yamlio.parse("date: 2026-02-10\n")
    assert problems[0].line == 1
    assert '"2026-02-10"' in problems[0].message


def test_syntax_error_has_line():
    with pytest.raises(yamlio.YamlSyntaxError) as info:
        yamlio.parse("a: [1,\nb: 2\n")
    assert info.value.line == 3


def test_locate_finds_nested_keys_and_list_items():
    text = "a:\n  b:\n    - x\n    - y: 1\nc: 2\n"
    found = yamlio.locate(text, {("a", "b", 1, "y"), ("c",), ("a", "missing")})
    assert found == {("a", "b", 1, "y"): 4, ("c",): 5, ("a", "missing"): 1}
