"""Benchmark enrichment: coordinates and time zones for a large directory, offline.

    .venv/bin/python benchmarks/enrich_bench.py [--listings 10000] [--seed 1] [--repeat 3]

Generates a directory with benchmarks/generate.py (reused when one with the
same N and seed is there), validates it once in a child process and pickles
the listings, then enriches them in fresh processes, one per run, so each run
pays the gazetteer load as the build does:

* ``cache + gazetteer`` (what the issue asks about): every in-person listing's
  own coordinates are removed first; one address in three is put in a geocode
  cache (``geocache.yml`` in a temporary folder, written before the clock
  starts), the rest are placed by ZIP code. Time zones then come from
  timezonefinder for the cached positions and from the ZIP codes for the rest.
* ``listing coordinates`` (the generated files as they are): every in-person
  listing has coordinates, so every one goes through timezonefinder.

Times are for ``load_gazetteer()`` + ``enrich()`` (the cache read, the
gazetteer load and timezonefinder's load included). Memory is the child's peak
RSS (VmHWM) with the listings loaded, before enrichment, and during it: the
peak is reset just before the clock starts (``/proc/self/clear_refs``), so
unpickling does not count. The table is printed and written to
benchmarks/results/enrich.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "enrich.md")
sys.path.insert(0, HERE)

from generate import DEFAULT_OUT, ensure_generated  # noqa: E402
from measure import MEMORY, run_json  # noqa: E402

LOAD = r"""
import pickle, sys
from recovery_directory.validate import validate_directory
result = validate_directory(sys.argv[1])
problems = [str(p) for p in result.problems]
with open(sys.argv[2], "wb") as handle:
    pickle.dump((result.listings, result.vocabularies), handle, protocol=pickle.HIGHEST_PROTOCOL)
import json
print(json.dumps({"listings": len(result.listings), "problems": problems[:20], "problem_count": len(problems)}))
"""

ENRICH = MEMORY + r"""
import collections, gc, json, pickle, sys, tempfile, time
scenario, pickled = sys.argv[1], sys.argv[2]
with open(pickled, "rb") as handle:
    listings, vocabularies = pickle.load(handle)
from recovery_directory import geocache
cache_root = tempfile.mkdtemp(prefix="enrich-bench-")
cached = 0
if scenario == "cache":
    entries = {}
    for index, listing in enumerate(l for l in listings if l.location):
        location = listing.location
        if index % 3 == 0:
            entries[geocache.address_key(location)] = geocache.Entry(location.latitude, location.longitude, "benchmark", None)
        location.latitude = location.longitude = location.precision = None
    geocache.save(cache_root, entries)
    cached = len(entries)
    del entries
gc.collect()
rss_before = status_kib("VmRSS")
reset = reset_peak()
cpu_started = time.process_time()
started = time.perf_counter()
from recovery_directory.enrich import enrich
from recovery_directory.gazetteer import load_gazetteer
gazetteer = load_gazetteer()
loaded = time.perf_counter()
problems = enrich(listings, vocabularies, cache_root, gazetteer=gazetteer)
done = time.perf_counter()
cpu = time.process_time() - cpu_started
peak = status_kib("VmHWM")
precision = collections.Counter(l.location.precision for l in listings if l.location)
sources = collections.Counter(l.timezone_source for l in listings)
print(json.dumps({
    "listings": len(listings), "cached": cached, "seconds": done - started, "cpu_seconds": cpu, "gazetteer_seconds": loaded - started,
    "rss_kib_before": rss_before, "peak_kib": peak, "peak_reset": reset,
    "precision": dict(precision), "timezone_sources": dict(sources),
    "unplaced": sum(1 for l in listings if l.location and not l.location.has_coordinates),
    "no_zone": sum(1 for l in listings if not l.timezone),
    "problems": [str(p) for p in problems[:20]], "problem_count": len(problems),
}))
"""

SCENARIOS = (("cache", "cache + gazetteer"), ("listing", "listing coordinates"))


def run_child(code: str, *args: str) -> dict:
    return run_json(code, *args, cwd=REPO)[0]


def mib(kib: float) -> str:
    return f"{kib / 1024:,.0f}"


def table(n: int, seed: int, results: dict[str, list[dict]], summary: dict) -> str:
    rows = [
        "| scenario | listings | seconds (gazetteer load) | CPU seconds | ms per 1,000 listings | RSS before (MiB) | peak RSS during (MiB) | placed by | time zones from | problems |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
    ]
    for key, label in SCENARIOS:
        runs = results[key]
        last = runs[-1]
        seconds = statistics.median(r["seconds"] for r in runs)
        loading = statistics.median(r["gazetteer_seconds"] for r in runs)
        cpu = statistics.median(r["cpu_seconds"] for r in runs)
        placed = ", ".join(f"{v:,} {k}" for k, v in sorted(last["precision"].items()))
        zones = ", ".join(f"{v:,} {k}" for k, v in sorted(last["timezone_sources"].items()))
        rows.append(f"| {label} | {last['listings']:,} | {seconds:.2f} ({loading:.2f}) | {cpu:.2f} | "
                    f"{seconds * 1000 / (last['listings'] / 1000):,.0f} | {mib(last['rss_kib_before'])} | "
                    f"{mib(max(r['peak_kib'] for r in runs))} | {placed} | {zones} | {last['problem_count']} |")
    runs_text = "; ".join(f"{label}: " + ", ".join(f"{r['seconds']:.2f}" for r in results[key]) for key, label in SCENARIOS)
    notes = [
        f"Generated directory: {n:,} listings, seed {seed} ({', '.join(f'{v:,} {k}' for k, v in summary.get('attendance', {}).items())}).",
        f"Seconds are the median of {len(results['cache'])} fresh process(es) per scenario ({runs_text}); "
        "they include reading the cache, loading the ZIP code gazetteer (in brackets) and timezonefinder. "
        "CPU seconds (median) are the process's own, less sensitive to other load on the machine.",
        f"cache + gazetteer: {results['cache'][-1]['cached']:,} addresses in the cache (one in three), "
        "every in-person listing's own coordinates removed first.",
        "RSS before: the process with the validated listings unpickled; peak RSS during: its high-water mark "
        "from just before the gazetteer load to the end of enrichment"
        + ("" if all(r["peak_reset"] for rs in results.values() for r in rs) else " (could not be reset: includes unpickling)") + ".",
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at the end; {dt.date.today().isoformat()}.",
    ]
    return "\n".join(rows) + "\n\n" + "\n".join(f"- {line}" for line in notes) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=10000, help="how many listings to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per scenario; the median is reported (default 3)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    root, summary, reused = ensure_generated(args.listings, args.seed, DEFAULT_OUT)
    how = "reused" if reused else f"generated in {time.perf_counter() - started:.1f} s"
    print(f"directory: {os.path.relpath(root)} ({how})", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="enrich-bench-") as scratch:
        pickled = os.path.join(scratch, "listings.pickle")
        loaded = run_child(LOAD, root, pickled)
        if loaded["problem_count"]:
            print("Validation found problems in generated data:", *loaded["problems"], sep="\n  ", file=sys.stderr)
            return 1
        results: dict[str, list[dict]] = {}
        for key, label in SCENARIOS:
            results[key] = []
            for _ in range(max(1, args.repeat)):
                run = run_child(ENRICH, key, pickled)
                results[key].append(run)
                print(f"{label}: {run['listings']:,} listings in {run['seconds']:.2f} s ({run['cpu_seconds']:.2f} s CPU) "
                      f"(gazetteer {run['gazetteer_seconds']:.2f} s), peak {mib(run['peak_kib'])} MiB, "
                      f"{run['problem_count']} problems", file=sys.stderr)

    text = table(args.listings, args.seed, results, summary)
    print(text)
    failures = [(label, r) for key, label in SCENARIOS for r in results[key][-1:] if r["problem_count"] or r["unplaced"] or r["no_zone"]]
    if failures:
        for label, r in failures:
            print(f"{label}: {r['problem_count']} problems, {r['unplaced']} not placed, {r['no_zone']} without a time zone",
                  *r["problems"], sep="\n  ", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        handle.write("# Enrichment benchmark\n\n"
                     f"`.venv/bin/python benchmarks/enrich_bench.py --listings {args.listings}"
                     f"{'' if args.seed == 1 else f' --seed {args.seed}'}`\n\n" + text)
    print(f"written to {os.path.relpath(RESULTS)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
