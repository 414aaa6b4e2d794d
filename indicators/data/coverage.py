"""Declared coverage: what each data file must hold, so that a file that loses values is refused.

Every data file ends with a `coverage:` entry. In a dataset it declares, per indicator, the
countries and the year range it covers, with the publisher's known gaps:

    coverage:
      wgi_va_percentile:
        years: 1996-2023
        countries: [ARM, AUS, ...]
        gaps:
          ALL: [1997, 1999, 2001]     # years published for no country
          TKM: [1996-1998]            # years this country lacks
      wgi_va_estimate: {same_as: wgi_va_percentile}

The `data:` block must hold exactly these cells: a value missing is an error, and so is a value
outside the declaration (extend the declaration when adding data). events.yaml declares how
many events it lists and countries.yaml how many groups and aggregates it defines.

Because the declaration is the last entry of the file, a file cut short at any point (a line
or a byte) loses it, or leaves it broken, and is refused; `check_last` enforces the position.

`derive` computes the declaration of a valid file, `render` writes it as YAML and
`write_coverage` (or `python -m indicators validate --write-coverage FILE`) replaces it in a
file: run it after adding data, and read its summary of what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indicators.data.schema import IndicatorCoverage, names
from indicators.data.yamlio import key_text

KEY = "coverage"
WIDTH = 100  # line length of the written declaration
LISTED = 5  # series named in a message before "... and N more"

HEADER = (
    "  # Written by `python -m indicators validate --write-coverage FILE` from the data above:\n"
    "  # the countries and years each indicator has, with the known gaps (ALL: years no country\n"
    "  # has). A value missing from data, or outside this declaration, is an error. Keep this\n"
    "  # block last in the file: a file cut short loses it and is refused.\n"
)
COUNTS_HEADER = (
    "# Written by `python -m indicators validate --write-coverage FILE`; a file that loses an\n"
    "# entry is refused. Keep this line last in the file: a file cut short loses it.\n"
)


# --- year sets --------------------------------------------------------------------------------


def _is_year(year) -> bool:
    return type(year) is int and 1900 <= year <= 2100


def spans(years: Iterable[int]) -> list[int | str]:
    """Sorted years as YAML items: runs of three or more as "FIRST-LAST", others one by one."""
    out: list[int | str] = []
    ordered = sorted(set(years))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{ordered[i]}-{ordered[j]}")
        else:
            out.extend(ordered[i : j + 1])
        i = j + 1
    return out


def years_text(years: Iterable[int], limit: int = 6) -> str:
    items = [str(s) for s in spans(years)]
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _span_set(items: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for first, last in items:
        out.update(range(first, last + 1))
    return out


# --- checking a dataset -----------------------------------------------------------------------


def _spec_problems(specs: dict[str, IndicatorCoverage], indicator_ids) -> Iterator[tuple]:
    """(path, message) for declarations that are incomplete or inconsistent."""
    undeclared = [ind_id for ind_id in indicator_ids if ind_id not in specs]
    if undeclared:
        yield (
            (KEY,),
            f"no coverage declared for {names(undeclared, 4)}: if the file was cut short, "
            "restore it; if it is complete, write the declaration with "
            "`python -m indicators validate --write-coverage FILE`",
        )
    for ind_id, spec in specs.items():
        here = (KEY, ind_id)
        if ind_id not in indicator_ids:
            defined = names(indicator_ids)
            yield here, f"declares an indicator this file does not define; it defines: {defined}"
            continue
        if spec.same_as is not None:
            target = specs.get(spec.same_as)
            if target is None or spec.same_as not in indicator_ids:
                yield (*here, "same_as"), "names no indicator declared in coverage"
            elif target.same_as is not None:
                yield (*here, "same_as"), "names an indicator declared by same_as itself"
            continue
        first, last = spec.years or (0, 0)
        seen = set()
        for i, code in enumerate(spec.countries):
            if code in seen:
                yield (*here, "countries", i), f"country {code} is listed twice"
            seen.add(code)
        for code, items in spec.gaps.items():
            if code != "ALL" and code not in seen:
                yield (*here, "gaps", code), "gaps for a country that is not in countries"
            for i, (a, b) in enumerate(items):
                if a < first or b > last:
                    yield (*here, "gaps", code, i), f"gap outside the years {first}-{last}"


def _expected(spec: IndicatorCoverage) -> dict[str, frozenset[int]]:
    if spec.years is None:  # an indicator without any value: `countries: []`
        return {}
    first, last = spec.years
    base = set(range(first, last + 1)) - _span_set(spec.gaps.get("ALL", ()))
    shared = frozenset(base)
    out = {}
    for code in spec.countries:
        gaps = spec.gaps.get(code)
        out[code] = shared if not gaps else frozenset(base - _span_set(gaps))
    return out


def check_dataset(data: dict, specs: dict[str, IndicatorCoverage], indicator_ids) -> list[tuple]:
    """Problems as (path to locate, message, field) triples: declarations that are inconsistent,
    then the values missing against the declaration and those outside it (one summary each).

    Fast whatever the size: one set comparison per (country, indicator) present; differences are
    worked out only where a comparison fails.
    """
    problems = [(path, message, None) for path, message in _spec_problems(specs, indicator_ids)]
    if any(path == (KEY,) for path, _, _ in problems):
        # an incomplete declaration (a file cut inside it): its last entry may be cut too, so
        # comparing the data with it would only report values "missing" that are not
        return problems
    broken = {path[1] for path, _, _ in problems}
    expected: dict[str, dict[str, frozenset[int]]] = {}
    for ind_id, spec in specs.items():
        if ind_id in broken or ind_id not in indicator_ids:
            continue
        source = specs[spec.same_as] if spec.same_as is not None else spec
        if spec.same_as is not None and spec.same_as in broken:
            continue
        expected[ind_id] = _expected(source)
    if not isinstance(data, dict):
        return problems
    missing: list[tuple[str, str, frozenset | set]] = []
    extra: list[tuple[str, str, list[int]]] = []
    found = dict.fromkeys(expected, 0)
    for iso3, block in data.items():
        if not isinstance(block, dict):
            continue
        for ind_id, series in block.items():
            per_country = expected.get(ind_id)
            if per_country is None or not isinstance(series, dict):
                continue  # an unknown indicator or a malformed series: reported by check_values
            want = per_country.get(iso3)
            if want is None:
                years = [y for y in series if _is_year(y)]
                if years:
                    extra.append((iso3, ind_id, years))
                continue
            found[ind_id] += 1
            if series.keys() != want:
                lost = want.difference(series)
                if lost:
                    missing.append((iso3, ind_id, lost))
                more = [y for y in series if _is_year(y) and y not in want]
                if more:
                    extra.append((iso3, ind_id, more))
    for ind_id, per_country in expected.items():
        if found[ind_id] == len(per_country):
            continue
        for iso3, want in per_country.items():
            block = data.get(iso3)
            series = block.get(ind_id) if isinstance(block, dict) else None
            if not isinstance(series, dict) and want:
                missing.append((iso3, ind_id, want))
    if missing:
        problems.append(_summary(data, missing, "missing against the declared coverage", True))
    if extra:
        problems.append(_summary(data, extra, "outside the declared coverage", False))
    return problems


def _summary(data: dict, items: list, what: str, lost: bool) -> tuple:
    """One bounded message for many series, located where the first one is in the file."""
    order = {iso3: i for i, iso3 in enumerate(data)}

    def position(item):
        iso3, ind_id, years = item
        block = data.get(iso3)
        inside = list(block).index(ind_id) if isinstance(block, dict) and ind_id in block else 1e9
        return (order.get(iso3, 1e9), inside, min(years))

    items = sorted(items, key=position)
    total = sum(len(years) for _, _, years in items)
    groups: list[tuple[str, str, list[str]]] = []  # (iso3, years text, indicators)
    for iso3, ind_id, years in items:
        text = years_text(years)
        if groups and groups[-1][0] == iso3 and groups[-1][1] == text:
            groups[-1][2].append(ind_id)
        else:
            groups.append((iso3, text, [ind_id]))
    parts = [f"{key_text(iso3)} {names(inds, 3)} {text}" for iso3, text, inds in groups[:LISTED]]
    more = len(groups) - LISTED
    listed = "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
    value_word = "value" if total == 1 else "values"
    if lost:
        hint = "restore them, or declare them as gaps in coverage"
    else:
        hint = "extend coverage to include them (--write-coverage rewrites it from the data)"
    iso3, ind_id, years = items[0]
    where = ("data", iso3, ind_id) if lost else ("data", iso3, ind_id, min(years))
    return where, f"{total} {value_word} {what}: {listed}; {hint}", "data"


def count_declared(specs: dict[str, IndicatorCoverage]) -> int:
    """How many values a validated declaration expects (KeyError on a dangling same_as)."""
    total = 0
    for spec in specs.values():
        source = specs[spec.same_as] if spec.same_as is not None else spec
        total += sum(len(years) for years in _expected(source).values())
    return total


def count_derived(specs: dict[str, dict]) -> int:
    """How many values a declaration from `derive` expects."""
    total = 0
    for spec in specs.values():
        source = specs[spec["same_as"]] if "same_as" in spec else spec
        if not source["countries"]:
            continue
        first, _, last = str(source["years"]).partition("-")
        full = set(range(int(first), int(last or first) + 1))
        gaps = source.get("gaps", {})
        nowhere = _span_set(_pairs(gaps.get("ALL", [])))
        for iso3 in source["countries"]:
            total += len(full - nowhere - _span_set(_pairs(gaps.get(iso3, []))))
    return total


def _pairs(items: list[int | str]) -> list[tuple[int, int]]:
    out = []
    for item in items:
        first, _, last = str(item).partition("-")
        out.append((int(first), int(last or first)))
    return out


# --- deriving and writing ---------------------------------------------------------------------


def derive(data: dict, indicator_ids: Iterable[str]) -> dict[str, dict]:
    """The declaration that matches a valid `data:` block exactly (indicators in file order)."""
    cells: dict[str, dict[str, set[int]]] = {ind_id: {} for ind_id in indicator_ids}
    for iso3, block in data.items():
        for ind_id, series in block.items():
            years = {y for y in series if _is_year(y)}
            if years and ind_id in cells:
                cells[ind_id][iso3] = years
    out: dict[str, dict] = {}
    for ind_id, per_country in cells.items():
        if not per_country:
            spec: dict = {"countries": []}
        else:
            first = min(min(y) for y in per_country.values())
            last = max(max(y) for y in per_country.values())
            full = set(range(first, last + 1))
            nowhere = full - set().union(*per_country.values())
            gaps = {"ALL": spans(nowhere)} if nowhere else {}
            for iso3 in sorted(per_country):
                lacking = full - nowhere - per_country[iso3]
                if lacking:
                    gaps[iso3] = spans(lacking)
            spec = {"years": f"{first}-{last}" if last > first else first}
            spec["countries"] = sorted(per_country)
            if gaps:
                spec["gaps"] = gaps
        twin = next((k for k, v in out.items() if v == spec), None)
        out[ind_id] = spec if twin is None else {"same_as": twin}
    return out


def _flow(items: list, indent: int, first_width: int) -> list[str]:
    """A flow list `[a, b, ...]` wrapped at WIDTH; continuation lines at `indent` spaces."""
    words = [str(i) for i in items]
    lines, line, room = [], "[", first_width
    for i, word in enumerate(words):
        piece = word + ("," if i < len(words) - 1 else "]")
        if len(line) + len(piece) + 1 > room and line not in ("[", ""):
            lines.append(line.rstrip())
            line, room = " " * indent, WIDTH
        line += piece + " "
    if not words:
        line = "[] "
    lines.append(line.rstrip())
    return lines


def render(specs: dict[str, dict]) -> str:
    """The YAML text of a dataset's `coverage:` entry."""
    out = ["coverage:\n", HEADER]
    for ind_id, spec in specs.items():
        if "same_as" in spec:
            out.append(f"  {ind_id}: {{same_as: {spec['same_as']}}}\n")
            continue
        if not spec["countries"]:
            out.append(f"  {ind_id}: {{countries: []}}\n")
            continue
        out.append(f"  {ind_id}:\n")
        out.append(f"    years: {spec['years']}\n")
        head = "    countries: "
        out.append(head + "\n".join(_flow(spec["countries"], 6, WIDTH - len(head))) + "\n")
        if spec.get("gaps"):
            out.append("    gaps:\n")
            for code, items in spec["gaps"].items():
                head = f"      {code}: "
                out.append(head + "\n".join(_flow(items, 8, WIDTH - len(head))) + "\n")
    return "".join(out)


def render_counts(counts: dict[str, int]) -> str:
    inner = ", ".join(f"{k}: {v}" for k, v in counts.items())
    return COUNTS_HEADER + f"coverage: {{{inner}}}\n"


def replace_block(text: str, block: str) -> str:
    """`text` with its top-level `coverage:` entry (and the comment lines just above a counts
    entry) removed and `block` appended as the file's last entry. Other lines are kept."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{KEY}:")), None)
    if start is not None:
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        head = start
        while head > 0 and lines[head - 1] in COUNTS_HEADER.splitlines(keepends=True):
            head -= 1
        lines = lines[:head] + lines[end:]
    body = "".join(lines).rstrip("\n")
    return (body + "\n\n" if body else "") + block
