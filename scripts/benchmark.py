"""Print load-time figures for the data layer (targets: bundled < 0.5 s, synthetic < 2 s).

python scripts/benchmark.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.loading import DATA_DIR, load_bundle  # noqa: E402

COUNTRIES = 200
YEARS = 40
INDICATORS = 30


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def synthetic_dataset(
    path: Path, countries: int = COUNTRIES, years: int = YEARS, indicators: int = INDICATORS
) -> None:
    """A valid dataset file of COUNTRIES x YEARS x INDICATORS values, in the bundled layout."""
    from indicators.countries import country_reference

    rng = random.Random(7)
    codes = sorted(country_reference().codes)[:countries]
    head = (DATA_DIR / "cpi.yaml").read_text().split("\nindicators:\n")[0]
    lines = [head.replace("dataset: cpi", "dataset: synthetic"), "indicators:"]
    for i in range(indicators):
        lines += [
            f"  synthetic_{i}:",
            f"    title: Synthetic indicator {i}",
            "    unit: points",
            "    description: Random values for benchmarking.",
            "    higher_is_better: true",
            "    valid_range: [0, 100]",
            "    release: cpi-2025",
            "    methodology: Uniform random numbers.",
        ]
    lines.append("data:")
    for code in codes:
        lines.append(f"  {code}:")
        for i in range(indicators):
            lines.append(f"    synthetic_{i}:")
            lines += [f"      {1985 + y}: {rng.uniform(0, 100):.2f}" for y in range(years)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(
    countries: int = COUNTRIES, years: int = YEARS, indicators: int = INDICATORS, repeat: int = 3
) -> None:
    seconds, bundle = timed(lambda: load_bundle(DATA_DIR), repeat=repeat + 2)
    print(
        f"bundled data: {len(bundle.frame):,} values from {len(bundle.files)} files, "
        f"load {seconds:.3f} s (median of {repeat + 2}; target < 0.5 s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        shutil.copy(DATA_DIR / "countries.yaml", data / "countries.yaml")
        # events tied to a bundled dataset would not validate beside the synthetic file alone
        events = (DATA_DIR / "events.yaml").read_text(encoding="utf-8")
        (data / "events.yaml").write_text(
            "\n".join(ln for ln in events.splitlines() if "datasets:" not in ln) + "\n",
            encoding="utf-8",
        )
        synthetic_dataset(data / "synthetic.yaml", countries, years, indicators)
        size = (data / "synthetic.yaml").stat().st_size / 1e6
        seconds, bundle = timed(lambda: load_bundle(data), repeat=repeat)
        print(
            f"synthetic {countries} countries x {years} years x {indicators} indicators: "
            f"{len(bundle.frame):,} values, {size:.1f} MB, load {seconds:.3f} s "
            f"(median of {repeat}; target < 2 s)"
        )


if __name__ == "__main__":
    main()
