"""The closed vocabularies in ``directory/``: regions, meeting types,
fellowships, services, payment options and populations.

Each term has a code (what listings write) and names per language (what pages
show). Files are checked like listings: a broken vocabulary is reported with
file, line and field, and stops the build.
"""

from __future__ import annotations

import os
import re
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .fields import SLUG_PATTERN, Lookups
from .problems import Problem, error, under
from .safe_yaml import position, read_document

_SLUG = re.compile(SLUG_PATTERN)
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
# File name in directory/ → what a listing calls it, and the word for one term.
TERM_FILES = {
    "meeting-types": ("meeting-types.yml", "meeting type"),
    "fellowships": ("fellowships.yml", "fellowship"),
    "services": ("services.yml", "treatment service"),
    "payment": ("payment.yml", "payment option"),
    "populations": ("populations.yml", "population"),
}
REGIONS_FILE = "regions.yml"
FELLOWSHIP_KINDS = ("peer", "family")


@dataclass(frozen=True)
class Term:
    code: str
    names: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def name(self, language: str = "en") -> str:
        return self.names.get(language) or self.names["en"]

    @property
    def slug(self) -> str:
        return self.extra.get("slug") or slugify(self.names["en"])


@dataclass(frozen=True)
class Vocabulary:
    key: str
    source: str
    terms: dict[str, Term]

    def __contains__(self, code: object) -> bool:
        return code in self.terms

    def __getitem__(self, code: str) -> Term:
        return self.terms[code]

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def name(self, code: str, language: str = "en") -> str:
        term = self.terms.get(code)
        return term.name(language) if term else code


@dataclass
class Region:
    slug: str
    name: str
    timezone: str | None = None
    state: str | None = None  # postal abbreviation, for sanity checks of addresses
    parent: "Region | None" = None
    children: list["Region"] = field(default_factory=list)

    @cached_property
    def lineage(self) -> tuple["Region", ...]:
        """This region and its ancestors, outermost first."""
        return (self.parent.lineage if self.parent else ()) + (self,)

    @property
    def path(self) -> str:
        return "/".join(r.slug for r in self.lineage)

    @property
    def default_timezone(self) -> str | None:
        return next((r.timezone for r in reversed(self.lineage) if r.timezone), None)

    @property
    def state_code(self) -> str | None:
        return next((r.state for r in reversed(self.lineage) if r.state), None)

    def __hash__(self) -> int:
        return hash(self.slug)


@dataclass
class Vocabularies:
    regions: dict[str, Region]
    terms: dict[str, Vocabulary]

    @property
    def top_regions(self) -> list[Region]:
        return [r for r in self.regions.values() if r.parent is None]

    def __getattr__(self, name: str) -> Vocabulary:
        key = name.replace("_", "-")
        try:
            return self.__dict__["terms"][key]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def derived_types(self) -> list[str]:
        """Meeting type codes the build sets from the data (Online), never written."""
        return [t.code for t in self.terms["meeting-types"] if t.extra.get("derived")]

    def lookups(self, country: str = "US") -> Lookups:
        codes = {key: vocab.terms.keys() for key, vocab in self.terms.items()}
        codes["regions"] = self.regions.keys()
        codes["derived-types"] = self.derived_types
        for kind in FELLOWSHIP_KINDS:
            codes[f"fellowships:{kind}"] = [t.code for t in self.terms["fellowships"] if t.extra.get("kind") == kind]
        return Lookups(codes, available_timezones(), country)


def available_timezones() -> set[str]:
    return _TIMEZONES


_TIMEZONES = zoneinfo.available_timezones()


def slugify(text: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ").replace("+", " plus "))
    return text.strip("-")


class VocabularyError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_vocabularies(directory: str) -> Vocabularies:
    """Load every vocabulary; raise :class:`VocabularyError` with all problems."""
    problems: list[Problem] = []
    terms = {}
    for key, (filename, noun) in TERM_FILES.items():
        vocab, found = _load_terms(directory, key, filename, noun)
        terms[key] = vocab
        problems += found
    regions, found = _load_regions(directory)
    problems += found
    if problems:
        raise VocabularyError(problems)
    return Vocabularies(regions, terms)


def _relative(directory: str, filename: str) -> tuple[str, str]:
    path = os.path.join(directory, filename)
    return path, os.path.relpath(path)


def _locate(problems: list[Problem], display: str, text: str) -> list[Problem]:
    return [p.located(display, *position(text, p.path, p.at_key)) for p in problems]


def _load_terms(directory: str, key: str, filename: str, noun: str) -> tuple[Vocabulary, list[Problem]]:
    path, display = _relative(directory, filename)
    doc = read_document(path, display)
    if not doc.ok:
        return Vocabulary(key, display, {}), doc.problems
    if not isinstance(doc.data, dict) or not doc.data:
        return Vocabulary(key, display, {}), [error(f"must list each {noun} as 'code:' followed by its names").located(display, 1, 1)]
    terms: dict[str, Term] = {}
    problems: list[Problem] = []
    for code, entry in doc.data.items():
        code = str(code)
        found = _check_term(key, code, entry)
        problems += under((code,), found)
        if not found:
            names = {str(lang): str(text) for lang, text in entry["name"].items()}
            extra = {k: v for k, v in entry.items() if k != "name"}
            terms[code] = Term(code, names, extra)
    if key == "fellowships":
        problems += _check_family_pairs(doc.data, terms)
    return Vocabulary(key, display, terms), _locate(problems, display, doc.text)


def _check_term(key: str, code: str, entry: Any) -> list[Problem]:
    if not _CODE.match(code):
        return [error(f"{code!r} is not a usable code — use letters, digits and hyphens", at_key=True)]
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), dict):
        return [error("needs a 'name:' with the label per language, e.g. name: {en: Open, es: Abierta}")]
    names = entry["name"]
    if not isinstance(names.get("en"), str) or not all(isinstance(v, str) and v.strip() for v in names.values()):
        return [error("needs an English label ('en:') and text for every language", "name")]
    if key == "fellowships" and entry.get("kind") not in FELLOWSHIP_KINDS:
        return [error(f"{entry.get('kind')!r} is not a fellowship kind — use peer or family", "kind")]
    return []


def _check_family_pairs(data: dict, terms: dict[str, Term]) -> list[Problem]:
    problems = []
    for code, term in terms.items():
        family = term.extra.get("family")
        if family is not None and (family not in terms or terms[family].extra.get("kind") != "family"):
            problems.append(error(f"{family!r} is not a family fellowship in this file — name one whose kind is family", code, "family"))
    return problems


def _load_regions(directory: str) -> tuple[dict[str, Region], list[Problem]]:
    path, display = _relative(directory, REGIONS_FILE)
    doc = read_document(path, display)
    if not doc.ok:
        return {}, doc.problems
    regions: dict[str, Region] = {}
    problems = _walk_regions(doc.data, None, (), regions)
    return regions, _locate(problems, display, doc.text)


def _walk_regions(entries: Any, parent: Region | None, path: tuple, regions: dict[str, Region]) -> list[Problem]:
    if not isinstance(entries, list):
        return [error("must be a list of regions, each starting with '- slug:'", *path)]
    problems: list[Problem] = []
    for index, entry in enumerate(entries):
        here = path + (index,)
        if not isinstance(entry, dict) or not isinstance(entry.get("slug"), str) or not isinstance(entry.get("name"), str):
            problems.append(error("needs a slug and a name, e.g. '- slug: springfield' and 'name: Springfield'", *here))
            continue
        slug = entry["slug"]
        if not _SLUG.match(slug):
            problems.append(error(f"{slug!r} is not a slug — use lowercase letters, digits and hyphens", *here, "slug"))
            continue
        if slug in regions:
            problems.append(error(f"{slug!r} is used by another region — region slugs must be unique across the file; add the state, e.g. {slug}-il", *here, "slug"))
            continue
        timezone = entry.get("timezone")
        if timezone is not None and timezone not in _TIMEZONES:
            problems.append(error(f"{timezone!r} is not an IANA time zone, e.g. America/Chicago", *here, "timezone"))
            timezone = None
        unknown = set(entry) - {"slug", "name", "timezone", "state", "regions"}
        for key in sorted(unknown, key=str):
            problems.append(error(f"unknown field {key!r} — allowed: slug, name, timezone, state, regions", *here, key, at_key=True))
        region = Region(slug, entry["name"], timezone, entry.get("state"), parent)
        regions[slug] = region
        if parent:
            parent.children.append(region)
        if entry.get("regions") is not None:
            problems += _walk_regions(entry["regions"], region, here + ("regions",), regions)
    return problems
