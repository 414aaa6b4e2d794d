"""(g) Scaling: the bundled data plus synthetic indicators that no view plots, 10x and 100x the
bundled number of values; how data loading and the callbacks (b) grow.

The synthetic files are valid dataset files in the bundled layout (200 countries, random
values), written beside copies of the bundled files, at most MAX_VALUES_PER_FILE each so that
they stay under the loader's file-size limit.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, median

COUNTRIES = 200
YEARS = 36
MAX_VALUES_PER_FILE = 150_000  # about 2.8 MB of YAML, under the loader's 4 MiB limit


def synthetic_dataset(
    path: Path, name: str, countries: int, years: int, indicators: int, seed: int = 7
) -> int:
    """Write a valid dataset file of countries x years x indicators values; returns the count."""
    from indicators.data.countries import country_reference
    from indicators.data.loading import DATA_DIR

    rng = random.Random(seed)
    codes = sorted(country_reference().codes)[:countries]
    head = (DATA_DIR / "cpi.yaml").read_text(encoding="utf-8").split("\nindicators:\n")[0]
    lines = [head.replace("dataset: cpi", f"dataset: {name}"), "indicators:"]
    for i in range(indicators):
        lines += [
            f"  {name}_{i}:",
            f"    title: Synthetic indicator {name} {i}",
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
            lines.append(f"    {name}_{i}:")
            lines += [f"      {1990 + y}: {rng.uniform(0, 100):.2f}" for y in range(years)]
    # every data file ends with the coverage it declares (a file cut short is refused)
    lines += ["coverage:", f"  {name}_0:", f"    years: 1990-{1989 + years}"]
    lines.append(f"    countries: [{', '.join(codes)}]")
    lines += [f"  {name}_{i}: {{same_as: {name}_0}}" for i in range(1, indicators)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(codes) * years * indicators


def scaled_data_dir(target: Path, factor: int) -> int:
    """Copy the bundled files to `target` and add synthetic files until the number of values is
    `factor` times the bundled one. Returns the number of synthetic values written."""
    from indicators.data.loading import DATA_DIR, load_bundle

    for path in DATA_DIR.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    extra = len(load_bundle(DATA_DIR).frame) * (factor - 1)
    per_indicator = COUNTRIES * YEARS
    indicators = round(extra / per_indicator)
    per_file = max(1, MAX_VALUES_PER_FILE // per_indicator)
    written, n = 0, 0
    while indicators > 0:
        k = min(per_file, indicators)
        written += synthetic_dataset(
            target / f"synthetic_{n}.yaml", f"synthetic_{n}", COUNTRIES, YEARS, k, seed=n
        )
        indicators -= k
        n += 1
    return written


def run(factors: tuple[int, ...] = (1, 10, 100), calls: int = 50, loads: int = 3) -> list[Row]:
    from benchmarks.callbacks import rows_for
    from indicators.data.loading import load_bundle
    from indicators.web.app import create_app

    rows = []
    for factor in factors:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            scaled_data_dir(data, factor)
            size = sum(p.stat().st_size for p in data.glob("*.yaml")) / 1e6
            seconds = []
            for _ in range(loads if factor < 100 else 1):
                start = time.perf_counter()
                bundle = load_bundle(data)
                seconds.append(time.perf_counter() - start)
            values = len(bundle.frame)
            rows.append(
                Row(
                    "g",
                    f"{factor}x data: load {values:,} values ({size:.0f} MB of YAML)",
                    median(seconds),
                    "s",
                    note=f"{values / median(seconds) / 1e3:.0f}k values/s",
                )
            )
            del bundle
            app = create_app(data_dir=data, export_status=lambda: (True, ""))
            for row in rows_for(app, calls, label=f" at {factor}x"):
                row.section = "g"
                rows.append(row)
    return rows
