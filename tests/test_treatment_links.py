"""Treatment centres and the groups around them: a centre's ``groups:`` is
checked like every other reference; the groups it names and those meeting at
its address appear on its page as "peer support here", and each links back.
"""

from __future__ import annotations

import pytest

from conftest import VALID_FAMILY_GROUP, VALID_GROUP, VALID_TREATMENT_CENTER
from recovery_directory.listing import Listing, Location
from recovery_directory.peer_support import link_centres
from recovery_directory.render import catalogue
from site_build import text

pytest_plugins = ["site_fixtures"]

T = catalogue("en")
NOT_A_LISTING = "is not a listing in directory/groups/ or directory/family-groups/"
CENTRE = "treatment-centers/prairie-recovery-center.yml"


def centre_naming(*slugs: str) -> str:
    return VALID_TREATMENT_CENTER + "groups:\n" + "".join(f"  - {slug}\n" for slug in slugs)


# --- validation --------------------------------------------------------------------

def test_a_named_group_that_does_not_exist_is_an_error_at_its_line(problem_lines):
    lines = problem_lines({
        "groups/downtown-serenity.yml": VALID_GROUP,
        CENTRE: centre_naming("downtown-serenity", "no-such-group"),
    })
    assert lines == [
        f"directory/{CENTRE}:12:5: groups[1]: 'no-such-group' {NOT_A_LISTING} — check the spelling of the file name",
    ]


def test_a_misspelt_group_gets_a_suggestion(problem_lines):
    lines = problem_lines({
        "groups/downtown-serenity.yml": VALID_GROUP,
        "family-groups/hope-for-today-al-anon.yml": VALID_FAMILY_GROUP,
        CENTRE: centre_naming("hope-for-today-alanon"),
    })
    assert lines == [
        f"directory/{CENTRE}:11:5: groups[0]: 'hope-for-today-alanon' {NOT_A_LISTING} — did you mean 'hope-for-today-al-anon'?",
    ]


def test_a_treatment_centre_is_not_a_group(problem_lines):
    lines = problem_lines({
        CENTRE: centre_naming("other-center"),
        "treatment-centers/other-center.yml": VALID_TREATMENT_CENTER.replace("500 Congress", "600 Congress"),
    })
    assert lines == [
        f"directory/{CENTRE}:11:5: groups[0]: 'other-center' {NOT_A_LISTING} — check the spelling of the file name",
    ]


def test_a_centre_with_a_broken_reference_is_not_built(make_directory):
    directory = make_directory({CENTRE: centre_naming("no-such-group")}).validate()
    assert not directory.ok and directory.listings == []


def test_named_groups_are_read_when_they_exist(make_directory):
    directory = make_directory({
        "groups/downtown-serenity.yml": VALID_GROUP,
        "family-groups/hope-for-today-al-anon.yml": VALID_FAMILY_GROUP,
        CENTRE: centre_naming("downtown-serenity", "hope-for-today-al-anon"),
    }).validate()
    assert directory.problems == []
    centre = next(l for l in directory.listings if l.kind == "treatment-center")
    assert centre.groups == ("downtown-serenity", "hope-for-today-al-anon")


def test_checking_one_changed_centre_looks_at_the_files_on_disk(make_directory):
    directory = make_directory({
        "groups/downtown-serenity.yml": VALID_GROUP,
        CENTRE: centre_naming("downtown-serenity", "no-such-group"),
    })
    centre = directory.root / CENTRE
    assert directory.lines(centre) == [
        f"directory/{CENTRE}:12:5: groups[1]: 'no-such-group' {NOT_A_LISTING} — check the spelling of the file name",
    ]


def test_a_group_named_twice_is_reported_once(problem_lines):
    lines = problem_lines({
        "groups/downtown-serenity.yml": VALID_GROUP,
        CENTRE: centre_naming("downtown-serenity", "downtown-serenity"),
    })
    assert lines == [f"directory/{CENTRE}:12:5: groups[1]: 'downtown-serenity' is listed twice — delete one"]


# --- linking --------------------------------------------------------------------------

def listing(slug: str, kind: str, address: str | None = None, city: str = "Springfield", groups: tuple = ()) -> Listing:
    location = Location(address, city) if address else None
    return Listing(kind=kind, slug=slug, source="", name=slug.replace("-", " ").title(), region="springfield",
                   location=location, groups=groups)


def test_named_groups_come_first_then_those_at_the_same_address():
    centre = listing("centre", "treatment-center", "800 North Rutledge Street", groups=("alumni-online", "family-room"))
    found = link_centres([
        centre,
        listing("family-room", "family-group", "800 N. Rutledge St"),  # named, and at the address
        listing("alumni-online", "group"),  # named, online only
        listing("zeta-na", "group", "800 n rutledge st"),  # at the address, not named
        listing("alpha-aa", "group", "800 N Rutledge St."),
        listing("elsewhere", "group", "801 N Rutledge St"),
        listing("other-town", "group", "800 N Rutledge St", city="Chatham"),
    ])
    assert [(c.listing.slug, c.named, c.same_address) for c in found.by_centre["centre"]] == [
        ("alumni-online", True, False), ("family-room", True, True), ("alpha-aa", False, True), ("zeta-na", False, True)]
    for slug in ("alumni-online", "family-room", "alpha-aa", "zeta-na"):
        assert [c.listing.slug for c in found.by_group[slug]] == ["centre"]
    assert "elsewhere" not in found.by_group and "other-town" not in found.by_group


def test_a_group_at_two_centres_links_to_both():
    found = link_centres([
        listing("b-centre", "treatment-center", "1 Main St"),
        listing("a-centre", "treatment-center", "9 Elm St", groups=("shared",)),
        listing("shared", "group", "1 Main Street"),
    ])
    assert [(c.listing.slug, c.named, c.same_address) for c in found.by_group["shared"]] == [
        ("a-centre", True, False), ("b-centre", False, True)]


# --- the built site ---------------------------------------------------------------------

def peer_support_shown(site, url: str) -> list[tuple[str, str]]:
    """(group URL, how it is connected) for each group under "Peer support here"."""
    heading = site.soup(url).find(id="rd-peer-support")
    if heading is None:
        return []
    return [(site.resolve(url, li.select_one("a.rd-connection__name")["href"])[0], text(li.select_one(".rd-connection__how")))
            for li in heading.find_next_sibling("ul").find_all("li")]


def centres_shown(site, url: str) -> list[tuple[str, str]]:
    heading = site.soup(url).find(id="rd-centres")
    if heading is None:
        return []
    return [(site.resolve(url, li.a["href"])[0], text(li).removesuffix(text(li.a)).strip())
            for li in heading.find_next_sibling("ul").find_all("li")]


def url_of(listing: Listing) -> str:
    return {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}[listing.kind] + f"/{listing.slug}/"


def test_every_centre_shows_its_groups_and_every_group_links_back(example_site, example_directory):
    listings = example_directory.listings
    links = link_centres(listings)
    assert links.by_centre, "the example directory should connect some centres to groups"
    for listing in listings:
        url = url_of(listing)
        expected = [(url_of(c.listing), T.peer_support_meets_here if c.same_address else T.peer_support_named)
                    for c in links.by_centre.get(listing.slug, [])]
        assert peer_support_shown(example_site, url) == expected, url
        back = [(url_of(c.listing), T.centre_meets_at if c.same_address else T.centre_connected)
                for c in links.by_group.get(listing.slug, [])]
        assert centres_shown(example_site, url) == back, url


@pytest.mark.parametrize("centre, groups", [
    # named in groups: and meeting at the centre's address
    ("prairie-recovery-center", [("groups/springfield-just-for-today-na/", "Meets here"),
                                 ("family-groups/prairie-family-al-anon/", "Meets here")]),
    # named only: the group meets elsewhere
    ("cascade-family-recovery", [("groups/eugene-young-peoples-group/", "Run with this centre")]),
    # not named: linked because they meet at the centre's address
    ("hill-country-recovery", [("family-groups/hill-country-nar-anon/", "Meets here"),
                               ("groups/hill-country-smart-recovery/", "Meets here")]),
])
def test_the_example_centres_explicit_and_same_address_groups(example_site, centre, groups):
    url = f"treatment-centers/{centre}/"
    assert peer_support_shown(example_site, url) == groups
    for group_url, how in groups:
        assert (url, "Meets at" if how == "Meets here" else "Run with") in centres_shown(example_site, group_url)
