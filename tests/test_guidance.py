"""Guidance pages (docs/guide/*.md) in the built example site, read with a real
HTML parser: each exists, is in the nav and on the home page, ends with a way
into the directory, is searchable, carries its "last reviewed" date, and the
crisis page shows the configured crisis lines.
"""

from __future__ import annotations

import gzip
import json

import pytest
import yaml
from mkdocs.utils import meta as front_matter

from recovery_directory.render import tel_url
from site_build import CONFIG, REPO, text

pytest_plugins = ["site_fixtures"]

GUIDES = sorted((REPO / "docs" / "guide").glob("*.md"))
# The directory's own pages a guide may end on.
DIRECTORY_PAGES = ("regions/", "near-me/", "online/", "family-groups/", "treatment-centers/", "fellowships/", "types/", "search/")


def guide_url(path) -> str:
    return f"guide/{path.stem}/"


def guide_meta(path) -> dict:
    return front_matter.get_data(path.read_text(encoding="utf-8"))[1]


def nav_entries(items) -> list[str]:
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        found += nav_entries(value) if isinstance(value, list) else [value]
    return found


def content(site, url: str):
    """The guide's own words: the searchable part of the page."""
    return site.soup(url).select_one("article [data-pagefind-body]")


def internal_targets(site, url: str, scope) -> list[str]:
    return [target[0] for a in scope.find_all("a", href=True)
            if "headerlink" not in (a.get("class") or []) and (target := site.resolve(url, a["href"]))]


def test_there_are_the_guides_the_issue_asks_for():
    assert {path.stem for path in GUIDES} >= {"first-meeting", "online-meetings", "kinds-of-support", "sponsors-and-mentors",
                                              "families-and-friends", "choosing-treatment", "help-now"}


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_each_guide_is_built_and_in_the_nav(example_site, path):
    url = guide_url(path)
    assert example_site.exists(url)
    assert f"guide/{path.name}" in nav_entries(CONFIG["nav"])
    assert url in internal_targets(example_site, "", example_site.soup("").select_one("nav.md-nav--primary"))


def test_the_home_page_links_to_every_guide_in_nav_order(example_site):
    section = example_site.soup("").select_one(".rd-home-guides")
    assert section is not None
    linked = internal_targets(example_site, "", section)
    in_nav = [f"guide/{entry.removeprefix('guide/').removesuffix('.md')}/" for entry in nav_entries(CONFIG["nav"]) if entry.startswith("guide/")]
    assert linked == in_nav and set(linked) == {guide_url(p) for p in GUIDES}


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_each_guide_ends_with_a_way_into_the_directory(example_site, path):
    url = guide_url(path)
    words = content(example_site, url)
    blocks = [b for b in words.find_all(recursive=False) if b.name != "span" and "rd-reviewed" not in (b.get("class") or [])]
    targets = internal_targets(example_site, url, blocks[-1])
    assert targets and all(t.startswith(DIRECTORY_PAGES) for t in targets), targets
    assert all(example_site.exists(t) for t in internal_targets(example_site, url, words))


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_each_guide_is_searchable_and_dated(example_site, path):
    soup = example_site.soup(guide_url(path))
    bodies = soup.find_all(attrs={"data-pagefind-body": True})
    assert len(bodies) == 1 and bodies[0].find("h1")
    reviewed = bodies[0].select_one(".rd-reviewed time")
    assert reviewed["datetime"] == guide_meta(path)["last_reviewed"].isoformat()
    assert text(bodies[0].select_one(".rd-reviewed")).startswith("Last reviewed: ")
    assert soup.find("meta", attrs={"name": "description"})["content"] == guide_meta(path)["description"]


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_each_guide_asks_its_questions_plainly(example_site, path):
    words = content(example_site, guide_url(path))
    headings = [text(h).removesuffix("¶").strip() for h in words.find_all("h2") if not h.find_parent(class_="rd-crisis")]
    assert headings and all(h.endswith("?") for h in headings), headings
    paragraphs = [text(p) for p in words.find_all("p")]
    assert max(len(p.split()) for p in paragraphs) <= 60  # short paragraphs for a small screen


def test_pagefind_indexed_every_guide(example_site):
    urls = set()
    for fragment in (example_site.root / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    for path in GUIDES:
        assert any(u.endswith("/" + guide_url(path)) for u in urls), path.stem


def test_the_help_now_page_shows_the_configured_crisis_lines(example_site):
    box = content(example_site, "guide/help-now/").select_one("aside.rd-crisis")
    assert box is not None
    lines = CONFIG["extra"]["directory"]["crisis"]
    assert [text(li.strong) for li in box.find_all("li")] == [line["name"] for line in lines]
    hrefs = {a["href"] for a in box.find_all("a", href=True)}
    assert {tel_url(line["call"]) for line in lines if line.get("call")} <= hrefs


def test_kinds_of_support_links_to_each_fellowships_page(example_site):
    url = "guide/kinds-of-support/"
    targets = set(internal_targets(example_site, url, content(example_site, url)))
    fellowships = yaml.safe_load((REPO / "directory" / "fellowships.yml").read_text(encoding="utf-8"))
    peer = {code for code, term in fellowships.items() if term["kind"] == "peer"}
    assert {f"fellowships/{code}/" for code in peer} <= targets


def test_the_family_guide_leads_to_the_family_groups_and_alateen(example_site):
    url = "guide/families-and-friends/"
    targets = set(internal_targets(example_site, url, content(example_site, url)))
    assert {"family-groups/", "fellowships/alateen/", "fellowships/al-anon/", "fellowships/nar-anon/"} <= targets


def test_the_treatment_guide_gives_the_helpline_and_the_locator(example_site):
    words = content(example_site, "guide/choosing-treatment/")
    assert "1-800-662-4357" in text(words)
    assert "https://findtreatment.gov/" in {a["href"] for a in words.find_all("a", href=True)}
    assert "treatment-centers/" in internal_targets(example_site, "guide/choosing-treatment/", words)


def test_every_fellowship_has_a_page_the_guides_can_link_to(example_site):
    fellowships = yaml.safe_load((REPO / "directory" / "fellowships.yml").read_text(encoding="utf-8"))
    assert all(example_site.exists(f"fellowships/{code}/") for code in fellowships)
