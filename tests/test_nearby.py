"""Nearby listings (nearby.py): for listings at known coordinates, the nearest
of each kind are the ones listed, in order, at the right distance — checked
against a brute-force haversine search over every pair (fine on small data) —
and the listing pages of a built site show exactly those.
"""

from __future__ import annotations

import random
import shutil

import pytest
import yaml

from recovery_directory.listing import Listing, Location, Meeting
from recovery_directory.nearby import DEFAULT_LIMITS, KINDS, Grid, Limits, _Point, find_neighbours, haversine_km
from recovery_directory.render import Formats, catalogue
from recovery_directory.site_model import build_model
from recovery_directory.vocabularies import load_vocabularies
from site_build import REPO, Site, build_project, text, write_inheriting_config

FAMILY_OF = {"aa": "al-anon", "na": "nar-anon", "ca": "co-anon"}
PEER = ("aa", "na", "ca", "lifering")
FAMILY = ("al-anon", "nar-anon", "co-anon", "families-anonymous")


def place(slug: str, kind: str, lat: float, lon: float, fellowship: str | None = None,
          precision: str = "listing", online: bool = False) -> Listing:
    location = None if online else Location("1 Main St", "Springfield", latitude=lat, longitude=lon, precision=precision)
    return Listing(kind=kind, slug=slug, source=f"directory/x/{slug}.yml", name=slug.title(), region="springfield",
                   fellowship=fellowship, location=location, meetings=[Meeting(1, "19:00")])


def scatter(rng: random.Random, n: int, centres: list[tuple[float, float]], spread: float) -> list[Listing]:
    """``n`` listings of every kind around ``centres``; every seventh shares the previous one's position."""
    listings: list[Listing] = []
    for i in range(n):
        kind = rng.choice(("group",) * 6 + ("family-group",) * 3 + ("treatment-center",))
        fellowship = rng.choice(PEER) if kind == "group" else rng.choice(FAMILY) if kind == "family-group" else None
        lat0, lon0 = rng.choice(centres)
        lat = max(-89.9, min(89.9, lat0 + rng.uniform(-spread, spread)))
        lon = (lon0 + rng.uniform(-spread, spread) + 180) % 360 - 180
        if i % 7 == 6:
            lat, lon = listings[-1].location.latitude, listings[-1].location.longitude
        listings.append(place(f"l{i:05d}", kind, lat, lon, fellowship, rng.choice(("listing", "street", "postal-code", "city"))))
    return listings


def brute_force(listing: Listing, listings: list[Listing], limits: Limits, wanted=lambda other: True) -> list[tuple[float, str]]:
    """(km, slug) of the nearest others, by comparing with every listing."""
    here = listing.location
    found = sorted((haversine_km(here.latitude, here.longitude, o.location.latitude, o.location.longitude), o.slug)
                   for o in listings if o is not listing and o.location and wanted(o))
    return [pair for pair in found if pair[0] <= limits.radius_km][:limits.count]


def expected_family(listing: Listing, listings: list[Listing], limits: Limits) -> list[tuple[float, str]]:
    family = lambda o: o.kind == "family-group"
    paired = FAMILY_OF.get(listing.fellowship or "") if listing.kind == "group" else None
    if not paired:
        return brute_force(listing, listings, limits, family)
    first = brute_force(listing, listings, limits, lambda o: family(o) and o.fellowship == paired)
    rest = [p for p in brute_force(listing, listings, Limits(limits.count * 2, limits.radius_km), family) if p not in first]
    return (first + rest)[:limits.count]


def pairs(neighbours) -> list[tuple[float, str]]:
    return [(n.km, n.listing.slug) for n in neighbours]


def assert_same(got: list[tuple[float, str]], wanted: list[tuple[float, str]], where: str) -> None:
    assert [slug for _, slug in got] == [slug for _, slug in wanted], where
    for (km, slug), (true_km, _) in zip(got, wanted):
        assert km == pytest.approx(true_km, abs=1e-6), (where, slug)


# --- the search against brute force -----------------------------------------

@pytest.mark.parametrize("centres, spread", [
    ([(39.80, -89.65), (41.88, -87.63), (40.0, -88.5)], 1.2),  # towns in one state, some far apart
    ([(0.0, 179.95), (-0.2, -179.9)], 0.8),  # across the antimeridian
    ([(70.0, 25.0), (-54.8, -68.3)], 1.5),  # far north and far south: narrow longitude cells
    ([(30.27, -97.74)], 0.03),  # one crowded city: buckets split again and again
])
def test_nearest_of_each_kind_match_a_brute_force_search(centres, spread):
    listings = scatter(random.Random(7), 700, centres, spread)
    found = find_neighbours(listings, FAMILY_OF)
    assert set(found) == {l.slug for l in listings}
    for listing in listings:
        neighbours = found[listing.slug]
        for kind, got in (("group", neighbours.groups), ("treatment-center", neighbours.treatment_centers)):
            wanted = brute_force(listing, listings, DEFAULT_LIMITS[kind], lambda o, kind=kind: o.kind == kind)
            assert_same(pairs(got), wanted, f"{listing.slug} {kind}")
        assert_same(pairs(neighbours.family_groups), expected_family(listing, listings, DEFAULT_LIMITS["family-group"]),
                    f"{listing.slug} family")


def test_distances_are_great_circle_kilometres():
    # One degree of latitude is 111.2 km; one of longitude at 60° north, a little over half that.
    a, b, c = place("a", "group", 60.0, 10.0), place("b", "group", 61.0, 10.0), place("c", "group", 60.0, 11.0)
    found = find_neighbours([a, b, c], limits={**DEFAULT_LIMITS, "group": Limits(5, 200.0)})
    assert pairs(found["a"].groups) == [(pytest.approx(55.6, abs=0.1), "c"), (pytest.approx(111.2, abs=0.1), "b")]


def test_equal_distances_are_in_slug_order_and_a_listing_is_never_its_own_neighbour():
    listings = [place(slug, "group", 45.0, 7.0) for slug in ("delta", "alpha", "charlie", "bravo")]
    found = find_neighbours(listings)
    assert [n.listing.slug for n in found["charlie"].groups] == ["alpha", "bravo", "delta"]
    assert all(n.km == 0 for n in found["charlie"].groups)


def test_count_and_radius_limit_each_kind():
    here = place("here", "group", 40.0, -89.0)
    ring = [place(f"g{i}", "group", 40.0 + 0.05 * i, -89.0) for i in range(1, 20)]  # 5.6 km apart
    limits = {**DEFAULT_LIMITS, "group": Limits(4, 12.0)}
    found = find_neighbours([here] + ring, limits=limits)
    assert [n.listing.slug for n in found["here"].groups] == ["g1", "g2"]
    found = find_neighbours([here] + ring)
    assert [n.listing.slug for n in found["here"].groups] == ["g1", "g2", "g3", "g4", "g5"]


def test_listings_without_coordinates_are_near_nowhere():
    here = place("here", "group", 40.0, -89.0)
    online = place("online", "group", 0, 0, online=True)
    unplaced = place("unplaced", "family-group", 0, 0, "al-anon")
    unplaced.location.latitude = unplaced.location.longitude = None
    found = find_neighbours([here, online, unplaced, place("there", "group", 40.01, -89.0)])
    assert set(found) == {"here", "there"}
    assert pairs(found["here"].groups)[0][1] == "there" and not found["here"].family_groups


# --- families beside every group ------------------------------------------------

def family_around(group_fellowship: str) -> dict:
    group = place("the-group", "group", 40.0, -89.0, group_fellowship)
    family = [
        place("nar-anon-near", "family-group", 40.01, -89.0, "nar-anon"),  # 1.1 km
        place("al-anon-mid", "family-group", 40.05, -89.0, "al-anon"),  # 5.6 km
        place("co-anon-mid", "family-group", 40.07, -89.0, "co-anon"),  # 7.8 km
        place("al-anon-far", "family-group", 40.3, -89.0, "al-anon"),  # 33 km
        place("al-anon-too-far", "family-group", 41.0, -89.0, "al-anon"),  # 111 km, beyond 80
    ]
    return find_neighbours([group, *family], FAMILY_OF)["the-group"]


def test_a_groups_paired_family_fellowship_comes_first():
    found = family_around("aa")
    assert [n.listing.slug for n in found.family_groups] == ["al-anon-mid", "al-anon-far", "nar-anon-near"]
    assert found.family_fellowship == "al-anon"
    found = family_around("na")
    assert [n.listing.slug for n in found.family_groups] == ["nar-anon-near", "al-anon-mid", "co-anon-mid"]
    assert found.family_fellowship == "nar-anon"


def test_without_a_pairing_family_groups_are_in_distance_order():
    found = family_around("lifering")
    assert [n.listing.slug for n in found.family_groups] == ["nar-anon-near", "al-anon-mid", "co-anon-mid"]
    assert found.family_fellowship is None


def test_no_paired_group_in_range_means_no_preference():
    group = place("the-group", "group", 40.0, -89.0, "ca")
    family = [place("al-anon-near", "family-group", 40.01, -89.0, "al-anon"),
              place("co-anon-far", "family-group", 42.0, -89.0, "co-anon")]  # 222 km
    found = find_neighbours([group, *family], FAMILY_OF)["the-group"]
    assert [n.listing.slug for n in found.family_groups] == ["al-anon-near"]
    assert found.family_fellowship is None


def test_the_pairing_is_read_from_fellowships_yml():
    vocabularies = load_vocabularies(str(REPO / "directory"))
    pairs_in_file = {t.code: t.extra["family"] for t in vocabularies.terms["fellowships"] if t.extra.get("family")}
    assert {"aa": "al-anon", "na": "nar-anon", "ca": "co-anon"}.items() <= pairs_in_file.items()
    group = place("the-group", "group", 40.0, -89.0, "ca")
    listings = [group, place("al-anon-near", "family-group", 40.01, -89.0, "al-anon"),
                place("co-anon-mid", "family-group", 40.05, -89.0, "co-anon")]
    for listing in listings:
        listing.region = next(iter(vocabularies.regions))
    model = build_model(vocabularies, listings)
    assert [n.listing.slug for n in model.neighbours["the-group"].family_groups] == ["co-anon-mid", "al-anon-near"]


# --- approximate positions -------------------------------------------------------

@pytest.mark.parametrize("mine, theirs, shown", [
    ("listing", "street", None),
    ("listing", "postal-code", "postal-code"),
    ("postal-code", "street", "postal-code"),
    ("city", "postal-code", "city"),
    ("street", "city", "city"),
])
def test_a_distance_is_approximate_when_either_position_is(mine, theirs, shown):
    found = find_neighbours([place("a", "group", 40.0, -89.0, precision=mine), place("b", "group", 40.1, -89.0, precision=theirs)])
    assert found["a"].groups[0].approximate == shown


# --- linear, not quadratic -----------------------------------------------------------

def test_a_search_reads_a_few_buckets_however_many_listings():
    """Dense cities and open country: each search computes a few dozen distances, not one per listing."""
    rng = random.Random(3)
    towns = [(rng.uniform(30, 48), rng.uniform(-120, -75)) for _ in range(60)]
    per_search = []
    for n in (2_000, 8_000):
        listings = [place(f"g{i}", "group", lat + rng.gauss(0, 0.05), lon + rng.gauss(0, 0.05))
                    for i, (lat, lon) in enumerate(rng.choice(towns) for _ in range(n))]
        grid = Grid()
        for listing in listings:
            grid.add(listing)
        for listing in listings:
            grid.nearest(_Point.of(listing), DEFAULT_LIMITS["group"])
        per_search.append(grid.examined / n)
    assert max(per_search) < 60, per_search
    assert per_search[1] < 1.5 * per_search[0], per_search  # four times the listings, not four times the work


# --- the built site ------------------------------------------------------------------

REGIONS = """\
- slug: illinois
  name: Illinois
  state: IL
  timezone: America/Chicago
  regions:
    - slug: springfield
      name: Springfield
"""
VOCABULARY_FILES = ("meeting-types.yml", "fellowships.yml", "services.yml", "payment.yml", "populations.yml")
SPRINGFIELD = (39.80, -89.65)
APPROXIMATE_SLUG = "zip-code-only-al-anon"  # placed by its ZIP code's centre at build time
FOLDERS = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}


def site_listings() -> dict[str, dict]:
    """Listings around Springfield at known coordinates, as YAML data by relative path."""
    rng = random.Random(11)
    listings = {}
    for i in range(24):
        kind = ("group",) * 3 + ("family-group", "treatment-center")
        kind = kind[i % 5]
        data = {"name": f"{kind.replace('-', ' ').title()} {i:02d}", "region": "springfield",
                "location": {"address": f"{100 + i} Main St", "city": "Springfield", "state": "IL",
                             "latitude": round(SPRINGFIELD[0] + rng.uniform(-0.4, 0.4), 5),
                             "longitude": round(SPRINGFIELD[1] + rng.uniform(-0.5, 0.5), 5)}}
        if kind == "treatment-center":
            data.update(phone="+1 217 555 0100", services=["outpatient"], payment=["self-pay"])
        else:
            data.update(fellowship=rng.choice(("aa", "na", "lifering") if kind == "group" else ("al-anon", "nar-anon")),
                        meetings=[{"day": "monday", "time": "19:00"}, {"day": "thursday", "time": "12:00"}])
        listings[f"{FOLDERS[kind]}/{kind}-{i:02d}.yml"] = data
    listings[f"family-groups/{APPROXIMATE_SLUG}.yml"] = {
        "name": "Zip Code Only Al-Anon", "fellowship": "al-anon", "region": "springfield",
        "location": {"address": "1 Unknown Way", "city": "Springfield", "state": "IL", "postal_code": "62702"},
        "meetings": [{"day": "friday", "time": "18:30"}]}
    return listings


@pytest.fixture(scope="module")
def nearby_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("nearby")
    directory = project / "directory"
    for folder in FOLDERS.values():
        (directory / folder).mkdir(parents=True)
    for name in VOCABULARY_FILES:
        shutil.copyfile(REPO / "directory" / name, directory / name)
    (directory / "regions.yml").write_text(REGIONS, encoding="utf-8")
    for relative, data in site_listings().items():
        (directory / relative).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    write_inheriting_config(project, directory, search=False)  # search: not needed here
    site = build_project(project).site()
    from recovery_directory.enrich import enrich
    from recovery_directory.validate import validate_directory
    loaded = validate_directory(str(directory))
    assert loaded.ok, [str(p) for p in loaded.errors]
    enrich(loaded.listings, loaded.vocabularies, str(directory))
    return site, loaded.listings


def shown_lists(site: Site, url: str) -> dict[str, list[tuple[str, str]]]:
    """Each Nearby list on a page: heading id → [(linked URL, distance text)]."""
    section = site.soup(url).select_one("section.rd-nearby")
    if section is None:
        return {}
    lists = {}
    for heading in section.find_all("h3"):
        items = heading.find_next_sibling("ul").select("li.rd-nearby__item")
        lists[heading["id"]] = [(site.resolve(url, li.select_one("a.rd-nearby__name")["href"])[0],
                                 text(li.select_one(".rd-nearby__distance"))) for li in items]
    return lists


def distance_text(km: float, approximate: str | None) -> str:
    t, fmt = catalogue("en"), Formats("en")
    words = t.nearby_under_mi if fmt.in_units(km, "mi") < 0.1 else t("distance_mi", distance=fmt.distance(km, "mi"))
    if approximate:
        words += " " + t("nearby_approximate", precision=t("precision_" + approximate.replace("-", "_")))
    return words


def test_listing_pages_show_the_nearest_of_each_kind_in_order(nearby_site):
    site, listings = nearby_site
    by_slug = {l.slug: l for l in listings}
    assert by_slug[APPROXIMATE_SLUG].location.precision == "postal-code"
    sections = {"group": "rd-nearby-meetings", "family-group": "rd-nearby-family", "treatment-center": "rd-nearby-centres"}
    seen = approximate_seen = 0
    for listing in listings:
        url = f"{FOLDERS[listing.kind]}/{listing.slug}/"
        shown = shown_lists(site, url)
        for kind in KINDS:
            limits = DEFAULT_LIMITS[kind]
            if kind == "family-group":
                wanted = expected_family(listing, listings, limits)
            else:
                wanted = brute_force(listing, listings, limits, lambda o, kind=kind: o.kind == kind)
            expected = []
            for km, slug in wanted:
                other = by_slug[slug]
                approximate = "postal-code" if APPROXIMATE_SLUG in (slug, listing.slug) else None
                expected.append((f"{FOLDERS[other.kind]}/{slug}/", distance_text(km, approximate)))
            assert shown.get(sections[kind], []) == expected, (url, kind)
            seen += len(expected)
            approximate_seen += sum("approximate" in words for _, words in expected)
    assert seen > 8 * len(listings) and approximate_seen > 10, (seen, approximate_seen)


def test_nearby_meetings_show_their_weekly_schedule(nearby_site):
    site, listings = nearby_site
    soup = site.soup("treatment-centers/treatment-center-04/")
    whens = [text(span) for span in soup.select("#rd-nearby-meetings + ul .rd-nearby__when")]
    assert whens and all(w == "Meets: Monday 7:00 PM · Thursday 12:00 PM" for w in whens), whens


def test_a_groups_page_says_why_its_family_groups_come_first(nearby_site):
    site, listings = nearby_site
    aa = next(l for l in listings if l.fellowship == "aa")
    notes = [text(p) for p in site.soup(f"groups/{aa.slug}/").select("#rd-nearby-family ~ p")]
    assert "Families and friends of people in Alcoholics Anonymous often go to Al-Anon Family Groups, so those groups come first." in notes
