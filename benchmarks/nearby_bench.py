"""Benchmark the connections between listings: nearby listings and treatment
centres' groups, as the build computes them after validation and enrichment.

    .venv/bin/python benchmarks/nearby_bench.py [--listings 2000 10000 50000] [--seed 1] [--repeat 3] [--build 2000]

For each size, generates a directory with benchmarks/generate.py (or reuses
it; its listings carry their own coordinates, so no enrichment is needed), then
in a fresh Python process validates it and times, on the valid listings:

* ``find_neighbours``: the nearest meetings, family groups and treatment
  centres of every listing with coordinates (nearby.py);
* ``link_centres``: each centre's groups, named or at its address
  (peer_support.py);
* rendering the "Nearby" lists of every listing page through the site's own
  macro (``nearby_list`` in overrides/directory/macros.html), without MkDocs.

Times are the median of ``--repeat`` runs, in CPU seconds of the process
(``time.process_time``: the machine may be shared) and in wall seconds. Memory
is what ``find_neighbours`` and ``link_centres`` allocate at their peak and
what their results keep (``tracemalloc``, a separate run), and the process's
peak resident memory (VmHWM) after validation and after the connections. The
Markdown table is printed and written to benchmarks/results/nearby.md.

``--build N`` also runs two whole ``mkdocs build``s of N listings (no search
index), one with the connections replaced by nothing, and reports the CPU
seconds each took.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "nearby.md")
sys.path.insert(0, HERE)

from generate import ensure_generated  # noqa: E402

# Runs in a fresh process and prints one JSON line.
CHILD = r"""
import json, os, statistics, sys, time, tracemalloc
import jinja2
from recovery_directory.validate import validate_directory
from recovery_directory.nearby import find_neighbours, Grid
from recovery_directory.peer_support import link_centres
from recovery_directory.render import Formats, catalogue, make_environment

def vm_hwm_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0

path, repeat, overrides = sys.argv[1], int(sys.argv[2]), sys.argv[3]
directory = validate_directory(path)
assert directory.ok, [str(p) for p in directory.errors[:5]]
listings = directory.listings
family_of = {t.code: t.extra["family"] for t in directory.vocabularies.terms["fellowships"] if t.extra.get("family")}
hwm_validated = vm_hwm_kib()

def timed(call):
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = call()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return result, statistics.median(cpu), statistics.median(wall)

examined = [0]
nearest = Grid.nearest
def counting(self, here, limits):
    found = nearest(self, here, limits)
    examined[0] += 1
    return found
neighbours, near_cpu, near_wall = timed(lambda: find_neighbours(listings, family_of))
links, link_cpu, link_wall = timed(lambda: link_centres(listings))
hwm_connected = vm_hwm_kib()

Grid.nearest = counting
find_neighbours(listings, family_of)
searches = examined[0]
Grid.nearest = nearest

env = make_environment(jinja2.FileSystemLoader(overrides))
template = env.from_string(
    "{% import 'directory/macros.html' as m %}"
    "{% for kind in ('groups', 'family_groups', 'treatment_centers') %}"
    "{{ m.nearby_list(n[kind], t, fmt, vocab, link, listing_url, 'mi') }}{% endfor %}")
context = dict(t=catalogue("en"), fmt=Formats("en"), vocab=directory.vocabularies,
               link=lambda url: url, listing_url=lambda l: l.kind + "/" + l.slug + "/")
def render_all():
    return sum(len(template.render(n={"groups": n.groups, "family_groups": n.family_groups,
                                      "treatment_centers": n.treatment_centers}, **context)) for n in neighbours.values())
html_chars, render_cpu, render_wall = timed(render_all)

tracemalloc.start()
kept = (find_neighbours(listings, family_of), link_centres(listings))
retained, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()

shown = lambda attr: statistics.mean(len(getattr(n, attr)) for n in neighbours.values()) if neighbours else 0
print(json.dumps({
    "listings": len(listings), "placed": len(neighbours), "searches": searches,
    "near_cpu": near_cpu, "near_wall": near_wall, "link_cpu": link_cpu, "link_wall": link_wall,
    "render_cpu": render_cpu, "render_wall": render_wall, "html_chars": html_chars,
    "alloc_peak_mib": peak / 2**20, "retained_mib": retained / 2**20,
    "hwm_validated_mib": hwm_validated / 1024, "hwm_connected_mib": hwm_connected / 1024,
    "mean_groups": shown("groups"), "mean_family": shown("family_groups"), "mean_centres": shown("treatment_centers"),
    "paired": sum(1 for n in neighbours.values() if n.family_fellowship),
    "centres_linked": len(links.by_centre), "groups_linked": len(links.by_group),
}))
"""


# A whole `mkdocs build` of a generated directory, in a fresh process, with the
# connections computed ("with") or replaced by nothing ("without").
BUILD_CHILD = r"""
import json, os, sys, time, yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
directory, mode, project, repo = sys.argv[1:5]
if mode == "without":
    import recovery_directory.site_model as site_model
    from recovery_directory.peer_support import PeerSupport
    site_model.find_neighbours = lambda *args, **kwargs: {}
    site_model.link_centres = lambda listings: PeerSupport({}, {})
config_file = os.path.join(project, "mkdocs.yml")
with open(config_file, "w") as handle:
    yaml.safe_dump({"INHERIT": os.path.join(repo, "mkdocs.yml"), "docs_dir": os.path.join(repo, "docs"),
                    "site_dir": os.path.join(project, "site-" + mode),
                    "theme": {"name": "material", "custom_dir": os.path.join(repo, "overrides")},
                    "hooks": [os.path.join(repo, "hooks", "directory.py")], "watch": [],
                    "extra": {"directory": {"directory": directory, "search": False}}}, handle)
config = load_config(config_file)
c0, w0 = time.process_time(), time.perf_counter()
build(config)
print(json.dumps({"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0}))
"""


def run_build(n: int, seed: int) -> dict:
    """CPU and wall seconds of a whole build with and without the connections."""
    import tempfile

    path, _, _ = ensure_generated(n, seed)
    found = {"listings": n}
    with tempfile.TemporaryDirectory(prefix="nearby-bench-") as project:
        for mode in ("without", "with"):
            command = [sys.executable, "-c", BUILD_CHILD, path, mode, project, REPO]
            result = subprocess.run(command, capture_output=True, text=True, cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
            if result.returncode != 0:
                raise SystemExit(f"build ({mode}) failed:\n{result.stderr[-3000:]}")
            found[mode] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def run(n: int, seed: int, repeat: int) -> dict:
    path, summary, reused = ensure_generated(n, seed)
    print(f"{'reusing' if reused else 'generated'} {path}", file=sys.stderr)
    command = [sys.executable, "-c", CHILD, path, str(repeat), os.path.join(REPO, "overrides")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(rows: list[dict], seed: int, repeat: int) -> str:
    lines = [
        "# Connections benchmark: nearby listings and centres' groups",
        "",
        f"`.venv/bin/python benchmarks/nearby_bench.py --listings {' '.join(str(r['listings']) for r in rows)} --seed {seed} --repeat {repeat}`",
        "",
        "| listings | with coordinates | searches | nearby CPU s | nearby wall s | CPU ms per 1,000 | centres' groups CPU s | render lists CPU s | allocated at peak (MiB) | kept (MiB) | peak RSS after validation → after (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['listings']:,} | {r['placed']:,} | {r['searches']:,} | {r['near_cpu']:.2f} | {r['near_wall']:.2f} "
            f"| {1000 * r['near_cpu'] / max(r['placed'], 1) * 1000:.0f} | {r['link_cpu']:.3f} | {r['render_cpu']:.2f} "
            f"| {r['alloc_peak_mib']:.1f} | {r['retained_mib']:.1f} | {r['hwm_validated_mib']:.0f} → {r['hwm_connected_mib']:.0f} |")
    last = rows[-1]
    lines += [
        "",
        f"- At {last['listings']:,} listings a page shows on average {last['mean_groups']:.1f} meetings, "
        f"{last['mean_family']:.1f} family groups and {last['mean_centres']:.1f} treatment centres nearby; "
        f"{last['paired']:,} groups have their paired family fellowship first; "
        f"{last['centres_linked']:,} centres link {last['groups_linked']:,} groups.",
        "- CPU seconds are the median of the runs, for the process alone; wall seconds also count waiting for a shared CPU.",
        "- \"Allocated at peak\" and \"kept\" are from tracemalloc around find_neighbours and link_centres; peak RSS is the process's VmHWM.",
        "- \"Render lists\" renders only the Nearby lists of every listing page through the site's macro, without MkDocs.",
        f"- Python {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s); {dt.date.today().isoformat()}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, nargs="*", default=[2000, 10000, 50000],
                        help="sizes to time (none: only --build, appended to the results)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", type=int, default=0, metavar="N",
                        help="also time a whole mkdocs build of N listings with and without the connections")
    args = parser.parse_args(argv)
    text = table([run(n, args.seed, args.repeat) for n in args.listings], args.seed, args.repeat) if args.listings else ""
    if args.build:
        b = run_build(args.build, args.seed)
        added = b["with"]["cpu"] - b["without"]["cpu"]
        text += (f"\nWhole `mkdocs build` (no search index) of {args.build:,} listings, in CPU seconds: "
                 f"{b['without']['cpu']:.1f} without the connections, {b['with']['cpu']:.1f} with "
                 f"({added:+.1f} s, {100 * added / b['without']['cpu']:+.0f}%); wall {b['without']['wall']:.1f} → {b['with']['wall']:.1f} s.\n")
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "a" if not args.listings else "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
