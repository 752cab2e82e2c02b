"""Hostile listings: markup, script, quotes, entities and template syntax in
every text field must come out of the build as text, and script URLs must be
refused by validation.

Pages are read with a real HTML parser (Beautiful Soup over html.parser, which
is stricter than a browser here: it treats ``<script>`` inside ``<title>`` as an
element), then loaded in Chromium, which must open no dialog.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from recovery_directory.render import safe_url
from recovery_directory.validate import validate_directory
from site_build import SITE_NAME, SITE_URL, Site, build_project, links, pagefind_values, script_url, serve, text, write_inheriting_config
from hostile_listings import HOSTILE_LISTINGS, HOSTILE_REGION_NAME, REJECTED_LISTINGS, SCRIPT, TEMPLATE, write_directory

pytest_plugins = ["site_fixtures"]

# Every element a listing page's article may hold: what listing.html writes.
ARTICLE_TAGS = {"article", "h1", "h2", "h3", "div", "span", "dl", "dt", "dd", "a", "section", "table", "caption", "thead",
                "tbody", "tr", "th", "td", "ul", "li", "address", "strong", "br", "p", "time", "button"}
FORBIDDEN_TAGS = ("iframe", "frame", "object", "embed", "base", "applet")


def listing_url(relative: str) -> str:
    return relative.removesuffix(".yml") + "/"


def _normalise(script: str) -> str:
    # The theme's inline scripts differ between pages only by the path to the
    # site root: "../..", "." or, on the 404 page, the site_url's path.
    script = script.replace(f'"{urlsplit(SITE_URL).path}', '"')
    script = re.sub(r'"(?:\.\.(?:/\.\.)*|\.)"', '""', script)
    return re.sub(r'"(?:\.\./)+', '"', script)


@pytest.fixture(scope="module")
def theme_scripts(hostile_site) -> set[str]:
    """The theme's own inline scripts, from a page that shows no listing data."""
    soup = hostile_site.soup("contributing/")
    return {_normalise(s.string or "") for s in soup.find_all("script") if not s.get("src")}


# --- validation -----------------------------------------------------------

def test_script_urls_are_refused_with_a_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_directory(tmp_path, {path: data for path, (data, _) in REJECTED_LISTINGS.items()})
    lines = [str(problem) for problem in validate_directory("directory").errors]
    for path, (_, message) in REJECTED_LISTINGS.items():
        mine = [line for line in lines if line.startswith(f"directory/{path}:")]
        assert len(mine) == 1 and mine[0].endswith(f": {message}"), (path, lines)


def test_a_build_with_script_urls_stops_and_says_why(tmp_path):
    listings = {path: data for path, (data, _) in REJECTED_LISTINGS.items()}
    directory = write_directory(tmp_path, listings)
    write_inheriting_config(tmp_path, directory)
    build = build_project(tmp_path)
    assert build.returncode != 0
    assert f"{len(listings)} problems in the directory" in build.output
    for _, message in REJECTED_LISTINGS.values():
        assert message in build.output


def test_the_inheriting_config_keeps_the_sites_settings(hostile_site):
    # INHERIT merged `extra`: the crisis lines come from the repository's mkdocs.yml.
    home = hostile_site.soup("")
    assert "988 Suicide & Crisis Lifeline" in text(home.select_one(".rd-crisis--compact"))
    assert hostile_site.exists("groups/script-everywhere/")


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", " JavaScript:alert(1)", "\x01javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "//elsewhere.example/x",
])
def test_templates_link_only_with_safe_schemes(url):
    # Validation refuses these first; the templates' filter refuses them again.
    assert safe_url(url) == "#"
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"


# --- every page, structurally ------------------------------------------------

def test_no_page_carries_script_from_a_listing(hostile_site, theme_scripts):
    problems = []
    for url in hostile_site.page_urls():
        soup = hostile_site.soup(url)
        for script in soup.find_all("script"):
            src = script.get("src")
            if src:
                target = hostile_site.resolve(url, src)
                if target is None or not hostile_site.exists(target[0]):
                    problems.append(f"/{url}: script from outside the site: {src}")
            elif _normalise(script.string or "") not in theme_scripts:
                problems.append(f"/{url}: inline script that is not the theme's: {(script.string or '')[:80]!r}")
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            if handlers:
                problems.append(f"/{url}: <{element.name}> with {handlers}")
        for element in soup.find_all(FORBIDDEN_TAGS):
            problems.append(f"/{url}: <{element.name}> element")
        for element in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}):
            problems.append(f"/{url}: <meta http-equiv=refresh content={element.get('content')!r}>")
        for attribute, value in links(soup):
            if script_url(value):
                problems.append(f"/{url}: {attribute}={value!r}")
    assert problems == []


def test_listing_articles_hold_only_the_templates_elements(hostile_site):
    for relative in HOSTILE_LISTINGS:
        article = hostile_site.soup(listing_url(relative)).select_one("article.rd-listing")
        assert {element.name for element in article.find_all(True)} | {"article"} <= ARTICLE_TAGS, relative


# --- every payload, as text ---------------------------------------------------

@pytest.mark.parametrize("relative", sorted(HOSTILE_LISTINGS))
def test_every_field_comes_out_as_the_same_text(hostile_site, relative):
    data = HOSTILE_LISTINGS[relative]
    soup = hostile_site.soup(listing_url(relative))
    name = data["name"]
    assert soup.h1.get_text() == name and not soup.h1.find(True)
    assert soup.title.get_text() == f"{name} - {SITE_NAME}"
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(f"{name}: ")
    assert name in [topic.get_text().strip() for topic in soup.select(".md-header__topic")]
    search_data = soup.select_one(".rd-search-data")
    assert pagefind_values(soup, "meta")["title"] == [name]
    assert pagefind_values(search_data, "sort") == {}

    location = data.get("location")
    if location:
        address = soup.find("address")
        if "name" in location:
            assert address.strong.get_text() == location["name"]
        assert location["address"] in address.get_text()
        assert location["city"] in address.get_text()
        assert pagefind_values(search_data, "meta")["town"][0].startswith(location["city"])
        if "notes" in location:
            assert soup.select_one(".rd-location-notes").get_text() == location["notes"]
    online = data.get("online")
    if online:
        assert soup.select_one("#rd-online ~ p a")["href"] == online["url"]
        if "notes" in online:
            assert soup.select_one(".rd-online-notes").get_text() == online["notes"]
    for meeting, row in zip(data.get("meetings", []), soup.select(".rd-schedule tbody tr")):
        assert row.find_all("td")[-1].get_text() == meeting.get("notes", "")
    if "notes" in data and relative.startswith(("groups/", "family-groups/")):
        assert soup.select_one(".rd-notes").get_text() == data["notes"]
    if "support" in data:
        assert data["support"] in [p.get_text() for p in soup.select("#rd-services ~ p")]
    if "website" in data:
        website = soup.select_one(".rd-contact a")
        assert website["href"] == data["website"] and website.get_text() == data["website"]


def test_names_in_lists_are_text(hostile_site):
    """Region, type, fellowship and kind pages print every name as the link's text."""
    names = {listing_url(relative): data["name"] for relative, data in HOSTILE_LISTINGS.items()}
    seen = set()
    for url in hostile_site.page_urls():
        for anchor in hostile_site.soup(url).select("a.rd-meeting__name, a.rd-card__name"):
            target, _ = hostile_site.resolve(url, anchor["href"])
            assert anchor.get_text() == names[target] and not anchor.find(True), (url, target)
            seen.add(target)
    assert seen == set(names)


def test_template_syntax_is_shown_not_run(hostile_site):
    soup = hostile_site.soup("groups/template-name/")
    assert soup.h1.get_text() == TEMPLATE
    assert soup.select_one(".rd-location-notes").get_text() == "{% include 'main.html' %}"
    assert soup.select_one(".rd-notes").get_text() == "{{ 6*7 }} {{ page.title }}"
    assert "49" not in soup.h1.get_text() and "42" not in soup.select_one(".rd-notes").get_text()


def test_entities_in_a_name_stay_entities_in_the_title(hostile_site):
    """The theme's ``striptags`` decodes entities; main.html must escape again."""
    soup = hostile_site.soup("groups/entity-name/")
    assert soup.title.get_text().startswith("&lt;script&gt;")
    source = hostile_site.source("groups/entity-name/")
    assert "<title>&amp;lt;script&amp;gt;" in source
    breaker = hostile_site.soup("groups/title-breaker/")
    assert breaker.head.find("script", string=re.compile("alert")) is None
    assert breaker.title.get_text().startswith("</title><script>")


def test_a_hostile_region_name_is_text(hostile_site):
    soup = hostile_site.soup("regions/illinois/hostile-town/")
    assert soup.h1.get_text() == HOSTILE_REGION_NAME
    assert soup.title.get_text() == f"{HOSTILE_REGION_NAME} - {SITE_NAME}"
    listing = hostile_site.soup("groups/script-everywhere/")
    illinois, town = pagefind_values(listing.select_one(".rd-search-data"), "filter")["region"]
    # Pagefind's filter list shows values as HTML: this one must be the name, escaped.
    assert illinois == "Illinois" and "<" not in town and html.unescape(town) == HOSTILE_REGION_NAME
    assert listing.select(".rd-breadcrumbs a")[-1].get_text() == HOSTILE_REGION_NAME


# --- in a real browser ---------------------------------------------------------

@pytest.mark.browser
def test_no_payload_runs_in_a_browser(hostile_site, hostile_server, page):
    for url in hostile_site.page_urls():
        page.goto(hostile_server + url)
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')]
            .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).map(e => e.outerHTML)""")
        assert handlers == [], url
    assert page.log.dialogs == [] and page.log.page_errors == []


@pytest.mark.browser
def test_search_results_show_hostile_names_as_text(hostile_server, page):
    page.goto(hostile_server + "search/?q=alert")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    page.wait_for_timeout(500)  # let every result render
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert f"{SCRIPT} Group" in titles
    injected = page.evaluate("() => document.querySelectorAll('.pagefind-ui__results img, .pagefind-ui__results svg, .pagefind-ui__results script').length")
    assert injected == 0
    assert page.log.dialogs == [] and page.log.page_errors == []


@pytest.mark.browser
def test_hostile_filter_values_stay_text_in_pagefind(hostile_server, page):
    """Pagefind keeps a region name escaped; the search page shows it as text, decoded."""
    page.goto(hostile_server + "search/?q=alert")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    filters = page.evaluate("async () => (await import('/pagefind/pagefind.js')).filters()")
    town = next(value for value in filters["region"] if value not in ("Illinois", "Springfield"))
    assert "<" not in town and html.unescape(town) == HOSTILE_REGION_NAME
    found = page.evaluate("""async (region) => {
        const pagefind = await import('/pagefind/pagefind.js');
        const search = await pagefind.search(null, {filters: {region}});
        return Promise.all(search.results.map(async result => (await result.data()).meta.title));
    }""", town)
    assert set(found) == {data["name"] for data in HOSTILE_LISTINGS.values() if data["region"] == "hostile-town"}
    for summary in page.locator(".pagefind-ui__filter-name").all():
        summary.click()
    page.wait_for_selector(".pagefind-ui__filter-label >> visible=true", timeout=15000)  # values load on opening
    labels = page.locator(".pagefind-ui__filter-label").all_inner_texts()
    assert any(label.startswith(HOSTILE_REGION_NAME) for label in labels), labels
    injected = page.evaluate("() => document.querySelectorAll('.pagefind-ui script, .pagefind-ui img, .pagefind-ui b, .pagefind-ui iframe').length")
    assert injected == 0
    assert page.log.dialogs == [] and page.log.page_errors == []
