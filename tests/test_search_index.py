"""The search index (search_index.py): what of each page reaches Pagefind, one
index per language, and an index in parts that the search page merges.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from recovery_directory.render import catalogue
from recovery_directory.schema import KIND_BY_KEY
from recovery_directory.search_index import BUNDLE, PARTS_FILE, index_site, searchable_html
from site_build import serve

pytest_plugins = ["site_fixtures", "language_site_fixtures"]

T = catalogue("en")
LINKS = "links => links.map(a => new URL(a.href).pathname)"


def fragments(bundle: Path) -> dict[str, dict]:
    """Every page a bundle indexed, by URL, as Pagefind stored it."""
    pages = {}
    for path in bundle.glob("fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data
    return pages


def url_of(listing, language: str = "en") -> str:
    return ("/es/" if language == "es" else "/") + f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"


# --- what of a page is sent ---------------------------------------------------------

def test_a_page_with_no_search_body_is_not_sent():
    assert searchable_html(b'<html lang="en"><body><h1>Regions</h1><p>Illinois</p></body></html>') is None


def test_only_the_search_body_is_sent_in_the_pages_language():
    page = (b'<!doctype html><html lang="es" class="no-js"><head><title>T</title></head><body><nav>Menu</nav>'
            b'<article class="md-content"><article data-pagefind-body><h1>Grupo</h1><article>dentro</article>'
            b'<p>fin</p></article><footer>pie del tema</footer></article></body></html>')
    assert searchable_html(page) == (b'<html lang="es"><body><article data-pagefind-body><h1>Grupo</h1>'
                                     b'<article>dentro</article><p>fin</p></article></body></html>')


def test_the_marker_in_a_pages_text_sends_only_a_fragment_pagefind_then_drops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html lang="en"><body><p>Notes: data-pagefind-body</p></body></html>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<html lang="en"><body><div data-pagefind-body><h1>Real page</h1></div></body></html>')
    stats = index_site(str(tmp_path))
    assert stats.pages == {"en": 1}
    assert list(fragments(tmp_path / BUNDLE)) == ["/b/"]


def test_a_site_with_nothing_to_search_fails_the_build(tmp_path):
    (tmp_path / "index.html").write_text('<html lang="en"><body><h1>Home</h1></body></html>')
    with pytest.raises(PluginError, match="no page has a data-pagefind-body"):
        index_site(str(tmp_path))


# --- the example site -----------------------------------------------------------------

def test_pagefind_reading_the_site_itself_indexes_exactly_the_same(example_site, tmp_path):
    """Sending Pagefind only the search body loses nothing: its own crawl of the
    whole site (the command the build ran before) stores the same pages."""
    copy = tmp_path / "site"
    shutil.copytree(example_site.root, copy, ignore=shutil.ignore_patterns(BUNDLE))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--exclude-selectors", ".headerlink", "--silent"],
                   check=True, capture_output=True)
    assert fragments(example_site.root / BUNDLE) == fragments(copy / BUNDLE)


def test_a_listing_is_indexed_by_what_people_search_for(example_site, example_directory):
    """Name, place, fellowship, meeting types and notes; not the labels, times,
    buttons and contacts around them."""
    indexed = fragments(example_site.root / BUNDLE)
    vocab = example_directory.vocabularies
    for listing in example_directory.listings:
        content = indexed[url_of(listing)]["content"]
        assert content.startswith(listing.name), listing.slug
        searched = [vocab.regions[listing.region].name]
        searched += [vocab.terms["fellowships"].name(listing.fellowship, "en")] if listing.fellowship else []
        searched += [listing.location.city, listing.location.address] if listing.location else []
        searched += [vocab.terms["meeting-types"].name(code, "en") for meeting in listing.meetings for code in meeting.types]
        searched += [meeting.notes for meeting in listing.meetings if meeting.notes]
        searched += [listing.notes] if listing.notes else []
        missing = [words for words in searched if " ".join(words.split()) not in content]
        assert missing == [], (listing.slug, content)
        left_out = [listing.email, listing.phone, listing.website, *(c.email for c in listing.contacts), *(c.phone for c in listing.contacts)]
        assert [value for value in left_out if value and value in content] == [], listing.slug
        assert not {T.directions, T.add_to_calendar, T.contact, T.schedule, T.address} & set(content.split(". ")), listing.slug


# --- in parts -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parted_site(example_site, tmp_path_factory) -> Path:
    """The example site indexed in parts of 5 pages."""
    copy = tmp_path_factory.mktemp("parts") / "site"
    shutil.copytree(example_site.root, copy, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(str(copy), part_pages=5)
    return copy


def test_an_index_in_parts_holds_every_page_once(parted_site, example_site):
    bundle = parted_site / BUNDLE
    parts = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8"))
    whole = fragments(example_site.root / BUNDLE)
    assert list(parts) == ["en"] and len(parts["en"]) == -(-len(whole) // 5) - 1
    pages: dict[str, dict] = fragments(bundle)
    for part in parts["en"]:
        names = {p.name for p in (bundle / part).iterdir() if p.suffix != ".pf_meta"}
        assert names == {"pagefind-entry.json", "fragment", "index", "filter"}  # the scripts are the first bundle's
        here = fragments(bundle / part)
        assert len(here) <= 5 and not set(here) & set(pages)
        pages.update(here)
    assert pages == whole


@pytest.mark.browser
def test_the_search_page_merges_the_parts(page, parted_site, example_directory):
    indexed = fragments(parted_site / BUNDLE)
    listing = next(l for l in example_directory.listings if url_of(l) not in indexed and l.location and l.fellowship)
    fellowship = example_directory.vocabularies.terms["fellowships"].name(listing.fellowship, "en")
    with serve(parted_site) as base:
        for query in (listing.name, listing.location.city, fellowship):  # by name, town, fellowship
            page.goto(f"{base}search/?q={query}")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            shown = page.eval_on_selector_all(".pagefind-ui__result-link", LINKS)
            while url_of(listing) not in shown and page.locator(".pagefind-ui__button").count():
                page.locator(".pagefind-ui__button").click()  # "Load more results"
                page.wait_for_timeout(500)
                shown = page.eval_on_selector_all(".pagefind-ui__result-link", LINKS)
            assert url_of(listing) in shown, (query, shown)
    assert page.log.page_errors == [] and page.log.console_errors == []


# --- one index per language -------------------------------------------------------------

def test_each_language_is_indexed_on_its_own(whole_site, example_directory):
    entry = json.loads((whole_site.root / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"en", "es"}
    indexed = fragments(whole_site.root / BUNDLE)
    english = {url for url in indexed if not url.startswith("/es/")}
    spanish = {url for url in indexed if url.startswith("/es/")}
    assert entry["languages"]["en"]["page_count"] == len(english) and entry["languages"]["es"]["page_count"] == len(spanish)
    assert {url_of(l) for l in example_directory.listings} <= english
    assert {url_of(l, "es") for l in example_directory.listings} <= spanish
    by_language = {url: path.name.split("_")[0] for path in (whole_site.root / BUNDLE / "fragment").glob("*.pf_fragment")
                   for url in [json.loads(gzip.decompress(path.read_bytes())[12:])["url"]]}
    assert {by_language[url] for url in english} == {"en"} and {by_language[url] for url in spanish} == {"es"}
