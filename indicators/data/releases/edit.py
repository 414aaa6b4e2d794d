"""Change a data file's YAML text line by line: every untouched line (comments, layout) stays.

Lines of nodes come from `yamlio.locate`. A revised value rewrites the value on its year's
line (a comment after it is kept); a new year is a new line after the previous year (or before
the next); an indicator new to a country is a block after the country's last line, a country
new to the file a block at the end of `data:` (in code order, its name from the release as a
comment); `out_of` (a one-line mapping) is rewritten; the release entry gets a line naming the
file, or a new entry before `indicators:`; origin's date_accessed becomes today.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

from indicators.data import yamlio
from indicators.data.releases.compare import IndicatorDiff
from indicators.data.rounding import round_decimal, to_decimal

AFTER_YEARS = 10_000  # sort key of inserted blocks: after new-year lines inserted at one place
_YEAR_LINE = re.compile(r"^(\s*)(\d{4})(\s*:\s*)(.*?)(\s+#.*)?$")


class EditError(Exception):
    """The file's text is not laid out as expected for a line edit."""


def number_text(value, decimals: int) -> str:
    if isinstance(value, int):
        return str(value)
    d = (
        round_decimal(to_decimal(value), min(decimals, 15))
        if decimals is not None
        else to_decimal(value)
    )
    text = format(d.normalize() if d != 0 else Decimal(0), "f")
    if "." not in text and decimals > 0:
        text += ".0"
    return text


def exact_text(value, decimals: int) -> str:
    """A value to write, every digit kept (the import rounded it already where it should)."""
    if isinstance(value, int):
        return str(value)
    d = to_decimal(value)
    text = format(d.normalize() if d != 0 else Decimal(0), "f")
    return text + ".0" if "." not in text and decimals > 0 else text


def value_text(new, decimals: int, se_decimals: int) -> str:
    value, se = new
    if se is None:
        return exact_text(value, decimals)
    return f"{{value: {exact_text(value, decimals)}, se: {exact_text(se, se_decimals)}}}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], start: int) -> int:
    """0-based line after the block whose key is on 0-based line `start` (trailing blank and
    comment lines are not part of it)."""
    base = _indent(lines[start])
    end = start + 1
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(lines[i]) <= base:
            break
        end = i + 1
    return end


def _first_series(data: dict) -> tuple | None:
    """("data", country, indicator, year) of the file's first value."""
    for iso3, block in data.items():
        for ind, series in (block or {}).items() if isinstance(block, dict) else ():
            if isinstance(series, dict) and series:
                return ("data", iso3, ind, next(iter(series)))
    return None


def _layout(lines, doc, where) -> tuple[str, str, str]:
    """Indents of a country, an indicator and a year line, read from the file's first series."""
    first = _first_series(doc.get("data") or {})
    at = [where.get(first[:i]) for i in (2, 3, 4)] if first else [None]
    if None in at or len(set(at)) != 3:
        raise EditError("data: no series on lines of their own to copy the layout from")
    return tuple(" " * _indent(lines[n - 1]) for n in at)


def _series_lines(pad: tuple, ind: str, changes, decimals, se_decimals, newline) -> list[str]:
    out = [f"{pad[1]}{ind}:{newline}"]
    for c in sorted(changes, key=lambda c: c.year):
        out.append(f"{pad[2]}{c.year}: {value_text(c.new, decimals, se_decimals)}{newline}")
    return out


def _one_line(name: str) -> str:
    return " ".join(name.split())


def _add_series(lines, doc, diffs, names, se_decimals, where, insert) -> None:
    """Blocks for the `added` values: into a country's block, or new countries' blocks."""
    data = doc.get("data") or {}
    added: dict[str, list] = {}  # country -> [(indicator, changes, decimals, se decimals)]
    for d in diffs:
        by_country: dict[str, list] = {}
        for change in d.added:
            by_country.setdefault(change.iso3, []).append(change)
        for iso3, changes in by_country.items():
            sdec = se_decimals.get(d.indicator, d.decimals)
            added.setdefault(iso3, []).append((d.indicator, changes, d.decimals, sdec))
    if not added:
        return
    pad = _layout(lines, doc, where)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    order = list(doc["indicators"])
    new_countries = []
    for iso3 in sorted(added):
        series = sorted(added[iso3], key=lambda s: order.index(s[0]))
        body = [line for s in series for line in _series_lines(pad, *s, newline)]
        if iso3 in data:
            end = _block_end(lines, where[("data", iso3)] - 1)
            insert.setdefault(end, []).append((AFTER_YEARS, "".join(body)))
        else:
            comment = f"  # {_one_line(names[iso3])}" if names.get(iso3) else ""
            new_countries.append(f"{pad[0]}{iso3}:{comment}{newline}" + "".join(body))
    if new_countries:
        end = _block_end(lines, where[("data",)] - 1)
        insert.setdefault(end, []).append((AFTER_YEARS + 1, "".join(new_countries)))


def apply(
    text: str,
    doc: dict,
    diffs: list[IndicatorDiff],
    release: dict,
    today: str,
    se_decimals: dict[str, int],
    names: dict[str, str] | None = None,
) -> str:
    """`names`: the release's name of each country, for the comment of a new country."""
    lines = text.splitlines(keepends=True)
    data = doc.get("data") or {}
    wanted: set[tuple] = {("data",)} | {("data", iso3) for iso3 in data}
    first = _first_series(data)
    if first:
        wanted |= {first[:3], first}
    for d in diffs:
        for change in d.new + d.revised:
            wanted |= {
                ("data", change.iso3, d.indicator, y) for y in data[change.iso3][d.indicator]
            }
            wanted.add(("data", change.iso3, d.indicator))
        if d.out_of:
            wanted.add(("indicators", d.indicator, "out_of"))
        wanted.add(("indicators", d.indicator, "release"))
        wanted.add(("indicators", d.indicator, "release_by_country"))
    slug = release["slug"]
    wanted |= {("releases", slug), ("releases", slug, "retrieved_from"), ("indicators",)}
    wanted |= {("origin", "date_accessed"), ("releases",)}
    where = yamlio.locate(text, wanted)
    replace: dict[int, str] = {}  # 0-based line -> new text
    insert: dict[int, list[tuple]] = {}  # insert before 0-based line -> [(sort key, text)]

    def year_line(iso3, ind, year) -> tuple[int, re.Match]:
        number = where.get(("data", iso3, ind, year))
        match = _YEAR_LINE.match(lines[number - 1].rstrip("\r\n")) if number else None
        if not match or int(match[2]) != year:
            raise EditError(f"data.{iso3}.{ind}.{year} is not on a line of its own ({number})")
        return number - 1, match

    for d in diffs:
        sdec = se_decimals.get(d.indicator, d.decimals)
        for change in d.revised:
            i, m = year_line(change.iso3, d.indicator, change.year)
            end = lines[i][len(lines[i].rstrip("\r\n")) :]
            body = value_text(change.new, d.decimals, sdec)
            replace[i] = f"{m[1]}{m[2]}{m[3]}{body}{m[5] or ''}{end}"
        for change in d.new:
            years = sorted(data[change.iso3][d.indicator])
            before = [y for y in years if y < change.year]
            anchor = before[-1] if before else years[0]
            i, m = year_line(change.iso3, d.indicator, anchor)
            at = i + 1 if before else i
            newline = "\r\n" if lines[i].endswith("\r\n") else "\n"
            line = f"{m[1]}{change.year}: {value_text(change.new, d.decimals, sdec)}{newline}"
            insert.setdefault(at, []).append((change.year, line))
        if d.out_of:
            number = where.get(("indicators", d.indicator, "out_of"))
            line = lines[number - 1] if number else ""
            m = re.match(r"^(\s*out_of:\s*)\{.*\}(\s*)$", line)
            if not m:
                raise EditError(f"indicators.{d.indicator}.out_of is not a one-line mapping")
            merged = dict(doc["indicators"][d.indicator]["out_of"])
            merged.update({y: new for y, (_, new) in d.out_of.items()})
            body = ", ".join(f"{y}: {merged[y]}" for y in sorted(merged))
            replace[number - 1] = f"{m[1]}{{{body}}}{m[2]}"
    _add_series(lines, doc, diffs, names or {}, se_decimals, where, insert)
    _release(lines, doc, diffs, release, today, where, replace, insert)
    out = []
    for i, line in enumerate(lines):
        out.extend(t for _, t in sorted(insert.get(i, []), key=lambda x: x[0]))
        out.append(replace.get(i, line))
    out.extend(t for _, t in sorted(insert.get(len(lines), []), key=lambda x: x[0]))
    return "".join(out)


def _release(lines, doc, diffs, release, today, where, replace, insert) -> None:
    slug = release["slug"]
    note = f"{release['file']} (imported {today} with python -m indicators import)"
    entry = (doc.get("releases") or {}).get(slug)
    if entry is not None:
        number = where.get(("releases", slug, "retrieved_from"))
        if not number or where.get(("releases", slug, "retrieved_from")) == where.get(
            ("releases", slug)
        ):
            raise EditError(f"releases.{slug}.retrieved_from not found")
        key = number - 1
        base = _indent(lines[key])
        i, item_indent = key + 1, None
        last = key
        while i < len(lines):
            stripped = lines[i].strip()
            ind = _indent(lines[i])
            if stripped and (ind > base or (ind == base and stripped.startswith("- "))):
                if stripped.startswith("- ") and item_indent is None:
                    item_indent = ind
                last = i
            elif stripped:
                break
            i += 1
        if note not in (entry.get("retrieved_from") or []):
            pad = " " * (item_indent if item_indent is not None else base + 2)
            insert.setdefault(last + 1, []).append((0, f"{pad}- {json.dumps(note)}\n"))
    else:
        number = where.get(("indicators",))
        at = number - 1
        while at > 0 and lines[at - 1].lstrip().startswith("#"):
            at -= 1
        block = [f"  {slug}:\n", f"    title: {json.dumps(release['title'])}\n"]
        if release.get("date_published"):
            block.append(f"    date_published: {json.dumps(release['date_published'])}\n")
        block += ["    retrieved_from:\n", f"      - {json.dumps(note)}\n"]
        insert.setdefault(at, []).append((0, "".join(block)))
    for d in diffs:
        _cite(lines, doc["indicators"][d.indicator], d, slug, where, replace, insert)
    number = where.get(("origin", "date_accessed"))
    if number:
        m = re.match(r"^(\s*date_accessed:\s*).*?(\s*#.*)?(\r?\n)?$", lines[number - 1])
        if m:
            replace[number - 1] = f'{m[1]}"{today}"{m[2] or ""}{m[3] or ""}'


def _cite(lines, meta, d, slug, where, replace, insert) -> None:
    """Make the changed countries' values cite the release. A release that covers every country
    of the indicator and changes some becomes its `release`; otherwise `release` becomes the
    release most of its countries cite (the old one on a tie), `release_by_country` the others."""
    changed = {c.iso3 for c in d.new + d.revised + d.added}
    base = meta.get("release")
    by_country = dict(meta.get("release_by_country") or {})
    if not changed or all(by_country.get(c, base) == slug for c in changed):
        return
    number = where.get(("indicators", d.indicator, "release"))
    m = re.match(r"^(\s*release:\s*)\S+(.*)$", lines[number - 1], re.S) if number else None
    if not m:
        raise EditError(f"indicators.{d.indicator}.release is not a one-line value")
    whole = (d.new or d.revised) and not d.lacking
    if whole and not by_country and not meta.get("release_by_year"):
        replace[number - 1] = f"{m[1]}{slug}{m[2]}"
        return
    cited = {c: by_country.get(c, base) for c in d.tracked}
    cited.update(dict.fromkeys(changed, slug))
    if meta.get("release_by_year"):  # values by year take precedence: keep the base
        new_base = base
    else:
        counts = Counter(cited.values())
        new_base = max(counts, key=lambda r: (counts[r], r == base, r))
    kept = {c: r for c, r in by_country.items() if c not in cited and r != new_base}
    new_by = kept | {c: r for c, r in cited.items() if r != new_base}
    if new_base != base:
        replace[number - 1] = f"{m[1]}{new_base}{m[2]}"
    newline = "\r\n" if lines[number - 1].endswith("\r\n") else "\n"
    body = "{" + ", ".join(f"{k}: {v}" for k, v in sorted(new_by.items())) + "}"
    if meta.get("release_by_country"):
        at = where.get(("indicators", d.indicator, "release_by_country"))
        line = lines[at - 1] if at else ""
        mm = re.match(r"^(\s*release_by_country:\s*)\{.*\}(\s*)$", line, re.S)
        if not mm:
            raise EditError(f"indicators.{d.indicator}.release_by_country is not one line")
        replace[at - 1] = f"{mm[1]}{body}{mm[2]}" if new_by else ""
    elif new_by:
        pad = " " * _indent(lines[number - 1])
        insert.setdefault(number, []).append((0, f"{pad}release_by_country: {body}{newline}"))
