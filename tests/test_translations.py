"""Every interface string in every language: the catalogues agree with English
key for key and placeholder for placeholder, every key the templates use
exists, the vocabularies name every term in Spanish, and no built Spanish page
shows an English interface string (listing content stays as entered)."""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Comment, NavigableString

from recovery_directory import contributions
from recovery_directory.fields import Handle
from recovery_directory.languages import config_file
from recovery_directory.render import TRANSLATIONS, available_languages, catalogue
from recovery_directory.site_model import BROWSER_STRINGS
from recovery_directory.vocabularies import TERM_FILES, load_vocabularies
from site_build import REPO

pytest_plugins = ["site_fixtures", "language_site_fixtures"]

ENGLISH = catalogue("en").strings
OTHERS = [code for code in available_languages() if code != "en"]
TEMPLATES = sorted((REPO / "overrides").rglob("*.html"))
MATERIAL = Path(__import__("material").__file__).parent / "templates" / "partials" / "languages"
REFERENCE_TYPES = Path("/work/shared/reference/meeting-guide-types.json")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def load_yaml(path: Path):
    from mkdocs.utils.yaml import yaml_load  # !ENV and INHERIT, as MkDocs reads them

    with open(path, encoding="utf-8") as handle:
        return yaml_load(handle)


# --- the catalogues ------------------------------------------------------------

def test_spanish_is_one_of_the_languages():
    assert "es" in OTHERS
    assert load_yaml(REPO / "mkdocs.yml")["extra"]["directory"]["languages"] == ["en", "es"]


@pytest.mark.parametrize("language", OTHERS)
def test_each_language_has_exactly_the_english_keys_in_order(language):
    strings = catalogue(language).strings
    assert [k for k in ENGLISH if k not in strings] == [], f"missing in translations/{language}.yml"
    assert [k for k in strings if k not in ENGLISH] == [], f"in translations/{language}.yml but not in en.yml"
    assert list(strings) == list(ENGLISH), "keep the keys in en.yml's order, so a reviewer can read both side by side"


@pytest.mark.parametrize("language", ["en", *OTHERS])
def test_each_string_keeps_the_english_placeholders(language):
    strings = catalogue(language).strings
    wrong = {key: (placeholders(ENGLISH[key]), placeholders(text)) for key, text in strings.items()
             if key in ENGLISH and placeholders(text) != placeholders(ENGLISH[key])}
    assert wrong == {}
    assert [key for key, text in strings.items() if not isinstance(text, str) or not text.strip()] == []
    for text in strings.values():
        text.format(**{name: "x" for name in placeholders(text)})  # a stray brace fails here


@pytest.mark.parametrize("language", OTHERS)
def test_translations_are_translated(language):
    """A string copied from English unchanged is allowed only where both languages write it so."""
    same = sorted(key for key, text in catalogue(language).strings.items() if text == ENGLISH[key])
    allowed = {"meeting_time_range", "distance_mi", "distance_km", "when_day", "rule_weeks", "list_of", "list_description"}
    assert [key for key in same if key not in allowed] == []


def test_a_missing_string_stops_the_build_with_its_name():
    from recovery_directory.render import Catalogue, MissingTranslation

    partial = Catalogue("es", {"search_title": "Buscar"})
    assert partial.search_title == "Buscar"
    with pytest.raises(MissingTranslation, match="no 'near_title' in translations/es.yml"):
        partial.near_title  # noqa: B018


# --- what the templates and scripts ask for --------------------------------------

def template_keys() -> dict[str, set[str]]:
    """Keys the templates name: exact, counted (key_one, key_other) and by prefix."""
    found = {"exact": set(), "count": set(), "prefix": set()}
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        found["exact"] |= set(re.findall(r"(?<![\w.])t\.(?!count\b|starting_with\b|language\b)([a-z][a-z0-9_]*)\b(?!\s*\()", text))
        found["exact"] |= set(re.findall(r"(?<![\w.])t\(\s*'([a-z][a-z0-9_]*)'\s*[,)]", text))
        found["count"] |= set(re.findall(r"(?<![\w.])t\.count\(\s*'([a-z][a-z0-9_]*)'", text))
        found["prefix"] |= set(re.findall(r"(?<![\w.])t\(\s*'([a-z][a-z0-9_]*)'\s*~", text))
        for args in re.findall(r"(?<![\w.])t\.starting_with\(([^)]*)\)", text):
            found["prefix"] |= set(re.findall(r"'([a-z0-9_]+)'", args))
    return found


def test_every_key_a_template_names_is_in_the_catalogue():
    keys = template_keys()
    assert len(keys["exact"]) > 100  # the scan finds what the templates use
    assert sorted(keys["exact"] - set(ENGLISH)) == []
    assert sorted(k for k in keys["count"] if f"{k}_one" not in ENGLISH or f"{k}_other" not in ENGLISH) == []
    assert sorted(p for p in keys["prefix"] if not any(k.startswith(p) for k in ENGLISH)) == []


def test_every_prefix_the_scripts_get_names_strings():
    prefixes = {p for group in BROWSER_STRINGS.values() for p in group}
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in ENGLISH)) == []


# --- vocabularies and configs ---------------------------------------------------------

@pytest.mark.parametrize("language", OTHERS)
def test_every_term_has_a_name_in_each_language(language):
    """Term.name falls back to English, so a missing name would not stop a build: it stops this test."""
    vocabularies = load_vocabularies(str(REPO / "directory"))
    missing = [f"directory/{TERM_FILES[key][0]}: {term.code}" for key in TERM_FILES for term in vocabularies.terms[key]
               if not term.names.get(language)]
    assert missing == []


def test_spanish_meeting_types_are_the_meeting_guide_translations():
    if not REFERENCE_TYPES.exists():
        pytest.skip("the Meeting Guide reference types are not on this machine")
    reference = json.loads(REFERENCE_TYPES.read_text(encoding="utf-8"))
    types = load_vocabularies(str(REPO / "directory")).terms["meeting-types"]
    differ = {code: (term.names.get("es"), reference[code]["es"]) for code, term in types.terms.items()
              if code in reference and term.names.get("es") != reference[code]["es"]}
    assert differ == {}


def nav_pages(items) -> list[str]:
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_pages(value) if isinstance(value, list) else [value]
    return found


@pytest.mark.parametrize("language", OTHERS)
def test_each_language_lists_the_same_pages_in_the_same_order(language):
    main = load_yaml(REPO / "mkdocs.yml")
    other = load_yaml(Path(config_file(str(REPO / "mkdocs.yml"), ("en", language), language)))
    assert other["theme"]["language"] == language
    assert nav_pages(other["nav"]) == nav_pages(main["nav"])
    titles = [next(iter(item)) for item in other["nav"] if isinstance(item, dict)]
    assert not set(titles) & {next(iter(item)) for item in main["nav"] if isinstance(item, dict)}


def test_every_spanish_page_translates_an_english_one():
    docs = REPO / "docs"
    orphans = [p.relative_to(REPO / "docs-es").as_posix() for p in (REPO / "docs-es").rglob("*.md")
               if not (docs / p.relative_to(REPO / "docs-es")).is_file()]
    assert orphans == []


# --- built Spanish pages: no English interface string --------------------------------------

def material_strings(language: str) -> dict[str, str]:
    text = (MATERIAL / f"{language}.html").read_text(encoding="utf-8")
    return {key: json.loads(f'"{value}"') for key, value in re.findall(r'^\s*"([^"]+)": "((?:[^"\\]|\\.)*)",?$', text, re.M)}


def config_strings(config: dict) -> list[str]:
    """What a site owner writes in a language's config and pages show."""
    found = [config["site_name"], config["site_description"]]
    found += [line.get(key) for line in config["extra"]["directory"].get("crisis", []) for key in ("name", "note")]
    found.append(config["extra"]["directory"].get("entity", {}).get("name"))
    found += [p["toggle"]["name"] for p in config["theme"]["palette"]]

    def titles(items):
        for item in items:
            if isinstance(item, dict):
                title, value = next(iter(item.items()))
                yield title
                if isinstance(value, list):
                    yield from titles(value)
    found += list(titles(config["nav"]))
    return [s for s in found if s]


def fragments(text: str) -> list[str]:
    """A catalogue string, or the parts around its {placeholders} that are phrases
    (a lone word beside a placeholder, "hours", says too little to look for)."""
    parts = [p.strip(" .,:;()–-“”«»\"'…?¿!¡") for p in re.split(r"\{[^{}]*\}", text)]
    return parts if len(parts) == 1 else [p for p in parts if len(p.split()) >= 2]


@lru_cache(maxsize=None)
def english_pattern() -> re.Pattern:
    """English interface text that has a Spanish counterpart: catalogue, theme, config, vocabularies."""
    spanish = catalogue("es").strings
    candidates = {f for key, text in ENGLISH.items() if text != spanish[key] for f in fragments(text)}
    en_theme, es_theme = material_strings("en"), material_strings("es")
    candidates |= {f for key, text in en_theme.items() if es_theme.get(key) not in (None, text) and not key.startswith("search.config")
                   for f in fragments(text.replace("#", "{n}"))}
    en_config, es_config = load_yaml(REPO / "mkdocs.yml"), load_yaml(REPO / "mkdocs.es.yml")
    candidates |= set(config_strings(en_config)) - set(config_strings(es_config))
    vocabularies = load_vocabularies(str(REPO / "directory"))
    candidates |= {term.names["en"] for key in TERM_FILES for term in vocabularies.terms[key]
                   if term.names.get("es") not in (None, term.names["en"])}
    # Long enough to mean something; a single short word only when it is a whole label.
    words = sorted({c for c in candidates if len(c) >= 4 and re.search(r"[A-Za-z]{3}", c)}, key=len, reverse=True)
    # Counted strings ("{count} meetings") as they print: a number, then the word.
    counted = sorted({re.escape(text).replace(re.escape("{count}"), r"\d+") for key, text in ENGLISH.items()
                      if "{count}" in text and text != spanish[key]}, key=len, reverse=True)
    return re.compile(r"(?<![\w@/.-])(?:" + "|".join(counted + [re.escape(w) for w in words]) + r")(?![\w@-])")


@lru_cache(maxsize=None)
def entered_text() -> tuple[str, ...]:
    """Everything a listing or region file says in its own words: shown as entered."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.add(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for path in (REPO / "directory").rglob("*.yml"):
        if path.parent.name in ("groups", "family-groups", "treatment-centers") or path.name == "regions.yml":
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    # Names of services a listing links to (Zoom, Homegroup Online): brands, as they write them.
    walk([handle.service for handle in vars(contributions).values() if isinstance(handle, Handle)])
    walk(yaml.safe_load((REPO / "hooks" / "recovery_directory" / "data" / "conference-services.yml").read_text(encoding="utf-8")))
    return tuple(sorted((s for s in found if len(s) >= 3), key=len, reverse=True))


def english_in(text: str) -> list[str]:
    text = " ".join(re.sub(r"\{[a-z_]+\}", " ", text).split())  # a script fills the {placeholders}
    if not english_pattern().search(text):
        return []
    for entered in entered_text():  # a listing's own words: never translated
        if entered in text:
            text = text.replace(entered, " ")
    return english_pattern().findall(text)


SKIPPED = {"script", "style", "code", "pre", "svg", "head"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "data-value", "data-pagefind-filter", "data-pagefind-meta", "label")


def shown_text(soup: BeautifulSoup):
    """(where, text) for what a reader sees or hears on a page, outside other languages' parts."""
    untranslated = soup.select_one(".rd-untranslated") is not None

    def skipped(element) -> bool:
        for node in [element, *element.parents]:
            if getattr(node, "name", None) in SKIPPED:
                return True
            if untranslated and "md-nav--secondary" in (node.get("class") or []):
                return True  # the contents of a page still in English: its own headings
            lang = node.get("lang") if hasattr(node, "get") else None
            if lang and not lang.startswith("es"):
                return True
        return False

    yield "title", soup.title.get_text() if soup.title else ""
    description = soup.find("meta", attrs={"name": "description"})
    yield "description", description["content"] if description else ""
    for node in soup.find_all(string=True):
        if not isinstance(node, Comment) and node.strip() and not skipped(node.parent):
            yield node.parent.name, str(node)
    for element in soup.find_all(True):
        if skipped(element):
            continue
        for attribute in ATTRIBUTES:
            if element.get(attribute) and (attribute != "data-value" or element.get("data-pagefind-filter") or element.get("data-pagefind-meta")):
                yield f"{element.name}[{attribute}]", element[attribute]
        for attribute in ("data-config", "data-rd-strings", "data-map"):
            if element.get(attribute):  # strings a script shows
                for leaf in json_strings(json.loads(element[attribute])):
                    yield f"{element.name}[{attribute}]", leaf


def json_strings(value):
    if isinstance(value, str):
        if not re.match(r"^(?:[a-z]+:|\.{0,2}/|[\w.-]+/)", value):  # not a URL or a path
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def test_the_check_finds_english_where_there_is_english():
    assert english_in("Meetings near me") == ["Meetings near me"]
    assert english_in("Find meetings") and english_in("Switch to dark mode") and english_in("Skip to content")
    assert english_in("Wheelchair Access") and english_in("12 meetings")
    assert english_in("Reuniones cerca de mí") == [] and english_in("Lunes 19:30") == []
    listing = yaml.safe_load((REPO / "directory" / "groups" / "capital-city-group.yml").read_text(encoding="utf-8"))
    assert english_in(listing["name"]) == []


def test_no_spanish_page_shows_an_english_interface_string(spanish_site):
    urls = spanish_site.page_urls()
    kinds = {url.split("/")[0] for url in urls}
    assert {"", "groups", "family-groups", "treatment-centers", "regions", "types", "fellowships", "guide", "near-me",
            "online", "search", "404.html"} <= kinds
    found = {}
    for url in urls:
        soup = spanish_site.soup(url)
        english = [f"{where}: {hit!r} in {text.strip()[:80]!r}" for where, text in shown_text(soup) for hit in english_in(text)]
        if english:
            found[f"/es/{url}"] = english[:5]
    assert found == {}


def test_a_page_not_translated_yet_says_so_and_marks_its_english(spanish_site):
    english_only = sorted(p.relative_to(REPO / "docs").with_suffix("").as_posix() for p in (REPO / "docs").rglob("*.md")
                          if not (REPO / "docs-es" / p.relative_to(REPO / "docs")).exists())
    assert english_only, "the example keeps a page in English only (contributing.md), to show the fallback"
    for stem in english_only:
        url = "" if stem == "index" else f"{stem.removesuffix('/index')}/"
        soup = spanish_site.soup(url)
        assert soup.html["lang"] == "es"
        note = soup.select_one(".rd-untranslated")
        assert note is not None and "aún no está traducida" in note.get_text()
        assert note.find_next_sibling("div", lang="en") is not None
    for path in (REPO / "docs-es").rglob("*.md"):
        stem = path.relative_to(REPO / "docs-es").with_suffix("").as_posix()
        url = "" if stem == "index" else f"{stem}/"
        assert spanish_site.soup(url).select_one(".rd-untranslated") is None, url
