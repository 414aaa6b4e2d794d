"""`python -m indicators.data.releases FILE [--apply] [--add-countries | --new-countries-only]`:
the import with the options that add countries (the same as `python -m indicators import`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from indicators.data.loading import DATA_DIR
from indicators.data.releases.run import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indicators.data.releases")
    add_arguments(parser)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder of data/*.yaml")
    args = parser.parse_args(argv)
    return run(
        args.file,
        args.data_dir,
        args.apply,
        add_countries=args.add_countries,
        new_countries_only=args.new_countries_only,
    )


if __name__ == "__main__":
    sys.exit(main())
