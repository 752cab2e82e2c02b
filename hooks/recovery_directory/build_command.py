"""``recovery-directory build``: the whole site, every language, and its search index.

In a large directory the listings are loaded, validated, enriched and grouped
once for every language, in a process of their own (prepared.py), which also
writes the site's ``data/`` once for each build to link in (shared_data.py). Each language
is a plain ``mkdocs build`` of its own config (languages.py), run
side by side in separate processes (one core each: a build is single-threaded),
the first language into the site folder and each other into a folder beside it
that then moves to ``<site>/<code>/`` — the first build empties the site folder
when it starts. The search index is then built one language after the other
(search_index.py), into one bundle with an index per language, from the
search bodies each build fed it (a folder of its own in this command's
temporary folder), not by reading the site again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from mkdocs.exceptions import PluginError
from mkdocs.utils.yaml import yaml_load

from .cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, command
from .languages import ALL_LANGUAGES_ENV, config_file, language_folder
from .prepared import PREPARED_ENV, PREPARED_FILE
from .schema import KINDS
from .settings import DIRECTIONS
from .search_index import FEED_ENV, index_site


def _build_args(parser: argparse.ArgumentParser) -> None:
    parser.description = "Build the site in every language it has, then index it for search."
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the first language's MkDocs config (default: mkdocs.yml)")
    parser.add_argument("-d", "--site-dir", help="where the site goes (default: the config's site_dir)")
    parser.add_argument("--jobs", type=int, help="languages built at once (default: one per core, as many as fit in "
                        f"{MEMORY_BUDGET_MIB:,} MiB for the directory's size)")
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="let warnings pass (default: a warning fails the build)")
    parser.add_argument("--no-search", dest="search", action="store_false", help="leave out the Pagefind index")
    parser.add_argument("--quiet", action="store_true", help="print problems only, no build output or summary")


# Each language's build holds the directory's listings and its model (measured
# in benchmarks/results/scale.md: 181 MiB at 1,000 listings, 445 at 20,000, 1,029
# at 50,000: ~14 to 17 KiB per listing). Side by side, languages cost that many
# times over; past the budget they take turns (from about 50,000 listings).
MEMORY_BUDGET_MIB = 2048
BUILD_BASE_MIB, BUILD_KIB_PER_LISTING = 200, 17


def default_jobs(listings: int, languages: int, cores: int | None = None) -> int:
    """Languages to build at once: one per core, within MEMORY_BUDGET_MIB."""
    per_build = BUILD_BASE_MIB + BUILD_KIB_PER_LISTING * listings / 1024
    fit = int(MEMORY_BUDGET_MIB // per_build)
    return max(1, min(cores or os.cpu_count() or 1, languages, fit))


# Preparing the listings once (prepared.py) saves every language's build after
# the first ~0.75 ms of CPU a listing, but costs a process of its own that also
# loads the ZIP gazetteer (~1 s, which the builds load again for near-me data),
# pickling (~0.1 ms a listing, and loading it again in each build) and, since
# it runs before the builds, its whole time in wall seconds. It pays from a few
# thousand listings.
PREPARE_ONCE_FROM = 5_000


def prepare_once(listings: int, languages: int) -> bool:
    """Whether to prepare the listings once for every language's build."""
    return languages > 1 and listings >= PREPARE_ONCE_FROM


def count_listings(directory: str) -> int:
    """Listing files in the directory's kind folders (how large the build will be)."""
    total = 0
    for kind in KINDS:
        try:
            with os.scandir(os.path.join(directory, kind.folder)) as entries:
                total += sum(1 for entry in entries if entry.name.endswith((".yml", ".yaml")))
        except OSError:
            continue
    return total


@dataclass
class LanguageBuild:
    language: str
    config: str
    out: str  # where this build writes
    seconds: float = 0.0
    returncode: int = 0
    output: str = ""


@command("build", _build_args)
def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        languages, site_dir, directory, directions = _read_config(args.config_file)
    except (OSError, ValueError) as exc:
        print(f"{args.config_file}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    site_dir = os.path.abspath(args.site_dir or site_dir)
    listings = count_listings(directory)
    if args.jobs is None:
        args.jobs = default_jobs(listings, len(languages))
    builds = _plan(args.config_file, languages, site_dir)
    missing = [b.config for b in builds if not os.path.isfile(b.config)]
    if missing:
        print(f"{missing[0]}: not found — each language after the first has its own config, inheriting {args.config_file}", file=sys.stderr)
        return EXIT_USAGE
    private = tempfile.mkdtemp(prefix=".recovery-directory-")  # only this user can read it
    shared: list[str] = []  # the data/ written once for every language, removed at the end
    try:
        env = {}
        if prepare_once(listings, len(languages)):
            # data/ beside the site, so each language's build can link it in (shared_data.py).
            data = tempfile.mkdtemp(prefix=f".{os.path.basename(site_dir)}-data-", dir=os.path.dirname(site_dir))
            shared.append(data)
            prepared = _prepare(directory, private, args.quiet, data, directions)
            if prepared is None:
                print("The directory has problems; site not written.", file=sys.stderr)
                return EXIT_INVALID
            env[PREPARED_ENV] = prepared
        # Each build feeds the index its pages as it writes them (search_index.SearchFeed), here, outside the site.
        feeds = {b.language: os.path.join(private, f"search-{b.language}") for b in builds} if args.search else {}
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            list(pool.map(lambda b: _run(b, args.strict, echo=not args.quiet,
                                         env=dict(env, **({FEED_ENV: feeds[b.language]} if feeds else {}))), builds))
        failed = [b for b in builds if b.returncode != 0]
        for build in failed:
            if build.output.strip() and args.quiet:  # not shown as it came: its problems now
                print(f"--- {build.language} ({os.path.basename(build.config)}) ---\n{build.output.rstrip()}", file=sys.stderr)
        if failed:
            print(f"The {', '.join(b.language for b in failed)} build failed; site not written.", file=sys.stderr)
            return EXIT_INVALID
        for build in builds[1:]:  # beside the site while the first build emptied it; now inside
            target = os.path.join(site_dir, language_folder(languages, build.language))
            shutil.rmtree(target, ignore_errors=True)
            os.replace(build.out, target)
        built = time.perf_counter() - started
        indexed = 0.0
        if args.search:
            try:
                index_site(site_dir, {code: language_folder(languages, code) for code in languages}, feeds=feeds)
            except PluginError as exc:
                print(exc, file=sys.stderr)
                return EXIT_INVALID
            indexed = time.perf_counter() - started - built
    finally:
        for folder in [private, *shared]:
            shutil.rmtree(folder, ignore_errors=True)
        for build in builds[1:]:
            shutil.rmtree(os.path.dirname(build.out), ignore_errors=True)
    if not args.quiet:
        each = ", ".join(f"{b.language} {b.seconds:.1f} s" for b in builds)
        search = f", indexed for search in {indexed:.1f} s" if args.search else ""
        print(f"Built {each} ({min(args.jobs, len(builds))} at a time){search}: {os.path.relpath(site_dir)}/ "
              f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    return EXIT_OK


def _read_config(path: str) -> tuple[tuple[str, ...], str, str, str]:
    """The site's languages, site folder, listings folder and directions setting,
    from the first language's config (a build whose own directions differ
    writes its own data: shared_data.py)."""
    with open(path, encoding="utf-8") as handle:
        config = yaml_load(handle) or {}
    directory = (config.get("extra") or {}).get("directory") or {}
    language = ((config.get("theme") or {}).get("language") or "en").split("-")[0]
    languages = tuple(directory.get("languages") or (language,))
    if not languages or languages[0] != language:
        raise ValueError(f"extra.directory.languages must start with this config's theme.language ({language})")
    base = os.path.dirname(os.path.abspath(path))
    site_dir = os.path.join(base, config.get("site_dir") or "site")
    directions = directory.get("directions", "openstreetmap")
    if directions not in DIRECTIONS:  # each build reports it; the shared data is then simply not used
        directions = "openstreetmap"
    return languages, site_dir, os.path.join(base, directory.get("directory") or "directory"), directions


def _plan(main_config: str, languages: tuple[str, ...], site_dir: str) -> list[LanguageBuild]:
    builds = [LanguageBuild(languages[0], main_config, site_dir)]
    os.makedirs(os.path.dirname(site_dir), exist_ok=True)
    for code in languages[1:]:
        beside = tempfile.mkdtemp(prefix=f".{os.path.basename(site_dir)}-{code}-", dir=os.path.dirname(site_dir))
        builds.append(LanguageBuild(code, config_file(main_config, languages, code), os.path.join(beside, code)))
    return builds


def _prepare(directory: str, folder: str, quiet: bool, data: str, directions: str) -> str | None:
    """The listings loaded, validated, enriched and grouped once for every
    language (prepared.py), and the site's ``data/`` written into ``data``, in a
    process of its own: its memory is freed before the builds start. The saved
    file's path, or ``None`` when the directory has errors (printed, with its
    warnings, as they come)."""
    command = [sys.executable, "-m", "recovery_directory.prepared", directory, folder, "--data", data,
               "--directions", directions] + (["--quiet"] if quiet else [])
    returncode, _ = _stream(command, dict(os.environ), prefix="", echo=True)
    return os.path.join(folder, PREPARED_FILE) if returncode == 0 else None


def _run(build: LanguageBuild, strict: bool, echo: bool, env: dict[str, str]) -> None:
    """One language's ``mkdocs build``; with ``echo``, its lines as they come,
    marked with the language (``en | INFO - recovery-directory: rendered …``):
    a long build shows each phase when it ends, not all of them at the end."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", build.config, "-d", build.out] + (["--strict"] if strict else [])
    started = time.perf_counter()
    build.returncode, build.output = _stream(
        command, dict(os.environ, NO_MKDOCS_2_WARNING="1", **{ALL_LANGUAGES_ENV: "1"}, **env), f"{build.language} | ", echo)
    build.seconds = time.perf_counter() - started


_ECHO = threading.Lock()


def _stream(command: list[str], env: dict[str, str], prefix: str, echo: bool) -> tuple[int, str]:
    """Run ``command``; its exit code and output (stdout and stderr), echoed
    line by line to stderr behind ``prefix`` when ``echo``."""
    lines = []
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1) as process:
        for line in process.stdout:
            lines.append(line)
            if echo:
                with _ECHO:
                    sys.stderr.write(prefix + line)
                    sys.stderr.flush()
    return process.returncode, "".join(lines)
