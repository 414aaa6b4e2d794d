"""Command line: validate, list and print the curated data.

python -m indicators validate [FILES]
python -m indicators list
python -m indicators data [--indicator ID ...] [--country ISO3 ...] [--from YEAR]
                          [--to YEAR] [--format csv|json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.loading import DATA_DIR, DataErrors, load_bundle, validate_files


def _cmd_validate(args) -> int:
    if args.files:
        errors = validate_files(args.files, args.data_dir)
        checked = ", ".join(str(f) for f in args.files)
    else:
        try:
            bundle = load_bundle(args.data_dir)
            errors = []
            checked = f"{len(bundle.files)} files in {args.data_dir}"
        except DataErrors as exc:
            errors = exc.errors
            checked = str(args.data_dir)
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        print(f"{len(errors)} error(s) in {checked}", file=sys.stderr)
        return 1
    print(f"OK: {checked}")
    return 0


def _load(args):
    try:
        return load_bundle(args.data_dir)
    except DataErrors as exc:
        print(exc, file=sys.stderr)
        print("The data does not validate; fix the errors above first.", file=sys.stderr)
        raise SystemExit(1) from None


def _cmd_list(args) -> int:
    bundle = _load(args)
    frame = bundle.frame
    print(f"{'id':28} {'title':52} {'unit':30} coverage")
    for entry in bundle.catalog.values():
        rows = frame[frame["indicator"] == entry.id]
        years = f"{entry.year_label(rows['year'].min())}-{entry.year_label(rows['year'].max())}"
        coverage = f"{years}, {rows['iso3'].nunique()} countries, {len(rows)} values"
        print(f"{entry.id:28} {entry.title[:52]:52} {entry.unit[:30]:30} {coverage}")
    return 0


def _cmd_data(args) -> int:
    bundle = _load(args)
    frame = bundle.frame
    unknown = [i for i in args.indicator or [] if i not in bundle.catalog]
    if unknown:
        print(
            f"unknown indicator(s): {', '.join(unknown)}; see `python -m indicators list`",
            file=sys.stderr,
        )
        return 2
    mask = frame["year"].between(args.year_from or 0, args.year_to or 9999)
    if args.indicator:
        mask &= frame["indicator"].isin(args.indicator)
    if args.country:
        codes = [c.upper() for c in args.country]
        missing = [c for c in codes if c not in set(frame["iso3"].astype(str))]
        if missing:
            print(f"no data for country code(s): {', '.join(missing)}", file=sys.stderr)
            return 2
        mask &= frame["iso3"].isin(codes)
    rows = frame.loc[mask].copy()
    rows["indicator"] = rows["indicator"].astype(str)
    rows["iso3"] = rows["iso3"].astype(str)
    rows["country"] = [bundle.countries.name(c) for c in rows["iso3"]]
    rows["unit"] = [bundle.catalog[i].unit for i in rows["indicator"]]
    rows = rows[["indicator", "iso3", "country", "year", "value", "std_error", "unit"]]
    if args.format == "json":
        print(rows.to_json(orient="records", indent=1))
    else:
        rows.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m indicators", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder of data/*.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check data files; exit 1 listing every error")
    validate.add_argument("files", nargs="*", type=Path)
    validate.set_defaults(run=_cmd_validate)
    listing = sub.add_parser("list", help="indicator ids, titles, units and coverage")
    listing.set_defaults(run=_cmd_list)
    data = sub.add_parser("data", help="print the tidy data")
    data.add_argument("--indicator", action="append", metavar="ID")
    data.add_argument("--country", action="append", metavar="ISO3")
    data.add_argument("--from", dest="year_from", type=int, metavar="YEAR")
    data.add_argument("--to", dest="year_to", type=int, metavar="YEAR")
    data.add_argument("--format", choices=["csv", "json"], default="csv")
    data.set_defaults(run=_cmd_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
