"""The build's enrichment step, offline: coordinates and a time zone for every
valid listing.

Coordinates come from the first of: the listing's own latitude and longitude;
the geocode cache (``directory/geocache.yml``, street level, filled online by
``recovery-directory geocode``); the ZIP code gazetteer (the postal code's
centre); the city's centre. ``Location.precision`` records which, so pages can
say when a position is approximate.

The time zone comes from the listing; else from precise coordinates
(timezonefinder); else from the ZIP code's or city's record; else from the
region. Nothing here touches the network.
"""

from __future__ import annotations

from functools import cache
from typing import Iterable

from . import geocache
from .gazetteer import Gazetteer, Place, far_from_region, load_gazetteer, normal_name, region_place
from .listing import Listing
from .problems import Problem, error, warning
from .safe_yaml import position, read_document
from .vocabularies import Region, Vocabularies, available_timezones

_CHECK_COORDINATES = "check latitude and longitude (north is positive, west is negative), or the region"


def enrich(listings: Iterable[Listing], vocabularies: Vocabularies, root: str,
           gazetteer: Gazetteer | None = None) -> list[Problem]:
    """Fill in coordinates, precision and time zone; return the problems found,
    each located in its file (the cache's own problems are errors)."""
    entries, problems = geocache.load(root)
    gazetteer = gazetteer or load_gazetteer()
    regions: dict[str, _Region] = {}
    for listing in listings:
        region = regions.get(listing.region)
        if region is None:
            region = regions[listing.region] = _Region(vocabularies.regions.get(listing.region), gazetteer)
        found: list[Problem] = []
        place = _place(listing, region, entries, gazetteer, found) if listing.location else None
        _set_timezone(listing, region, place, found)
        problems += [_at(listing, p) for p in found]
    return problems


class _Region:
    """What enrichment needs of a region, worked out once per build."""

    def __init__(self, region: Region | None, gazetteer: Gazetteer):
        self.region = region
        self.state = region.state_code if region else None
        self.timezone = region.default_timezone if region else None
        self.place = region_place(gazetteer, region) if region else None

    def far(self, gazetteer: Gazetteer, lat: float, lon: float) -> str | None:
        return far_from_region(gazetteer, self.region, lat, lon, self.place) if self.place else None


def _place(listing: Listing, region: _Region, entries: dict[str, geocache.Entry],
           gazetteer: Gazetteer, problems: list[Problem]) -> Place | None:
    """Set the location's coordinates; return the gazetteer place used, if any."""
    location = listing.location
    state = region.state
    if location.state and state and not _same_state(location.state, region.region):
        problems.append(warning(f"{location.state!r} is not the state of the listing's region {listing.region} ({state}) — correct the state, or the region", "location", "state"))
    place = None
    if location.has_coordinates:
        field, advice = "latitude", _CHECK_COORDINATES
    elif entries and (entry := entries.get(geocache.address_key(location))) is not None:
        location.latitude, location.longitude, location.precision = entry.latitude, entry.longitude, entry.precision
        field, advice = "address", f"fix or delete its entry in {geocache.CACHE_FILE} and geocode again, or the region"
    elif location.country.upper() == "US" and (place := _gazetteer_place(gazetteer, location, state)):
        location.latitude, location.longitude, location.precision = place.latitude, place.longitude, place.kind
        field = "postal_code" if place.kind == "postal-code" else "city"
        advice = f"check the {'postal code' if field == 'postal_code' else 'city and state'}, or the region"
    else:
        unknown = "neither the postal code nor the city is known" if location.country.upper() == "US" else "its gazetteer covers the US only"
        problems.append(warning(f"could not be placed on a map offline: {unknown} — "
                                "add latitude and longitude, or run 'recovery-directory geocode'", "location", "city"))
        return None
    far = region.far(gazetteer, location.latitude, location.longitude)
    if far:
        problems.append(warning(f"this position ({location.latitude:.5f}, {location.longitude:.5f}) is {far}, "
                                f"the listing's region — {advice}", "location", field))
    return place


def _same_state(written: str, region: Region) -> bool:
    # The postal code (IL) or the name of the region that sets it (Illinois).
    named = next((r for r in reversed(region.lineage) if r.state), None)
    return written.strip().upper() == named.state.upper() or normal_name(written) == normal_name(named.name)


def _gazetteer_place(gazetteer: Gazetteer, location, region_state: str | None) -> Place | None:
    place = gazetteer.postal_code(location.postal_code)
    if place is None:
        written = (location.state or "").strip()
        place = gazetteer.city(location.city, written if len(written) == 2 else region_state)
    return place


def _set_timezone(listing: Listing, region: _Region, place: Place | None, problems: list[Problem]) -> None:
    if listing.timezone:
        return
    location = listing.location
    zone, source = None, None
    if location and location.has_coordinates and place is None:  # the listing's own or the cache's
        zone, source = zone_at(location.latitude, location.longitude), "coordinates"
    if zone is None and place is not None and place.timezone:
        zone, source = place.timezone, place.kind
    if zone is None and region.timezone:
        zone, source = region.timezone, "region"
    listing.timezone, listing.timezone_source = zone, source if zone else None
    if zone is None and location is not None:
        # Online listings without a location are checked by validation already.
        problems.append(error(f"could not be placed on a map, so it {TIMEZONE_NEEDED}", "location", at_key=True))


# The rule's wording, shared with validation's rule for online listings.
TIMEZONE_NEEDED = ("needs a time zone — add timezone: America/Chicago "
                   "(or set one on its region in directory/regions.yml)")


def zone_at(lat: float, lon: float) -> str | None:
    """The IANA zone at a point, offline; None at sea (timezonefinder answers
    Etc/GMT±N there, and the region's zone is the better guess)."""
    zone = _timezone_finder().timezone_at(lng=lon, lat=lat)
    return zone if zone in available_timezones() and not zone.startswith("Etc/") else None


@cache
def _timezone_finder():
    # Loaded on first use, once per process: it brings numpy, listings placed by
    # ZIP code or city have their zone already, and `mkdocs serve` rebuilds often.
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def _at(listing: Listing, problem: Problem) -> Problem:
    """Locate a problem found after loading, by reading the file once more (as validation does)."""
    doc = read_document(listing.source, listing.source)
    return problem.located(listing.source, *position(doc.text, problem.path, problem.at_key))
