"""`python -m indicators import FILE [--apply] [--add-countries | --new-countries-only]`: read,
diff, report; with --apply, write.

By default only the countries the data tracks are updated; the release's other countries are
listed. --add-countries also adds them (and indicators a tracked country lacks);
--new-countries-only adds them and leaves every tracked country's values as they are (for an
older release, or to keep reviewed values while growing the file).

Exit codes: 0 dry run shown or changes written (or nothing to change); 1 the change was refused
(the result would not validate, or the release is older than the one the data cite); 2 bad
input (unknown layout or series, missing column, value out of range, duplicated country-year).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path

from indicators.data import coverage, yamlio
from indicators.data.loading import _required_for, check_content, known_codes, show_path
from indicators.data.releases import compare, edit, layouts, mapping, sheets
from indicators.data.releases.errors import ReleaseError

LISTED = 12


def _names(items, limit=LISTED) -> str:
    items = list(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _fmt(value, decimals) -> str:
    return edit.number_text(value, decimals)


def _size(size: float, old: float, decimals: int) -> str:
    """A revision's size: the difference (6 significant digits at most) and, when it helps,
    its share of the old value."""
    text = _fmt(size, decimals) if decimals <= 6 else f"{size:.6g}"
    text = ("+" if size >= 0 else "") + text
    if old and decimals > 0:
        text += f", {100 * size / abs(old):+.3g}%"
    return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--apply", action="store_true", help="write the changes (default: dry run)")
    grow = parser.add_mutually_exclusive_group()
    grow.add_argument(
        "--add-countries",
        action="store_true",
        help="also add the release's countries (and indicators) the data does not have",
    )
    grow.add_argument(
        "--new-countries-only",
        action="store_true",
        help="add the release's new countries; leave the tracked countries' values unchanged",
    )


def report_codes(target, out) -> None:
    renamed, unmapped = target.codes.renamed, target.codes.unmapped
    if renamed:
        print(f"publisher codes mapped to the data's ({len(renamed)}):", file=out)
        for code, (name, project) in renamed.items():
            print(f"  {code} ({name}) -> {project}", file=out)
    if unmapped:
        print(
            f"publisher codes that are no country the data knows, ignored ({len(unmapped)}):",
            file=out,
        )
        for code, why in unmapped.items():
            print(f"  {code} ({why})", file=out)


def report_added(target, diffs, out) -> None:
    data = target.doc.get("data") or {}
    added = sorted({c.iso3 for d in diffs for c in d.added} - set(data))
    if added:
        values = Counter(c.iso3 for d in diffs for c in d.added)
        print(f"countries added to the file ({len(added)}):", file=out)
        for iso3 in added:
            print(f"  {iso3} {target.names.get(iso3, '')} ({values[iso3]} values)", file=out)


def report(parsed, target, diffs, out) -> int:
    total = 0
    for d in diffs:
        print(f"\n{d.indicator} (compared at {d.decimals} decimals)", file=out)
        if d.new:
            print(f"  new years ({len(d.new)}):", file=out)
            for c in d.new:
                print(f"    {c.iso3} {c.year}: {edit.value_text(c.new, d.decimals, 15)}", file=out)
        if d.revised:
            print(f"  revised values ({len(d.revised)}):", file=out)
            for c in d.revised:
                size = c.new[0] - c.old[0]
                line = (
                    f"    {c.iso3} {c.year}: {_fmt(c.old[0], d.decimals)} -> "
                    f"{_fmt(c.new[0], d.decimals)} ({_size(size, c.old[0], d.decimals)})"
                )
                if c.new[1] is not None and c.old[1] is not None and c.old[1] != c.new[1]:
                    line += f", se {_fmt(c.old[1], 6)} -> {_fmt(c.new[1], 6)}"
                print(line, file=out)
        if d.added:
            countries = sorted({c.iso3 for c in d.added})
            print(
                f"  added: {len(d.added)} values of {len(countries)} countries new to it: "
                f"{_names(countries)}",
                file=out,
            )
        for year, (old, new) in d.out_of.items():
            print(f"  out_of {year}: {old if old is not None else '(none)'} -> {new}", file=out)
        if d.lacking:
            print(
                f"  countries in the data the release lacks ({len(d.lacking)}): "
                f"{_names(d.lacking)}",
                file=out,
            )
        if d.without:
            print(
                f"  countries of the data file without this indicator, not added "
                f"({len(d.without)}): {_names(d.without)}",
                file=out,
            )
        if d.untracked:
            print(
                f"  countries in the release the data does not track, ignored "
                f"({len(d.untracked)}): {_names(d.untracked)} (add them: --add-countries)",
                file=out,
            )
        if d.coarser is not None:
            print(
                f"  note: the release writes as few as {d.coarser} decimals (the data stores "
                f"{d.decimals}); compared at the release's precision. Prefer the publisher's "
                "full-precision file",
                file=out,
            )
        if d.earlier:
            print(f"  {d.earlier} values before the data's first year, ignored", file=out)
        if not (d.new or d.revised or d.out_of or d.added):
            print("  no change", file=out)
        total += len(d.new) + len(d.revised) + len(d.out_of) + len(d.added)
    if target.ignored_series:
        print(
            f"\nseries in the release with no indicator here, ignored "
            f"({len(target.ignored_series)}): {_names(target.ignored_series, 5)}",
            file=out,
        )
    return total


def _se_decimals(doc, diffs) -> dict[str, int]:
    out = {}
    for d in diffs:
        ses = [
            v.get("se")
            for block in (doc.get("data") or {}).values()
            for v in ((block or {}).get(d.indicator) or {}).values()
            if isinstance(v, dict)
        ]
        if ses:
            out[d.indicator] = max(compare.decimals_of(s) for s in ses)
    return out


def _older(doc, parsed, diffs) -> str | None:
    """Why the release is older than the one the changed values cite, or None."""
    if not parsed.date_published:
        return None
    releases = doc.get("releases") or {}
    for d in diffs:
        if not (d.new or d.revised):
            continue
        meta = doc["indicators"][d.indicator]
        by_country = meta.get("release_by_country") or {}
        by_year = meta.get("release_by_year") or {}
        cited = {
            by_year.get(c.year) or by_country.get(c.iso3) or meta.get("release")
            for c in d.new + d.revised
        }
        for slug in sorted(s for s in cited if s):
            date = str((releases.get(slug) or {}).get("date_published") or "")
            if date and date[:10] > parsed.date_published:
                return (
                    f"this release ({parsed.date_published}) is older than release {slug} "
                    f"({date}) that {d.indicator} cites"
                )
    return None


def _keep_tracked(diffs) -> int:
    """Drop the tracked countries' changes (--new-countries-only); how many were dropped."""
    dropped = 0
    for d in diffs:
        dropped += len(d.new) + len(d.revised) + len(d.out_of)
        d.new, d.revised, d.out_of = [], [], {}
    return dropped


def run(
    file: Path,
    data_dir: Path,
    apply: bool,
    out=None,
    err=None,
    today: str | None = None,
    add_countries: bool = False,
    new_countries_only: bool = False,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    file, data_dir = Path(file), Path(data_dir)
    today = today or dt.date.today().isoformat()
    name = show_path(file)
    started = time.perf_counter()
    try:
        parsed = layouts.parse(name, sheets.read_sheets(file))
        add = add_countries or new_countries_only
        target = mapping.target(name, parsed, data_dir, add)
    except ReleaseError as exc:
        print(f"error: {exc}", file=err)
        print("nothing written", file=err)
        return 2
    data_name = show_path(target.path)
    slug = parsed.slug or f"import-{today}"
    print(
        f"{name}: {parsed.layout}; {parsed.title}"
        f"{', published ' + parsed.date_published if parsed.date_published else ''}",
        file=out,
    )
    print(f"data file: {data_name} (release entry {slug})", file=out)
    report_codes(target, out)
    diffs = compare.diff(target.doc, target.observations, parsed.counts, add)
    report_added(target, diffs, out)
    changes = report(parsed, target, diffs, out)
    older = _older(target.doc, parsed, diffs)
    if new_countries_only:
        dropped = _keep_tracked(diffs)
        changes -= dropped
        if dropped:
            print(
                f"\n--new-countries-only: the {dropped} change(s) of tracked countries above "
                f"are shown, not applied{' (' + older + ')' if older else ''}",
                file=out,
            )
        older = None
    seconds = time.perf_counter() - started
    print(
        f"\n{changes} change(s) in "
        f"{sum(1 for d in diffs if d.new or d.revised or d.out_of or d.added)} "
        f"indicator(s); read and compared in {seconds:.2f} s",
        file=out,
    )
    if older:
        print(f"warning: {older}", file=out)
    if not apply:
        print(f"dry run: nothing written. To write {data_name}: add --apply", file=out)
        return 0
    if not changes:
        print(f"nothing to apply: {data_name} is unchanged", file=out)
        return 0
    if older:
        print(f"refused: {older}; {data_name} not written", file=err)
        return 1
    release = {
        "slug": slug,
        "title": parsed.title,
        "date_published": parsed.date_published,
        "file": file.name,
    }
    try:
        text = edit.apply(
            target.text,
            target.doc,
            diffs,
            release,
            today,
            _se_decimals(target.doc, diffs),
            target.names,
        )
    except edit.EditError as exc:
        print(f"refused: {exc}; {data_name} not written", file=err)
        return 1
    text, errors = _finish(target.path, data_dir, text)
    if errors:
        for error in errors:
            print(error, file=err)
        print(
            f"refused: the result would not validate (errors above); {data_name} not written",
            file=err,
        )
        return 1
    try:
        _write_atomically(target.path, text)
    except OSError as exc:
        print(f"refused: cannot write {data_name}: {exc.strerror}; not written", file=err)
        return 1
    print(f"written: {data_name} ({changes} change(s)); coverage declaration updated", file=out)
    return 0


def _finish(path: Path, data_dir: Path, text: str):
    """The text with its coverage declaration rewritten, and the loader's errors for it."""
    try:
        doc, _ = yamlio.parse(text)
    except yamlio.YamlSyntaxError as exc:
        return text, [f"{show_path(path)}:{exc.line}: {exc.message}"]
    specs = coverage.derive(doc.get("data") or {}, doc.get("indicators") or {})
    text = coverage.replace_block(text, coverage.render(specs))
    known = known_codes(path.parent)
    _, errors = check_content(path, text.encode("utf-8"), known, _required_for(path, data_dir))
    return text, errors


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the file, keep its permissions, then rename over it (all or nothing)."""
    real = Path(os.path.realpath(path))
    temporary = real.with_name(f".{real.name}.import-tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, os.stat(real).st_mode & 0o7777)
        os.replace(temporary, real)
    finally:
        if temporary.exists():
            temporary.unlink()
