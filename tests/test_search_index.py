"""The search index (search_index.py): what of each page reaches Pagefind, one
index per language, and an index in parts that the search page merges.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.exceptions import PluginError

from recovery_directory.render import catalogue
from recovery_directory.schema import KIND_BY_KEY
from recovery_directory.search_index import (BATCH, BUNDLE, FEED_BODIES, FEED_ENV, FEED_PAGES, PAGEFIND_UIS, PARTS_FILE, FedPage,
                                             fed_pages, index_site, page_region, plan_parts, searchable_html,
                                             searchable_text, write_part)
from site_build import REPO, mkdocs_build, serve
from test_accessibility import AXE_TAGS, RUN_AXE, axe_script, inject_axe, report  # noqa: F401 (axe_script: a fixture)

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


def index_chunks(bundle: Path) -> list[bytes]:
    """A bundle's word index (every .pf_index file, decompressed), in a stable order.

    Its filter files are left out: Pagefind writes the same filters in a
    different order from one run to the next (fragments hold each page's own)."""
    return sorted(gzip.decompress(path.read_bytes()) for path in bundle.glob("index/*.pf_index"))


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


@pytest.mark.parametrize("page", [
    '<!doctype html><html lang="es"><body><nav>Menú</nav><article data-pagefind-body><h1>Grupo – “Sí”</h1>'
    '<article>dentro</article></article><p>data-pagefind-body in words</p><div data-pagefind-body>b</div></body></html>',
    "<html lang='de'><body><p data-pagefind-body>\ud800 unencodable, as MkDocs writes it: a reference</p></body></html>",
    "é" * 2040 + '<html lang="en-GB"><body><p data-pagefind-body>lang past the first 4096 bytes, not chars</p></body></html>',
    "<HTML><BODY><Article data-pagefind-body>K\u212a</ARTICLE><section data-pagefind-body>open to the end",
    "<html lang=\"en\"><body><h1>No search body</h1></body></html>",
])
def test_a_page_as_text_gives_the_same_body_as_the_page_written(page):
    """The build feeds each page from its text (on_post_page), encoding only the body."""
    assert searchable_text(page) == searchable_html(page.encode("utf-8", errors="xmlcharrefreplace"))


def test_the_marker_in_a_pages_text_sends_only_a_fragment_pagefind_then_drops(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html lang="en"><body><p>Notes: data-pagefind-body</p></body></html>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<html lang="en"><body><div data-pagefind-body><h1>Real page</h1></div></body></html>')
    stats = index_site(str(tmp_path))
    assert stats.pages == {"en": 1}
    assert list(fragments(tmp_path / BUNDLE)) == ["/b/"]


def test_pages_sent_in_many_batches_are_each_indexed_once(tmp_path):
    """Requests go to Pagefind a batch at a time and its answers are read as they
    come: every page of several batches is indexed, and the stream ends."""
    words = " ".join(f"word{n}" for n in range(600))
    pages = [(f"/p{n}/", f'<html lang="en"><body><main data-pagefind-body><h1>Page {n}</h1><p>{words}</p></main></body></html>'.encode())
             for n in range(3 * BATCH // 4000)]
    assert sum(len(html) for _, html in pages) > 2 * BATCH
    entry = write_part(iter(pages), str(tmp_path), "en", True)
    assert entry["languages"]["en"]["page_count"] == len(pages)
    assert sorted(fragments(tmp_path)) == sorted(url for url, _ in pages)


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


# --- in parts along the regions ----------------------------------------------------------

def lineage(path: str) -> list[list[str]]:
    return [[slug, slug.title()] for slug in path.split("/")]


def test_a_directory_that_fits_is_one_part_and_offers_no_scope():
    plan = plan_parts([("a", lineage("texas/houston")), ("b", lineage("oregon")), ("guide", None)], limit=2)
    assert plan.parts == [] and plan.scopes == [] and sorted(plan.common.files) == ["a", "b", "guide"]


def test_parts_follow_the_regions_and_small_neighbours_share_one():
    pages = ([(f"h{n}", lineage("texas/houston")) for n in range(3)] + [(f"a{n}", lineage("texas/austin")) for n in range(2)]
             + [("t", lineage("texas"))] + [(f"o{n}", lineage("oregon")) for n in range(2)] + [("i", lineage("idaho"))]
             + [("guide", None)])
    plan = plan_parts(pages, limit=3)
    assert plan.common.files == ["guide"]
    assert [(p.regions, p.own, sorted(p.files)) for p in plan.parts] == [
        (["idaho", "oregon"], [], ["i", "o0", "o1"]),  # two small states share a part
        (["texas/austin"], ["texas"], ["a0", "a1", "t"]),  # Texas is too large: its own pages, then its areas
        (["texas/houston"], [], ["h0", "h1", "h2"]),
    ]
    assert [(s["path"], s["depth"], s["pages"]) for s in plan.scopes] == [
        ("idaho", 0, 1), ("oregon", 0, 2), ("texas", 0, 6), ("texas/austin", 1, 2), ("texas/houston", 1, 3)]


def test_a_region_larger_than_a_part_is_cut_into_runs():
    plan = plan_parts([(f"c{n}", lineage("illinois/chicago")) for n in range(5)] + [("s", lineage("illinois/springfield"))], limit=2)
    assert [(p.regions, p.own, len(p.files)) for p in plan.parts] == [
        ([], ["illinois/chicago"], 2), ([], ["illinois/chicago"], 2), (["illinois/springfield"], ["illinois/chicago"], 2)]
    assert [s["path"] for s in plan.scopes] == ["illinois", "illinois/chicago", "illinois/springfield"]


def test_a_listing_page_carries_its_region_for_the_index(example_site, example_directory):
    vocab = example_directory.vocabularies
    for listing in example_directory.listings[:10]:
        html = (example_site.root / url_of(listing).strip("/") / "index.html").read_bytes()
        assert page_region(html) == [[r.slug, r.name] for r in vocab.regions[listing.region].lineage]
    assert page_region((example_site.root / "guide" / "first-meeting" / "index.html").read_bytes()) is None


PART_LIMIT = 8


@pytest.fixture(scope="module")
def parted_site(example_site, tmp_path_factory) -> Path:
    """The example site indexed in parts of at most 8 listings."""
    copy = tmp_path_factory.mktemp("parts") / "site"
    shutil.copytree(example_site.root, copy, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(str(copy), part_pages=PART_LIMIT)
    return copy


def manifest(site: Path) -> dict:
    return json.loads((site / BUNDLE / PARTS_FILE).read_text(encoding="utf-8"))["en"]


def test_an_index_in_parts_holds_every_page_once_along_the_regions(parted_site, example_site, example_directory):
    bundle = parted_site / BUNDLE
    described = manifest(parted_site)
    whole = fragments(example_site.root / BUNDLE)
    regions = {url_of(l): example_directory.vocabularies.regions[l.region].path for l in example_directory.listings}
    pages: dict[str, dict] = fragments(bundle)
    assert not set(pages) & set(regions)  # the site's bundle: the guides, no listing
    assert len(described["parts"]) > 3
    for part in described["parts"]:
        names = {p.name for p in (bundle / part["path"]).iterdir() if p.suffix != ".pf_meta"}
        assert names == {"pagefind-entry.json", "fragment", "index", "filter"}  # the scripts are the site bundle's
        here = fragments(bundle / part["path"])
        assert len(here) == part["pages"] <= PART_LIMIT and not set(here) & set(pages)
        for url in here:  # each page lies in a region the manifest says the part holds
            path = regions[url]
            assert any(path == r or path.startswith(r + "/") for r in part["regions"]) or path in part["own"], (url, part)
        pages.update(here)
    assert pages == whole
    scopes = [s["path"] for s in described["scopes"]]
    assert scopes[0] == "illinois" and {"texas", "texas/houston", "oregon"} <= set(scopes) and "oregon/eugene" not in scopes


def test_the_example_site_is_one_part(example_site):
    assert manifest(example_site.root)["parts"] == [] and manifest(example_site.root)["scopes"] == []


def test_the_bundle_has_what_the_search_page_loads_and_none_of_pagefinds_own_interfaces(example_site):
    bundle = {p.name for p in (example_site.root / "pagefind").iterdir() if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"} <= bundle
    assert not bundle & PAGEFIND_UIS


def pagefind_requests(page) -> list[str]:
    return [urlsplit(url).path for url in page.log.requests if "/pagefind/" in url]


def shown(page) -> list[str]:
    return page.eval_on_selector_all(".pagefind-ui__result-link", LINKS)


def search_until(page, url: str, seconds: float = 15) -> list[str]:
    """The results once ``url`` is among them (loading more results while it is
    not), or as they are after ``seconds``: a search runs while old results show."""
    page.wait_for_selector(".pagefind-ui__result-link", timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    found = shown(page)
    while url not in found and time.monotonic() < deadline:
        if page.locator(".pagefind-ui__button").is_visible():
            page.locator(".pagefind-ui__button").click()
        page.wait_for_timeout(200)
        found = shown(page)
    return found


@pytest.mark.browser
def test_one_part_shows_no_scope_and_a_plain_search_loads_no_filter(page, example_server, example_directory):
    listing = example_directory.listings[0]
    page.goto(f"{example_server}search/?q={listing.name}&region=texas")
    assert url_of(listing) in search_until(page, url_of(listing))
    assert page.locator("#rd-search-where").is_hidden()
    requested = pagefind_requests(page)
    assert not [r for r in requested if r.endswith(".pf_filter")], requested
    assert not [r for r in requested if "pagefind-ui" in r], requested  # no Default UI
    # A filter group's values load when it is opened.
    page.locator(".pagefind-ui__filter-name").nth(1).click()
    page.wait_for_selector(".pagefind-ui__filter-checkbox >> visible=true", timeout=15000)
    assert [r for r in pagefind_requests(page) if r.endswith(".pf_filter")]
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.browser
def test_a_region_in_the_address_picks_where_to_search(page, parted_site, example_directory):
    described = manifest(parted_site)
    houston = [l for l in example_directory.listings if l.region == "houston"]
    holding = [p["path"] for p in described["parts"] if "texas/houston" in p["regions"]]
    with serve(parted_site) as base:
        page.goto(f"{base}search/?q={houston[0].name}&region=houston")
        found = search_until(page, url_of(houston[0]))
        assert url_of(houston[0]) in found
        assert page.locator("#rd-search-where").input_value() == "texas/houston"
        loaded = {r.split("/pagefind/")[1].split("/")[0] + "/" for r in pagefind_requests(page) if "/pagefind/part-" in r}
        assert loaded == set(holding), loaded  # only the part holding Houston
        others = [url for url in found if url.startswith(("/groups/", "/family-groups/", "/treatment-centers/"))]
        houston_urls = {url_of(l) for l in houston}
        assert set(others) <= houston_urls, others  # its neighbours in the part are filtered out
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.browser
def test_a_listing_in_another_part_is_found_in_its_region_and_everywhere(page, parted_site, example_directory):
    listing = next(l for l in example_directory.listings if l.region == "eugene" and l.location)
    with serve(parted_site) as base:
        page.goto(f"{base}search/?q={listing.name}")
        assert page.locator("#rd-search-where").is_visible()
        page.wait_for_function("() => document.querySelector('.pagefind-ui__message').textContent.length > 0", timeout=15000)
        assert page.locator(".pagefind-ui__result-link").count() == 0  # asks where first
        assert not [r for r in pagefind_requests(page) if r.endswith((".pf_meta", ".pf_index"))]
        page.select_option("#rd-search-where", "texas")
        assert url_of(listing) not in search_until(page, url_of(listing), seconds=3)
        page.select_option("#rd-search-where", "oregon")
        assert url_of(listing) in search_until(page, url_of(listing))
        assert [r for r in pagefind_requests(page) if r.endswith(".pf_filter")] == []  # Oregon is a whole part: no filter
        page.select_option("#rd-search-where", "*")
        page.wait_for_timeout(500)
        assert url_of(listing) in search_until(page, url_of(listing))
        parts = {r.split("/pagefind/")[1].split("/")[0] for r in pagefind_requests(page) if "/pagefind/part-" in r}
        assert len(parts) == len(manifest(parted_site)["parts"])  # everywhere: every part
        # The last choice is remembered on this device, for the next visit.
        page.goto(f"{base}search/?q={listing.name}")
        assert url_of(listing) in search_until(page, url_of(listing))
        assert page.locator("#rd-search-where").input_value() == "*"
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.browser
def test_the_search_page_finds_listings_by_town_and_fellowship_in_parts(page, parted_site, example_directory):
    listing = next(l for l in example_directory.listings if l.region == "austin" and l.location and l.fellowship)
    fellowship = example_directory.vocabularies.terms["fellowships"].name(listing.fellowship, "en")
    with serve(parted_site) as base:
        for query in (listing.name, listing.location.city, fellowship):  # by name, town, fellowship
            page.goto(f"{base}search/?q={query}&region=texas")
            assert url_of(listing) in search_until(page, url_of(listing)), query
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


def test_region_pages_lead_to_a_search_in_the_region_only_when_the_index_is_in_parts(example_directory, monkeypatch):
    from recovery_directory import search_index
    from recovery_directory.site_model import build_model, site_pages

    def linked(limit: int) -> set[str]:
        monkeypatch.setattr(search_index, "PART_PAGES", limit)
        pages = site_pages(build_model(example_directory.vocabularies, example_directory.listings), T)
        return {page.url for page in pages if page.context.get("search_here")}

    assert linked(search_index.PART_PAGES) == set()  # one part: the search page has no "Where"
    homes = {f"regions/{region.path}/" for region in example_directory.vocabularies.regions.values()}
    assert linked(PART_LIMIT) == homes & {p.url for p in site_pages(build_model(example_directory.vocabularies, example_directory.listings), T)}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_where_and_open_filters_has_no_wcag_violations(page, parted_site, axe_script, scheme):
    with serve(parted_site) as base:
        page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
        page.goto(f"{base}search/?q=group&region=texas")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        page.locator(".pagefind-ui__filter-name").nth(1).click()
        page.wait_for_selector(".pagefind-ui__filter-checkbox >> visible=true", timeout=15000)
        inject_axe(page, axe_script, base)
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        assert not violations, report(violations)
    assert page.log.page_errors == [] and page.log.console_errors == []


# --- fed by the build, not read from the site -------------------------------------------

@pytest.fixture(scope="module")
def fed_site(tmp_path_factory) -> tuple[Path, Path]:
    """The example site built with its search feed kept (``FEED_ENV``, as
    ``recovery-directory build`` sets it), indexed from it: ``(site, feed)``."""
    folder = tmp_path_factory.mktemp("fed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(FEED_ENV, str(folder / "feed"))
        build = mkdocs_build(REPO / "mkdocs.yml", folder / "site")
    return build.site().root, folder / "feed"


def walked_copy(site: Path, to: Path, **options) -> Path:
    """``site`` without its index, indexed by walking and reading every page."""
    shutil.copytree(site, to, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(str(to), **options)
    return to


def test_the_index_from_the_builds_feed_is_the_one_from_reading_the_site(fed_site, tmp_path):
    site, feed = fed_site
    assert (feed / FEED_PAGES).is_file() and (feed / FEED_BODIES).is_file()
    walked = walked_copy(site, tmp_path / "walked")
    assert fragments(site / BUNDLE) == fragments(walked / BUNDLE)
    assert index_chunks(site / BUNDLE) == index_chunks(walked / BUNDLE)
    assert manifest(site) == manifest(walked)


def test_the_feed_holds_the_hand_written_guides_and_nothing_of_it_is_left_in_the_site(fed_site, example_site):
    site, feed = fed_site
    urls = {page.url for page, _ in fed_pages(str(feed), str(site)) if isinstance(page, FedPage)}
    guides = {f"/guide/{path.stem}/" for path in (REPO / "docs" / "guide").glob("*.md")}
    assert guides and guides <= urls and guides <= set(fragments(site / BUNDLE))
    for built in (site, example_site.root):  # with the command's feed folder, or one of the build's own
        assert not [p for p in built.rglob("*") if p.name in (FEED_PAGES, FEED_BODIES, FEED_PAGES + ".part")]


def test_an_index_in_parts_from_the_feed_is_the_one_from_reading_the_site(fed_site, parted_site, tmp_path):
    site, feed = fed_site
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(BUNDLE))
    index_site(str(copy), part_pages=PART_LIMIT, feeds={None: str(feed)})
    assert manifest(copy) == manifest(parted_site) and manifest(copy)["parts"]
    for part in [{"path": ""}, *manifest(copy)["parts"]]:  # same pages in the same parts
        assert fragments(copy / BUNDLE / part["path"]) == fragments(parted_site / BUNDLE / part["path"]), part["path"]
        assert index_chunks(copy / BUNDLE / part["path"]) == index_chunks(parted_site / BUNDLE / part["path"]), part["path"]


def test_with_no_complete_feed_the_site_is_read(fed_site, tmp_path):
    site, feed = fed_site
    cut = tmp_path / "cut"  # a build that stopped: its pages' list never completed
    cut.mkdir()
    (cut / (FEED_PAGES + ".part")).write_bytes((feed / FEED_PAGES).read_bytes()[:200])
    (cut / FEED_BODIES).write_bytes(b"")
    for number, feeds in enumerate(({None: str(cut)}, {None: str(tmp_path / "none")})):
        walked = walked_copy(site, tmp_path / f"site-{number}", feeds=feeds)
        assert fragments(walked / BUNDLE) == fragments(site / BUNDLE)


def test_both_languages_fed_by_their_builds_index_as_reading_the_site(whole_site, tmp_path):
    walked = walked_copy(whole_site.root, tmp_path / "walked", languages={"en": "", "es": "es/"})
    assert fragments(whole_site.root / BUNDLE) == fragments(walked / BUNDLE)
    assert index_chunks(whole_site.root / BUNDLE) == index_chunks(walked / BUNDLE)
    ours, theirs = (json.loads((s / BUNDLE / PARTS_FILE).read_text(encoding="utf-8")) for s in (whole_site.root, walked))
    assert ours == theirs and set(ours) == {"en", "es"}


def feeding_build(monkeypatch, dirty: bool):
    from types import SimpleNamespace

    from recovery_directory.mkdocs_build import DirectoryBuild

    monkeypatch.delenv(FEED_ENV, raising=False)
    build = DirectoryBuild(settings=SimpleNamespace(search=True))
    build.on_startup(command="build", dirty=dirty)
    config = SimpleNamespace(theme=SimpleNamespace(static_templates=["404.html", "sitemap.xml"]), extra_templates=[])
    build._open_feed(config, [])
    return build


def test_a_build_of_its_own_feeds_a_temporary_folder_it_removes(monkeypatch):
    build = feeding_build(monkeypatch, dirty=False)
    folder = Path(build.feed.folder)
    assert folder.is_dir() and build.feed_folder == str(folder)
    build.on_build_error(error=RuntimeError("stopped"))
    assert build.feed is None and not folder.exists()


def test_a_dirty_build_feeds_nothing_since_it_writes_only_changed_pages(monkeypatch):
    assert feeding_build(monkeypatch, dirty=True).feed is None
