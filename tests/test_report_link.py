"""Every listing page's "Suggest a change" and "Report a problem" links, and the
contributor page's generated field tables, in the built example site."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from recovery_directory.listing import Listing
from recovery_directory.render import catalogue
from recovery_directory.schema import KIND_BY_KEY, KINDS
from recovery_directory.site_model import report_problem_url
from site_build import REPO_URL

pytest_plugins = ["site_fixtures"]

T = catalogue("en")


def listing(slug: str = "downtown-serenity", name: str = "Downtown Serenity") -> Listing:
    return Listing(kind="group", slug=slug, source=f"directory/groups/{slug}.yml", name=name, region="springfield")


# --- the URL --------------------------------------------------------------------------


def test_report_url_prefills_the_form_with_slug_and_title():
    url = report_problem_url("https://github.com/example/recovery-directory", listing(), "Problem with a listing: Downtown Serenity")
    assert url == ("https://github.com/example/recovery-directory/issues/new?template=report-problem.yml"
                   "&listing=downtown-serenity&title=Problem%20with%20a%20listing%3A%20Downtown%20Serenity")


def test_report_url_escapes_what_a_name_may_hold():
    title = 'Problem with a listing: A&B "Group" #1 <b>?=/+%'
    url = report_problem_url("https://github.com/example/recovery-directory/", listing(name="x"), title)
    query = parse_qs(urlsplit(url).query)
    assert query == {"template": ["report-problem.yml"], "listing": ["downtown-serenity"], "title": [title]}
    assert not set('&"#<> ') & set(urlsplit(url).query.split("&title=")[1])


@pytest.mark.parametrize("repo_url", [
    "", "https://gitlab.com/example/recovery-directory", "http://github.com/example/x",
    "https://github.com/example", "https://github.com/a/b/c", "javascript:alert(1)",
])
def test_no_report_url_off_github(repo_url):
    assert report_problem_url(repo_url, listing(), "t") is None


def test_report_url_of_a_repo_url_ending_in_git():
    assert report_problem_url("https://github.com/example/x.git", listing(), "t").startswith("https://github.com/example/x/issues/new?")


# --- the built site --------------------------------------------------------------------


def test_every_listing_page_has_both_links(example_site, example_directory):
    for item in example_directory.listings:
        soup = example_site.soup(f"{KIND_BY_KEY[item.kind].folder}/{item.slug}/")
        footer = {a.get_text(strip=True): a["href"] for a in soup.select(".rd-listing-footer a")}
        assert footer[T.edit_listing] == f"{REPO_URL}/edit/main/directory/{KIND_BY_KEY[item.kind].folder}/{item.slug}.yml"
        assert footer[T.report_problem] == report_problem_url(REPO_URL, item, T("report_problem_title", name=item.name))


def test_the_contributing_page_has_the_generated_field_tables(example_site):
    soup = example_site.soup("contributing/")
    headings = [h.get_text(" ", strip=True) for h in soup.select("article h3")]
    for kind in KINDS:
        assert any(h.startswith(f"{kind.record.title}: directory/{kind.folder}/") for h in headings), headings
    assert "the field tables are generated" not in example_site.source("contributing/")
    cells = [td.get_text(strip=True) for td in soup.select("article td")]
    assert "meetings[].time" in cells and "location.address" in cells
