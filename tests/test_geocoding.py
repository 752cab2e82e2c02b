"""Coordinates: the offline order (listing, cache, ZIP code, city), the checks
against the region, the cache file, and ``recovery-directory geocode``.

Everything uses the real gazetteer (the ``zipcodes`` package) and the real
cache in ``directory/geocache.yml``. The online command is driven with
:class:`FakeGeocoder`, which has geopy's interface and no network.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pytest
import yaml
from geopy.exc import GeocoderQueryError, GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable
from geopy.location import Location as GeopyLocation

from conftest import REPO, REPO_DIRECTORY
from recovery_directory import cli, geocache, geocode_command
from recovery_directory.enrich import enrich
from recovery_directory.gazetteer import distance_km, load_gazetteer
from recovery_directory.listing import Location
from recovery_directory.site_model import listing_url
from recovery_directory.validate import validate_directory

pytest_plugins = ["site_fixtures"]  # example_site: the example directory, built once per session


def group(address: str, postal_code: str | None = "62701", region: str = "springfield", city: str = "Springfield",
          state: str | None = "IL", extra: str = "") -> str:
    """A valid group at ``address``; line 6 is the address, 7 the city, 8 the state."""
    lines = [
        "name: Test Group",                    # 1
        "fellowship: aa",                      # 2
        f"region: {region}",                   # 3
        "location:",                           # 4
        "  name: Hall",                        # 5
        f"  address: {address}",               # 6
        f"  city: {city}",                     # 7
    ]
    if state:
        lines.append(f"  state: {state}")      # 8
    if postal_code:
        lines.append(f'  postal_code: "{postal_code}"')
    lines.append(extra.rstrip("\n")) if extra else None
    lines += ["meetings:", "  - day: monday", '    time: "19:00"']
    return "\n".join(line for line in lines if line) + "\n"


def enriched(directory):
    """Validate the temporary directory, enrich it; listings by slug and problem lines."""
    result = directory.validate()
    assert result.errors == [], [str(p) for p in result.errors]
    problems = enrich(result.listings, result.vocabularies, "directory")
    return {listing.slug: listing for listing in result.listings}, [str(p) for p in problems]


# --- the gazetteer ------------------------------------------------------------


def test_gazetteer_zip_code():
    place = load_gazetteer().postal_code("62701")
    assert (place.state, place.timezone, place.kind) == ("IL", "America/Chicago", "postal-code")
    assert distance_km(place.latitude, place.longitude, 39.80, -89.65) < 5


def test_gazetteer_zip_plus_four_and_unknown_zip():
    gazetteer = load_gazetteer()
    assert gazetteer.postal_code("62701-1234") == gazetteer.postal_code("62701")
    assert gazetteer.postal_code("00000") is None
    assert gazetteer.postal_code("SW1A 1AA") is None


def test_gazetteer_city_names_compare_without_case_punctuation_or_saint():
    gazetteer = load_gazetteer()
    place = gazetteer.city("ST. LOUIS", "mo")
    assert place is not None and place.kind == "city" and place.state == "MO"
    assert place == gazetteer.city("Saint Louis", "MO")
    assert distance_km(place.latitude, place.longitude, 38.63, -90.20) < 25


def test_gazetteer_county_and_state():
    gazetteer = load_gazetteer()
    assert gazetteer.county("Cook", "IL") == gazetteer.county("Cook County", "IL")
    assert gazetteer.state("IL").timezone == "America/Chicago"
    assert gazetteer.near_state(39.80, -89.65, "IL") is True
    assert gazetteer.near_state(30.27, -97.74, "IL") is False
    assert gazetteer.near_state(51.5, -0.1, "ZZ") is None


# --- the cache file -----------------------------------------------------------


def test_address_key_ignores_case_and_punctuation():
    one = Location("525 S. 6th St.", "Springfield", state="IL", postal_code="62701")
    two = Location("525  s 6TH st", "SPRINGFIELD", state="il", postal_code="62701", country="us")
    assert geocache.address_key(one) == geocache.address_key(two) == "525 s 6th st, springfield, il, 62701, us"


def test_the_real_cache_loads_without_problems():
    entries, problems = geocache.load(str(REPO_DIRECTORY))
    assert problems == []
    assert entries, "directory/geocache.yml has entries for some example listings"
    # Saving what was loaded writes the file as it is: the committed file is in the written format.
    assert geocache.dump(entries) == (REPO_DIRECTORY / "geocache.yml").read_text(encoding="utf-8")


def test_cache_round_trip_with_awkward_text(tmp_path):
    entries = {
        'a "quoted" \\ key, springfield, il, us': geocache.Entry(39.8, -89.65, "nominatim", dt.date(2026, 1, 2)),
        "x" * 1200: geocache.Entry(0.5, 1, "opencage", None, "city", "Zürich\nline two\x85\u2028 # not a comment: {x}"),
        "ünïcode straße, chicago, il, us": geocache.Entry(41.9, -87.6, "Google V3", None, "postal-code", "\x07bell\x9f"),
    }
    geocache.save(str(tmp_path), entries)
    loaded, problems = geocache.load(str(tmp_path))
    assert problems == []
    assert set(loaded) == set(entries)
    assert loaded["x" * 1200].match == "Zürich line two # not a comment: {x}"
    assert loaded["ünïcode straße, chicago, il, us"].match == "\x07bell\x9f"
    assert loaded['a "quoted" \\ key, springfield, il, us'] == entries['a "quoted" \\ key, springfield, il, us']


def test_cache_problems_are_errors_with_file_line_and_field(make_directory):
    make_directory({"geocache.yml": (
        '"1 main st, springfield, il, us":\n'       # 1
        "  latitude: 139.8\n"                         # 2
        "  longitude: -89.6\n"                        # 3
        "  source: nominatim\n"                       # 4
        "  colour: blue\n"                            # 5
        '"2 main st, springfield, il, us":\n'       # 6
        "  latitude: 39.8\n"                          # 7
        "  longitude: -89.6\n"                        # 8
        "  precision: rooftop\n"                      # 9
        "  source: nominatim\n"                       # 10
        "  date: yesterday\n"                         # 11
    )})
    entries, problems = geocache.load("directory")
    assert entries == {}
    assert sorted(map(str, problems)) == [
        "directory/geocache.yml:11:9: 2 main st, springfield, il, us.date: must be a date, e.g. 2026-06-02",
        "directory/geocache.yml:2:13: 1 main st, springfield, il, us.latitude: needs a number from -90 to 90",
        "directory/geocache.yml:5:3: 1 main st, springfield, il, us.colour: unknown field 'colour' — allowed: "
        "latitude, longitude, precision, source, date, match",
        "directory/geocache.yml:9:14: 2 main st, springfield, il, us.precision: 'rooftop' is not a precision — "
        "use one of street, postal-code, city",
    ]


def test_cache_that_is_not_a_mapping(make_directory):
    make_directory({"geocache.yml": "- just a list\n"})
    assert [str(p) for p in geocache.load("directory")[1]] == [
        "directory/geocache.yml:1:1: must map each normalised address to its latitude and longitude — see the header of a fresh file",
    ]


# --- enrichment: the order of sources -----------------------------------------


def test_every_example_listing_is_placed_offline():
    result = validate_directory(str(REPO_DIRECTORY))
    assert result.ok
    problems = enrich(result.listings, result.vocabularies, str(REPO_DIRECTORY))
    assert [str(p) for p in problems] == []
    by_slug = {listing.slug: listing for listing in result.listings}
    for listing in result.listings:
        if listing.location:
            assert listing.location.has_coordinates, listing.slug
            assert listing.location.precision in ("listing", "street", "postal-code", "city"), listing.slug
        assert listing.timezone and listing.timezone_source, listing.slug
    assert by_slug["capital-city-group"].location.precision == "listing"
    assert by_slug["bayou-city-treatment-center"].location.precision == "street"  # from the committed cache
    assert by_slug["celebrate-recovery-westside"].location.precision == "postal-code"


def test_listing_pages_say_when_the_position_is_approximate(example_site):
    result = validate_directory(str(REPO_DIRECTORY))
    enrich(result.listings, result.vocabularies, str(REPO_DIRECTORY))
    words = {"postal-code": "Map position is approximate (postal code)", "city": "Map position is approximate (city)"}
    for listing in (l for l in result.listings if l.location):
        notes = [p.get_text(strip=True) for p in example_site.soup(listing_url(listing)).select("#rd-address ~ .rd-precision")]
        assert notes == ([words[listing.location.precision]] if listing.location.precision in words else []), listing.slug


def test_listing_coordinates_win_over_the_cache(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", extra="  latitude: 39.8\n  longitude: -89.65\n")})
    geocache.save("directory", {"1 main st, springfield, il, 62701, us": geocache.Entry(39.7, -89.6, "nominatim")})
    listings, problems = enriched(directory)
    location = listings["a"].location
    assert (location.latitude, location.longitude, location.precision) == (39.8, -89.65, "listing")
    assert problems == []


def test_the_cache_wins_over_the_zip_code(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St.")})
    geocache.save("directory", {"1 main st, springfield, il, 62701, us": geocache.Entry(39.79, -89.64, "nominatim")})
    listings, problems = enriched(directory)
    location = listings["a"].location
    assert (location.latitude, location.longitude, location.precision) == (39.79, -89.64, "street")
    assert problems == []


def test_zip_code_then_city(make_directory):
    directory = make_directory({
        "groups/by-zip.yml": group("1 Main St"),
        "groups/by-city.yml": group("2 Main St", postal_code=None),
        "groups/unknown-zip.yml": group("3 Main St", postal_code="00000"),
    })
    listings, problems = enriched(directory)
    zip_place, city_place = load_gazetteer().postal_code("62701"), load_gazetteer().city("Springfield", "IL")
    assert listings["by-zip"].location.precision == "postal-code"
    assert (listings["by-zip"].location.latitude, listings["by-zip"].location.longitude) == (zip_place.latitude, zip_place.longitude)
    assert listings["by-city"].location.precision == "city"
    assert (listings["by-city"].location.latitude, listings["by-city"].location.longitude) == (city_place.latitude, city_place.longitude)
    assert listings["unknown-zip"].location.precision == "city"
    assert problems == []


def test_city_without_state_uses_the_regions_state(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", postal_code=None, state=None)})
    listings, problems = enriched(directory)
    assert listings["a"].location.precision == "city"
    assert listings["a"].location.latitude == load_gazetteer().city("Springfield", "IL").latitude


def test_address_that_cannot_be_placed_offline(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", postal_code=None, city="Nowhereville")})
    listings, problems = enriched(directory)
    assert not listings["a"].location.has_coordinates
    assert problems == [
        "directory/groups/a.yml:7:9: warning: location.city: could not be placed on a map offline: neither the "
        "postal code nor the city is known — add latitude and longitude, or run 'recovery-directory geocode'",
    ]


def test_address_outside_the_us_needs_coordinates_or_the_cache(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", extra="  country: CA\n")})
    assert enriched(directory)[1] == [
        "directory/groups/a.yml:7:9: warning: location.city: could not be placed on a map offline: its gazetteer "
        "covers the US only — add latitude and longitude, or run 'recovery-directory geocode'",
    ]


# --- enrichment: sanity checks against the region -----------------------------


def test_explicit_coordinates_far_from_a_city_region(make_directory):
    # Longitude without its minus sign: the middle of China.
    directory = make_directory({"groups/a.yml": group("1 Main St", extra="  latitude: 39.8\n  longitude: 89.65\n")})
    listings, problems = enriched(directory)
    assert listings["a"].location.precision == "listing"
    assert problems == [
        "directory/groups/a.yml:10:13: warning: location.latitude: this position (39.80000, 89.65000) is about "
        "11,166 km (6,938 mi) from Springfield, IL, the listing's region — check latitude and longitude "
        "(north is positive, west is negative), or the region",
    ]


def test_explicit_coordinates_outside_a_state_region(make_directory):
    # A listing in the state-level region 'illinois', placed in Austin, Texas.
    directory = make_directory({"groups/a.yml": group("1 Main St", region="illinois", state=None, postal_code=None,
                                                      extra="  latitude: 30.2672\n  longitude: -97.7431\n")})
    listings, problems = enriched(directory)
    assert problems == [
        "directory/groups/a.yml:8:13: warning: location.latitude: this position (30.26720, -97.74310) is outside IL, "
        "the listing's region — check latitude and longitude (north is positive, west is negative), or the region",
    ]


def test_coordinates_near_the_region_are_fine(make_directory):
    # Chatham, a village next to Springfield: outside the city, inside the margin.
    directory = make_directory({"groups/a.yml": group("1 Main St", extra="  latitude: 39.676\n  longitude: -89.704\n")})
    assert enriched(directory)[1] == []


def test_zip_code_of_another_state(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", postal_code="78701")})
    listings, problems = enriched(directory)
    assert listings["a"].location.precision == "postal-code"
    assert problems == [
        "directory/groups/a.yml:9:16: warning: location.postal_code: this position (30.27130, -97.74260) is about "
        "1,289 km (801 mi) from Springfield, IL, the listing's region — check the postal code, or the region",
    ]


def test_state_written_out_in_full_is_the_regions_state(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", state="Illinois")})
    assert enriched(directory)[1] == []


def test_state_that_is_not_the_regions_state(make_directory):
    directory = make_directory({"groups/a.yml": group("1 Main St", state="TX")})
    assert enriched(directory)[1] == [
        "directory/groups/a.yml:8:10: warning: location.state: 'TX' is not the state of the listing's region "
        "springfield (IL) — correct the state, or the region",
    ]


# --- recovery-directory geocode, with a geocoder that never goes online -------


def found(lat, lon, address="somewhere", addresstype="building"):
    return GeopyLocation(address, (lat, lon), {"addresstype": addresstype})


@dataclass
class Answer:
    """Garbage that a broken geocoder or proxy might hand back."""

    latitude: object
    longitude: object


class FakeGeocoder:
    """geopy's ``geocode(query, exactly_one=True, timeout=...)`` answering from a
    script keyed by the street address (the query's first part). A value that is
    an exception is raised; anything else is returned as the result."""

    def __init__(self, script: dict):
        self.script = script
        self.queries: list[str] = []

    def geocode(self, query, exactly_one=True, timeout=None):
        assert exactly_one is True and timeout == 7
        self.queries.append(query)
        answer = self.script.get(query.split(",")[0])
        if isinstance(answer, BaseException) or (isinstance(answer, type) and issubclass(answer, BaseException)):
            raise answer
        return answer


NEAR_SPRINGFIELD = (39.7990, -89.6440)
SETTINGS = """\
repo_url: https://github.com/example/recovery-directory
plugins:
  - search
extra:
  directory:
    formatter: !!python/name:builtins.str
    password: !ENV [NOT_SET, none]
    geocoder:
      name: nominatim
      timeout: 7
      min_delay_seconds: 0
"""


@pytest.fixture
def streets(make_directory, tmp_path, monkeypatch):
    """Five Springfield groups at 1 … 5 Main St, settings with no delay, and a
    way to run the command with a fake geocoder."""
    directory = make_directory({f"groups/g{n}.yml": group(f"{n} Main St") for n in range(1, 6)})
    (tmp_path / "mkdocs.yml").write_text(SETTINGS, encoding="utf-8")

    def run(script: dict, *args: str) -> tuple[int, FakeGeocoder]:
        fake = FakeGeocoder(script)
        monkeypatch.setattr(geocode_command, "make_geocoder", lambda config, repo_url="": fake)
        return cli.main(["geocode", *args]), fake

    directory.run = run
    directory.cache = tmp_path / "directory" / "geocache.yml"
    return directory


def cached(directory) -> dict:
    return yaml.safe_load(directory.cache.read_text(encoding="utf-8")) or {}


def key(n: int) -> str:
    return f"{n} main st, springfield, il, 62701, us"


def test_geocode_stores_every_result_in_the_cache(streets, capsys):
    script = {f"{n} Main St": found(NEAR_SPRINGFIELD[0] + n / 1000, NEAR_SPRINGFIELD[1], f"{n}, Main Street") for n in range(1, 6)}
    code, fake = streets.run(script)
    assert code == 0
    assert fake.queries == [f"{n} Main St, Springfield, IL 62701, US" for n in range(1, 6)]
    data = cached(streets)
    assert data[key(1)] == {"latitude": 39.8, "longitude": -89.644, "precision": "street", "source": "nominatim",
                            "date": dt.date.today(), "match": "1, Main Street"}
    assert len(data) == 5
    out = capsys.readouterr()
    assert "[1/5] directory/groups/g1.yml: 1 Main St, Springfield, IL 62701, US: 39.80000, -89.64400 (street)\n" in out.out
    assert "geocode: 5 stored in directory/geocache.yml, 0 failed, 0 not tried, in " in out.err
    # A second run finds everything in the cache and asks nothing.
    code, fake = streets.run(script)
    assert (code, fake.queries) == (0, [])


def test_geocode_skips_cached_addresses_and_listing_coordinates(streets):
    streets.group("g1", group("1 Main St", extra="  latitude: 39.8\n  longitude: -89.65\n"))
    geocache.save("directory", {key(2): geocache.Entry(39.8, -89.6, "nominatim")})
    code, fake = streets.run({f"{n} Main St": found(*NEAR_SPRINGFIELD) for n in range(1, 6)})
    assert code == 0
    assert [q.split(",")[0] for q in fake.queries] == ["3 Main St", "4 Main St", "5 Main St"]


def test_geocode_dry_run_asks_nothing_and_writes_nothing(streets, capsys):
    code, fake = streets.run({}, "--dry-run")
    assert (code, fake.queries) == (0, [])
    assert not streets.cache.exists()
    out = capsys.readouterr()
    assert out.out.splitlines() == [f"would geocode directory/groups/g{n}.yml: {n} Main St, Springfield, IL 62701, US" for n in range(1, 6)]
    assert out.err == "geocode: 5 of 5 addresses would be geocoded with nominatim; nothing was asked or written\n"


def test_geocode_limit(streets):
    code, fake = streets.run({f"{n} Main St": found(*NEAR_SPRINGFIELD) for n in range(1, 6)}, "--limit", "2")
    assert (code, len(fake.queries), sorted(cached(streets))) == (0, 2, [key(1), key(2)])


def test_ctrl_c_keeps_the_results_already_found(streets, capsys):
    script = {"1 Main St": found(*NEAR_SPRINGFIELD), "2 Main St": found(39.80, -89.65), "3 Main St": KeyboardInterrupt}
    code, fake = streets.run(script)
    assert code == 130
    assert len(fake.queries) == 3
    assert sorted(cached(streets)) == [key(1), key(2)]  # and the file is valid YAML
    assert geocache.load("directory")[1] == []
    assert "geocode: interrupted — every result found so far is saved in directory/geocache.yml" in capsys.readouterr().err


def test_no_network_stops_at_once_and_leaves_the_cache_as_it_was(streets, capsys):
    geocache.save("directory", {key(5): geocache.Entry(39.8, -89.6, "nominatim", dt.date(2026, 1, 1))})
    before = streets.cache.read_bytes()
    code, fake = streets.run({"1 Main St": GeocoderUnavailable("Failed to establish a new connection")})
    assert code == 1
    assert len(fake.queries) == 1  # FINDINGS.md: stop after the first failure
    assert streets.cache.read_bytes() == before
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "[1/4] directory/groups/g1.yml: 1 Main St, Springfield, IL 62701, US: GeocoderUnavailable: Failed to "
        "establish a new connection — not stored; stopping",
        "not tried: directory/groups/g2.yml: 2 Main St, Springfield, IL 62701, US",
        "not tried: directory/groups/g3.yml: 3 Main St, Springfield, IL 62701, US",
        "not tried: directory/groups/g4.yml: 4 Main St, Springfield, IL 62701, US",
    ]
    assert "geocode: stopped early: no network, or the geocoder is unavailable — try again when online\n" in out.err
    assert "geocode: 0 stored in directory/geocache.yml, 1 failed, 3 not tried, in " in out.err


def test_rate_limit_stops_and_keeps_what_was_found(streets, capsys):
    script = {"1 Main St": found(*NEAR_SPRINGFIELD), "2 Main St": GeocoderRateLimited("429 Too Many Requests", retry_after=60)}
    code, fake = streets.run(script)
    assert code == 1
    assert len(fake.queries) == 2
    assert sorted(cached(streets)) == [key(1)]
    out = capsys.readouterr()
    assert ("[2/5] directory/groups/g2.yml: 2 Main St, Springfield, IL 62701, US: rate limited; it asks to wait 60 s "
            "— not stored; stopping\n") in out.out
    assert "geocode: stopped early: rate limited by the geocoder — run the command again later\n" in out.err
    assert "geocode: 1 stored in directory/geocache.yml, 1 failed, 3 not tried, in " in out.err


def test_one_timeout_is_reported_and_the_run_goes_on(streets, capsys):
    script = {n: found(*NEAR_SPRINGFIELD) for n in ("1 Main St", "3 Main St", "4 Main St", "5 Main St")}
    script["2 Main St"] = GeocoderTimedOut("timed out")
    code, fake = streets.run(script)
    assert code == 1
    assert len(fake.queries) == 5
    assert sorted(cached(streets)) == [key(1), key(3), key(4), key(5)]
    assert ("[2/5] directory/groups/g2.yml: 2 Main St, Springfield, IL 62701, US: no answer within 7 s (timed out) "
            "— not stored\n") in capsys.readouterr().out


def test_timeouts_in_a_row_stop_the_run(streets, capsys):
    script = {"1 Main St": GeocoderTimedOut("timed out"), "2 Main St": GeocoderTimedOut("timed out")}
    code, fake = streets.run(script)
    assert (code, len(fake.queries)) == (1, 2)
    assert not streets.cache.exists()
    err = capsys.readouterr().err
    assert "geocode: stopped early: 2 timeouts in a row — the geocoder is not answering; try again later\n" in err
    assert "geocode: 0 stored in directory/geocache.yml, 2 failed, 3 not tried, in " in err


def test_no_result_and_garbage_results_are_reported_per_address(streets, capsys):
    script = {
        "1 Main St": None,
        "2 Main St": Answer("39.8", None),
        "3 Main St": Answer(math.nan, -89.6),
        "4 Main St": found(0, 0),
        "5 Main St": GeocoderQueryError("400 Bad Request"),
    }
    code, fake = streets.run(script)
    assert (code, len(fake.queries)) == (1, 5)
    assert not streets.cache.exists()
    lines = capsys.readouterr().out.splitlines()
    prefix = "[{n}/5] directory/groups/g{n}.yml: {n} Main St, Springfield, IL 62701, US: "
    assert lines[0] == prefix.format(n=1) + "no result — check the address, or add latitude and longitude to the listing — not stored"
    assert lines[1] == prefix.format(n=2) + "the geocoder's answer is not a usable position (Answer(latitude='39.8', longitude=None)) — not stored"
    assert lines[2] == prefix.format(n=3) + "the geocoder's answer is not a usable position (Answer(latitude=nan, longitude=-89.6)) — not stored"
    assert lines[3] == prefix.format(n=4) + "the geocoder's answer is not a usable position (Location(somewhere, (0.0, 0.0, 0.0))) — not stored"
    assert lines[4] == prefix.format(n=5) + "the geocoder failed (GeocoderQueryError: 400 Bad Request) — not stored"


def test_a_result_far_from_the_region_is_rejected(streets, capsys):
    # Springfield, Missouri, for an address in Springfield, Illinois.
    script = {"1 Main St": found(37.2090, -93.2923, "Main Street, Springfield, Greene County, Missouri, United States")}
    code, _ = streets.run(script, "--limit", "1")
    assert code == 1
    assert not streets.cache.exists()
    assert capsys.readouterr().out == (
        "[1/1] directory/groups/g1.yml: 1 Main St, Springfield, IL 62701, US: rejected: the result 37.20900, -93.29230 "
        "(Main Street, Springfield, Greene County, Missouri, United States) is about 428 km (266 mi) from "
        "Springfield, IL, the listing's region springfield — check the address, or add latitude and longitude "
        "to the listing — not stored\n"
    )


def test_a_result_outside_a_state_region_is_rejected(streets, capsys):
    streets.group("g1", group("1 Main St", region="illinois"))
    code, _ = streets.run({"1 Main St": found(39.7684, -86.1581, "Indianapolis")}, "--limit", "1")
    assert code == 1
    assert "is outside IL, the listing's region illinois — check the address" in capsys.readouterr().out


def test_coarse_results_are_stored_with_their_precision(streets):
    script = {"1 Main St": found(39.80, -89.65, "62701", "postcode"), "2 Main St": found(39.80, -89.65, "Springfield", "city")}
    assert streets.run(script, "--limit", "2")[0] == 0
    data = cached(streets)
    assert (data[key(1)]["precision"], data[key(2)]["precision"]) == ("postal-code", "city")


def test_geocode_refuses_a_broken_cache(streets, capsys):
    streets.cache.write_text('"1 main st, springfield, il, 62701, us": {latitude: north}\n', encoding="utf-8")
    before = streets.cache.read_bytes()
    code, fake = streets.run({"1 Main St": found(*NEAR_SPRINGFIELD)})
    assert (code, fake.queries) == (1, [])
    assert streets.cache.read_bytes() == before
    assert capsys.readouterr().err == "geocode: fix geocache.yml first; nothing was geocoded\n"


def test_results_flow_into_the_build(streets):
    streets.run({"1 Main St": found(*NEAR_SPRINGFIELD)}, "--limit", "1")
    listings, problems = enriched(streets)
    assert (listings["g1"].location.latitude, listings["g1"].location.precision) == (NEAR_SPRINGFIELD[0], "street")
    assert listings["g2"].location.precision == "postal-code"


# --- the geocoder settings ----------------------------------------------------


def test_settings_come_from_mkdocs_yml_despite_python_and_env_tags(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(SETTINGS, encoding="utf-8")
    config, repo_url = geocode_command.read_config(str(tmp_path / "mkdocs.yml"))
    assert (config.name, config.timeout, config.min_delay_seconds) == ("nominatim", 7.0, 0.0)
    assert repo_url == "https://github.com/example/recovery-directory"


def test_the_repositorys_settings_build_nominatim_with_our_user_agent():
    config, repo_url = geocode_command.read_config(str(REPO / "mkdocs.yml"))
    geocoder = geocode_command.make_geocoder(config, repo_url)
    assert type(geocoder).__name__ == "Nominatim"
    assert geocoder.headers["User-Agent"].startswith("recovery-directory")


def test_default_settings_when_there_is_no_mkdocs_yml(tmp_path):
    config, _ = geocode_command.read_config(str(tmp_path / "mkdocs.yml"))
    assert (config.name, config.min_delay_seconds) == ("nominatim", 1.0)
    geocoder = geocode_command.make_geocoder(config, "https://example.org/repo")
    assert geocoder.headers["User-Agent"] == "recovery-directory/0.1.0 (+https://example.org/repo)"


def test_api_key_comes_from_the_environment():
    config = geocode_command.GeocoderConfig(name="opencage", api_key_env="TEST_OPENCAGE_KEY")
    with pytest.raises(geocode_command.ConfigError) as missing:
        geocode_command.make_geocoder(config, environ={})
    assert str(missing.value) == "opencage needs an API key: set the environment variable TEST_OPENCAGE_KEY"
    geocoder = geocode_command.make_geocoder(config, environ={"TEST_OPENCAGE_KEY": "k123"})
    assert geocoder.api_key == "k123"


def _settings_error(tmp_path, geocoder: str) -> str:
    path = tmp_path / "mkdocs.yml"
    path.write_text(f"extra:\n  directory:\n    geocoder: {geocoder}\n", encoding="utf-8")
    with pytest.raises(geocode_command.ConfigError) as raised:
        config, repo_url = geocode_command.read_config(str(path))
        geocode_command.make_geocoder(config, repo_url, environ={})
    return str(raised.value).replace(str(path), "mkdocs.yml")


def test_secrets_in_the_repository_are_refused(tmp_path):
    assert _settings_error(tmp_path, "{name: opencage, options: {api_key: abc}}") == (
        "mkdocs.yml: extra.directory.geocoder.options.api_key: secrets never go in the repository — "
        "put it in an environment variable and name that with api_key_env")


def test_unknown_geocoder_and_unknown_setting(tmp_path):
    assert _settings_error(tmp_path, "{name: mapquestt}") == (
        "'mapquestt' is not a geopy geocoder — use e.g. nominatim, photon, opencage, googlev3")
    assert _settings_error(tmp_path, "{name: nominatim, agent: x}") == (
        "mkdocs.yml: extra.directory.geocoder: unknown setting(s) agent — known: name, user_agent, api_key_env, "
        "api_key_argument, timeout, min_delay_seconds, options")


def test_settings_error_exits_2(streets, tmp_path, capsys, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text("extra:\n  directory:\n    geocoder: {name: opencage, api_key_env: TEST_NO_SUCH_KEY}\n",
                                         encoding="utf-8")
    monkeypatch.delenv("TEST_NO_SUCH_KEY", raising=False)
    assert cli.main(["geocode"]) == 2
    assert capsys.readouterr().err == "geocode: opencage needs an API key: set the environment variable TEST_NO_SUCH_KEY\n"
