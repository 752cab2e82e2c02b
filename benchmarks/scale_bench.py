"""The national directory at scale: the whole two-language build from 1,000 to 100,000 listings.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 1000,10000,50000,100000] [--bare-sizes 1000,20000] [--bare-pages listings|ours|both]
                                               [--seed 1] [--commit REV | --snapshot] [--query Houston] [--keep]
                                               [--no-browser] [--results FILE]

For every N in --sizes and --bare-sizes (smallest first) it:

1. generates the directory, or reuses it (``generate.ensure_generated``);
2. times a pull request's check, ``recovery-directory validate --directory D FILE``
   for one listing, in a fresh process (interpreter start-up and imports included);
3. builds the whole site as a maintainer does, ``recovery-directory build`` (the
   English and Spanish ``mkdocs build`` side by side, then Pagefind over both),
   for a temporary project whose ``mkdocs.yml`` and ``mkdocs.es.yml`` INHERIT the
   repository's with the directory swapped (``languages_bench.project``). A
   thread reads /proc every 50 ms for the peak of the SUM of resident memory
   over the whole process tree, and each process's own ``VmHWM``. A small
   ``sitecustomize`` (on PYTHONPATH for this run only) time-stamps each build's
   log lines with wall and CPU seconds as they are logged, which gives CPU
   seconds and memory per phase; the phases themselves come from the builds'
   progress lines ("recovery-directory: <what> (<s> s)"), whatever they are;
4. measures the site: bytes and files on disk; in headless Chromium, what the
   search page transfers for a first query (served with gzip, as static hosts
   do) and what "meetings near me" transfers for a ZIP code search
   (``near_me_bench.measure``);
5. at --bare-sizes, builds a bare mkdocs-material site of one Markdown page per
   listing (``build_bench.bare_project``), and/or one of as many plain pages as
   ours has (``--bare-pages``: the issue's "same number of plain pages"), each
   in two languages side by side, then Pagefind over both, and gives the ratio
   ours / bare. Before each measured build it settles the file system
   (``measure.settle``).

The tables are printed and written to benchmarks/results/scale.md after every
size, so a stopped run keeps the sizes it finished. ``--commit REV`` builds a
commit's sources (exported with git archive) instead of the working tree;
``--snapshot`` a copy of the working tree made at the start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import glob
import gzip
import http.server
import io
import json
import os
import platform
import re
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "scale.md")
sys.path.insert(0, HERE)

import measure  # noqa: E402
from generate import DEFAULT_OUT, KIND_FOLDERS, ensure_generated  # noqa: E402

SOURCE = {"root": REPO, "version": None, "pythonpath": None}  # the working tree, or a commit exported by --commit
SOURCE_PATHS = ("mkdocs.yml", "mkdocs.es.yml", "docs", "docs-es", "overrides", "hooks")
LANGUAGES = ("en", "es")
BUILD_JOBS: list[str] = []  # ["--jobs", "1"] with --jobs: languages one after another (lower peak, longer wall)
# The bare sites measured beside ours (--bare-pages): a page per listing, and/or as many pages as ours.
BARE_KINDS = {"listings": ("bare",), "ours": ("bare_pages",), "both": ("bare", "bare_pages")}
BARE_LABELS = {"bare": "bare, a page per listing", "bare_pages": "bare, as many pages as ours"}
SETTLED: list[str] = []  # what measure.settle did before each measured build, for the notes
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
NEAR_ME = (("ZIP 10001, New York", "10001"), ("ZIP 59301, Miles City MT (rural)", "59301"))
PR_TARGET_SECONDS = 5.0

# --- progress lines --------------------------------------------------------
PROGRESS = re.compile(r"recovery-directory: (?P<what>.+?) \((?P<s>\d+(?:\.\d+)?) s\)\s*$")
BUILT = re.compile(r"Documentation built in (?P<s>\d+(?:\.\d+)?) seconds")
LIVE = re.compile(r"^(?P<lang>[A-Za-z][\w-]*) \| (?P<line>.*)$")  # a build's line as recovery-directory build echoes it
SECTION = re.compile(r"^--- (?P<lang>[A-Za-z][\w-]*) \((?P<config>[^)]*)\) ---\s*$")
SUMMARY = re.compile(r"^Built (?P<each>.+?) \((?P<jobs>\d+) at a time\)(?:, indexed for search in (?P<indexed>\d+(?:\.\d+)?) s)?"
                     r".*? in (?P<total>\d+(?:\.\d+)?) s\.?\s*$")
LEVEL = re.compile(r"^(?P<level>WARNING|ERROR)\b")
# The start of a progress line's text → the phase's short name. Lines not named
# here are phases too, named by their text with numbers as N.
PHASE_KEYS = (
    ("loaded", "loaded"),
    ("validated", "validated"),
    ("geocoded", "geocoded"),
    ("generated", "generated pages"),
    ("rendered", "rendered"),
    ("wrote near-me", "data"),
    ("wrote the sitemap", "sitemap, feeds"),
    ("wrote the service worker", "manifest, service worker"),
    ("indexed", "indexed (in the build)"),
)
START_UP = "start-up: imports, config"
REST = "to 'Documentation built'"
PREPARE = "prepared once for every language (validated, geocoded, grouped: a process of its own)"
PAGEFIND = "indexed for search (Pagefind and the command feeding it)"
OTHER = "the rest: the command's start, builds' exit, moving es/"


def phase_key(what: str) -> tuple[str, int | None]:
    """A progress line's phase name and the first count in it: ``validated 1,000 listings`` → ("validated", 1000)."""
    number = re.search(r"\d[\d,]*", what)
    count = int(number.group().replace(",", "")) if number else None
    for prefix, key in PHASE_KEYS:
        if what.startswith(prefix):
            return key, count
    return re.sub(r"\d[\d,]*(?:\.\d+)?", "N", what).strip(), count


def parse_output(text: str) -> dict:
    """What ``recovery-directory build`` printed: each language's log lines (``<lang> | …``
    as they come; older versions printed them under ``--- <lang> (<config>) ---`` once the
    builds ended), its warnings, and the summary line."""
    sections: dict[str, list[str]] = {}
    current = ""
    summary = {"each": {}, "jobs": None, "indexed": None, "total": None, "line": None}
    for line in text.splitlines():
        header = SECTION.match(line)
        if header:
            current = header["lang"]
            sections.setdefault(current, [])
            continue
        live = LIVE.match(line)  # printed as it came: "en | INFO - …"
        if live:
            sections.setdefault(live["lang"], []).append(live["line"])
            continue
        match = SUMMARY.match(line)
        if match:
            summary.update(line=line.strip(), jobs=int(match["jobs"]), total=float(match["total"]),
                           indexed=float(match["indexed"]) if match["indexed"] else None,
                           each={lang: float(s) for lang, s in re.findall(r"([A-Za-z][\w-]*) (\d+(?:\.\d+)?) s", match["each"])})
            continue
        sections.setdefault(current, []).append(line)
    out = {"languages": {}, "summary": summary}
    for lang, lines in sections.items():
        if not lang and not any(PROGRESS.search(line) or BUILT.search(line) for line in lines):
            continue  # nothing but stray lines before the first section
        out["languages"][lang] = {
            "phases": phases([{"message": line} for line in lines]),
            "lines": [PROGRESS.search(line).group(0) for line in lines if PROGRESS.search(line)],
            "warnings": [line for line in lines if LEVEL.match(line.strip())],
            "built": next((float(BUILT.search(line)["s"]) for line in lines if BUILT.search(line)), None),
        }
    return out


def phases(entries: list[dict], start: dict | None = None) -> list[dict]:
    """Phases from a build's log in order: ``entries`` are ``{"message": ...}``, time-stamped
    (``t`` monotonic, ``cpu`` process seconds) when they come from the stamps.

    Wall seconds come from the lines themselves: each line gives the seconds since
    on_config, so a phase is the difference from the line before (the first phase
    starts at on_config). CPU seconds, and the phase's start and end times, need the
    stamps: the first phase then starts at MkDocs' "Cleaning site directory" (logged
    just after on_config), and ``start`` (the process's start) adds a start-up phase.
    The last one runs to MkDocs' "Documentation built"."""
    out: list[dict] = []
    reported = 0.0
    anchor = None  # the entry the next phase starts from (time-stamped entries only)
    for entry in entries:
        message = entry["message"]
        if anchor is None and "t" in entry and "Cleaning site directory" in message:
            anchor = entry
            if start is not None:
                out.append({"key": START_UP, "what": START_UP, "count": None, "reported": None,
                            "wall": entry["t"] - start["t"], "cpu": entry["cpu"] - start["cpu"], "t0": start["t"],
                            "t1": entry["t"], "rss_end": entry.get("rss")})
            continue
        progress = PROGRESS.search(message)
        built = BUILT.search(message)
        if progress:
            key, count = phase_key(progress["what"])
            seconds = float(progress["s"])
            phase = {"key": key, "what": progress["what"], "count": count, "reported": seconds,
                     "wall": max(0.0, seconds - reported), "cpu": None, "line": progress.group(0)}
            reported = seconds
        elif built and (out or reported):
            seconds = float(built["s"])
            phase = {"key": REST, "what": built.group(0), "count": None, "reported": seconds,
                     "wall": max(0.0, seconds - reported), "cpu": None}
        else:
            continue
        if "t" in entry and anchor is not None:  # time-stamped: exact, not rounded to 0.1 s
            phase.update(wall=entry["t"] - anchor["t"], cpu=entry["cpu"] - anchor["cpu"], t0=anchor["t"], t1=entry["t"],
                         rss_end=entry.get("rss"))
            anchor = entry
        elif "t" in entry:  # no "Cleaning" line: the phase starts at on_config, reported seconds ago
            phase.update(t0=entry["t"] - phase["wall"], t1=entry["t"], rss_end=entry.get("rss"))
            anchor = entry
        out.append(phase)
        if built:
            break
    return out


# --- time stamps from inside the builds ----------------------------------
# Put on PYTHONPATH as sitecustomize.py for our build only: each Python process
# that logs to "mkdocs" appends its records, time-stamped, to STAMPS/<pid>.jsonl.
STAMPS_ENV = "SCALE_BENCH_STAMPS"
SITECUSTOMIZE = r'''
import os
if os.environ.get("SCALE_BENCH_STAMPS"):
    def _scale_bench_stamps():
        import json, logging, sys, time
        folder = os.environ["SCALE_BENCH_STAMPS"]
        started = (time.monotonic(), time.process_time())
        path = os.path.join(folder, f"{os.getpid()}.jsonl")

        def status():
            rss = hwm = 0
            try:
                with open("/proc/self/status") as handle:
                    for line in handle:
                        if line.startswith("VmRSS:"):
                            rss = int(line.split()[1])
                        elif line.startswith("VmHWM:"):
                            hwm = int(line.split()[1])
            except OSError:
                pass
            return rss, hwm

        class Stamp(logging.Handler):
            first = True

            def emit(self, record):
                try:
                    t, cpu = time.monotonic(), time.process_time()
                    rss, hwm = status()
                    package = getattr(sys.modules.get("recovery_directory"), "__file__", None)
                    lines = []
                    if Stamp.first:
                        Stamp.first = False
                        lines.append({"pid": os.getpid(), "argv": sys.argv, "t": started[0], "cpu": started[1]})
                    lines.append({"t": t, "cpu": cpu, "rss": rss, "hwm": hwm, "level": record.levelname,
                                  "message": record.getMessage(), "package": package})
                    with open(path, "a", encoding="utf-8") as handle:
                        handle.write("".join(json.dumps(line) + "\n" for line in lines))
                except Exception:
                    pass

        logging.getLogger("mkdocs").addHandler(Stamp(logging.INFO))

    _scale_bench_stamps()
    del _scale_bench_stamps
'''


def config_language(argv: list[str]) -> str | None:
    """The language a ``mkdocs build -f CONFIG`` builds: mkdocs.yml the first, mkdocs.<code>.yml <code>."""
    if "-f" not in argv or argv.index("-f") + 1 >= len(argv):
        return None
    name = os.path.basename(argv[argv.index("-f") + 1])
    match = re.fullmatch(r"mkdocs\.([A-Za-z][\w-]*)\.yml", name)
    return match[1] if match else LANGUAGES[0]


def read_stamps(folder: str) -> dict[str, dict]:
    """language → {"pid", "start": {t, cpu}, "records": [...]} from the stamp files of our build."""
    out: dict[str, dict] = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                lines = [json.loads(line) for line in handle if line.strip()]
        except (OSError, ValueError):
            continue
        if not lines or "argv" not in lines[0]:
            continue
        lang = config_language(lines[0]["argv"])
        if lang is None:
            continue
        out[lang] = {"pid": lines[0]["pid"], "start": {"t": lines[0]["t"], "cpu": lines[0]["cpu"]}, "records": lines[1:]}
    return out


def process_label(argv: list[str]) -> str:
    """A short name for a process of the build tree (TreeSampler labels)."""
    text = " ".join(argv)
    if "recovery_directory.prepared" in text:
        return "prepare"
    if "pagefind" in text:
        return "pagefind"
    if "recovery_directory.cli" in text or (argv and os.path.basename(argv[0]) == "recovery-directory"):
        sub = next((a for a in argv[1:] if a in ("build", "validate")), "")
        return f"recovery-directory {sub}".strip()
    if "build" in argv and "-d" in argv:
        out = argv[argv.index("-d") + 1] if argv.index("-d") + 1 < len(argv) else ""
        bare = f"{os.sep}bare" in out
        lang = config_language(argv) or ("es" if "bare-es" in out else LANGUAGES[0])
        return f"{'bare ' if bare else ''}mkdocs ({lang})"
    return measure.default_label(argv)


# --- measuring one size ----------------------------------------------------
def walk_files(root: str):
    for folder, _dirs, files in os.walk(root):
        for name in files:
            yield os.path.join(folder, name)


def site_stats(site: str, languages=LANGUAGES) -> dict:
    """Bytes (sum of sizes and allocated on disk), files, HTML pages per language, the Pagefind index."""
    size = allocated = files = 0
    html = {lang: 0 for lang in languages}
    index_bytes = index_files = 0
    others = tuple(os.path.join(site, lang) + os.sep for lang in languages[1:])
    pagefind = os.path.join(site, "pagefind") + os.sep
    for path in walk_files(site):
        st = os.lstat(path)
        size += st.st_size
        allocated += st.st_blocks * 512
        files += 1
        if path.startswith(pagefind):
            index_bytes += st.st_size
            index_files += 1
        if path.endswith(".html"):
            lang = next((languages[1:][i] for i, prefix in enumerate(others) if path.startswith(prefix)), languages[0])
            html[lang] += 1
    indexed: dict[str, int] = {}  # every bundle's entry: the site's, and any part beside it (search_index.py)
    for entry in glob.glob(os.path.join(site, "pagefind", "pagefind-entry.json")) + \
            glob.glob(os.path.join(site, "pagefind", "*", "pagefind-entry.json")):
        try:
            with open(entry, encoding="utf-8") as handle:
                for lang, data in json.load(handle).get("languages", {}).items():
                    indexed[lang] = indexed.get(lang, 0) + data.get("page_count", 0)
        except (OSError, ValueError, AttributeError):
            pass
    return {"bytes": size, "allocated": allocated, "files": files, "html": html, "index_bytes": index_bytes,
            "index_files": index_files, "indexed": indexed}


def source_env(stamps: str | None = None) -> dict:
    env = dict(measure.ENV)
    paths = [p for p in (stamps and os.path.dirname(stamps), SOURCE["pythonpath"]) if p]
    if stamps:
        env[STAMPS_ENV] = stamps
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def validate_one(directory: str) -> dict:
    """``recovery-directory validate`` of one listing in a fresh process, as a pull request's check runs it."""
    from languages_bench import CLI
    from validate_bench import changed_file

    path = changed_file(directory)
    run = measure.run_sampled([sys.executable, "-c", CLI, "validate", "--directory", directory, path], REPO,
                              env=source_env(), label=process_label)
    if run["code"] != 0:
        sys.stderr.write(run["output"][-4000:])
        raise SystemExit(f"recovery-directory validate {path} failed (exit {run['code']})")
    procs = run["sampler"].by_label()
    return {"file": os.path.relpath(path, directory), "wall": run["wall"], "cpu": run["cpu"], "load": run["load"],
            "hwm_kib": max((p["hwm_kib"] for p in procs.values()), default=0), "output": run["output"].strip()}


def build_ours(work: str, directory: str) -> dict:
    """``recovery-directory build`` of a two-language project for ``directory``, sampled."""
    from languages_bench import CLI, project

    folder = os.path.join(work, "ours")
    os.makedirs(folder)
    config = project(folder, directory, list(LANGUAGES), root=SOURCE["root"])
    site = os.path.join(folder, "site")
    hook = os.path.join(work, "stamp-hook")
    os.makedirs(hook)
    with open(os.path.join(hook, "sitecustomize.py"), "w", encoding="utf-8") as handle:
        handle.write(SITECUSTOMIZE)
    stamps = os.path.join(hook, "stamps")
    os.makedirs(stamps)
    command = [sys.executable, "-c", CLI, "build", "-f", config, "-d", site] + BUILD_JOBS
    SETTLED.append(measure.settle())
    run = measure.run_sampled(command, REPO, env=source_env(stamps), label=process_label)
    with open(os.path.join(folder, "build.log"), "w", encoding="utf-8") as handle:
        handle.write(run["output"])
    if run["code"] != 0:
        sys.stderr.write(run["output"][-6000:] + "\n")
        raise SystemExit(f"recovery-directory build failed (exit {run['code']}); output above, log {folder}/build.log. "
                         "If someone is editing hooks/ or overrides/, retry in a few minutes, or use --snapshot or --commit REV.")
    parsed = parse_output(run["output"])
    stamped = read_stamps(stamps)
    sampler: measure.TreeSampler = run["sampler"]
    procs = sampler.by_label()
    result = {"site": site, "folder": folder, "wall": run["wall"], "cpu": run["cpu"], "load": run["load"],
              "load_after": run["load_after"], "peak_sum_kib": sampler.peak_sum_kib, "peak_parts": sampler.peak_parts,
              "peak_at": sampler.peak_at - sampler.started, "samples": sampler.samples, "processes": procs,
              "summary": parsed["summary"], "languages": {}, "packages": set()}
    for lang in LANGUAGES:
        text = parsed["languages"].get(lang, {"phases": [], "lines": [], "warnings": [], "built": None})
        entry = dict(text, stamped=False)
        stamp = stamped.get(lang)
        if stamp:
            result["packages"].update(r["package"] for r in stamp["records"] if r.get("package"))
            timed = phases(stamp["records"], stamp["start"])
            if [p["key"] for p in timed if p["key"] != START_UP] == [p["key"] for p in text["phases"]] or not text["phases"]:
                entry.update(phases=timed, stamped=True)
            keys = {key for key, proc in sampler.processes.items() if proc.pid == stamp["pid"]}
            for phase in entry["phases"]:
                if "t0" in phase:  # the sampled peak, or what the process held at the phase's end if larger
                    phase["rss_kib"] = max(sampler.peak_between(phase["t0"], phase["t1"], keys), phase.get("rss_end") or 0)
                    phase["tree_kib"] = sampler.peak_between(phase["t0"], phase["t1"]) or None
            entry["hwm_kib"] = max((r["hwm"] for r in stamp["records"]), default=0)
        result["languages"][lang] = entry
    # The search index step: Pagefind's processes, and the command itself, which may read the
    # pages and feed them to Pagefind (search_index.py): its CPU after the last build ended.
    pagefind = procs.get("pagefind", {})
    builds_end = max((p.last for p in sampler.processes.values() if p.label.startswith("mkdocs")), default=sampler.started)
    command_cpu = sum(p.cpu - sampler.cpu_at(key, builds_end) for key, p in sampler.processes.items()
                      if p.label == "recovery-directory build")
    result["pagefind"] = {"wall": parsed["summary"]["indexed"], "cpu": (pagefind.get("cpu") or 0.0) + command_cpu,
                          "pagefind_cpu": pagefind.get("cpu"), "command_cpu": command_cpu, "hwm_kib": pagefind.get("hwm_kib"),
                          "tree_kib": sampler.peak_between(builds_end, sampler.stopped) or None}
    # The listings prepared once for every language, before the builds (large directories).
    prepare = procs.get("prepare")
    prepare_lines = parsed["languages"].get("", {}).get("phases", [])
    result["prepare"] = {"cpu": prepare.get("cpu"), "hwm_kib": prepare.get("hwm_kib"),
                         "wall": max((ph["reported"] for ph in prepare_lines), default=None),
                         "lines": parsed["languages"].get("", {}).get("lines", [])} if prepare else None
    if SOURCE["pythonpath"] and result["packages"] and not all(p.startswith(SOURCE["pythonpath"] + os.sep) for p in result["packages"]):
        raise SystemExit(f"the build imported recovery_directory from {sorted(result['packages'])}, not {SOURCE['pythonpath']}")
    result["stats"] = site_stats(site)
    result["listing_html"], result["listing_text"] = listing_sizes(site)
    return result


def listing_sizes(site: str) -> tuple[float, float]:
    from build_bench import listing_page_sizes

    return listing_page_sizes([p for f in KIND_FOLDERS for p in glob.glob(os.path.join(site, f, "*", "index.html"))])


def build_bare(work: str, directory: str, target_text: float, pages: int | None = None) -> dict:
    """The bare mkdocs-material site (build_bench.bare_project) in two languages side by side, then
    Pagefind over both: what ``recovery-directory build`` does, for plain Markdown pages; a page
    per listing, or ``pages`` pages a language."""
    from build_bench import bare_project, build, pagefind

    project = os.path.join(work, "bare")
    spanish = os.path.join(work, "bare-es")
    os.makedirs(project)
    os.makedirs(spanish)
    made = time.perf_counter()
    pages = bare_project(project, directory, target_text, pages)
    with open(os.path.join(spanish, "mkdocs.yml"), "w", encoding="utf-8") as handle:
        handle.write(f"INHERIT: {json.dumps(os.path.join(project, 'mkdocs.yml'))}\n"
                     f"docs_dir: {json.dumps(os.path.join(project, 'docs'))}\n"
                     "site_url: https://example.org/bare-directory/es/\n"
                     "theme:\n  language: es\n")
    written = time.perf_counter() - made
    site, site_es = os.path.join(project, "site"), os.path.join(spanish, "site")
    SETTLED.append(measure.settle())  # our site was deleted a moment ago
    load = measure.load_average()
    cpu_before = measure.children_cpu()
    started = time.perf_counter()
    with measure.TreeSampler(label=process_label) as sampler:
        with ThreadPoolExecutor(max_workers=2) as pool:
            en, es = pool.map(lambda args: build(*args), ((project, site, "bare-en"), (spanish, site_es, "bare-es")))
        built = time.perf_counter() - started
        os.replace(site_es, os.path.join(site, "es"))
        index = pagefind(project, site, "bare")
    wall = time.perf_counter() - started
    procs = sampler.by_label()
    return {"pages": pages, "written": written, "wall": wall, "cpu": measure.children_cpu() - cpu_before, "load": load,
            "load_after": measure.load_average(), "built": built, "builds": {"en": en, "es": es}, "pagefind": index,
            "peak_sum_kib": sampler.peak_sum_kib, "processes": procs, "stats": site_stats(site), "site": site}


# --- in the browser --------------------------------------------------------
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".ics", ".webmanifest", ".wasm")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6) when the browser accepts it and the type is text or wasm, as
    static hosts do. Pagefind's own files (.pf_*, .pagefind) are gzip inside already: sent as they are."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".json": "application/json"}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder with a slash
            path = os.path.join(path, "index.html")
        if not path.endswith(COMPRESSIBLE) or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


class serve_gzip:
    """Serve ``root`` on 127.0.0.1 (a free port) with GzipHandler, in a thread; the base URL."""

    def __init__(self, root: str):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=root))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class Traffic:
    """Every request of a page: finished ones kept, a count of those in flight."""

    def __init__(self, page):
        self.finished: list = []
        self.pending: set = set()
        self.last = time.monotonic()
        page.on("request", self._start)
        page.on("requestfinished", self._finish)
        page.on("requestfailed", self._fail)

    def _start(self, request):
        self.pending.add(request)
        self.last = time.monotonic()

    def _finish(self, request):
        self.pending.discard(request)
        self.finished.append(request)
        self.last = time.monotonic()

    def _fail(self, request):
        self.pending.discard(request)
        self.last = time.monotonic()

    def settle(self, page, quiet: float = 0.75, timeout: float = 120.0) -> None:
        """Until nothing is in flight and nothing has started for ``quiet`` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            page.wait_for_timeout(100)
            if not self.pending and time.monotonic() - self.last >= quiet:
                return


def file_kind(url: str) -> str:
    """What a file of Pagefind's bundle is, by its name."""
    name = url.split("?", 1)[0].rsplit("/", 1)[-1]
    for test, kind in ((lambda n: n.startswith("pagefind-ui") or n == "search.js", "UI"),
                       (lambda n: n in ("pagefind.js", "pagefind-worker.js"), "pagefind.js"), (lambda n: n == "parts.json", "parts"),
                       (lambda n: n.endswith(".pagefind"), "wasm"), (lambda n: n == "pagefind-entry.json", "entry"),
                       (lambda n: n.endswith(".pf_meta"), "meta"), (lambda n: n.endswith(".pf_index"), "index"),
                       (lambda n: n.endswith(".pf_filter"), "filters"), (lambda n: n.endswith(".pf_fragment"), "fragments")):
        if test(name):
            return kind
    return "other"


def response_sizes(requests) -> dict:
    """Requests, body bytes as sent (gzip where the server gzipped), headers, bytes uncompressed, and
    bytes sent per kind of file (file_kind)."""
    sent = headers = raw = 0
    names = []
    kinds: dict[str, list[int]] = {}
    for request in requests:
        sizes = request.sizes()
        response = request.response()
        body = max(sizes["responseBodySize"], 0)
        sent += body
        headers += max(sizes["responseHeadersSize"], 0)
        try:
            raw += len(response.body()) if response else 0
        except Exception:  # a redirect has no body
            pass
        names.append((body, request.url))
        kind = kinds.setdefault(file_kind(request.url), [0, 0])
        kind[0] += 1
        kind[1] += body
    return {"requests": len(names), "sent": sent, "headers": headers, "raw": raw,
            "largest": sorted(names, reverse=True)[:6], "kinds": kinds}


def first_search(browser, base: str, query: str, region: str | None = None) -> dict:
    """search/ in a fresh context (empty cache, no service worker): the page, then the query
    typed as a person types it, until its results are on screen and the network is quiet.
    ``region``: ?region= as a region page's "Search in" link gives it (a path of slugs, or
    ``*`` for everywhere), which picks where a directory indexed in parts searches."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    traffic = Traffic(page)
    try:
        page.goto(base + "search/" + (f"?region={region}" if region else ""), wait_until="load", timeout=300000)
        page.locator(".pagefind-ui__search-input").wait_for(timeout=120000)
        traffic.settle(page)
        loaded = list(traffic.finished)
        traffic.finished.clear()
        started = time.perf_counter()
        page.click(".pagefind-ui__search-input")
        page.keyboard.type(query, delay=60)
        # Not "Searching for Houston...": the final "214 results for Houston" (or "No results for").
        done = re.compile(rf"\bresults? for\W*{re.escape(query)}\W*$", re.I)
        page.locator(".pagefind-ui__message", has_text=done).first.wait_for(timeout=120000)
        traffic.settle(page)
    except Exception as exc:
        context.close()
        raise RuntimeError(f"{str(exc).splitlines()[0]}; the page's errors: {'; '.join(errors[:5]) or 'none'}") from None
    seconds = time.perf_counter() - started
    message = page.inner_text(".pagefind-ui__message")
    results = page.locator(".pagefind-ui__result").count()
    after = list(traffic.finished)
    ui = [r for r in loaded if "/pagefind/" in r.url or r.url.endswith("/search.js")]
    scope = page.evaluate("() => { const s = document.getElementById('rd-search-where');"
                          " return s && !s.closest('[hidden]') ? s.value : null; }")
    out = {"query": query, "region": region, "scope": scope, "message": message, "results": results, "seconds": seconds, "errors": errors,
           "page": response_sizes(loaded), "ui": response_sizes(ui), "after": response_sizes(after),
           "after_outside_pagefind": [r.url for r in after if "/pagefind/" not in r.url]}
    kinds: dict[str, list[int]] = {}
    for part in (out["ui"], out["after"]):
        for kind, (count, size) in part["kinds"].items():
            kinds.setdefault(kind, [0, 0])
            kinds[kind][0] += count
            kinds[kind][1] += size
    out["kinds"] = kinds
    out["first_search_sent"] = out["ui"]["sent"] + out["after"]["sent"]
    out["first_search_requests"] = out["ui"]["requests"] + out["after"]["requests"]
    context.close()
    return out


def browser_measures(site: str, query: str, region: str | None = None, also: tuple[str, ...] = ()) -> dict:
    import near_me_bench  # puts tests/ on sys.path for site_build
    from playwright.sync_api import sync_playwright
    from site_build import chromium_path, serve

    executable = chromium_path() or "/usr/bin/chromium"
    out: dict = {"search": None, "near": [], "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:  # a page that fails is reported in the table; the other measures go on
            try:
                with serve_gzip(site) as base:
                    out["search"] = first_search(browser, base, query, region)
                    # Other places to search in, each from a fresh context: sent bytes, requests, scope.
                    out["search"]["other_scopes"] = {}
                    for other in also:
                        if out["search"]["scope"] is not None:  # several parts: the reader chooses where
                            s = first_search(browser, base, query, other)
                            out["search"]["other_scopes"][other] = [s["first_search_sent"], s["first_search_requests"], s["scope"], s["message"]]
            except Exception as exc:
                out["errors"].append(f"search: {exc}")
            with serve(site) as base:  # near_me_bench serves uncompressed and gzips the bodies itself
                for label, zip_code in NEAR_ME:
                    try:
                        row = near_me_bench.measure(browser, base, label, zip_code, {})
                        row.pop("page_files", None)
                        out["near"].append(row)
                    except Exception as exc:
                        out["errors"].append(f"near me, {label}: {str(exc).splitlines()[0]}")
        finally:
            browser.close()
    for error in out["errors"]:
        print(f"  browser: {error}", file=sys.stderr, flush=True)
    return out


# --- reporting ---------------------------------------------------------------
def mib(kib: float | None) -> str:
    return "–" if kib is None else f"{kib / 1024:,.0f}"


def kb(n: float | None) -> str:
    return "–" if n is None else f"{n / 1024:,.1f}"


def secs(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def phase_names(rows: list[dict]) -> list[str]:
    names: list[str] = []
    for row in rows:
        for lang in LANGUAGES:
            for ph in row["ours"]["languages"].get(lang, {}).get("phases", []):
                if ph["key"] not in names:
                    names.append(ph["key"])
    return ([PREPARE] if any(row["ours"].get("prepare") for row in rows) else []) + names + [PAGEFIND, OTHER]


def phase_cell(row: dict, name: str) -> tuple[str, float | None, str]:
    """(the cell "CPU (wall en / es)", CPU seconds of both languages or None, the memory cell)."""
    ours = row["ours"]
    if name == OTHER:  # the whole command less the phases above
        phases_ = [ph for lang in LANGUAGES for ph in ours["languages"].get(lang, {}).get("phases", [])]
        prepare = ours.get("prepare") or {"cpu": 0.0, "wall": 0.0}
        cpus = [ph.get("cpu") for ph in phases_] + [ours["pagefind"]["cpu"], prepare["cpu"]]
        cpu = ours["cpu"] - sum(cpus) if phases_ and all(c is not None for c in cpus) else None
        summary = ours["summary"]
        wall = (ours["wall"] - max(summary["each"].values()) - (summary["indexed"] or 0.0) - (prepare["wall"] or 0.0)
                if summary["each"] else None)
        return f"{secs(cpu)} ({secs(wall)})", cpu, "–"
    if name == PREPARE:
        p = ours.get("prepare")
        if not p:
            return "–", None, "–"
        return f"{secs(p['cpu'])} ({secs(p['wall'])})", p["cpu"], mib(p["hwm_kib"])
    if name == PAGEFIND:
        p = ours["pagefind"]
        return (f"{secs(p['cpu'])} ({secs(p['wall'])})", p["cpu"],
                f"{mib(p['hwm_kib'])}; {mib(p.get('tree_kib'))}")
    found = [next((ph for ph in ours["languages"].get(lang, {}).get("phases", []) if ph["key"] == name), None)
             for lang in LANGUAGES]
    if not any(found):
        return "–", None, "–"
    walls = " / ".join(secs(ph["wall"]) if ph else "–" for ph in found)
    cpus = [ph.get("cpu") for ph in found if ph]
    cpu = sum(cpus) if cpus and all(c is not None for c in cpus) else None
    memory = " / ".join(mib(ph.get("rss_kib")) if ph else "–" for ph in found)
    tree = max((ph.get("tree_kib") or 0 for ph in found if ph), default=0)
    return f"{secs(cpu)} ({walls})", cpu, f"{memory}; {mib(tree) if tree else '–'}"


def growth(rows: list[dict]) -> list[str]:
    """Phases (and totals) whose cost per listing grew by more than a fifth from one size to the next."""
    notes = []
    ordered = sorted(rows, key=lambda r: r["n"])
    for a, b in zip(ordered, ordered[1:]):
        checks = [("whole build, CPU", a["ours"]["cpu"], b["ours"]["cpu"], 1.0),
                  ("whole build, peak memory (sum)", a["ours"]["peak_sum_kib"] / 1024, b["ours"]["peak_sum_kib"] / 1024, 50.0)]
        for name in phase_names(ordered):
            checks.append((name, phase_cell(a, name)[1], phase_cell(b, name)[1], 1.0))
        for name, x, y, floor in checks:
            if x is None or y is None or y < floor or x <= 0:
                continue
            ratio = (y / b["n"]) / (x / a["n"])
            if ratio > 1.2:
                notes.append(f"{name}: {ratio:.2f}× the cost per listing from N = {a['n']:,} to {b['n']:,} "
                             f"({x:,.1f} → {y:,.1f}{' MiB' if 'memory' in name else ' s CPU'})")
    return notes


TARGET_N = 100_000


def straight_line(rows: list[dict]) -> list[str]:
    """What a straight line through the two largest sizes gives at 100,000 listings (when no
    size measured reached it): a guide to what will not fit, not a measurement."""
    ordered = sorted(rows, key=lambda r: r["n"])
    if len(ordered) < 2 or ordered[-1]["n"] >= TARGET_N:
        return []
    a, b = ordered[-2], ordered[-1]

    def at_target(get) -> str:
        try:
            x, y = get(a), get(b)
        except (KeyError, TypeError):
            return "–"
        if x is None or y is None:
            return "–"
        return f"{y + (y - x) * (TARGET_N - b['n']) / (b['n'] - a['n']):,.0f}"

    def search(r):
        return r["browser"]["search"]["first_search_sent"] / 1024

    figures = [
        ("CPU seconds, whole command", lambda r: r["ours"]["cpu"]),
        ("peak RSS of the whole tree (MiB)", lambda r: r["ours"]["peak_sum_kib"] / 1024),
        ("peak VmHWM of the English build (MiB)", lambda r: r["ours"]["processes"]["mkdocs (en)"]["hwm_kib"] / 1024),
        ("peak VmHWM of a Pagefind process (MiB)", lambda r: r["ours"]["processes"]["pagefind"]["hwm_kib"] / 1024),
        ("site (MiB)", lambda r: r["ours"]["stats"]["bytes"] / 2**20),
        ("files", lambda r: r["ours"]["stats"]["files"]),
        ("first search (KB gzip)", search),
    ]  # not the PR check: half a second of noise makes no line
    out = ["", f"### A straight line to {TARGET_N:,}", "",
           f"Not measured: each figure continued on the line through N = {a['n']:,} and N = {b['n']:,}, to show what "
           "would not fit before a long run does.", "",
           f"| figure | N = {a['n']:,} | N = {b['n']:,} | N = {TARGET_N:,}, on the line |", "| --- | ---: | ---: | ---: |"]
    for name, get in figures:
        def cell(r, get=get):
            try:
                value = get(r)
            except (KeyError, TypeError):
                return "–"
            return "–" if value is None else f"{value:,.0f}"

        out.append(f"| {name} | {cell(a)} | {cell(b)} | {at_target(get)} |")
    return out


def tables(rows: list[dict]) -> str:
    out = ["### Totals", "",
           "`recovery-directory build` (English and Spanish side by side, then Pagefind) in a fresh process. "
           "Wall and CPU seconds of the whole command (CPU: every process it ran); the load average "
           "(1 min) before → after; peak memory: the largest sum of resident memory over the whole process "
           "tree (sampled every 50 ms: both language builds at once), and each process's own `VmHWM`. "
           "Site: sum of file sizes (allocated on disk in brackets) and files. First search: gzip bytes of "
           "Pagefind's UI, index and results for a first query typed on search/. Near me: a ZIP code "
           "search on near-me/, bytes after the page, gzipped. PR check: `recovery-directory validate` of "
           f"one changed listing in a fresh process (target < {PR_TARGET_SECONDS:.0f} s at 100,000).", "",
           "| N listings | pages (en + es) | wall s | CPU s | CPU ms per listing | load | peak RSS, whole tree (MiB) "
           "| peak VmHWM: en / es / Pagefind (MiB) | site MiB (on disk) | files | first search KB gzip (requests) "
           "| near me KB gzip: " + " / ".join(label.split(",")[0] for label, _ in NEAR_ME) + " | PR check s wall (CPU) |",
           "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        o = r["ours"]
        procs = o["processes"]
        hwm = " / ".join(mib(procs.get(f"mkdocs ({lang})", {}).get("hwm_kib")) for lang in LANGUAGES)
        hwm += f" / {mib(procs.get('pagefind', {}).get('hwm_kib'))}"
        search = r.get("browser", {}).get("search")
        near = r.get("browser", {}).get("near") or []
        pages = " + ".join(f"{o['stats']['html'].get(lang, 0):,}" for lang in LANGUAGES)
        v = r["validate"]
        out.append(
            f"| {r['n']:,} | {pages} | {o['wall']:,.1f} | {o['cpu']:,.1f} | {o['cpu'] * 1000 / r['n']:.2f} | "
            f"{o['load']:.1f} → {o['load_after']:.1f} | {mib(o['peak_sum_kib'])} | {hwm} | "
            f"{o['stats']['bytes'] / 2**20:,.0f} ({o['stats']['allocated'] / 2**20:,.0f}) | {o['stats']['files']:,} | "
            + (f"{kb(search['first_search_sent'])} ({search['first_search_requests']})" if search else "–") + " | "
            + " / ".join(kb(n["gzip"]) if n else "–" for n in ({x["label"]: x for x in near}.get(label) for label, _ in NEAR_ME)) + " | "
            f"{v['wall']:.2f} ({v['cpu']:.2f}) |")

    names = phase_names(rows)
    out += ["", "### Time per phase", "",
            "From each build's progress lines (`recovery-directory: <what> (<s> s)`). Cell: CPU seconds of both "
            "languages together, then wall seconds of the English / Spanish build in brackets (each line's "
            "seconds minus the line before). CPU comes from the same lines time-stamped inside each build "
            "process. The search index: wall seconds from the command's summary line; CPU of Pagefind's processes "
            "and of the command itself once the builds had ended (it reads the pages and feeds Pagefind), from /proc. The last columns: CPU milliseconds per 1,000 listings, to see "
            "what grows faster than the directory.", "",
            "| phase | " + " | ".join(f"N = {r['n']:,}" for r in rows) + " | "
            + " | ".join(f"ms CPU / 1,000 listings, N = {r['n']:,}" for r in rows) + " |",
            "| --- |" + " ---: |" * (2 * len(rows))]
    for name in names:
        cells, per = [], []
        for r in rows:
            cell, cpu, _memory = phase_cell(r, name)
            cells.append(cell)
            per.append(f"{cpu * 1000 / (r['n'] / 1000):,.0f}" if cpu is not None else "–")
        out.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(per) + " |")
    out.append("| whole command | " + " | ".join(f"{r['ours']['cpu']:,.1f} ({r['ours']['wall']:,.1f})" for r in rows)
               + " | " + " | ".join(f"{r['ours']['cpu'] * 1e6 / r['n']:,.0f}" for r in rows) + " |")

    out += ["", "### Memory per phase", "",
            "Peak resident memory (MiB), sampled every 50 ms, while each phase ran: the English / Spanish build "
            "process; after the semicolon, the largest sum over the whole process tree in that time (the other "
            "language's build was running too). The search index: the largest Pagefind process's `VmHWM`; the "
            "tree's sum from the builds' end to the command's.", "",
            "| phase | " + " | ".join(f"N = {r['n']:,}" for r in rows) + " |", "| --- |" + " ---: |" * len(rows)]
    for name in names:
        out.append(f"| {name} | " + " | ".join(phase_cell(r, name)[2] for r in rows) + " |")
    out.append("| whole command | " + " | ".join(
        f"{mib(r['ours']['peak_sum_kib'])} at {r['ours']['peak_at']:,.0f} s: "
        + ", ".join(f"{k} {mib(v)}" for k, v in sorted(r["ours"]["peak_parts"].items(), key=lambda kv: -kv[1]))
        for r in rows) + " |")

    bare_rows = [(r, key) for r in rows for key in BARE_LABELS if r.get(key)]
    if bare_rows:
        out += ["", "### Ours beside a bare mkdocs-material site", "",
                "Bare: `build_bench.bare_project` (hand-written-style Markdown pages, each padded to the mean text of "
                "our listing pages: one per listing plus 50 pages, or as many pages as ours has in a language, the "
                "listings' pages written again under other names), built in English and Spanish side by side (two "
                "`mkdocs build`s, `theme.language` es for the second), then one Pagefind over both: what "
                "`recovery-directory build` does. CPU seconds (wall in brackets); peak memory as above.", "",
                "| N listings | ours: pages | ours: CPU (wall) | ours: peak RSS, tree (MiB) | bare: pages | bare: made as | "
                "bare: CPU (wall) | bare: Pagefind CPU (wall) | bare: peak RSS, tree (MiB) | bare: peak VmHWM build / Pagefind "
                "(MiB) | ours / bare, CPU (wall) | ours / bare, CPU per page |",
                "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r, key in bare_rows:
            o, b = r["ours"], r[key]
            our_pages = sum(o["stats"]["html"].values())
            bare_pages = sum(b["stats"]["html"].values())
            builds_hwm = max(x["peak_kib"] for x in b["builds"].values())
            per_page = (o["cpu"] / our_pages) / (b["cpu"] / bare_pages) if our_pages and bare_pages else None
            out.append(f"| {r['n']:,} | {our_pages:,} | {o['cpu']:,.1f} ({o['wall']:,.1f}) | {mib(o['peak_sum_kib'])} | "
                       f"{bare_pages:,} | {BARE_LABELS[key].removeprefix('bare, ')} | {b['cpu']:,.1f} ({b['wall']:,.1f}) | "
                       f"{b['pagefind']['cpu_seconds']:,.1f} "
                       f"({b['pagefind']['wall']:,.1f}) | {mib(b['peak_sum_kib'])} | {mib(builds_hwm)} / "
                       f"{mib(b['pagefind']['peak_kib'])} | {o['cpu'] / b['cpu']:.2f} ({o['wall'] / b['wall']:.2f}) | "
                       f"{secs(per_page, 2)} |")

    out += ["", "### Search, near me and the pull request check", "",
            "First search: search/ opened in a fresh context (empty cache, no service worker) from a local "
            "server that gzips text and wasm (Pagefind's own index files are gzip already and are sent as they "
            "are); the query typed, until its results are shown and nothing has been fetched for 0.75 s. "
            "UI: Pagefind's files the page loads; after: everything the query fetched. Sent: bytes on the wire "
            "(gzip); raw: uncompressed. With the index in parts along the regions, the page is opened with "
            "?region= (a region page's *Search in* link), which picks where to search: where (scope) names "
            "it; other scopes: the same first search elsewhere. Near me: `near_me_bench.measure`, bytes after the page.", ""]
    out += ["| N listings | pages indexed (en + es) | query | where (scope) | results | first search KB gzip (raw) | other scopes: KB gzip (requests) | UI KB gzip (requests) | after the page KB gzip (requests) "
            "| first search by file: KB gzip (requests) | the page KB gzip | " + " | ".join(f"near me {label}: requests, KB (gzip KB), results" for label, _ in NEAR_ME)
            + " | PR check: file | wall s | CPU s | peak MiB |",
            "| ---: | ---: | --- | --- | --- | ---: | --- | ---: | ---: | --- | ---: |" + " --- |" * len(NEAR_ME) + " --- | ---: | ---: | ---: |"]
    for r in rows:
        s = r.get("browser", {}).get("search")
        near = r.get("browser", {}).get("near") or []
        v = r["validate"]
        indexed = r["ours"]["stats"].get("indexed", {})
        cells = [f"{r['n']:,}", " + ".join(f"{indexed.get(lang, 0):,}" for lang in LANGUAGES)]
        if s:
            cells += [s["query"], s.get("scope") or "whole index", s["message"].replace("|", "/"),
                      f"{kb(s['first_search_sent'])} ({kb(s['ui']['raw'] + s['after']['raw'])})",
                      "; ".join(f"{scope}: {kb(sent)} ({count})" for scope, (sent, count, *_) in s.get("other_scopes", {}).items()) or "–",
                      f"{kb(s['ui']['sent'])} ({s['ui']['requests']})", f"{kb(s['after']['sent'])} ({s['after']['requests']})",
                      ", ".join(f"{kind} {kb(size)} ({count})" for kind, (count, size) in
                                sorted(s["kinds"].items(), key=lambda kv: -kv[1][1])),
                      kb(s["page"]["sent"])]
        else:
            cells += ["–"] * 9
        by_label = {n["label"]: n for n in near}
        cells += [f"{n['requests']}, {kb(n['body'] + n['headers'])} ({kb(n['gzip'])}), {n['results']}" if n else "–"
                  for n in (by_label.get(label) for label, _ in NEAR_ME)]
        cells += [f"`{v['file']}`", f"{v['wall']:.2f}", f"{v['cpu']:.2f}", mib(v["hwm_kib"])]
        out.append("| " + " | ".join(cells) + " |")

    out += straight_line(rows)
    failures = [f"- N = {r['n']:,}: {error}" for r in rows for error in r.get("browser", {}).get("errors", [])]
    if failures:
        out += ["", "What failed in the browser:", ""] + [line.replace("|", "/") for line in failures]
    notes = growth(rows)
    out += ["", "### Growing faster than the directory", ""]
    out += [f"- {n}" for n in notes] if notes else ["- Nothing: every phase's CPU per listing, and the peak memory per "
                                                    "listing, grew by at most a fifth from one size to the next."]
    out += ["", "### The builds' own lines", ""]
    for r in rows:
        o = r["ours"]
        if o.get("prepare"):
            out.append(f"- N = {r['n']:,}, prepared once: " + ("; ".join(f"`{line}`" for line in o["prepare"]["lines"]) or "no progress lines"))
        for lang in LANGUAGES:
            entry = o["languages"].get(lang, {})
            out.append(f"- N = {r['n']:,}, {lang}: " + ("; ".join(f"`{line}`" for line in entry.get("lines", [])) or "no progress lines")
                       + (f" — {len(entry['warnings'])} warnings" if entry.get("warnings") else ""))
        if o["summary"]["line"]:
            out.append(f"- N = {r['n']:,}: `{o['summary']['line']}`")
    return "\n".join(out) + "\n"


def notes(rows: list[dict], seed: int, started_load: float) -> str:
    items = [
        f"Generated directories, seed {seed}: " + "; ".join(
            f"{r['n']:,} listings ({', '.join(f'{v:,} {k}' for k, v in r['summary'].get('kinds', {}).items())}; "
            f"{', '.join(f'{v:,} {k}' for k, v in r['summary'].get('attendance', {}).items())}; "
            f"{r['summary'].get('meetings', 0):,} meetings; {r['summary'].get('regions', 0)} regions)" for r in rows) + ".",
        "Ours: a temporary project whose mkdocs.yml and mkdocs.es.yml INHERIT the repository's (absolute paths, "
        "`extra.directory.directory` the generated directory), built with `recovery-directory build -f mkdocs.yml -d "
        "SITE` (strict, `--jobs` its default: one build per core). A `sitecustomize` on PYTHONPATH time-stamps "
        "the builds' log records (wall, CPU, VmRSS, VmHWM); it changes nothing else.",
        "CPU seconds: `RUSAGE_CHILDREN` of the benchmark before and after the command (every process it waited for). "
        "Peak RSS of the tree: the sum of each process's RSS, read from /proc every 50 ms; pages shared between "
        "processes count once per process, as in `ps`.",
        "Before each measured build (ours, then bare) the benchmark called `measure.settle()`: "
        + (", ".join(sorted(set(SETTLED))) if SETTLED else "not called") + ". A build that starts right after a large "
        "tree was deleted (the other side's site) otherwise pays more kernel time for every file it creates "
        "(measure.py says why).",
        f"Load average (1 min): {started_load:.1f} at the start, {measure.load_average():.1f} now; per run in the "
        "Totals. Near or above the CPU count, the machine was shared: wall seconds are inflated, CPU seconds less so.",
        f"Site sources: {SOURCE['version'] or measure.source_version(REPO, ('hooks', 'overrides'))}. Python "
        f"{platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s); "
        f"{dt.date.today().isoformat()}.",
    ]
    return "\n".join(f"- {line}" for line in items) + "\n"


# --- main --------------------------------------------------------------------
def run_size(n: int, seed: int, bare: bool, browser: bool, query: str, keep: bool,
             region: str | None = None, also: tuple[str, ...] = (), bare_pages: str = "both") -> dict:
    started = time.perf_counter()
    directory, summary, reused = ensure_generated(n, seed, DEFAULT_OUT)
    print(f"N = {n:,}: directory {os.path.relpath(directory, REPO)} "
          f"({'reused' if reused else f'generated in {time.perf_counter() - started:.0f} s'})", file=sys.stderr, flush=True)
    row: dict = {"n": n, "summary": summary}
    row["validate"] = validate_one(directory)
    print(f"  PR check: validate {row['validate']['file']} in {row['validate']['wall']:.2f} s "
          f"({row['validate']['cpu']:.2f} s CPU)", file=sys.stderr, flush=True)
    with measure.scratch(f"scale-bench-n{n}-", keep) as work:
        ours = row["ours"] = build_ours(work, directory)
        print(f"  ours: {ours['wall']:.1f} s wall, {ours['cpu']:.1f} s CPU (load {ours['load']:.1f} → "
              f"{ours['load_after']:.1f}), peak RSS of the tree {mib(ours['peak_sum_kib'])} MiB, "
              f"{ours['stats']['files']:,} files, {ours['stats']['bytes'] / 2**20:,.0f} MiB", file=sys.stderr, flush=True)
        for lang in LANGUAGES:
            for ph in ours["languages"][lang]["phases"]:
                print(f"    {lang} {ph['key']}: {ph['wall']:.2f} s wall, {secs(ph.get('cpu'), 2)} s CPU, "
                      f"{mib(ph.get('rss_kib'))} MiB", file=sys.stderr)
        if browser:
            row["browser"] = browser_measures(ours["site"], query, region, also)
            s = row["browser"]["search"]
            print(f"  first search for {query!r}: " + (f"{kb(s['first_search_sent'])} KB gzip in {s['first_search_requests']} "
                  f"requests ({s['message']})" if s else "failed") + "; near me: " + ", ".join(
                      f"{n_['label']} {kb(n_['gzip'])} KB gzip" for n_ in row["browser"]["near"]), file=sys.stderr, flush=True)
        if not keep:
            shutil.rmtree(ours["folder"], ignore_errors=True)
        for key in BARE_KINDS[bare_pages] if bare else ():
            # As many pages as listings, or as many as ours (the "same number of plain pages").
            pages = max(ours["stats"]["html"].values()) if key == "bare_pages" else None
            folder = os.path.join(work, key)
            os.makedirs(folder)
            b = row[key] = build_bare(folder, directory, ours["listing_text"], pages)
            print(f"  {BARE_LABELS[key]}: {b['wall']:.1f} s wall, {b['cpu']:.1f} s CPU, peak RSS of the tree "
                  f"{mib(b['peak_sum_kib'])} MiB; ours / bare CPU {ours['cpu'] / b['cpu']:.2f}", file=sys.stderr, flush=True)
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
    return row


def parse_sizes(text: str) -> list[int]:
    return [int(s.strip().replace("_", "").replace(",", "")) for s in text.split(",") if s.strip()] if text else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000,100000", help="listing counts (default 1000,10000,50000,100000)")
    parser.add_argument("--bare-sizes", default="1000,20000",
                        help="sizes that also get the bare mkdocs-material build (default 1000,20000; '' for none); "
                             "one not in --sizes is measured in full too")
    parser.add_argument("--bare-pages", choices=sorted(BARE_KINDS), default="both",
                        help="the bare site's pages: one per listing, as many as ours (a language), or both "
                             "sites, one after the other (default both)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--commit", metavar="REV", help="build the site sources (mkdocs*.yml, docs*/, overrides/, hooks/) "
                        "of this commit, exported with git archive, instead of the working tree")
    parser.add_argument("--snapshot", action="store_true", help="copy the working tree's site sources at the start and "
                        "build that copy: edits made during the run do not reach it")
    parser.add_argument("--query", default="Houston", help="what is typed into the search page (default Houston, a town "
                        "of the generated directories)")
    parser.add_argument("--region", default="texas/houston-tx", help="?region= for the search page, as the query town's "
                        "region page links to it (default texas/houston-tx; '' for none)")
    parser.add_argument("--other-regions", default="texas,*", help="where else to measure the same first search, when "
                        "the index is in parts (default texas,*: the state and everywhere; '' for none)")
    parser.add_argument("--no-browser", action="store_true", help="skip the search and near-me measures")
    parser.add_argument("--jobs", type=int, help="languages built at once by our build (default: its own, one per core)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and sites (printed)")
    parser.add_argument("--results", default=RESULTS, help="where to write the tables (default benchmarks/results/scale.md)")
    args = parser.parse_args(argv)
    try:
        sizes, bare_sizes = parse_sizes(args.sizes), parse_sizes(args.bare_sizes)
    except ValueError:
        parser.error("--sizes, --bare-sizes: whole numbers separated by commas, e.g. 1000,10000")
    if args.jobs:
        BUILD_JOBS[:] = ["--jobs", str(args.jobs)]
    if args.commit:
        root, version = measure.export_commit(args.commit, SOURCE_PATHS, prefix="scale-bench-src-")
        SOURCE.update(root=root, version=version, pythonpath=os.path.join(root, "hooks"))
        print(f"site sources: {version} in {root}", file=sys.stderr)
    elif args.snapshot:
        root, version = measure.snapshot_tree(SOURCE_PATHS, prefix="scale-bench-src-")
        SOURCE.update(root=root, version=version, pythonpath=os.path.join(root, "hooks"))
        print(f"site sources: {version} in {root}", file=sys.stderr)
    if not args.no_browser:
        sys.path.insert(0, os.path.join(REPO, "tests"))
        from site_build import chromium_path

        if chromium_path() is None:
            parser.error("Chromium is not installed (apt-get install chromium); or measure without it: --no-browser")
    started_load = measure.load_average()
    command = (f"`.venv/bin/python benchmarks/scale_bench.py --sizes {','.join(map(str, sizes))} "
               f"--bare-sizes {','.join(map(str, bare_sizes)) or chr(39) * 2}"
               + (f" --bare-pages {args.bare_pages}" if args.bare_pages != "both" else "")
               + (f" --seed {args.seed}" if args.seed != 1 else "") + (f" --commit {args.commit}" if args.commit else " --snapshot" if args.snapshot else "") + (f" --jobs {args.jobs}" if args.jobs else "")
               + (f" --query {args.query}" if args.query != "Houston" else "") + (" --no-browser" if args.no_browser else "") + "`")
    everything = sorted(set(sizes) | set(bare_sizes))
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    rows: list[dict] = []
    text = ""
    for n in everything:
        rows.append(run_size(n, args.seed, n in bare_sizes, not args.no_browser, args.query, args.keep,
                             args.region or None, tuple(r for r in args.other_regions.split(",") if r), args.bare_pages))
        # Written after every size, so a run stopped during a large N keeps the smaller ones.
        text = tables(rows) + "\n" + notes(rows, args.seed, started_load)
        unfinished = [f"{m:,}" for m in everything[len(rows):]]
        with open(args.results, "w", encoding="utf-8") as handle:
            handle.write(f"# Scale benchmark: the whole two-language build\n\n{command}\n\n"
                         + (f"(Partial: N = {', '.join(unfinished)} still to run.)\n\n" if unfinished else "") + text)
        print(text, flush=True)
    print(f"written to {os.path.relpath(args.results, REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
