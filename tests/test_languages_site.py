"""The site in English and Spanish, built as ``make site`` builds it: each page
says its language, leads to itself in the other, is listed with its
alternates in the sitemaps, and searches its own language's index."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlsplit

import pytest

from recovery_directory.render import Formats, catalogue
from recovery_directory.schema import KIND_BY_KEY
from site_build import REPO, SITE_URL, text
from language_build import SPANISH_SITE_NAME, SPANISH_SITE_URL, build_all_languages

pytest_plugins = ["site_fixtures", "language_site_fixtures"]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ES = catalogue("es")

# Runs in the page: Pagefind's API as the page's own language sees it (it picks
# the index from <html lang>); results as site paths.
SEARCH = """async ([bundle, query, options]) => {
    const pagefind = await import(bundle + 'pagefind.js');
    const search = await pagefind.search(query, options);
    const data = await Promise.all(search.results.map(result => result.data()));
    return data.map(page => new URL(page.url, location.href).pathname);
}"""


def language_of(url: str) -> str:
    return "es" if url.startswith("es/") else "en"


def same_page(url: str, language: str) -> str:
    """A whole-site path in ``language``: ``groups/x/`` ↔ ``es/groups/x/``."""
    bare = url.removeprefix("es/")
    return ("es/" + bare) if language == "es" else bare


def listing_path(listing, language: str = "en") -> str:
    return ("/es/" if language == "es" else "/") + f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"


# --- where each language's pages are (languages.py) -----------------------------------

def test_pages_link_to_themselves_in_each_language_and_to_the_shared_index():
    from recovery_directory.languages import Languages

    spanish = Languages.for_build(("en", "es"), "es", True, SPANISH_SITE_URL)
    assert spanish.root_url == SITE_URL
    assert [(l.lang, l.name, l.href, l.current) for l in spanish.switcher("groups/x/").links] == [
        ("en", "English", "../../../groups/x/", False), ("es", "Español", "./", True)]
    assert [l.href for l in spanish.switcher("").links] == ["../", "./"]
    assert spanish.link("pagefind/", "search/") == "../../pagefind/"
    assert spanish.hreflang("groups/x/") == [("en", SITE_URL + "groups/x/"), ("es", SPANISH_SITE_URL + "groups/x/"),
                                              ("x-default", SITE_URL + "groups/x/")]
    assert [l.href for l in spanish.home_switcher().links] == ["/recovery-directory/", "/recovery-directory/es/"]
    english = Languages.for_build(("en", "es"), "en", True, SITE_URL)
    assert [l.href for l in english.switcher("").links] == ["./", "es/"] and english.link("pagefind/", "search/") == "../pagefind/"
    alone = Languages.for_build(("en", "es"), "es", False, SPANISH_SITE_URL)  # mkdocs build -f mkdocs.es.yml
    assert alone.switcher("groups/x/") is None and alone.hreflang("groups/x/") == [] and alone.link("pagefind/", "search/") == "../pagefind/"
    with pytest.raises(ValueError, match=r"site_url must end in /es/ \(the es pages sit under es/ of the whole site\), not https://example.org/x/"):
        Languages.for_build(("en", "es"), "es", True, "https://example.org/x/")


@pytest.mark.parametrize("languages, theme, message", [
    ("es", "en", "mkdocs.yml: extra.directory.languages: list the site's language codes, the first at the root, e.g. [en, es]"),
    (["en", "xx"], "en", "mkdocs.yml: extra.directory.languages: no translations/xx.yml in hooks/recovery_directory/ — copy en.yml and translate it (have: en, es)"),
    (["en"], "es", "theme.language is 'es', which extra.directory.languages (en) does not list"),
])
def test_the_languages_setting_is_checked(languages, theme, message):
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from recovery_directory.settings import Settings

    config = SimpleNamespace(extra={"directory": {"languages": languages}}, config_file_path="mkdocs.yml", theme={"language": theme},
                             repo_url="", site_url=SITE_URL)
    with pytest.raises(PluginError) as raised:
        Settings.from_config(config)
    assert str(raised.value) == message


def test_the_build_command_built_both_languages_in_parallel_and_indexed_once(languages_build, whole_site):
    summary = languages_build.output.strip().splitlines()[-1]
    assert re.fullmatch(r"Built en [\d.]+ s, es [\d.]+ s \(\d+ at a time\), indexed for search in [\d.]+ s: .+/ in [\d.]+ s\.", summary), summary
    entry = json.loads((whole_site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"en", "es"}
    assert entry["languages"]["en"]["page_count"] == entry["languages"]["es"]["page_count"] > 0
    assert not (whole_site.root / "es" / "pagefind").exists()  # one bundle for the whole site
    assert [p.name for p in languages_build.site_dir.parent.iterdir()] == ["site"]  # no build folder left behind


def test_the_same_pages_exist_in_both_languages(whole_site):
    urls = whole_site.page_urls()
    english = {u for u in urls if language_of(u) == "en"}
    spanish = {u.removeprefix("es/") for u in urls if language_of(u) == "es"}
    assert english == spanish
    assert len(english) > 100


def test_every_page_says_its_language(whole_site):
    wrong = {}
    for url in whole_site.page_urls():
        soup = whole_site.soup(url)
        if soup.html.get("lang") != language_of(url):
            wrong[url] = soup.html.get("lang")
    assert wrong == {}
    assert text(whole_site.soup("es/").select_one(".md-header__topic")) == SPANISH_SITE_NAME
    assert whole_site.soup("es/search/").find("link", rel="canonical")["href"] == SPANISH_SITE_URL + "search/"


def test_the_switcher_leads_to_the_same_page_in_the_other_language(whole_site):
    wrong = []
    for url in whole_site.page_urls():
        soup = whole_site.soup(url)
        links = soup.select("a.md-select__link")
        found = {a["hreflang"]: a for a in links}
        if sorted(found) != ["en", "es"] or len(links) != 2:
            wrong.append(f"/{url}: languages {sorted(found)}")
            continue
        for language, a in found.items():
            expected = same_page(url, language)
            if url in ("404.html", "es/404.html"):  # served at any depth: each language's home
                expected = same_page("", language)
            target = whole_site.resolve(url, a["href"])
            if target is None or target[0] != expected or not whole_site.exists(target[0]):
                wrong.append(f"/{url}: {language} → {a['href']} ({target})")
            elif whole_site.soup(target[0]).html["lang"] != language or a.get("lang") != language:
                wrong.append(f"/{url}: {language} link leads to a page in {whole_site.soup(target[0]).html['lang']}")
            if (a.get("aria-current") == "page") != (language == language_of(url)):
                wrong.append(f"/{url}: aria-current on the {language} link")
        names = {language: text(a) for language, a in found.items()}
        if names != {"en": "English", "es": "Español"}:
            wrong.append(f"/{url}: names {names}")
    assert wrong == []


def sitemap(site, folder: str) -> dict[str, dict[str, str]]:
    """loc → {hreflang: URL} for one language's sitemap.xml."""
    root = ElementTree.parse(site.root / folder / "sitemap.xml").getroot()
    return {url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
            for url in root.findall(f"{SITEMAP}url")}


def test_each_sitemap_names_every_page_in_both_languages(whole_site):
    english, spanish = sitemap(whole_site, ""), sitemap(whole_site, "es")
    assert len(english) == len(spanish) > 100
    for own, locs in (("en", english), ("es", spanish)):
        for loc, alternates in locs.items():
            assert set(alternates) == {"en", "es", "x-default"}, loc
            assert alternates[own] == loc and alternates["x-default"] == alternates["en"]
            assert alternates["en"] in english and alternates["es"] in spanish  # both ways
            assert english[alternates["en"]] == spanish[alternates["es"]] == alternates
    for loc in list(english) + list(spanish):
        path = loc.removeprefix(SITE_URL)
        assert loc.startswith(SITE_URL) and whole_site.exists(path), loc


def test_no_page_carries_alternate_links_in_its_head(whole_site):
    """hreflang is in the sitemaps: mkdocs-material's script would fetch a
    sitemap.xml beside each <link rel="alternate"> (languages.LanguageLinks)."""
    carrying = [url for url in whole_site.page_urls() if whole_site.soup(url).find("link", rel="alternate", hreflang=True)]
    assert carrying == []


def test_a_plain_mkdocs_build_is_one_language_with_no_switcher(example_site):
    home = example_site.soup("")
    assert home.html["lang"] == "en" and home.select("a.md-select__link") == []
    assert (example_site.root / "pagefind" / "pagefind-entry.json").exists() and not (example_site.root / "es").exists()
    urls = sitemap(example_site, "")
    assert urls and all(alternates == {} for alternates in urls.values())


def test_the_spanish_config_builds_alone_with_its_own_search(tmp_path):
    """One language at a time (mkdocs serve -f mkdocs.es.yml does the same):
    Spanish pages only, their own index, no switcher to pages that are not there."""
    from site_build import Site, mkdocs_build

    build = mkdocs_build(REPO / "mkdocs.es.yml", tmp_path / "site" / "es")
    assert build.returncode == 0 and build.warnings == [], build.output
    site = Site(tmp_path / "site" / "es", SPANISH_SITE_URL)
    entry = json.loads((site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"es"}
    search = site.soup("search/")
    assert site.resolve("search/", search.select_one("#rd-search")["data-bundle"])[0] == "pagefind/"
    assert search.select("a.md-select__link") == []


def test_spanish_pages_show_spanish_days_times_and_labels(spanish_site, example_directory):
    listing = next(l for l in example_directory.listings if l.meetings and l.kind == "group")
    soup = spanish_site.soup(f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/")
    formats = Formats("es")
    rows = soup.select("table.rd-schedule tbody tr")
    first = listing.meetings[0]
    assert text(rows[0].find("th")).startswith(formats.day(first.day))
    assert formats.time(first.time) in text(rows[0]) and not re.search(r"\b[AP]M\b", text(rows[0]))
    assert formats.day(1) == "Lunes" and formats.time("19:30") == "19:30"
    vocab = example_directory.vocabularies.terms["meeting-types"]
    assert {vocab.name(code, "es") for code in first.types} <= {text(li) for li in rows[0].select(".rd-type")}


def test_the_spanish_site_filters_by_the_language_a_meeting_is_held_in(spanish_site, example_directory):
    """A listing's languages are a search filter, named and valued in Spanish."""
    from site_build import pagefind_values

    held_in_spanish = [l for l in example_directory.listings if "es" in l.languages]
    assert held_in_spanish
    for listing in example_directory.listings:
        body = spanish_site.soup(listing_path(listing).lstrip("/")).find(attrs={"data-pagefind-body": True})
        values = pagefind_values(body, "filter")
        assert ("Español" in values[ES.search_filter_language]) == ("es" in listing.languages), listing.slug
        keys = {"kind", "region", "attendance", "language"} | ({"fellowship"} if listing.fellowship else set()) \
            | ({"type", "day"} if listing.meetings else set())
        assert set(values) == {getattr(ES, f"search_filter_{key}") for key in keys}, listing.slug


# --- in the browser ---------------------------------------------------------------

@pytest.mark.browser
def test_a_spanish_search_finds_a_listing_by_its_spanish_type_label(page, whole_server, example_directory):
    women = [l for l in example_directory.listings if any("W" in m.types for m in l.meetings)]
    assert women, "the example directory has women's meetings"
    label = example_directory.vocabularies.terms["meeting-types"].name("W", "es")
    assert label == "Mujeres"
    page.goto(f"{whole_server}es/search/?q={label}")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    shown = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => new URL(a.href).pathname)")
    assert shown and all(path.startswith("/es/") for path in shown), shown
    found = page.evaluate(SEARCH, ["/pagefind/", label, {}])
    assert {listing_path(l, "es") for l in women} <= set(found)
    assert all(path.startswith("/es/") for path in found)
    # Pagefind's own words in Spanish, and the filters under Spanish names.
    assert page.locator(".pagefind-ui__message").inner_text().endswith(f"para {label}")
    headings = page.eval_on_selector_all(".pagefind-ui__filter-name", "names => names.map(n => n.textContent.trim().toLowerCase())")
    assert {ES.search_filter_language, ES.search_filter_type, ES.search_filter_day} <= set(headings), headings
    assert page.log.page_errors == [] and page.log.console_errors == []


@pytest.mark.browser
def test_each_language_searches_its_own_pages_with_its_own_stemming(page, whole_server, example_directory):
    page.goto(f"{whole_server}es/search/")
    # "abiertas" is not on any page; Spanish stemming finds the meetings labelled "Abierta".
    open_meetings = {listing_path(l, "es") for l in example_directory.listings if any("O" in m.types for m in l.meetings)}
    found = page.evaluate(SEARCH, ["/pagefind/", "abiertas", {}])
    assert open_meetings <= set(found) and all(p.startswith("/es/") for p in found)
    # Day names are words of each language's pages (a listing's own notes stay as entered, in any language).
    tuesday = [l for l in example_directory.listings if any(m.day == 2 for m in l.meetings)]
    found = page.evaluate(SEARCH, ["/pagefind/", "martes", {}])
    assert {listing_path(l, "es") for l in tuesday} <= set(found) and all(p.startswith("/es/") for p in found)
    assert not {listing_path(l, "es") for l in tuesday} <= set(page.evaluate(SEARCH, ["/pagefind/", "Tuesday", {}]))
    spanish = [l for l in example_directory.listings if "es" in l.languages]
    found = page.evaluate(SEARCH, ["/pagefind/", None, {"filters": {ES.search_filter_language: "Español"}}])
    assert set(found) == {listing_path(l, "es") for l in spanish}
    page.goto(f"{whole_server}search/")
    english = page.evaluate(SEARCH, ["/pagefind/", "Tuesday", {}])
    assert {listing_path(l) for l in tuesday} <= set(english) and not any(p.startswith("/es/") for p in english)
    assert not {listing_path(l) for l in tuesday} <= set(page.evaluate(SEARCH, ["/pagefind/", "martes", {}]))


@pytest.mark.browser
def test_the_switcher_and_the_pages_make_no_failed_request(page, whole_server, example_directory):
    listing = next(l for l in example_directory.listings if l.location and l.meetings)
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.goto(f"{whole_server}{listing_path(listing).lstrip('/')}", wait_until="networkidle")
    page.click(".md-header__option .md-select")  # the switcher opens on hover or focus
    page.click("a.md-select__link[hreflang=es]")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == listing_path(listing, "es")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.click(".md-header__option .md-select")
    page.click("a.md-select__link[hreflang=en]")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == listing_path(listing)
    assert failed == [] and not any("sitemap.xml" in url for url in page.log.requests)
    assert page.log.console_errors == [] and page.log.page_errors == []


@pytest.mark.browser
def test_online_now_speaks_spanish_in_the_viewers_time_zone(browser, whole_server):
    context = browser.new_context(timezone_id="Europe/Madrid", locale="es-ES")
    page = context.new_page()
    try:
        page.goto(f"{whole_server}es/online/", wait_until="networkidle")
        page.wait_for_selector("#rd-online-now:not([hidden]) .rd-online-now__zone", timeout=10000)
        zone = page.inner_text(".rd-online-now__zone")
        assert zone.startswith("Las horas están en su zona horaria:") and "Europa central" in zone, zone
        widget = page.inner_text("#rd-online-now")
        assert not re.search(r"\d (?:AM|PM)\b", widget) and re.search(r"\b\d{1,2}:\d{2}\b", widget), widget[:300]
    finally:
        context.close()


def test_the_command_names_a_missing_language_config_and_builds_nothing(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(f"INHERIT: {REPO / 'mkdocs.yml'}\ndocs_dir: {REPO / 'docs'}\n"
                                         f"theme: {{name: material, custom_dir: {REPO / 'overrides'}}}\nhooks: [{REPO / 'hooks' / 'directory.py'}]\n"
                                         f"extra: {{directory: {{directory: {REPO / 'directory'}}}}}\n", encoding="utf-8")
    build = build_all_languages(tmp_path / "site", "--no-search", config=tmp_path / "mkdocs.yml", cwd=REPO)
    assert build.returncode == 2 and f"{tmp_path / 'mkdocs.es.yml'}: not found" in build.output, build.output
    assert not (tmp_path / "site").exists()
