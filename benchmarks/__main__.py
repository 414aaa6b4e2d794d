"""Print every performance figure next to its floor, measured on this machine, in one run.

    python -m benchmarks            # everything (about 5 minutes on 2 cores)
    python -m benchmarks --quick    # a smoke run for CI: fewer repetitions, no 100x data
    python -m benchmarks --only a,b # some sections

Sections: (a) page weight, (b) callback server time, (c) interaction latency in Chromium,
(d) cold start, (e) export, (f) throughput under gunicorn, (g) scaling with data not plotted,
plus data loading. Timings never change the exit status; a section that cannot run (no
Chromium, no wrk) says why. Exit status 1 only if a section crashed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback

from benchmarks.common import Row

SECTIONS = "abcdefg"
TITLES = {
    "load": "data loading",
    "a": "page weight (first load, transferred)",
    "b": "server time of the main callback (Flask test client)",
    "c": "interaction latency (headless Chromium)",
    "d": "cold start (gunicorn, 2 workers)",
    "e": "export",
    "f": "throughput (gunicorn, 2 workers, loopback)",
    "g": "scaling (synthetic indicators no view plots)",
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def section_load(quick: bool) -> list[Row]:
    from benchmarks.common import timings
    from indicators.data.loading import DATA_DIR, load_bundle

    seconds = timings(lambda: load_bundle(DATA_DIR), 3 if quick else 7, warmup=1)
    return [
        Row(
            "load",
            "load and validate the bundled data",
            sorted(seconds)[len(seconds) // 2],
            "s",
            target="< 0.5 s",
            met=sorted(seconds)[len(seconds) // 2] < 0.5,
        )
    ]


def section(name: str, quick: bool) -> list[Row]:
    if name == "load":
        return section_load(quick)
    if name == "a":
        from benchmarks import page

        return page.run(page.VIEWS if not quick else {"governance": 6})
    if name == "b":
        from benchmarks import callbacks

        return callbacks.run(calls=10 if quick else 50)
    if name == "c":
        from benchmarks import interaction

        return interaction.run(changes=5 if quick else 20)
    if name == "d":
        from benchmarks.serve import GunicornServer

        with GunicornServer(workers=2) as server:
            cold = server.cold_start
            memory = server.memory().describe()
        return [
            Row(
                "d",
                "cold start to first HTTP 200",
                cold,
                "s",
                target="<= 3 s",
                met=cold <= 3,
                note=f"memory after start: {memory}",
            )
        ]
    if name == "e":
        from benchmarks import exports

        if quick:
            return exports.run(runs=3, pack_runs=1, packs=("governance",))
        return exports.run()
    if name == "f":
        from benchmarks import throughput

        rows = []
        runs = [(8, 1)] if quick else [(8, 1), (16, 1), (8, 400)]
        for connections, queries in runs:
            r = throughput.run(
                duration=3 if quick else 15, connections=connections, queries=queries
            )
            if r.get("error"):
                return [Row("f", "render_view under wrk", None, "", note=r["error"])]
            what = ", every request a new view (no cache)" if queries > 1 else ""
            note = (
                f"{r['requests']} requests in {r['duration']:g} s; non-2xx {r['non_2xx']}, "
                f"socket errors {r['socket_errors']}; p50 {r['p50']:.1f} ms"
            )
            rows += [
                Row(
                    "f",
                    f"render_view, {connections} connections{what}: requests per second",
                    r["rps"],
                    "req/s",
                    target=">= 200",
                    met=r["rps"] >= 200,
                ),
                Row(
                    "f",
                    f"render_view, {connections} connections{what}: latency p99",
                    r["p99"],
                    "ms",
                    target="<= 50 ms",
                    met=r["p99"] <= 50,
                    note=note,
                ),
            ]
        return rows
    if name == "g":
        from benchmarks import scaling

        if quick:
            return scaling.run(factors=(1, 10), calls=5, loads=1)
        return scaling.run()
    raise ValueError(name)


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"


def print_rows(rows: list[Row]) -> None:
    for r in rows:
        verdict = "" if r.met is None else ("met" if r.met else "MISSED")
        floor = f"{fmt(r.floor)} {r.unit} ({r.floor_note})" if r.floor is not None else ""
        print(f"  {r.what}")
        print(
            f"      {fmt(r.value)} {r.unit}"
            + (f" | floor {floor}" if floor else "")
            + (f" | target {r.target} {verdict}" if r.target else "")
        )
        if r.note:
            print(f"      {r.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run (CI)")
    parser.add_argument("--only", default="", help="comma-separated sections, e.g. a,b,load")
    args = parser.parse_args(argv)
    names = [s.strip() for s in args.only.split(",") if s.strip()] or ["load", *SECTIONS]
    unknown = [n for n in names if n not in TITLES]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; use {', '.join(TITLES)}")
    print(f"benchmarks on {machine()}{' (quick)' if args.quick else ''}")
    crashed = []
    for name in names:
        start = time.perf_counter()
        print(f"\n({name}) {TITLES[name]}")
        try:
            print_rows(section(name, args.quick))
        except Exception:
            crashed.append(name)
            traceback.print_exc(file=sys.stdout)
        print(f"  [{time.perf_counter() - start:.0f} s]")
    if crashed:
        print(f"\nsections that crashed: {', '.join(crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
