"""Generated pages outside the nav share one rendering of the theme's sidebars,
styles, footer, config and scripts (mkdocs_build.DirectoryBuild._shared_blocks):
the cache must never hand a page the blocks of a page whose links differ.
"""

from __future__ import annotations

import itertools
import json

from mkdocs.utils import get_relative_url

from recovery_directory.mkdocs_build import DirectoryBuild

pytest_plugins = ["site_fixtures"]

NAV_URLS = ["", "near-me/", "search/", "regions/", "types/", "fellowships/", "family-groups/",
            "treatment-centers/", "online/", "my-meetings/", "guide/", "guide/help-now/",
            "guide/families-and-friends/", "contributing/", "feeds/"]
PAGE_URLS = ["groups/a/", "groups/b/", "family-groups/c/", "family-groups/d/", "treatment-centers/e/",
             "regions/il/", "regions/tx/", "regions/il/chicago/", "regions/il/chicago/print/",
             "regions/tx/print/", "regions/il/print/", "types/open/", "types/women/", "types/open/il/",
             "fellowships/aa/", "fellowships/aa/print/", "online/print/", "online/monday/",
             "guide/x/", "guide/help-now/more/", "feeds/y/", "near-me/z/", "a/b/c/d/"]


def key_of(urls):
    build = DirectoryBuild(nav_folders={url[:i + 1] for url in urls for i, c in enumerate(url) if c == "/"})
    return build._nav_key


def test_pages_with_one_key_link_alike_to_every_nav_page():
    key = key_of(NAV_URLS)
    for one, other in itertools.combinations(PAGE_URLS, 2):
        if key(one) == key(other):
            for target in NAV_URLS + ["assets/stylesheets/main.css"]:
                assert get_relative_url(target, one) == get_relative_url(target, other), (one, other, target)


def test_pages_that_link_differently_get_different_keys():
    key = key_of(NAV_URLS)
    assert key("groups/a/") == key("groups/b/") == key("a/b/")
    assert key("regions/il/") != key("groups/a/")  # regions/ is in the nav
    assert key("family-groups/c/") == key("family-groups/d/")
    assert key("family-groups/c/") != key("groups/a/")  # family-groups/ is in the nav, groups/ is not
    assert key("regions/il/print/") == key("regions/tx/print/")
    assert key("guide/help-now/more/") != key("guide/x/y/")


def sidebar_links(site, url):
    sidebar = site.soup(url).select_one(".md-sidebar--primary")
    targets = [site.resolve(url, a["href"]) for a in sidebar.select("a[href]")]
    return [target for target in targets if target is not None]  # None: another site (the repository)


def test_every_page_outside_the_nav_has_the_same_working_sidebar(example_site):
    """Resolved to site paths, the sidebar's links are the same on every page
    that is not in the nav (listings, regions, print pages …), and they work."""
    outside = [url for url in example_site.page_urls()
               if url != "404.html" and not example_site.soup(url).select(".md-sidebar--primary .md-nav__link--active")]
    assert len(outside) > 40
    first = sidebar_links(example_site, outside[0])
    assert len(first) > 10 and all(example_site.exists(target[0]) for target in first)
    for url in outside[1:]:
        assert sidebar_links(example_site, url) == first, url


def test_every_page_outside_the_nav_loads_the_theme_from_its_own_depth(example_site):
    """The shared config, styles and scripts point at the site's root and files
    that exist, from wherever the page is."""
    outside = [url for url in example_site.page_urls()
               if url != "404.html" and not example_site.soup(url).select(".md-sidebar--primary .md-nav__link--active")]
    for url in outside:
        soup = example_site.soup(url)
        base = json.loads(soup.select_one("#__config").string)["base"]
        assert example_site.resolve(url, base + "/") == ("", ""), url
        assets = [tag.get("src") or tag.get("href") for tag in soup.select("script[src], link[rel=stylesheet]")]
        for asset in assets:
            target = example_site.resolve(url, asset)
            assert target is None or example_site.exists(target[0]), (url, asset)
