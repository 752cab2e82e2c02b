"""Benchmark the site build against a bare mkdocs-material site of the same size.

    .venv/bin/python benchmarks/build_bench.py [--sizes 1000,5000,20000] [--seed 1] [--no-bare] [--keep]
                                               [--commit REV] [--results FILE]
    .venv/bin/python benchmarks/build_bench.py --profile 5000 [--top 15] [--commit REV]

For each size N it generates a directory with benchmarks/generate.py (reused
when one with the same N, seed and generator is in benchmarks/out/), then, each
in a fresh Python process:

* **ours**: ``mkdocs build -d OUT`` of a temporary project whose mkdocs.yml
  INHERITs the repository's, with absolute paths for docs_dir, the theme's
  custom_dir and the hook, ``extra.directory.directory`` set to the generated
  directory and ``extra.directory.search: false``; then Pagefind over OUT on its
  own, with the flags the build uses (``run_pagefind``). The build's phases come
  from its own progress lines ("recovery-directory: validated … (X s)"), time
  stamped (wall and CPU) as they are logged;
* **bare**: a plain mkdocs-material project (same theme settings, Markdown
  extensions, ``font: false``, no plugins, so no search plugin) with one
  hand-written-style Markdown page per listing (title, facts, schedule table,
  address, contact, nearby listings, padded with sentences to the mean text
  length of our listing pages at that N) plus 50 other pages, 20 of them in a
  short nav; then Pagefind over it.

``--commit REV`` builds the site sources (mkdocs.yml, docs/, overrides/,
hooks/) of a commit, exported with ``git archive`` into a temporary folder
(node_modules/ linked from the repository), instead of the working tree: other
people's half-made edits then cannot break or skew a long run.

Each run reports wall and CPU seconds, the peak resident memory (``VmHWM`` of
the process that builds; for Pagefind, which runs as a grandchild, the
``RUSAGE_CHILDREN`` high-water mark of a small wrapper), the site's size on
disk, its HTML pages and the pages Pagefind indexed. The load average is noted
before each run: on a shared machine CPU seconds are the steadier figure. The
Markdown tables are printed and written to benchmarks/results/build.md (or
``--results FILE``), after every size, so a stopped run keeps the sizes it did.

``--profile N`` runs our build for N listings under cProfile
(``python -m cProfile -o FILE -m mkdocs build -q``) and prints the top entries by
cumulative time, overall and under hooks/recovery_directory (nothing is written
to results/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SOURCE = {"root": REPO, "version": None}  # the site's sources: the working tree, or a commit exported by --commit
RESULTS = os.path.join(HERE, "results", "build.md")
sys.path.insert(0, HERE)

from generate import DEFAULT_OUT, KIND_FOLDERS, ensure_generated  # noqa: E402
from measure import ENV, PEAK_RSS, run_logged, source_version  # noqa: E402
import measure  # noqa: E402

PAGEFIND_ARGS = ["--exclude-selectors", ".headerlink", "--silent"]  # as mkdocs_build.run_pagefind

# mkdocs in this process (so VmHWM is the build's own), with a log handler that
# time-stamps every record in wall and CPU seconds since the process started.
BUILD = PEAK_RSS + r"""
import json, logging, resource, sys, time
t0 = time.perf_counter()
records = []
class Stamp(logging.Handler):
    def emit(self, record):
        records.append([time.perf_counter() - t0, time.process_time(), record.levelname, record.getMessage(),
                        peak_rss_kib()])
stamp = Stamp(level=logging.INFO)
logging.getLogger("mkdocs").addHandler(stamp)
from mkdocs.__main__ import cli
code = 0
try:
    cli.main(args=sys.argv[2:], prog_name="mkdocs")
except SystemExit as exc:
    code = exc.code or 0
children = resource.getrusage(resource.RUSAGE_CHILDREN)
package = sys.modules.get("recovery_directory")
result = {
    "code": code, "package": getattr(package, "__file__", None), "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time(),
    "children_cpu_seconds": children.ru_utime + children.ru_stime, "children_peak_kib": children.ru_maxrss,
    "peak_kib": peak_rss_kib(), "records": records,
}
with open(sys.argv[1], "w") as handle:
    json.dump(result, handle)
"""

# A small process that runs Pagefind (python -m pagefind execs the binary) and
# reports its CPU and high-water mark through RUSAGE_CHILDREN.
PAGEFIND = PEAK_RSS + r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run([sys.executable, "-m", "pagefind", *sys.argv[2:]], capture_output=True, text=True)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as handle:
    json.dump({"code": proc.returncode, "output": proc.stdout + proc.stderr, "seconds": time.perf_counter() - t0,
               "cpu_seconds": children.ru_utime + children.ru_stime, "peak_kib": children.ru_maxrss,
               "wrapper_kib": peak_rss_kib()}, handle)
"""

PROFILE = r"""
import pstats, sys
stats = pstats.Stats(sys.argv[1])
top = int(sys.argv[2])
print("--- by cumulative time, everything")
stats.sort_stats("cumulative").print_stats(top)
print("--- by cumulative time, hooks/recovery_directory")
stats.sort_stats("cumulative").print_stats("recovery_directory", top)
print("--- by own time, everything")
stats.sort_stats("tottime").print_stats(top)
"""

PHASE = re.compile(r"recovery-directory: (?P<what>.+?) \((?P<s>[\d.]+) s\)$")
BUILT = re.compile(r"Documentation built in (?P<s>[\d.]+) seconds")
PHASE_NAMES = (  # progress line (its start) → phase name: the time from the line before to this one
    ("validated", "validate"),
    ("geocoded", "geocode, time zones (offline)"),
    ("generated", "model + generated files"),
    ("rendered", "nav, read, render, write pages"),
    ("wrote near-me", "near-me, online, calendar data"),
    ("wrote the sitemap", "sitemap, feeds"),
    ("wrote the service worker", "manifest, service worker"),
    ("indexed for search", "Pagefind (in the build)"),
)


# --- running things ------------------------------------------------------
def run_child(code: str, args: list[str], cwd: str, log_path: str) -> dict:
    """``python -c code RESULT args`` in a fresh process; its JSON result plus wall time."""
    return run_logged(code, args, cwd, log_path, prefix="build-bench-")


def build(project: str, site: str, label: str) -> dict:
    result = run_child(BUILD, ["build", "-d", site], project, os.path.join(project, f"{label}-build.log"))
    package = result.get("package")
    if label == "ours" and not (package and os.path.abspath(package).startswith(os.path.join(SOURCE["root"], "hooks") + os.sep)):
        raise SystemExit(f"the build imported recovery_directory from {package}, not from {SOURCE['root']}/hooks")
    result["phases"] = phases(result["records"])
    result["warnings"] = [r[3] for r in result["records"] if r[2] in ("WARNING", "ERROR")]
    result.update(site_stats(site))
    return result


def pagefind(project: str, site: str, label: str) -> dict:
    result = run_child(PAGEFIND, ["--site", site, *PAGEFIND_ARGS], project, os.path.join(project, f"{label}-pagefind.log"))
    index = os.path.join(site, "pagefind")
    result["index_bytes"] = sum(os.path.getsize(p) for p in walk_files(index))
    try:
        with open(os.path.join(index, "pagefind-entry.json"), encoding="utf-8") as handle:
            entry = json.load(handle)
        result["indexed_pages"] = sum(lang.get("page_count", 0) for lang in entry.get("languages", {}).values())
    except (OSError, ValueError):
        result["indexed_pages"] = None
    return result


def phases(records: list) -> list[dict]:
    """Our build's phases from its progress lines, with wall and CPU time stamped in the process.

    The first phase starts at MkDocs' "Cleaning site directory" line (just after
    on_config); the last one runs from the last progress line to MkDocs'
    "Documentation built" (whatever on_post_build does after its last line, and
    MkDocs' own wrap-up; before the service-worker line existed, the feeds)."""
    out: list[dict] = []
    previous = None
    for wall, cpu, _level, message, peak in records:
        if previous is None and message.startswith("Cleaning site directory"):
            previous = ("start", wall, cpu)
            out.append({"phase": "start-up: imports, config", "wall": wall, "cpu": cpu, "reported": None, "peak_kib": peak})
            continue
        match = PHASE.search(message)
        if match and previous:
            what = match["what"]
            name = next((n for key, n in PHASE_NAMES if what.startswith(key)), re.sub(r"\d[\d,]*", "N", what))
            out.append({"phase": name, "wall": wall - previous[1], "cpu": cpu - previous[2],
                        "reported": float(match["s"]), "line": message, "peak_kib": peak})
            previous = (what, wall, cpu)
        elif BUILT.search(message) and previous:
            out.append({"phase": "after the last progress line", "wall": wall - previous[1], "cpu": cpu - previous[2],
                        "reported": float(BUILT.search(message)["s"]), "line": message, "peak_kib": peak})
    return out


def walk_files(root: str):
    for folder, _dirs, files in os.walk(root):
        for name in files:
            yield os.path.join(folder, name)


def site_stats(site: str) -> dict:
    files = list(walk_files(site))
    html_files = [f for f in files if f.endswith(".html")]
    return {"site_bytes": sum(os.path.getsize(f) for f in files), "files": len(files), "html_pages": len(html_files)}


class _ArticleText(HTMLParser):
    """The text inside the theme's <article> (what a reader sees of the page's content)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def listing_page_sizes(pages: list[str]) -> tuple[float, float]:
    """Mean HTML bytes and mean article text characters over a sample of listing pages."""
    sample = random.Random(0).sample(pages, min(200, len(pages))) if pages else []
    html_sizes, text_sizes = [], []
    for path in sample:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        parser = _ArticleText()
        parser.feed(text)
        html_sizes.append(len(text.encode("utf-8")))
        text_sizes.append(len(" ".join("".join(parser.parts).split())))
    mean = lambda xs: sum(xs) / len(xs) if xs else 0.0  # noqa: E731
    return mean(html_sizes), mean(text_sizes)


# --- the two projects ----------------------------------------------------
def our_project(project: str, directory: str) -> None:
    """A mkdocs.yml that inherits the repository's; paths absolute, the directory swapped, no Pagefind."""
    root = SOURCE["root"]
    config = f"""INHERIT: {json.dumps(os.path.join(root, "mkdocs.yml"))}
docs_dir: {json.dumps(os.path.join(root, "docs"))}
theme:
  custom_dir: {json.dumps(os.path.join(root, "overrides"))}
hooks:
  - {json.dumps(os.path.join(root, "hooks", "directory.py"))}
watch: []
extra:
  directory:
    directory: {json.dumps(os.path.abspath(directory))}
    search: false
"""
    with open(os.path.join(project, "mkdocs.yml"), "w", encoding="utf-8") as handle:
        handle.write(config)


BARE_CONFIG = """site_name: Bare Directory
site_description: A plain mkdocs-material site of the same size, for comparison.
site_url: https://example.org/bare-directory/
repo_url: https://github.com/example/bare-directory
repo_name: example/bare-directory
edit_uri: edit/main/docs/
theme:
  name: material
  language: en
  font: false
  features: [content.action.edit, navigation.sections, navigation.top]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      accent: indigo
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      accent: indigo
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
plugins: []
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
not_in_nav: "*"
"""

DAY_NAMES = {d: d.capitalize() for d in ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")}
KIND_LABELS = {"groups": "Group", "family-groups": "Family group", "treatment-centers": "Treatment centre"}
PROSE = (
    "Meetings are free and open to anyone who wants to come. You do not need to sign up, give your name or "
    "say anything: many people just listen at their first meeting. Times change now and then, so check with "
    "the group before a long trip. If a detail here is wrong, tell us and we will correct the listing."
).split(". ")
# Sentences that pad a bare listing page to the text length of ours (picked at random, seeded).
FILLER = (
    "Newcomers are welcome and nobody has to speak", "Coffee is usually ready a few minutes before the start",
    "The room is on the ground floor and has step-free access", "Parking is free after six in the evening",
    "Literature is available at the table by the door", "A phone list is passed round at the end",
    "Chairs rotate every month among the regular members", "Children are not usually present",
    "Service positions are open to anyone with some time in recovery", "The meeting closes with a moment of silence",
    "Speakers share their experience for about twenty minutes", "Anniversaries are celebrated on the last Friday",
    "Visitors from out of town often drop in during the summer", "The group keeps no records of who attends",
    "Bus routes stop two blocks away on the main road", "Masks are optional in the meeting room",
    "The entrance is round the back, past the kitchen", "Quiet rooms are available for anyone who needs a break",
    "A business meeting follows on the first Sunday", "Sponsors can be found by asking after the meeting",
    "Large-print readings are kept in the cupboard", "The building has a lift to the first floor",
    "Tea and biscuits are shared after the reading", "Late arrivals can come in quietly at any time",
    "Contributions go to rent and literature only", "Online members join through the same link each week",
    "The host can turn on captions for the video call", "Interpreters can be arranged with a week's notice",
    "Holiday schedules are posted a month in advance", "Members are glad to answer questions by phone",
)


def _names(directory: str, file: str) -> dict[str, str]:
    import yaml

    with open(os.path.join(directory, file), encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out = {}
    for code, entry in data.items():
        name = entry.get("name") if isinstance(entry, dict) else None
        out[str(code)] = (name.get("en") if isinstance(name, dict) else name) or str(code)
    return out


def _regions(directory: str) -> dict[str, tuple[str, str]]:
    """region slug → (name, state name)."""
    import yaml

    with open(os.path.join(directory, "regions.yml"), encoding="utf-8") as handle:
        states = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []
    out = {}
    for state in states:
        out[state["slug"]] = (state["name"], state["name"])
        for city in state.get("regions") or ():
            out[city["slug"]] = (city["name"], state["name"])
    return out


def _clock(value: str) -> str:
    hour, minute = (int(x) for x in str(value).split(":"))
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _plain_length(markdown: str) -> int:
    """About how many characters of text a Markdown page shows (markup and runs of spaces removed)."""
    return len(" ".join(re.sub(r"[|*#\[\]()`]+|^- |-{3,}", " ", markdown, flags=re.M).split()))


def bare_project(project: str, directory: str, target_text: float = 0.0, pages: int | None = None) -> int:
    """Write the bare project: one Markdown page per listing, like ours in text, and 50 more.

    ``target_text``: pad each listing page with sentences until it shows about
    that many characters (our listing pages' mean, measured on our build).
    ``pages``: this many pages in all instead, the listings' pages written again
    under other names (``<slug>--copy-2``, …: the generator's own slugs end in
    ``-2`` where a town has two listings of one name) as far as needed: a bare
    site of as many plain pages as ours has."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    types = _names(directory, "meeting-types.yml")
    fellowships = _names(directory, "fellowships.yml")
    services = _names(directory, "services.yml")
    regions = _regions(directory)
    listings = []
    for folder in KIND_FOLDERS:
        for path in sorted(glob.glob(os.path.join(directory, folder, "*.yml"))):
            with open(path, encoding="utf-8") as handle:
                listings.append((folder, os.path.basename(path)[:-4], yaml.load(handle, Loader=loader)))
    by_region = defaultdict(list)
    for i, (_folder, _slug, data) in enumerate(listings):
        by_region[data.get("region")].append(i)

    def schedule(data) -> str:
        return " · ".join(f"{DAY_NAMES.get(m.get('day'), m.get('day'))} {_clock(m['time'])}"
                          for m in (data.get("meetings") or [])[:3])

    docs = os.path.join(project, "docs")
    total = max(len(listings), (pages or 0) - 50)
    for page in range(total):
        i = page % len(listings)
        folder, slug, data = listings[i]
        copy = page // len(listings)
        region, state = regions.get(data.get("region"), (data.get("region") or "", ""))
        fellowship = fellowships.get(data.get("fellowship"), "") if data.get("fellowship") else ""
        loc = data.get("location") or {}
        lines = [f"Regions › {state} › {region}", "", f"# {data['name']}", "",
                 f"**Kind:** {KIND_LABELS[folder]}  ", f"**Region:** {region}  ",
                 f"**Languages:** {', '.join(data.get('languages') or ['en'])}  "]
        if fellowship:
            lines.append(f"**Fellowship:** {fellowship}  ")
        if data.get("services"):
            lines.append(f"**Services:** {', '.join(services.get(s, s) for s in data['services'])}  ")
        if data.get("meetings"):
            lines += ["", "## Schedule", "", "Time zone: local time", "", "| Day | Time | Types | Notes |",
                      "| --- | --- | --- | --- |"]
            for m in data["meetings"]:
                when = _clock(m["time"]) + (f" – {_clock(m['end_time'])}" if m.get("end_time") else "")
                kinds = ", ".join(types.get(str(t), str(t)) for t in m.get("types") or ())
                lines.append(f"| {DAY_NAMES.get(m.get('day'), m.get('day'))} | {when} | {_cell(kinds)} | {_cell(m.get('notes', ''))} |")
            lines += ["", "[Add to calendar (.ics)](#)"]
        if loc.get("address") or loc.get("city"):
            lines += ["", "## Address", ""]
            if loc.get("name"):
                lines.append(f"**{loc['name']}**  ")
            if loc.get("address"):
                lines.append(f"{loc['address']}  ")
            lines += [f"{loc.get('city', '')}, {loc.get('state', '')} {loc.get('postal_code', '')}", "", "[Directions](#)"]
        lines += ["", "## Contact", ""]
        for key, label in (("website", "Website"), ("email", "E-mail"), ("phone", "Phone")):
            if data.get(key):
                lines.append(f"- {label}: {data[key]}")
        neighbours = [j for j in by_region[data.get("region")] if j != i][:3]
        if neighbours:
            lines += ["", "## Nearby", "", "Distances are in a straight line, not by road.", ""]
            for j in neighbours:
                other = listings[j][2]
                fellow = fellowships.get(other.get("fellowship"), "") if other.get("fellowship") else ""
                lines.append(f"- **{other['name']}**, {region}, {fellow}. Meets: {schedule(other) or 'see the listing'}")
        lines += ["", f"Last verified: {data.get('last_verified', 'Not verified yet')}. "
                  + PROSE[i % len(PROSE)].rstrip(".") + ".", "", "Suggest a change · Report a problem", ""]
        rng = random.Random(page)  # page == i for the first of each listing
        length = _plain_length("\n".join(lines))
        if length < target_text:
            lines += ["## About this listing", ""]
            paragraph: list[str] = []
            while length < target_text:
                sentence = rng.choice(FILLER) + "."
                paragraph.append(sentence)
                length += len(sentence) + 1
                if len(paragraph) == 4:
                    lines += [" ".join(paragraph), ""]
                    paragraph = []
            lines += [" ".join(paragraph), ""]
        out = os.path.join(docs, folder, f"{slug}--copy-{copy + 1}.md" if copy else f"{slug}.md")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))

    # 50 more pages: a home page and 19 in a short nav (like ours), 30 outside it.
    paragraph = " ".join(PROSE)
    nav = ["nav:", "  - Home: index.md", "  - Pages:"]
    for k in range(50):
        name = "index.md" if k == 0 else f"pages/page-{k:02d}.md"
        os.makedirs(os.path.dirname(os.path.join(docs, name)), exist_ok=True)
        with open(os.path.join(docs, name), "w", encoding="utf-8") as handle:
            handle.write(f"# Page {k}\n\n{paragraph}\n\n## More\n\n{paragraph}\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
        if 0 < k < 20:
            nav.append(f"      - Page {k}: {name}")
    with open(os.path.join(project, "mkdocs.yml"), "w", encoding="utf-8") as handle:
        handle.write(BARE_CONFIG + "\n".join(nav) + "\n")
    return total + 50


# --- reporting -----------------------------------------------------------
def mib(kib_or_bytes: float, unit: str = "kib") -> str:
    value = kib_or_bytes / 1024 if unit == "kib" else kib_or_bytes / 1024 / 1024
    return f"{value:,.0f}"


def secs(wall: float, cpu: float) -> str:
    return f"{cpu:.1f} ({wall:.1f})"


def total(b: dict, p: dict) -> tuple[float, float]:
    return b["wall"] + p["wall"], b["cpu_seconds"] + b["children_cpu_seconds"] + p["cpu_seconds"]


def tables(rows: list[dict]) -> str:
    has_bare = any(r.get("bare") for r in rows)
    out = ["### Totals", "",
           "CPU seconds, with wall seconds in brackets; peak resident memory in MiB. "
           "Our total is our build plus Pagefind run after it; the peak of the pipeline is the larger of the two.", ""]
    head = ("| N listings | ours: pages | ours: build | ours: Pagefind | ours: total | ours: peak build / Pagefind")
    sep = "| ---: | ---: | ---: | ---: | ---: | ---: "
    if has_bare:
        head += " | bare: pages | bare: build | bare: Pagefind | bare: total | bare: peak build / Pagefind | ours/bare total CPU (wall) | ours/bare CPU per page"
        sep += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: "
    out += [head + " |", sep + "|"]
    for r in rows:
        ob, op = r["ours"], r["ours_pagefind"]
        owall, ocpu = total(ob, op)
        cells = [f"{r['n']:,}", f"{ob['html_pages']:,}", secs(ob["wall"], ob["cpu_seconds"]),
                 secs(op["wall"], op["cpu_seconds"]), secs(owall, ocpu),
                 f"{mib(ob['peak_kib'])} / {mib(op['peak_kib'])}"]
        if has_bare and r.get("bare"):
            bb, bp = r["bare"], r["bare_pagefind"]
            bwall, bcpu = total(bb, bp)
            per_page = (ocpu / ob["html_pages"]) / (bcpu / bb["html_pages"])
            cells += [f"{bb['html_pages']:,}", secs(bb["wall"], bb["cpu_seconds"]), secs(bp["wall"], bp["cpu_seconds"]),
                      secs(bwall, bcpu), f"{mib(bb['peak_kib'])} / {mib(bp['peak_kib'])}",
                      f"{ocpu / bcpu:.2f} ({owall / bwall:.2f})", f"{per_page:.2f}"]
        elif has_bare:
            cells += ["–"] * 7
        out.append("| " + " | ".join(cells) + " |")

    out += ["", "### Where our build's time goes", "",
            "From the build's progress lines, time-stamped in the building process as they are logged: "
            "CPU seconds (wall in brackets), the share of the build's CPU time, and CPU milliseconds per "
            "1,000 listings (a phase that grows faster than N shows here).", ""]
    names: list[str] = []
    for r in rows:
        for ph in r["ours"]["phases"]:
            if ph["phase"] not in names:
                names.append(ph["phase"])
    out.append("| phase | " + " | ".join(f"N = {r['n']:,}" for r in rows) + " | " +
               " | ".join(f"ms CPU per 1,000 listings, N = {r['n']:,}" for r in rows) + " |")
    out.append("| --- |" + " ---: |" * (2 * len(rows)))
    for name in names:
        cells, per = [], []
        for r in rows:
            ph = next((p for p in r["ours"]["phases"] if p["phase"] == name), None)
            if ph is None:
                cells.append("–")
                per.append("–")
                continue
            share = ph["cpu"] / r["ours"]["cpu_seconds"] * 100
            cells.append(f"{ph['cpu']:.2f} ({ph['wall']:.2f}), {share:.0f} %")
            per.append(f"{ph['cpu'] * 1000 / (r['n'] / 1000):,.0f}")
        out.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(per) + " |")
    out.append("| whole build process | " + " | ".join(
        f"{r['ours']['cpu_seconds']:.2f} ({r['ours']['wall']:.2f}), 100 %" for r in rows) + " | " + " | ".join(
        f"{r['ours']['cpu_seconds'] * 1000 / (r['n'] / 1000):,.0f}" for r in rows) + " |")

    out += ["", "Peak resident memory of our build process (`VmHWM`, MiB) when each phase ends:", "",
            "| phase | " + " | ".join(f"N = {r['n']:,}" for r in rows) + " |", "| --- |" + " ---: |" * len(rows)]
    for name in names:
        cells = []
        for r in rows:
            ph = next((p for p in r["ours"]["phases"] if p["phase"] == name), None)
            cells.append(mib(ph["peak_kib"]) if ph and ph.get("peak_kib") else "–")
        out.append(f"| {name} | " + " | ".join(cells) + " |")

    out += ["", "### Sites", "",
            "Size on disk is the sum of the files' sizes; the Pagefind index is counted apart. "
            "Listing pages: mean HTML size and mean text inside the theme's `<article>` over 200 of them.", ""]
    out.append("| N listings | site | HTML pages | files | size (MiB) | Pagefind index (MiB) | pages indexed | "
               "listing page HTML (KB) | listing page text (chars) | load average before build, Pagefind |")
    out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        for label, b, p in (("ours", r["ours"], r["ours_pagefind"]), ("bare", r.get("bare"), r.get("bare_pagefind"))):
            if not b:
                continue
            out.append(f"| {r['n']:,} | {label} | {b['html_pages']:,} | {b['files']:,} | {mib(b['site_bytes'], 'b')} | "
                       f"{mib(p['index_bytes'], 'b')} | {p['indexed_pages'] if p['indexed_pages'] is not None else '?'} | "
                       f"{b['listing_html'] / 1000:.1f} | {b['listing_text']:,.0f} | {b['load']:.1f}, {p['load']:.1f} |")

    lines = []
    for r in rows:
        reported = [ph["line"] for ph in r["ours"]["phases"] if ph.get("line")]
        lines.append(f"- N = {r['n']:,}: " + "; ".join(f"`{line}`" for line in reported))
        if r["ours"]["warnings"] or (r.get("bare") and r["bare"]["warnings"]):
            lines.append(f"  - warnings: ours {len(r['ours']['warnings'])}, bare "
                         f"{len(r['bare']['warnings']) if r.get('bare') else '–'}")
    out += ["", "### The build's own progress lines (wall seconds since on_config)", ""] + lines
    return "\n".join(out) + "\n"


def notes(rows: list[dict], seed: int, started_load: tuple, ended_load: tuple) -> str:
    items = [
        f"Generated directories, seed {seed}: " + "; ".join(
            f"{r['n']:,} listings ({r['summary'].get('meetings', 0):,} meetings, {r['summary'].get('regions', 0)} regions)"
            for r in rows) + ".",
        "Ours: `mkdocs build -d OUT` (not `-q`, to get the progress lines) with the repository's mkdocs.yml inherited "
        "and `extra.directory.search: false`, then `python -m pagefind --site OUT "
        + " ".join(PAGEFIND_ARGS) + "` as its own process (what the build would run at its end).",
        "Bare: mkdocs-material with the same theme settings and Markdown extensions, `font: false`, `plugins: []`, "
        "one Markdown page per listing (facts, schedule table, address, contact, nearby, then sentences to reach "
        "the mean text length of our listing pages at that N) plus 50 pages, 20 in the nav; "
        "then the same Pagefind command. A bare page has no `data-pagefind-body`, so Pagefind indexes its whole "
        "`<body>` (nav and footer too); ours index only the listing's content.",
        "Peak memory: `VmHWM` of the building process; for Pagefind, `ru_maxrss` of a small wrapper's children "
        "(the binary that `python -m pagefind` execs).",
        f"Load average (1 min): {started_load[0]:.1f} at the start, {ended_load[0]:.1f} at the end, per run in the "
        "Sites table. With a load near or above the CPU count the machine was shared: wall seconds are inflated, "
        "CPU seconds less so (but caches and hyper-threads are shared too).",
        f"Package from {SOURCE['version'] or source_version()}. Python {platform.python_version()} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s); {dt.date.today().isoformat()}.",
    ]
    return "\n".join(f"- {line}" for line in items) + "\n"


# --- main ----------------------------------------------------------------
def run_size(n: int, seed: int, bare: bool, keep: bool) -> dict:
    directory, summary, reused = ensure_generated(n, seed, DEFAULT_OUT)
    print(f"N = {n:,}: directory {os.path.relpath(directory, REPO)} ({'reused' if reused else 'generated'})",
          file=sys.stderr)
    row: dict = {"n": n, "summary": summary}
    with measure.scratch(f"build-bench-n{n}-", keep) as work:
        ours = os.path.join(work, "ours")
        os.makedirs(ours)
        our_project(ours, directory)
        site = os.path.join(ours, "site")
        measure.settle()
        row["ours"] = build(ours, site, "ours")
        row["ours"]["listing_html"], row["ours"]["listing_text"] = listing_page_sizes(
            [p for f in KIND_FOLDERS for p in glob.glob(os.path.join(site, f, "*", "index.html"))])
        row["ours_pagefind"] = pagefind(ours, site, "ours")
        report(n, "ours", row["ours"], row["ours_pagefind"])
        if not keep:
            shutil.rmtree(site)
        if bare:
            project = os.path.join(work, "bare")
            os.makedirs(project)
            made = time.perf_counter()
            pages = bare_project(project, directory, row["ours"]["listing_text"])
            print(f"  bare project: {pages:,} Markdown pages written in {time.perf_counter() - made:.1f} s",
                  file=sys.stderr)
            site = os.path.join(project, "site")
            measure.settle()  # our site was deleted a moment ago
            row["bare"] = build(project, site, "bare")
            row["bare"]["listing_html"], row["bare"]["listing_text"] = listing_page_sizes(
                [p for f in KIND_FOLDERS for p in glob.glob(os.path.join(site, f, "*", "index.html"))])
            row["bare_pagefind"] = pagefind(project, site, "bare")
            report(n, "bare", row["bare"], row["bare_pagefind"])
    return row


def report(n: int, label: str, b: dict, p: dict) -> None:
    print(f"  {label}: build {b['cpu_seconds']:.1f} s CPU ({b['wall']:.1f} s wall, load {b['load']:.1f}), "
          f"peak {mib(b['peak_kib'])} MiB, {b['html_pages']:,} pages, {mib(b['site_bytes'], 'b')} MiB; "
          f"Pagefind {p['cpu_seconds']:.1f} s CPU ({p['wall']:.1f} s wall), peak {mib(p['peak_kib'])} MiB, "
          f"{p['indexed_pages']} pages indexed", file=sys.stderr)
    for ph in b.get("phases", []) if label == "ours" else []:
        print(f"    {ph['phase']}: {ph['cpu']:.2f} s CPU ({ph['wall']:.2f} s wall)", file=sys.stderr)


def profile(n: int, seed: int, top: int, keep: bool) -> int:
    directory, _summary, reused = ensure_generated(n, seed, DEFAULT_OUT)
    with measure.scratch(f"build-bench-profile-n{n}-", keep, indent="") as work:
        our_project(work, directory)
        prof = os.path.join(work, "build.prof")
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "cProfile", "-o", prof, "-m", "mkdocs", "build", "-q",
                               "-d", os.path.join(work, "site")], cwd=work, env=ENV)
        print(f"profiled build of {n:,} listings: {time.perf_counter() - started:.1f} s wall "
              f"(directory {'reused' if reused else 'generated'}, load {os.getloadavg()[0]:.1f})")
        if proc.returncode:
            return proc.returncode
        return subprocess.run([sys.executable, "-c", PROFILE, prof, str(top)], cwd=work).returncode


def export_commit(rev: str) -> None:
    """Point SOURCE at a copy of ``rev``'s site sources (removed at exit): a tree that others' edits do not touch."""
    root, version = measure.export_commit(rev, ("mkdocs.yml", "docs", "overrides", "hooks"), prefix="build-bench-src-")
    SOURCE.update(root=root, version=version)
    print(f"site sources: {SOURCE['version']} in {root}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="listing counts, comma-separated (default 1000,5000,20000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare mkdocs-material baseline")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites (printed)")
    parser.add_argument("--results", default=RESULTS, help="where to write the tables (default benchmarks/results/build.md)")
    parser.add_argument("--profile", type=int, metavar="N", help="profile our build of N listings with cProfile instead")
    parser.add_argument("--top", type=int, default=15, help="entries to show with --profile (default 15)")
    parser.add_argument("--commit", metavar="REV", help="build the site sources (mkdocs.yml, docs/, overrides/, hooks/) "
                        "of this commit, exported with git archive, instead of the working tree")
    args = parser.parse_args(argv)
    if args.commit:
        export_commit(args.commit)
    if args.profile:
        return profile(args.profile, args.seed, args.top, args.keep)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes: whole numbers separated by commas, e.g. 1000,5000")
    started_load = os.getloadavg()
    command = "`.venv/bin/python benchmarks/build_bench.py --sizes " + ",".join(str(n) for n in sizes)
    command += (" --no-bare" if args.no_bare else "") + (f" --seed {args.seed}" if args.seed != 1 else "")
    command += (f" --commit {args.commit}" if args.commit else "") + "`"
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    rows: list[dict] = []
    for n in sizes:
        rows.append(run_size(n, args.seed, not args.no_bare, args.keep))
        # Written after every size, so a run stopped during a large N keeps the smaller ones.
        text = tables(rows) + "\n" + notes(rows, args.seed, started_load, os.getloadavg())
        unfinished = [f"{m:,}" for m in sizes[len(rows):]]
        with open(args.results, "w", encoding="utf-8") as handle:
            handle.write(f"# Build benchmark\n\n{command}\n\n"
                         + (f"(Partial: N = {', '.join(unfinished)} still to run.)\n\n" if unfinished else "") + text)
    print(text)
    print(f"written to {os.path.relpath(args.results, REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
