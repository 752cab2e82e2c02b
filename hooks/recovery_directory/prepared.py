"""The directory prepared once for every language's build: its listings loaded
and validated, enriched (coordinates, time zones) and grouped into the site
model — none of which depends on the language.

A plain ``mkdocs build`` prepares it itself (:func:`prepare`). ``recovery-directory
build`` prepares it once, in a process of its own (``python -m
recovery_directory.prepared``, which frees its memory when it ends), saves it
with :mod:`pickle` in a private temporary folder and names that file to each
language's build in ``PREPARED_ENV``; :func:`handed_over` loads it there. At
20,000 listings this saves each build after the first about 15 s of CPU for
under one second of loading.

The pickle is only ever one this command wrote a moment before, in a folder
only its user can read (``tempfile.mkdtemp``); nothing from the repository is
unpickled.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import pickle
import sys
import time
from dataclasses import dataclass
from typing import Callable

from .enrich import enrich
from .problems import format_text
from .shared_data import SharedData, write_shared_data
from .site_model import SiteModel, build_model
from .validate import Directory, validate_directory

PREPARED_ENV = "RECOVERY_DIRECTORY_PREPARED"  # the prepared directory's pickle, for the builds of one command
PREPARED_FILE = "prepared.pickle"


@dataclass
class Prepared:
    root: str  # the directory's absolute path
    directory: Directory  # valid listings, enriched; every problem found
    model: SiteModel | None  # None when the directory has errors
    data: SharedData | None = None  # data/, alike in every language: written once by main() when asked


def prepare(root: str, progress: Callable[[str], None] = lambda what: None) -> Prepared:
    """Load, validate and enrich the directory's listings and group them into
    the site model; ``progress`` hears of each phase as it ends."""
    directory = validate_directory(root)
    if directory.ok:
        progress(f"validated {directory.files_checked} listing files (loaded and checked)")
        # Offline: coordinates from the listing, the cache or the gazetteer; time zones.
        directory.problems += enrich(directory.listings, directory.vocabularies, root)
    if directory.errors:
        return Prepared(os.path.abspath(root), directory, None)
    progress(f"geocoded {len(directory.listings)} listings (offline)")
    model = build_model(directory.vocabularies, directory.listings)
    progress(f"grouped {len(model.listings)} listings by region, type and fellowship")
    return Prepared(os.path.abspath(root), directory, model)


def save(prepared: Prepared, folder: str) -> str:
    path = os.path.join(folder, PREPARED_FILE)
    with open(path, "wb") as handle:
        pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def handed_over(root: str) -> Prepared | None:
    """The directory this command prepared for its builds, when it is ``root``."""
    path = os.environ.get(PREPARED_ENV)
    if not path:
        return None
    was_enabled = gc.isenabled()
    gc.disable()  # a pickle makes millions of objects, none of them garbage
    try:
        with open(path, "rb") as handle:
            prepared = pickle.load(handle)
    finally:
        if was_enabled:
            gc.enable()
    return prepared if isinstance(prepared, Prepared) and prepared.root == os.path.abspath(root) else None


def problems_report(directory: Directory) -> str:
    """The directory's errors, as the build reports them."""
    lines = "\n".join(format_text(p) for p in directory.errors)
    return f"{len(directory.errors)} problems in the directory — fix them and build again:\n{lines}"


def main(argv: list[str] | None = None) -> int:
    """``python -m recovery_directory.prepared DIRECTORY FOLDER [--data DATA --directions NAME] [--quiet]``:
    prepare DIRECTORY and save it in FOLDER, with the site's ``data/`` written
    into DATA for the ``directions`` setting; print its warnings, or its errors
    and exit 1."""
    parser = argparse.ArgumentParser(prog="python -m recovery_directory.prepared")
    parser.add_argument("root")
    parser.add_argument("folder")
    parser.add_argument("--data", help="write every language's data/ here, once")
    parser.add_argument("--directions", default="openstreetmap")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def progress(what: str) -> None:
        if not args.quiet:
            print(f"recovery-directory: {what} ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)

    prepared = prepare(args.root, progress)
    for problem in prepared.directory.warnings if not args.quiet else ():
        print(format_text(problem), file=sys.stderr)
    if prepared.directory.errors:
        print(problems_report(prepared.directory), file=sys.stderr)
        return 1
    if args.data:
        data = write_shared_data(prepared.model, args.data, args.directions, dt.date.today())
        prepared = dataclasses.replace(prepared, data=data)
        progress(f"wrote near-me, online and saved meetings' data once for every language ({data.shards} shards)")
    save(prepared, args.folder)
    return 0


if __name__ == "__main__":  # run through the package, so the pickle names its classes there, not __main__'s
    from recovery_directory.prepared import main as package_main

    sys.exit(package_main())
