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

from typing import Iterable

from . import geocache
from .gazetteer import Gazetteer, Place, far_from_region, load_gazetteer
from .listing import Listing
from .problems import Problem, error, warning
from .safe_yaml import position, read_document
from .vocabularies import Region, Vocabularies

_CHECK_COORDINATES = "check latitude and longitude (north is positive, west is negative), or the region"


def enrich(listings: Iterable[Listing], vocabularies: Vocabularies, root: str,
           gazetteer: Gazetteer | None = None) -> list[Problem]:
    """Fill in coordinates, precision and time zone; return the problems found,
    each located in its file (the cache's own problems are errors)."""
    entries, problems = geocache.load(root)
    gazetteer = gazetteer or load_gazetteer()
    zones = _ZoneFinder()
    for listing in listings:
        region = vocabularies.regions.get(listing.region)
        found: list[Problem] = []
        place = _place(listing, region, entries, gazetteer, found) if listing.location else None
        _set_timezone(listing, region, place, zones, found)
        problems += [_at(listing, p) for p in found]
    return problems


def _place(listing: Listing, region: Region | None, entries: dict[str, geocache.Entry],
           gazetteer: Gazetteer, problems: list[Problem]) -> Place | None:
    """Set the location's coordinates; return the gazetteer place used, if any."""
    location = listing.location
    state = region.state_code if region else None
    if location.state and state and location.state.strip().upper() != state.upper():
        problems.append(warning(f"{location.state!r} is not the state of the listing's region {listing.region} ({state}) — correct the state, or the region", "location", "state"))
    place = None
    if location.has_coordinates:
        field, advice = "latitude", _CHECK_COORDINATES
    elif (entry := entries.get(geocache.address_key(location))) is not None:
        location.latitude, location.longitude, location.precision = entry.latitude, entry.longitude, entry.precision
        field, advice = "address", f"fix or delete its entry in {geocache.CACHE_FILE} and geocode again, or the region"
    elif location.country.upper() == "US" and (place := _gazetteer_place(gazetteer, location, state)):
        location.latitude, location.longitude, location.precision = place.latitude, place.longitude, place.kind
        field = "postal_code" if place.kind == "postal-code" else "city"
        advice = f"check the {'postal code' if field == 'postal_code' else 'city and state'}, or the region"
    else:
        problems.append(warning("could not be placed on a map offline: neither the postal code nor the city is known — "
                                "add latitude and longitude, or run 'recovery-directory geocode'", "location", "city"))
        return None
    far = far_from_region(gazetteer, region, location.latitude, location.longitude) if region else None
    if far:
        problems.append(warning(f"this position ({location.latitude:.5f}, {location.longitude:.5f}) is {far}, "
                                f"the listing's region — {advice}", "location", field))
    return place


def _gazetteer_place(gazetteer: Gazetteer, location, region_state: str | None) -> Place | None:
    place = gazetteer.postal_code(location.postal_code)
    if place is None:
        place = gazetteer.city(location.city, location.state or region_state)
    return place


def _set_timezone(listing: Listing, region: Region | None, place: Place | None,
                  zones: "_ZoneFinder", problems: list[Problem]) -> None:
    if listing.timezone:
        return
    location = listing.location
    zone, source = None, None
    if location and location.precision in ("listing", "street"):
        zone, source = zones.at(location.latitude, location.longitude), "coordinates"
    if zone is None and place is not None and place.timezone:
        zone, source = place.timezone, place.kind
    if zone is None and region is not None and region.default_timezone:
        zone, source = region.default_timezone, "region"
    listing.timezone, listing.timezone_source = zone, source if zone else None
    if zone is None and location is not None:
        # Online listings without a location are checked by validation already.
        problems.append(error(f"could not be placed on a map, so it {TIMEZONE_NEEDED}", "location"))


# The rule's wording, shared with validation's rule for online listings.
TIMEZONE_NEEDED = ("needs a time zone — add timezone: America/Chicago "
                   "(or set one on its region in directory/regions.yml)")


class _ZoneFinder:
    """timezonefinder, loaded on first use: it brings numpy, and listings placed
    by ZIP code or city already have their zone from the gazetteer."""

    def __init__(self):
        self._finder = None
        self._known: set[str] | None = None

    def at(self, lat: float, lon: float) -> str | None:
        if self._finder is None:
            from timezonefinder import TimezoneFinder

            from .vocabularies import available_timezones

            self._finder, self._known = TimezoneFinder(), available_timezones()
        zone = self._finder.timezone_at(lng=lon, lat=lat)
        # At sea timezonefinder answers Etc/GMT±N; the region's zone is better.
        return zone if zone in self._known and not zone.startswith("Etc/") else None


def _at(listing: Listing, problem: Problem) -> Problem:
    """Locate a problem found after loading, by reading the file once more (as validation does)."""
    doc = read_document(listing.source, listing.source)
    return problem.located(listing.source, *position(doc.text, problem.path, problem.at_key))
