"""Time zones: from the listing, else precise coordinates (timezonefinder),
else the ZIP code's or city's record, else the region; and the rule that an
online listing with no location needs one from the listing or its region."""

from __future__ import annotations

import pytest

from recovery_directory import cli, geocache
from recovery_directory.enrich import enrich, zone_at

# Indiana has no default on purpose: the state keeps two time zones.
REGIONS = """\
- slug: illinois
  name: Illinois
  state: IL
  timezone: America/Chicago
  regions:
    - slug: springfield
      name: Springfield
- slug: texas
  name: Texas
  state: TX
  timezone: America/Chicago
  regions:
    - slug: el-paso
      name: El Paso
- slug: indiana
  name: Indiana
  state: IN
  regions:
    - slug: indianapolis
      name: Indianapolis
"""

NO_TIME_ZONE = ("an online listing with no location needs a time zone — add timezone: America/Chicago "
                "(or set one on its region in directory/regions.yml)")


def in_person(region: str, city: str, state: str, postal_code: str | None = None, extra: str = "") -> str:
    lines = ["name: Test Group", "fellowship: aa", f"region: {region}", "location:", "  address: 1 Main St",
             f"  city: {city}", f"  state: {state}"]
    if postal_code:
        lines.append(f'  postal_code: "{postal_code}"')
    return "\n".join(lines) + "\n" + extra + 'meetings:\n  - day: monday\n    time: "19:00"\n'


def online(region: str, extra: str = "") -> str:
    return (f"name: Test Online\nfellowship: aa\nregion: {region}\n"    # region is line 3
            "online:\n  url: https://zoom.us/j/1234567890\n"
            f'meetings:\n  - day: friday\n    time: "22:00"\n{extra}')


@pytest.fixture
def zones(make_directory):
    """Write listings, validate, enrich: slug → (timezone, source), and the problem lines."""

    def run(files: dict[str, str], cache: dict | None = None):
        directory = make_directory(files, regions=REGIONS)
        if cache:
            geocache.save("directory", cache)
        result = directory.validate()
        assert result.errors == [], [str(p) for p in result.errors]
        problems = enrich(result.listings, result.vocabularies, "directory")
        return {l.slug: (l.timezone, l.timezone_source) for l in result.listings}, [str(p) for p in problems]

    return run


def test_the_listings_own_time_zone_wins(zones):
    found, problems = zones({"groups/a.yml": in_person("springfield", "Springfield", "IL", "62701",
                                                       extra="  latitude: 39.8\n  longitude: -89.65\n")
                                             + "timezone: America/New_York\n"})
    assert found == {"a": ("America/New_York", "listing")}
    assert problems == []


def test_precise_coordinates_give_the_zone_over_the_regions(zones):
    # El Paso keeps Mountain time; its state's region says Central.
    found, problems = zones({"groups/a.yml": in_person("el-paso", "El Paso", "TX", "79901",
                                                       extra="  latitude: 31.7587\n  longitude: -106.4869\n")})
    assert found == {"a": ("America/Denver", "coordinates")}
    assert problems == []


def test_cached_street_coordinates_give_the_zone(zones):
    cache = {"1 main st, el paso, tx, 79901, us": geocache.Entry(31.7587, -106.4869, "nominatim")}
    found, _ = zones({"groups/a.yml": in_person("el-paso", "El Paso", "TX", "79901")}, cache)
    assert found == {"a": ("America/Denver", "coordinates")}


def test_zip_code_gives_the_zone(zones):
    found, _ = zones({"groups/a.yml": in_person("el-paso", "El Paso", "TX", "79901")})
    assert found == {"a": ("America/Denver", "postal-code")}


def test_city_gives_the_zone(zones):
    found, _ = zones({"groups/a.yml": in_person("el-paso", "El Paso", "TX")})
    assert found == {"a": ("America/Denver", "city")}


def test_online_listing_takes_its_regions_zone_inherited_from_the_state(zones):
    found, problems = zones({"groups/a.yml": online("springfield")})
    assert found == {"a": ("America/Chicago", "region")}
    assert problems == []


def test_online_listing_with_its_own_zone_in_a_region_without_one(zones):
    found, problems = zones({"groups/a.yml": online("indianapolis", "timezone: America/Indiana/Indianapolis\n")})
    assert found == {"a": ("America/Indiana/Indianapolis", "listing")}
    assert problems == []


def test_in_person_listing_in_a_region_without_a_zone_uses_its_zip_code(zones):
    found, problems = zones({"groups/a.yml": in_person("indianapolis", "Indianapolis", "IN", "46204")})
    assert found == {"a": ("America/Indiana/Indianapolis", "postal-code")}
    assert problems == []


def test_online_listing_without_a_zone_anywhere_is_a_validation_error(make_directory):
    directory = make_directory({"groups/a.yml": online("indianapolis")}, regions=REGIONS)
    assert directory.lines() == [f"directory/groups/a.yml:3:9: region: {NO_TIME_ZONE}"]


def test_the_validate_command_reports_the_missing_zone(make_directory, capsys):
    make_directory({"groups/a.yml": online("indianapolis")}, regions=REGIONS)
    assert cli.main(["validate", "--quiet"]) == 1
    assert capsys.readouterr().out == f"directory/groups/a.yml:3:9: region: {NO_TIME_ZONE}\n"


def test_in_person_listing_that_cannot_be_placed_and_has_no_zone(zones):
    found, problems = zones({"groups/a.yml": in_person("indianapolis", "Nowhereville", "IN")})
    assert found == {"a": (None, None)}
    assert problems == [
        "directory/groups/a.yml:6:9: warning: location.city: could not be placed on a map offline: neither the "
        "postal code nor the city is known — add latitude and longitude, or run 'recovery-directory geocode'",
        "directory/groups/a.yml:4:1: location: could not be placed on a map, so it needs a time zone — add "
        "timezone: America/Chicago (or set one on its region in directory/regions.yml)",
    ]


def test_at_sea_the_region_decides():
    # timezonefinder answers Etc/GMT+6 in the Gulf of Mexico: not a place's zone.
    assert zone_at(26.0, -90.0) is None
    assert zone_at(41.88, -87.63) == "America/Chicago"
