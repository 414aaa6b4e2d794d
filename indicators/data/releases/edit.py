"""Change a data file's YAML text line by line: every untouched line (comments, layout) stays.

Lines of nodes come from `yamlio.locate`. A revised value rewrites the value on its year's
line (a comment after it is kept); a new year is a new line after the previous year (or before
the next); `out_of` (a one-line mapping) is rewritten; the release entry gets a line naming
the file, or a new entry before `indicators:`; origin's date_accessed becomes today.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from indicators.data import yamlio
from indicators.data.releases.compare import IndicatorDiff
from indicators.data.rounding import round_decimal, to_decimal

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


def value_text(new, decimals: int, se_decimals: int) -> str:
    value, se = new
    if se is None:
        return number_text(value, decimals)
    return f"{{value: {number_text(value, decimals)}, se: {number_text(se, se_decimals)}}}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def apply(
    text: str,
    doc: dict,
    diffs: list[IndicatorDiff],
    release: dict,
    today: str,
    se_decimals: dict[str, int],
) -> str:
    lines = text.splitlines(keepends=True)
    data = doc.get("data") or {}
    wanted: set[tuple] = set()
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
        listed = json.dumps(entry.get("retrieved_from", []))
        if release["file"] not in listed or f"imported {today}" not in listed:
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
    """Make the changed countries' values cite the release: `release:` when the release covers
    every country of the indicator, else `release_by_country` entries for the changed ones."""
    changed = {c.iso3 for c in d.new + d.revised}
    base = meta.get("release")
    by_country = dict(meta.get("release_by_country") or {})
    if not changed or all(by_country.get(c, base) == slug for c in changed):
        return
    number = where.get(("indicators", d.indicator, "release"))
    m = re.match(r"^(\s*release:\s*)\S+(.*)$", lines[number - 1], re.S) if number else None
    if not m:
        raise EditError(f"indicators.{d.indicator}.release is not a one-line value")
    if not d.lacking and not by_country and not meta.get("release_by_year"):
        replace[number - 1] = f"{m[1]}{slug}{m[2]}"
        return
    by_country.update(dict.fromkeys(changed, slug))
    body = "{" + ", ".join(f"{k}: {v}" for k, v in sorted(by_country.items())) + "}"
    if meta.get("release_by_country"):
        at = where.get(("indicators", d.indicator, "release_by_country"))
        line = lines[at - 1] if at else ""
        mm = re.match(r"^(\s*release_by_country:\s*)\{.*\}(\s*)$", line, re.S)
        if not mm:
            raise EditError(f"indicators.{d.indicator}.release_by_country is not one line")
        replace[at - 1] = f"{mm[1]}{body}{mm[2]}"
    else:
        pad = " " * _indent(lines[number - 1])
        insert.setdefault(number, []).append((0, f"{pad}release_by_country: {body}\n"))
