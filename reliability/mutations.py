"""Mutations of the bundled data files, and checks that every mutated file is refused cleanly.

Each mutation is a pure function: it takes the text (or bytes) of a valid data file and returns a
broken version; integer `index` arguments pick the place to break, modulo the number of
candidate places, so any integer works. `check_case` loads a data directory in which one file
was mutated, through the project's own loader, and says whether the bundle loaded or was refused
with located errors (each `file:line: field: message`), how long that took and how much memory
reading the mutated file needed. `run_cases` tries random mutations over the bundled files
(seeded, reproducible) and sums the results up for a report.
"""

from __future__ import annotations

import dataclasses
import random
import re
import tempfile
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indicators.data import yamlio
from indicators.data.loading import DATA_DIR, DataError, DataErrors, load_bundle, validate_files

MAX_SECONDS = 1.0  # per case, for loading the whole bundle, at least
# ...or this many times the unmutated bundle's own load in the same run: the bundle grew (the
# whole world's data loads in about 0.8 s of CPU here), and a mutation is judged against it
MAX_LOAD_RATIO = 3.0
MAX_PEAK_BYTES = 100 * 1024 * 1024  # per case, for reading and validating the mutated file
HUGE_SIZE = 50 * 1024 * 1024

# --- places to break -----------------------------------------------------------------------

_KEY = r"[^\s#:\-\[\]{},\"'!&*?|>%@`][^\s:#]*"  # the bundled files' keys have no spaces
_KEY_LINE = re.compile(rf"(?P<indent> *)(?P<dash>- )?(?P<key>{_KEY}):(?= |$)")
_VALUE_LINE = re.compile(
    rf"(?P<head> *(?:- )?{_KEY}: +)(?P<value>[^\s#>|][^\n]*?)(?P<tail> +#[^\n]*)?"
)
_NUMBER = re.compile(r"(?<![\w.+\-\"'])-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?(?![\w.\-/\"'])")
_YEAR_LINE = re.compile(r" +(?:- )?(?:1[89]|2[01])[0-9]{2}:(?= |$)")
_FLOW_YEAR = re.compile(r"(?:(?<=\{)|(?<=, ))(?:1[89]|2[01])[0-9]{2}: [^,}\n]+")


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _pick(sites: list, index: int):
    if not sites:
        raise ValueError("this file has no place for this mutation")
    return sites[index % len(sites)]


_BLOCK_SCALAR = re.compile(r".*(?:^|[ :-])[|>][-+]?[0-9]?[ ]*(?:#.*)?\n?\Z")


def _structural(lines: list[str]) -> list[int]:
    """Indexes of the lines that are not the text of a block scalar (`key: >-` ...)."""
    found = []
    inside = None  # indentation of the line that opened a block scalar
    for i, line in enumerate(lines):
        if inside is not None:
            if not line.strip() or _indent(line) > inside:
                continue
            inside = None
        found.append(i)
        if _BLOCK_SCALAR.match(line):
            inside = _indent(line)
    return found


def _key_lines(lines: list[str]) -> list[int]:
    return [i for i in _structural(lines) if _KEY_LINE.match(lines[i])]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _replace_value(text: str, index: int, new: str) -> str:
    lines = _lines(text)
    sites = [
        (i, m) for i in _structural(lines) if (m := _VALUE_LINE.fullmatch(lines[i].rstrip("\n")))
    ]
    i, match = _pick(sites, index)
    lines[i] = match["head"] + new + (match["tail"] or "") + "\n"
    return "".join(lines)


# --- mutations -----------------------------------------------------------------------------


def delete_key(text: str, index: int) -> str:
    """Delete one `key:` line together with the block indented under it."""
    lines = _lines(text)
    i = _pick(_key_lines(lines), index)
    match = _KEY_LINE.match(lines[i])
    column = len(match["indent"]) + (2 if match["dash"] else 0)
    end = i + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > column):
        end += 1
    return "".join(lines[:i] + lines[end:])


TYPE_CHANGES = (
    '"a string"',
    "''",
    "plain words",
    "12",
    "-3.5",
    "0",
    "true",
    "false",
    "null",
    "~",
    "[]",
    "[1, 2]",
    "{}",
    "{a: 1}",
    "[[1, [2, [3]]]]",
    '"2012"',
    '"2020-13-45"',
    "2012-01-01",
    "NO",
    "1_000",
    "0x1F",
    ".5",
    "+12",
    "1e3",
    "!!str 12",
)


def change_type(text: str, index: int, replacement: str) -> str:
    """Replace one scalar value (`key: value`) with a value of another type, e.g. a list."""
    return _replace_value(text, index, replacement)


EXTREME_NUMBERS = (
    "1e308",
    "-1e308",
    "1.7976931348623157e308",
    "1e309",
    "-1e309",
    str(10**400),
    "-" + str(10**400),
    "9" * 5000,
    ".nan",
    ".NaN",
    ".inf",
    "+.inf",
    "-.inf",
    "-1",
    "-0",
    "-0.0",
    "0",
    "1e-400",
    "5e-324",
    "32768",
    "-32769",
    "9223372036854775808",
    "1899",
    "2101",
)


def _in_yaml(text: str, at: int) -> bool:
    """False when offset `at` is inside a comment or, roughly, a double-quoted string."""
    prefix = text[text.rfind("\n", 0, at) + 1 : at]
    return "#" not in prefix and prefix.count('"') % 2 == 0


def insert_number(text: str, index: int, number: str) -> str:
    """Replace one number anywhere (a value, a year key, a valid_range bound) with `number`.

    In a file without numbers, one scalar value is replaced instead.
    """
    sites = [m for m in _NUMBER.finditer(text) if _in_yaml(text, m.start())]
    if not sites:
        return _replace_value(text, index, number)
    match = _pick(sites, index)
    return text[: match.start()] + number + text[match.end() :]


def duplicate_year(text: str, index: int) -> str:
    """Repeat one year (`YEAR: value` line or `{YEAR: n}` entry); any `key:` line if no years."""
    lines = _lines(text)
    sites = [("line", i) for i, line in enumerate(lines) if _YEAR_LINE.match(line)]
    sites += [("flow", m) for m in _FLOW_YEAR.finditer(text)]
    if not sites:
        sites = [("line", i) for i in _key_lines(lines)]
    kind, where = _pick(sites, index)
    if kind == "flow":
        return text[: where.end()] + ", " + where[0] + text[where.end() :]
    return "".join([*lines[: where + 1], lines[where], *lines[where + 1 :]])


def _after_colon(line: str, insert: str) -> str:
    body = line.rstrip("\n")
    head, sep, rest = body.partition(": ")
    if not sep:
        return body + insert + "\n"
    return head + sep + insert + rest + "\n"


SYNTAX_BREAKS: dict[str, Callable[[str], str]] = {
    "open_bracket": lambda line: _after_colon(line, "["),
    "open_brace": lambda line: _after_colon(line, "{"),
    "stray_closer": lambda line: _after_colon(line, "] "),
    "unclosed_quote": lambda line: _after_colon(line, '"'),
    "bad_escape": lambda line: _after_colon(line, '"\\q" '),
    "reserved_character": lambda line: _after_colon(line, "@"),
    "tab_indent": lambda line: "\t" + line.lstrip(" "),
    "indent_more": lambda line: " " + line,
    "indent_less": lambda line: line[1:] if line.startswith(" ") else line,
    "drop_colon": lambda line: line.replace(":", "", 1),
    "second_document": lambda line: "---\n" + line,
    "directive": lambda line: "%YAML 1.1\n" + line,
    "complex_key": lambda line: " " * _indent(line) + "? [a, b]\n: x\n" + line,
    "merge_key": lambda line: " " * _indent(line) + "<<: *nowhere\n" + line,
    "flow_garbage": lambda line: " " * _indent(line) + "{ : : }, [\n" + line,
    "truncate": lambda line: line[: len(line) // 2],
}


def break_syntax(text: str, index: int, how: str) -> str:
    """Break YAML syntax on one line in one of the ways of `SYNTAX_BREAKS` (truncate: cut there)."""
    lines = _lines(text)
    i = _pick([i for i, line in enumerate(lines) if line.strip()], index)
    new = SYNTAX_BREAKS[how](lines[i])
    if how == "truncate":
        return "".join(lines[:i]) + new
    return "".join([*lines[:i], new, *lines[i + 1 :]])


def alias_bomb(text: str, index: int = 0, levels: int = 10, width: int = 10) -> str:
    """Insert a "billion laughs" block (width**levels strings if expanded) before one key."""
    lines = _lines(text)
    i = _pick(_key_lines(lines), index)
    match = _KEY_LINE.match(lines[i])
    pad = " " * (len(match["indent"]) + (2 if match["dash"] else 0))
    bomb = [pad + "lol0: &lol0 [" + ", ".join(['"lol"'] * width) + "]\n"]
    for level in range(1, levels):
        refs = ", ".join([f"*lol{level - 1}"] * width)
        bomb.append(f"{pad}lol{level}: &lol{level} [{refs}]\n")
    if match["dash"]:  # keep the list item: the bomb goes after its first key and its block
        column = len(pad)
        i += 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > column):
            i += 1
    return "".join(lines[:i] + bomb + lines[i:])


NESTING_STYLES = ("flow-list", "flow-map", "block-list")


def nesting_bomb(text: str, index: int, depth: int, style: str = "flow-list") -> str:
    """Replace one value with lists or mappings nested `depth` levels deep."""
    if style == "flow-list":
        nested = "[" * depth + "1" + "]" * depth
    elif style == "flow-map":
        nested = "{a: " * depth + "1" + "}" * depth
    else:
        nested = "- " * depth + "1"
    if style == "block-list":  # replaces the block under a `key:` line
        lines = _lines(text)
        i = _pick([i for i in _key_lines(lines) if lines[i].rstrip().endswith(":")], index)
        column = _indent(lines[i])
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > column):
            end += 1
        pad = " " * (column + 2)
        return "".join([*lines[: i + 1], pad + nested + "\n", *lines[end:]])
    return _replace_value(text, index, nested)


CONTROL_CHARACTERS = (
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x80",
    "\x9f",
    "\ufffe",
    "\uffff",
)


def insert_control_character(text: str, index: int, char: str) -> str:
    """Insert a character that is valid UTF-8 but not allowed in YAML (NUL, BEL, ...)."""
    at = index % (len(text) + 1)
    return text[:at] + char + text[at:]


INVALID_UTF8 = (
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xe9",
    b"\xc0\xaf",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
)


def insert_invalid_bytes(data: bytes, index: int, junk: bytes) -> bytes:
    """Insert bytes that are not UTF-8 at any byte offset (possibly inside a character)."""
    at = index % (len(data) + 1)
    return data[:at] + junk + data[at:]


ENCODINGS = ("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252", "utf-8-sig")


def reencode(text: str, encoding: str) -> bytes:
    """Save the file in another encoding (UTF-16, Latin-1, ...), as some editors do."""
    return text.encode(encoding, errors="replace")


def inflate(data: bytes, size: int = HUGE_SIZE) -> bytes:
    """Pad a valid file with comment lines up to `size` bytes (valid YAML, but too large)."""
    filler = b"# " + b"padding " * 12 + b"\n"
    missing = max(0, size - len(data))
    count, rest = divmod(missing, len(filler))
    return data + filler * count + b"#" * max(0, rest - 1) + (b"\n" if rest else b"")


# --- the registry of mutations, with random arguments ---------------------------------------


def _index(rng: random.Random) -> int:
    return rng.randrange(1 << 31)


@dataclass(frozen=True)
class Kind:
    """A mutation function, how to draw its arguments, and how often `run_cases` picks it."""

    function: Callable
    draw: Callable[[random.Random], dict]
    weight: float = 1.0
    binary: bool = False  # takes and returns bytes rather than text


KINDS: dict[str, Kind] = {
    "delete_key": Kind(delete_key, lambda r: {"index": _index(r)}),
    "change_type": Kind(
        change_type, lambda r: {"index": _index(r), "replacement": r.choice(TYPE_CHANGES)}
    ),
    "insert_number": Kind(
        insert_number, lambda r: {"index": _index(r), "number": r.choice(EXTREME_NUMBERS)}, 2.0
    ),
    "duplicate_year": Kind(duplicate_year, lambda r: {"index": _index(r)}),
    "break_syntax": Kind(
        break_syntax, lambda r: {"index": _index(r), "how": r.choice(sorted(SYNTAX_BREAKS))}, 2.0
    ),
    "alias_bomb": Kind(
        alias_bomb,
        lambda r: {"index": _index(r), "levels": r.randint(2, 12), "width": r.randint(2, 12)},
    ),
    "nesting_bomb": Kind(
        nesting_bomb,
        lambda r: {
            "index": _index(r),
            "depth": r.choice((yamlio.MAX_DEPTH, 1000, 100_000)),
            "style": r.choice(NESTING_STYLES),
        },
    ),
    "insert_control_character": Kind(
        insert_control_character,
        lambda r: {"index": _index(r), "char": r.choice(CONTROL_CHARACTERS)},
    ),
    "insert_invalid_bytes": Kind(
        insert_invalid_bytes,
        lambda r: {"index": _index(r), "junk": r.choice(INVALID_UTF8)},
        binary=True,
    ),
    "reencode": Kind(reencode, lambda r: {"encoding": r.choice(ENCODINGS)}, 0.5),
    "inflate": Kind(
        inflate, lambda r: {"size": r.choice((HUGE_SIZE, yamlio.MAX_BYTES + 1))}, 0.25, True
    ),
}


def mutate(kind: str, data: bytes, **arguments) -> bytes:
    """Apply mutation `kind` (a key of `KINDS`) to the bytes of a file; returns bytes."""
    spec = KINDS[kind]
    result = spec.function(data if spec.binary else data.decode("utf-8"), **arguments)
    return result if isinstance(result, bytes) else result.encode("utf-8")


def describe(kind: str, arguments: dict) -> str:
    shown = ", ".join(f"{k}={_short(v)}" for k, v in arguments.items())
    return f"{kind}({shown})"


def _short(value) -> str:
    text = repr(value) if not isinstance(value, str) or len(value) <= 40 else None
    if text is None or len(text) > 40:
        raw = value if isinstance(value, str) else repr(value)
        text = f"{raw[:12]!r}...({len(raw)} chars)"
    return text


# --- checking one case ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    """What loading a bundle with one mutated file gave.

    outcome: "loaded", "located-error" or "FAILURE: <why>". seconds: CPU time of `load_bundle`
    without tracing (wall time, in wall_seconds, depends on whoever else uses the CPU).
    peak_bytes: tracemalloc peak while `validate_files` read and checked the mutated file
    (tracing the whole bundle would make every case four times slower).
    """

    file: str
    outcome: str
    seconds: float
    peak_bytes: int
    errors: tuple[DataError, ...] = ()
    description: str = ""
    wall_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.outcome.startswith("FAILURE")


def _crash(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
    text = str(exc)
    if len(text) > 200:
        text = text[:197] + "..."
    return f"FAILURE: {type(exc).__name__} at {where}: {text}"


def _load(data_dir: Path) -> tuple[float, float, str | None, list[DataError]]:
    """(CPU seconds, wall seconds, crash description or None, errors) of one `load_bundle`."""
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        load_bundle(data_dir)
        crash, errors = None, []
    except DataErrors as exc:
        crash, errors = None, list(exc.errors)
    except Exception as exc:
        crash, errors = _crash(exc), []
    return time.process_time() - cpu, time.perf_counter() - wall, crash, errors


def _traced_validate(path: Path, data_dir: Path) -> tuple[int, str | None, list[DataError]]:
    """(tracemalloc peak bytes, crash or None, errors) of validating one file."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    try:
        errors, crash = validate_files([path], data_dir), None
    except Exception as exc:
        errors, crash = [], _crash(exc)
    finally:
        peak = tracemalloc.get_traced_memory()[1] - base
        if started:
            tracemalloc.stop()
    return max(peak, 0), crash, errors


def _line_counts(data_dir: Path) -> dict[str, int]:
    counts = {}
    for path in data_dir.glob("*.yaml"):
        if path.is_file() and path.stat().st_size <= yamlio.MAX_BYTES:
            counts[path.name] = path.read_bytes().count(b"\n") + 1
    return counts


def unlocated(errors, data_dir: Path) -> list[str]:
    """Why each error that is not a proper located error is not (empty when all are)."""
    data_dir = Path(data_dir).resolve()
    counts = _line_counts(data_dir)
    problems = []
    for error in errors:
        if not isinstance(error, DataError):
            problems.append(f"not a DataError: {error!r}")
            continue
        path = Path(error.file)
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.resolve().parent != data_dir or path.suffix != ".yaml":
            problems.append(f"names no file of the bundle: {error}")
            continue
        if not isinstance(error.field, str) or not error.field:
            problems.append(f"no field: {error}")
        if not isinstance(error.message, str) or not error.message:
            problems.append(f"no message: {error}")
        if error.line is None:
            if error.field != "(file)":
                problems.append(f"no line: {error}")
        elif not isinstance(error.line, int) or not 1 <= error.line <= counts.get(path.name, 0):
            problems.append(f"line outside the file: {error}")
        where = f"{error.file}:{error.line}" if error.line else error.file
        if str(error) != f"{where}: {error.field}: {error.message}":
            problems.append(f"not in file:line: field: message form: {error}")
    return problems


def check_case(
    data_dir: Path,
    name: str,
    *,
    max_seconds: float = MAX_SECONDS,
    max_peak_bytes: int = MAX_PEAK_BYTES,
) -> CaseResult:
    """Load `data_dir` (all six files, `name` mutated) and judge the outcome.

    A case passes when the bundle loads, or when `load_bundle` raises DataErrors whose every
    error names a bundle file, a field and (except whole-file errors) a line inside that file,
    at least one of them in the mutated file unless that file is valid on its own (then the
    errors are where other files use it, e.g. an aggregate deleted from countries.yaml is
    reported where economy.yaml uses it). Any other exception, more than `max_seconds` of CPU
    time (twice: a slow case is retried once) or more than `max_peak_bytes` is a FAILURE.
    """
    data_dir = Path(data_dir)
    path = data_dir / name
    seconds, wall, crash, errors = _load(data_dir)
    if not crash and seconds > max_seconds:
        again = _load(data_dir)
        seconds, wall = min(seconds, again[0]), min(wall, again[1])
    peak, own_crash, own_errors = _traced_validate(path, data_dir)
    outcome = crash or own_crash
    if outcome is None:
        if seconds > max_seconds:
            outcome = f"FAILURE: took {seconds:.2f} s (limit {max_seconds} s)"
        elif peak > max_peak_bytes:
            outcome = f"FAILURE: peak memory {peak / 2**20:.1f} MiB (limit {max_peak_bytes >> 20})"
        elif not errors:
            outcome = "loaded"
            if own_errors:
                outcome = f"FAILURE: bundle loaded but validate_files says: {own_errors[0]}"
        elif bad := unlocated(errors, data_dir):
            outcome = f"FAILURE: {len(bad)} of {len(errors)} errors not located, e.g. {bad[0]}"
        elif own_errors and not any(Path(e.file).name == name for e in errors):
            outcome = f"FAILURE: no error names {name}; validate_files says: {own_errors[0]}"
        else:
            outcome = "located-error"
    return CaseResult(name, outcome, seconds, peak, tuple(errors), wall_seconds=wall)


class ScratchBundle:
    """A temporary copy of the bundled data files in which `check` swaps in one mutated file.

    Use as a context manager; data/ itself is never written.
    """

    def __init__(self, source: Path = DATA_DIR):
        self.source = Path(source)
        self.originals = {p.name: p.read_bytes() for p in sorted(self.source.glob("*.yaml"))}
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.dir = Path()
        self.limit = MAX_SECONDS  # CPU seconds a case may take (set from the clean load)

    def __enter__(self) -> ScratchBundle:
        self._tmp = tempfile.TemporaryDirectory(prefix="data-mutations-")
        self.dir = Path(self._tmp.name)
        for name, data in self.originals.items():
            (self.dir / name).write_bytes(data)
        clean = min(_load(self.dir)[0] for _ in range(2))
        self.limit = max(MAX_SECONDS, MAX_LOAD_RATIO * clean)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    @property
    def names(self) -> list[str]:
        return list(self.originals)

    def check(self, name: str, content: bytes | str, description: str = "", **limits):
        """check_case with `name` replaced by `content`; the original is put back afterwards."""
        path = self.dir / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        limits.setdefault("max_seconds", self.limit)
        try:
            result = check_case(self.dir, name, **limits)
        finally:
            path.write_bytes(self.originals[name])
        return dataclasses.replace(result, description=description)

    def check_mutation(self, name: str, kind: str, **arguments) -> CaseResult:
        content = mutate(kind, self.originals[name], **arguments)
        return self.check(name, content, f"{name}: {describe(kind, arguments)}")


def bundled_files(source: Path = DATA_DIR) -> list[str]:
    return sorted(p.name for p in Path(source).glob("*.yaml"))


# --- many cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Counts over `run_cases`; failures describe each failing case (file, mutation, why)."""

    cases: int
    loaded: int
    located_errors: int
    failures: tuple[str, ...]
    max_seconds: float  # CPU time of the slowest case
    max_peak_bytes: int
    slowest: str = ""
    per_kind: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"{self.cases} cases: {self.loaded} loaded, {self.located_errors} located errors, "
            f"{len(self.failures)} failures",
            f"max {self.max_seconds:.3f} s CPU per case ({self.slowest}), "
            f"max peak memory {self.max_peak_bytes / 2**20:.1f} MiB",
        ]
        lines += [f"  {f}" for f in self.failures]
        return "\n".join(lines)


def run_cases(n: int, seed: int, source: Path = DATA_DIR) -> Summary:
    """Try `n` random mutations of the files in `source` (seeded: the same seed, the same cases).

    The first cases cover every kind of mutation once; the rest are drawn by weight.
    """
    rng = random.Random(seed)
    kinds = sorted(KINDS)
    order = rng.sample(kinds, len(kinds))
    weights = [KINDS[k].weight for k in kinds]
    loaded = located = 0
    failures: list[str] = []
    max_seconds, max_peak, slowest = 0.0, 0, ""
    per_kind: dict[str, int] = {}
    with ScratchBundle(source) as scratch:
        limit = scratch.limit
        for case in range(n):
            kind = order[case] if case < len(order) else rng.choices(kinds, weights)[0]
            name = rng.choice(scratch.names)
            arguments = KINDS[kind].draw(rng)
            label = f"case {case} (seed {seed}) {name}: {describe(kind, arguments)}"
            per_kind[kind] = per_kind.get(kind, 0) + 1
            content = mutate(kind, scratch.originals[name], **arguments)
            result = scratch.check(name, content, label, max_seconds=limit)
            if result.outcome == "loaded":
                loaded += 1
            elif result.ok:
                located += 1
            else:
                failures.append(f"{label}: {result.outcome}")
            if result.seconds > max_seconds:
                max_seconds, slowest = result.seconds, label
            max_peak = max(max_peak, result.peak_bytes)
    return Summary(
        cases=n,
        loaded=loaded,
        located_errors=located,
        failures=tuple(failures),
        max_seconds=max_seconds,
        max_peak_bytes=max_peak,
        slowest=slowest,
        per_kind=per_kind,
    )
