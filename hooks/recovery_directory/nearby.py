"""The listings nearest each listing, by kind, computed once at build time.

Only listings with coordinates take part (enrichment sets them); online-only
listings are near nowhere. Every listing with coordinates gets the nearest few
meetings, family groups and treatment centres within a distance
(:data:`DEFAULT_LIMITS`), each with its great-circle distance in kilometres. A
group's family groups put first the family fellowship paired with its own in
``directory/fellowships.yml`` (``family: al-anon`` beside AA).

The index is a bucket grid per kind (and per family fellowship): cells of
:data:`CELL_DEGREES`, and any cell holding more than :data:`BUCKET` positions
split in four, again and again, so a bucket holds a handful of positions in a
crowded city and in open country alike. A search opens buckets nearest first
(by the least distance anything in them can be) and stops at the first bucket
farther than the k-th listing found, so it reads a few buckets whatever the
size of the directory: the whole run grows with the number of listings, never
with its square. Distances compare as chords between unit vectors (no
trigonometry per pair) and are reported as haversine kilometres.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .listing import Listing

EARTH_RADIUS_KM = 6371.0088
CELL_DEGREES = 1.0  # the top grid: about 111 km north to south
BUCKET = 8  # positions in a cell before it splits in four
MAX_LEVEL = 16  # splits: 1° / 2¹⁶, a few metres
# Positions that locate a postal code's or a city's centre, not the door.
APPROXIMATE = ("postal-code", "city")
KINDS = ("group", "family-group", "treatment-center")


@dataclass(frozen=True)
class Limits:
    count: int  # at most this many
    radius_km: float  # no farther than this


# How many of each kind a page shows, and how far people go for each.
DEFAULT_LIMITS = {
    "group": Limits(5, 80.0),
    "family-group": Limits(3, 80.0),
    "treatment-center": Limits(3, 160.0),
}


@dataclass(frozen=True, slots=True)
class Neighbour:
    listing: Listing
    km: float
    # "postal-code" or "city" when either position is only that precise, else None.
    approximate: str | None = None

    def __reduce__(self):
        # Pickled by its values (prepared.py), about 180,000 of them at 20,000
        # listings: a frozen dataclass with slots is otherwise pickled through
        # dataclasses.fields() once an object, most of the pickle's time.
        return Neighbour, (self.listing, self.km, self.approximate)


@dataclass(slots=True)
class Neighbours:
    groups: list[Neighbour] = field(default_factory=list)
    family_groups: list[Neighbour] = field(default_factory=list)
    treatment_centers: list[Neighbour] = field(default_factory=list)
    # The paired family fellowship listed first among family_groups, when any is near.
    family_fellowship: str | None = None

    def __bool__(self) -> bool:
        return bool(self.groups or self.family_groups or self.treatment_centers)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def find_neighbours(listings: Iterable[Listing], family_of: dict[str, str] | None = None,
                    limits: dict[str, Limits] | None = None) -> dict[str, Neighbours]:
    """``{slug: Neighbours}`` for every listing with coordinates.

    ``family_of`` maps a peer fellowship to its family fellowship (``aa`` →
    ``al-anon``); ``limits`` replaces :data:`DEFAULT_LIMITS`.
    """
    limits = limits or DEFAULT_LIMITS
    placed = [l for l in listings if l.location is not None and l.location.has_coordinates]
    grids = {kind: Grid() for kind in KINDS}
    by_family: dict[str, Grid] = defaultdict(Grid)
    for listing in placed:
        grids[listing.kind].add(listing)
        if listing.kind == "family-group" and listing.fellowship:
            by_family[listing.fellowship].add(listing)
    result: dict[str, Neighbours] = {}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small short-lived objects; collections would rescan every listing
    try:
        for listing in placed:
            here = _Point.of(listing)
            paired = (family_of or {}).get(listing.fellowship or "") if listing.kind == "group" else None
            family, shown = _family_groups(here, grids["family-group"], by_family.get(paired), limits["family-group"])
            result[listing.slug] = Neighbours(
                groups=grids["group"].nearest(here, limits["group"]),
                family_groups=family,
                treatment_centers=grids["treatment-center"].nearest(here, limits["treatment-center"]),
                family_fellowship=paired if shown else None,
            )
    finally:
        if gc_was_enabled:
            gc.enable()
    return result


def _family_groups(here: "_Point", all_family: "Grid", paired: "Grid | None", limits: Limits) -> tuple[list[Neighbour], bool]:
    """The nearest family groups, those of the paired fellowship first; and whether any is."""
    if paired is None:
        return all_family.nearest(here, limits), False
    first = paired.nearest(here, limits)
    rest = all_family.nearest(here, Limits(limits.count + len(first), limits.radius_km))
    chosen = {n.listing.slug for n in first}
    return (first + [n for n in rest if n.listing.slug not in chosen])[:limits.count], bool(first)


@dataclass(slots=True)
class _Point:
    """A listing's position: degrees, and the unit vector for chord distances."""

    listing: Listing
    lat: float
    lon: float
    x: float
    y: float
    z: float
    precision: str | None
    cos_lat: float

    @classmethod
    def of(cls, listing: Listing) -> "_Point":
        lat, lon = listing.location.latitude, listing.location.longitude
        x, y, z = _unit(lat, lon)
        return cls(listing, lat, lon, x, y, z, listing.location.precision, math.cos(math.radians(lat)))


class Grid:
    """Listings of one kind in buckets: a grid of :data:`CELL_DEGREES` cells, each
    cell crowded with more than :data:`BUCKET` positions split in four, and so on
    (at most :data:`MAX_LEVEL` times), so a bucket holds a handful of positions
    whether it lies in a city or in open country."""

    def __init__(self, cell_degrees: float = CELL_DEGREES):
        self.cell = cell_degrees
        self.columns = math.ceil(360 / cell_degrees)  # top cells around a parallel
        self._sites: dict[tuple[float, float], list] = {}
        self._tops: dict[tuple[int, int], list] | None = None
        self.examined = 0  # positions whose distance a search computed (for tests)

    def add(self, listing: Listing) -> None:
        lat, lon = listing.location.latitude, listing.location.longitude
        site = self._sites.get((lat, lon))
        if site is None:
            # A position: unit vector, degrees, and the listings there.
            site = self._sites[(lat, lon)] = [*_unit(lat, lon), lat, lon, []]
        site[5].append(listing)
        self._tops = None

    def _build(self) -> dict[tuple[int, int], list]:
        tops: dict[tuple[int, int], list] = defaultdict(list)
        for site in self._sites.values():
            tops[(math.floor(site[3] / self.cell), math.floor(site[4] / self.cell) % self.columns)].append(site)
        return {key: self._node(0, key[0], key[1], sites) for key, sites in tops.items()}

    def _node(self, level: int, row: int, column: int, sites: list) -> list:
        """``[south, west, size, sites, children]``: a leaf has its sites, a split cell its four children."""
        size = self.cell / (1 << level)
        south, west = row * size, column * size
        if len(sites) <= BUCKET or level >= MAX_LEVEL:
            return [south, west, size, sites, None]
        quarters: dict[tuple[int, int], list] = defaultdict(list)
        for site in sites:
            quarters[(site[3] >= south + size / 2, (site[4] - west) % 360 >= size / 2)].append(site)
        children = [self._node(level + 1, 2 * row + north, 2 * column + east, part) for (north, east), part in quarters.items()]
        return [south, west, size, None, children]

    def nearest(self, here: _Point, limits: Limits) -> list[Neighbour]:
        """The ``limits.count`` nearest listings within ``limits.radius_km``, nearest first
        (equal distances by slug), never ``here``'s own listing.

        Best first: a heap of cells by the least distance anything in them can
        be, opened nearest first, until the next is farther than the k-th found."""
        if self._tops is None:
            self._tops = self._build()
        if not self._tops or limits.count <= 0:
            return []
        count, reach_km = limits.count, limits.radius_km
        reach = _chord2(reach_km)  # chord² of the k-th found, or of the radius
        best: list[tuple[float, str, Listing]] = []
        row, column = math.floor(here.lat / self.cell), math.floor(here.lon / self.cell)
        heap: list = [(0.0, 0, 0, None)]  # (least km, tie, ring number or -1, cell)
        tie = 1
        while heap:
            bound, _, ring, node = heapq.heappop(heap)
            if bound > reach_km:
                break
            if node is None:  # the top cells at this ring, and the ring beyond
                for key in self._ring(row, column, ring):
                    top = self._tops.get(key)
                    if top is not None:
                        heapq.heappush(heap, (_box_km(here, top), tie, -1, top))
                        tie += 1
                outside = self._outside_km(here, row, column, ring)
                if outside <= reach_km:
                    heapq.heappush(heap, (outside, tie, ring + 1, None))
                    tie += 1
                continue
            if node[4] is not None:
                for child in node[4]:
                    least = _box_km(here, child)
                    if least <= reach_km:
                        heapq.heappush(heap, (least, tie, -1, child))
                        tie += 1
                continue
            self.examined += len(node[3])
            if _scan(node[3], here, best, count, reach):
                reach = best[-1][0]
                reach_km = _chord_km(reach)
        return [Neighbour(listing, _chord_km(d2), _approximate(here.precision, listing.location.precision))
                for d2, _, listing in best]

    def _ring(self, row: int, column: int, ring: int) -> Iterable[tuple[int, int]]:
        """The top cells at Chebyshev distance ``ring`` from (row, column)."""
        if ring == 0:
            return ((row, column % self.columns),)
        n, top, bottom = self.columns, row - ring, row + ring
        keys = [(r, c % n) for c in range(column - ring, column + ring + 1) for r in (top, bottom)]
        keys += [(r, c % n) for r in range(top + 1, bottom) for c in (column - ring, column + ring)]
        if 2 * ring + 1 > n:  # a ring wider than the world meets itself and the rings inside it
            keys = [(r, c) for r, c in dict.fromkeys(keys)
                    if abs(r - row) == ring or min((c - column) % n, (column - c) % n) >= ring]
        return keys

    def _outside_km(self, here: _Point, row: int, column: int, ring: int) -> float:
        """A lower bound of the distance from ``here`` to any top cell beyond ``ring``."""
        south, north = (row - ring) * self.cell, (row + ring + 1) * self.cell
        lat_km = math.inf if south <= -90 and north >= 90 else math.radians(min(here.lat - south, north - here.lat)) * EARTH_RADIUS_KM
        if 2 * ring + 1 >= self.columns:
            return lat_km
        west, east = (column - ring) * self.cell, (column + ring + 1) * self.cell
        return min(lat_km, _meridian_km(here, min(here.lon - west, east - here.lon)))


def _scan(sites: list, here: _Point, best: list, count: int, reach: float) -> bool:
    """Add a bucket's listings within ``reach`` (chord²) to ``best``, kept sorted and
    at most ``count`` long; True when the k-th found came nearer."""
    x, y, z, nearer = here.x, here.y, here.z, False
    for site in sites:
        d2 = (site[0] - x) ** 2 + (site[1] - y) ** 2 + (site[2] - z) ** 2
        if d2 <= reach:
            for listing in site[5]:
                if listing is not here.listing:
                    bisect.insort(best, (d2, listing.slug, listing))
            if len(best) >= count:
                del best[count:]
                reach, nearer = best[-1][0], True
    return nearer


def _box_km(here: _Point, node: list) -> float:
    """A lower bound of the distance from ``here`` to anything in the cell ``node``."""
    south, west, size = node[0], node[1], node[2]
    lat = here.lat
    lat_km = math.radians(south - lat if lat < south else lat - south - size if lat > south + size else 0.0) * EARTH_RADIUS_KM
    offset = (here.lon - west) % 360  # how far east of the cell's west edge
    if offset <= size:
        return lat_km
    past_east, before_west = offset - size, 360 - offset  # degrees beyond either edge
    lon_km = _meridian_km(here, past_east if past_east < before_west else before_west)
    return lon_km if lon_km > lat_km else lat_km


def _meridian_km(here: _Point, degrees: float) -> float:
    """Distance from ``here`` to the meridian ``degrees`` east or west of it:
    asin(cos φ · sin Δλ); from 90° on, the distance to the nearer pole."""
    sine = here.cos_lat * math.sin(math.radians(degrees if degrees < 90.0 else 90.0))
    return EARTH_RADIUS_KM * math.asin(sine if sine < 1.0 else 1.0)


def _unit(lat: float, lon: float) -> tuple[float, float, float]:
    p, l = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(l), math.cos(p) * math.sin(l), math.sin(p)


def _chord2(km: float) -> float:
    """Squared chord between unit vectors ``km`` apart on the surface."""
    if km >= math.pi * EARTH_RADIUS_KM:
        return 4.0
    return (2 * math.sin(km / (2 * EARTH_RADIUS_KM))) ** 2


def _chord_km(d2: float) -> float:
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(d2) / 2))


def _approximate(*precisions: str | None) -> str | None:
    """The coarser of two positions' precision when either is approximate."""
    for precision in reversed(APPROXIMATE):  # city is coarser than postal-code
        if precision in precisions:
            return precision
    return None
