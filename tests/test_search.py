"""Search: the Pagefind index of the example site, queried in headless
Chromium through the search page and through Pagefind's own JavaScript API.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from recovery_directory.render import catalogue
from recovery_directory.schema import KIND_BY_KEY
from site_build import REPO

pytest_plugins = ["site_fixtures"]

FILTERS = {"kind", "region", "fellowship", "type", "day", "attendance", "language"}
T = catalogue("en")
KIND_LABELS = {"group": T.kind_group, "family-group": T.kind_family_group, "treatment-center": T.kind_treatment_center}

# Runs in the page: Pagefind's API, results as URLs in Pagefind's order.
SEARCH = """async ([query, options]) => {
    const pagefind = await import('/pagefind/pagefind.js');
    const search = await pagefind.search(query, options);
    const data = await Promise.all(search.results.map(result => result.data()));
    return data.map(page => page.url);
}"""
FILTER_COUNTS = """async () => {
    const pagefind = await import('/pagefind/pagefind.js');
    return await pagefind.filters();
}"""


def url_of(listing) -> str:
    return f"/{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"


def unique_word(listings) -> tuple[str, object]:
    """A word of one listing's name that appears in no other listing file at all."""
    texts = {listing.slug: (REPO / "directory" / KIND_BY_KEY[listing.kind].folder / f"{listing.slug}.yml").read_text(encoding="utf-8").lower()
             for listing in listings}
    for listing in listings:
        for word in re.findall(r"[^\W\d_]{5,}", listing.name):
            if sum(word.lower() in text for text in texts.values()) == 1:
                return word, listing
    raise AssertionError("no listing name has a word of its own")


@pytest.fixture
def api(page, example_server):
    """A page on the site (the search page) from which Pagefind's API is imported."""
    page.goto(example_server + "search/")
    return page


def test_the_index_covers_every_page_marked_for_it(example_site, example_directory):
    entry = json.loads((example_site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    marked = [url for url in example_site.page_urls() if example_site.soup(url).find(attrs={"data-pagefind-body": True})]
    assert len(marked) >= len(example_directory.listings)
    assert entry["languages"]["en"]["page_count"] == len(marked)


@pytest.mark.browser
def test_the_search_page_finds_a_listing_by_name(page, example_server, example_directory):
    word, listing = unique_word(example_directory.listings)
    page.goto(f"{example_server}search/?q={word}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => new URL(a.href).pathname)")
    assert url_of(listing) in hrefs, (word, hrefs)
    assert page.locator(".pagefind-ui__result-link", has_text=listing.name).count() == 1
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.browser
def test_the_api_finds_a_listing_by_name(api, example_directory):
    word, listing = unique_word(example_directory.listings)
    assert api.evaluate(SEARCH, [word, {}]) == [url_of(listing)]


@pytest.mark.browser
@pytest.mark.parametrize("key, value, wanted", [
    ("fellowship", "Al-Anon Family Groups", lambda listing, vocab: listing.fellowship == "al-anon"),
    ("kind", KIND_LABELS["treatment-center"], lambda listing, vocab: listing.kind == "treatment-center"),
    ("region", "Cook County", lambda listing, vocab: "cook-county" in [r.slug for r in vocab.regions[listing.region].lineage]),
    ("attendance", T.online, lambda listing, vocab: listing.attendance == "online"),
    ("language", "Spanish", lambda listing, vocab: "es" in listing.languages),
    ("day", "Sunday", lambda listing, vocab: any(meeting.day == 0 for meeting in listing.meetings)),
    ("type", "Women", lambda listing, vocab: any("W" in meeting.types for meeting in listing.meetings)),
])
def test_the_api_finds_listings_by_filter(api, example_directory, key, value, wanted):
    vocab = example_directory.vocabularies
    expected = {url_of(listing) for listing in example_directory.listings if wanted(listing, vocab)}
    assert expected, (key, value)
    assert set(api.evaluate(SEARCH, [None, {"filters": {key: value}}])) == expected


@pytest.mark.browser
def test_a_query_narrowed_by_a_filter(api, example_directory):
    word, listing = unique_word(example_directory.listings)
    region = example_directory.vocabularies.regions[listing.region].name
    assert api.evaluate(SEARCH, [word, {"filters": {"region": region}}]) == [url_of(listing)]
    others = [r.name for r in example_directory.vocabularies.top_regions
              if r not in example_directory.vocabularies.regions[listing.region].lineage]
    assert api.evaluate(SEARCH, [word, {"filters": {"region": others[0]}}]) == []


@pytest.mark.browser
def test_pagefind_knows_every_filter_with_the_right_counts(api, example_directory):
    filters = api.evaluate(FILTER_COUNTS)
    assert FILTERS <= set(filters)
    listings = example_directory.listings
    vocab = example_directory.vocabularies
    kinds = {label: count for label, count in filters["kind"].items() if label in KIND_LABELS.values()}
    assert kinds == {KIND_LABELS[kind]: count for kind, count in Counter(l.kind for l in listings).items()}
    fellowships = Counter(vocab.terms["fellowships"].name(l.fellowship, "en") for l in listings if l.fellowship)
    assert filters["fellowship"] == dict(fellowships)
    regions = Counter(region.name for l in listings for region in vocab.regions[l.region].lineage)
    assert filters["region"] == dict(regions)


def test_the_search_page_script_writes_no_markup():
    """Listing text is untrusted: search.js builds results with textContent; the one
    markup it takes from Pagefind, the excerpt's <mark>, it splits on."""
    script = (REPO / "overrides" / "assets" / "directory" / "search.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", script)
