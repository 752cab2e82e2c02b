"""The built example site, read with a real HTML parser and compared with the
listings as ``validate_directory`` loads them: a page per listing, the right
listings on every region, type, fellowship and kind page, titles, descriptions,
edit links, search filters and sort keys, and no broken internal link.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from recovery_directory.render import Formats, catalogue, language_name
from recovery_directory.schema import KIND_BY_KEY
from site_build import REPO_URL, SITE_NAME, SITE_URL, pagefind_values, text

pytest_plugins = ["site_fixtures"]

CLEAN_URL = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*$")
T = catalogue("en")
FORMATS = Formats("en")
KIND_LABELS = {"group": T.kind_group, "family-group": T.kind_family_group, "treatment-center": T.kind_treatment_center}
ATTENDANCE_LABELS = {"in-person": T.in_person, "online": T.online, "hybrid": T.hybrid}


def url_of(listing) -> str:
    return f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"


def listed(site, page_url: str, listing_urls: set[str]) -> set[str]:
    """The listing pages a page links to, from its content area."""
    soup = site.soup(page_url)
    found = set()
    for anchor in soup.select("article a[href]"):
        target = site.resolve(page_url, anchor["href"])
        if target and target[0] in listing_urls:
            found.add(target[0])
    return found


def linked(site, page_url: str) -> set[str]:
    """Every site page a page's content links to."""
    soup = site.soup(page_url)
    return {target[0] for anchor in soup.select("article a[href]") if (target := site.resolve(page_url, anchor["href"]))}


@pytest.fixture(scope="module")
def listings(example_directory):
    return example_directory.listings


@pytest.fixture(scope="module")
def vocab(example_directory):
    return example_directory.vocabularies


@pytest.fixture(scope="module")
def listing_urls(listings) -> set[str]:
    return {url_of(listing) for listing in listings}


def derived_types(vocab) -> list[str]:
    return [term.code for term in vocab.terms["meeting-types"] if term.extra.get("derived")]


def type_codes(listing, vocab) -> set[str]:
    """The meeting types a listing is listed under: its own, and Online when it meets online."""
    codes = {code for meeting in listing.meetings for code in meeting.types}
    if listing.online and listing.meetings:
        codes.update(derived_types(vocab))
    return codes


# --- the build --------------------------------------------------------------

def test_strict_build_has_no_warnings(example_build):
    assert example_build.returncode == 0, example_build.output
    assert example_build.warnings == []


def test_the_example_directory_is_not_empty(listings):
    # Every kind is represented, or the page checks below would check nothing.
    assert {listing.kind for listing in listings} == set(KIND_LABELS)
    assert any(listing.online for listing in listings) and any(listing.location for listing in listings)


# --- pages and what they list -------------------------------------------------

def test_every_listing_has_a_page_and_every_listing_page_a_listing(example_site, listing_urls):
    built = {url for url in example_site.page_urls() if url.count("/") == 2
             and url.startswith(("groups/", "family-groups/", "treatment-centers/"))}
    assert built == listing_urls


def test_every_region_page_lists_its_listings_and_its_sub_regions(example_site, listings, vocab, listing_urls):
    expected = defaultdict(set)
    for listing in listings:
        for region in vocab.regions[listing.region].lineage:
            expected[region.slug].add(url_of(listing))
    # Each region's printable schedule (regions/<path>/print/) is tested in test_print.py.
    assert {url for url in example_site.page_urls() if url.startswith("regions/") and url != "regions/" and not url.endswith("/print/")} == \
        {f"regions/{region.path}/" for region in vocab.regions.values()}
    for region in vocab.regions.values():
        page_url = f"regions/{region.path}/"
        assert listed(example_site, page_url, listing_urls) == expected[region.slug], page_url
        assert {f"regions/{child.path}/" for child in region.children} <= linked(example_site, page_url)
    assert linked(example_site, "regions/") >= {f"regions/{region.path}/" for region in vocab.regions.values()}


def test_every_used_type_has_a_page_listing_its_meetings(example_site, listings, vocab, listing_urls):
    expected = defaultdict(set)
    for listing in listings:
        for code in type_codes(listing, vocab):
            expected[code].add(url_of(listing))
    terms = vocab.terms["meeting-types"]
    type_pages = {terms[code].slug: urls for code, urls in expected.items()}
    assert {url for url in example_site.page_urls() if url.startswith("types/") and url != "types/"} == \
        {f"types/{slug}/" for slug in type_pages}
    for slug, urls in type_pages.items():
        assert listed(example_site, f"types/{slug}/", listing_urls) == urls, slug
    assert linked(example_site, "types/") == {f"types/{slug}/" for slug in type_pages}


def test_every_used_fellowship_has_a_page_listing_its_groups(example_site, listings, listing_urls):
    expected = defaultdict(set)
    for listing in listings:
        if listing.fellowship:
            expected[listing.fellowship].add(url_of(listing))
    assert {url for url in example_site.page_urls() if url.startswith("fellowships/") and url != "fellowships/" and not url.endswith("/print/")} == \
        {f"fellowships/{code}/" for code in expected}
    for code, urls in expected.items():
        assert listed(example_site, f"fellowships/{code}/", listing_urls) == urls, code
    assert linked(example_site, "fellowships/") >= {f"fellowships/{code}/" for code in expected}


@pytest.mark.parametrize("page_url, wanted", [
    ("family-groups/", lambda listing: listing.kind == "family-group"),
    ("treatment-centers/", lambda listing: listing.kind == "treatment-center"),
    ("online/", lambda listing: listing.online is not None and bool(listing.meetings)),
])
def test_kind_pages_list_their_listings(example_site, listings, listing_urls, page_url, wanted):
    expected = {url_of(listing) for listing in listings if wanted(listing)}
    assert expected, page_url
    assert listed(example_site, page_url, listing_urls) == expected


def test_the_home_page_leads_everywhere(example_site, vocab):
    soup = example_site.soup("")
    targets = linked(example_site, "")
    assert {"online/", "family-groups/", "treatment-centers/"} <= targets
    assert {f"regions/{region.path}/" for region in vocab.top_regions} <= targets
    form = soup.select_one("form[role=search]")
    assert example_site.resolve("", form["action"])[0] == "search/" and form.find("input", attrs={"name": "q"})


# --- every page: URL, title, description ---------------------------------------

def test_every_page_has_a_clean_url_a_title_and_a_description(example_site):
    for url in example_site.page_urls():
        soup = example_site.soup(url)
        title = soup.title.get_text().strip() if soup.title else ""
        description = soup.find("meta", attrs={"name": "description"})
        assert title, url
        assert description and description.get("content", "").strip(), url
        if url == "404.html":
            continue
        assert CLEAN_URL.match(url), url
        assert soup.find("link", rel="canonical")["href"] == SITE_URL + url
        assert title == SITE_NAME if url == "" else title.endswith(f" - {SITE_NAME}"), (url, title)


def test_the_issues_example_urls_exist(hostile_site):
    # The example data names its Springfield springfield-il; this build uses the issue's own slugs.
    for url in ("regions/illinois/springfield/", "groups/downtown-serenity/", "types/women/"):
        assert hostile_site.exists(url), url
        assert hostile_site.soup(url).find("link", rel="canonical")["href"] == SITE_URL + url
    for url in ("regions/illinois/springfield/", "types/women/"):
        assert "groups/downtown-serenity/" in linked(hostile_site, url)


# --- listing pages ------------------------------------------------------------

def test_listing_pages_have_title_description_and_edit_link(example_site, listings):
    for listing in listings:
        soup = example_site.soup(url_of(listing))
        folder = KIND_BY_KEY[listing.kind].folder
        assert soup.title.get_text() == f"{listing.name} - {SITE_NAME}"
        assert soup.h1.get_text() == listing.name
        assert soup.find("meta", attrs={"name": "description"})["content"].startswith(f"{listing.name}: ")
        edit = f"{REPO_URL}/edit/main/directory/{folder}/{listing.slug}.yml"
        assert soup.find("a", rel="edit")["href"] == edit, listing.slug
        assert edit in [a["href"] for a in soup.select(".rd-listing-footer a")]


def test_listing_pages_carry_every_filter_key_and_no_sort_key(example_site, listings, vocab):
    terms = vocab.terms
    for listing in listings:
        soup = example_site.soup(url_of(listing))
        bodies = soup.find_all(attrs={"data-pagefind-body": True})
        assert len(bodies) == 1, listing.slug
        filters = pagefind_values(bodies[0], "filter")
        for values in filters.values():
            assert len(values) == len(set(values)), (listing.slug, values)
        expected = {
            "kind": {KIND_LABELS[listing.kind]},
            "region": {region.name for region in vocab.regions[listing.region].lineage},
            "attendance": {ATTENDANCE_LABELS[listing.attendance]},
            "language": {language_name(code, "en") for code in listing.languages},
        }
        if listing.fellowship:
            expected["fellowship"] = {terms["fellowships"].name(listing.fellowship, "en")}
        if listing.meetings:
            expected["type"] = {terms["meeting-types"].name(code, "en") for code in type_codes(listing, vocab)}
            expected["day"] = {FORMATS.day(meeting.day) for meeting in listing.meetings}
        assert {key: set(values) for key, values in filters.items()} == expected, listing.slug
        # No sort keys: the search page ranks by relevance, and each key cost every part's page
        # table, which the first search loads, about 3 bytes a listing (search_index.py).
        assert pagefind_values(bodies[0], "sort") == {}, listing.slug
        assert pagefind_values(bodies[0], "meta")["title"] == [listing.name]


def test_listing_pages_are_indexed_and_browse_pages_are_not(example_site, listing_urls, vocab):
    indexed = {url for url in example_site.page_urls() if example_site.soup(url).find(attrs={"data-pagefind-body": True})}
    assert listing_urls <= indexed
    # Region, type and fellowship pages repeat listings' names: in results they would crowd out the listings.
    assert not {url for url in indexed if url.startswith(("regions/", "types/", "fellowships/"))}


# --- links ------------------------------------------------------------------

def test_every_internal_link_resolves(example_site):
    broken = []
    for url in example_site.page_urls():
        soup = example_site.soup(url)
        for element in soup.find_all(["a", "link", "script", "img", "form", "source", "iframe"]):
            href = element.get("href") or element.get("src") or element.get("action")
            if href is None:
                continue
            target = example_site.resolve(url, href)
            if target is None:
                continue
            page, fragment = target
            if not example_site.exists(page):
                broken.append(f"/{url}: {href} → /{page}")
            elif fragment and example_site.file_for(page).suffix == ".html":
                if not example_site.soup(page).find(attrs={"id": fragment}) and not example_site.soup(page).find(attrs={"name": fragment}):
                    broken.append(f"/{url}: {href} → no #{fragment} on /{page}")
    assert broken == []
