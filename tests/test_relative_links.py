"""render.relative_link: the links templates write from a page, as mkdocs'
get_relative_url writes them, its shortcut for plain paths included."""

from __future__ import annotations

import itertools

from mkdocs.utils import get_relative_url

from recovery_directory.render import relative_link

PAGES = ["", "regions/", "regions/us/texas/", "regions/us/texas/monday/print/", "groups/downtown/", "groups/", "es/",
         "404.html", "es/404.html", "types/open/by-day/", "a..b/", "x/./y/", "x//y/", "señales/"]
TARGETS = ["", "groups/downtown/", "groups/uptown/", "groups/", "regions/us/texas/", "regions/", "assets/directory/map.js",
           "groups/downtown/meetings.ics", "my-meetings/", "types/open/", "../up/", "./here/", "a//b/", "x/../y/",
           "sitemap.xml", ".hidden/", "señales/", "es/groups/x/"]


def test_every_link_is_what_get_relative_url_gives():
    for page, target in itertools.product(PAGES, TARGETS):
        assert relative_link(page)(target) == get_relative_url(target, page), (page, target)


def test_outside_links_are_the_pages_own_for_targets_out_of_its_first_folder():
    for page, target in itertools.product(PAGES, TARGETS):
        first = page.split("/")[0]
        if target.split("/")[0] != first and not target.startswith((".", "-")) and "/." not in target:
            assert relative_link(page).outside(target) == get_relative_url(target, page), (page, target)


def test_pages_as_deep_share_one_outside_link_function():
    # what lets a listing's breadcrumbs be kept per region (listing.html)
    assert relative_link("groups/a/").outside is relative_link("treatment-centers/b/").outside
    assert relative_link("groups/a/").outside is not relative_link("regions/us/texas/").outside
    assert relative_link("groups/a/").outside("regions/us/") == "../../regions/us/"
