"""A directory too large for one page per list, built with ``mkdocs build
--strict``: 250 generated listings in every state (benchmarks/generate.py) and
210 online groups that all meet on Monday evening in one city, so that every
way of splitting a list (splitting.py) shows up at the site's own page limit —
by state, by day, by kind and into parts. No page weighs more than a bound that
does not depend on the directory's size, and the pages of each list together
list all of it, each on the right page.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from recovery_directory.fields import DAYS
from recovery_directory.schema import KIND_BY_KEY
from recovery_directory.splitting import PAGE_LIMIT
from recovery_directory.validate import validate_directory
from site_build import Site, build_project, serve, write_inheriting_config
from test_accessibility import AXE_TAGS, RUN_AXE, axe_script, inject_axe, report  # noqa: F401 (axe_script: a fixture)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

pytest_plugins = ["site_fixtures"]

CROWD = 210  # more than PAGE_LIMIT meetings at one time on one day in one city
MAX_PAGE_BYTES = 256 * 1024  # the theme (~30 KB) and PAGE_LIMIT rows, whatever the number of listings
ROW = re.compile(r'<li class="rd-(?:meeting|print__meeting)"')
CARD = re.compile(r'<li class="rd-card"')

CROWD_GROUP = """\
name: Monday Crowd {number:03d}
fellowship: aa
region: {region}
online:
  url: https://zoom.us/j/{meeting_id}
meetings:
  - day: monday
    time: "19:00"
    types: [O, D]
"""


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("large")
    directory = project / "directory"
    generate(250, str(directory), seed=3)
    city = yaml.safe_load((directory / "regions.yml").read_text(encoding="utf-8"))[0]["regions"][0]["slug"]
    for number in range(CROWD):
        text = CROWD_GROUP.format(number=number, region=city, meeting_id=8100000000 + number)
        (directory / "groups" / f"monday-crowd-{number:03d}.yml").write_text(text, encoding="utf-8")
    write_inheriting_config(project, directory, search=False)  # Pagefind is not what this checks
    return project


@pytest.fixture(scope="module")
def large_site(large_project) -> Site:
    return build_project(large_project).site()


@pytest.fixture(scope="module")
def directory(large_project):
    loaded = validate_directory(str(large_project / "directory"))
    assert loaded.ok
    return loaded


@pytest.fixture(scope="module")
def crowd_state(directory) -> str:
    crowd = next(l for l in directory.listings if l.slug == "monday-crowd-000")
    return directory.vocabularies.regions[crowd.region].lineage[0].slug


def url_of(listing) -> str:
    return f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"


def under(site, prefix: str) -> list[str]:
    """The pages of one list: ``prefix`` and the pages below it, print versions left out."""
    return [url for url in site.page_urls() if url.startswith(prefix) and "/print/" not in url]


def listing_links(site, url: str) -> list[str]:
    """The listing pages a page's list links to, once per meeting or card."""
    soup = site.soup(url)
    return [site.resolve(url, a["href"])[0] for a in soup.select("article .rd-meeting__name, article .rd-card__name")]


def test_no_page_outgrows_the_bound(large_site):
    pages = large_site.page_urls()
    assert len(pages) > 500
    for url in pages:
        source = large_site.source(url)
        assert len(source.encode("utf-8")) <= MAX_PAGE_BYTES, (url, len(source))
        assert len(ROW.findall(source)) <= PAGE_LIMIT and len(CARD.findall(source)) <= PAGE_LIMIT, url


def test_the_national_type_page_links_to_a_page_per_state(large_site, directory):
    states = {directory.vocabularies.regions[l.region].lineage[0].slug for l in directory.listings
              if any("O" in m.types for m in l.meetings)}
    soup = large_site.soup("types/open/")
    links = {large_site.resolve("types/open/", a["href"])[0] for a in soup.select("article .rd-split a")}
    assert links == {f"types/open/in/{state}/" for state in states}
    assert listing_links(large_site, "types/open/") == []


def test_a_state_page_lists_only_that_states_meetings(large_site, directory):
    regions, by_url = directory.vocabularies.regions, {url_of(l): l for l in directory.listings}
    checked = 0
    for url in under(large_site, "types/open/in/"):
        state = url.split("/")[3]
        for target in listing_links(large_site, url):
            assert regions[by_url[target].region].lineage[0].slug == state, (url, target)
            checked += 1
    expected = sum(1 for l in directory.listings for m in l.meetings if "O" in m.types)
    assert checked == expected


def test_the_online_day_pages_together_list_every_online_meeting(large_site, directory):
    online = [l for l in directory.listings if l.online and l.meetings]
    soup = large_site.soup("online/")
    days = [large_site.resolve("online/", a["href"])[0] for a in soup.select("article .rd-split a")]
    assert days == [f"online/{day}/" for day in DAYS]
    assert soup.select_one("#rd-online-now") is not None  # "online now" stays on online/
    listed = Counter(target for url in under(large_site, "online/") for target in listing_links(large_site, url))
    assert listed == Counter({url_of(l): len(l.meetings) for l in online})


def test_a_list_no_rule_divides_is_cut_into_parts_that_link_to_each_other(large_site, directory, crowd_state):
    first, second = f"types/open/in/{crowd_state}/monday/", f"types/open/in/{crowd_state}/monday/2/"
    assert large_site.exists(second)
    forward = large_site.soup(first).select_one(".rd-pager a[rel=next]")
    back = large_site.soup(second).select_one(".rd-pager a[rel=prev]")
    assert large_site.resolve(first, forward["href"])[0] == second
    assert large_site.resolve(second, back["href"])[0] == first
    assert large_site.soup(second).h1.get_text() == f"Open in {directory.vocabularies.regions[crowd_state].name}: Monday (part 2 of 2)"


def test_every_page_that_lists_meetings_has_its_print_version_and_no_page_of_links_has(large_site, crowd_state):
    lists = [url for prefix in ("regions/", "fellowships/", "online/") for url in under(large_site, prefix)
             if url not in ("regions/", "fellowships/") and "/treatment-centers/" not in url]  # indexes; a region's centres
    hubs = [url for url in lists if 'class="rd-split"' in large_site.source(url)]
    assert {"online/", "fellowships/aa/", f"regions/{crowd_state}/", "online/monday/2/"} <= set(lists)
    assert {"online/", "fellowships/aa/", f"regions/{crowd_state}/"} <= set(hubs)
    for url in lists:
        printed = 'class="rd-print-link"' in large_site.source(url)
        assert printed == large_site.exists(url + "print/") == (url not in hubs), url
    for url in ("online/monday/2/", f"fellowships/aa/in/{crowd_state}/monday/"):
        link = large_site.soup(url).select_one(".rd-print-link a")
        assert large_site.resolve(url, link["href"])[0] == url + "print/", url


@pytest.fixture(scope="module")
def large_server(large_site):
    with serve(large_site.root) as base:
        yield base


SPLIT_PAGES = [
    ("by state", "types/open/"),
    ("by day, with online now", "online/"),
    ("a region by day", "regions/{state}/"),
    ("a part", "types/open/in/{state}/monday/2/"),
]


@pytest.mark.browser
@pytest.mark.parametrize("name, url", SPLIT_PAGES, ids=[p[0] for p in SPLIT_PAGES])
def test_split_pages_have_no_wcag_violations(page, large_site, large_server, axe_script, crowd_state, name, url):
    url = url.format(state=crowd_state)
    assert large_site.exists(url), url
    page.goto(large_server + url)
    page.wait_for_load_state("load")
    if url == "online/":
        page.wait_for_selector(".rd-online-now__progress li", timeout=15000)  # online-now.js filled it
    inject_axe(page, axe_script, large_server)
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, f"/{url} ({name}):\n{report(violations)}"
    assert page.log.page_errors == [], page.log.page_errors
