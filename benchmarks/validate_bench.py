"""Benchmark validation: the whole directory, and one changed file.

    .venv/bin/python benchmarks/validate_bench.py [--listings 10000] [--seed 1] [--repeat 3]
    .venv/bin/python benchmarks/validate_bench.py --listings 2000 --profile

Generates a directory with benchmarks/generate.py into benchmarks/out/ (reused
when one with the same N, seed and generator is there), then validates it in a
fresh Python process, as the build and ``recovery-directory validate`` do:

* ``validate_directory(path)``: every file (what the build runs);
* ``validate_paths([file], path)``: one changed listing (what a pull request
  check runs), first in a fresh process (cold: vocabularies, lazy imports) and
  then again in the same process (warm).

Reports files, seconds (wall and CPU), files per second, milliseconds per 1,000
listings, peak resident memory of the validating process and the number of
problems, which must be 0 (the exit status is 1 otherwise). The load average is
noted, since wall times on a shared machine mean little without it. The
Markdown table is printed and written to benchmarks/results/validate.md.

``--profile`` runs the full validation under cProfile instead and prints the
functions with the most cumulative time (nothing is written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "validate.md")
sys.path.insert(0, HERE)

from generate import DEFAULT_OUT, KIND_FOLDERS, ensure_generated  # noqa: E402
from measure import PEAK_RSS, run_json, source_version  # noqa: E402, F401 (source_version: used by others too)

# Each child prints one JSON line; its peak RSS is its own VmHWM (measure.PEAK_RSS says why).
FULL = PEAK_RSS + r"""
import json, sys, time
started = time.perf_counter()
from recovery_directory.validate import validate_directory
imported = time.perf_counter()
rss_before = peak_rss_kib()
cpu = time.process_time()
result = validate_directory(sys.argv[1])
cpu = time.process_time() - cpu
done = time.perf_counter()
print(json.dumps({
    "files": result.files_checked, "listings": len(result.listings),
    "problems": len(result.problems), "first_problems": [str(p) for p in result.problems[:20]],
    "import_seconds": imported - started, "seconds": done - imported, "cpu_seconds": cpu,
    "rss_kib_before": rss_before, "rss_kib": peak_rss_kib(),
}))
"""

ONE_FILE = PEAK_RSS + r"""
import json, sys, time
started = time.perf_counter()
from recovery_directory.validate import validate_paths
imported = time.perf_counter()
file, root = sys.argv[1], sys.argv[2]
cpu = time.process_time()
result = validate_paths([file], root)
cpu = time.process_time() - cpu
cold = time.perf_counter() - imported
rss = peak_rss_kib()
warm = []
for _ in range(5):
    t = time.perf_counter()
    again = validate_paths([file], root)
    warm.append(time.perf_counter() - t)
print(json.dumps({
    "files": result.files_checked, "problems": len(result.problems) + len(again.problems),
    "first_problems": [str(p) for p in (result.problems + again.problems)[:20]],
    "import_seconds": imported - started, "seconds": cold, "cpu_seconds": cpu, "warm_seconds": min(warm), "rss_kib": rss,
}))
"""

PROFILE = r"""
import cProfile, pstats, sys
from recovery_directory.validate import validate_directory
profile = cProfile.Profile()
profile.enable()
result = validate_directory(sys.argv[1])
profile.disable()
print(f"files: {result.files_checked}, problems: {len(result.problems)}")
stats = pstats.Stats(profile).strip_dirs()
print("--- by cumulative time")
stats.sort_stats("cumulative").print_stats(int(sys.argv[2]))
print("--- by own time")
stats.sort_stats("tottime").print_stats(int(sys.argv[2]))
"""


def run_child(code: str, *args: str) -> tuple[dict, float]:
    """Run ``python -c code args`` in a fresh process; its JSON and the wall time."""
    return run_json(code, *args, cwd=REPO, failure="the validating process failed")


def changed_file(root: str) -> str:
    """A group listing from the middle of the folder, as a pull request would touch."""
    for folder in KIND_FOLDERS:
        names = sorted(n for n in os.listdir(os.path.join(root, folder)) if n.endswith(".yml"))
        if names:
            return os.path.join(root, folder, names[len(names) // 2])
    raise SystemExit(f"{root} has no listings")


def fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def table(n: int, seed: int, runs: list[dict], one: dict, summary: dict, load: tuple[float, float]) -> str:
    full = runs[-1]
    files = full["files"]
    seconds = statistics.median(r["seconds"] for r in runs)
    cpu = statistics.median(r["cpu_seconds"] for r in runs)
    walls = ", ".join(f"{r['seconds']:.2f}" for r in runs)
    mib = lambda kib: f"{kib / 1024:,.0f}"  # noqa: E731
    rows = [
        "| run | files | seconds | CPU seconds | files/second | ms per 1,000 listings | peak RSS (MiB) | problems |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| whole directory: `validate_directory` | {fmt_int(files)} | {seconds:.2f} | {cpu:.2f} | "
        f"{fmt_int(files / seconds)} | {seconds * 1000 / (files / 1000):,.0f} | {mib(max(r['rss_kib'] for r in runs))} | "
        f"{full['problems']} |",
        f"| one changed file: `validate_paths`, fresh process | 1 | {one['seconds']:.3f} | {one['cpu_seconds']:.3f} "
        f"| – | – | {mib(one['rss_kib'])} | {one['problems']} |",
        f"| one changed file: `validate_paths`, again in the same process | 1 | {one['warm_seconds']:.3f} | – | – | – | – | 0 |",
    ]
    kinds = summary.get("kinds", {})
    attendance = summary.get("attendance", {})
    notes = [
        f"Generated directory: {fmt_int(n)} listings, seed {seed} "
        f"({', '.join(f'{fmt_int(v)} {k}' for k, v in kinds.items())}; "
        f"{', '.join(f'{fmt_int(v)} {k}' for k, v in attendance.items())}; "
        f"{fmt_int(summary.get('meetings', 0))} meetings; {summary.get('regions', 0)} regions).",
        f"Seconds (wall) and CPU seconds are medians of {len(runs)} run(s) of the call alone "
        f"(wall: {walls}); "
        f"a fresh process also spends {full['import_seconds']:.2f} s importing the package, and its "
        f"peak RSS after the import is {mib(full['rss_kib_before'])} MiB.",
        "The one-file check also loads the vocabularies and lists every file on disk "
        "(to catch a slug that is already taken).",
        f"Load average (1 min) {load[0]:.2f} before and {load[1]:.2f} after; when it is near or above the "
        "CPU count, other work shared the machine and wall times are inflated (CPU seconds less so).",
        f"Validator from {source_version()}. Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s); {dt.date.today().isoformat()}.",
    ]
    return "\n".join(rows) + "\n\n" + "\n".join(f"- {line}" for line in notes) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=10000, help="how many listings to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="full validations to run; the median is reported (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile one full validation with cProfile instead")
    parser.add_argument("--top", type=int, default=25, help="functions to show with --profile (default 25)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    root, summary, reused = ensure_generated(args.listings, args.seed, DEFAULT_OUT)
    how = "reused" if reused else f"generated in {time.perf_counter() - started:.1f} s"
    print(f"directory: {os.path.relpath(root)} ({how})", file=sys.stderr)

    if args.profile:
        proc = subprocess.run([sys.executable, "-c", PROFILE, root, str(args.top)], cwd=REPO)
        return proc.returncode

    load_before = os.getloadavg()[0]
    runs: list[dict] = []
    for _ in range(max(1, args.repeat)):
        full, _wall = run_child(FULL, root)
        runs.append(full)
        print(f"whole directory: {full['files']} files in {full['seconds']:.2f} s "
              f"({full['cpu_seconds']:.2f} s CPU), {full['problems']} problems", file=sys.stderr)
        if full["problems"]:
            break
    one, _wall = run_child(ONE_FILE, changed_file(root), root)
    full = runs[-1]

    text = table(args.listings, args.seed, runs, one, summary, (load_before, os.getloadavg()[0]))
    print(text)
    problems = full["first_problems"] + one["first_problems"]
    if problems:
        print("Validation found problems in generated data (the generator must only make valid listings):",
              file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        handle.write("# Validation benchmark\n\n"
                     f"`.venv/bin/python benchmarks/validate_bench.py --listings {args.listings}"
                     f"{'' if args.seed == 1 else f' --seed {args.seed}'}`\n\n" + text)
    print(f"written to {os.path.relpath(RESULTS)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
