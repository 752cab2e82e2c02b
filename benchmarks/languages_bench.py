"""What the second language costs: the whole build in one language and in two.

    .venv/bin/python benchmarks/languages_bench.py [--listings 5000] [--seed 1] [--repeat 1] [--keep]

For the example directory (``directory/``) and for N generated listings
(``generate.ensure_generated``), it writes a temporary project whose
``mkdocs.yml`` and ``mkdocs.es.yml`` INHERIT the repository's (absolute paths,
the directory swapped), then runs, each in a fresh process, the README's build
command ``recovery-directory build``:

* **one language**: ``extra.directory.languages: [en]``: the English build,
  then Pagefind;
* **two languages**: ``[en, es]``, both builds side by side (``--jobs 2``), then
  Pagefind once over both;
* **two languages in sequence**: the same with ``--jobs 1``, for comparison.

Each run reports wall seconds and CPU seconds (the command and everything it
waited for, from ``RUSAGE_CHILDREN``), each language's build and the Pagefind
step as the command prints them, the pages built and the pages Pagefind
indexed per language. The load average is noted: on a shared machine CPU
seconds are the steadier figure. The table is printed and written to
benchmarks/results/languages.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RESULTS = os.path.join(HERE, "results", "languages.md")
sys.path.insert(0, HERE)

from generate import ensure_generated  # noqa: E402

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
CLI = "import sys; from recovery_directory.cli import main; sys.exit(main())"
MODES = (("one language", ["en"], 1), ("two languages, side by side", ["en", "es"], 2), ("two languages, in sequence", ["en", "es"], 1))


def project(folder: str, directory: str, languages: list[str], root: str = REPO) -> str:
    """mkdocs.yml and mkdocs.es.yml inheriting those of ``root`` (the repository, or a commit
    exported by another benchmark), for ``directory``."""
    common = f"""theme:
  custom_dir: {json.dumps(os.path.join(root, "overrides"))}
hooks:
  - {json.dumps(os.path.join(root, "hooks", "directory.py"))}
watch: []
"""
    with open(os.path.join(folder, "mkdocs.yml"), "w", encoding="utf-8") as handle:
        handle.write(f"""INHERIT: {json.dumps(os.path.join(root, "mkdocs.yml"))}
docs_dir: {json.dumps(os.path.join(root, "docs"))}
{common}extra:
  directory:
    directory: {json.dumps(os.path.abspath(directory))}
    languages: {json.dumps(languages)}
""")
    with open(os.path.join(folder, "mkdocs.es.yml"), "w", encoding="utf-8") as handle:
        handle.write(f"""INHERIT: {json.dumps(os.path.join(root, "mkdocs.es.yml"))}
docs_dir: {json.dumps(os.path.join(root, "docs-es"))}
{common}extra:
  directory:
    directory: {json.dumps(os.path.abspath(directory))}
    languages: {json.dumps(languages)}
    fallback_docs: {json.dumps(os.path.join(root, "docs"))}
""")
    return os.path.join(folder, "mkdocs.yml")


def run(config: str, site: str, jobs: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CLI, "build", "-f", config, "-d", site, "--jobs", str(jobs)],
                            cwd=REPO, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"recovery-directory build failed:\n{result.stdout}{result.stderr}")
    summary = result.stderr.strip().splitlines()[-1]
    each = dict((lang, float(s)) for lang, s in re.findall(r"\b([a-z]{2}) ([\d.]+) s\b", summary.split("(")[0]))
    pagefind = float(re.search(r"indexed for search in ([\d.]+) s", summary).group(1))
    entry = json.load(open(os.path.join(site, "pagefind", "pagefind-entry.json"), encoding="utf-8"))
    pages = {lang: sum(1 for _, _, names in os.walk(os.path.join(site, lang) if lang != "en" else site) for n in names if n.endswith(".html"))
             for lang in each}
    if "es" in pages:
        pages["en"] -= pages["es"]
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), "load": load[0],
            "each": each, "pagefind": pagefind, "pages": pages,
            "indexed": {lang: data["page_count"] for lang, data in entry["languages"].items()}}


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["cpu"])


def measure(label: str, directory: str, repeat: int, keep: bool) -> list[tuple[str, dict]]:
    rows = []
    scratch = tempfile.mkdtemp(prefix="languages-bench-")
    try:
        for mode, languages, jobs in MODES:
            folder = os.path.join(scratch, f"{len(languages)}-{jobs}")
            os.makedirs(folder)
            config = project(folder, directory, languages)
            runs = [run(config, os.path.join(folder, "site"), jobs) for _ in range(repeat)]
            row = best(runs)
            rows.append((mode, row))
            print(f"{label}, {mode}: {row['wall']:.1f} s wall, {row['cpu']:.1f} s CPU, "
                  f"builds {row['each']}, Pagefind {row['pagefind']:.1f} s, load {row['load']:.1f}", file=sys.stderr)
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return rows


def table(results: list[tuple[str, list[tuple[str, dict]]]]) -> str:
    lines = ["| directory | languages | pages (en + es) | wall s | CPU s | en build s | es build s | Pagefind s | indexed (en / es) | load |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, rows in results:
        for mode, r in rows:
            pages = " + ".join(f"{r['pages'][lang]:,}" for lang in ("en", "es") if lang in r["pages"])
            indexed = " / ".join(f"{r['indexed'].get(lang, 0):,}" for lang in ("en", "es") if lang in r["pages"])
            es = f"{r['each']['es']:.1f}" if "es" in r["each"] else "–"
            lines.append(f"| {label} | {mode} | {pages} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['each']['en']:.1f} | {es} | "
                         f"{r['pagefind']:.1f} | {indexed} | {r['load']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=5000, help="generated listings (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the one with the least CPU is reported")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    args = parser.parse_args(argv)
    generated, _, _ = ensure_generated(args.listings, args.seed)
    results = [("example (directory/)", measure("example", os.path.join(REPO, "directory"), args.repeat, args.keep)),
               (f"{args.listings:,} generated", measure(f"{args.listings} generated", generated, args.repeat, args.keep))]
    text = table(results)
    print(text)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        handle.write(f"# Languages benchmark\n\n`.venv/bin/python benchmarks/languages_bench.py --listings {args.listings} "
                     f"--repeat {args.repeat}`, {dt.date.today().isoformat()}, {os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
                     f"`recovery-directory build` in a fresh process each time: wall and CPU seconds (the command and all it waited for); "
                     f"each language's `mkdocs build` and the Pagefind step as the command reports them.\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
