"""Load and validate the directory: every file, every problem, all at once.

The build, the command line and the tests all call :func:`validate_directory`
(or :func:`validate_paths` for the files a pull request changed), so a
contributor sees the same messages everywhere.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .enrich import TIMEZONE_NEEDED
from .listing import Listing, build_listing
from .problems import Problem, error, sort_key, warning
from .safe_yaml import position, read_document
from .schema import KIND_BY_FOLDER, KINDS, Kind
from .vocabularies import Vocabularies, VocabularyError, load_vocabularies
from .fields import Lookups, SLUG_PATTERN, suggest

LISTING_SUFFIXES = (".yml", ".yaml")
_SLUG = re.compile(SLUG_PATTERN)


@dataclass
class Directory:
    """What the rest of the pipeline gets: vocabularies and valid listings."""

    root: str
    vocabularies: Vocabularies | None
    listings: list[Listing] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_directory(root: str = "directory") -> Directory:
    """Validate every listing under ``root``."""
    return _validate(root, list(listing_files(root)), full=True)


def validate_paths(paths: Iterable[str], root: str = "directory") -> Directory:
    """Validate the given files or folders (a pull request's changes)."""
    files: list[tuple[str, Kind | None]] = []
    for path in paths:
        path = os.path.normpath(path)
        if os.path.islink(os.path.dirname(os.path.abspath(path))):
            files.append((os.path.dirname(path), KIND_BY_FOLDER.get(os.path.basename(os.path.dirname(os.path.abspath(path))))))
        elif os.path.isdir(path) and not os.path.islink(path):
            if os.path.abspath(path) == os.path.abspath(root):
                return validate_directory(root)
            kind = KIND_BY_FOLDER.get(os.path.basename(os.path.normpath(path)))
            files += [(p, k) for p, k in _walk_kind_folder(path, kind)]
        else:
            files.append((path, KIND_BY_FOLDER.get(os.path.basename(os.path.dirname(os.path.abspath(path))))))
    return _validate(root, files, full=False)


def listing_files(root: str) -> Iterator[tuple[str, Kind | None]]:
    for kind in KINDS:
        folder = os.path.join(root, kind.folder)
        if os.path.islink(folder):
            yield folder, kind  # reported as a link; never followed
        elif os.path.isdir(folder):
            yield from _walk_kind_folder(folder, kind)


def _walk_kind_folder(folder: str, kind: Kind | None) -> Iterator[tuple[str, Kind | None]]:
    # Sub-folders are not followed: listings sit directly in their kind's folder,
    # and a symbolic link to a folder must not pull files from elsewhere.
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            yield entry.path, kind


def _validate(root: str, files: list[tuple[str, Kind | None]], full: bool) -> Directory:
    try:
        vocabularies = load_vocabularies(root)
    except VocabularyError as exc:
        return Directory(root, None, problems=exc.problems)
    lookups = vocabularies.lookups()
    result = Directory(root, vocabularies)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the loader makes many small objects; collections would rescan them all
    try:
        display = _RelativePaths()
        for path, kind in files:
            listing, problems = check_file(path, kind, lookups, display(path))
            result.files_checked += 1
            result.problems += problems
            if listing:
                result.listings.append(listing)
    finally:
        if gc_was_enabled:
            gc.enable()
    cross = _cross_listing_problems(result.listings, root, full)
    cross += [_at(l, p) for l in result.listings if (p := _timezone_problem(l, vocabularies))]
    if cross:
        result.problems += cross
        rejected = {p.file for p in cross if p.is_error}
        result.listings = [l for l in result.listings if l.source not in rejected]
    result.problems.sort(key=sort_key)
    return result


def check_file(path: str, kind: Kind | None, lookups: Lookups, display: str | None = None) -> tuple[Listing | None, list[Problem]]:
    """Check one listing file; return the listing when it has no errors.
    ``display`` is the path shown to contributors, ``os.path.relpath(path)``."""
    display = display or os.path.relpath(path)
    name = os.path.basename(path)
    if kind is None:
        folders = ", ".join(f"directory/{k.folder}/" for k in KINDS)
        return None, [error(f"is not in a listing folder — put it in one of {folders}").located(display)]
    if os.path.isdir(path) or not name.endswith(LISTING_SUFFIXES):
        if os.path.islink(path) or os.path.isdir(path):
            return None, [error(f"is a folder or link — directory/{kind.folder}/ holds only listing files").located(display)]
        return None, [error(f"is not a listing file — listing files end in .yml; rename it, or move it out of directory/{kind.folder}/").located(display)]
    doc = read_document(path, display)
    if not doc.ok:
        return None, doc.problems
    data = doc.data
    if not isinstance(data, dict):
        return None, [error("must be a set of fields, starting with 'name:' — see docs/contributing.md").located(display, 1, 1)]
    slug = name.rsplit(".", 1)[0]
    problems = kind.record.check(data, lookups) + _file_rules(kind, slug, data, lookups)
    if problems:
        problems = [p.located(display, *position(doc.text, p.path, p.at_key)) for p in problems]
    if any(p.is_error for p in problems):
        return None, problems
    return build_listing(kind.key, slug, display, data), problems


def _file_rules(kind: Kind, slug: str, data: dict, lookups: Lookups) -> list[Problem]:
    problems = []
    if not _SLUG.match(slug):
        problems.append(error(f"the file name {slug!r} is not a slug — rename the file to lowercase words joined by hyphens, e.g. downtown-serenity.yml"))
    elif isinstance(data.get("slug"), str) and _SLUG.match(data["slug"]) and data["slug"] != slug:
        problems.append(error(f"{data['slug']!r} does not match the file name {slug!r} — rename the file to {data['slug']}.yml, or change the slug", "slug"))
    fellowship = data.get("fellowship")
    if kind.fellowship_kind and isinstance(fellowship, str) and fellowship in lookups.vocabularies["fellowships"]:
        allowed = lookups.vocabularies[f"fellowships:{kind.fellowship_kind}"]
        if fellowship not in allowed:
            other = next(k for k in KINDS if k.fellowship_kind and k is not kind)
            problems.append(error(f"{fellowship!r} is a {'family' if kind.fellowship_kind == 'peer' else 'peer'} fellowship — move the file to directory/{other.folder}/, or pick one of: {', '.join(sorted(allowed))}", "fellowship"))
    return problems


def _cross_listing_problems(listings: list[Listing], root: str, full: bool) -> list[Problem]:
    """Problems between listings, found with indexes (never by comparing pairs)."""
    problems: list[Problem] = []
    by_slug: dict[str, Listing] = {}
    by_place: dict[tuple, Listing] = {}
    on_disk = {} if full else _slugs_on_disk(root)
    for listing in listings:
        first = by_slug.get(listing.slug)
        same_slug = on_disk.get(listing.slug, ())
        here = os.path.abspath(listing.source) if same_slug else ""
        elsewhere = [p for p in same_slug if os.path.abspath(p) != here]
        if first is not None:
            problems.append(_duplicate_slug(listing, first.source))
        elif elsewhere:
            problems.append(_duplicate_slug(listing, elsewhere[0]))
        by_slug.setdefault(listing.slug, listing)
        if listing.location:
            place = (listing.kind, _normal(listing.name), _normal(listing.location.address), _normal(listing.location.city))
            twin = by_place.get(place)
            if twin is not None:
                problems.append(_at(listing, error(f"has the same name and address as {twin.source} — if it is the same group, merge the two files into one", "name")))
            by_place.setdefault(place, listing)
    return problems + _group_reference_problems(listings, root, on_disk)


GROUP_FOLDERS = ("groups", "family-groups")


def _group_reference_problems(listings: list[Listing], root: str, on_disk: dict[str, list[str]]) -> list[Problem]:
    """Each group a treatment centre names must be a file in groups/ or family-groups/."""
    naming = [l for l in listings if l.groups]
    if not naming:
        return []
    on_disk = on_disk or _slugs_on_disk(root)
    known = {slug for slug, paths in on_disk.items() if any(os.path.basename(os.path.dirname(p)) in GROUP_FOLDERS for p in paths)}
    problems = []
    for listing in naming:
        for index, slug in enumerate(listing.groups):
            if slug not in known:
                hint = suggest(slug, known) or "check the spelling of the file name"
                folders = " or ".join(f"directory/{folder}/" for folder in GROUP_FOLDERS)
                problems.append(_at(listing, error(f"{slug!r} is not a listing in {folders} — {hint}", "groups", index)))
    return problems


def _timezone_problem(listing: Listing, vocabularies: Vocabularies) -> Problem | None:
    # Without a location nothing places an online listing in a time zone but the listing or its region.
    region = vocabularies.regions.get(listing.region)
    if listing.location is None and not listing.timezone and not (region and region.default_timezone):
        return error(f"an online listing with no location {TIMEZONE_NEEDED}", "region")
    return None


def _duplicate_slug(listing: Listing, other: str) -> Problem:
    return _at(listing, error(f"the slug {listing.slug!r} is already used by {os.path.relpath(other)} — slugs must be unique across the directory; rename this file, e.g. {listing.slug}-{listing.region}.yml"))


def _slugs_on_disk(root: str) -> dict[str, list[str]]:
    """Every listing file's slug, from file names alone (no reading)."""
    # The files listing_files() yields, in its order, from names alone: a pull
    # request check lists the whole directory, so this is most of its time.
    slugs: dict[str, list[str]] = {}
    for kind in KINDS:
        folder = os.path.join(root, kind.folder)
        if os.path.islink(folder) or not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(LISTING_SUFFIXES) and not name.startswith("."):
                slugs.setdefault(name.rsplit(".", 1)[0], []).append(os.path.join(folder, name))
    return slugs


def _at(listing: Listing, problem: Problem) -> Problem:
    """Locate a problem found after loading, by reading the file once more."""
    doc = read_document(listing.source, listing.source)
    return problem.located(listing.source, *position(doc.text, problem.path, problem.at_key))


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def _normal(text: str | None) -> str:
    return _NOT_ALPHANUMERIC.sub(" ", (text or "").lower()).strip()


class _RelativePaths:
    """``os.path.relpath(path)`` for many files in a few folders, working out each
    folder's part once: relpath asks the system for the working directory each call."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        folder, name = os.path.split(path)
        if not folder or name in ("", ".", ".."):
            return os.path.relpath(path)
        rel = self._folders.get(folder)
        if rel is None:
            rel = self._folders[folder] = os.path.relpath(folder)
        if set(rel.split(os.sep)) == {".."}:
            return os.path.relpath(path)  # the folder holds the working directory: the name may be on its way
        return name if rel == "." else os.path.join(rel, name)
