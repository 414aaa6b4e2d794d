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


def synthetic_dataset(path: Path) -> None:
    """A valid dataset file of COUNTRIES x YEARS x INDICATORS values, in the bundled layout."""
    from indicators.countries import country_reference

    rng = random.Random(7)
    codes = sorted(country_reference().codes)[:COUNTRIES]
    head = (DATA_DIR / "cpi.yaml").read_text().split("\nindicators:\n")[0]
    lines = [head.replace("dataset: cpi", "dataset: synthetic"), "indicators:"]
    for i in range(INDICATORS):
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
        for i in range(INDICATORS):
            lines.append(f"    synthetic_{i}:")
            lines += [f"      {1985 + y}: {rng.uniform(0, 100):.2f}" for y in range(YEARS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    seconds, bundle = timed(lambda: load_bundle(DATA_DIR), repeat=5)
    print(
        f"bundled data: {len(bundle.frame):,} values from {len(bundle.files)} files, "
        f"load {seconds:.3f} s (median of 5; target < 0.5 s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        for name in ("countries.yaml", "events.yaml"):
            shutil.copy(DATA_DIR / name, data / name)
        synthetic_dataset(data / "synthetic.yaml")
        size = (data / "synthetic.yaml").stat().st_size / 1e6
        seconds, bundle = timed(lambda: load_bundle(data), repeat=3)
        print(
            f"synthetic {COUNTRIES} countries x {YEARS} years x {INDICATORS} indicators: "
            f"{len(bundle.frame):,} values, {size:.1f} MB, load {seconds:.3f} s "
            f"(median of 3; target < 2 s)"
        )


if __name__ == "__main__":
    main()
