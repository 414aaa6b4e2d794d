"""Every file in tests/broken/ is refused with a message naming its file, line and field.

Each file's first line says what is expected: `# expect: LINE FIELD :: TEXT`.
"""

import re
from pathlib import Path

import pytest

from indicators.cli import main
from indicators.data.loading import validate_files

BROKEN = sorted((Path(__file__).parent / "broken").glob("*.yaml"))
EXPECT = re.compile(r"# expect: (\d+) (\(top level\)|\S+) :: (.+)")


def expectation(path: Path):
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} lacks an '# expect:' first line"
    return int(match[1]), match[2], match[3].strip()


def test_broken_corpus_is_not_empty():
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_reports_located_message(path):
    line, field, text = expectation(path)
    errors = validate_files([path])
    assert errors, f"{path.name} was accepted"
    assert all(path.name in e.file for e in errors)
    located = [e for e in errors if e.line == line and e.field == field and text in e.message]
    assert located, "\n".join(str(e) for e in errors)


@pytest.mark.parametrize("path", BROKEN[:3], ids=lambda p: p.stem)
def test_validate_command_exits_nonzero_and_prints_location(path, capsys):
    line, field, _ = expectation(path)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path.name}:{line}: {field}:" in err
