"""Command line: validate, list and print the curated data.

python -m indicators validate [FILES] [--write-coverage]
python -m indicators list
python -m indicators data [--indicator ID ...] [--country ISO3 ...] [--from YEAR]
                          [--to YEAR] [--format csv|json]
python -m indicators export --chart ID [VIEW OPTIONS] --format png|svg|csv
                          [--preset wide|square|print] --out DIR
python -m indicators export --pack [VIEW OPTIONS] --out DIR

VIEW OPTIONS mirror the dashboard URL (--view, --focus, --group, --peers, --peer-mode, --from,
--to, --events/--no-events, --cpi-measure, --wgi-mode, --fdi-unit) and are read by the same
parser, so a file exported here equals the one downloaded from the same view.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from indicators.data.loading import DATA_DIR, DataErrors, load_bundle, validate_files


def _cmd_validate(args) -> int:
    if args.write_coverage:
        return _write_coverage(args)
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


def _write_coverage(args) -> int:
    """Rewrite the coverage declaration of FILES (default: every data file) from their data."""
    from indicators.data.loading import dataset_files, write_coverage

    paths = args.files or [
        args.data_dir / "countries.yaml",
        args.data_dir / "events.yaml",
        *dataset_files(args.data_dir),
    ]
    failed = 0
    for path in paths:
        try:
            print(write_coverage(path))
        except DataErrors as exc:
            failed += 1
            for error in exc.errors:
                print(error, file=sys.stderr)
            print(f"{path}: not written; fix the errors above first", file=sys.stderr)
    return 1 if failed else 0


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


# --- export ------------------------------------------------------------------------------------

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


def export_params(args) -> list[tuple[str, str]]:
    """The URL query parameters equivalent to the view options given on the command line
    (each option is a row of the view's parameter table)."""
    from indicators.view.params import PARAMS

    params = []
    for param in PARAMS:
        value = getattr(args, param.name, None)
        if value is None:
            continue
        if param.kind in ("countries", "choices"):
            value = ",".join(p.strip() for chunk in value for p in chunk.split(",") if p.strip())
        elif param.kind == "flag":
            value = "1" if value else "0"
        params.append((param.url_key, str(value)))
    return params


def _cmd_export(args) -> int:
    from indicators.charts.registry import CHARTS
    from indicators.exports import ExportUnavailable, export_available
    from indicators.exports import files as export_files
    from indicators.exports.map_export import MAP_ID, map_export
    from indicators.exports.render import ExportFailed
    from indicators.view.params import VIEWS

    def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
        print(f"export: {message}", file=sys.stderr)
        return code

    views = {**{c: spec.view for c, spec in CHARTS.items()}, MAP_ID: "map"}
    if args.chart and args.chart not in views:
        return fail(f"unknown chart '{args.chart}'; charts: {', '.join(views)}")
    if args.view and args.view not in VIEWS:
        return fail(f"unknown view '{args.view}'; views: {', '.join(VIEWS)}")
    fmt = args.format or "png"
    if args.pack and args.format:
        return fail("--format applies to --chart only (a pack holds PNG, SVG, CSV and PPTX)")
    if args.chart and args.view and args.view != views[args.chart]:
        return fail(f"chart '{args.chart}' is on the '{views[args.chart]}' view, not '{args.view}'")
    bundle = _load(args)
    view = views[args.chart] if args.chart else (args.view or "overview")
    parsed = export_files.state_from_params(bundle, view, export_params(args))
    if parsed.notices:
        for notice in parsed.notices:
            print(f"export: {notice}", file=sys.stderr)
        return fail("fix the view options above (same rules as the dashboard URL)")
    state = parsed.state
    needs_browser = args.pack or fmt != "csv"
    if needs_browser:
        ok, message = export_available()
        if not ok:
            return fail(message, EXIT_UNAVAILABLE)
    out_dir: Path = args.out
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return fail(f"cannot create {out_dir}: {exc.strerror}")
    try:
        if args.pack:
            from indicators.exports.pack import build_pack, pack_filename

            def progress(done: int, total: int, message: str) -> None:
                if args.verbose:
                    print(f"[{done}/{total}] {message}", file=sys.stderr)

            data = build_pack(bundle, state, args.base_url, progress, wait=60)
            path = out_dir / pack_filename(bundle, state)
            path.write_bytes(data)
        else:
            if args.chart == MAP_ID:
                data, name = map_export(bundle, state, fmt, args.preset, args.base_url)
            else:
                data, name = export_files.chart_export(
                    bundle, state, args.chart, fmt, args.preset, args.base_url
                )
            path = out_dir / name
            path.write_bytes(data)
    except ExportUnavailable as exc:
        return fail(str(exc), EXIT_UNAVAILABLE)
    except ExportFailed as exc:
        return fail(str(exc), 1)
    except OSError as exc:
        return fail(f"cannot write to {out_dir}: {exc.strerror}")
    print(path)
    return 0


def _cmd_import(args) -> int:
    """Dry run (default) or --apply of a publisher's release file; exit 2 on bad input."""
    from indicators.data.releases.run import run

    return run(
        args.file,
        args.data_dir,
        args.apply,
        add_countries=args.add_countries,
        new_countries_only=args.new_countries_only,
    )


def _add_export(sub) -> None:
    from indicators.view.params import PARAMS

    export = sub.add_parser(
        "export",
        help="write one chart (PNG/SVG/CSV) or the briefing pack (ZIP) of a view",
        description="Options mirror the dashboard URL; values are checked by the same rules.",
    )
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--chart", metavar="ID", help="chart id (e.g. cpi, wgi_cc, fdi, map)")
    what.add_argument("--pack", action="store_true", help="briefing pack (ZIP) of --view")
    export.add_argument("--format", choices=["png", "svg", "csv"], help="for --chart (png)")
    export.add_argument("--preset", choices=["wide", "square", "print"], default="wide")
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    export.add_argument(
        "--base-url",
        default=os.environ.get("INDICATORS_PUBLIC_URL", "http://127.0.0.1:8050"),
        help="dashboard address for the permalinks (default: $INDICATORS_PUBLIC_URL or "
        "http://127.0.0.1:8050)",
    )
    export.add_argument("-v", "--verbose", action="store_true", help="print pack progress")
    view = export.add_argument_group("view options (as in the dashboard URL)")
    view.add_argument("--view", help="overview, corruption, governance or economy (for --pack)")
    for param in PARAMS:
        options: dict = {"dest": param.name, "help": param.help.replace("%", "%%"), "default": None}
        if param.kind == "choice":
            options["choices"] = param.values
        elif param.kind == "year":
            options.update(type=int, metavar="YEAR")
        elif param.kind == "flag":
            options["action"] = argparse.BooleanOptionalAction
        elif param.kind == "countries":
            options.update(action="append", metavar="ISO3,...")
        elif param.kind == "choices":
            options.update(action="append", metavar=",".join(param.values[:2]) + ",...")
        elif param.kind in ("country", "optional_country"):
            options["metavar"] = "ISO3"
        else:
            options["metavar"] = "ID"
        view.add_argument(param.cli_flag, **options)
    export.set_defaults(run=_cmd_export)


def build_parser() -> argparse.ArgumentParser:
    from indicators.data.releases.run import add_arguments

    parser = argparse.ArgumentParser(
        prog="python -m indicators", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder of data/*.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check data files; exit 1 listing every error")
    validate.add_argument("files", nargs="*", type=Path)
    validate.add_argument(
        "--write-coverage",
        action="store_true",
        help="rewrite the coverage declaration of FILES (default: all) from their data",
    )
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
    _add_export(sub)
    release = sub.add_parser(
        "import",
        help="diff a publisher's release file (CPI, WGI, WDI) with the data; --apply writes it",
    )
    add_arguments(release)  # FILE, --apply, --add-countries | --new-countries-only
    release.add_argument(
        "--data-dir", type=Path, default=argparse.SUPPRESS, help="folder of data/*.yaml"
    )
    release.set_defaults(run=_cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
