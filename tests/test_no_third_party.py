"""Nothing from other hosts: no web fonts, scripts, styles or images, and no
request at all to another host when the pages load; no console or page errors.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from recovery_directory.schema import KIND_BY_KEY

pytest_plugins = ["site_fixtures"]

# Elements whose URL the browser loads by itself, without a click.
LOADED = {"script": "src", "img": "src", "iframe": "src", "frame": "src", "embed": "src", "source": "src",
          "video": "src", "audio": "src", "track": "src", "object": "data", "input": "src"}
LOADED_LINKS = {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch", "modulepreload", "icon",
                "apple-touch-icon", "manifest"}


def test_pages_load_nothing_from_other_hosts(example_site):
    outside = []
    for url in example_site.page_urls():
        soup = example_site.soup(url)
        for tag, attribute in LOADED.items():
            for element in soup.find_all(tag, attrs={attribute: True}):
                if example_site.resolve(url, element[attribute]) is None and not element[attribute].startswith("data:"):
                    outside.append(f"/{url}: <{tag} {attribute}={element[attribute]}>")
        for element in soup.find_all("link", href=True):
            if LOADED_LINKS & {rel.lower() for rel in element.get("rel", [])} and example_site.resolve(url, element["href"]) is None:
                outside.append(f"/{url}: <link rel={element['rel']} href={element['href']}>")
    assert outside == []


def test_stylesheets_import_nothing_from_other_hosts(example_site):
    outside = []
    for path in example_site.root.rglob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        for match in re.finditer(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", css):
            outside.append(f"{path.relative_to(example_site.root)}: {match.group(1)}")
    assert outside == []


@pytest.fixture(scope="module")
def pages(example_directory):
    """Home, a region page, a listing page and the search page with a query."""
    listing = next(l for l in example_directory.listings if l.location and l.online)
    region = example_directory.vocabularies.regions[listing.region]
    word = listing.name.split()[0]
    return ["", f"regions/{region.path}/", f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/", f"search/?q={word}"]


@pytest.mark.browser
def test_every_request_stays_on_the_site(page, example_server, pages):
    host = urlsplit(example_server).netloc
    for url in pages:
        page.goto(example_server + url, wait_until="networkidle")
        if url.startswith("search/"):
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            page.wait_for_load_state("networkidle")
    elsewhere = [request for request in page.log.requests
                 if urlsplit(request).scheme not in ("data", "blob") and urlsplit(request).netloc != host]
    assert page.log.requests and elsewhere == [] and page.log.elsewhere == []
    assert page.log.console_errors == []
    assert page.log.page_errors == []
